//! Recommendations both ways and batch assignment (快速配岗), scored by each market's
//! matching plugin.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::User;
use super::engagements::take;
use super::extract::{Json, Query};
use super::jobs::load_job;
use super::tenants::load_tenant;
use crate::authz::{Actor, path_of};
use crate::error::{ApiError, ErrorBody};
use crate::jobs::JobView;
use crate::jobs::feed::FeedParams;
use crate::matching::{self, ScoreReason, assign};
use crate::store::audit::AuditEvent;
use crate::store::jobs::{FeedQuery, JobRow};
use crate::store::matching::{ItemRow, RunRow, WorkerFeatures};

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

/// A recommended worker (no PII: name, occupations, level, rating).
#[derive(Serialize, ToSchema)]
pub struct WorkerMatch {
    pub worker_id: String,
    pub name: Option<String>,
    pub occupations: Vec<String>,
    pub skill_level: i64,
    pub distance_km: f64,
    pub rating: Option<f64>,
    pub rating_count: i64,
    pub completed_jobs: i64,
    /// Signed engagements the worker did not come to.
    pub no_shows: i64,
    pub score: f64,
    pub reasons: Vec<ScoreReason>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkerRecommendations {
    pub job_id: String,
    /// The receipt of the ranking shown (`GET /api/v1/decisions/{id}` for staff; replayable).
    pub decision_id: Option<String>,
    /// How many verified workers were scored.
    pub pool: usize,
    pub workers: Vec<WorkerMatch>,
}

/// The job's employer, or staff allowed to read matching in the job's market.
async fn may_see_candidates(
    state: &AppState,
    actor: &Actor,
    job: &JobRow,
) -> Result<bool, ApiError> {
    if actor.id == job.employer_id {
        return Ok(true);
    }
    let Some(domain) = path_of(&job.tenant_code, &state.store.list_tenants().await?) else {
        return Ok(false);
    };
    Ok(actor.home.is_some() && state.authz.allowed(actor, &domain, "matching", "read").await)
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
    if !may_see_candidates(&state, &actor, &job).await? {
        return Err(ApiError::not_found("job_not_found", "没有该招聘信息", "no such job post"));
    }
    let tenant = load_tenant(&state, &job.tenant_code).await?;
    let engaged: Vec<String> =
        state.store.job_engagements(&id).await?.into_iter().map(|e| e.worker_id).collect();
    let pool: Vec<WorkerFeatures> = state
        .store
        .verified_workers()
        .await?
        .into_iter()
        .filter(|w| !engaged.contains(&w.account_id))
        .collect();
    let best = matching::top(matching::score_pool(&state.rules, &tenant, &job, &pool).await?, k);
    let shown: Vec<&WorkerFeatures> = best.iter().map(|s| &pool[s.index]).collect();
    let (decision_id, recorded) =
        matching::record(&state.rules, &tenant, &job, &shown, "job-recommendations").await?;
    let mut workers = Vec::with_capacity(shown.len());
    for (w, scored) in shown.iter().zip(recorded) {
        let Some(scored) = scored else { continue };
        let c = matching::candidate(&job, w);
        workers.push(WorkerMatch {
            worker_id: w.account_id.clone(),
            name: state.store.profile(&w.account_id).await?.map(|p| p.name),
            occupations: matching::occupation_names(&w.occupations),
            skill_level: w.skill_level,
            distance_km: (f64::from(c.distance_km) * 10.0).round() / 10.0,
            rating: (w.rating_count > 0).then(|| w.rating_sum as f64 / w.rating_count as f64),
            rating_count: w.rating_count,
            completed_jobs: w.completed,
            no_shows: w.no_shows,
            score: scored.score,
            reasons: scored.reasons,
        });
    }
    Ok(Json(WorkerRecommendations { job_id: id, decision_id, pool: pool.len(), workers }))
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

/// One proposed pair of a batch assignment.
#[derive(Serialize, ToSchema)]
pub struct PairView {
    pub job_id: String,
    pub job_title: String,
    pub worker_id: String,
    pub worker_name: Option<String>,
    pub score: f64,
    pub reasons: Vec<ScoreReason>,
    /// The receipt of the scoring call of this job.
    pub decision_id: Option<String>,
    /// After publishing: the offer made.
    pub engagement_id: Option<String>,
    /// After publishing: why no offer was made (the place was taken meanwhile, …).
    pub skipped: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RunView {
    pub id: String,
    pub tenant: String,
    pub day: String,
    /// `draft` or `published`.
    pub status: String,
    pub total_score: f64,
    /// How many open jobs and checked-in, available workers were considered.
    pub jobs: i64,
    pub workers: i64,
    pub pairs: Vec<PairView>,
    pub created_by: String,
    pub published_by: Option<String>,
}

async fn run_view(state: &AppState, run: RunRow, items: Vec<ItemRow>) -> Result<RunView, ApiError> {
    let mut pairs = Vec::with_capacity(items.len());
    for i in items {
        pairs.push(PairView {
            job_title: state.store.job(&i.job_id).await?.map(|j| j.title).unwrap_or_default(),
            worker_name: state.store.profile(&i.worker_id).await?.map(|p| p.name),
            reasons: serde_json::from_str(&i.reasons).map_err(ApiError::internal)?,
            job_id: i.job_id,
            worker_id: i.worker_id,
            score: i.score,
            decision_id: i.decision_id,
            engagement_id: i.engagement_id,
            skipped: i.skipped,
        });
    }
    Ok(RunView {
        id: run.id,
        tenant: run.tenant_code,
        day: run.day,
        status: run.status,
        total_score: run.total_score,
        jobs: run.jobs,
        workers: run.workers,
        pairs,
        created_by: run.created_by,
        published_by: run.published_by,
    })
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
    let day = state.store.clock().today().to_string();
    let jobs = state.store.open_jobs_of(&code, &state.store.now()).await?;
    let busy = state.store.busy_workers(&day).await?;
    let present: Vec<String> = state
        .store
        .checked_in(&code, &day)
        .await?
        .into_iter()
        .filter(|w| !busy.contains(w))
        .collect();
    let workers = state.store.workers_features(&present).await?;
    let mut edges = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        let scored = matching::score_pool(&state.rules, &tenant, job, &workers).await?;
        edges.extend(scored.into_iter().map(|r| assign::Edge {
            job: j,
            worker: r.index,
            score: r.score,
        }));
    }
    let headcounts: Vec<u32> =
        jobs.iter().map(|j| (j.headcount - j.taken).clamp(0, i64::from(u32::MAX)) as u32).collect();
    let chosen = assign::assign(&headcounts, workers.len(), &edges);
    // Receipts (and reasons) for what staff will review: each job's chosen workers, scored once
    // more through the receipt-keeping call.
    let mut items = Vec::with_capacity(chosen.len());
    for (j, job) in jobs.iter().enumerate() {
        let mine: Vec<&assign::Assignment> = chosen.iter().filter(|a| a.job == j).collect();
        if mine.is_empty() {
            continue;
        }
        let shown: Vec<&WorkerFeatures> = mine.iter().map(|a| &workers[a.worker]).collect();
        let (decision, scores) =
            matching::record(&state.rules, &tenant, job, &shown, "batch-assignment").await?;
        for (a, s) in mine.into_iter().zip(scores) {
            let reasons: Vec<ScoreReason> = s.map(|s| s.reasons).unwrap_or_default();
            items.push(ItemRow {
                job_id: job.id.clone(),
                worker_id: workers[a.worker].account_id.clone(),
                score: a.score,
                reasons: serde_json::to_string(&reasons).map_err(ApiError::internal)?,
                decision_id: decision.clone(),
                engagement_id: None,
                skipped: None,
            });
        }
    }
    let run = RunRow {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_code: code.clone(),
        day,
        status: "draft".into(),
        total_score: chosen.iter().map(|a| a.score).sum(),
        jobs: jobs.len() as i64,
        workers: workers.len() as i64,
        created_by: actor.id.clone(),
        created_at: state.store.now(),
        published_by: None,
        published_at: None,
    };
    state.store.insert_run(&run, &items).await?;
    let detail = serde_json::json!({"run": run.id, "pairs": items.len(), "jobs": run.jobs, "workers": run.workers});
    state
        .store
        .audit(AuditEvent {
            actor: &actor.id,
            tenant_code: Some(&code),
            action: "assignment.draft",
            target: Some(&run.id),
            detail,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(run_view(&state, run, items).await?)))
}

fn run_not_found() -> ApiError {
    ApiError::not_found("run_not_found", "没有该配岗方案", "no such assignment run")
}

/// A batch assignment of this market.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/assignments/{id}", tag = "matching", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn get_assignment(
    State(state): State<AppState>,
    _actor: Actor,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<RunView>, ApiError> {
    let (run, items) = state.store.run(&id, &code).await?.ok_or_else(run_not_found)?;
    Ok(Json(run_view(&state, run, items).await?))
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
    let (_, items) = state.store.run(&id, &code).await?.ok_or_else(run_not_found)?;
    if !state.store.publish_run(&id, &code, &actor.id).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "run_not_draft",
            "该配岗方案已发布",
            "this run was published already",
        ));
    }
    let mut offered = 0;
    for item in &items {
        let outcome = match state.store.job(&item.job_id).await? {
            Some(job) => take(&state, &job, &item.worker_id, "offered", "batch", &actor.id).await?,
            None => Err(crate::store::engagements::TakeRefused::NotOpen),
        };
        match outcome {
            Ok(e) => {
                offered += 1;
                state.store.set_item_outcome(&id, &item.worker_id, Some(&e.id), None).await?;
            }
            Err(why) => {
                state
                    .store
                    .set_item_outcome(&id, &item.worker_id, None, Some(&format!("{why:?}")))
                    .await?
            }
        }
    }
    let detail = serde_json::json!({"offers": offered, "pairs": items.len()});
    state
        .store
        .audit(AuditEvent {
            actor: &actor.id,
            tenant_code: Some(&code),
            action: "assignment.publish",
            target: Some(&id),
            detail,
        })
        .await?;
    let (run, items) = state.store.run(&id, &code).await?.ok_or_else(run_not_found)?;
    Ok(Json(run_view(&state, run, items).await?))
}
