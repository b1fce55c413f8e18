//! Stored ledger rows and daily closes (see `migrations/0017_ledgers.sql`), and the reads of
//! other areas' records the automatic rows are derived from.
//!
//! Rows are only ever inserted: there is no function here that updates or deletes one. Every
//! write of a market's day (a manual row, a close) first takes that day's lock row in its
//! transaction ([`lock_day`]), so a row cannot slip into a day while it is being closed.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{DynQuery, Store};

/// A stored ledger row.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    /// The row's id (UUID v7).
    pub id: String,
    /// The market.
    pub tenant_code: String,
    /// The ledger (`policy-outreach`, …).
    pub kind: String,
    /// The ledger day (China date, `YYYY-MM-DD`).
    pub day: String,
    /// `auto` or `manual`.
    pub source: String,
    /// The record an automatic row comes from; `None` for manual rows.
    pub source_ref: Option<String>,
    /// 1 when the source record reached the ledger after its own day was closed.
    pub late: i64,
    /// The ledger's columns, as JSON object text.
    pub fields: String,
    /// The staff account that wrote the row, or `system`.
    pub handler_id: String,
    /// 经办人 as shown.
    pub handler: String,
    /// 经办时间 (UTC text timestamp).
    pub handled_at: String,
    /// The referral a result slip follows.
    pub follows: Option<String>,
    /// The row a correction corrects.
    pub corrects: Option<String>,
    /// When the row was stored (UTC text timestamp).
    pub created_at: String,
}

/// A closed ledger day.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseRow {
    /// The market.
    pub tenant_code: String,
    /// The ledger.
    pub kind: String,
    /// The day closed.
    pub day: String,
    /// How many rows it had (0: closed as "none").
    pub row_count: i64,
    /// sha256 of the rows' canonical serialisation, hex.
    pub content_hash: String,
    /// Who closed it.
    pub closed_by: String,
    /// When (UTC text timestamp).
    pub closed_at: String,
}

/// A post published in a market, as the employer-demand ledger reads it.
#[derive(Debug, Clone)]
pub struct JobSource {
    /// The post's id.
    pub id: String,
    /// When it was published.
    pub created_at: String,
    /// Its title.
    pub title: String,
    /// Its occupation code.
    pub occupation_code: String,
    /// How many people it asks for.
    pub headcount: i64,
    /// Its wage in fen, per `wage_unit`.
    pub wage_cents: i64,
    /// `hour`, `day`, `piece` or `month`.
    pub wage_unit: String,
    /// Its status now.
    pub status: String,
    /// The contact person (a name; masked before it reaches a ledger).
    pub contact_name: String,
    /// The employer's registered name, if it has a profile.
    pub employer_name: Option<String>,
    /// The employer's credit code, if any.
    pub uscc: Option<String>,
}

/// A person's record as the labour-supply ledger reads it: a registration, a verification or a
/// check-in.
#[derive(Debug, Clone)]
pub struct PersonSource {
    /// The account.
    pub account_id: String,
    /// When it happened (UTC text timestamp).
    pub at: String,
    /// The real name (masked before it reaches a ledger), if the account has a profile.
    pub name: Option<String>,
    /// The profile's details (JSON text; its `occupations`), if any.
    pub details: Option<String>,
}

/// A skill record issued by the market (a completed session: one-to-one 职业指导 or a
/// training), as the labour-supply ledger reads it.
#[derive(Debug, Clone)]
pub struct SkillSource {
    /// The skill record.
    pub id: String,
    /// When it was issued (UTC text timestamp).
    pub at: String,
    /// The worker's real name (masked before it reaches a ledger), if any.
    pub name: Option<String>,
    /// The session's kind (`guidance`, `entrepreneurship`, `skills`, `safety`).
    pub kind: String,
    /// The occupation the session was for.
    pub occupation_code: String,
    /// The certificate level earned, if any.
    pub cert_level: Option<i64>,
}

/// An engagement event of a post of the market, as the instant-matching ledger reads it.
#[derive(Debug, Clone)]
pub struct MatchSource {
    /// The engagement.
    pub engagement_id: String,
    /// The status before (`None` for the engagement's creation).
    pub from_status: Option<String>,
    /// The status after.
    pub to_status: String,
    /// `application`, `offer` or `batch`.
    pub origin: String,
    /// When.
    pub at: String,
    /// The worker's real name (masked before it reaches a ledger).
    pub worker_name: Option<String>,
    /// The employer's registered name.
    pub employer_name: Option<String>,
    /// The post's title.
    pub title: String,
    /// The event itself (`engagement_events.id`).
    pub event_id: String,
}

macro_rules! row_columns {
    () => {
        "id, tenant_code, kind, day, source, source_ref, late, fields, handler_id, handler, handled_at, follows, corrects, created_at"
    };
}

macro_rules! close_columns {
    () => {
        "tenant_code, kind, day, row_count, content_hash, closed_by, closed_at"
    };
}

