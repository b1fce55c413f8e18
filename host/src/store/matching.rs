//! What matching reads and writes: worker features, and batch assignment runs (see
//! `migrations/0008_engagements.sql` and `0009_assignments.sql`).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{DynQuery, Store};

/// One worker's matching features.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerFeatures {
    /// The worker's account id.
    pub account_id: String,
    /// The market of the worker's profile (its home market).
    pub home_tenant: String,
    /// Whether the worker's real-name profile is verified; only verified workers are candidates.
    pub verified: bool,
    /// Occupation codes.
    pub occupations: Vec<String>,
    /// Skill level: 0 none, 1 五级/初级工 … 5 一级/高级技师.
    pub skill_level: i64,
    /// Longitude of the worker's place (their profile's location, else their home market's).
    pub lon: f64,
    /// Latitude of the worker's place.
    pub lat: f64,
    /// The worker's wage expectation, in fen (1/100 yuan) per day.
    pub wage_cents_per_day: i64,
    /// Whether the worker holds a health certificate (健康证).
    pub health_certificate: bool,
    /// The sum of the ratings employers gave the worker (each 1 to 5).
    pub rating_sum: i64,
    /// How many ratings `rating_sum` adds up.
    pub rating_count: i64,
    /// Engagements the worker finished (the wage confirmed).
    pub completed: i64,
    /// Times the worker did not come after signing.
    pub no_shows: i64,
    /// The highest level a skill-level certificate (职业技能等级证书) certifies, per occupation
    /// code (from the worker's skill records, `trainings::skills`); profile refreshes keep it.
    pub certified_levels: std::collections::BTreeMap<String, i64>,
}

/// A stored batch assignment run (快速配岗) of one market's morning.
#[derive(Debug, Clone)]
pub struct RunRow {
    /// The run's id (UUID v7).
    pub id: String,
    /// The market whose morning it assigns.
    pub tenant_code: String,
    /// The day assigned (China date, `YYYY-MM-DD`).
    pub day: String,
    /// `draft`, `published` or `discarded`.
    pub status: String,
    /// The sum of the chosen pairs' scores.
    pub total_score: f64,
    /// How many open posts were considered.
    pub jobs: i64,
    /// How many checked-in, free workers were considered.
    pub workers: i64,
    /// The staff account that drew it up.
    pub created_by: String,
    /// When it was drawn up (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub created_at: String,
    /// The staff account that published it; `None` while a draft.
    pub published_by: Option<String>,
    /// When it was published (UTC text timestamp); `None` while a draft.
    pub published_at: Option<String>,
}

/// One proposed pair of a run: a worker for a post.
#[derive(Debug, Clone)]
pub struct ItemRow {
    /// The post.
    pub job_id: String,
    /// The worker's account id (a worker appears at most once per run).
    pub worker_id: String,
    /// The matching plugin's score for the pair (higher is better).
    pub score: f64,
    /// The plugin's reasons for the score, JSON text of [`crate::matching::ScoreReason`]s.
    pub reasons: String,
    /// The receipt of the scoring call of this post's chosen workers.
    pub decision_id: Option<String>,
    /// After publishing: the offer made; `None` before, or when skipped.
    pub engagement_id: Option<String>,
    /// After publishing: why no offer was made (`job_not_open`, `job_full`, `already_engaged`,
    /// `job_gone`); `None` before, or when an offer was made.
    pub skipped: Option<String>,
}

macro_rules! feature_columns {
    () => {
        "account_id, home_tenant, verified, occupations, skill_level, lon, lat, wage_cents_per_day, health_certificate, rating_sum, rating_count, completed, no_shows"
    };
}

/// What a read of features selects: the written columns and the certified levels (which only
/// `store::trainings` writes).
macro_rules! feature_select {
    () => {
        concat!(feature_columns!(), ", certified_levels")
    };
}

impl Store {
    /// Insert or refresh a worker's profile-derived features, keeping ratings and work counts.
    pub async fn upsert_worker_features(&self, f: &WorkerFeatures) -> Result<(), sqlx::Error> {
        sqlx::query(concat!(
            "INSERT INTO worker_features (",
            feature_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0, 0, 0) \
             ON CONFLICT (account_id) DO UPDATE SET home_tenant = excluded.home_tenant, verified = excluded.verified, occupations = excluded.occupations, \
             skill_level = excluded.skill_level, lon = excluded.lon, lat = excluded.lat, wage_cents_per_day = excluded.wage_cents_per_day, \
             health_certificate = excluded.health_certificate"
        ))
        .bind(&f.account_id)
        .bind(&f.home_tenant)
        .bind(i64::from(f.verified))
        .bind(format!(",{},", f.occupations.join(",")))
        .bind(f.skill_level)
        .bind(f.lon)
        .bind(f.lat)
        .bind(f.wage_cents_per_day)
        .bind(i64::from(f.health_certificate))
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Mark a worker's features verified or not (the benches seed workers this way; the host
    /// refreshes all features with [`Store::upsert_worker_features`]).
    pub async fn set_worker_verified(
        &self,
        account: &str,
        verified: bool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE worker_features SET verified = $2 WHERE account_id = $1")
            .bind(account)
            .bind(i64::from(verified))
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Every verified worker: the candidate pool of a city-wide recommendation.
    pub async fn verified_workers(&self) -> Result<Vec<WorkerFeatures>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            feature_select!(),
            " FROM worker_features WHERE verified = 1 ORDER BY account_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(features_from_row).collect()
    }

