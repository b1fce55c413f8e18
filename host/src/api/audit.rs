//! Reading and verifying the audit log.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::authz::Actor;
use crate::error::ApiError;
use crate::store::audit::{AuditCheck, AuditEntry};

#[derive(Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only this tenant's entries.
    pub tenant: Option<String>,
    /// How many of the latest entries (1–1000, default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
}

/// The latest audit entries: who did what, to which tenant, when.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = AuditList)), security(("admin" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    actor: Actor,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let tenants = state.store.list_tenants().await?;
    let scope = match p.tenant.as_deref() {
        Some(code) => crate::authz::path_of(code, &tenants).unwrap_or_default(),
        None => {
            tenants.iter().find(|t| t.parent.is_none()).map(|t| t.code.clone()).unwrap_or_default()
        }
    };
    if !state.authz.allowed(&actor, &scope, "audit", "read").await {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看该市场的审计日志(请用 ?tenant= 指定本辖区市场)",
            "not allowed to read this audit log (name a market of yours with ?tenant=)",
        ));
    }
    let limit = p.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            "limit 应在 1 到 1000 之间",
            "limit must be between 1 and 1000",
        )
        .with_field("limit"));
    }
    Ok(Json(AuditList { entries: state.store.audit_entries(p.tenant.as_deref(), limit).await? }))
}

/// Recompute the hash chain: reports the first edited or deleted entry.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditCheck)), security(("admin" = [])))]
pub async fn verify_audit(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<AuditCheck>, ApiError> {
    Ok(Json(state.store.verify_audit().await?))
}
