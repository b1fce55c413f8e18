//! Rights protection (劳动维权, plan §9): complaints by workers and employers, handled by a
//! market's staff within a time limit (限时办结), escalated up the tree when overdue, with the
//! one-time notice (一次性告知) of what to bring.
//!
//! - The time limit and the materials come from the handling market's `service-catalog` plugin
//!   (its `case-rules`), never from the host: a market without a rule refuses the case rather
//!   than inventing a limit.
//! - Statuses: `submitted` → `accepted` → `in_progress` → `resolved` | `rejected`; a submitted
//!   case may be resolved or rejected at once. `resolved` and `rejected` are final. Escalation
//!   and the overdue flag are events of the history, not statuses.
//! - Overdue open cases move to the parent market (station → county → city) with the parent's
//!   time limit ([`escalate_overdue`]); at the city they are flagged overdue instead.

mod escalation;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use escalation::escalate_overdue;

use crate::accounts::AccountKind;
use crate::catalog::{self, CaseRule};
use crate::error::ApiError;
use crate::rules::Rules;
use crate::store::audit::AuditEvent;
use crate::store::complaints::{ComplaintRow, EventRow, StatusChange};
use crate::store::{Store, stamp};
use crate::tenants::{Tenant, TenantStatus};

/// What a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Unpaid wages (欠薪).
    WageArrears,
    /// Discrimination in hiring or at work (就业歧视).
    Discrimination,
    /// A fake or misleading job post (虚假招聘).
    FakeRecruitment,
    /// Fees charged for jobs or placement against the rules (违规收费).
    FeeCharging,
    /// Unsafe work (安全生产).
    Safety,
    /// Anything else (其他); its time limit is also the fallback for kinds without their own rule.
    Other,
}

impl Kind {
    /// Every kind, in the order of the enum.
    pub const ALL: [Kind; 6] = [
        Kind::WageArrears,
        Kind::Discrimination,
        Kind::FakeRecruitment,
        Kind::FeeCharging,
        Kind::Safety,
        Kind::Other,
    ];

    /// As the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::WageArrears => "wage_arrears",
            Kind::Discrimination => "discrimination",
            Kind::FakeRecruitment => "fake_recruitment",
            Kind::FeeCharging => "fee_charging",
            Kind::Safety => "safety",
            Kind::Other => "other",
        }
    }

    /// As the service-catalog plugin's `case-kind` spells it (WIT is kebab-case).
    pub fn rule_kind(self) -> String {
        self.as_str().replace('_', "-")
    }

    /// The kind's Chinese name, for notices and messages (e.g. 欠薪).
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::WageArrears => "欠薪",
            Kind::Discrimination => "就业歧视",
            Kind::FakeRecruitment => "虚假招聘",
            Kind::FeeCharging => "违规收费",
            Kind::Safety => "安全生产",
            Kind::Other => "其他",
        }
    }

    /// The kind spelt `s` (as [`Kind::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Filed, not yet taken up (已提交); the first status of every case.
    Submitted,
    /// Taken up by the handling market (已受理).
    Accepted,
    /// Being worked on (办理中).
    InProgress,
    /// Closed with an outcome (已办结); final.
    Resolved,
    /// Turned away with a reason (不予受理); final.
    Rejected,
}

impl Status {
    /// Every status, in the order of the enum.
    pub const ALL: [Status; 5] = [
        Status::Submitted,
        Status::Accepted,
        Status::InProgress,
        Status::Resolved,
        Status::Rejected,
    ];

    /// As the API and the database spell it (`submitted`, `in_progress`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Rejected => "rejected",
        }
    }

    /// The status's Chinese name, for messages (e.g. 办理中).
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Submitted => "已提交",
            Status::Accepted => "已受理",
            Status::InProgress => "办理中",
            Status::Resolved => "已办结",
            Status::Rejected => "不予受理",
        }
    }

    /// The status spelt `s` (as [`Status::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Resolved and rejected cases are closed for good.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Resolved | Status::Rejected)
    }

    /// The state machine: which status may follow this one.
    pub fn may_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Submitted, Accepted | Resolved | Rejected)
                | (Accepted, InProgress)
                | (InProgress, Resolved | Rejected)
        )
    }
}

