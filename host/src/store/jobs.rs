//! Stored job posts, their keyword terms, and market check-ins (see `migrations/0007_jobs.sql`).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{DynQuery, Store};

/// A job row; `contact_phone_enc` is ciphertext. It serialises as the public part of a post's view
/// ([`crate::jobs::JobView`] adds what is derived): what is encrypted, stored as JSON text or
/// internal is skipped.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = JobPost)]
pub struct JobRow {
    /// The post's id (UUID v7).
    pub id: String,
    /// The market the post was published in; it shows in that market's feed and its parents'.
    #[serde(rename = "tenant")]
    pub tenant_code: String,
    /// The employer's account id.
    #[serde(skip)]
    pub employer_id: String,
    /// The title, trimmed (2 to 60 characters).
    pub title: String,
    /// The description, trimmed (at most 2000 characters).
    pub description: String,
    /// The occupation code (职业分类大典, e.g. `4-02-05-01`).
    pub occupation_code: String,
    /// How many workers are wanted (1 to 1000).
    pub headcount: i64,
    /// Places held by live engagements (0 to `headcount`); changed only with an engagement.
    #[serde(skip)]
    pub taken: i64,
    /// County-level division code of the work place (e.g. `410225` for 兰考县).
    pub district: String,
    /// Where the work is, trimmed.
    pub address: String,
    /// Longitude of the work place (WGS-84 degrees).
    #[serde(skip)]
    pub lon: f64,
    /// Latitude of the work place (WGS-84 degrees).
    #[serde(skip)]
    pub lat: f64,
    /// The first day of work (China date, `YYYY-MM-DD`).
    pub work_start: String,
    /// The last day of work (China date, `YYYY-MM-DD`).
    pub work_end: String,
    /// Working hours per day (more than 0, at most 24).
    pub daily_hours: f64,
    /// The wage in fen (1/100 yuan) per `wage_unit`.
    pub wage_cents: i64,
    /// `hour`, `day`, `piece` or `month`.
    pub wage_unit: String,
    /// The wage normalised to fen per day, for filters and matching; `None` for piece rates.
    pub wage_cents_per_day: Option<i64>,
    /// When the wage is settled: `daily`, `weekly`, `monthly` or `on_completion`.
    pub settlement: String,
    /// When hiring closes (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`); the feed hides the post after it.
    pub closes_at: String,
    /// The contact person's name, trimmed.
    pub contact_name: String,
    /// The contact number (mobile or landline), encrypted (`keyid:ciphertext`).
    #[serde(skip)]
    pub contact_phone_enc: String,
    /// Requirements, qualifications, age limits and skill level: [`crate::jobs::JobDetails`] as JSON.
    #[serde(skip)]
    pub details: String,
    /// `held`, `open`, `rejected`, `closed` or `expired`.
    pub status: String,
    /// The id of the posting-review decision (its receipt); `None` when no receipt was kept.
    pub review_decision: Option<String>,
    /// The review's reasons (the plugin's, or the staff's), as a JSON array of
    /// [`crate::jobs::ReasonView`].
    #[serde(skip)]
    pub review_reasons: String,
    /// The staff account that decided a held post; `None` while held or when the plugin decided.
    #[serde(skip)]
    pub reviewed_by: Option<String>,
    /// When the post was published (UTC text timestamp).
    pub created_at: String,
    /// When it last changed (UTC text timestamp).
    #[serde(skip)]
    pub updated_at: String,
}

macro_rules! job_columns {
    () => {
        "id, tenant_code, employer_id, title, description, occupation_code, headcount, taken, district, address, lon, lat, \
         work_start, work_end, daily_hours, wage_cents, wage_unit, wage_cents_per_day, settlement, closes_at, contact_name, \
         contact_phone_enc, details, status, review_decision, review_reasons, reviewed_by, created_at, updated_at"
    };
}

/// What the feed asks for. Every filter is optional; `tenants` limits to those markets.
#[derive(Debug, Clone, Default)]
pub struct FeedQuery {
    /// The moment the feed is read at (UTC text timestamp): posts whose hiring closed by then are
    /// left out.
    pub now: String,
    /// Only posts of these markets; `None` for every market.
    pub tenants: Option<Vec<String>>,
    /// Only posts in this county-level division (code).
    pub district: Option<String>,
    /// Only posts of this occupation (code).
    pub occupation: Option<String>,
    /// Only posts paying at least this much, in fen per day (piece rates never match).
    pub wage_min: Option<i64>,
    /// Only posts paying at most this much, in fen per day (piece rates never match).
    pub wage_max: Option<i64>,
    /// Only posts settled this way (`daily`, `weekly`, `monthly`, `on_completion`).
    pub settlement: Option<String>,
    /// (min lon, max lon, min lat, max lat): the box around a radius search.
    pub bbox: Option<(f64, f64, f64, f64)>,
    /// Keywords as jieba cut them; a post must have every one.
    pub terms: Vec<String>,
    /// Newest-first keyset cursor: rows strictly older than (created_at, id).
    pub before: Option<(String, String)>,
    /// The most rows to return.
    pub limit: i64,
}

