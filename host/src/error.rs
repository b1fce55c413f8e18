//! The one error shape every API response uses: `{"error": {"code", "message", "field"}}`.
//!
//! `code` is a stable machine-readable identifier clients can match on; `message` is for people,
//! Chinese first with the English after a ` / `; `field` names the input that was wrong, when one was.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error that becomes an HTTP response.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// Stable identifier clients match on, e.g. `tenant_not_found`.
    pub code: &'static str,
    /// Chinese, then English, separated by ` / `.
    pub message: String,
    /// The input field at fault (a dotted path such as `scan.sex`), if any.
    pub field: Option<String>,
}

/// The response body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error itself.
    pub error: ErrorDetail,
}

/// What went wrong, for machines (`code`, `field`) and for people (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable identifier, e.g. `tenant_not_found`.
    pub code: String,
    /// Chinese, then English, separated by ` / `.
    pub message: String,
    /// The input field at fault, if any.
    pub field: Option<String>,
}

/// Join a Chinese and an English message the way every error shows them.
pub fn bilingual(zh: &str, en: &str) -> String {
    format!("{zh} / {en}")
}

impl ApiError {
    /// An error with `status`, `code`, and the message `zh / en`.
    pub fn new(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Self {
        ApiError { status, code, message: bilingual(zh, en), field: None }
    }

    /// An error whose message is already bilingual (e.g. it carries a plugin's reasons).
    pub fn with_message(status: StatusCode, code: &'static str, message: String) -> Self {
        ApiError { status, code, message, field: None }
    }

    /// Replace the message with one that is already bilingual (e.g. a validator's).
    pub fn with_message_of(mut self, message: &str) -> Self {
        self.message = message.to_string();
        self
    }

    /// Name the input field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A 404 Not Found with `code` and the message `zh / en`.
    pub fn not_found(code: &'static str, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, zh, en)
    }

    /// A 400 Bad Request with `code` and the message `zh / en` (add the field with
    /// [`ApiError::with_field`]).
    pub fn bad_request(code: &'static str, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, zh, en)
    }

    /// An unexpected failure: the cause goes to the log, the client gets a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误,请稍后重试",
            "internal server error, please retry later",
        )
    }

    /// A 503 Service Unavailable (`unavailable`) with the message `zh / en`: retry later.
    pub fn unavailable(zh: &str, en: &str) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", zh, en)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        if database_unreachable(&err) {
            tracing::warn!(error = %err, "database unreachable");
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "数据库暂不可用,请稍后重试",
                "the database is not reachable right now; retry shortly",
            );
        }
        ApiError::internal(format!("database: {err}"))
    }
}

/// Whether a database error means "unreachable now" (the server is down, restarting, or the
/// connection broke) rather than a fault in the request or the code.
fn database_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down, cannot connect now).
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        match err.downcast::<sqlx::Error>() {
            Ok(db) => db.into(),
            Err(err) => ApiError::internal(format!("{err:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // Busy or overloaded, not broken: tell clients when to try again.
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
        }
        response
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}
