//! The five ledgers and their columns, and the checks of a manual row.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::ApiError;
use crate::identity::pii::mask_name;

/// One of the five daily ledgers (五个日志台账) of plan §8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// 灵活用工政策宣讲: policy outreach sessions, written by staff.
    PolicyOutreach,
    /// 灵活用工企业需求: employers' demand, from every post published in the market and from
    /// demand taken offline (phone, visit).
    EmployerDemand,
    /// 人力资源供给: labour supply, from registrations, verified profiles and check-ins, and
    /// walk-ins written by staff.
    LabourSupply,
    /// 用工专员服务企业: the liaison officers' visits to enterprises, written by staff.
    EmployerLiaison,
    /// 零工市场即时对接: matching, from applications, offers, batch assignments and their
    /// outcomes, and referrals made in person with their result slips (回执).
    InstantMatching,
}

/// What a column holds, which decides how it is checked, shown and exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text of at most `max` characters.
    Text {
        /// The most characters it may have.
        max: usize,
    },
    /// A person's name: stored masked (the surname and stars), never in clear.
    Person,
    /// A whole number ≥ 0.
    Count,
    /// A unified social credit code (统一社会信用代码), checked by `identity::uscc`.
    Uscc,
    /// One of fixed values (value, Chinese label); stored as the label.
    Choice(&'static [(&'static str, &'static str)]),
}

/// Whether a manual row must, may or cannot give a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manual {
    /// Required in a manual row.
    Required,
    /// May be given.
    Optional,
    /// Only automatic rows fill it (e.g. a post's status).
    AutoOnly,
}

/// A column of a ledger: its key (in JSON and forms), its Chinese header, its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The key in a row's `fields` and in the manual-row request.
    pub key: &'static str,
    /// The header in pages and workbooks (the data standard's name where there is one).
    pub header: &'static str,
    /// How it is checked and shown.
    pub ty: ColumnType,
    /// What a manual row does with it.
    pub manual: Manual,
}

const fn col(key: &'static str, header: &'static str, ty: ColumnType, manual: Manual) -> Column {
    Column { key, header, ty, manual }
}

const fn text(max: usize) -> ColumnType {
    ColumnType::Text { max }
}

use Manual::{AutoOnly, Optional, Required};

/// Channels of demand taken offline.
pub const CHANNELS: &[(&str, &str)] = &[("phone", "电话"), ("visit", "走访")];

const POLICY_OUTREACH: &[Column] = &[
    col("place", "宣讲地点", text(100), Required),
    col("topic", "宣讲主题", text(100), Required),
    col("documents", "政策文件", text(500), Required),
    col("audience", "受众人数", ColumnType::Count, Required),
    col("staff", "宣讲人员", text(100), Required),
];

const EMPLOYER_DEMAND: &[Column] = &[
    col("unit", "单位", text(100), Required),
    col("uscc", "统一社会信用代码", ColumnType::Uscc, Required),
    col("channel", "渠道", ColumnType::Choice(CHANNELS), Required),
    col("post", "岗位", text(100), Required),
    col("occupation", "职业", text(100), Optional),
    col("headcount", "需求人数", ColumnType::Count, Required),
    col("wage", "薪酬", text(50), Required),
    col("contact", "联系人", ColumnType::Person, Required),
    col("status", "岗位状态", text(20), AutoOnly),
];

const LABOUR_SUPPLY: &[Column] = &[
    col("person", "人员", ColumnType::Person, Required),
    col("event", "登记类型", text(20), AutoOnly),
    col("occupation", "求职意向", text(100), Required),
    col("note", "情况说明", text(200), Optional),
];

const EMPLOYER_LIAISON: &[Column] = &[
    col("officer", "用工专员", text(50), Required),
    col("unit", "单位", text(100), Required),
    col("uscc", "统一社会信用代码", ColumnType::Uscc, Required),
    col("needs", "发现需求", text(500), Required),
    col("follow_up", "跟进措施", text(500), Required),
];

/// Instant matching: a referral needs person, unit and post; its result slip (a row that
/// `follows` the referral) needs only the result. [`check_manual`] handles the two shapes.
const INSTANT_MATCHING: &[Column] = &[
    col("person", "人员", ColumnType::Person, Required),
    col("unit", "单位", text(100), Required),
    col("post", "岗位", text(100), Required),
    col("event", "对接环节", text(20), AutoOnly),
    col("result", "对接结果", text(200), Optional),
];

