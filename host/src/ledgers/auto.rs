//! Automatic rows: derived from the market's own records (posts, registrations, verified
//! profiles, check-ins, engagements and their events), never written by those areas. Personal
//! data is masked here, before a row exists.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::Kind;
use crate::error::ApiError;
use crate::identity::pii::mask_name;
use crate::store::{Store, stamp};

/// A record of the market that belongs in a ledger, on the China day it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The day the record happened (China date of `at`).
    pub day: NaiveDate,
    /// What it is: `job:<id>`, `account:<id>`, `profile:<id>`, `check-in:<day>:<account>`,
    /// `engagement:<id>` (its creation) or `engagement:<id>:<status>` (a later step).
    pub source_ref: String,
    /// When it happened (UTC text timestamp): the row's 经办时间.
    pub at: String,
    /// The ledger's columns, personal data masked.
    pub fields: BTreeMap<String, Value>,
}

/// The first moment of a China day, UTC, as stored.
pub fn day_start(day: NaiveDate) -> String {
    let start = day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::clock::china()).single())
        .map(|t| t.with_timezone(&Utc));
    stamp(start.unwrap_or_default())
}

fn day_of(stored: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| crate::clock::china_date(t.with_timezone(&Utc)))
}

fn masked(name: Option<&str>) -> Value {
    Value::from(name.map_or_else(|| "(未实名)".to_string(), mask_name))
}

/// The occupations a worker's profile names, in words.
fn occupations(details: Option<&str>) -> Value {
    let codes: Vec<String> = details
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
        .and_then(|d| d.get("occupations").cloned())
        .and_then(|o| serde_json::from_value::<Vec<String>>(o).ok())
        .unwrap_or_default();
    let names: Vec<&str> = codes
        .iter()
        .map(|c| crate::jobs::occupations::find(c).map_or(c.as_str(), |o| o.name))
        .collect();
    Value::from(names.join("、"))
}

fn status_zh(status: &str) -> &'static str {
    match status {
        "held" => "待审核",
        "open" => "招聘中",
        "rejected" => "未通过审核",
        "closed" => "已关闭",
        "expired" => "已过期",
        _ => "",
    }
}

/// An engagement's step as the matching ledger names it.
fn step_zh(from: Option<&str>, to: &str, origin: &str) -> &'static str {
    match (from, to) {
        (None, _) => match origin {
            "offer" => "邀约",
            "batch" => "批量配岗",
            _ => "报名",
        },
        // A step that leaves the status as it was: the first of the two signatures.
        (Some(from), to) if from == to => "一方签字",
        (_, "offered") => "邀约",
        (_, "accepted") => "接受录用",
        (_, "signed") => "签约",
        (_, "checked_in") => "到岗",
        (_, "checked_out") => "完工",
        (_, "paid") => "结算",
        (_, "confirmed") => "确认收款",
        (_, "disputed") => "争议",
        (_, "withdrawn") => "撤回",
        (_, "declined") => "婉拒邀约",
        (_, "turned_down") => "未录用",
        (_, "no_show") => "未到岗",
        _ => "其他",
    }
}

/// A skill service as the labour-supply ledger names it: one-to-one vocational guidance, or a
/// training completed (with the certificate level earned, if any).
fn skill_event(kind: &str, cert_level: Option<i64>) -> String {
    let what = match kind {
        "guidance" => return "职业指导".to_string(),
        "entrepreneurship" => "创业培训结业",
        "safety" => "安全培训结业",
        _ => "技能培训结业",
    };
    match cert_level.and_then(|l| crate::accounts::profiles::SKILL_LEVELS.get(l as usize)) {
        Some(level) => format!("{what}(取得{level}证书)"),
        None => what.to_string(),
    }
}