impl Store {
    /// Insert a post and its search terms together.
    pub async fn insert_job(&self, j: &JobRow, terms: &[String]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO jobs (",
            job_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)"
        ))
        .bind(&j.id)
        .bind(&j.tenant_code)
        .bind(&j.employer_id)
        .bind(&j.title)
        .bind(&j.description)
        .bind(&j.occupation_code)
        .bind(j.headcount)
        .bind(j.taken)
        .bind(&j.district)
        .bind(&j.address)
        .bind(j.lon)
        .bind(j.lat)
        .bind(&j.work_start)
        .bind(&j.work_end)
        .bind(j.daily_hours)
        .bind(j.wage_cents)
        .bind(&j.wage_unit)
        .bind(j.wage_cents_per_day)
        .bind(&j.settlement)
        .bind(&j.closes_at)
        .bind(&j.contact_name)
        .bind(&j.contact_phone_enc)
        .bind(&j.details)
        .bind(&j.status)
        .bind(&j.review_decision)
        .bind(&j.review_reasons)
        .bind(&j.reviewed_by)
        .bind(&j.created_at)
        .bind(&j.updated_at)
        .execute(&mut *tx)
        .await?;
        for term in terms {
            sqlx::query("INSERT INTO job_terms (term, job_id, posted_at) VALUES ($1, $2, $3)")
                .bind(term)
                .bind(&j.id)
                .bind(&j.created_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// The post with id `id`, in any market and any status.
    pub async fn job(&self, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
        let row = sqlx::query(concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Posts of one market waiting for staff review, oldest first.
    pub async fn held_jobs(&self, tenant: &str) -> Result<Vec<JobRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE tenant_code = $1 AND status = 'held' ORDER BY created_at, id"
        ))
        .bind(tenant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// An employer's own posts, newest first.
    pub async fn employer_jobs(&self, employer: &str) -> Result<Vec<JobRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE employer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200"
        ))
        .bind(employer)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Open posts of one market (not its children) whose hiring is still open, for batch assignment.
    pub async fn open_jobs_of(&self, tenant: &str, now: &str) -> Result<Vec<JobRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE tenant_code = $1 AND status = 'open' AND closes_at > $2 AND taken < headcount ORDER BY created_at, id"
        ))
        .bind(tenant)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// How many posts an employer made since `since`.
    pub async fn count_employer_jobs_since(
        &self,
        employer: &str,
        since: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM jobs WHERE employer_id = $1 AND created_at >= $2")
            .bind(employer)
            .bind(since)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// Staff decide a held post of `tenant`: `open` or `rejected`. Only a post still held changes.
    pub async fn decide_held_job(
        &self,
        tx: &mut super::Tx<'_>,
        id: &str,
        tenant: &str,
        status: &str,
        reasons: &str,
        by: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE jobs SET status = $3, review_reasons = $4, reviewed_by = $5, updated_at = $6 WHERE id = $1 AND tenant_code = $2 AND status = 'held'")
            .bind(id)
            .bind(tenant)
            .bind(status)
            .bind(reasons)
            .bind(by)
            .bind(self.now())
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The employer closes its own open or held post.
    pub async fn close_job(&self, id: &str, employer: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE jobs SET status = 'closed', updated_at = $3 WHERE id = $1 AND employer_id = $2 AND status IN ('open', 'held')")
            .bind(id)
            .bind(employer)
            .bind(self.now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Mark every open or held post whose hiring closed before `now` as expired.
    pub async fn expire_jobs(&self, now: &str) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("UPDATE jobs SET status = 'expired', updated_at = $1 WHERE status IN ('open', 'held') AND closes_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    /// Open posts matching `q`, newest first (or, with a box, every post in it: the caller sorts
    /// by distance).
    pub async fn feed(&self, q: &FeedQuery) -> Result<Vec<JobRow>, sqlx::Error> {
        let rows = feed_query(q, concat!(job_columns!(), " ")).fetch_all(&self.pool).await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Like [`Store::feed`], but only each post's id and place: what a radius search needs to
    /// order thousands of candidates by distance before reading the page's rows.
    pub async fn feed_points(&self, q: &FeedQuery) -> Result<Vec<(String, f64, f64)>, sqlx::Error> {
        let rows = feed_query(q, "jobs.id, lon, lat ").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }

    /// The posts with these ids (in no particular order).
    pub async fn jobs_by_ids(&self, ids: &[String]) -> Result<Vec<JobRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut b = DynQuery::new(concat!("SELECT ", job_columns!(), " FROM jobs WHERE id IN "));
        b.text_list(ids);
        let rows = b.fetch_all(&self.pool).await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Record a market check-in for `day`; `Ok(false)` if already checked in that day.
    pub async fn check_in(
        &self,
        tenant: &str,
        account: &str,
        day: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("INSERT INTO check_ins (tenant_code, account_id, day, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(tenant)
            .bind(account)
            .bind(day)
            .bind(self.now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Accounts checked in at a market on a day.
    pub async fn checked_in(&self, tenant: &str, day: &str) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT account_id FROM check_ins WHERE tenant_code = $1 AND day = $2 ORDER BY at",
        )
        .bind(tenant)
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get(0)).collect()
    }
}

/// The feed's query, selecting `columns`. With keywords, the first word's index entries drive
/// the walk newest first; the other words and the filters are checked per post.
fn feed_query(q: &FeedQuery, columns: &'static str) -> DynQuery {
    let mut b = DynQuery::new("SELECT ");
    b.push(columns);
    let (created, id) = match q.terms.first() {
        Some(first) => {
            b.push("FROM job_terms t JOIN jobs ON jobs.id = t.job_id WHERE t.term = ")
                .text(first.clone());
            ("t.posted_at", "t.job_id")
        }
        None => {
            b.push("FROM jobs WHERE 1 = 1");
            ("jobs.created_at", "jobs.id")
        }
    };
    b.push(" AND status = 'open' AND taken < headcount AND closes_at > ").text(q.now.clone());
    push_filters(&mut b, q);
    for term in q.terms.iter().skip(1) {
        b.push(" AND jobs.id IN (SELECT job_id FROM job_terms WHERE term = ")
            .text(term.clone())
            .push(")");
    }
    if let Some((at, last)) = &q.before {
        b.push(" AND (").push(created).push(" < ").text(at.clone());
        b.push(" OR (")
            .push(created)
            .push(" = ")
            .text(at.clone())
            .push(" AND ")
            .push(id)
            .push(" < ")
            .text(last.clone())
            .push("))");
    }
    b.push(" ORDER BY ").push(created).push(" DESC, ").push(id).push(" DESC LIMIT ").int(q.limit);
    b
}

fn push_filters(b: &mut DynQuery, q: &FeedQuery) {
    if let Some(tenants) = &q.tenants {
        b.push(" AND tenant_code IN ").text_list(tenants);
    }
    if let Some(v) = &q.district {
        b.push(" AND district = ").text(v.clone());
    }
    if let Some(v) = &q.occupation {
        b.push(" AND occupation_code = ").text(v.clone());
    }
    if let Some(v) = &q.settlement {
        b.push(" AND settlement = ").text(v.clone());
    }
    if let Some(min) = q.wage_min {
        b.push(" AND wage_cents_per_day >= ").int(min);
    }
    if let Some(max) = q.wage_max {
        b.push(" AND wage_cents_per_day <= ").int(max);
    }
    if let Some((lon0, lon1, lat0, lat1)) = q.bbox {
        b.push(" AND lon >= ").real(lon0).push(" AND lon <= ").real(lon1);
        b.push(" AND lat >= ").real(lat0).push(" AND lat <= ").real(lat1);
    }
}

pub(crate) fn job_from_row(r: &AnyRow) -> Result<JobRow, sqlx::Error> {
    Ok(JobRow {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        employer_id: r.try_get("employer_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        occupation_code: r.try_get("occupation_code")?,
        headcount: r.try_get("headcount")?,
        taken: r.try_get("taken")?,
        district: r.try_get("district")?,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        work_start: r.try_get("work_start")?,
        work_end: r.try_get("work_end")?,
        daily_hours: r.try_get("daily_hours")?,
        wage_cents: r.try_get("wage_cents")?,
        wage_unit: r.try_get("wage_unit")?,
        wage_cents_per_day: r.try_get("wage_cents_per_day")?,
        settlement: r.try_get("settlement")?,
        closes_at: r.try_get("closes_at")?,
        contact_name: r.try_get("contact_name")?,
        contact_phone_enc: r.try_get("contact_phone_enc")?,
        details: r.try_get("details")?,
        status: r.try_get("status")?,
        review_decision: r.try_get("review_decision")?,
        review_reasons: r.try_get("review_reasons")?,
        reviewed_by: r.try_get("reviewed_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
