//! Registering, logging in and out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::extract::Json;
use crate::accounts::{Account, AccountKind, Session};
use crate::error::{ApiError, ErrorBody};
use crate::store::accounts::AccountRow;

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
pub async fn register(State(state): State<AppState>, Json(req): Json<RegisterRequest>) -> Result<(StatusCode, Json<Account>), ApiError> {
    if !req.kind.self_service() {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "staff_account", "工作人员账号由管理员创建", "staff accounts are created by administrators").with_field("kind"));
    }
    let account = state.accounts.register(&req.phone, &req.password, req.kind, None).await?;
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
pub async fn login(State(state): State<AppState>, Json(req): Json<LoginRequest>) -> Result<Json<Session>, ApiError> {
    Ok(Json(state.accounts.login(&req.phone, &req.password).await?))
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
        let token = super::extract::bearer(parts).ok_or_else(|| {
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录(Authorization: Bearer 令牌)", "log in first (Authorization: Bearer <token>)")
        })?;
        let account = state.accounts.authenticate(token).await?;
        Ok(User { account, token: token.to_string() })
    }
}