/// Who files with which market, about what.
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    /// The account filing (a worker or an employer; staff may not file).
    pub complainant: &'a str,
    /// The complainant's account kind, which decides whether they may file at all.
    pub complainant_kind: AccountKind,
    /// The market the case is filed with, which handles it first.
    pub tenant: &'a Tenant,
    /// The kind as the complainant sent it (checked by [`parse_kind`]).
    pub kind: &'a str,
    /// The complainant's account of what happened (checked by [`check_description`]).
    pub description: &'a str,
    /// The engagement the complaint is about, if any; the complainant must be one of its parties,
    /// and the other party becomes the respondent.
    pub engagement_id: Option<&'a str>,
}

/// A staff member's step in handling a case, in the market `tenant`.
#[derive(Debug, Clone, Copy)]
pub struct Handling<'a> {
    /// Who acts: the staff member's account id (or `admin-token`).
    pub actor: &'a str,
    /// The market the staff member acts for; it must be the one handling the case now.
    pub tenant: &'a str,
    /// The case's id.
    pub id: &'a str,
    /// The status to move to, as sent (checked by [`parse_target`]).
    pub status: &'a str,
    /// What was done (办理记录), as sent; required (checked by [`check_note`]).
    pub note: Option<&'a str>,
    /// The result, as sent: required to resolve or reject, refused otherwise ([`check_outcome`]).
    pub outcome: Option<&'a str>,
}

/// The one-time notice (一次性告知): everything the complainant must bring, told once and in
/// full, and by when the case will be handled.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notice {
    /// Everything the complainant must bring, in order.
    pub required_materials: Vec<String>,
    /// How long the handling market has to handle the case, in hours (限时办结).
    pub time_limit_hours: i64,
    /// When the case is due (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub due_at: String,
    /// The notice as shown to the complainant, in Chinese.
    pub text: String,
}

/// The actor of the system's own events (escalation, overdue flags).
pub const SYSTEM: &str = "system";

/// How long a description may be, in characters, after trimming.
pub const DESCRIPTION_CHARS: std::ops::RangeInclusive<usize> = 5..=2000;
/// The most characters a staff note may have.
pub const NOTE_CHARS: usize = 1000;
/// The most characters an outcome may have.
pub const OUTCOME_CHARS: usize = 2000;

fn invalid(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

fn conflict(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, zh, en).with_field("status")
}

/// The kind spelt `raw`, or `invalid_kind` (400, field `kind`) naming the allowed kinds.
pub fn parse_kind(raw: &str) -> Result<Kind, ApiError> {
    Kind::parse(raw).ok_or_else(|| {
        invalid(
            "invalid_kind",
            "kind",
            "投诉类型无效,应为 wage_arrears(欠薪)、discrimination(就业歧视)、fake_recruitment(虚假招聘)、fee_charging(违规收费)、safety(安全生产)或 other(其他)",
            "kind must be wage_arrears, discrimination, fake_recruitment, fee_charging, safety or other",
        )
    })
}

/// The trimmed description, 5 to 2000 characters.
pub fn check_description(raw: &str) -> Result<String, ApiError> {
    let text = raw.trim();
    if !DESCRIPTION_CHARS.contains(&text.chars().count()) {
        return Err(invalid(
            "invalid_description",
            "description",
            "投诉描述应为5至2000字,请写明时间、地点、经过和诉求",
            "description must be 5 to 2000 characters",
        ));
    }
    Ok(text.to_string())
}

/// The status staff may set: any but `submitted` (escalation is the system's).
pub fn parse_target(raw: &str) -> Result<Status, ApiError> {
    Status::parse(raw).filter(|s| *s != Status::Submitted).ok_or_else(|| {
        invalid(
            "invalid_status",
            "status",
            "状态无效,应为 accepted、in_progress、resolved 或 rejected",
            "status must be accepted, in_progress, resolved or rejected",
        )
    })
}

