//! Stored training sessions, enrolments and skill records (see `migrations/0018_trainings.sql`).
//!
//! A place is taken by a conditional UPDATE (`enrolled < capacity`) before the enrolment row is
//! written, in one transaction, exactly as job places are: concurrent enrolments never over-fill a
//! session. Every change is conditional on the status the domain checked, and a staff action's
//! audit entry is written in its transaction.

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::audit::AuditEvent;
use super::{DynQuery, Store};

/// A stored session. It serialises as the stored part of a session's view
/// (`trainings::TrainingView` adds names and places left).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Training)]
pub struct TrainingRow {
    /// The session's id (UUID v7).
    pub id: String,
    /// The market that holds it.
    #[serde(rename = "tenant")]
    pub tenant_code: String,
    /// `guidance` (职业指导), `entrepreneurship` (创业培训), `skills` (技能培训) or `safety` (安全培训).
    pub kind: String,
    /// What it is called.
    pub title: String,
    /// The occupation it trains for (职业分类大典 code).
    pub occupation_code: String,
    /// The first day (China date, `YYYY-MM-DD`).
    pub starts_on: String,
    /// The last day (China date), not before `starts_on`.
    pub ends_on: String,
    /// Where it is held.
    pub place: String,
    /// How many workers it takes (1 to 500).
    pub capacity: i64,
    /// How many places are held.
    pub enrolled: i64,
    /// What it costs a worker, in fen; 0 = free.
    pub cost_cents: i64,
    /// The agency that gives it; `None` when the market gives it itself.
    pub provider: Option<String>,
    /// What it covers.
    pub description: String,
    /// `open` or `cancelled`.
    pub status: String,
    /// The staff account that created it.
    #[serde(skip)]
    pub created_by: String,
    /// When it was created (UTC text timestamp).
    pub created_at: String,
    /// When it last changed (UTC text timestamp).
    pub updated_at: String,
}

/// One worker in one session.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Enrolment)]
pub struct EnrolmentRow {
    /// The session.
    pub training_id: String,
    /// The worker's account.
    pub account_id: String,
    /// `enrolled`, `withdrawn`, `cancelled`, `attended`, `absent` or `completed`.
    pub status: String,
    /// When the worker (last) enrolled (UTC text timestamp).
    pub enrolled_at: String,
    /// When the status last changed (UTC text timestamp).
    pub updated_at: String,
}

/// A skill record: what a completed session gave the worker.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = SkillRecord)]
pub struct SkillRow {
    /// The record's id (UUID v7).
    pub id: String,
    /// The worker's account.
    #[serde(skip)]
    pub account_id: String,
    /// The session completed.
    pub training_id: String,
    /// The market that held it.
    #[serde(rename = "tenant")]
    pub tenant_code: String,
    /// The session's occupation code.
    pub occupation_code: String,
    /// The session's kind.
    pub kind: String,
    /// When it was completed (China date).
    pub completed_on: String,
    /// The certificate's number (职业技能等级证书编号), if one was earned.
    pub cert_number: Option<String>,
    /// Who issued the certificate.
    pub cert_issuer: Option<String>,
    /// When the certificate was issued (China date).
    pub cert_issued_on: Option<String>,
    /// The level certified: 1 五级/初级工 … 5 一级/高级技师.
    pub cert_level: Option<i64>,
    /// The staff account that recorded the completion.
    #[serde(skip)]
    pub created_by: String,
    /// When it was recorded (UTC text timestamp).
    pub created_at: String,
}

/// Why a place could not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolRefused {
    /// No such session.
    NotFound,
    /// Cancelled, or already started.
    NotOpen,
    /// Every place is held.
    Full,
    /// The worker holds a place already (or completed, attended, …).
    AlreadyEnrolled,
}

/// A staff step on one enrolment: from the status the domain checked to the next one.
#[derive(Debug, Clone)]
pub struct EnrolmentStep<'a> {
    /// The session.
    pub training_id: &'a str,
    /// The worker.
    pub account_id: &'a str,
    /// The status the domain checked; the step applies only if it still is.
    pub from: &'a str,
    /// The new status.
    pub to: &'a str,
    /// When (UTC text timestamp).
    pub at: &'a str,
    /// The skill record a completion issues.
    pub record: Option<&'a SkillRow>,
}

