//! Posting review rules shared by the posting-review plugins.
//!
//! The platform must review every posting before it is published (网络招聘服务管理规定 §17), and
//! the plan (§9) asks markets to stamp out 就业歧视, 虚假招聘 and "黑中介". Each rule here looks at a
//! plain [`Posting`] (`From` the slot's WIT posting) and returns [`Finding`]s: a stable code, a
//! Chinese message and how severe it is. [`verdict`] turns the findings into accept / hold /
//! reject, and [`to_verdict`] into the slot's `ReviewVerdict`. Legal figures (the minimum wage)
//! come from the plugin config with effective dates, never from constants.

use crate::dates::{Effective, Ymd, in_force};
use crate::json::{config_object, positive, string_list};
use crate::money::yuan;
use crate::posting_review::{self as wit, Decision, ReviewVerdict};
use crate::types::Reason;
use serde::Deserialize;
use serde_json::{Map, Value};

/// How a finding weighs on the decision; the worst finding decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth telling, does not stop publication.
    Info,
    /// Staff must look at the posting before it is published.
    Hold,
    /// The posting must not be published as it stands.
    Reject,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
    pub severity: Severity,
}

impl Finding {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding { code, message: message.into(), severity }
    }
}

/// The unit a wage is quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WageUnit {
    Hour,
    Day,
    Piece,
    Month,
}

/// What the rules need to know about a posting, with plain dates: `From<&posting_review::Posting>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Posting {
    pub title: String,
    pub description: String,
    pub occupation_code: String,
    pub occupation_name: String,
    pub headcount: u32,
    pub wage_cents: i64,
    pub wage_unit: WageUnit,
    pub daily_hours: f64,
    pub work_start: Ymd,
    pub work_end: Ymd,
    pub district: String,
    pub address: String,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub requirements: Vec<String>,
    pub qualifications: Vec<String>,
    pub charges_worker_fee: bool,
    pub employer_verified: bool,
    pub employer_recent_postings: u32,
}

impl Posting {
    /// Everything the employer wrote freely (title, description, requirements), one clause per
    /// field so that a phrase never spans two fields.
    pub fn free_text(&self) -> String {
        let mut parts = vec![self.title.as_str(), self.description.as_str()];
        parts.extend(self.requirements.iter().map(String::as_str));
        parts.join("\n")
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// A legal minimum wage and the day it took effect (e.g. 豫政〔2021〕33号, from 2022-01-01).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MinimumWage {
    pub effective: Ymd,
    pub monthly_cents: i64,
    pub hourly_cents: i64,
    #[serde(default)]
    pub note: String,
}

impl Effective for MinimumWage {
    fn effective(&self) -> Ymd {
        self.effective
    }
}

/// The review's configuration. Every key is optional; see [`ReviewConfig::from_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewConfig {
    /// Effective-dated minimum wages; empty means every non-piece posting is held.
    pub minimum_wage: Vec<MinimumWage>,
    /// What a day of gig work usually pays here, in fen.
    pub typical_day_wage_cents: i64,
    /// A wage above this multiple of the typical day wage looks like bait.
    pub suspicious_wage_multiple: f64,
    /// More postings than this in 30 days looks like a recruitment mill.
    pub max_recent_postings: u32,
    /// Extra fee words (beyond [`FEE_WORDS`]) that mark a black intermediary.
    pub extra_fee_words: Vec<String>,
    /// Extra bait wording (beyond [`FAKE_WORDS`]).
    pub extra_fake_words: Vec<String>,
}

impl Default for ReviewConfig {
    fn default() -> ReviewConfig {
        ReviewConfig {
            minimum_wage: Vec::new(),
            typical_day_wage_cents: 20_000,
            suspicious_wage_multiple: 3.0,
            max_recent_postings: 30,
            extra_fee_words: Vec::new(),
            extra_fake_words: Vec::new(),
        }
    }
}

impl ReviewConfig {
    /// Read the config text. Bad or missing values keep their defaults; the second value lists
    /// what was ignored, for the host's log.
    ///
    /// `{"minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560,
    /// "note": "豫政〔2021〕33号 三类"}], "typical_day_wage_cents": 20000, "suspicious_wage_multiple": 3,
    /// "max_recent_postings": 30, "extra_fee_words": [], "extra_fake_words": []}`
    pub fn from_json(text: &str) -> (ReviewConfig, Vec<String>) {
        let mut warnings = Vec::new();
        let obj = config_object(text, &mut warnings);
        let d = ReviewConfig::default();
        let config = ReviewConfig {
            minimum_wage: minimum_wages(&obj, &mut warnings),
            typical_day_wage_cents: positive(&obj, "typical_day_wage_cents", &mut warnings)
                .unwrap_or(d.typical_day_wage_cents as f64)
                as i64,
            suspicious_wage_multiple: positive(&obj, "suspicious_wage_multiple", &mut warnings)
                .unwrap_or(d.suspicious_wage_multiple),
            max_recent_postings: positive(&obj, "max_recent_postings", &mut warnings)
                .map_or(d.max_recent_postings, |v| v as u32),
            extra_fee_words: string_list(&obj, "extra_fee_words", &mut warnings),
            extra_fake_words: string_list(&obj, "extra_fake_words", &mut warnings),
        };
        (config, warnings)
    }
}