/// The staff's note (办理记录): required, so the history says what was done.
pub fn check_note(raw: Option<&str>) -> Result<String, ApiError> {
    let text = raw.map(str::trim).unwrap_or_default();
    if text.is_empty() || text.chars().count() > NOTE_CHARS {
        return Err(invalid(
            "invalid_note",
            "note",
            "请填写1至1000字的办理说明",
            "note must be 1 to 1000 characters",
        ));
    }
    Ok(text.to_string())
}

/// The outcome: required to close a case, refused otherwise.
pub fn check_outcome(to: Status, raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty());
    match (to.is_final(), text) {
        (true, None) => Err(invalid(
            "outcome_required",
            "outcome",
            "办结或不予受理时须填写处理结果",
            "an outcome is required to resolve or reject a case",
        )),
        (false, Some(_)) => Err(invalid(
            "outcome_not_allowed",
            "outcome",
            "仅在办结或不予受理时填写处理结果",
            "an outcome is given only when resolving or rejecting",
        )),
        (_, Some(t)) if t.chars().count() > OUTCOME_CHARS => Err(invalid(
            "invalid_outcome",
            "outcome",
            "处理结果不超过2000字",
            "outcome must be at most 2000 characters",
        )),
        (_, t) => Ok(t.map(str::to_string)),
    }
}

/// Whether `to` may follow `from`: 409 for a closed case or a step the state machine forbids.
pub fn check_transition(from: Status, to: Status) -> Result<(), ApiError> {
    if from.is_final() {
        let zh = format!("本案已{},不能再变更", from.name_zh());
        return Err(conflict(
            "complaint_closed",
            &zh,
            &format!("the case is already {}; it cannot change any more", from.as_str()),
        ));
    }
    if !from.may_become(to) {
        let zh = format!("不能从“{}”变为“{}”", from.name_zh(), to.name_zh());
        return Err(conflict(
            "invalid_transition",
            &zh,
            &format!("a case cannot go from {} to {}", from.as_str(), to.as_str()),
        ));
    }
    Ok(())
}

/// The other party of an engagement, if `me` is one of the two.
pub fn other_party(me: &str, worker: &str, employer: &str) -> Option<String> {
    match me {
        m if m == worker => Some(employer.to_string()),
        m if m == employer => Some(worker.to_string()),
        _ => None,
    }
}

/// The rule for `kind` in a catalog: its own, else the `other` rule.
pub fn pick_rule(rules: Vec<CaseRule>, kind: Kind) -> Option<CaseRule> {
    let own = kind.rule_kind();
    let (mut exact, mut other) = (None, None);
    for r in rules {
        if r.case_kind == own {
            exact = Some(r);
        } else if r.case_kind == "other" {
            other = Some(r);
        }
    }
    exact.or(other)
}

/// The case rule the market's service-catalog plugin gives for `kind` at `at`. A market whose
/// catalog has no rule (not even `other`), or no catalog at all, cannot take the case.
pub async fn case_rule(
    rules: &Rules,
    tenant: &Tenant,
    kind: Kind,
    at: DateTime<Utc>,
) -> Result<CaseRule, ApiError> {
    let no_rule = || {
        let zh =
            format!("{}的服务目录没有“{}”投诉的办理时限,暂不能受理", tenant.name, kind.name_zh());
        let en = format!(
            "the service catalog of `{}` gives no time limit for `{}` cases",
            tenant.code,
            kind.as_str()
        );
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_case_rule", &zh, &en).with_field("kind")
    };
    let catalog = catalog::of(rules, tenant, at).await?.ok_or_else(no_rule)?;
    pick_rule(catalog.case_rules, kind).ok_or_else(no_rule)
}

/// A new history entry at `at` (a stored time).
pub fn event(
    complaint_id: &str,
    status: &str,
    actor: &str,
    tenant: &str,
    note: Option<String>,
    at: &str,
) -> EventRow {
    EventRow {
        id: uuid::Uuid::now_v7().to_string(),
        complaint_id: complaint_id.to_string(),
        status: status.to_string(),
        actor: actor.to_string(),
        tenant_code: tenant.to_string(),
        note,
        at: at.to_string(),
    }
}

