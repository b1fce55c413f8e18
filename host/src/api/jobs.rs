//! Job posts: publishing (reviewed by the tenant's plugin), the staff hold queue, the city and
//! market feeds, occupations, QR codes and market check-ins.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::User;
use super::extract::{Json, Query};
use super::tenants::load_tenant;
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::jobs::feed::{self, FeedPage, FeedParams};
use crate::jobs::occupations::{OCCUPATIONS, Occupation};
use crate::jobs::{self, JobInput, JobView, qr};
use crate::store::jobs::JobRow;

/// The post with this id, or `job_not_found`.
pub async fn load_job(state: &AppState, id: &str) -> Result<JobRow, ApiError> {
    crate::jobs::load(&state.store, id).await
}

/// Publish a post. The market's posting-review plugin decides: `open` (published), `rejected`
/// (with its reasons) or `held` (waiting for the market's staff).
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", request_body = JobInput,
    responses((status = 201, body = JobView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "not a verified employer")),
    security(("session" = [])))]
pub async fn post_job(
    State(state): State<AppState>,
    user: User,
    Json(input): Json<JobInput>,
) -> Result<(StatusCode, Json<JobView>), ApiError> {
    let row =
        jobs::publish(&state.store, &state.rules, state.accounts.keys(), &user.account, input)
            .await?;
    Ok((StatusCode::CREATED, Json(JobView::new(&row, state.accounts.keys(), true)?)))
}

/// One post. Open posts are public; others only to their employer.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", params(("id" = String, Path)),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    user: Option<User>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let row = load_job(&state, &id).await?;
    let owner = user.is_some_and(|u| u.account.id == row.employer_id);
    if row.status != "open" && !owner {
        return Err(crate::jobs::not_found());
    }
    Ok(Json(JobView::new(&row, state.accounts.keys(), owner)?))
}

#[derive(Serialize, ToSchema)]
pub struct JobList {
    pub jobs: Vec<JobView>,
}

/// The employer's own posts, newest first, with their review status and reasons.
#[utoipa::path(get, path = "/api/v1/me/jobs", tag = "jobs", responses((status = 200, body = JobList)), security(("session" = [])))]
pub async fn my_jobs(State(state): State<AppState>, user: User) -> Result<Json<JobList>, ApiError> {
    let rows = state.store.employer_jobs(&user.account.id).await?;
    let jobs = rows
        .iter()
        .map(|r| JobView::new(r, state.accounts.keys(), true))
        .collect::<Result<_, _>>()?;
    Ok(Json(JobList { jobs }))
}

/// The employer stops hiring on its post.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/close", tag = "jobs", params(("id" = String, Path)),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn close_job(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let row = load_job(&state, &id).await?;
    if row.employer_id != user.account.id {
        return Err(crate::jobs::not_found());
    }
    if !state.store.close_job(&id, &user.account.id).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "job_not_open",
            &format!("该招聘信息状态为 {},不能关闭", row.status),
            &format!("the post is {}, it cannot be closed", row.status),
        ));
    }
    Ok(Json(JobView::new(&load_job(&state, &id).await?, state.accounts.keys(), true)?))
}

/// The city feed: every market's open posts.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(FeedParams),
    responses((status = 200, body = FeedPage), (status = 400, body = ErrorBody)))]
pub async fn city_feed(
    State(state): State<AppState>,
    Query(params): Query<FeedParams>,
) -> Result<Json<FeedPage>, ApiError> {
    run_feed(&state, &params, None).await
}

/// A market's feed: its own open posts and those of the markets under it.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/jobs", tag = "jobs", params(("code" = String, Path), FeedParams),
    responses((status = 200, body = FeedPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tenant_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<FeedParams>,
) -> Result<Json<FeedPage>, ApiError> {
    load_tenant(&state, &code).await?;
    let tenants = state.store.list_tenants().await?;
    run_feed(&state, &params, Some(feed::subtree(&code, &tenants))).await
}

async fn run_feed(
    state: &AppState,
    params: &FeedParams,
    tenants: Option<Vec<String>>,
) -> Result<Json<FeedPage>, ApiError> {
    Ok(Json(feed::run(&state.store, state.accounts.keys(), params, tenants).await?))
}

/// Posts of this market held for staff review, oldest first.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/jobs/held", tag = "jobs", params(("code" = String, Path)),
    responses((status = 200, body = JobList)), security(("session" = [])))]
