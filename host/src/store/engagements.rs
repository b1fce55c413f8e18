//! Stored engagements, their status history, and ratings (see `migrations/0008_engagements.sql`).
//!
//! Every change is one transaction that starts with its write, so that on SQLite the
//! transaction takes the write lock at once (a read first would risk a busy upgrade), and that
//! on PostgreSQL the conditional UPDATE re-checks its condition under the row lock. A change
//! whose condition no longer holds writes nothing.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::Store;

/// A stored engagement: one worker on one job (see `migrations/0008_engagements.sql`). It
/// serialises as the stored part of what the parties see ([`crate::engagements::view`] adds the
/// names, the parsed agreement, the contact and the history).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Engagement)]
pub struct EngagementRow {
    /// The engagement's id (UUID v7).
    pub id: String,
    /// The post worked on.
    pub job_id: String,
    /// The market the post was published in.
    #[serde(rename = "tenant")]
    pub tenant_code: String,
    /// The worker's account id.
    #[serde(skip)]
    pub worker_id: String,
    /// The employer's account id (the post's employer).
    #[serde(skip)]
    pub employer_id: String,
    /// `applied`, `offered`, `accepted`, `signed`, `checked_in`, `checked_out`, `paid`,
    /// `confirmed`, `disputed`, or one of the ends `withdrawn`, `declined`, `turned_down`, `no_show`.
    pub status: String,
    /// How it began: `application`, `offer` or `batch`.
    pub origin: String,
    /// The agreement as frozen at acceptance (canonical JSON of
    /// [`crate::engagements::Agreement`]); `None` before.
    #[serde(skip)]
    pub agreement: Option<String>,
    /// The sha256 (hex) of `agreement`, which both parties sign.
    pub agreement_hash: Option<String>,
    /// When the worker signed (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`); `None` until then.
    pub worker_signed_at: Option<String>,
    /// When the employer signed (UTC text timestamp); `None` until then.
    pub employer_signed_at: Option<String>,
    /// When the worker checked in (UTC text timestamp).
    pub checked_in_at: Option<String>,
    /// When the worker checked out (UTC text timestamp).
    pub checked_out_at: Option<String>,
    /// The wage recorded as paid, in fen (1/100 yuan).
    pub paid_cents: Option<i64>,
    /// How it was paid: `cash`, `bank_transfer`, `wechat`, `alipay` or `other`.
    pub paid_method: Option<String>,
    /// When it was paid, as the employer said (UTC text timestamp).
    pub paid_at: Option<String>,
    /// Why the worker disputes the payment; `None` unless disputed.
    pub dispute_reason: Option<String>,
    /// When the engagement began (UTC text timestamp).
    pub created_at: String,
    /// When it last changed (UTC text timestamp).
    #[serde(skip)]
    pub updated_at: String,
}

/// One entry of an engagement's status history (`engagement_events`).
#[derive(Debug, Clone)]
pub struct EventRow {
    /// The status before; `None` for the event that began the engagement.
    pub from_status: Option<String>,
    /// The status after.
    pub to_status: String,
    /// The account that made the change.
    pub actor: String,
    /// A note given with the change (a reason, `worker signed`, …), if any.
    pub note: Option<String>,
    /// When it happened (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub at: String,
}

/// Why a place could not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeRefused {
    /// No such post, or it is not open for hiring (closed, expired, held, rejected).
    NotOpen,
    /// Every place is taken.
    Full,
    /// The worker already has a live engagement on this post.
    AlreadyEngaged,
}

/// What a step writes besides the new status.
#[derive(Debug, Clone, PartialEq)]
pub enum Stamp {
    /// Nothing else.
    None,
    /// The agreement drawn up at acceptance, and its sha256.
    Agreement {
        /// The agreement text (canonical JSON).
        text: String,
        /// Its sha256, hex.
        hash: String,
    },
    /// The worker checked in.
    CheckedIn {
        /// When (UTC text timestamp).
        at: String,
    },
    /// The worker checked out.
    CheckedOut {
        /// When (UTC text timestamp).
        at: String,
    },
    /// The wage paid: amount in fen, method, when.
    Paid {
        /// The amount, in fen (1/100 yuan).
        cents: i64,
        /// `cash`, `bank_transfer`, `wechat`, `alipay` or `other`.
        method: String,
        /// When it was paid (UTC text timestamp).
        at: String,
    },
    /// The worker disputes the payment.
    Disputed {
        /// What is wrong, in the worker's words.
        reason: String,
    },
}