/// A stored time as people in Kaifeng read it: `2026年3月7日 14:05`.
pub fn local_time(stored: &str) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t.with_timezone(&crate::clock::china()).format("%Y年%-m月%-d日 %H:%M").to_string(),
        Err(_) => stored.to_string(),
    }
}

/// The one-time notice of a case handled by the market named `market`.
pub fn notice(c: &ComplaintRow, market: &str) -> Result<Notice, ApiError> {
    let materials: Vec<String> =
        serde_json::from_str(&c.required_materials).map_err(ApiError::internal)?;
    let kind = Kind::parse(&c.kind).map_or("", Kind::name_zh);
    let list: Vec<String> =
        materials.iter().enumerate().map(|(i, m)| format!("{}. {m}", i + 1)).collect();
    let text = format!(
        "一次性告知:您的{kind}投诉由{market}办理,办结时限{}小时,将于{}前办结。请一次性备齐以下材料:{}。如有疑问请拨打12333人社服务热线。",
        c.time_limit_hours,
        local_time(&c.due_at),
        list.join(";")
    );
    Ok(Notice {
        required_materials: materials,
        time_limit_hours: c.time_limit_hours,
        due_at: c.due_at.clone(),
        text,
    })
}

/// File a complaint: check it, look up the market's rule for its kind and store it with the
/// one-time notice and its first event. Returns the case and that event.
pub async fn file(
    store: &Store,
    rules: &Rules,
    f: Filing<'_>,
) -> Result<(ComplaintRow, EventRow), ApiError> {
    if !f.complainant_kind.self_service() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "complainant_only",
            "只有零工和用工主体可以投诉",
            "only workers and employers file complaints",
        ));
    }
    let kind = parse_kind(f.kind)?;
    let description = check_description(f.description)?;
    if f.tenant.status != TenantStatus::Active {
        let zh = format!("{}目前不在运营中,请向其他市场投诉", f.tenant.name);
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "market_not_active",
            &zh,
            "this market is not active; file with another one",
        )
        .with_field("tenant"));
    }
    let respondent = respondent(store, f.complainant, f.engagement_id).await?;
    let filed = store.clock().now();
    let rule = case_rule(rules, f.tenant, kind, filed).await?;
    let hours = i64::from(rule.time_limit_hours);
    let at = stamp(filed);
    let row = ComplaintRow {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_code: f.tenant.code.clone(),
        handling_tenant: f.tenant.code.clone(),
        complainant_id: f.complainant.to_string(),
        engagement_id: f.engagement_id.map(str::to_string),
        respondent_id: respondent,
        kind: kind.as_str().to_string(),
        description,
        status: Status::Submitted.as_str().to_string(),
        outcome: None,
        required_materials: serde_json::to_string(&rule.required_materials)
            .map_err(ApiError::internal)?,
        time_limit_hours: hours,
        due_at: stamp(filed + chrono::Duration::hours(hours)),
        escalation_level: 0,
        overdue: 0,
        created_at: at.clone(),
        updated_at: at,
    };
    let first = event(&row.id, "submitted", f.complainant, &f.tenant.code, None, &row.created_at);
    store.insert_complaint(&row, &first).await?;
    Ok((row, first))
}

/// The respondent of a complaint about an engagement: the other party. The complainant must be
/// one of the two; to anyone else the engagement does not exist.
async fn respondent(
    store: &Store,
    complainant: &str,
    engagement: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(id) = engagement else { return Ok(None) };
    let parties = store.engagement_parties(id).await?;
    let other = parties
        .and_then(|(worker, employer, _tenant)| other_party(complainant, &worker, &employer));
    match other {
        Some(o) => Ok(Some(o)),
        None => Err(ApiError::not_found(
            "engagement_not_found",
            "没有找到您参与的这项用工",
            "no engagement of yours with this id",
        )
        .with_field("engagement_id")),
    }
}