/// The valid minimum-wage entries; an entry with a bad date or amount is skipped with a warning.
fn minimum_wages(obj: &Map<String, Value>, warnings: &mut Vec<String>) -> Vec<MinimumWage> {
    let Some(list) = obj.get("minimum_wage").and_then(Value::as_array) else {
        if obj.contains_key("minimum_wage") {
            warnings.push("minimum_wage: expected a list; ignored".into());
        }
        return Vec::new();
    };
    let parse = |v: &Value| {
        serde_json::from_value::<MinimumWage>(v.clone())
            .ok()
            .filter(|m| m.monthly_cents > 0 && m.hourly_cents > 0)
    };
    list.iter()
        .filter_map(|v| {
            let m = parse(v);
            if m.is_none() {
                warnings.push(format!("minimum_wage: ignored invalid entry {v}"));
            }
            m
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The whole review

/// Every rule of the city review, in a fixed order.
pub fn review(p: &Posting, today: Ymd, config: &ReviewConfig) -> Vec<Finding> {
    let text = p.free_text();
    let mut findings = required_fields(p, today);
    findings.extend(employer_verified(p));
    findings.extend(discrimination(&text));
    findings.extend(age_limits(p));
    findings.extend(minimum_wage(p, &config.minimum_wage, today));
    findings.extend(fee_charging(p, &text, &config.extra_fee_words));
    findings.extend(fake_recruitment(p, &text, config));
    findings
}

/// The decision (the worst severity) and the reasons to give: the findings worst first, or
/// `review.ok` followed by any informational findings when nothing stops the posting.
pub fn verdict(mut findings: Vec<Finding>) -> (Severity, Vec<Finding>) {
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let worst = findings.first().map_or(Severity::Info, |f| f.severity);
    if worst == Severity::Info {
        findings.insert(0, Finding::new("review.ok", Severity::Info, "招聘信息符合发布要求"));
    }
    (worst, findings)
}

// ---------------------------------------------------------------------------------------------
// Required information (plan §6: postings must carry what makes them traceable)

/// Title, occupation, place, headcount, hours and dates a worker needs to decide.
pub fn required_fields(p: &Posting, today: Ymd) -> Vec<Finding> {
    let mut out = Vec::new();
    let missing = missing_fields(p);
    if !missing.is_empty() {
        out.push(Finding::new(
            "posting.missing-fields",
            Severity::Reject,
            format!("招聘信息缺少必填内容:{}", missing.join("、")),
        ));
    }
    if p.headcount < 1 {
        out.push(Finding::new("posting.headcount", Severity::Reject, "招聘人数至少为1人"));
    }
    out.extend(daily_hours(p.daily_hours));
    out.extend(work_dates(p, today));
    out
}

fn missing_fields(p: &Posting) -> Vec<&'static str> {
    let blank = |s: &str| s.trim().is_empty();
    let mut missing = Vec::new();
    if blank(&p.title) {
        missing.push("标题");
    }
    if blank(&p.occupation_code) && blank(&p.occupation_name) {
        missing.push("工种");
    }
    if blank(&p.district) {
        missing.push("工作区域");
    }
    if blank(&p.address) {
        missing.push("工作地点");
    }
    missing
}

/// More than 12 hours a day is refused outright; more than 8 (劳动法 §36) needs a person to look.
fn daily_hours(h: f64) -> Option<Finding> {
    if !(h > 0.0 && h <= 12.0) {
        Some(Finding::new(
            "posting.hours-invalid",
            Severity::Reject,
            format!("每日工作时长应大于0且不超过12小时,当前为{h}小时"),
        ))
    } else if h > 8.0 {
        Some(Finding::new(
            "posting.hours-long",
            Severity::Hold,
            format!("每日工作{h}小时,超过8小时(劳动法第36条),需人工审核加班安排"),
        ))
    } else {
        None
    }
}

fn valid_date(d: Ymd) -> bool {
    Ymd::parse(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)) == Some(d)
}

fn work_dates(p: &Posting, today: Ymd) -> Option<Finding> {
    if !valid_date(p.work_start) || !valid_date(p.work_end) || p.work_end < p.work_start {
        Some(Finding::new(
            "posting.dates-invalid",
            Severity::Reject,
            "用工结束日期不能早于开始日期",
        ))
    } else if p.work_start < today {
        Some(Finding::new(
            "posting.start-past",
            Severity::Reject,
            "用工开始日期已过,请更新用工时间",
        ))
    } else {
        None
    }
}

/// 双实名 (plan §9): only verified employers may publish.
pub fn employer_verified(p: &Posting) -> Option<Finding> {
    (!p.employer_verified).then(|| {
        Finding::new(
            "employer.unverified",
            Severity::Reject,
            "用工主体未完成实名认证(营业执照或雇主身份信息),不能发布招聘信息",
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Age

/// Under 16 is child labour (劳动法 §15); other limits beyond the law need a stated reason.
pub fn age_limits(p: &Posting) -> Vec<Finding> {
    let mut out = Vec::new();
    if p.min_age.is_some_and(|a| a < 16) || p.max_age.is_some_and(|a| a < 16) {
        out.push(Finding::new(
            "age.child-labour",
            Severity::Reject,
            "不得招用未满16周岁的未成年人(劳动法第15条、禁止使用童工规定第2条)",
        ));
    }
    if let (Some(min), Some(max)) = (p.min_age, p.max_age)
        && min > max
    {
        out.push(Finding::new(
            "age.range-invalid",
            Severity::Reject,
            format!("最低年龄{min}岁大于最高年龄{max}岁"),
        ));
    }
    if p.min_age.is_some_and(|a| a > 18) || p.max_age.is_some() {
        out.push(Finding::new(
            "age.limit-needs-reason",
            Severity::Hold,
            format!("招聘信息设定了年龄限制({}),需说明合理理由,转人工审核", age_range(p)),
        ));
    }
    out
}

fn age_range(p: &Posting) -> String {
    match (p.min_age, p.max_age) {
        (Some(a), Some(b)) => format!("{a}至{b}岁"),
        (Some(a), None) => format!("{a}岁以上"),
        (None, Some(b)) => format!("{b}岁以下"),
        (None, None) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Minimum wage

/// The wage against the minimum wage in force on `today`: hourly wages against the hourly
/// minimum, day wages against hourly × daily hours, monthly wages against the monthly minimum.
/// Piece rates cannot be checked here; without a rule in force a person must check.
pub fn minimum_wage(p: &Posting, rules: &[MinimumWage], today: Ymd) -> Option<Finding> {
    if p.wage_unit == WageUnit::Piece {
        return Some(Finding::new(
            "wage.piece-rate",
            Severity::Info,
            "计件工资无法自动核对最低工资标准,劳动者按正常工时所得不得低于当地最低工资标准",
        ));
    }
    let Some(rule) = in_force(rules, today) else {
        return Some(Finding::new(
            "wage.no-minimum",
            Severity::Hold,
            "未配置当前有效的最低工资标准,需人工核对工资",
        ));
    };
    let (floor, basis) = wage_floor(p, rule)?;
    (p.wage_cents < floor).then(|| {
        let note = if rule.note.is_empty() { String::new() } else { format!("({})", rule.note) };
        let msg = format!(
            "工资{}{}低于最低工资标准{}{note}",
            yuan(p.wage_cents),
            unit_zh(p.wage_unit),
            basis
        );
        Finding::new("wage.below-minimum", Severity::Reject, msg)
    })
}

/// The least lawful wage for the posting's unit, and how it was worked out; `None` when the
/// daily hours are unusable (the required-fields rule reports those).
fn wage_floor(p: &Posting, rule: &MinimumWage) -> Option<(i64, String)> {
    match p.wage_unit {
        WageUnit::Hour => Some((rule.hourly_cents, format!("每小时{}", yuan(rule.hourly_cents)))),
        WageUnit::Month => Some((rule.monthly_cents, format!("每月{}", yuan(rule.monthly_cents)))),
        WageUnit::Day if p.daily_hours > 0.0 && p.daily_hours.is_finite() => {
            let floor = (rule.hourly_cents as f64 * p.daily_hours).round() as i64;
            Some((
                floor,
                format!("每小时{}×{}小时={}", yuan(rule.hourly_cents), p.daily_hours, yuan(floor)),
            ))
        }
        WageUnit::Day | WageUnit::Piece => None,
    }
}

fn unit_zh(u: WageUnit) -> &'static str {
    match u {
        WageUnit::Hour => "/小时",
        WageUnit::Day => "/天",
        WageUnit::Piece => "/件",
        WageUnit::Month => "/月",
    }
}

/// The wage as fen per day, for comparing with a typical day wage (a month is 21.75 days,
/// 劳社部发〔2008〕3号); `None` for piece rates.
pub fn day_wage_cents(p: &Posting) -> Option<i64> {
    match p.wage_unit {
        WageUnit::Day => Some(p.wage_cents),
        WageUnit::Hour if p.daily_hours > 0.0 => {
            Some((p.wage_cents as f64 * p.daily_hours).round() as i64)
        }
        WageUnit::Month => Some((p.wage_cents as f64 / 21.75).round() as i64),
        WageUnit::Hour | WageUnit::Piece => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Text scanning

/// Characters that end a clause: a phrase never spans them, and negations do not reach across.
const CLAUSE_ENDS: &[char] = &['，', ',', '。', '.', ';', '；', '!', '！', '?', '？', '\n', '、'];

/// How far (in characters) a negation before, or an exemption after, a phrase may be.
const WINDOW: usize = 6;

/// How to read the context of a phrase. Single-character words, and words marked with a leading
/// `^`, count only right next to the phrase ("不限男女", "婚育不限"); longer ones anywhere in the
/// window ("不收取任何押金").
pub struct Context {
    /// Words before a phrase that deny it.
    pub negations: &'static [&'static str],
    /// Words after a phrase that take its sting out ("已婚未婚均可", "押金全免").
    pub exemptions: &'static [&'static str],
}

/// Lower-case ASCII, full-width colons as `:`, no whitespace but line breaks (so "限 男 性" is
/// caught and fields stay apart).
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() || *c == '\n')
        .map(|c| if c == '：' { ':' } else { c.to_ascii_lowercase() })
        .collect()
}

/// The first occurrence of any pattern in `text` (already [`normalise`]d) that its context does
/// not deny, as written.
///
/// A pattern is a literal phrase; one `*` after its first character stands for 1 to 4 characters
/// within the clause ("限*籍" catches 限河南籍); `+` joins phrases that must all occur somewhere
/// ("高薪+无需经验"). Substring search keeps a long posting cheap in fuel.
pub fn scan<'p>(
    text: &str,
    patterns: impl IntoIterator<Item = &'p str>,
    ctx: &Context,
) -> Option<String> {
    patterns.into_iter().find_map(|p| find_pattern(text, p, ctx))
}

fn find_pattern(text: &str, pattern: &str, ctx: &Context) -> Option<String> {
    if pattern.contains('+') {
        let parts: Option<Vec<String>> =
            pattern.split('+').map(|part| find_pattern(text, part, ctx)).collect();
        return parts.map(|p| p.join("…"));
    }
    let pattern = normalise(pattern);
    let (head, tail) = match pattern.split_once('*') {
        Some((head, tail)) => (head, Some(tail)),
        None => (pattern.as_str(), None),
    };
    if head.is_empty() {
        return None;
    }
    text.match_indices(head).find_map(|(start, _)| {
        let end = start + head.len();
        let end = match tail {
            None => end,
            Some(tail) => wildcard_end(&text[end..], tail).map(|n| end + n)?,
        };
        (!negated(&text[..start], ctx) && !exempted(&text[end..], ctx))
            .then(|| text[start..end].to_string())
    })
}

/// After a wildcard's head: the byte length of 1 to 4 clause characters followed by `tail`.
fn wildcard_end(rest: &str, tail: &str) -> Option<usize> {
    let clause = rest.split(CLAUSE_ENDS).next().unwrap_or(rest);
    clause
        .char_indices()
        .take(4)
        .map(|(i, c)| i + c.len_utf8())
        .find_map(|cut| rest[cut..].starts_with(tail).then_some(cut + tail.len()))
}

/// The last [`WINDOW`] characters of the clause that `before` ends.
fn window_before(before: &str) -> &str {
    let clause = before.rsplit(CLAUSE_ENDS).next().unwrap_or(before);
    let cut = clause.char_indices().rev().nth(WINDOW - 1).map_or(0, |(i, _)| i);
    &clause[cut..]
}

/// The first [`WINDOW`] characters of the clause that `after` starts (after a colon, if any).
fn window_after(after: &str) -> &str {
    let clause = after.split(CLAUSE_ENDS).next().unwrap_or(after);
    let clause = clause.strip_prefix(':').unwrap_or(clause);
    let cut = clause.char_indices().nth(WINDOW).map_or(clause.len(), |(i, _)| i);
    &clause[..cut]
}

fn negated(before: &str, ctx: &Context) -> bool {
    let window = window_before(before);
    mentions(window, ctx.negations, |w| window.ends_with(w))
}

fn exempted(after: &str, ctx: &Context) -> bool {
    let window = window_after(after);
    mentions(window, ctx.exemptions, |w| window.starts_with(w))
}

/// Whether `window` holds any of `words`: single characters and `^`-marked words as `adjacent`
/// says, other words anywhere.
fn mentions(window: &str, words: &[&str], adjacent: impl Fn(&str) -> bool) -> bool {
    words.iter().any(|w| match w.strip_prefix('^') {
        Some(w) => adjacent(w),
        None if w.chars().count() == 1 => adjacent(w),
        None => window.contains(w),
    })
}

// ---------------------------------------------------------------------------------------------
// Discrimination (就业促进法 §3, §26–31; 妇女权益保障法 §43; 网络招聘服务管理规定 §15)

/// One kind of discrimination: its code, what it is called, the law, and the phrases that show it.
pub struct Kind {
    pub code: &'static str,
    pub zh: &'static str,
    pub law: &'static str,
    pub patterns: &'static [&'static str],
}

pub const DISCRIMINATION: &[Kind] = &[
    Kind {
        code: "discrimination.gender",
        zh: "性别",
        law: "就业促进法第27条、妇女权益保障法第43条",
        patterns: &[
            "限男",
            "仅限男",
            "只招男",
            "只要男",
            "只收男",
            "男性优先",
            "男士优先",
            "男生优先",
            "男优先",
            "男工优先",
            "招男工",
            "限女",
            "仅限女",
            "只招女",
            "只要女",
            "只收女",
            "女性优先",
            "女士优先",
            "女生优先",
            "女优先",
            "女工优先",
            "招女工",
            "不招女",
            "不要女",
            "不收女",
            "不招男",
            "不要男",
            "不收男",
            "女性勿扰",
            "女士勿扰",
            "女生勿扰",
            "女工勿扰",
            "男性勿扰",
            "男士勿扰",
            "男生勿扰",
            "男工勿扰",
            "性别:男",
            "性别:女",
        ],
    },
    Kind {
        code: "discrimination.ethnicity",
        zh: "民族",
        law: "就业促进法第3条、第28条",
        patterns: &[
            "限汉族",
            "仅限汉族",
            "只招汉族",
            "只要汉族",
            "汉族优先",
            "少数民族勿扰",
            "不招少数民族",
            "不要少数民族",
            "回族勿扰",
            "回民勿扰",
            "维族勿扰",
            "藏族勿扰",
            "民族:汉",
        ],
    },
    Kind {
        code: "discrimination.household-registration",
        zh: "户籍或地域",
        law: "就业促进法第31条、网络招聘服务管理规定第15条",
        patterns: &[
            "限本地户口",
            "限本地户籍",
            "本地户口优先",
            "本地户籍优先",
            "需本地户口",
            "要求本地户口",
            "限本地人",
            "本地人优先",
            "只招本地",
            "仅限本地",
            "外地人勿扰",
            "外地勿扰",
            "不招外地",
            "不要外地",
            "外省人勿扰",
            "外省勿扰",
            "农村户口勿扰",
            "限城镇户口",
            "城镇户口优先",
            "农村人勿扰",
            "限*籍",
            "籍勿扰",
            "籍优先",
        ],
    },
    Kind {
        code: "discrimination.marital-childbearing",
        zh: "婚育状况",
        law: "妇女权益保障法第43条",
        patterns: &[
            "已婚已育",
            "已婚已孕",
            "已婚",
            "未婚",
            "已育",
            "未育",
            "婚否",
            "婚育",
            "限单身",
            "单身优先",
            "要求单身",
            "离异勿扰",
            "孕妇勿扰",
            "孕妇不要",
            "孕妇免谈",
            "不招孕妇",
            "孕期勿扰",
            "孕检",
            "妊娠",
            "怀孕",
            "哺乳期勿扰",
            "生育计划",
            "不得生育",
        ],
    },
    Kind {
        code: "discrimination.pathogen-carrier",
        zh: "传染病病原携带",
        law: "就业促进法第30条",
        patterns: &["乙肝", "两对半", "大三阳", "小三阳", "艾滋", "hiv", "携带者", "病毒携带"],
    },
    Kind {
        code: "discrimination.religion",
        zh: "宗教信仰",
        law: "就业促进法第3条",
        patterns: &[
            "穆斯林勿扰",
            "不招穆斯林",
            "信教勿扰",
            "信教者勿扰",
            "宗教信仰者勿扰",
            "无宗教信仰",
            "不信教",
            "限基督徒",
            "限佛教徒",
            "限信徒",
            "教徒勿扰",
            "限信教",
        ],
    },
    Kind {
        code: "discrimination.disability",
        zh: "残疾",
        law: "就业促进法第29条、残疾人保障法第38条",
        patterns: &[
            "残疾人勿扰",
            "残疾勿扰",
            "残障勿扰",
            "残疾人不要",
            "不招残疾",
            "不要残疾",
            "不收残疾",
            "无残疾",
            "限健全人",
            "健全人优先",
        ],
    },
];

/// "不限男女", "不查乙肝" deny the phrase; "已婚未婚均可", "婚育不限", "招男工女工各5名" take its
/// sting out. A bare "不限" must follow the phrase directly: in "限男性年龄不限" it is about age.
pub const DISCRIMINATION_CONTEXT: Context = Context {
    negations: &[
        "不",
        "无",
        "非",
        "不限",
        "无需",
        "不需",
        "不要求",
        "不问",
        "不看",
        "不论",
        "不查",
        "不检",
        "不歧视",
    ],
    exemptions: &[
        "均可",
        "皆可",
        "都可",
        "都行",
        "亦可",
        "也可",
        "均不限",
        "都不限",
        "女不限",
        "男不限",
        "^不限",
        "女工",
        "男工",
    ],
};

/// One finding per kind of discrimination found in the free text.
pub fn discrimination(text: &str) -> Vec<Finding> {
    let text = normalise(text);
    DISCRIMINATION
        .iter()
        .filter_map(|k| {
            let hit = scan(&text, k.patterns.iter().copied(), &DISCRIMINATION_CONTEXT)?;
            Some(Finding::new(
                k.code,
                Severity::Reject,
                format!("招聘信息含{}歧视性内容“{hit}”,违反{}", k.zh, k.law),
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Fees and black intermediaries (就业服务与就业管理规定 §14, 人力资源市场暂行条例 §24)

/// Words that show a worker is asked to pay to get the job.
pub const FEE_WORDS: &[&str] = &[
    "押金",
    "报名费",
    "服装费",
    "工装费",
    "培训费",
    "保证金",
    "中介费",
    "介绍费",
    "信息费",
    "手续费",
    "体检费",
    "办卡费",
    "建档费",
    "先交",
    "扣押身份证",
];

/// "不收取任何押金", "押金全免", "培训费由公司承担" are not charges, nor is "先交身份证复印件".
pub const FEE_CONTEXT: Context = Context {
    negations: &[
        "不",
        "无",
        "免",
        "零",
        "0",
        "不收",
        "无需",
        "不需",
        "免收",
        "免交",
        "不用",
        "不交",
        "不缴",
        "拒收",
        "没有",
        "无任何",
        "不存在",
        "绝不",
    ],
    exemptions: &[
        "无",
        "免",
        "零",
        "0",
        "全免",
        "免收",
        "免费",
        "公司承担",
        "单位承担",
        "企业承担",
        "由公司",
        "由单位",
        "由企业",
        "公司出",
        "报销",
        "复印件",
        "照片",
        "简历",
    ],
};

/// Asking workers for money is the mark of a 黑中介: the flag, and the wording, each reject.
pub fn fee_charging(p: &Posting, text: &str, extra_words: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    if p.charges_worker_fee {
        out.push(Finding::new(
            "fee.charges-worker",
            Severity::Reject,
            "招聘方向劳动者收取费用或押金,属于违规收费(就业服务与就业管理规定第14条)",
        ));
    }
    let words = FEE_WORDS.iter().copied().chain(extra_words.iter().map(String::as_str));
    if let Some(hit) = scan(&normalise(text), words, &FEE_CONTEXT) {
        out.push(Finding::new(
            "fee.wording",
            Severity::Reject,
            format!("招聘信息提及向劳动者收费“{hit}”,疑似“黑中介”,不得发布"),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Fake recruitment (plan §9)

/// Bait wording typical of fake recruitment and scams.
pub const FAKE_WORDS: &[&str] = &[
    "轻松日入",
    "日入过千",
    "日入千元",
    "日赚千元",
    "日结千元",
    "月入过万",
    "月入十万",
    "轻松月入",
    "躺赚",
    "躺着赚钱",
    "轻松赚钱",
    "高薪+无需经验",
    "高薪+零经验",
    "在家兼职",
    "足不出户",
    "刷单",
    "点赞赚钱",
    "打字员",
    "手工活外发",
    "先垫付",
    "需垫付",
    "自行垫付",
];

/// Fake-recruitment wording is rarely negated; an empty context keeps every hit.
const PLAIN_CONTEXT: Context = Context { negations: &[], exemptions: &[] };

/// Signs of fake recruitment each hold the posting for staff: a wage far above what the work
/// pays here, an employer posting in bulk, or bait wording.
pub fn fake_recruitment(p: &Posting, text: &str, config: &ReviewConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(suspicious_wage(p, config));
    if p.employer_recent_postings > config.max_recent_postings {
        let msg = format!(
            "该用工主体近30天发布{}条招聘信息,超过{}条,需核实是否真实用工",
            p.employer_recent_postings, config.max_recent_postings
        );
        out.push(Finding::new("fake.employer-volume", Severity::Hold, msg));
    }
    let words =
        FAKE_WORDS.iter().copied().chain(config.extra_fake_words.iter().map(String::as_str));
    if let Some(hit) = scan(&normalise(text), words, &PLAIN_CONTEXT) {
        out.push(Finding::new(
            "fake.wording",
            Severity::Hold,
            format!("招聘信息含疑似虚假招聘用语“{hit}”,需人工审核"),
        ));
    }
    out
}

fn suspicious_wage(p: &Posting, config: &ReviewConfig) -> Option<Finding> {
    let day = day_wage_cents(p)?;
    let limit =
        (config.typical_day_wage_cents as f64 * config.suspicious_wage_multiple).round() as i64;
    (day > limit).then(|| {
        let msg = format!(
            "工资折合每天{},超过本地零工典型日薪{}的{}倍,疑似虚假高薪招聘,需人工审核",
            yuan(day),
            yuan(config.typical_day_wage_cents),
            config.suspicious_wage_multiple
        );
        Finding::new("fake.wage-too-high", Severity::Hold, msg)
    })
}

// ---------------------------------------------------------------------------------------------
// The posting-review slot's types

impl From<&wit::Posting> for Posting {
    /// The plain view of a posting the rules read.
    fn from(p: &wit::Posting) -> Posting {
        Posting {
            title: p.title.clone(),
            description: p.description.clone(),
            occupation_code: p.occupation_code.clone(),
            occupation_name: p.occupation_name.clone(),
            headcount: p.headcount,
            wage_cents: p.wage_cents,
            wage_unit: p.wage_unit.into(),
            daily_hours: p.daily_hours,
            work_start: p.work_start.into(),
            work_end: p.work_end.into(),
            district: p.district.clone(),
            address: p.address.clone(),
            min_age: p.min_age,
            max_age: p.max_age,
            requirements: p.requirements.clone(),
            qualifications: p.qualifications.clone(),
            charges_worker_fee: p.charges_worker_fee,
            employer_verified: p.employer_verified,
            employer_recent_postings: p.employer_recent_postings,
        }
    }
}

impl From<wit::WageUnit> for WageUnit {
    fn from(u: wit::WageUnit) -> WageUnit {
        match u {
            wit::WageUnit::Hour => WageUnit::Hour,
            wit::WageUnit::Day => WageUnit::Day,
            wit::WageUnit::Piece => WageUnit::Piece,
            wit::WageUnit::Month => WageUnit::Month,
        }
    }
}

impl From<Severity> for Decision {
    /// What the worst finding decides.
    fn from(worst: Severity) -> Decision {
        match worst {
            Severity::Info => Decision::Accept,
            Severity::Hold => Decision::Hold,
            Severity::Reject => Decision::Reject,
        }
    }
}

impl From<Finding> for Reason {
    fn from(f: Finding) -> Reason {
        Reason { code: f.code.into(), message: f.message }
    }
}

/// The verdict on a set of findings: the worst decides, its reasons come first (`review.ok`
/// when accepted), see [`verdict`].
pub fn to_verdict(findings: Vec<Finding>) -> ReviewVerdict {
    let (worst, findings) = verdict(findings);
    ReviewVerdict {
        decision: worst.into(),
        reasons: findings.into_iter().map(Reason::from).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd { year: 2026, month: 5, day: 10 };

    fn posting() -> Posting {
        Posting {
            title: "仓库装卸工".into(),
            description: "负责货物装卸搬运,提供午餐".into(),
            occupation_code: "4-02-05-01".into(),
            occupation_name: "装卸搬运工".into(),
            headcount: 5,
            wage_cents: 18_000,
            wage_unit: WageUnit::Day,
            daily_hours: 8.0,
            work_start: Ymd::new(2026, 5, 11),
            work_end: Ymd::new(2026, 5, 20),
            district: "龙亭区".into(),
            address: "开封市龙亭区北书店街道某物流园".into(),
            min_age: Some(18),
            max_age: None,
            requirements: vec!["身体健康".into()],
            qualifications: vec![],
            charges_worker_fee: false,
            employer_verified: true,
            employer_recent_postings: 3,
        }
    }

    fn wage_2022() -> MinimumWage {
        MinimumWage {
            effective: Ymd::new(2022, 1, 1),
            monthly_cents: 160_000,
            hourly_cents: 1_560,
            note: "豫政〔2021〕33号 三类".into(),
        }
    }

    fn config() -> ReviewConfig {
        ReviewConfig { minimum_wage: vec![wage_2022()], ..ReviewConfig::default() }
    }

    fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_clean_posting_is_accepted_with_review_ok() {
        let (decision, reasons) = verdict(review(&posting(), TODAY, &config()));
        assert_eq!(decision, Severity::Info);
        assert_eq!(codes(&reasons), ["review.ok"]);
    }

    #[test]
    fn the_worst_finding_decides_and_comes_first() {
        let p = Posting {
            employer_verified: false,
            daily_hours: 10.0,
            wage_cents: 30_000,
            ..posting()
        };
        let (decision, reasons) = verdict(review(&p, TODAY, &config()));
        assert_eq!(decision, Severity::Reject);
        assert_eq!(codes(&reasons), ["employer.unverified", "posting.hours-long"]);
    }

    #[test]
    fn informational_findings_follow_review_ok() {
        let p = Posting { wage_unit: WageUnit::Piece, wage_cents: 50, ..posting() };
        let (decision, reasons) = verdict(review(&p, TODAY, &config()));
        assert_eq!(decision, Severity::Info);
        assert_eq!(codes(&reasons), ["review.ok", "wage.piece-rate"]);
    }

    #[test]
    fn missing_fields_are_named_in_one_reason() {
        let p = Posting {
            title: " ".into(),
            occupation_code: "".into(),
            occupation_name: "".into(),
            address: "".into(),
            ..posting()
        };
        let f = required_fields(&p, TODAY);
        assert_eq!(codes(&f), ["posting.missing-fields"]);
        assert_eq!(f[0].message, "招聘信息缺少必填内容:标题、工种、工作地点");
        let only_code = Posting { occupation_name: "".into(), ..posting() };
        assert!(
            required_fields(&only_code, TODAY).is_empty(),
            "an occupation code alone is enough"
        );
    }

    #[test]
    fn headcount_must_be_at_least_one() {
        assert_eq!(
            codes(&required_fields(&Posting { headcount: 0, ..posting() }, TODAY)),
            ["posting.headcount"]
        );
    }

    #[test]
    fn daily_hours_are_bounded_and_long_days_held() {
        let hours =
            |h: f64| codes(&required_fields(&Posting { daily_hours: h, ..posting() }, TODAY));
        assert!(hours(8.0).is_empty());
        assert_eq!(hours(8.5), ["posting.hours-long"]);
        assert_eq!(hours(12.0), ["posting.hours-long"]);
        assert_eq!(hours(12.5), ["posting.hours-invalid"]);
        assert_eq!(hours(0.0), ["posting.hours-invalid"]);
        assert_eq!(hours(f64::NAN), ["posting.hours-invalid"]);
    }

    #[test]
    fn work_dates_must_be_ordered_and_not_past() {
        let dates = |s: Ymd, e: Ymd| {
            codes(&required_fields(&Posting { work_start: s, work_end: e, ..posting() }, TODAY))
        };
        assert!(dates(TODAY, TODAY).is_empty(), "starting today is fine");
        assert_eq!(dates(Ymd::new(2026, 5, 9), Ymd::new(2026, 5, 20)), ["posting.start-past"]);
        assert_eq!(dates(Ymd::new(2026, 5, 20), Ymd::new(2026, 5, 19)), ["posting.dates-invalid"]);
        assert_eq!(dates(Ymd::new(2026, 13, 1), Ymd::new(2026, 13, 2)), ["posting.dates-invalid"]);
    }

    #[test]
    fn unverified_employers_are_rejected() {
        assert!(employer_verified(&posting()).is_none());
        assert_eq!(
            employer_verified(&Posting { employer_verified: false, ..posting() }).unwrap().severity,
            Severity::Reject
        );
    }

    #[test]
    fn each_kind_of_discrimination_has_its_own_code() {
        let cases = [
            ("限男性,能吃苦", "discrimination.gender"),
            ("女性优先", "discrimination.gender"),
            ("性别:女", "discrimination.gender"),
            ("限汉族", "discrimination.ethnicity"),
            ("限本地户口", "discrimination.household-registration"),
            ("外地人勿扰", "discrimination.household-registration"),
            ("限河南籍", "discrimination.household-registration"),
            ("已婚已育", "discrimination.marital-childbearing"),
            ("孕妇勿扰", "discrimination.marital-childbearing"),
            ("入职需孕检", "discrimination.marital-childbearing"),
            ("乙肝携带者勿扰", "discrimination.pathogen-carrier"),
            ("HIV阳性勿扰", "discrimination.pathogen-carrier"),
            ("穆斯林勿扰", "discrimination.religion"),
            ("残疾人勿扰", "discrimination.disability"),
        ];
        for (text, code) in cases {
            assert_eq!(codes(&discrimination(text)), [code], "{text}");
        }
    }

    #[test]
    fn several_kinds_give_several_reasons_quoting_the_phrase() {
        let f = discrimination("招聘标题\n只招男 工,限 本地户口");
        assert_eq!(codes(&f), ["discrimination.gender", "discrimination.household-registration"]);
        assert!(
            f[0].message.contains("“只招男”") && f[0].message.contains("妇女权益保障法第43条"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn denied_or_open_phrases_are_not_discrimination() {
        for text in [
            "男女不限",
            "不限男女",
            "性别:男女不限",
            "不限户籍",
            "已婚未婚均可",
            "婚育不限",
            "不查乙肝",
            "无需本地户口",
            "五险含生育保险",
            "身体健康",
            "提供单身宿舍",
            "招男工女工各5名",
        ] {
            assert!(discrimination(text).is_empty(), "{text}: {:?}", discrimination(text));
        }
    }

    #[test]
    fn a_negation_does_not_reach_across_a_clause() {
        assert_eq!(codes(&discrimination("不加班,限男性")), ["discrimination.gender"]);
        assert_eq!(
            codes(&discrimination("限男性年龄不限")),
            ["discrimination.gender"],
            "a bare 不限 must follow directly"
        );
        assert_eq!(codes(&discrimination("招男工(女工勿扰)")), ["discrimination.gender"]);
    }

    #[test]
    fn children_are_never_hired() {
        let age = |min: Option<u8>, max: Option<u8>| {
            codes(&age_limits(&Posting { min_age: min, max_age: max, ..posting() }))
        };
        assert_eq!(age(Some(15), None), ["age.child-labour"]);
        assert!(age(Some(16), None).is_empty());
        assert!(age(Some(18), None).is_empty());
        assert!(age(None, None).is_empty());
    }

    #[test]
    fn age_limits_beyond_the_law_are_held() {
        let age = |min: Option<u8>, max: Option<u8>| {
            codes(&age_limits(&Posting { min_age: min, max_age: max, ..posting() }))
        };
        assert_eq!(age(Some(19), None), ["age.limit-needs-reason"]);
        assert_eq!(age(Some(18), Some(45)), ["age.limit-needs-reason"]);
        assert_eq!(age(Some(50), Some(40)), ["age.range-invalid", "age.limit-needs-reason"]);
        let f = age_limits(&Posting { min_age: Some(18), max_age: Some(45), ..posting() });
        assert!(f[0].message.contains("18至45岁"), "{}", f[0].message);
    }

    fn wage(
        unit: WageUnit,
        cents: i64,
        hours: f64,
        rules: &[MinimumWage],
        today: Ymd,
    ) -> Option<Finding> {
        minimum_wage(
            &Posting { wage_unit: unit, wage_cents: cents, daily_hours: hours, ..posting() },
            rules,
            today,
        )
    }

    #[test]
    fn hourly_wages_meet_the_hourly_minimum() {
        let rules = [wage_2022()];
        assert!(wage(WageUnit::Hour, 1_560, 8.0, &rules, TODAY).is_none(), "at the minimum");
        assert!(wage(WageUnit::Hour, 1_600, 8.0, &rules, TODAY).is_none(), "above");
        let below = wage(WageUnit::Hour, 1_559, 8.0, &rules, TODAY).unwrap();
        assert_eq!((below.code, below.severity), ("wage.below-minimum", Severity::Reject));
        assert!(
            below.message.contains("15.59元/小时")
                && below.message.contains("豫政〔2021〕33号 三类"),
            "{}",
            below.message
        );
    }

    #[test]
    fn day_wages_meet_hourly_minimum_times_hours() {
        let rules = [wage_2022()];
        assert!(wage(WageUnit::Day, 12_480, 8.0, &rules, TODAY).is_none(), "15.60 × 8 = 124.80");
        let below = wage(WageUnit::Day, 12_479, 8.0, &rules, TODAY).unwrap();
        assert!(below.message.contains("每小时15.60元×8小时=124.80元"), "{}", below.message);
        assert!(wage(WageUnit::Day, 11_700, 7.5, &rules, TODAY).is_none(), "15.60 × 7.5 = 117.00");
        assert!(wage(WageUnit::Day, 11_699, 7.5, &rules, TODAY).is_some());
    }

    #[test]
    fn monthly_wages_meet_the_monthly_minimum() {
        let rules = [wage_2022()];
        assert!(wage(WageUnit::Month, 160_000, 8.0, &rules, TODAY).is_none());
        assert!(wage(WageUnit::Month, 159_999, 8.0, &rules, TODAY).is_some());
    }

    #[test]
    fn the_rule_in_force_on_today_applies() {
        let later = MinimumWage {
            effective: Ymd::new(2026, 7, 1),
            monthly_cents: 180_000,
            hourly_cents: 1_760,
            note: "假设调整".into(),
        };
        let rules = [wage_2022(), later];
        assert!(wage(WageUnit::Hour, 1_600, 8.0, &rules, Ymd::new(2026, 6, 30)).is_none());
        let f = wage(WageUnit::Hour, 1_600, 8.0, &rules, Ymd::new(2026, 7, 1)).unwrap();
        assert!(f.message.contains("17.60元") && f.message.contains("假设调整"), "{}", f.message);
    }

    #[test]
    fn without_a_rule_in_force_the_wage_is_held() {
        let f = wage(WageUnit::Day, 50_000, 8.0, &[wage_2022()], Ymd::new(2021, 12, 31)).unwrap();
        assert_eq!((f.code, f.severity), ("wage.no-minimum", Severity::Hold));
        assert_eq!(wage(WageUnit::Day, 50_000, 8.0, &[], TODAY).unwrap().code, "wage.no-minimum");
    }

    #[test]
    fn piece_rates_are_only_noted() {
        let f = wage(WageUnit::Piece, 1, 8.0, &[], TODAY).unwrap();
        assert_eq!((f.code, f.severity), ("wage.piece-rate", Severity::Info));
    }

    #[test]
    fn fees_are_rejected_by_flag_or_wording() {
        let flag = fee_charging(&Posting { charges_worker_fee: true, ..posting() }, "", &[]);
        assert_eq!(codes(&flag), ["fee.charges-worker"]);
        for text in [
            "入职先交押金200元",
            "需交报名费",
            "收取服装费50元",
            "培训费300",
            "保证金可退",
            "押金:500元",
        ] {
            assert_eq!(codes(&fee_charging(&posting(), text, &[])), ["fee.wording"], "{text}");
        }
    }

    #[test]
    fn fees_that_are_denied_or_waived_pass() {
        for text in [
            "不收取任何押金",
            "无押金",
            "免押金",
            "培训费由公司承担",
            "押金:无",
            "服装费全免",
            "提供免费培训",
            "押金0元",
            "先交身份证复印件",
        ] {
            assert!(fee_charging(&posting(), text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn config_can_add_fee_and_bait_words() {
        assert_eq!(
            codes(&fee_charging(&posting(), "需交茶水费", &["茶水费".into()])),
            ["fee.wording"]
        );
        let c = ReviewConfig { extra_fake_words: vec!["包过".into()], ..config() };
        assert_eq!(codes(&fake_recruitment(&posting(), "考证包过", &c)), ["fake.wording"]);
    }

    #[test]
    fn a_wage_far_above_the_typical_day_wage_is_held() {
        let day = |cents: i64, unit: WageUnit| {
            codes(&fake_recruitment(
                &Posting { wage_cents: cents, wage_unit: unit, ..posting() },
                "",
                &config(),
            ))
        };
        assert!(day(60_000, WageUnit::Day).is_empty(), "exactly 3 × 200 yuan");
        assert_eq!(day(60_001, WageUnit::Day), ["fake.wage-too-high"]);
        assert_eq!(day(8_000, WageUnit::Hour), ["fake.wage-too-high"], "80 yuan × 8 hours = 640");
        assert_eq!(day(1_500_000, WageUnit::Month), ["fake.wage-too-high"]);
        assert!(day(1_000_000, WageUnit::Piece).is_empty(), "piece rates cannot be compared");
        let c = ReviewConfig {
            typical_day_wage_cents: 30_000,
            suspicious_wage_multiple: 2.0,
            ..config()
        };
        assert!(fake_recruitment(&Posting { wage_cents: 60_000, ..posting() }, "", &c).is_empty());
    }

    #[test]
    fn bulk_posting_employers_are_held() {
        let vol = |n: u32| {
            codes(&fake_recruitment(
                &Posting { employer_recent_postings: n, ..posting() },
                "",
                &config(),
            ))
        };
        assert!(vol(30).is_empty());
        assert_eq!(vol(31), ["fake.employer-volume"]);
    }

    #[test]
    fn bait_wording_is_held() {
        for text in ["轻松日入500", "高薪,无需经验", "在家兼职刷单"] {
            let f = fake_recruitment(&posting(), text, &config());
            assert_eq!(codes(&f), ["fake.wording"], "{text}");
            assert_eq!(f[0].severity, Severity::Hold);
        }
        assert!(fake_recruitment(&posting(), "高薪诚聘熟练工", &config()).is_empty());
        assert!(fake_recruitment(&posting(), "公司垫付路费", &config()).is_empty());
    }

    #[test]
    fn config_is_read_leniently() {
        let (c, warnings) = ReviewConfig::from_json(
            r#"{"minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560, "note": "三类"},
                {"effective": "2026-02-30x", "monthly_cents": 1, "hourly_cents": 1}, {"effective": "2027-01-01", "monthly_cents": 0, "hourly_cents": 1}],
                "typical_day_wage_cents": 25000, "suspicious_wage_multiple": -1, "max_recent_postings": "many", "extra_fee_words": ["茶水费", 3]}"#,
        );
        assert_eq!(c.minimum_wage.len(), 1);
        assert_eq!(c.minimum_wage[0].hourly_cents, 1560);
        assert_eq!(c.typical_day_wage_cents, 25_000);
        assert_eq!(c.suspicious_wage_multiple, 3.0);
        assert_eq!(c.max_recent_postings, 30);
        assert_eq!(c.extra_fee_words, ["茶水费"]);
        assert_eq!(warnings.len(), 5, "{warnings:?}");
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        for text in ["not json", "[1,2]", "", "{}"] {
            assert_eq!(ReviewConfig::from_json(text).0, ReviewConfig::default(), "{text}");
        }
        assert!(ReviewConfig::from_json("{}").1.is_empty());
    }

    #[test]
    fn wildcards_stay_within_a_clause() {
        assert_eq!(scan(&normalise("限男性,籍贯不限"), ["限*籍"], &DISCRIMINATION_CONTEXT), None);
        assert_eq!(scan(&normalise("限河南"), ["限*籍"], &DISCRIMINATION_CONTEXT), None);
        assert_eq!(
            scan(&normalise("限开封市籍"), ["限*籍"], &DISCRIMINATION_CONTEXT).as_deref(),
            Some("限开封市籍")
        );
    }

    #[test]
    fn yuan_shows_two_decimals() {
        assert_eq!(yuan(12_480), "124.80元");
        assert_eq!(yuan(5), "0.05元");
        assert_eq!(yuan(-150), "-1.50元");
    }

    #[test]
    fn findings_become_the_slot_s_verdict() {
        let held = to_verdict(vec![Finding::new("x.hold", Severity::Hold, "人工核实")]);
        assert_eq!(held.decision, Decision::Hold);
        assert_eq!(
            (held.reasons[0].code.as_str(), held.reasons[0].message.as_str()),
            ("x.hold", "人工核实")
        );
        let accepted = to_verdict(Vec::new());
        assert_eq!(
            (accepted.decision, accepted.reasons[0].code.as_str()),
            (Decision::Accept, "review.ok")
        );
    }
}
