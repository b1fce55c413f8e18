//! Decision receipts: show and replay.

use axum::extract::{Path, State};

use super::AppState;
use super::extract::{Admin, Json};
use crate::error::{ApiError, ErrorBody};
use crate::rules::ReplayReport;
use crate::store::rules::Decision;


/// One recorded decision: tenant, slot, plugin hash, configuration, input, output, fuel, time.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = String, Path)),
    responses((status = 200, body = Decision), (status = 404, body = ErrorBody)), security(("admin" = [])))]
pub async fn get_decision(State(state): State<AppState>, _admin: Admin, Path(id): Path<String>) -> Result<Json<Decision>, ApiError> {
    Ok(Json(state.rules.decision(&id).await?))
}

/// Re-run a recorded decision and report whether output and fuel are identical.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/replay", tag = "decisions", params(("id" = String, Path)),
    responses((status = 200, body = ReplayReport), (status = 404, body = ErrorBody)), security(("admin" = [])))]
pub async fn replay_decision(State(state): State<AppState>, _admin: Admin, Path(id): Path<String>) -> Result<Json<ReplayReport>, ApiError> {
    Ok(Json(state.rules.replay(&id).await?))
}