pub async fn held_jobs(
    State(state): State<AppState>,
    _actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<JobList>, ApiError> {
    let rows = state.store.held_jobs(&code).await?;
    let jobs = rows
        .iter()
        .map(|r| JobView::new(r, state.accounts.keys(), false))
        .collect::<Result<_, _>>()?;
    Ok(Json(JobList { jobs }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeldDecision {
    pub approve: bool,
    /// Required when rejecting: shown to the employer.
    pub reason: Option<String>,
}

/// Staff publish or reject a held post. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/jobs/{id}/review", tag = "jobs", params(("code" = String, Path), ("id" = String, Path)),
    request_body = HeldDecision, responses((status = 200, body = JobView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn review_held(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, id)): Path<(String, String)>,
    Json(req): Json<HeldDecision>,
) -> Result<Json<JobView>, ApiError> {
    let row = crate::jobs::review_held(
        &state.store,
        &code,
        &id,
        req.approve,
        req.reason.as_deref(),
        &actor.id,
    )
    .await?;
    Ok(Json(JobView::new(&row, state.accounts.keys(), false)?))
}

#[derive(Serialize, ToSchema)]
pub struct OccupationList {
    pub occupations: Vec<Occupation>,
}

/// The common gig occupations with their 职业分类大典 codes.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "jobs", responses((status = 200, body = OccupationList)))]
pub async fn occupations() -> Json<OccupationList> {
    Json(OccupationList { occupations: OCCUPATIONS.to_vec() })
}

/// `http://host` as the client reached us, for links inside QR codes.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c)))
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

fn qr_response(link: &str, format: &str) -> Result<Response, ApiError> {
    let err = |e: qr::QrError| ApiError::internal(e.0);
    Ok(match format {
        "png" => {
            ([(header::CONTENT_TYPE, "image/png")], qr::png(link, 8).map_err(err)?).into_response()
        }
        _ => {
            ([(header::CONTENT_TYPE, "image/svg+xml")], qr::svg(link).map_err(err)?).into_response()
        }
    })
}

/// The QR code of an open post: its link opens the post.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/qr.png", tag = "jobs", params(("id" = String, Path)), responses((status = 200, content_type = "image/png"), (status = 404, body = ErrorBody)))]
pub async fn job_qr_png(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    job_qr(&state, &headers, &id, "png").await
}

/// The QR code of an open post, as SVG.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/qr.svg", tag = "jobs", params(("id" = String, Path)), responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = ErrorBody)))]
pub async fn job_qr_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    job_qr(&state, &headers, &id, "svg").await
}

async fn job_qr(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    format: &str,
) -> Result<Response, ApiError> {
    let row = load_job(state, id).await?;
    if row.status != "open" {
        return Err(crate::jobs::not_found());
    }
    qr_response(&format!("{}/api/v1/jobs/{}", base_url(headers), row.id), format)
}

/// A market's QR code: scanning it with the app records a check-in (扫码登记) for the day.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/qr.png", tag = "jobs", params(("code" = String, Path)), responses((status = 200, content_type = "image/png"), (status = 404, body = ErrorBody)))]
pub async fn tenant_qr_png(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    qr_response(&format!("{}/api/v1/tenants/{}/check-ins", base_url(&headers), tenant.code), "png")
}

/// A market's QR code, as SVG.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/qr.svg", tag = "jobs", params(("code" = String, Path)), responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = ErrorBody)))]
pub async fn tenant_qr_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    qr_response(&format!("{}/api/v1/tenants/{}/check-ins", base_url(&headers), tenant.code), "svg")
}

#[derive(Serialize, ToSchema)]
pub struct CheckIn {
    pub tenant: String,
    /// China date.
    pub day: String,
    /// `false` when already checked in today.
    pub new: bool,
}

/// Check in at a market for today (what the market's QR code leads to).
#[utoipa::path(post, path = "/api/v1/tenants/{code}/check-ins", tag = "jobs", params(("code" = String, Path)),
    responses((status = 200, body = CheckIn), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    user: User,
    Path(code): Path<String>,
) -> Result<Json<CheckIn>, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    if user.account.kind != "worker" {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "workers_only",
            "仅零工人员需要扫码登记",
            "only workers check in at a market",
        ));
    }
    tenant.ensure_active()?;
    let day = state.store.clock().today().to_string();
    let new = state.store.check_in(&tenant.code, &user.account.id, &day).await?;
    Ok(Json(CheckIn { tenant: tenant.code, day, new }))
}

#[derive(Serialize, ToSchema)]
pub struct CheckInList {
    pub day: String,
    pub accounts: Vec<String>,
}

/// Who checked in at this market today.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/check-ins", tag = "jobs", params(("code" = String, Path)),
    responses((status = 200, body = CheckInList)), security(("session" = [])))]
pub async fn list_check_ins(
    State(state): State<AppState>,
    _actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<CheckInList>, ApiError> {
    let day = state.store.clock().today().to_string();
    let accounts = state.store.checked_in(&code, &day).await?;
    Ok(Json(CheckInList { day, accounts }))
}
