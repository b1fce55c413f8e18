//! Creating and changing markets: the whole tree stays valid, a new or changed name passes the
//! naming plugin that governs the parent, and each change is stored with its audit entry in one
//! transaction. The JSON API and the console call these.

use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::files::SourcedTenant;
use super::{GeoPoint, Tenant, TenantStatus, tree};
use crate::authz::{Actor, Authz};
use crate::error::ApiError;
use crate::plugins::slots::NamingWorld;
use crate::rules::Rules;
use crate::rules::seed::name_request;
use crate::store::Store;
use crate::store::audit::AuditEvent;

/// The fields of a market that may change. Code, kind and parent are fixed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPatch {
    /// A new official name (checked by the naming plugin that governs the parent).
    pub name: Option<String>,
    /// A new street address.
    pub address: Option<String>,
    /// A new location (longitude, latitude).
    pub location: Option<GeoPoint>,
    /// New opening hours, as shown to the public (运营时间).
    pub opening_hours: Option<String>,
    /// A new service hotline (服务热线): a landline with area code or a mobile number.
    pub hotline: Option<String>,
    /// A new complaint channel (投诉渠道).
    pub complaint_channel: Option<String>,
    /// A new 办事指南 text (at most 2000 characters; empty to withdraw it).
    pub guide: Option<String>,
    /// A new status (`preparing`, `active`, `suspended`, `withdrawn`).
    pub status: Option<TenantStatus>,
    /// A new operator (specialty markets: the HR agency that runs it).
    pub operator: Option<String>,
}

impl TenantPatch {
    /// A new name and nothing else (the console's rename form).
    pub fn rename(name: &str) -> TenantPatch {
        TenantPatch {
            name: Some(name.to_string()),
            address: None,
            location: None,
            opening_hours: None,
            hotline: None,
            complaint_channel: None,
            guide: None,
            status: None,
            operator: None,
        }
    }
}

/// What a market's own staff may change of its public service information (主动公开): where it
/// is, when it is open, how to reach it and complain, and its 办事指南. Name, status and operator
/// stay with `tenants: write`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicesPatch {
    /// A new street address.
    pub address: Option<String>,
    /// New opening hours (运营时间).
    pub opening_hours: Option<String>,
    /// A new service hotline (服务热线).
    pub hotline: Option<String>,
    /// A new complaint channel (投诉渠道).
    pub complaint_channel: Option<String>,
    /// A new 办事指南 text (at most 2000 characters; empty to withdraw it).
    pub guide: Option<String>,
}

impl From<ServicesPatch> for TenantPatch {
    fn from(p: ServicesPatch) -> TenantPatch {
        let trim = |s: Option<String>| s.map(|s| s.trim().to_string());
        TenantPatch {
            name: None,
            address: trim(p.address),
            location: None,
            opening_hours: trim(p.opening_hours),
            hotline: trim(p.hotline),
            complaint_channel: trim(p.complaint_channel),
            guide: trim(p.guide),
            status: None,
            operator: None,
        }
    }
}

/// Create a market (the caller's right to create under its parent is checked by the door).
/// Refused when the code is taken, the tree would break, or the naming plugin refuses the name.
pub async fn create(
    store: &Store,
    rules: &Rules,
    actor: &str,
    tenant: &Tenant,
) -> Result<(), ApiError> {
    if store.get_tenant(&tenant.code).await?.is_some() {
        let en = format!("a market with code `{}` already exists", tenant.code);
        return Err(ApiError::new(StatusCode::CONFLICT, "tenant_exists", "该编码已被使用", &en)
            .with_field("code"));
    }
    check_change(store, rules, tenant, true).await?;
    let detail = serde_json::to_value(tenant).map_err(ApiError::internal)?;
    let event = AuditEvent {
        actor,
        tenant_code: Some(&tenant.code),
        action: "tenant.create",
        target: Some(&tenant.code),
        detail,
    };
    let mut tx = store.begin().await?;
    store.upsert_tenants_in(&mut tx, std::slice::from_ref(tenant)).await?;
    store.audit_in(&mut tx, &event).await?;
    Ok(tx.commit().await?)
}

/// Create a market as `actor`, who must be allowed to write markets under its parent (a county
/// administrator creates stations of its county, the city anything). The JSON API and the city
/// console both come here.
pub async fn create_as(
    store: &Store,
    rules: &Rules,
    authz: &Authz,
    actor: &Actor,
    tenant: &Tenant,
) -> Result<(), ApiError> {
    let tenants = store.list_tenants().await?;
    let parent_path = tenant
        .parent
        .as_deref()
        .and_then(|p| crate::authz::path_of(p, &tenants))
        .unwrap_or_default();
    if !authz.allowed(actor, &parent_path, "tenants", "write").await {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权在该上级市场下新建市场",
            "not allowed to create markets under this parent",
        )
        .with_field("parent"));
    }
    create(store, rules, &actor.id, tenant).await
}

