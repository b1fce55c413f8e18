//! Extractors whose rejections are structured [`ApiError`]s instead of axum's plain text.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;

use crate::error::ApiError;

/// `axum::extract::Query`, rejecting malformed query strings with a structured error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request("bad_query", "查询参数格式错误", &rejection.body_text())
    }
}

/// `axum::Json`, rejecting bad bodies with a structured error that names the field when serde
/// can tell which.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let text = rejection.body_text();
        let field = text.split('`').nth(1).filter(|_| text.contains("field")).map(str::to_string);
        let err = ApiError::bad_request("invalid_body", "请求内容格式错误", &text);
        match field {
            Some(f) => err.with_field(f),
            None => err,
        }
    }
}

/// The token of `Authorization: Bearer <token>`, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// The token of `Authorization: Bearer <token>`, or the 401 that asks to log in.
pub fn require_bearer(parts: &Parts) -> Result<&str, ApiError> {
    bearer(parts).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "unauthorized",
            "请先登录(Authorization: Bearer 令牌)",
            "log in first (Authorization: Bearer <token>)",
        )
    })
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}
