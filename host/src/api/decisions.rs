//! Decision receipts: show and replay.

use axum::extract::{Path, State};

use super::AppState;
use super::extract::Json;
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::rules::ReplayReport;
use crate::store::rules::Decision;

/// One recorded decision: tenant, slot, plugin hash, configuration, input, output, fuel, time.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = String, Path)),
    responses((status = 200, body = Decision), (status = 404, body = ErrorBody)), security(("admin" = [])))]
pub async fn get_decision(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Decision>, ApiError> {
    Ok(Json(visible_decision(&state, &actor, &id).await?))
}

/// A decision the actor may read: one of a tenant in its scope. Others are "not found", so that
/// probing ids reveals nothing about other markets.
async fn visible_decision(state: &AppState, actor: &Actor, id: &str) -> Result<Decision, ApiError> {
    let decision = state.rules.decision(id).await?;
    let path = crate::authz::path_of(&decision.tenant_code, &state.store.list_tenants().await?)
        .unwrap_or_default();
    if state.authz.allowed(actor, &path, "decisions", "read").await {
        Ok(decision)
    } else {
        Err(crate::rules::decision_not_found(id))
    }
}

/// Re-run a recorded decision and report whether output and fuel are identical.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/replay", tag = "decisions", params(("id" = String, Path)),
    responses((status = 200, body = ReplayReport), (status = 404, body = ErrorBody)), security(("admin" = [])))]
pub async fn replay_decision(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<ReplayReport>, ApiError> {
    visible_decision(&state, &actor, &id).await?;
    Ok(Json(state.rules.replay(&id).await?))
}