/// A rating one party gives the other.
#[derive(Debug, Clone, Copy)]
pub struct Rating<'a> {
    /// The engagement rated.
    pub engagement: &'a str,
    /// The party who rates.
    pub rater: &'a str,
    /// The other party, who is rated.
    pub ratee: &'a str,
    /// 1–5.
    pub score: i64,
    /// An optional comment, at most 200 characters.
    pub comment: Option<&'a str>,
    /// A worker's rating feeds their matching figures.
    pub ratee_is_worker: bool,
    /// When the rating is given (UTC text timestamp).
    pub at: &'a str,
}

/// One step of an engagement as the domain decided it (`engagements::workflow`).
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    /// The engagement's id.
    pub id: &'a str,
    /// The status the domain checked; the step applies only if it is still the status.
    pub from: &'a str,
    /// The status it moves to.
    pub to: &'a str,
    /// The account that acts.
    pub actor: &'a str,
    /// A note to keep with the event (a reason), if any.
    pub note: Option<&'a str>,
    /// What the step writes besides the new status.
    pub stamp: Stamp,
    /// Give the post's place back (the engagement ended before the work).
    pub release_place: bool,
    /// Count a finished job in the worker's matching figures.
    pub completed: bool,
    /// Count a no-show in the worker's matching figures.
    pub no_show: bool,
    /// When the step happens (UTC text timestamp).
    pub at: &'a str,
}

macro_rules! engagement_columns {
    () => {
        "id, job_id, tenant_code, worker_id, employer_id, status, origin, agreement, agreement_hash, worker_signed_at, employer_signed_at, \
         checked_in_at, checked_out_at, paid_cents, paid_method, paid_at, dispute_reason, created_at, updated_at"
    };
}