    /// The features of the given workers that are verified.
    pub async fn workers_features(
        &self,
        ids: &[String],
    ) -> Result<Vec<WorkerFeatures>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut b = DynQuery::new(concat!(
            "SELECT ",
            feature_select!(),
            " FROM worker_features WHERE verified = 1 AND account_id IN "
        ));
        b.text_list(ids).push(" ORDER BY account_id");
        let rows = b.fetch_all(&self.pool).await?;
        rows.iter().map(features_from_row).collect()
    }

    /// The features of one worker, verified or not; `None` when they have no profile.
    pub async fn worker_features(
        &self,
        account: &str,
    ) -> Result<Option<WorkerFeatures>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            feature_select!(),
            " FROM worker_features WHERE account_id = $1"
        ))
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(features_from_row).transpose()
    }

    /// Store a draft run and its pairs together.
    pub async fn insert_run(
        &self,
        tx: &mut super::Tx<'_>,
        run: &RunRow,
        items: &[ItemRow],
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO assignment_runs (id, tenant_code, day, status, total_score, jobs, workers, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&run.id)
            .bind(&run.tenant_code)
            .bind(&run.day)
            .bind(&run.status)
            .bind(run.total_score)
            .bind(run.jobs)
            .bind(run.workers)
            .bind(&run.created_by)
            .bind(&run.created_at)
            .execute(&mut **tx)
            .await?;
        for i in items {
            sqlx::query("INSERT INTO assignment_items (run_id, job_id, worker_id, score, reasons, decision_id) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&run.id)
                .bind(&i.job_id)
                .bind(&i.worker_id)
                .bind(i.score)
                .bind(&i.reasons)
                .bind(&i.decision_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// A run of `tenant` and its pairs.
    pub async fn run(
        &self,
        id: &str,
        tenant: &str,
    ) -> Result<Option<(RunRow, Vec<ItemRow>)>, sqlx::Error> {
        let Some(r) =
            sqlx::query("SELECT * FROM assignment_runs WHERE id = $1 AND tenant_code = $2")
                .bind(id)
                .bind(tenant)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let run = RunRow {
            id: r.try_get("id")?,
            tenant_code: r.try_get("tenant_code")?,
            day: r.try_get("day")?,
            status: r.try_get("status")?,
            total_score: r.try_get("total_score")?,
            jobs: r.try_get("jobs")?,
            workers: r.try_get("workers")?,
            created_by: r.try_get("created_by")?,
            created_at: r.try_get("created_at")?,
            published_by: r.try_get("published_by")?,
            published_at: r.try_get("published_at")?,
        };
        let rows = sqlx::query("SELECT job_id, worker_id, score, reasons, decision_id, engagement_id, skipped FROM assignment_items WHERE run_id = $1 ORDER BY job_id, worker_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ItemRow {
                    job_id: r.try_get(0)?,
                    worker_id: r.try_get(1)?,
                    score: r.try_get(2)?,
                    reasons: r.try_get(3)?,
                    decision_id: r.try_get(4)?,
                    engagement_id: r.try_get(5)?,
                    skipped: r.try_get(6)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some((run, items)))
    }

    /// Mark a draft published (once). `Ok(false)` if it was not a draft any more.
    pub async fn publish_run(
        &self,
        tx: &mut super::Tx<'_>,
        id: &str,
        tenant: &str,
        by: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE assignment_runs SET status = 'published', published_by = $3, published_at = $4 WHERE id = $1 AND tenant_code = $2 AND status = 'draft'")
            .bind(id)
            .bind(tenant)
            .bind(by)
            .bind(self.now())
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What publishing did with one pair: the offer made, or why none was.
    pub async fn set_item_outcome(
        &self,
        run: &str,
        worker: &str,
        engagement: Option<&str>,
        skipped: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE assignment_items SET engagement_id = $3, skipped = $4 WHERE run_id = $1 AND worker_id = $2")
            .bind(run)
            .bind(worker)
            .bind(engagement)
            .bind(skipped)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

fn features_from_row(r: &AnyRow) -> Result<WorkerFeatures, sqlx::Error> {
    let occupations: String = r.try_get("occupations")?;
    Ok(WorkerFeatures {
        account_id: r.try_get("account_id")?,
        home_tenant: r.try_get("home_tenant")?,
        verified: r.try_get::<i64, _>("verified")? == 1,
        occupations: occupations.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        skill_level: r.try_get("skill_level")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        wage_cents_per_day: r.try_get("wage_cents_per_day")?,
        health_certificate: r.try_get::<i64, _>("health_certificate")? == 1,
        rating_sum: r.try_get("rating_sum")?,
        rating_count: r.try_get("rating_count")?,
        completed: r.try_get("completed")?,
        no_shows: r.try_get("no_shows")?,
        // A malformed value certifies nothing rather than failing every read of the pool.
        certified_levels: serde_json::from_str(&r.try_get::<String, _>("certified_levels")?)
            .unwrap_or_default(),
    })
}
