//! Reading and verifying the audit log.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::audit::AuditQuery;
use crate::authz::Actor;
use crate::error::ApiError;
use crate::store::audit::{AuditCheck, AuditEntry};

#[derive(Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only this tenant's entries.
    pub tenant: Option<String>,
    /// Only this action (`tenant.create`, `authz.grant`, …).
    pub action: Option<String>,
    /// Only this actor (an account id, `admin-token`, `cli`, `system`).
    pub actor: Option<String>,
    /// The cursor: only entries before this `seq` (the `next_before` of the previous page).
    pub before: Option<i64>,
    /// How many of the latest entries (1–1000, default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// The cursor of the next (older) page, when there may be one.
    pub next_before: Option<i64>,
}

/// The latest audit entries: who did what, to which tenant, when; by filter, a page at a time.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = AuditList)), security(("admin" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    actor: Actor,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let q = AuditQuery {
        tenant: p.tenant,
        action: p.action,
        actor: p.actor,
        before: p.before,
        limit: p.limit,
    };
    let page = crate::audit::read(&state.store, &state.authz, &actor, &q).await?;
    Ok(Json(AuditList { entries: page.entries, next_before: page.next_before }))
}

/// Recompute the hash chain: reports the first edited or deleted entry.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditCheck)), security(("admin" = [])))]
pub async fn verify_audit(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<AuditCheck>, ApiError> {
    Ok(Json(state.store.verify_audit().await?))
}
