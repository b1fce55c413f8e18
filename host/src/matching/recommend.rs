//! Recommended workers for one job, best first, with each score's reasons: what its employer
//! (and the market's staff) see, through the JSON API and the employer's pages alike.

use serde::Serialize;
use utoipa::ToSchema;

use super::ScoreReason;
use crate::authz::{Actor, Authz, path_of};
use crate::error::ApiError;
use crate::rules::Rules;
use crate::store::Store;
use crate::store::jobs::JobRow;
use crate::store::matching::WorkerFeatures;

/// A recommended worker (no PII: name, occupations, level, rating).
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerMatch {
    /// The worker's account id (what an offer names).
    pub worker_id: String,
    /// The real name from the worker's profile.
    pub name: Option<String>,
    /// The worker's occupations, by name.
    pub occupations: Vec<String>,
    /// Skill level for this post's occupation: 0 none, 1 五级/初级工 … 5 一级/高级技师 (the
    /// higher of the profile's and a certificate's for the occupation).
    pub skill_level: i64,
    /// From the work place, in km (one decimal).
    pub distance_km: f64,
    /// The average rating, when rated at all.
    pub rating: Option<f64>,
    /// How many ratings the average is of.
    pub rating_count: i64,
    /// Engagements completed.
    pub completed_jobs: i64,
    /// Signed engagements the worker did not come to.
    pub no_shows: i64,
    /// The market's plugin's score (higher is better).
    pub score: f64,
    /// The main contributions to the score, largest first.
    pub reasons: Vec<ScoreReason>,
}

/// The ranking shown for a job.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerRecommendations {
    /// The job's id.
    pub job_id: String,
    /// The receipt of the ranking shown (`GET /api/v1/decisions/{id}` for staff; replayable).
    pub decision_id: Option<String>,
    /// How many verified workers were scored.
    pub pool: usize,
    /// The best workers, best first.
    pub workers: Vec<WorkerMatch>,
}

/// Whether `actor` may see a job's candidates: its employer, or staff allowed to read matching
/// in the job's market.
pub async fn may_see_candidates(
    store: &Store,
    authz: &Authz,
    actor: &Actor,
    job: &JobRow,
) -> Result<bool, ApiError> {
    if actor.id == job.employer_id {
        return Ok(true);
    }
    let Some(domain) = path_of(&job.tenant_code, &store.list_tenants().await?) else {
        return Ok(false);
    };
    Ok(actor.home.is_some() && authz.allowed(actor, &domain, "matching", "read").await)
}

/// The best `k` verified workers for `job` who are not engaged on it yet, scored by the plugin
/// of the job's market; the ranking shown is recorded as a replayable decision.
pub async fn for_job(
    store: &Store,
    rules: &Rules,
    job: &JobRow,
    k: usize,
) -> Result<WorkerRecommendations, ApiError> {
    let tenant = store
        .get_tenant(&job.tenant_code)
        .await?
        .ok_or_else(|| crate::tenants::changes::not_found(&job.tenant_code))?;
    let engaged: Vec<String> =
        store.job_engagements(&job.id).await?.into_iter().map(|e| e.worker_id).collect();
    let pool: Vec<WorkerFeatures> = store
        .verified_workers()
        .await?
        .into_iter()
        .filter(|w| !engaged.contains(&w.account_id))
        .collect();
    let best = super::top(super::score_pool(rules, &tenant, job, &pool).await?, k);
    let shown: Vec<&WorkerFeatures> = best.iter().map(|s| &pool[s.index]).collect();
    let (decision_id, recorded) =
        super::record(rules, &tenant, job, &shown, "job-recommendations").await?;
    let mut workers = Vec::with_capacity(shown.len());
    for (w, scored) in shown.iter().zip(recorded) {
        let Some(scored) = scored else { continue };
        let c = super::candidate(job, w);
        workers.push(WorkerMatch {
            worker_id: w.account_id.clone(),
            name: store.profile(&w.account_id).await?.map(|p| p.name),
            occupations: super::occupation_names(&super::all_occupations(w)),
            skill_level: i64::from(c.skill_level),
            distance_km: (f64::from(c.distance_km) * 10.0).round() / 10.0,
            rating: (w.rating_count > 0).then(|| w.rating_sum as f64 / w.rating_count as f64),
            rating_count: w.rating_count,
            completed_jobs: w.completed,
            no_shows: w.no_shows,
            score: scored.score,
            reasons: scored.reasons,
        });
    }
    Ok(WorkerRecommendations { job_id: job.id.clone(), decision_id, pool: pool.len(), workers })
}