fn fields(pairs: Vec<(&str, Value)>) -> BTreeMap<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The records of `tenant` for `kind` that happened on China days `from`..=`to`, oldest first.
pub async fn sources(
    store: &Store,
    tenant: &str,
    kind: Kind,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Source>, ApiError> {
    let (start, end) = (day_start(from), day_start(to + chrono::Duration::days(1)));
    let mut out = Vec::new();
    let mut push = |at: &str, source_ref: String, fields: BTreeMap<String, Value>| {
        if let Some(day) = day_of(at) {
            out.push(Source { day, source_ref, at: at.to_string(), fields });
        }
    };
    match kind {
        Kind::PolicyOutreach | Kind::EmployerLiaison => {}
        Kind::EmployerDemand => {
            for j in store.ledger_job_sources(tenant, &start, &end).await? {
                let occupation = crate::jobs::occupations::find(&j.occupation_code)
                    .map_or(j.occupation_code.clone(), |o| o.name.to_string());
                let f = fields(vec![
                    ("unit", Value::from(j.employer_name.clone().unwrap_or_default())),
                    ("uscc", Value::from(j.uscc.clone().unwrap_or_default())),
                    ("channel", Value::from("平台发布")),
                    ("post", Value::from(j.title.clone())),
                    ("occupation", Value::from(occupation)),
                    ("headcount", Value::from(j.headcount)),
                    ("wage", Value::from(crate::web::fmt::wage(j.wage_cents, &j.wage_unit))),
                    ("contact", Value::from(mask_name(&j.contact_name))),
                    ("status", Value::from(status_zh(&j.status))),
                ]);
                push(&j.created_at, format!("job:{}", j.id), f);
            }
        }
        Kind::LabourSupply => {
            let person = |p: &crate::store::ledgers::PersonSource, event: &str| {
                fields(vec![
                    ("person", masked(p.name.as_deref())),
                    ("event", Value::from(event)),
                    ("occupation", occupations(p.details.as_deref())),
                ])
            };
            for p in store.ledger_registrations(tenant, &start, &end).await? {
                push(&p.at, format!("account:{}", p.account_id), person(&p, "注册"));
            }
            for p in store.ledger_verifications(tenant, &start, &end).await? {
                push(&p.at, format!("profile:{}", p.account_id), person(&p, "实名认证"));
            }
            for p in store.ledger_check_ins(tenant, &start, &end).await? {
                let day = day_of(&p.at).map(|d| d.to_string()).unwrap_or_default();
                push(&p.at, format!("check-in:{day}:{}", p.account_id), person(&p, "扫码登记"));
            }
            for s in store.ledger_skill_sources(tenant, &start, &end).await? {
                let occupation = crate::jobs::occupations::find(&s.occupation_code)
                    .map_or(s.occupation_code.clone(), |o| o.name.to_string());
                let f = fields(vec![
                    ("person", masked(s.name.as_deref())),
                    ("event", Value::from(skill_event(&s.kind, s.cert_level))),
                    ("occupation", Value::from(occupation)),
                ]);
                push(&s.at, format!("skill:{}", s.id), f);
            }
        }
        Kind::InstantMatching => {
            for m in store.ledger_match_sources(tenant, &start, &end).await? {
                // Statuses are never re-entered, so a change is named by the status it reached;
                // a step that keeps the status (a signature) may recur and is named by its event.
                let source_ref = match &m.from_status {
                    None => format!("engagement:{}", m.engagement_id),
                    Some(from) if *from == m.to_status => {
                        format!("engagement:{}:{}:{}", m.engagement_id, m.to_status, m.event_id)
                    }
                    Some(_) => format!("engagement:{}:{}", m.engagement_id, m.to_status),
                };
                let f = fields(vec![
                    ("person", masked(m.worker_name.as_deref())),
                    ("unit", Value::from(m.employer_name.clone().unwrap_or_default())),
                    ("post", Value::from(m.title.clone())),
                    (
                        "event",
                        Value::from(step_zh(m.from_status.as_deref(), &m.to_status, &m.origin)),
                    ),
                ]);
                push(&m.at, source_ref, f);
            }
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.source_ref.cmp(&b.source_ref)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_days_start_at_four_pm_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(day_start(d), "2026-12-03T16:00:00.000000Z");
        assert_eq!(day_of("2026-12-03T16:00:00.000000Z"), Some(d));
        assert_eq!(day_of("2026-12-03T15:59:59.999999Z"), d.pred_opt());
    }

    #[test]
    fn steps_and_occupations_read_in_chinese() {
        assert_eq!(step_zh(None, "applied", "application"), "报名");
        assert_eq!(step_zh(None, "offered", "batch"), "批量配岗");
        assert_eq!(step_zh(Some("applied"), "turned_down", "application"), "未录用");
        assert_eq!(step_zh(Some("offered"), "accepted", "application"), "接受录用");
        assert_eq!(step_zh(Some("accepted"), "accepted", "application"), "一方签字");
        assert_eq!(step_zh(Some("accepted"), "signed", "application"), "签约");
        assert_eq!(occupations(Some(r#"{"occupations":["4-02-05-01"]}"#)), "装卸搬运工");
        assert_eq!(masked(Some("张三")), "张*");
    }
}
