//! Extractors whose rejections are structured [`ApiError`]s instead of axum's plain text.

use axum::extract::rejection::QueryRejection;
use axum::extract::FromRequestParts;

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
