//! Registering, logging in and out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::extract::Json;
use crate::accounts::staff::NewStaff;
use crate::accounts::{Account, AccountKind, Session};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::store::accounts::{AccountRow, PolicyChange};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Mobile number, `^1[3-9]\d{9}$`.
    pub phone: String,
    /// 8–128 characters with letters and digits.
    pub password: String,
    /// `worker` or `employer` (staff accounts are made by administrators).
    pub kind: AccountKind,
}

/// Register a worker or employer account, valid in every market of the city.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Account), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody, description = "phone already registered")))]
pub async fn register(
    State(state): State<AppState>,
    Json(req): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let account = state.accounts.register_self(&req.phone, &req.password, req.kind).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub phone: String,
    pub password: String,
}

/// Log in; the token goes in `Authorization: Bearer` on later requests.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody, description = "locked after repeated failures")))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    let session = crate::accounts::throttle::login(
        &state.accounts,
        &state.login_throttle,
        peer.ip(),
        &req.phone,
        &req.password,
    )
    .await?;
    Ok(Json(session))
}

/// End the session of the presented token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)), security(("session" = [])))]
pub async fn logout(State(state): State<AppState>, user: User) -> Result<StatusCode, ApiError> {
    state.accounts.logout(&user.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in account (its own phone number in clear).
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Account), (status = 401, body = ErrorBody)), security(("session" = [])))]
pub async fn me(State(state): State<AppState>, user: User) -> Result<Json<Account>, ApiError> {
    Ok(Json(state.accounts.view(&user.account, true)?))
}

/// A logged-in account, from `Authorization: Bearer <session token>`.
pub struct User {
    pub account: AccountRow,
    pub token: String,
}

impl axum::extract::FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<User, ApiError> {
        let token = super::extract::require_bearer(parts)?;
        let account = state.accounts.authenticate(token).await?;
        Ok(User { account, token: token.to_string() })
    }
}

/// On public routes: the caller when a valid token is presented, else nobody (a bad token is
/// refused rather than silently ignored).
impl axum::extract::OptionalFromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<User>, ApiError> {
        match super::extract::bearer(parts) {
            None => Ok(None),
            Some(_) => <User as axum::extract::FromRequestParts<AppState>>::from_request_parts(
                parts, state,
            )
            .await
            .map(Some),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRequest {
    pub phone: String,
    pub password: String,
    /// `city_admin`, `county_admin`, `station_staff`, `agency_staff` or `auditor`.
    pub role: AccountKind,
    /// The market the account works for.
    pub tenant: String,
}

/// Create a staff account in a market of the caller's scope. Only city administrators create
/// city administrators, county administrators and auditors.
#[utoipa::path(post, path = "/api/v1/staff", tag = "auth", request_body = StaffRequest,
    responses((status = 201, body = Account), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn create_staff(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<StaffRequest>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let new = NewStaff {
        phone: &req.phone,
        password: &req.password,
        role: req.role,
        tenant: &req.tenant,
    };
    let account = state.accounts.create_staff(&state.authz, &actor, new).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Remove a staff account (someone left the bureau): it is disabled, its sessions end, and its
/// role is withdrawn on every host at once. Audited. Only city administrators remove
/// administrators and auditors; nobody removes their own account.
#[utoipa::path(delete, path = "/api/v1/staff/{id}", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn remove_staff(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.accounts.remove_staff(&state.authz, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One casbin permission: a role may do `action` (regex) on `object` (pattern).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub role: String,
    pub object: String,
    pub action: String,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyList {
    pub policies: Vec<Policy>,
}

/// The role permissions in force.
#[utoipa::path(get, path = "/api/v1/authz/policies", tag = "auth", responses((status = 200, body = PolicyList)), security(("session" = [])))]
pub async fn list_policies(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<PolicyList>, ApiError> {
    let policies = state
        .authz
        .policies()
        .await?
        .into_iter()
        .map(|(role, object, action)| Policy { role, object, action })
        .collect();
    Ok(Json(PolicyList { policies }))
}

/// Grant a role a permission (city administrators).
#[utoipa::path(post, path = "/api/v1/authz/policies", tag = "auth", request_body = Policy,
    responses((status = 201, body = Policy), (status = 200, body = Policy, description = "already granted")), security(("session" = [])))]
pub async fn add_policy(
    State(state): State<AppState>,
    actor: Actor,
    Json(p): Json<Policy>,
) -> Result<(StatusCode, Json<Policy>), ApiError> {
    let new = state
        .authz
        .change_policy(PolicyChange::Grant, &p.role, &p.object, &p.action, &actor.id)
        .await?;
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(p)))
}

/// Take a permission from a role (city administrators).
#[utoipa::path(delete, path = "/api/v1/authz/policies", tag = "auth", request_body = Policy,
    responses((status = 204), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn remove_policy(
    State(state): State<AppState>,
    actor: Actor,
    Json(p): Json<Policy>,
) -> Result<StatusCode, ApiError> {
    if !state
        .authz
        .change_policy(PolicyChange::Revoke, &p.role, &p.object, &p.action, &actor.id)
        .await?
    {
        return Err(ApiError::not_found("policy_not_found", "没有这条权限", "no such permission"));
    }
    Ok(StatusCode::NO_CONTENT)
}