/// The 404 for a case that does not exist or that the caller may not see (`complaint_not_found`).
pub fn not_found() -> ApiError {
    ApiError::not_found("complaint_not_found", "没有找到该投诉", "no such complaint")
        .with_field("id")
}

/// A staff member's step: checked against the state machine, applied with its event in one
/// transaction, and audited. Returns the case as it now is.
pub async fn handle(store: &Store, h: Handling<'_>) -> Result<ComplaintRow, ApiError> {
    let to = parse_target(h.status)?;
    let case = store.complaint_in_tenant(h.tenant, h.id).await?.ok_or_else(not_found)?;
    if case.handling_tenant != h.tenant {
        let en = format!("the case is now handled by `{}`", case.handling_tenant);
        return Err(conflict("not_handling", "本案已升级至上级市场办理,请由上级市场处理", &en));
    }
    let from = Status::parse(&case.status)
        .ok_or_else(|| ApiError::internal(format!("stored status {}", case.status)))?;
    check_transition(from, to)?;
    let note = check_note(h.note)?;
    let outcome = check_outcome(to, h.outcome)?;
    let ev = event(h.id, to.as_str(), h.actor, h.tenant, Some(note.clone()), &store.now());
    let change = StatusChange {
        id: h.id,
        handling_tenant: h.tenant,
        from: from.as_str(),
        to: to.as_str(),
        outcome: outcome.as_deref(),
        event: &ev,
    };
    let detail = serde_json::json!({"from": from.as_str(), "to": to.as_str(), "note": note, "outcome": outcome});
    let audit = AuditEvent {
        actor: h.actor,
        tenant_code: Some(h.tenant),
        action: "complaint.status",
        target: Some(h.id),
        detail,
    };
    if !store.change_complaint_status(&change, &audit).await? {
        return Err(conflict(
            "concurrent_change",
            "本案刚被他人处理或已升级,请刷新后重试",
            "the case changed meanwhile; reload and retry",
        ));
    }
    store.complaint_in_tenant(h.tenant, h.id).await?.ok_or_else(not_found)
}

/// Whether a case is overdue at `now`: flagged, or still open past its due time.
pub fn is_overdue(c: &ComplaintRow, now: &str) -> bool {
    c.overdue == 1
        || (Status::parse(&c.status).is_some_and(|s| !s.is_final()) && c.due_at.as_str() < now)
}

