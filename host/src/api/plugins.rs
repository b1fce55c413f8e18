//! Uploading and listing plugin components.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::plugins::RuntimeStats;
use crate::store::rules::PluginRecord;

/// The uploaded bytes; a body over the size limit is refused as `plugin_too_large`.
pub struct WasmBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for WasmBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<WasmBody, ApiError> {
        Ok(WasmBody(Bytes::from_request(req, state).await?))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> ApiError {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "plugin_too_large",
                "插件文件过大",
                "the component is larger than the upload limit",
            )
        } else {
            ApiError::bad_request("invalid_body", "无法读取上传内容", &rejection.body_text())
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct UploadParams {
    /// A label for people (e.g. `lankao_subsidy`); defaults to the first 12 hex digits of the hash.
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    #[serde(flatten)]
    pub plugin: PluginRecord,
    /// False when a component with the same bytes was already stored.
    pub new: bool,
}

/// Upload a component (`application/wasm` bytes). Returns its sha256 and the slot it implements.
#[utoipa::path(post, path = "/api/v1/plugins", tag = "plugins", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/wasm"),
    responses((status = 201, body = Uploaded, description = "stored"), (status = 200, body = Uploaded, description = "already stored"),
        (status = 422, body = ErrorBody, description = "not a component of a known slot world"), (status = 413, body = ErrorBody)),
    security(("admin" = [])))]
pub async fn upload_plugin(
    State(state): State<AppState>,
    actor: Actor,
    Query(params): Query<UploadParams>,
    WasmBody(body): WasmBody,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let (plugin, new) =
        state.rules.upload(body.to_vec(), params.name.as_deref(), &actor.id).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(Uploaded { plugin, new })))
}

#[derive(Serialize, ToSchema)]
pub struct PluginList {
    pub plugins: Vec<PluginRecord>,
}

/// Every stored component.
#[utoipa::path(get, path = "/api/v1/plugins", tag = "plugins", responses((status = 200, body = PluginList)), security(("admin" = [])))]
pub async fn list_plugins(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<PluginList>, ApiError> {
    Ok(Json(PluginList { plugins: state.store.list_plugins().await? }))
}

/// Counters of this host's plugin runtime (compiles, cache hits, loaded components).
#[utoipa::path(get, path = "/api/v1/plugins/runtime", tag = "plugins", responses((status = 200, body = RuntimeStats)), security(("admin" = [])))]
pub async fn runtime_stats(State(state): State<AppState>, _actor: Actor) -> Json<RuntimeStats> {
    Json(state.rules.runtime().stats())
}