/// A market's figures for a period (see `trainings::counts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountRow {
    /// Sessions held (not cancelled) that start in the period.
    pub sessions: i64,
    /// Places held in those sessions.
    pub enrolments: i64,
    /// Completions recorded in the period.
    pub completions: i64,
    /// One-to-one vocational guidance sessions (kind `guidance`, capacity 1) in the period.
    pub guidance: i64,
}

/// The filters of the city-wide search (`None`: any).
#[derive(Debug, Clone, Default)]
pub struct Find {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this occupation code.
    pub occupation: Option<String>,
    /// Only sessions of these markets (a county and the markets under it).
    pub tenants: Option<Vec<String>>,
    /// Sessions starting on or after this day.
    pub from: String,
    /// `Some(true)`: free only; `Some(false)`: paid only.
    pub free: Option<bool>,
    /// Include sessions without places left.
    pub include_full: bool,
    /// Page size.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

macro_rules! training_columns {
    () => {
        "id, tenant_code, kind, title, occupation_code, starts_on, ends_on, place, capacity, enrolled, cost_cents, provider, description, status, created_by, created_at, updated_at"
    };
}

macro_rules! skill_columns {
    () => {
        "id, account_id, training_id, tenant_code, occupation_code, kind, completed_on, cert_number, cert_issuer, cert_issued_on, cert_level, created_by, created_at"
    };
}

impl Store {
    /// Store a new session with its audit entry.
    pub async fn insert_training(
        &self,
        t: &TrainingRow,
        audit: &AuditEvent<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO trainings (",
            training_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        ))
        .bind(&t.id)
        .bind(&t.tenant_code)
        .bind(&t.kind)
        .bind(&t.title)
        .bind(&t.occupation_code)
        .bind(&t.starts_on)
        .bind(&t.ends_on)
        .bind(&t.place)
        .bind(t.capacity)
        .bind(t.enrolled)
        .bind(t.cost_cents)
        .bind(&t.provider)
        .bind(&t.description)
        .bind(&t.status)
        .bind(&t.created_by)
        .bind(&t.created_at)
        .bind(&t.updated_at)
        .execute(&mut *tx)
        .await?;
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await
    }

    /// A session by id, whichever market holds it.
    pub async fn training(&self, id: &str) -> Result<Option<TrainingRow>, sqlx::Error> {
        let row =
            sqlx::query(concat!("SELECT ", training_columns!(), " FROM trainings WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(training_from_row).transpose()
    }

    /// A session of `tenant`.
    pub async fn training_in_tenant(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Option<TrainingRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            training_columns!(),
            " FROM trainings WHERE id = $1 AND tenant_code = $2"
        ))
        .bind(id)
        .bind(tenant)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(training_from_row).transpose()
    }

