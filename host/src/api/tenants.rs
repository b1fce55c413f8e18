//! Reading the market tree.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::plugins::slots::NamingWorld;
use crate::rules::seed::name_request;
use crate::store::audit::AuditEvent;
use crate::tenants::files::SourcedTenant;
use crate::tenants::{GeoPoint, Tenant, TenantKind, TenantStatus, tree};

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
    state.store.get_tenant(code).await?.ok_or_else(|| {
        ApiError::not_found(
            "tenant_not_found",
            &format!("没有编码为 `{code}` 的市场"),
            &format!("no market with code `{code}`"),
        )
        .with_field("code")
    })
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
    let tenants = state.store.list_tenants().await?;
    let parent_path = tenant
        .parent
        .as_deref()
        .and_then(|p| crate::authz::path_of(p, &tenants))
        .unwrap_or_default();
    if !state.authz.allowed(&actor, &parent_path, "tenants", "write").await {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权在该上级市场下新建市场",
            "not allowed to create markets under this parent",
        )
        .with_field("parent"));
    }
    if state.store.get_tenant(&tenant.code).await?.is_some() {
        let en = format!("a market with code `{}` already exists", tenant.code);
        return Err(ApiError::new(StatusCode::CONFLICT, "tenant_exists", "该编码已被使用", &en)
            .with_field("code"));
    }
    check_change(&state, &tenant, true).await?;
    state.store.upsert_tenants(std::slice::from_ref(&tenant)).await?;
    let detail = serde_json::to_value(&tenant).map_err(ApiError::internal)?;
    state
        .store
        .audit(AuditEvent {
            actor: &actor.id,
            tenant_code: Some(&tenant.code),
            action: "tenant.create",
            target: Some(&tenant.code),
            detail,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(TenantView { tenant, children: Vec::new() })))
}

/// The fields of a market that may change. Code, kind and parent are fixed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPatch {
    pub name: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub opening_hours: Option<String>,
    pub hotline: Option<String>,
    pub complaint_channel: Option<String>,
    pub status: Option<TenantStatus>,
    pub operator: Option<String>,
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
    let before = load_tenant(&state, &code).await?;
    let before_json = serde_json::to_value(&before).map_err(ApiError::internal)?;
    let renamed = patch.name.as_ref().is_some_and(|n| *n != before.name);
    let after = Tenant {
        name: patch.name.unwrap_or(before.name),
        address: patch.address.unwrap_or(before.address),
        location: patch.location.or(before.location),
        opening_hours: patch.opening_hours.unwrap_or(before.opening_hours),
        hotline: patch.hotline.unwrap_or(before.hotline),
        complaint_channel: patch.complaint_channel.unwrap_or(before.complaint_channel),
        status: patch.status.unwrap_or(before.status),
        operator: patch.operator.or(before.operator),
        ..before
    };
    check_change(&state, &after, renamed).await?;
    state.store.upsert_tenants(std::slice::from_ref(&after)).await?;
    let detail = serde_json::json!({"before": before_json, "after": after});
    state
        .store
        .audit(AuditEvent {
            actor: &actor.id,
            tenant_code: Some(&code),
            action: "tenant.update",
            target: Some(&code),
            detail,
        })
        .await?;
    let children = state.store.child_tenant_codes(&code).await?;
    Ok(Json(TenantView { tenant: after, children }))
}

/// Check a created or changed market against the whole stored tree, and (when its name is new)
/// ask the naming plugin that governs its parent.
async fn check_change(
    state: &AppState,
    changed: &Tenant,
    check_name: bool,
) -> Result<(), ApiError> {
    const SOURCE: &str = "request";
    let mut defs: Vec<SourcedTenant> = state
        .store
        .list_tenants()
        .await?
        .into_iter()
        .filter(|t| t.code != changed.code)
        .map(|tenant| SourcedTenant {
            source: format!("tenant {}", tenant.code),
            tenant,
            plugins: Vec::new(),
        })
        .collect();
    defs.push(SourcedTenant {
        source: SOURCE.into(),
        tenant: changed.clone(),
        plugins: Vec::new(),
    });
    if let Err(errors) = tree::check(&defs, &|_| Ok(())) {
        let first = errors.iter().find(|e| e.source == SOURCE).unwrap_or(&errors[0]);
        let err = ApiError::with_message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_tenant",
            first.message.clone(),
        );
        return Err(match &first.field {
            Some(f) => err.with_field(f.clone()),
            None => err,
        });
    }
    if check_name {
        check_name_by_plugin(state, changed).await?;
    }
    Ok(())
}

async fn check_name_by_plugin(state: &AppState, t: &Tenant) -> Result<(), ApiError> {
    let parent = match &t.parent {
        Some(code) => Some(load_tenant(state, code).await?),
        None => None,
    };
    let governing = parent.as_ref().unwrap_or(t);
    let request = name_request(t, parent.as_ref().map(|p| p.name.clone()));
    let verdict = state.rules.call::<NamingWorld>(governing, request, "tenant-name").await?.output;
    if verdict.accepted {
        return Ok(());
    }
    let reasons: Vec<String> =
        verdict.reasons.iter().map(|r| format!("{}({})", r.message, r.code)).collect();
    let suggestion = verdict.canonical_name.map(|n| format!(";建议名称:{n}")).unwrap_or_default();
    let message = format!(
        "名称不符合命名规范:{}{suggestion} / the naming rule refused the name",
        reasons.join(";")
    );
    Err(ApiError::with_message(StatusCode::UNPROCESSABLE_ENTITY, "name_refused", message)
        .with_field("name"))
}