impl Kind {
    /// Every kind, in the order of plan §8.
    pub const ALL: [Kind; 5] = [
        Kind::PolicyOutreach,
        Kind::EmployerDemand,
        Kind::LabourSupply,
        Kind::EmployerLiaison,
        Kind::InstantMatching,
    ];

    /// As the API path and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PolicyOutreach => "policy-outreach",
            Kind::EmployerDemand => "employer-demand",
            Kind::LabourSupply => "labour-supply",
            Kind::EmployerLiaison => "employer-liaison",
            Kind::InstantMatching => "instant-matching",
        }
    }

    /// The ledger's Chinese name (also its sheet in a workbook).
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::PolicyOutreach => "灵活用工政策宣讲",
            Kind::EmployerDemand => "灵活用工企业需求",
            Kind::LabourSupply => "人力资源供给",
            Kind::EmployerLiaison => "用工专员服务企业",
            Kind::InstantMatching => "零工市场即时对接",
        }
    }

    /// The kind spelt `s`, if any.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's own columns (the date and the standard's handling columns come around them:
    /// see [`COMMON_HEADERS`]).
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::PolicyOutreach => POLICY_OUTREACH,
            Kind::EmployerDemand => EMPLOYER_DEMAND,
            Kind::LabourSupply => LABOUR_SUPPLY,
            Kind::EmployerLiaison => EMPLOYER_LIAISON,
            Kind::InstantMatching => INSTANT_MATCHING,
        }
    }

    /// Whether the market's records fill the ledger automatically too.
    pub fn has_auto_rows(self) -> bool {
        matches!(self, Kind::EmployerDemand | Kind::LabourSupply | Kind::InstantMatching)
    }

    /// What the date of a manual row means in this ledger.
    pub fn date_header(self) -> &'static str {
        match self {
            Kind::PolicyOutreach => "宣讲日期",
            Kind::EmployerLiaison => "走访日期",
            Kind::InstantMatching => "对接日期",
            _ => "日期",
        }
    }
}

/// The columns every ledger has after its own, named as in the public employment service data
/// standard: handler (经办人), handling office (经办机构), handled at (经办时间), data source
/// (数据来源), the source record, and a note (日结后补记, 更正, 回执).
pub const COMMON_HEADERS: [&str; 6] =
    ["经办人", "经办机构", "经办时间", "数据来源", "来源记录", "备注"];

/// The 400 for a kind that is not one of the five (`invalid_kind`, field `kind`).
pub fn parse_kind(raw: &str) -> Result<Kind, ApiError> {
    Kind::parse(raw).ok_or_else(|| {
        ApiError::not_found(
            "ledger_not_found",
            "没有这个台账,应为 policy-outreach、employer-demand、labour-supply、employer-liaison 或 instant-matching",
            "no such ledger; one of policy-outreach, employer-demand, labour-supply, employer-liaison, instant-matching",
        )
        .with_field("kind")
    })
}

/// A manual row as checked: its date, its fields as stored, and what it points to.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualInput {
    /// The ledger day it is dated.
    pub day: NaiveDate,
    /// The kind's columns, as stored (persons masked, choices as labels, counts as numbers).
    pub fields: BTreeMap<String, Value>,
    /// The row it corrects, if it is a correction.
    pub corrects: Option<String>,
    /// The referral it records the result of (instant-matching only).
    pub follows: Option<String>,
}