impl Store {
    /// Take a place of an open post for a worker and create the engagement (`applied` or
    /// `offered`), in one transaction. Never over-fills: the place is taken by a conditional
    /// UPDATE before anything else is written.
    pub async fn take_place(
        &self,
        e: &EngagementRow,
        actor: &str,
        now: &str,
    ) -> Result<Result<(), TakeRefused>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let taken = sqlx::query("UPDATE jobs SET taken = taken + 1, updated_at = $3 WHERE id = $1 AND status = 'open' AND closes_at > $2 AND taken < headcount")
            .bind(&e.job_id)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Err(self.why_not_open(&e.job_id, now).await?));
        }
        let inserted = insert_engagement(&mut tx, e).await;
        match inserted {
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                tx.rollback().await?;
                return Ok(Err(TakeRefused::AlreadyEngaged));
            }
            other => other?,
        }
        insert_event(&mut tx, &e.id, None, &e.status, actor, None, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn why_not_open(&self, job: &str, now: &str) -> Result<TakeRefused, sqlx::Error> {
        let row = sqlx::query("SELECT status, closes_at, taken, headcount FROM jobs WHERE id = $1")
            .bind(job)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(TakeRefused::NotOpen) };
        let (status, closes, taken, headcount): (String, String, i64, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        Ok(if status != "open" || closes.as_str() <= now {
            TakeRefused::NotOpen
        } else if taken >= headcount {
            TakeRefused::Full
        } else {
            TakeRefused::AlreadyEngaged
        })
    }

    /// Write a step if the engagement is still in `from`, with its stamp and effects, and its
    /// event, in one transaction. `Ok(false)`: the status had changed, nothing was written.
    pub async fn transition(&self, t: &Transition<'_>) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let sql = match &t.stamp {
            Stamp::None => {
                "UPDATE engagements SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4"
            }
            Stamp::Agreement { .. } => {
                "UPDATE engagements SET status = $1, updated_at = $2, agreement = $5, agreement_hash = $6 WHERE id = $3 AND status = $4"
            }
            Stamp::CheckedIn { .. } => {
                "UPDATE engagements SET status = $1, updated_at = $2, checked_in_at = $5 WHERE id = $3 AND status = $4"
            }
            Stamp::CheckedOut { .. } => {
                "UPDATE engagements SET status = $1, updated_at = $2, checked_out_at = $5 WHERE id = $3 AND status = $4"
            }
            Stamp::Paid { .. } => {
                "UPDATE engagements SET status = $1, updated_at = $2, paid_cents = $5, paid_method = $6, paid_at = $7 WHERE id = $3 AND status = $4"
            }
            Stamp::Disputed { .. } => {
                "UPDATE engagements SET status = $1, updated_at = $2, dispute_reason = $5 WHERE id = $3 AND status = $4"
            }
        };
        let update = sqlx::query(sql).bind(t.to).bind(t.at).bind(t.id).bind(t.from);
        let update = match &t.stamp {
            Stamp::None => update,
            Stamp::Agreement { text, hash } => update.bind(text).bind(hash),
            Stamp::CheckedIn { at } | Stamp::CheckedOut { at } => update.bind(at),
            Stamp::Paid { cents, method, at } => update.bind(cents).bind(method).bind(at),
            Stamp::Disputed { reason } => update.bind(reason),
        };
        if update.execute(&mut *tx).await?.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if t.release_place {
            sqlx::query("UPDATE jobs SET taken = taken - 1, updated_at = $2 WHERE id = (SELECT job_id FROM engagements WHERE id = $1)").bind(t.id).bind(t.at).execute(&mut *tx).await?;
        }
        if t.completed {
            sqlx::query("UPDATE worker_features SET completed = completed + 1 WHERE account_id = (SELECT worker_id FROM engagements WHERE id = $1)").bind(t.id).execute(&mut *tx).await?;
        }
        if t.no_show {
            sqlx::query("UPDATE worker_features SET no_shows = no_shows + 1 WHERE account_id = (SELECT worker_id FROM engagements WHERE id = $1)").bind(t.id).execute(&mut *tx).await?;
        }
        insert_event(&mut tx, t.id, Some(t.from), t.to, t.actor, t.note, t.at).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Record one party's signature of the agreement with `hash`; the engagement becomes
    /// `signed` with the second signature. `Ok(None)`: not signable (wrong status, hash, or
    /// already signed by this party); `Ok(Some(signed))` otherwise.
    pub async fn sign(
        &self,
        id: &str,
        worker: bool,
        hash: &str,
        actor: &str,
        now: &str,
    ) -> Result<Option<bool>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let sql = if worker {
            "UPDATE engagements SET worker_signed_at = $1, updated_at = $1, status = CASE WHEN employer_signed_at IS NULL THEN status ELSE 'signed' END \
             WHERE id = $2 AND status = 'accepted' AND agreement_hash = $3 AND worker_signed_at IS NULL"
        } else {
            "UPDATE engagements SET employer_signed_at = $1, updated_at = $1, status = CASE WHEN worker_signed_at IS NULL THEN status ELSE 'signed' END \
             WHERE id = $2 AND status = 'accepted' AND agreement_hash = $3 AND employer_signed_at IS NULL"
        };
        if sqlx::query(sql).bind(now).bind(id).bind(hash).execute(&mut *tx).await?.rows_affected()
            == 0
        {
            tx.rollback().await?;
            return Ok(None);
        }
        let status: String = sqlx::query("SELECT status FROM engagements WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let signed = status == "signed";
        let note = if worker { "worker signed" } else { "employer signed" };
        let to = if signed { "signed" } else { "accepted" };
        insert_event(&mut tx, id, Some("accepted"), to, actor, Some(note), now).await?;
        tx.commit().await?;
        Ok(Some(signed))
    }

    /// The engagement with id `id`, whoever's it is (callers check the party).
    pub async fn engagement(&self, id: &str) -> Result<Option<EngagementRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            engagement_columns!(),
            " FROM engagements WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(engagement_from_row).transpose()
    }

    /// A worker's or an employer's engagements, newest first.
    pub async fn engagements_of(&self, account: &str) -> Result<Vec<EngagementRow>, sqlx::Error> {
        let rows = sqlx::query(concat!("SELECT ", engagement_columns!(), " FROM engagements WHERE worker_id = $1 OR employer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200"))
            .bind(account)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(engagement_from_row).collect()
    }

    /// The engagements of one post, oldest first.
    pub async fn job_engagements(&self, job: &str) -> Result<Vec<EngagementRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            engagement_columns!(),
            " FROM engagements WHERE job_id = $1 ORDER BY created_at, id"
        ))
        .bind(job)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(engagement_from_row).collect()
    }

    /// Workers with a live engagement whose work covers `day` (they are not free for another job).
    pub async fn busy_workers(&self, day: &str) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT DISTINCT e.worker_id FROM engagements e JOIN jobs j ON j.id = e.job_id \
             WHERE e.status IN ('offered', 'accepted', 'signed', 'checked_in') AND j.work_start <= $1 AND j.work_end >= $1",
        )
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get(0)).collect()
    }

    /// An engagement's status history, oldest first.
    pub async fn engagement_events(&self, id: &str) -> Result<Vec<EventRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT from_status, to_status, actor, note, at FROM engagement_events WHERE engagement_id = $1 ORDER BY at, id").bind(id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(EventRow {
                    from_status: r.try_get(0)?,
                    to_status: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    note: r.try_get(3)?,
                    at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// A rating by one party of the other; `Ok(false)` if this party already rated.
    pub async fn rate(&self, r: &Rating<'_>) -> Result<bool, sqlx::Error> {
        let Rating { engagement, rater, ratee, score, comment, ratee_is_worker, at } = *r;
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query("INSERT INTO ratings (engagement_id, rater_id, ratee_id, score, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(engagement)
            .bind(rater)
            .bind(ratee)
            .bind(score)
            .bind(comment)
            .bind(at)
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                tx.rollback().await?;
                return Ok(false);
            }
            other => other?,
        };
        if ratee_is_worker {
            sqlx::query("UPDATE worker_features SET rating_sum = rating_sum + $2, rating_count = rating_count + 1 WHERE account_id = $1").bind(ratee).bind(score).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The ratings given on an engagement: (rater, score, comment).
    pub async fn engagement_ratings(
        &self,
        engagement: &str,
    ) -> Result<Vec<(String, i64, Option<String>)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT rater_id, score, comment FROM ratings WHERE engagement_id = $1 ORDER BY created_at",
        )
        .bind(engagement)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }
}

