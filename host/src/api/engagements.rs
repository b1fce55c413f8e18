//! Applying, offering, confirming, signing, attendance, wage settlement and ratings: each
//! handler parses, calls one function of `engagements::workflow`, and shows the engagement.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::User;
use super::extract::Json;
use crate::engagements::Action;
use crate::engagements::view::{EngagementView, view, views};
use crate::engagements::workflow::{self, ActionInput};
use crate::error::{ApiError, ErrorBody};
use crate::store::engagements::EngagementRow;

async fn show(state: &AppState, e: &EngagementRow) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(view(&state.store, state.accounts.keys(), e).await?))
}

/// Apply for a job (在线报名): takes one of its places, first come first served.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/applications", tag = "engagements", params(("id" = String, Path)),
    responses((status = 201, body = EngagementView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody, description = "full, closed, or applied already")), security(("session" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<EngagementView>), ApiError> {
    let row = workflow::apply(&state.store, &user.account.id, &id).await?;
    Ok((StatusCode::CREATED, show(&state, &row).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    /// The worker's account id (e.g. from the job's recommendations).
    pub worker_id: String,
}

/// The employer offers its job directly to a worker (e.g. a recommended one).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/offers", tag = "engagements", params(("id" = String, Path)), request_body = OfferRequest,
    responses((status = 201, body = EngagementView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn offer(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    Json(req): Json<OfferRequest>,
) -> Result<(StatusCode, Json<EngagementView>), ApiError> {
    let row = workflow::offer(&state.store, &user.account.id, &id, &req.worker_id).await?;
    Ok((StatusCode::CREATED, show(&state, &row).await?))
}

#[derive(Serialize, ToSchema)]
pub struct EngagementList {
    pub engagements: Vec<EngagementView>,
}

async fn list(
    state: &AppState,
    rows: Vec<EngagementRow>,
) -> Result<Json<EngagementList>, ApiError> {
    let engagements = views(&state.store, state.accounts.keys(), &rows).await?;
    Ok(Json(EngagementList { engagements }))
}

/// The applicants and engaged workers of one's own job (another employer's: 404).
#[utoipa::path(get, path = "/api/v1/jobs/{id}/engagements", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementList), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn job_engagements(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<EngagementList>, ApiError> {
    list(&state, workflow::of_job(&state.store, &user.account.id, &id).await?).await
}

/// One's own engagements (as worker or employer), newest first.
#[utoipa::path(get, path = "/api/v1/me/engagements", tag = "engagements", responses((status = 200, body = EngagementList)), security(("session" = [])))]
pub async fn my_engagements(
    State(state): State<AppState>,
    user: User,
) -> Result<Json<EngagementList>, ApiError> {
    list(&state, state.store.engagements_of(&user.account.id).await?).await
}

/// One engagement, with its agreement, history and ratings (its parties only).
#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn get_engagement(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<EngagementView>, ApiError> {
    let (e, _) = workflow::as_party(&state.store, &user.account.id, &id).await?;
    show(&state, &e).await
}

/// Take an action on an engagement: `offer`, `turn-down`, `withdraw`, `decline`, `accept`,
/// `sign`, `no-show`, `check-in`, `check-out`, `pay`, `confirm`, `dispute` or `rate`. A wrong party gets
/// 403, a wrong moment 409 with the current status, and nothing is written.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/{action}", tag = "engagements", params(("id" = String, Path), ("action" = String, Path)),
    request_body = ActionInput,
    responses((status = 200, body = EngagementView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
pub async fn act(
    State(state): State<AppState>,
    user: User,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<EngagementView>, ApiError> {
    let action = Action::parse(&action).ok_or_else(|| {
        ApiError::not_found("action_not_found", "没有这个操作", "unknown action")
            .with_field("action")
    })?;
    let input: ActionInput = if body.iter().all(u8::is_ascii_whitespace) {
        ActionInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request("invalid_body", "请求内容格式错误", &e.to_string())
        })?
    };
    let row = workflow::act(&state.store, &user.account.id, &id, action, &input).await?;
    show(&state, &row).await
}