/// Cases as a market's staff work through them: overdue ones first, then by due time (the
/// soonest first); each with whether it is overdue at `now`.
pub fn by_deadline(cases: Vec<ComplaintRow>, now: &str) -> Vec<(ComplaintRow, bool)> {
    let mut cases: Vec<(ComplaintRow, bool)> = cases
        .into_iter()
        .map(|c| {
            let late = is_overdue(&c, now);
            (c, late)
        })
        .collect();
    cases.sort_by(|(a, a_late), (b, b_late)| {
        b_late.cmp(a_late).then_with(|| a.due_at.cmp(&b.due_at)).then_with(|| a.id.cmp(&b.id))
    });
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: &str, hours: u32) -> CaseRule {
        CaseRule {
            case_kind: kind.into(),
            time_limit_hours: hours,
            required_materials: vec!["身份证件".into()],
        }
    }

    #[test]
    fn the_state_machine_allows_only_the_documented_steps() {
        use Status::*;
        let allowed: Vec<(Status, Status)> = Status::ALL
            .iter()
            .flat_map(|a| Status::ALL.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a.may_become(*b))
            .collect();
        assert_eq!(
            allowed,
            [
                (Submitted, Accepted),
                (Submitted, Resolved),
                (Submitted, Rejected),
                (Accepted, InProgress),
                (InProgress, Resolved),
                (InProgress, Rejected)
            ]
        );
        assert_eq!(check_transition(Resolved, Accepted).unwrap_err().code, "complaint_closed");
        assert_eq!(check_transition(Submitted, InProgress).unwrap_err().code, "invalid_transition");
        assert_eq!(check_transition(Accepted, Accepted).unwrap_err().status, StatusCode::CONFLICT);
    }

    #[test]
    fn kinds_map_to_the_plugins_kebab_case() {
        assert_eq!(Kind::FakeRecruitment.rule_kind(), "fake-recruitment");
        assert_eq!(Kind::ALL.map(|k| Kind::parse(k.as_str())), Kind::ALL.map(Some));
        assert_eq!(parse_kind("wage-arrears").unwrap_err().field.as_deref(), Some("kind"));
    }

    #[test]
    fn a_kind_without_its_own_rule_takes_the_other_rule() {
        assert_eq!(
            pick_rule(vec![rule("other", 120), rule("safety", 24)], Kind::Safety)
                .unwrap()
                .time_limit_hours,
            24
        );
        assert_eq!(
            pick_rule(vec![rule("safety", 24), rule("other", 120)], Kind::WageArrears)
                .unwrap()
                .time_limit_hours,
            120
        );
        assert!(pick_rule(vec![rule("safety", 24)], Kind::WageArrears).is_none());
    }

    #[test]
    fn descriptions_notes_and_outcomes_are_bounded() {
        assert_eq!(check_description("  老板拖欠三天工资  ").unwrap(), "老板拖欠三天工资");
        assert_eq!(check_description("欠薪").unwrap_err().field.as_deref(), Some("description"));
        assert!(
            check_description(&"字".repeat(2001)).is_err()
                && check_description(&"字".repeat(2000)).is_ok()
        );
        assert_eq!(check_note(Some("  ")).unwrap_err().field.as_deref(), Some("note"));
        assert_eq!(check_outcome(Status::Resolved, None).unwrap_err().code, "outcome_required");
        assert_eq!(
            check_outcome(Status::Accepted, Some("补发")).unwrap_err().code,
            "outcome_not_allowed"
        );
        assert_eq!(
            check_outcome(Status::Rejected, Some(" 不属于受理范围 ")).unwrap().as_deref(),
            Some("不属于受理范围")
        );
        assert_eq!(parse_target("escalated").unwrap_err().field.as_deref(), Some("status"));
        assert!(parse_target("submitted").is_err());
    }

    #[test]
    fn only_a_party_has_a_respondent() {
        assert_eq!(other_party("w", "w", "e").as_deref(), Some("e"));
        assert_eq!(other_party("e", "w", "e").as_deref(), Some("w"));
        assert_eq!(other_party("x", "w", "e"), None);
    }

    #[test]
    fn overdue_cases_come_first_then_the_soonest_due() {
        let case = |id: &str, status: &str, due: &str| ComplaintRow {
            id: id.into(),
            tenant_code: "lankao".into(),
            handling_tenant: "lankao".into(),
            complainant_id: "w".into(),
            engagement_id: None,
            respondent_id: None,
            kind: "other".into(),
            description: "说明".into(),
            status: status.into(),
            outcome: None,
            required_materials: "[]".into(),
            time_limit_hours: 24,
            due_at: due.into(),
            escalation_level: 0,
            overdue: 0,
            created_at: "2026-03-01T00:00:00.000000Z".into(),
            updated_at: "2026-03-01T00:00:00.000000Z".into(),
        };
        let now = "2026-03-05T00:00:00.000000Z";
        let cases = vec![
            case("later", "accepted", "2026-03-09T00:00:00.000000Z"),
            case("closed", "resolved", "2026-03-02T00:00:00.000000Z"),
            case("late", "submitted", "2026-03-04T00:00:00.000000Z"),
            case("sooner", "submitted", "2026-03-06T00:00:00.000000Z"),
        ];
        let order: Vec<(String, bool)> =
            by_deadline(cases, now).into_iter().map(|(c, late)| (c.id, late)).collect();
        assert_eq!(
            order,
            [
                ("late".to_string(), true),
                ("closed".to_string(), false),
                ("sooner".to_string(), false),
                ("later".to_string(), false)
            ]
        );
    }

    #[test]
    fn due_times_read_in_china_time() {
        assert_eq!(local_time("2026-03-07T06:05:00.000000Z"), "2026年3月7日 14:05");
    }
}