async fn insert_engagement(
    tx: &mut Transaction<'_, Any>,
    e: &EngagementRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO engagements (id, job_id, tenant_code, worker_id, employer_id, status, origin, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&e.id)
    .bind(&e.job_id)
    .bind(&e.tenant_code)
    .bind(&e.worker_id)
    .bind(&e.employer_id)
    .bind(&e.status)
    .bind(&e.origin)
    .bind(&e.created_at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    engagement: &str,
    from: Option<&str>,
    to: &str,
    actor: &str,
    note: Option<&str>,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO engagement_events (id, engagement_id, from_status, to_status, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(engagement)
        .bind(from)
        .bind(to)
        .bind(actor)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

fn engagement_from_row(r: &AnyRow) -> Result<EngagementRow, sqlx::Error> {
    Ok(EngagementRow {
        id: r.try_get("id")?,
        job_id: r.try_get("job_id")?,
        tenant_code: r.try_get("tenant_code")?,
        worker_id: r.try_get("worker_id")?,
        employer_id: r.try_get("employer_id")?,
        status: r.try_get("status")?,
        origin: r.try_get("origin")?,
        agreement: r.try_get("agreement")?,
        agreement_hash: r.try_get("agreement_hash")?,
        worker_signed_at: r.try_get("worker_signed_at")?,
        employer_signed_at: r.try_get("employer_signed_at")?,
        checked_in_at: r.try_get("checked_in_at")?,
        checked_out_at: r.try_get("checked_out_at")?,
        paid_cents: r.try_get("paid_cents")?,
        paid_method: r.try_get("paid_method")?,
        paid_at: r.try_get("paid_at")?,
        dispute_reason: r.try_get("dispute_reason")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
