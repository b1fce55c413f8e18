//! Recommendations both ways and batch assignment (快速配岗), scored by each market's
//! matching plugin.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::User;
use super::extract::{Json, Query};
use super::jobs::load_job;
use super::tenants::load_tenant;
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::jobs::JobView;
use crate::jobs::feed::FeedParams;
use crate::matching::batch::{self, RunView};
use crate::matching::recommend::{self, WorkerRecommendations};
use crate::matching::{self, ScoreReason};
use crate::store::jobs::{FeedQuery, JobRow};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TopParams {
    /// How many to return: 1–50, default 20.
    pub limit: Option<usize>,
}

fn limit(p: &TopParams) -> Result<usize, ApiError> {
    let k = p.limit.unwrap_or(20);
    if (1..=50).contains(&k) {
        Ok(k)
    } else {
        Err(ApiError::bad_request("invalid_query", "条数应为1至50", "limit must be 1 to 50")
            .with_field("limit"))
    }
}

/// Recommended workers for a job, best first, with each score's reasons (its employer, or the
/// market's staff).
#[utoipa::path(get, path = "/api/v1/jobs/{id}/recommendations", tag = "matching", params(("id" = String, Path), TopParams),
    responses((status = 200, body = WorkerRecommendations), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn workers_for_job(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(params): Query<TopParams>,
) -> Result<Json<WorkerRecommendations>, ApiError> {
    let k = limit(&params)?;
    let job = load_job(&state, &id).await?;
    if !recommend::may_see_candidates(&state.store, &state.authz, &actor, &job).await? {
        return Err(crate::jobs::not_found());
    }
    Ok(Json(recommend::for_job(&state.store, &state.rules, &job, k).await?))
}

#[derive(Serialize, ToSchema)]
pub struct JobMatch {
    pub job: JobView,
    pub score: f64,
    pub reasons: Vec<ScoreReason>,
}

#[derive(Serialize, ToSchema)]
pub struct JobRecommendations {
    pub jobs: Vec<JobMatch>,
    /// Markets whose jobs are left out because their matching rule failed just now (the others
    /// are ranked as usual).
    pub skipped_markets: Vec<SkippedMarket>,
}

/// A market left out of a ranking that spans markets, and why.
#[derive(Serialize, ToSchema)]
pub struct SkippedMarket {
    pub tenant: String,
    pub name: String,
    /// The plugin error code, e.g. `plugin_trap`, `plugin_timeout`, `plugin_busy`.
    pub error: String,
    pub message: String,
}

/// How far around a worker recommended jobs are looked for.
const WORKER_RADIUS_KM: f64 = 50.0;

/// Recommended open jobs for the logged-in worker, best first, each scored by the matching
/// plugin of the job's market.
#[utoipa::path(get, path = "/api/v1/me/recommendations", tag = "matching", params(TopParams),
    responses((status = 200, body = JobRecommendations), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn jobs_for_worker(
    State(state): State<AppState>,
    user: User,
    Query(params): Query<TopParams>,
) -> Result<Json<JobRecommendations>, ApiError> {
    let k = limit(&params)?;
    let me = state.store.worker_features(&user.account.id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "worker_profile_required",
            "请先填写零工实名信息",
            "a worker with a real-name profile is required",
        )
    })?;
    let near = FeedParams {
        lon: Some(me.lon),
        lat: Some(me.lat),
        radius_km: Some(WORKER_RADIUS_KM),
        limit: Some(100),
        ..FeedParams::default()
    };
    let (query, _) = crate::jobs::feed::query(&near, None, state.store.now())?;
    let rows = state.store.feed(&FeedQuery { limit: 500, ..query }).await?;
    let mut scored: Vec<(f64, Vec<ScoreReason>, &JobRow)> = Vec::new();
    let mut by_tenant: std::collections::BTreeMap<&str, Vec<&JobRow>> = Default::default();
    for r in &rows {
        by_tenant.entry(r.tenant_code.as_str()).or_default().push(r);
    }
    let mut skipped_markets = Vec::new();
    for (code, jobs) in by_tenant {
        let tenant = load_tenant(&state, code).await?;
        match matching::score_jobs(&state.rules, &tenant, &jobs, &me).await? {
            Ok(scores) => scored.extend(
                jobs.into_iter()
                    .zip(scores)
                    .filter_map(|(job, s)| s.map(|s| (s.score, s.reasons, job))),
            ),
            Err(e) => {
                let message = ApiError::from(e.clone()).message;
                skipped_markets.push(SkippedMarket {
                    tenant: tenant.code,
                    name: tenant.name,
                    error: e.code().to_string(),
                    message,
                });
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.id.cmp(&b.2.id)));
    let jobs = scored
        .into_iter()
        .take(k)
        .map(|(score, reasons, job)| {
            Ok(JobMatch { job: JobView::new(job, state.accounts.keys(), false)?, score, reasons })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(JobRecommendations { jobs, skipped_markets }))
}

/// Draw up a batch assignment for this market's morning: its open jobs against the workers who
/// checked in today and are free, maximising the total score within headcounts. Staff review
/// the draft, then publish it as offers.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/assignments", tag = "matching", params(("code" = String, Path)),
    responses((status = 201, body = RunView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn draft_assignment(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> Result<(StatusCode, Json<RunView>), ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    Ok((
        StatusCode::CREATED,
        Json(batch::draft(&state.store, &state.rules, &tenant, &actor.id).await?),
    ))
}

/// A batch assignment of this market.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/assignments/{id}", tag = "matching", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn get_assignment(
    State(state): State<AppState>,
    _actor: Actor,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<RunView>, ApiError> {
    Ok(Json(batch::get(&state.store, &code, &id).await?))
}

/// Publish a reviewed draft: every pair becomes an offer to the worker (who still accepts or
/// declines). Pairs whose place was taken meanwhile are skipped with the reason. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/assignments/{id}/publish", tag = "matching", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn publish_assignment(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<RunView>, ApiError> {
    Ok(Json(batch::publish(&state.store, &code, &id, &actor.id).await?))
}
