//! Reading the market tree.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::tenants::changes::{self, ServicesPatch, TenantPatch};
use crate::tenants::{Tenant, TenantKind};

/// A market with the codes of the markets directly under it.
#[derive(Serialize, ToSchema)]
pub struct TenantView {
    #[serde(flatten)]
    pub tenant: Tenant,
    /// Codes of the markets whose parent this is.
    pub children: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TenantList {
    /// Depth first from the city: each market followed by the markets under it.
    pub tenants: Vec<TenantView>,
    pub count: usize,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Only markets of this kind: `city`, `county`, `specialty` or `station`.
    pub kind: Option<String>,
}

/// The whole 1+10+N tree of the city's markets.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants", params(ListParams), responses(
    (status = 200, body = TenantList),
    (status = 400, body = ErrorBody, description = "unknown kind")))]
pub async fn list_tenants(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<TenantList>, ApiError> {
    let kind = match params.kind.as_deref() {
        None => None,
        Some(raw) => Some(TenantKind::parse(raw).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_kind",
                "市场类型无效,应为 city、county、specialty 或 station",
                "kind must be city, county, specialty or station",
            )
            .with_field("kind")
        })?),
    };
    let all = state.store.list_tenants().await?;
    let tenants: Vec<TenantView> =
        all.iter().filter(|t| kind.is_none_or(|k| t.kind == k)).map(|t| view(t, &all)).collect();
    Ok(Json(TenantList { count: tenants.len(), tenants }))
}

/// One market by its code.
#[utoipa::path(get, path = "/api/v1/tenants/{code}", tag = "tenants",
    params(("code" = String, Path, description = "Tenant code, e.g. `lankao`")),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody)))]
pub async fn get_tenant(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<TenantView>, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    let children = state.store.child_tenant_codes(&code).await?;
    Ok(Json(TenantView { tenant, children }))
}

/// A market's public service information (主动公开): place, hours, hotline, complaint channel,
/// and from its service-catalog plugin the service items with their guides and time limits and
/// the complaints it takes with what to bring.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/services", tag = "tenants",
    params(("code" = String, Path, description = "Tenant code, e.g. `lankao`")),
    responses((status = 200, body = crate::catalog::Services), (status = 404, body = ErrorBody),
        (status = 502, body = ErrorBody, description = "the market's catalog plugin failed")))]
pub async fn services(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<crate::catalog::Services>, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    let now = state.store.clock().now();
    Ok(Json(crate::catalog::services(&state.rules, &tenant, now).await?))
}

/// Change a market's public service information (address, hours, hotline, complaint channel,
/// 办事指南) as its staff: checked like any change of the market, audited as `tenant.services`.
/// Returns what the public now sees.
#[utoipa::path(patch, path = "/api/v1/tenants/{code}/services", tag = "tenants",
    params(("code" = String, Path, description = "Tenant code, e.g. `lankao`")), request_body = ServicesPatch,
    responses((status = 200, body = crate::catalog::Services), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "a field is empty, too long or malformed")),
    security(("admin" = [])))]
pub async fn patch_services(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(patch): Json<ServicesPatch>,
) -> Result<Json<crate::catalog::Services>, ApiError> {
    let after =
        changes::update_services(&state.store, &state.rules, &actor.id, &code, patch).await?;
    let now = state.store.clock().now();
    Ok(Json(crate::catalog::services(&state.rules, &after, now).await?))
}

fn view(tenant: &Tenant, all: &[Tenant]) -> TenantView {
    let children = all
        .iter()
        .filter(|c| c.parent.as_deref() == Some(&tenant.code))
        .map(|c| c.code.clone())
        .collect();
    TenantView { tenant: tenant.clone(), children }
}

/// A stored tenant, or a structured 404.
pub async fn load_tenant(state: &AppState, code: &str) -> Result<Tenant, ApiError> {
    crate::tenants::load(&state.store, code).await
}

/// Create a market. Its place in the tree is checked like a tenant file, and its name by the
/// naming plugin that governs its parent; a refusal carries the plugin's reasons.
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", request_body = Tenant,
    responses((status = 201, body = TenantView), (status = 409, body = ErrorBody, description = "code taken"),
        (status = 422, body = ErrorBody, description = "refused by the tree rules or the naming plugin")), security(("admin" = [])))]
pub async fn create_tenant(
    State(state): State<AppState>,
    actor: Actor,
    Json(tenant): Json<Tenant>,
) -> Result<(StatusCode, Json<TenantView>), ApiError> {
    changes::create_as(&state.store, &state.rules, &state.authz, &actor, &tenant).await?;
    Ok((StatusCode::CREATED, Json(TenantView { tenant, children: Vec::new() })))
}

/// Change a market's details; a new name is checked by the naming plugin that governs its parent.
#[utoipa::path(patch, path = "/api/v1/tenants/{code}", tag = "tenants", params(("code" = String, Path)), request_body = TenantPatch,
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("admin" = [])))]
pub async fn patch_tenant(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(patch): Json<TenantPatch>,
) -> Result<Json<TenantView>, ApiError> {
    let after = changes::update(&state.store, &state.rules, &actor.id, &code, patch).await?;
    let children = state.store.child_tenant_codes(&code).await?;
    Ok(Json(TenantView { tenant: after, children }))
}

/// Withdraw a market (退出): it takes no new posts, check-ins or complaints; its records stay.
/// Refused for the city and for a market with markets under it still open.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/withdraw", tag = "tenants", params(("code" = String, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the city, already withdrawn, or markets under it still open")), security(("admin" = [])))]
pub async fn withdraw_tenant(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<TenantView>, ApiError> {
    let after = changes::withdraw(&state.store, &actor.id, &code).await?;
    let children = state.store.child_tenant_codes(&code).await?;
    Ok(Json(TenantView { tenant: after, children }))
}