/// Withdraw a market (退出, plan §四(三)): it takes no new posts, check-ins or complaints from
/// now on, and everything it recorded stays. The city cannot be withdrawn, nor a market with
/// markets under it still open (withdraw those first). Audited as `tenant.withdraw`.
pub async fn withdraw(store: &Store, actor: &str, code: &str) -> Result<Tenant, ApiError> {
    let before = store.get_tenant(code).await?.ok_or_else(|| not_found(code))?;
    let refuse = |code: &'static str, zh: &str, en: &str| {
        Err(ApiError::new(StatusCode::CONFLICT, code, zh, en).with_field("code"))
    };
    if before.parent.is_none() {
        return refuse(
            "city_not_withdrawable",
            "市级市场不能退出",
            "the city market cannot be withdrawn",
        );
    }
    if before.status == TenantStatus::Withdrawn {
        return refuse("already_withdrawn", "该市场已经退出", "this market is already withdrawn");
    }
    let open_children: Vec<String> = store
        .list_tenants()
        .await?
        .into_iter()
        .filter(|t| t.parent.as_deref() == Some(code) && t.status != TenantStatus::Withdrawn)
        .map(|t| t.name)
        .collect();
    if !open_children.is_empty() {
        let zh = format!("请先退出下属市场:{}", open_children.join("、"));
        return refuse("has_open_children", &zh, "withdraw the markets under it first");
    }
    let after = Tenant { status: TenantStatus::Withdrawn, ..before.clone() };
    let event = AuditEvent {
        actor,
        tenant_code: Some(code),
        action: "tenant.withdraw",
        target: Some(code),
        detail: serde_json::json!({"from": before.status.as_str(), "to": "withdrawn"}),
    };
    let mut tx = store.begin().await?;
    store.upsert_tenants_in(&mut tx, std::slice::from_ref(&after)).await?;
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(after)
}

/// Change a market's details; a new name passes the naming plugin. Returns the market as it now is.
pub async fn update(
    store: &Store,
    rules: &Rules,
    actor: &str,
    code: &str,
    patch: TenantPatch,
) -> Result<Tenant, ApiError> {
    apply(store, rules, actor, code, patch, "tenant.update").await
}

/// Change a market's public service information (its staff, with `services: write`); checked
/// and audited (`tenant.services`, before and after) like any change of the market.
pub async fn update_services(
    store: &Store,
    rules: &Rules,
    actor: &str,
    code: &str,
    patch: ServicesPatch,
) -> Result<Tenant, ApiError> {
    apply(store, rules, actor, code, patch.into(), "tenant.services").await
}

async fn apply(
    store: &Store,
    rules: &Rules,
    actor: &str,
    code: &str,
    patch: TenantPatch,
    action: &'static str,
) -> Result<Tenant, ApiError> {
    let before = store.get_tenant(code).await?.ok_or_else(|| not_found(code))?;
    let before_json = serde_json::to_value(&before).map_err(ApiError::internal)?;
    let renamed = patch.name.as_ref().is_some_and(|n| *n != before.name);
    let after = Tenant {
        name: patch.name.unwrap_or(before.name),
        address: patch.address.unwrap_or(before.address),
        location: patch.location.or(before.location),
        opening_hours: patch.opening_hours.unwrap_or(before.opening_hours),
        hotline: patch.hotline.unwrap_or(before.hotline),
        complaint_channel: patch.complaint_channel.unwrap_or(before.complaint_channel),
        guide: patch.guide.unwrap_or(before.guide),
        status: patch.status.unwrap_or(before.status),
        operator: patch.operator.or(before.operator),
        ..before
    };
    check_change(store, rules, &after, renamed).await?;
    let detail = serde_json::json!({"before": before_json, "after": after});
    let event = AuditEvent { actor, tenant_code: Some(code), action, target: Some(code), detail };
    let mut tx = store.begin().await?;
    store.upsert_tenants_in(&mut tx, std::slice::from_ref(&after)).await?;
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(after)
}

/// The stored market `code`, or `tenant_not_found` (404): what every door that names a market
/// in its path starts with.
pub async fn load(store: &Store, code: &str) -> Result<Tenant, ApiError> {
    store.get_tenant(code).await?.ok_or_else(|| not_found(code))
}

/// No market with this code.
pub fn not_found(code: &str) -> ApiError {
    ApiError::not_found(
        "tenant_not_found",
        &format!("没有编码为 `{code}` 的市场"),
        &format!("no market with code `{code}`"),
    )
    .with_field("code")
}

/// Check a created or changed market against the whole stored tree, and (when its name is new)
/// ask the naming plugin that governs its parent.
async fn check_change(
    store: &Store,
    rules: &Rules,
    changed: &Tenant,
    check_name: bool,
) -> Result<(), ApiError> {
    const SOURCE: &str = "request";
    let mut defs: Vec<SourcedTenant> = store
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
        check_name_by_plugin(store, rules, changed).await?;
    }
    Ok(())
}

async fn check_name_by_plugin(store: &Store, rules: &Rules, t: &Tenant) -> Result<(), ApiError> {
    let parent = match &t.parent {
        Some(code) => Some(store.get_tenant(code).await?.ok_or_else(|| not_found(code))?),
        None => None,
    };
    let governing = parent.as_ref().unwrap_or(t);
    let request = name_request(t, parent.as_ref().map(|p| p.name.clone()));
    let verdict = rules.call::<NamingWorld>(governing, request, "tenant-name").await?.output;
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