fn invalid(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

/// A value as the text it was sent as (strings trimmed, numbers as written); `None` if absent,
/// null or blank.
fn as_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Check a manual row of `kind` sent as a flat object: `date` (default `today`), the kind's
/// columns, and optionally `corrects` and (instant-matching) `follows`. The first wrong field
/// is the error, named; nothing is looked up here (the rows it points to are checked when it
/// is written).
pub fn check_manual(
    kind: Kind,
    input: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<ManualInput, ApiError> {
    for key in input.keys() {
        let known = matches!(key.as_str(), "date" | "corrects")
            || (key == "follows" && kind == Kind::InstantMatching)
            || kind.columns().iter().any(|c| c.key == key && c.manual != Manual::AutoOnly);
        if !known {
            return Err(invalid(
                "unknown_field",
                key,
                &format!("台账“{}”没有字段 {key}", kind.name_zh()),
                &format!("the {} ledger has no field `{key}`", kind.as_str()),
            ));
        }
    }
    let day = match as_text(input.get("date")) {
        None => today,
        Some(s) => crate::clock::parse_day(&s, "date")?,
    };
    if day > today {
        return Err(invalid(
            "future_date",
            "date",
            "不能登记今天以后的台账",
            "a ledger row cannot be dated after today",
        ));
    }
    let id_of = |key: &str| -> Result<Option<String>, ApiError> {
        match as_text(input.get(key)) {
            None => Ok(None),
            Some(s)
                if s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                Ok(Some(s))
            }
            Some(_) => Err(invalid("invalid_reference", key, "记录编号格式不对", "not a row id")),
        }
    };
    let corrects = id_of("corrects")?;
    let follows = if kind == Kind::InstantMatching { id_of("follows")? } else { None };
    let mut fields = BTreeMap::new();
    for c in kind.columns() {
        if c.manual == Manual::AutoOnly {
            continue;
        }
        // A result slip restates nothing of the referral but its result.
        let required = match (kind, follows.is_some()) {
            (Kind::InstantMatching, true) => c.key == "result",
            _ => c.manual == Manual::Required,
        };
        let Some(raw) = as_text(input.get(c.key)) else {
            if required {
                return Err(invalid(
                    "required",
                    c.key,
                    &format!("请填写{}", c.header),
                    &format!("{} is required", c.key),
                ));
            }
            continue;
        };
        fields.insert(c.key.to_string(), check_value(c, &raw)?);
    }
    match kind {
        Kind::LabourSupply => {
            fields.insert("event".into(), Value::from("现场登记"));
        }
        Kind::InstantMatching => {
            let event = if follows.is_some() { "回执" } else { "现场推荐" };
            fields.insert("event".into(), Value::from(event));
        }
        _ => {}
    }
    Ok(ManualInput { day, fields, corrects, follows })
}

/// Whether `s` holds 11 or more digits in a row (a mobile or ID number): ledgers never keep
/// those in clear.
fn has_long_number(s: &str) -> bool {
    let mut run = 0;
    for ch in s.chars() {
        run = if ch.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 11 {
            return true;
        }
    }
    false
}

fn check_value(c: &Column, raw: &str) -> Result<Value, ApiError> {
    let too_long = |max: usize| {
        invalid(
            "too_long",
            c.key,
            &format!("{}不能超过{max}个字", c.header),
            &format!("{} must be at most {max} characters", c.key),
        )
    };
    match c.ty {
        ColumnType::Text { max } => {
            if raw.chars().count() > max {
                return Err(too_long(max));
            }
            if has_long_number(raw) {
                return Err(invalid(
                    "personal_number",
                    c.key,
                    &format!("{}中不要填写手机号或证件号", c.header),
                    &format!("{} must not contain phone or ID numbers", c.key),
                ));
            }
            Ok(Value::from(raw))
        }
        ColumnType::Person => {
            if raw.chars().count() > 50 {
                return Err(too_long(50));
            }
            if raw.chars().any(|ch| ch.is_ascii_digit()) {
                return Err(invalid(
                    "invalid_person",
                    c.key,
                    &format!("{}只填姓名,不要填写证件号或手机号", c.header),
                    &format!("{} takes a name only, no ID or phone numbers", c.key),
                ));
            }
            Ok(Value::from(mask_name(raw)))
        }
        ColumnType::Count => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1_000_000).contains(n))
            .map(Value::from)
            .ok_or_else(|| {
                invalid(
                    "invalid_count",
                    c.key,
                    &format!("{}应为0至1000000之间的整数", c.header),
                    &format!("{} must be a whole number from 0 to 1000000", c.key),
                )
            }),
        ColumnType::Uscc => crate::identity::uscc::parse(raw).map(Value::from).map_err(|e| {
            ApiError::bad_request("invalid_uscc", "", "").with_message_of(&e.0).with_field(c.key)
        }),
        ColumnType::Choice(choices) => choices
            .iter()
            .find(|(v, label)| *v == raw || *label == raw)
            .map(|(_, label)| Value::from(*label))
            .ok_or_else(|| {
                let allowed: Vec<&str> = choices.iter().map(|(v, _)| *v).collect();
                invalid(
                    "invalid_choice",
                    c.key,
                    &format!("{}应为:{}", c.header, allowed.join("、")),
                    &format!("{} must be one of {}", c.key, allowed.join(", ")),
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn kinds_round_trip_and_name_their_columns() {
        assert_eq!(Kind::ALL.map(|k| Kind::parse(k.as_str())), Kind::ALL.map(Some));
        assert!(Kind::parse("policy_outreach").is_none());
        assert_eq!(parse_kind("close").unwrap_err().field.as_deref(), Some("kind"));
        for k in Kind::ALL {
            let keys: Vec<&str> = k.columns().iter().map(|c| c.key).collect();
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{k:?}");
        }
        assert!(!Kind::PolicyOutreach.has_auto_rows() && Kind::InstantMatching.has_auto_rows());
    }

    #[test]
    fn a_good_outreach_row_is_stored_as_checked() {
        let row = check_manual(
            Kind::PolicyOutreach,
            &input(json!({"date": "2026-12-03", "place": " 兰阳街道 ", "topic": "零工保险", "documents": "豫人社〔2025〕1号", "audience": "40", "staff": "王芳"})),
            today(),
        )
        .unwrap();
        assert_eq!(row.day.to_string(), "2026-12-03");
        assert_eq!(row.fields["place"], "兰阳街道");
        assert_eq!(row.fields["audience"], 40);
    }

    #[test]
    fn bad_rows_name_their_field() {
        let err = |kind, v| check_manual(kind, &input(v), today()).unwrap_err();
        let e = err(
            Kind::PolicyOutreach,
            json!({"place": "", "topic": "t", "documents": "d", "audience": 1, "staff": "s"}),
        );
        assert_eq!((e.code, e.field.as_deref()), ("required", Some("place")));
        let e = err(
            Kind::PolicyOutreach,
            json!({"place": "p", "topic": "字".repeat(101), "documents": "d", "audience": 1, "staff": "s"}),
        );
        assert_eq!((e.code, e.field.as_deref()), ("too_long", Some("topic")));
        let e = err(
            Kind::PolicyOutreach,
            json!({"place": "p", "topic": "t", "documents": "d", "audience": -3, "staff": "s"}),
        );
        assert_eq!((e.code, e.field.as_deref()), ("invalid_count", Some("audience")));
        let e = err(Kind::PolicyOutreach, json!({"date": "2026-13-01", "place": "p"}));
        assert_eq!((e.code, e.field.as_deref()), ("invalid_date", Some("date")));
        let e = err(Kind::PolicyOutreach, json!({"date": "2026-12-05"}));
        assert_eq!((e.code, e.field.as_deref()), ("future_date", Some("date")));
        let e = err(
            Kind::EmployerLiaison,
            json!({"officer": "o", "unit": "u", "uscc": "91350100M000100Y44", "needs": "n", "follow_up": "f"}),
        );
        assert_eq!((e.code, e.field.as_deref()), ("invalid_uscc", Some("uscc")));
        let e = err(Kind::EmployerDemand, json!({"status": "open"}));
        assert_eq!((e.code, e.field.as_deref()), ("unknown_field", Some("status")));
        let e =
            err(Kind::LabourSupply, json!({"person": "张三 13712345678", "occupation": "电工"}));
        assert_eq!((e.code, e.field.as_deref()), ("invalid_person", Some("person")));
        let e = err(
            Kind::LabourSupply,
            json!({"person": "张三", "occupation": "电工", "note": "电话13712345678"}),
        );
        assert_eq!((e.code, e.field.as_deref()), ("personal_number", Some("note")));
    }

    #[test]
    fn names_are_masked_and_result_slips_need_only_the_result() {
        let walk_in = check_manual(
            Kind::LabourSupply,
            &input(json!({"person": "张三丰", "occupation": "电工"})),
            today(),
        )
        .unwrap();
        assert_eq!(walk_in.fields["person"], "张**");
        assert_eq!(walk_in.day, today());
        let slip = check_manual(
            Kind::InstantMatching,
            &input(json!({"follows": "0193-abc", "result": "已录用"})),
            today(),
        )
        .unwrap();
        assert_eq!(slip.follows.as_deref(), Some("0193-abc"));
        assert_eq!(slip.fields["event"], "回执");
        let e = check_manual(Kind::InstantMatching, &input(json!({"follows": "x"})), today())
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("result"));
    }
}