/// Take the lock of a market's day inside `tx` (the first write of the transaction): a manual
/// row and a close of the same day queue behind each other on both backends.
pub async fn lock_day(
    tx: &mut Transaction<'_, Any>,
    tenant: &str,
    day: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ledger_day_locks (tenant_code, day, writes) VALUES ($1, $2, 1) \
         ON CONFLICT (tenant_code, day) DO UPDATE SET writes = ledger_day_locks.writes + 1",
    )
    .bind(tenant)
    .bind(day)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Store a row inside `tx`.
pub async fn insert_row(tx: &mut Transaction<'_, Any>, r: &LedgerRow) -> Result<(), sqlx::Error> {
    sqlx::query(concat!(
        "INSERT INTO ledger_rows (",
        row_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(&r.id)
    .bind(&r.tenant_code)
    .bind(&r.kind)
    .bind(&r.day)
    .bind(&r.source)
    .bind(&r.source_ref)
    .bind(r.late)
    .bind(&r.fields)
    .bind(&r.handler_id)
    .bind(&r.handler)
    .bind(&r.handled_at)
    .bind(&r.follows)
    .bind(&r.corrects)
    .bind(&r.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The close of one ledger day inside `tx`, if it is closed.
pub async fn close_in(
    tx: &mut Transaction<'_, Any>,
    tenant: &str,
    kind: &str,
    day: &str,
) -> Result<Option<CloseRow>, sqlx::Error> {
    let row = sqlx::query(concat!(
        "SELECT ",
        close_columns!(),
        " FROM ledger_closes WHERE tenant_code = $1 AND kind = $2 AND day = $3"
    ))
    .bind(tenant)
    .bind(kind)
    .bind(day)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(close_from_row).transpose()
}

/// The stored rows of one ledger day inside `tx`, in id order (the canonical order).
pub async fn day_rows_in(
    tx: &mut Transaction<'_, Any>,
    tenant: &str,
    kind: &str,
    day: &str,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        row_columns!(),
        " FROM ledger_rows WHERE tenant_code = $1 AND kind = $2 AND day = $3 ORDER BY id"
    ))
    .bind(tenant)
    .bind(kind)
    .bind(day)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(row_from_row).collect()
}

/// Record a close inside `tx`.
pub async fn insert_close(tx: &mut Transaction<'_, Any>, c: &CloseRow) -> Result<(), sqlx::Error> {
    sqlx::query(concat!(
        "INSERT INTO ledger_closes (",
        close_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&c.tenant_code)
    .bind(&c.kind)
    .bind(&c.day)
    .bind(c.row_count)
    .bind(&c.content_hash)
    .bind(&c.closed_by)
    .bind(&c.closed_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A stored row of a market's ledger, by id.
    pub async fn ledger_row(
        &self,
        tenant: &str,
        kind: &str,
        id: &str,
    ) -> Result<Option<LedgerRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            row_columns!(),
            " FROM ledger_rows WHERE id = $1 AND tenant_code = $2 AND kind = $3"
        ))
        .bind(id)
        .bind(tenant)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(row_from_row).transpose()
    }

    /// The stored rows of a market's ledger dated `from`..=`to`, by day, then id.
    pub async fn ledger_rows(
        &self,
        tenant: &str,
        kind: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<LedgerRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            row_columns!(),
            " FROM ledger_rows WHERE tenant_code = $1 AND kind = $2 AND day >= $3 AND day <= $4 ORDER BY day, id"
        ))
        .bind(tenant)
        .bind(kind)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_from_row).collect()
    }

    /// Which of `refs` a market's ledger already stores (each source record is stored once).
    pub async fn ledger_stored_refs(
        &self,
        tenant: &str,
        kind: &str,
        refs: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in refs.chunks(400) {
            let mut q = DynQuery::new("SELECT source_ref FROM ledger_rows WHERE tenant_code = ");
            q.text(tenant).push(" AND kind = ").text(kind).push(" AND source_ref IN ");
            q.text_list(chunk);
            for r in q.fetch_all(&self.pool).await? {
                found.push(r.try_get(0)?);
            }
        }
        Ok(found)
    }

    /// The closes of a market's five ledgers for days `from`..=`to`.
    pub async fn ledger_closes(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<CloseRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            close_columns!(),
            " FROM ledger_closes WHERE tenant_code = $1 AND day >= $2 AND day <= $3 ORDER BY day, kind"
        ))
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(close_from_row).collect()
    }

    /// The closes of several markets for days `from`..=`to` (the calendar and the period
    /// figures), by market and day.
    pub async fn ledger_closes_of(
        &self,
        tenants: &[String],
        from: &str,
        to: &str,
    ) -> Result<Vec<CloseRow>, sqlx::Error> {
        if tenants.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = DynQuery::new(concat!(
            "SELECT ",
            close_columns!(),
            " FROM ledger_closes WHERE day >= "
        ));
        q.text(from).push(" AND day <= ").text(to).push(" AND tenant_code IN ");
        q.text_list(tenants).push(" ORDER BY tenant_code, day, kind");
        q.fetch_all(&self.pool).await?.iter().map(close_from_row).collect()
    }

    /// Posts published in a market between two stored times (`from` inclusive, `to` exclusive).
    pub async fn ledger_job_sources(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<JobSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT j.id, j.created_at, j.title, j.occupation_code, j.headcount, j.wage_cents, j.wage_unit, j.status, j.contact_name, p.name, p.uscc \
             FROM jobs j LEFT JOIN profiles p ON p.account_id = j.employer_id \
             WHERE j.tenant_code = $1 AND j.created_at >= $2 AND j.created_at < $3 ORDER BY j.created_at, j.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(JobSource {
                    id: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    title: r.try_get(2)?,
                    occupation_code: r.try_get(3)?,
                    headcount: r.try_get(4)?,
                    wage_cents: r.try_get(5)?,
                    wage_unit: r.try_get(6)?,
                    status: r.try_get(7)?,
                    contact_name: r.try_get(8)?,
                    employer_name: r.try_get(9)?,
                    uscc: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// Workers whose home market is `tenant`, registered between two stored times.
    pub async fn ledger_registrations(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<PersonSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.id, a.created_at, p.name, p.details FROM accounts a JOIN profiles p ON p.account_id = a.id \
             WHERE p.home_tenant = $1 AND a.kind = 'worker' AND a.created_at >= $2 AND a.created_at < $3 ORDER BY a.created_at, a.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// Worker profiles of `tenant` verified between two stored times.
    pub async fn ledger_verifications(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<PersonSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT p.account_id, p.verified_at, p.name, p.details FROM profiles p \
             WHERE p.home_tenant = $1 AND p.kind = 'worker' AND p.verification = 'verified' AND p.verified_at >= $2 AND p.verified_at < $3 \
             ORDER BY p.verified_at, p.account_id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// Check-ins at a market between two stored times.
    pub async fn ledger_check_ins(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<PersonSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT c.account_id, c.at, p.name, p.details FROM check_ins c LEFT JOIN profiles p ON p.account_id = c.account_id \
             WHERE c.tenant_code = $1 AND c.at >= $2 AND c.at < $3 ORDER BY c.at, c.account_id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// Skill records the market issued between two stored times.
    pub async fn ledger_skill_sources(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<SkillSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.id, s.created_at, p.name, s.kind, s.occupation_code, s.cert_level FROM skill_records s \
             LEFT JOIN profiles p ON p.account_id = s.account_id \
             WHERE s.tenant_code = $1 AND s.created_at >= $2 AND s.created_at < $3 ORDER BY s.created_at, s.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SkillSource {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    name: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    occupation_code: r.try_get(4)?,
                    cert_level: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Events of engagements on a market's posts between two stored times.
    pub async fn ledger_match_sources(
        &self,
        tenant: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<MatchSource>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, ev.from_status, ev.to_status, e.origin, ev.at, w.name, emp.name, j.title, ev.id \
             FROM engagement_events ev JOIN engagements e ON e.id = ev.engagement_id JOIN jobs j ON j.id = e.job_id \
             LEFT JOIN profiles w ON w.account_id = e.worker_id LEFT JOIN profiles emp ON emp.account_id = e.employer_id \
             WHERE e.tenant_code = $1 AND ev.at >= $2 AND ev.at < $3 ORDER BY ev.at, ev.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MatchSource {
                    engagement_id: r.try_get(0)?,
                    from_status: r.try_get(1)?,
                    to_status: r.try_get(2)?,
                    origin: r.try_get(3)?,
                    at: r.try_get(4)?,
                    worker_name: r.try_get(5)?,
                    employer_name: r.try_get(6)?,
                    title: r.try_get(7)?,
                    event_id: r.try_get(8)?,
                })
            })
            .collect()
    }
}

fn person_from_row(r: &AnyRow) -> Result<PersonSource, sqlx::Error> {
    Ok(PersonSource {
        account_id: r.try_get(0)?,
        at: r.try_get(1)?,
        name: r.try_get(2)?,
        details: r.try_get(3)?,
    })
}

fn row_from_row(r: &AnyRow) -> Result<LedgerRow, sqlx::Error> {
    Ok(LedgerRow {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        kind: r.try_get("kind")?,
        day: r.try_get("day")?,
        source: r.try_get("source")?,
        source_ref: r.try_get("source_ref")?,
        late: r.try_get("late")?,
        fields: r.try_get("fields")?,
        handler_id: r.try_get("handler_id")?,
        handler: r.try_get("handler")?,
        handled_at: r.try_get("handled_at")?,
        follows: r.try_get("follows")?,
        corrects: r.try_get("corrects")?,
        created_at: r.try_get("created_at")?,
    })
}

fn close_from_row(r: &AnyRow) -> Result<CloseRow, sqlx::Error> {
    Ok(CloseRow {
        tenant_code: r.try_get("tenant_code")?,
        kind: r.try_get("kind")?,
        day: r.try_get("day")?,
        row_count: r.try_get("row_count")?,
        content_hash: r.try_get("content_hash")?,
        closed_by: r.try_get("closed_by")?,
        closed_at: r.try_get("closed_at")?,
    })
}
