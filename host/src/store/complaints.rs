//! Stored rights protection cases and their status history (see `migrations/0010_complaints.sql`).
//!
//! A case's row and the event that explains its change are always written in one transaction,
//! and every change is conditional on the state the caller saw, so two staff members (or two
//! hosts sweeping for overdue cases) never both apply a change to the same state.

use sqlx::any::AnyRow;
use sqlx::{Acquire, Row};

use super::Store;
use super::audit::AuditEvent;

/// A stored case. `required_materials` is JSON text; `overdue` is 0 or 1. It serialises as the
/// stored part of a case's view (`api::complaints::ComplaintView` adds the notice, the computed
/// overdue flag and the history).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Complaint)]
pub struct ComplaintRow {
    /// The case's id (UUID v7).
    pub id: String,
    /// The market the case was filed with.
    #[serde(rename = "tenant")]
    pub tenant_code: String,
    /// The market that handles the case now (it moves up on escalation).
    pub handling_tenant: String,
    /// The account that filed the case.
    pub complainant_id: String,
    /// The engagement the case is about, if any (no foreign key: a case may outlive it).
    pub engagement_id: Option<String>,
    /// The other party of that engagement; `None` when the case names no engagement.
    pub respondent_id: Option<String>,
    /// `wage_arrears`, `discrimination`, `fake_recruitment`, `fee_charging`, `safety` or `other`.
    pub kind: String,
    /// The complainant's account of what happened (5 to 2000 characters).
    pub description: String,
    /// `submitted`, `accepted`, `in_progress`, `resolved` or `rejected`.
    pub status: String,
    /// The result; set exactly when the status is `resolved` or `rejected`.
    pub outcome: Option<String>,
    /// What the complainant must bring (一次性告知), as a JSON array of strings.
    #[serde(skip)]
    pub required_materials: String,
    /// The handling market's time limit in hours (from its service catalog; > 0).
    pub time_limit_hours: i64,
    /// When the case is due (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`); reset on escalation.
    pub due_at: String,
    /// How many times the case moved up the tree (0 when filed).
    pub escalation_level: i64,
    /// 1 once the case, overdue at the top of the tree, has been flagged; else 0.
    #[serde(skip)]
    pub overdue: i64,
    /// When the case was filed (UTC text timestamp).
    pub created_at: String,
    /// When the case last changed (UTC text timestamp).
    pub updated_at: String,
}

/// One entry of a case's history.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// The event's id (UUID v7).
    pub id: String,
    /// The case it belongs to.
    pub complaint_id: String,
    /// The case's new status, or `escalated` / `overdue`.
    pub status: String,
    /// Who acted: the complainant (the filing), a staff account id or `admin-token`, or `system`
    /// for escalations and overdue flags.
    pub actor: String,
    /// The market the event happened in (for an escalation, the market the case moved to).
    pub tenant_code: String,
    /// What was done or why (the staff's 办理记录, or the system's explanation); `None` for the
    /// filing.
    pub note: Option<String>,
    /// When it happened (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub at: String,
}

/// A staff member moving a case from one status to another in the market handling it.
#[derive(Debug, Clone, Copy)]
pub struct StatusChange<'a> {
    /// The case's id.
    pub id: &'a str,
    /// The market the staff member acts for; the change applies only if it still handles the case.
    pub handling_tenant: &'a str,
    /// The status the caller saw; the change applies only if the case is still in it.
    pub from: &'a str,
    /// The new status.
    pub to: &'a str,
    /// The result, given exactly when `to` is `resolved` or `rejected`.
    pub outcome: Option<&'a str>,
    /// The history entry stored with the change.
    pub event: &'a EventRow,
}

/// A case moving to the parent market with a new time limit.
#[derive(Debug, Clone, Copy)]
pub struct Escalation<'a> {
    /// The case's id.
    pub id: &'a str,
    /// The market handling the case now; the move applies only if it still does.
    pub from_tenant: &'a str,
    /// The due time the sweep saw; the move applies only if nobody moved the case meanwhile.
    pub seen_due_at: &'a str,
    /// The parent market that takes the case over.
    pub to_tenant: &'a str,
    /// The parent's time limit for the kind, in hours.
    pub time_limit_hours: i64,
    /// The new due time (UTC text timestamp).
    pub due_at: &'a str,
    /// The `escalated` history entry stored with the move.
    pub event: &'a EventRow,
}

macro_rules! complaint_columns {
    () => {
        "id, tenant_code, handling_tenant, complainant_id, engagement_id, respondent_id, kind, description, status, outcome, \
         required_materials, time_limit_hours, due_at, escalation_level, overdue, created_at, updated_at"
    };
}