    /// Every session of `tenant`, the latest start first.
    pub async fn tenant_trainings(&self, tenant: &str) -> Result<Vec<TrainingRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            training_columns!(),
            " FROM trainings WHERE tenant_code = $1 ORDER BY starts_on DESC, id DESC"
        ))
        .bind(tenant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(training_from_row).collect()
    }

    /// Open sessions city-wide (a city-wide read), the soonest first, one page.
    pub async fn find_trainings_all_tenants(
        &self,
        f: &Find,
    ) -> Result<Vec<TrainingRow>, sqlx::Error> {
        let mut q = DynQuery::new(concat!(
            "SELECT ",
            training_columns!(),
            " FROM trainings WHERE status = 'open' AND starts_on >= "
        ));
        q.text(f.from.clone());
        if let Some(kind) = &f.kind {
            q.push(" AND kind = ").text(kind.clone());
        }
        if let Some(occupation) = &f.occupation {
            q.push(" AND occupation_code = ").text(occupation.clone());
        }
        if let Some(tenants) = &f.tenants {
            q.push(" AND tenant_code IN ").text_list(tenants);
        }
        match f.free {
            Some(true) => {
                q.push(" AND cost_cents = 0");
            }
            Some(false) => {
                q.push(" AND cost_cents > 0");
            }
            None => {}
        }
        if !f.include_full {
            q.push(" AND enrolled < capacity");
        }
        q.push(" ORDER BY starts_on, id LIMIT ").int(f.limit).push(" OFFSET ").int(f.offset);
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(training_from_row).collect()
    }

    /// Take a place of an open session that has not started by `today` for a worker, and write
    /// (or take up again a withdrawn) enrolment, in one transaction. Never over-fills: the place
    /// is taken by a conditional UPDATE before anything else is written.
    pub async fn enrol(
        &self,
        training: &str,
        account: &str,
        today: &str,
        now: &str,
    ) -> Result<Result<(), EnrolRefused>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let taken = sqlx::query("UPDATE trainings SET enrolled = enrolled + 1, updated_at = $3 WHERE id = $1 AND status = 'open' AND starts_on >= $2 AND enrolled < capacity")
            .bind(training)
            .bind(today)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Err(self.why_not_enrol(training, account, today).await?));
        }
        let again = sqlx::query("UPDATE training_enrolments SET status = 'enrolled', enrolled_at = $3, updated_at = $3 WHERE training_id = $1 AND account_id = $2 AND status = 'withdrawn'")
            .bind(training)
            .bind(account)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if again.rows_affected() == 0 {
            let inserted = sqlx::query("INSERT INTO training_enrolments (training_id, account_id, status, enrolled_at, updated_at) VALUES ($1, $2, 'enrolled', $3, $3)")
                .bind(training)
                .bind(account)
                .bind(now)
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                    tx.rollback().await?;
                    return Ok(Err(EnrolRefused::AlreadyEnrolled));
                }
                other => other?,
            };
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn why_not_enrol(
        &self,
        training: &str,
        account: &str,
        today: &str,
    ) -> Result<EnrolRefused, sqlx::Error> {
        let Some(t) = self.training(training).await? else { return Ok(EnrolRefused::NotFound) };
        let mine = self.enrolment(training, account).await?;
        Ok(if mine.is_some_and(|e| e.status != "withdrawn") {
            EnrolRefused::AlreadyEnrolled
        } else if t.status != "open" || t.starts_on.as_str() < today {
            EnrolRefused::NotOpen
        } else {
            EnrolRefused::Full
        })
    }

    /// One worker's enrolment in one session.
    pub async fn enrolment(
        &self,
        training: &str,
        account: &str,
    ) -> Result<Option<EnrolmentRow>, sqlx::Error> {
        let row = sqlx::query("SELECT training_id, account_id, status, enrolled_at, updated_at FROM training_enrolments WHERE training_id = $1 AND account_id = $2")
            .bind(training)
            .bind(account)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(enrolment_from_row).transpose()
    }

    /// Withdraw an enrolment that is still `enrolled` from a session that starts after `today`,
    /// giving the place back in the same transaction. `Ok(false)`: nothing changed.
    pub async fn withdraw_enrolment(
        &self,
        training: &str,
        account: &str,
        today: &str,
        now: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE training_enrolments SET status = 'withdrawn', updated_at = $3 WHERE training_id = $1 AND account_id = $2 AND status = 'enrolled' \
             AND EXISTS (SELECT 1 FROM trainings t WHERE t.id = $1 AND t.status = 'open' AND t.starts_on > $4)")
            .bind(training)
            .bind(account)
            .bind(now)
            .bind(today)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("UPDATE trainings SET enrolled = enrolled - 1, updated_at = $2 WHERE id = $1")
            .bind(training)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One worker's enrolments with their sessions, the latest start first.
    pub async fn enrolments_of(
        &self,
        account: &str,
    ) -> Result<Vec<(EnrolmentRow, TrainingRow)>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT e.training_id, e.account_id, e.status AS e_status, e.enrolled_at, e.updated_at AS e_updated_at, ",
            "t.id, t.tenant_code, t.kind, t.title, t.occupation_code, t.starts_on, t.ends_on, t.place, t.capacity, t.enrolled, t.cost_cents, t.provider, t.description, t.status, t.created_by, t.created_at, t.updated_at ",
            "FROM training_enrolments e JOIN trainings t ON t.id = e.training_id WHERE e.account_id = $1 ORDER BY t.starts_on DESC, t.id DESC"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let e = EnrolmentRow {
                    training_id: r.try_get("training_id")?,
                    account_id: r.try_get("account_id")?,
                    status: r.try_get("e_status")?,
                    enrolled_at: r.try_get("enrolled_at")?,
                    updated_at: r.try_get("e_updated_at")?,
                };
                Ok((e, training_from_row(r)?))
            })
            .collect()
    }

    /// The enrolments of a session, the earliest first.
    pub async fn training_enrolments(
        &self,
        training: &str,
    ) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT training_id, account_id, status, enrolled_at, updated_at FROM training_enrolments WHERE training_id = $1 ORDER BY enrolled_at, account_id")
            .bind(training)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(enrolment_from_row).collect()
    }

    /// Apply a staff step to one enrolment if it is still in `from`; a completion also writes
    /// its skill record and brings the worker's certified levels in step. With the audit entry,
    /// in one transaction. `Ok(false)`: the status had changed, nothing was written.
    pub async fn step_enrolment(
        &self,
        s: &EnrolmentStep<'_>,
        audit: &AuditEvent<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE training_enrolments SET status = $4, updated_at = $5 WHERE training_id = $1 AND account_id = $2 AND status = $3")
            .bind(s.training_id)
            .bind(s.account_id)
            .bind(s.from)
            .bind(s.to)
            .bind(s.at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(r) = s.record {
            sqlx::query(concat!(
                "INSERT INTO skill_records (",
                skill_columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            ))
            .bind(&r.id)
            .bind(&r.account_id)
            .bind(&r.training_id)
            .bind(&r.tenant_code)
            .bind(&r.occupation_code)
            .bind(&r.kind)
            .bind(&r.completed_on)
            .bind(&r.cert_number)
            .bind(&r.cert_issuer)
            .bind(&r.cert_issued_on)
            .bind(r.cert_level)
            .bind(&r.created_by)
            .bind(&r.created_at)
            .execute(&mut *tx)
            .await?;
            sync_certified_levels(&mut tx, s.account_id).await?;
        }
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Cancel an open session and the enrolments still `enrolled` in it, with the audit entry,
    /// in one transaction. `Ok(None)`: it was not open any more; else how many enrolments were
    /// cancelled.
    pub async fn cancel_training(
        &self,
        tenant: &str,
        id: &str,
        now: &str,
        audit: &AuditEvent<'_>,
    ) -> Result<Option<u64>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE trainings SET status = 'cancelled', updated_at = $3 WHERE id = $1 AND tenant_code = $2 AND status = 'open'")
            .bind(id)
            .bind(tenant)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let cancelled = sqlx::query("UPDATE training_enrolments SET status = 'cancelled', updated_at = $2 WHERE training_id = $1 AND status = 'enrolled'")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        self.audit_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Some(cancelled))
    }

    /// A worker's skill records, the latest first.
    pub async fn skill_records_of(&self, account: &str) -> Result<Vec<SkillRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            skill_columns!(),
            " FROM skill_records WHERE account_id = $1 ORDER BY completed_on DESC, id DESC"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(skill_from_row).collect()
    }

    /// The skill records a session issued.
    pub async fn training_skill_records(
        &self,
        training: &str,
    ) -> Result<Vec<SkillRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            skill_columns!(),
            " FROM skill_records WHERE training_id = $1 ORDER BY account_id"
        ))
        .bind(training)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(skill_from_row).collect()
    }

    /// Bring a worker's certified levels (in `worker_features`) in step with their skill
    /// records (after their features row is written anew).
    pub async fn sync_certified_levels(&self, account: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sync_certified_levels(&mut tx, account).await?;
        tx.commit().await
    }

    /// The figures of `tenants` for sessions starting, and completions recorded, between
    /// `from` and `to` (China dates, inclusive), per market.
    pub async fn training_counts(
        &self,
        tenants: &[String],
        from: &str,
        to: &str,
    ) -> Result<BTreeMap<String, CountRow>, sqlx::Error> {
        let mut out: BTreeMap<String, CountRow> = BTreeMap::new();
        if tenants.is_empty() {
            return Ok(out);
        }
        let mut q = DynQuery::new(
            "SELECT tenant_code, COUNT(*) AS sessions, CAST(COALESCE(SUM(enrolled), 0) AS BIGINT) AS enrolments, \
             CAST(COALESCE(SUM(CASE WHEN kind = 'guidance' AND capacity = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS guidance \
             FROM trainings WHERE status = 'open' AND starts_on >= ",
        );
        q.text(from).push(" AND starts_on <= ").text(to).push(" AND tenant_code IN ");
        q.text_list(tenants).push(" GROUP BY tenant_code");
        for r in q.fetch_all(&self.pool).await? {
            let c = out.entry(r.try_get("tenant_code")?).or_default();
            c.sessions = r.try_get("sessions")?;
            c.enrolments = r.try_get("enrolments")?;
            c.guidance = r.try_get("guidance")?;
        }
        let mut q = DynQuery::new(
            "SELECT tenant_code, COUNT(*) AS completions FROM skill_records WHERE completed_on >= ",
        );
        q.text(from).push(" AND completed_on <= ").text(to).push(" AND tenant_code IN ");
        q.text_list(tenants).push(" GROUP BY tenant_code");
        for r in q.fetch_all(&self.pool).await? {
            out.entry(r.try_get("tenant_code")?).or_default().completions =
                r.try_get("completions")?;
        }
        Ok(out)
    }
}

