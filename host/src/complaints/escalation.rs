//! Overdue cases move up the tree: a station's to its county, a county's to the city, each time
//! with the new market's time limit. At the city (no parent) an overdue case is flagged instead.
//!
//! The sweep runs in every host process ([`crate::housekeeping`]); the conditional writes in
//! [`Store::escalate_complaint`] make sure a case moves once even when several hosts sweep at
//! the same moment.

use chrono::{DateTime, Utc};

use super::{Kind, SYSTEM, case_rule, event, local_time};
use crate::error::ApiError;
use crate::rules::Rules;
use crate::store::audit::AuditEvent;
use crate::store::complaints::{ComplaintRow, Escalation};
use crate::store::{Store, stamp};
use crate::tenants::Tenant;

/// Escalate (or, at the top of the tree, flag) every open case that is overdue at `now`.
/// Returns how many cases changed. A case that cannot move (e.g. the parent's catalog has no
/// rule) stays where it is and is retried next time; the others still move, and the error
/// names every case that failed.
pub async fn escalate_overdue(
    store: &Store,
    rules: &Rules,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let cases = store.overdue_complaints_all_tenants(&stamp(now)).await?;
    let mut changed = 0;
    let mut failed = Vec::new();
    for case in &cases {
        match escalate_one(store, rules, case, now).await {
            Ok(applied) => changed += usize::from(applied),
            Err(e) => failed.push(format!("{}: {e}", case.id)),
        }
    }
    if !failed.is_empty() {
        anyhow::bail!(
            "{changed} overdue complaint(s) escalated, {} failed: {}",
            failed.len(),
            failed.join("; ")
        );
    }
    Ok(changed)
}

async fn tenant(store: &Store, code: &str) -> Result<Tenant, ApiError> {
    store
        .get_tenant(code)
        .await?
        .ok_or_else(|| ApiError::internal(format!("complaint handled by unknown tenant {code}")))
}

/// Move one case to its handling market's parent, or flag it if there is none.
async fn escalate_one(
    store: &Store,
    rules: &Rules,
    case: &ComplaintRow,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let current = tenant(store, &case.handling_tenant).await?;
    let Some(parent_code) = &current.parent else {
        return flag_overdue(store, case, &current, now).await;
    };
    let parent = tenant(store, parent_code).await?;
    let kind = Kind::parse(&case.kind)
        .ok_or_else(|| ApiError::internal(format!("stored kind {}", case.kind)))?;
    let rule = case_rule(rules, &parent, kind, now).await?;
    let hours = i64::from(rule.time_limit_hours);
    let due_at = stamp(now + chrono::Duration::hours(hours));
    let note = format!(
        "逾期未办结,由{}升级至{}办理;办结时限{hours}小时,将于{}前办结",
        current.name,
        parent.name,
        local_time(&due_at)
    );
    let ev = event(&case.id, "escalated", SYSTEM, &parent.code, Some(note), &stamp(now));
    let escalation = Escalation {
        id: &case.id,
        from_tenant: &current.code,
        seen_due_at: &case.due_at,
        to_tenant: &parent.code,
        time_limit_hours: hours,
        due_at: &due_at,
        event: &ev,
    };
    let detail = serde_json::json!({"from": current.code, "to": parent.code, "level": case.escalation_level + 1, "time_limit_hours": hours, "due_at": due_at, "was_due_at": case.due_at});
    let audit = AuditEvent {
        actor: SYSTEM,
        tenant_code: Some(&parent.code),
        action: "complaint.escalate",
        target: Some(&case.id),
        detail,
    };
    Ok(store.escalate_complaint(&escalation, &audit).await?)
}

/// At the top of the tree there is nobody to escalate to: the case is flagged overdue, once.
async fn flag_overdue(
    store: &Store,
    case: &ComplaintRow,
    top: &Tenant,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let note = format!("已超过办结时限({}),由{}督办", local_time(&case.due_at), top.name);
    let ev = event(&case.id, "overdue", SYSTEM, &top.code, Some(note), &stamp(now));
    let detail = serde_json::json!({"due_at": case.due_at, "level": case.escalation_level});
    let audit = AuditEvent {
        actor: SYSTEM,
        tenant_code: Some(&top.code),
        action: "complaint.overdue",
        target: Some(&case.id),
        detail,
    };
    Ok(store.flag_complaint_overdue(&top.code, &case.id, &ev, &audit).await?)
}