/// Open statuses, as SQL.
macro_rules! open {
    () => {
        "status IN ('submitted', 'accepted', 'in_progress')"
    };
}

const INSERT_EVENT: &str = "INSERT INTO complaint_events (id, complaint_id, status, actor, tenant_code, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// How a list of a market's cases is filtered by overdue-ness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverdueFilter {
    /// Every case, overdue or not.
    Any,
    /// Flagged overdue, or still open past its due time.
    Overdue,
    /// Cases that are not overdue.
    NotOverdue,
}

impl Store {
    /// Store a new case with its first event.
    pub async fn insert_complaint(
        &self,
        c: &ComplaintRow,
        first: &EventRow,
    ) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO complaints (",
            complaint_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        ))
        .bind(&c.id)
        .bind(&c.tenant_code)
        .bind(&c.handling_tenant)
        .bind(&c.complainant_id)
        .bind(&c.engagement_id)
        .bind(&c.respondent_id)
        .bind(&c.kind)
        .bind(&c.description)
        .bind(&c.status)
        .bind(&c.outcome)
        .bind(&c.required_materials)
        .bind(c.time_limit_hours)
        .bind(&c.due_at)
        .bind(c.escalation_level)
        .bind(c.overdue)
        .bind(&c.created_at)
        .bind(&c.updated_at)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, first).await?;
        tx.commit().await
    }

    /// A case of `complainant`, whichever market handles it.
    pub async fn complaint_of_complainant(
        &self,
        complainant: &str,
        id: &str,
    ) -> Result<Option<ComplaintRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            complaint_columns!(),
            " FROM complaints WHERE id = $1 AND complainant_id = $2"
        ))
        .bind(id)
        .bind(complainant)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(complaint_from_row).transpose()
    }

    /// Every case `complainant` filed, newest first.
    pub async fn complaints_of_complainant(
        &self,
        complainant: &str,
    ) -> Result<Vec<ComplaintRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            complaint_columns!(),
            " FROM complaints WHERE complainant_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(complainant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(complaint_from_row).collect()
    }

    /// A case `tenant` has to do with: it handles it now, or the case was filed with it.
    pub async fn complaint_in_tenant(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Option<ComplaintRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            complaint_columns!(),
            " FROM complaints WHERE id = $1 AND (handling_tenant = $2 OR tenant_code = $2)"
        ))
        .bind(id)
        .bind(tenant)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(complaint_from_row).transpose()
    }

    /// The cases `tenant` handles now, newest first; `status` `""` means any. `now` decides
    /// which open cases are past due.
    pub async fn tenant_complaints(
        &self,
        tenant: &str,
        status: &str,
        overdue: OverdueFilter,
        now: &str,
    ) -> Result<Vec<ComplaintRow>, sqlx::Error> {
        let mode: i64 = match overdue {
            OverdueFilter::Any => -1,
            OverdueFilter::Overdue => 1,
            OverdueFilter::NotOverdue => 0,
        };
        let rows = sqlx::query(concat!(
            "SELECT ",
            complaint_columns!(),
            " FROM complaints WHERE handling_tenant = $1 AND ($2 = '' OR status = $2) \
             AND ($3 < 0 OR (CASE WHEN overdue = 1 OR (",
            open!(),
            " AND due_at < $4) THEN 1 ELSE 0 END) = $3) \
             ORDER BY created_at DESC, id DESC"
        ))
        .bind(tenant)
        .bind(status)
        .bind(mode)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(complaint_from_row).collect()
    }

    /// The history of a case `tenant` has to do with (see [`Store::complaint_in_tenant`]), oldest first.
    pub async fn complaint_events_in_tenant(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Vec<EventRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, e.complaint_id, e.status, e.actor, e.tenant_code, e.note, e.at FROM complaint_events e \
             JOIN complaints c ON c.id = e.complaint_id WHERE e.complaint_id = $1 AND (c.handling_tenant = $2 OR c.tenant_code = $2) \
             ORDER BY e.at, e.id",
        )
        .bind(id)
        .bind(tenant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The history of a case of `complainant`, oldest first.
    pub async fn complaint_events_of_complainant(
        &self,
        complainant: &str,
        id: &str,
    ) -> Result<Vec<EventRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, e.complaint_id, e.status, e.actor, e.tenant_code, e.note, e.at FROM complaint_events e \
             JOIN complaints c ON c.id = e.complaint_id WHERE e.complaint_id = $1 AND c.complainant_id = $2 ORDER BY e.at, e.id",
        )
        .bind(id)
        .bind(complainant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Apply a status change, its event and its audit entry together, only if the case is still
    /// in `from` and still handled by that market. Returns whether it applied.
    pub async fn change_complaint_status(
        &self,
        c: &StatusChange<'_>,
        audit: &AuditEvent<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let done = sqlx::query("UPDATE complaints SET status = $4, outcome = $5, updated_at = $6 WHERE id = $1 AND handling_tenant = $2 AND status = $3")
            .bind(c.id)
            .bind(c.handling_tenant)
            .bind(c.from)
            .bind(c.to)
            .bind(c.outcome)
            .bind(&c.event.at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        insert_event(&mut tx, c.event).await?;
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await.map(|_| true)
    }

    /// Open cases past their due time and not yet flagged overdue, in every market: the
    /// escalation sweep's work list.
    pub async fn overdue_complaints_all_tenants(
        &self,
        now: &str,
    ) -> Result<Vec<ComplaintRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            complaint_columns!(),
            " FROM complaints WHERE ",
            open!(),
            " AND overdue = 0 AND due_at < $1 ORDER BY due_at, id"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(complaint_from_row).collect()
    }

    /// Move an open case to the parent market with its new time limit and record the event,
    /// only if nobody escalated or closed it meanwhile. Returns whether it applied.
    pub async fn escalate_complaint(
        &self,
        e: &Escalation<'_>,
        audit: &AuditEvent<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let done = sqlx::query(concat!(
            "UPDATE complaints SET handling_tenant = $4, escalation_level = escalation_level + 1, time_limit_hours = $5, due_at = $6, updated_at = $7 \
             WHERE id = $1 AND handling_tenant = $2 AND due_at = $3 AND overdue = 0 AND ", open!()
        ))
        .bind(e.id)
        .bind(e.from_tenant)
        .bind(e.seen_due_at)
        .bind(e.to_tenant)
        .bind(e.time_limit_hours)
        .bind(e.due_at)
        .bind(&e.event.at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        insert_event(&mut tx, e.event).await?;
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await.map(|_| true)
    }

    /// Flag an open case of `tenant` (the top of the tree) overdue and record the event, once.
    pub async fn flag_complaint_overdue(
        &self,
        tenant: &str,
        id: &str,
        event: &EventRow,
        audit: &AuditEvent<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let done = sqlx::query(concat!("UPDATE complaints SET overdue = 1, updated_at = $3 WHERE id = $1 AND handling_tenant = $2 AND overdue = 0 AND ", open!()))
            .bind(id)
            .bind(tenant)
            .bind(&event.at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        insert_event(&mut tx, event).await?;
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await.map(|_| true)
    }

    /// The worker, the employer and the market of an engagement.
    pub async fn engagement_parties(
        &self,
        id: &str,
    ) -> Result<Option<(String, String, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT worker_id, employer_id, tenant_code FROM engagements WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((r.try_get("worker_id")?, r.try_get("employer_id")?, r.try_get("tenant_code")?))
        })
        .transpose()
    }
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    e: &EventRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT_EVENT)
        .bind(&e.id)
        .bind(&e.complaint_id)
        .bind(&e.status)
        .bind(&e.actor)
        .bind(&e.tenant_code)
        .bind(&e.note)
        .bind(&e.at)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

fn complaint_from_row(r: &AnyRow) -> Result<ComplaintRow, sqlx::Error> {
    Ok(ComplaintRow {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        handling_tenant: r.try_get("handling_tenant")?,
        complainant_id: r.try_get("complainant_id")?,
        engagement_id: r.try_get("engagement_id")?,
        respondent_id: r.try_get("respondent_id")?,
        kind: r.try_get("kind")?,
        description: r.try_get("description")?,
        status: r.try_get("status")?,
        outcome: r.try_get("outcome")?,
        required_materials: r.try_get("required_materials")?,
        time_limit_hours: r.try_get("time_limit_hours")?,
        due_at: r.try_get("due_at")?,
        escalation_level: r.try_get("escalation_level")?,
        overdue: r.try_get("overdue")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn event_from_row(r: &AnyRow) -> Result<EventRow, sqlx::Error> {
    Ok(EventRow {
        id: r.try_get("id")?,
        complaint_id: r.try_get("complaint_id")?,
        status: r.try_get("status")?,
        actor: r.try_get("actor")?,
        tenant_code: r.try_get("tenant_code")?,
        note: r.try_get("note")?,
        at: r.try_get("at")?,
    })
}
