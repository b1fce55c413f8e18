//! Real-name profiles and their verification by a market's staff (双实名).

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::User;
use super::extract::Json;
use crate::accounts::profiles::{self, ProfileInput};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::identity::idcard;
use crate::identity::pii::mask_id_number;
use crate::store::audit::AuditEvent;
use crate::store::profiles::ProfileRow;

/// A profile as shown: the ID number masked except to its owner and to staff who ask for it
/// (an audited read).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub account_id: String,
    pub kind: String,
    pub home_tenant: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub region_code: Option<String>,
    pub uscc: Option<String>,
    pub details: serde_json::Value,
    /// `unverified`, `verified` or `rejected`.
    pub verification: String,
    pub verification_reason: Option<String>,
    pub verified_at: Option<String>,
}

fn view(state: &AppState, row: &ProfileRow, unmasked: bool) -> Result<ProfileView, ApiError> {
    let id = match &row.id_enc {
        Some(enc) => Some(state.accounts.keys().decrypt(enc).map_err(ApiError::internal)?),
        None => None,
    };
    let parsed = id.as_deref().and_then(|n| idcard::parse(n, state.store.clock().today()).ok());
    Ok(ProfileView {
        account_id: row.account_id.clone(),
        kind: row.kind.clone(),
        home_tenant: row.home_tenant.clone(),
        name: row.name.clone(),
        id_number: id.map(|n| if unmasked { n } else { mask_id_number(&n) }),
        birth_date: parsed.as_ref().map(|p| p.birth_date.to_string()),
        sex: parsed
            .as_ref()
            .map(|p| if p.sex == idcard::Sex::Male { "男" } else { "女" }.to_string()),
        region_code: parsed.map(|p| p.region_code),
        uscc: row.uscc.clone(),
        details: serde_json::from_str(&row.details).map_err(ApiError::internal)?,
        verification: row.verification.clone(),
        verification_reason: row.verification_reason.clone(),
        verified_at: row.verified_at.clone(),
    })
}

/// Submit or change one's real-name profile; it becomes unverified until staff verify it.
#[utoipa::path(put, path = "/api/v1/me/profile", tag = "profiles", request_body = ProfileInput,
    responses((status = 200, body = ProfileView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody, description = "ID number registered to another account")),
    security(("session" = [])))]
pub async fn put_profile(
    State(state): State<AppState>,
    user: User,
    Json(input): Json<ProfileInput>,
) -> Result<Json<ProfileView>, ApiError> {
    let url = state.config.verification_url.as_deref();
    let row =
        profiles::submit(&state.store, state.accounts.keys(), url, &user.account, &input).await?;
    Ok(Json(view(&state, &row, true)?))
}

/// One's own profile, ID number in clear.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "profiles", responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn get_profile(
    State(state): State<AppState>,
    user: User,
) -> Result<Json<ProfileView>, ApiError> {
    let row = state.store.profile(&user.account.id).await?.ok_or_else(profiles::not_found)?;
    Ok(Json(view(&state, &row, true)?))
}

#[derive(Serialize, ToSchema)]
pub struct PendingList {
    pub profiles: Vec<ProfileView>,
}

/// Profiles of this market waiting for verification (ID numbers masked).
#[utoipa::path(get, path = "/api/v1/tenants/{code}/verifications", tag = "profiles", params(("code" = String, Path)),
    responses((status = 200, body = PendingList)), security(("session" = [])))]
pub async fn pending(
    State(state): State<AppState>,
    _actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<PendingList>, ApiError> {
    let rows = state.store.pending_profiles(&code).await?;
    let profiles = rows.iter().map(|r| view(&state, r, false)).collect::<Result<_, _>>()?;
    Ok(Json(PendingList { profiles }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub approve: bool,
    /// Required when rejecting: what the person must correct.
    pub reason: Option<String>,
}

/// Verify or reject a profile registered with this market. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/verifications/{account}", tag = "profiles",
    params(("code" = String, Path), ("account" = String, Path)), request_body = VerifyRequest,
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn verify(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, account)): Path<(String, String)>,
    Json(req): Json<VerifyRequest>,
) -> Result<Json<ProfileView>, ApiError> {
    let row = profiles::verify(
        &state.store,
        &code,
        &account,
        req.approve,
        req.reason.as_deref(),
        &actor.id,
    )
    .await?;
    Ok(Json(view(&state, &row, false)?))
}

/// A person's profile with the ID number in clear, for entitled staff. Every such read is audited.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/people/{account}", tag = "profiles",
    params(("code" = String, Path), ("account" = String, Path)), responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn person(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, account)): Path<(String, String)>,
) -> Result<Json<ProfileView>, ApiError> {
    let row = state
        .store
        .profile(&account)
        .await?
        .filter(|p| p.home_tenant == code)
        .ok_or_else(profiles::not_found)?;
    state
        .store
        .audit(AuditEvent {
            actor: &actor.id,
            tenant_code: Some(&code),
            action: "pii.read",
            target: Some(&account),
            detail: serde_json::json!({"fields": ["id_number"]}),
        })
        .await?;
    Ok(Json(view(&state, &row, true)?))
}