/// Write the highest certificate level per occupation of `account`'s skill records into their
/// features row, inside `tx`.
async fn sync_certified_levels(tx: &mut super::Tx<'_>, account: &str) -> Result<(), sqlx::Error> {
    let rows = sqlx::query("SELECT occupation_code, MAX(cert_level) AS level FROM skill_records WHERE account_id = $1 AND cert_level IS NOT NULL GROUP BY occupation_code")
        .bind(account)
        .fetch_all(&mut **tx)
        .await?;
    let mut levels = BTreeMap::new();
    for r in &rows {
        levels.insert(r.try_get::<String, _>("occupation_code")?, r.try_get::<i64, _>("level")?);
    }
    let json = serde_json::to_string(&levels).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE worker_features SET certified_levels = $2 WHERE account_id = $1")
        .bind(account)
        .bind(json)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn training_from_row(r: &AnyRow) -> Result<TrainingRow, sqlx::Error> {
    Ok(TrainingRow {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        occupation_code: r.try_get("occupation_code")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        place: r.try_get("place")?,
        capacity: r.try_get("capacity")?,
        enrolled: r.try_get("enrolled")?,
        cost_cents: r.try_get("cost_cents")?,
        provider: r.try_get("provider")?,
        description: r.try_get("description")?,
        status: r.try_get("status")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn enrolment_from_row(r: &AnyRow) -> Result<EnrolmentRow, sqlx::Error> {
    Ok(EnrolmentRow {
        training_id: r.try_get("training_id")?,
        account_id: r.try_get("account_id")?,
        status: r.try_get("status")?,
        enrolled_at: r.try_get("enrolled_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn skill_from_row(r: &AnyRow) -> Result<SkillRow, sqlx::Error> {
    Ok(SkillRow {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        training_id: r.try_get("training_id")?,
        tenant_code: r.try_get("tenant_code")?,
        occupation_code: r.try_get("occupation_code")?,
        kind: r.try_get("kind")?,
        completed_on: r.try_get("completed_on")?,
        cert_number: r.try_get("cert_number")?,
        cert_issuer: r.try_get("cert_issuer")?,
        cert_issued_on: r.try_get("cert_issued_on")?,
        cert_level: r.try_get("cert_level")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}
