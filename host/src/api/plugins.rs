//! Uploading and listing plugin components.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Admin, Json, Query};
use crate::error::{ApiError, ErrorBody};
use crate::plugins::RuntimeStats;
use crate::store::rules::PluginRecord;

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
pub async fn upload_plugin(State(state): State<AppState>, admin: Admin, Query(params): Query<UploadParams>, body: Bytes) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let name = params.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| crate::plugins::Runtime::hash_of(&body)[..12].to_string());
    if name.chars().count() > 80 {
        return Err(ApiError::bad_request("invalid_name", "插件名称不能超过80个字", "the name must be at most 80 characters").with_field("name"));
    }
    let (plugin, new) = state.rules.register(body.to_vec(), &name, &admin.actor).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(Uploaded { plugin, new })))
}

#[derive(Serialize, ToSchema)]
pub struct PluginList {
    pub plugins: Vec<PluginRecord>,
}

/// Every stored component.
#[utoipa::path(get, path = "/api/v1/plugins", tag = "plugins", responses((status = 200, body = PluginList)), security(("admin" = [])))]
pub async fn list_plugins(State(state): State<AppState>, _admin: Admin) -> Result<Json<PluginList>, ApiError> {
    Ok(Json(PluginList { plugins: state.store.list_plugins().await? }))
}

/// Counters of this host's plugin runtime (compiles, cache hits, loaded components).
#[utoipa::path(get, path = "/api/v1/plugins/runtime", tag = "plugins", responses((status = 200, body = RuntimeStats)), security(("admin" = [])))]
pub async fn runtime_stats(State(state): State<AppState>, _admin: Admin) -> Json<RuntimeStats> {
    Json(state.rules.runtime().stats())
}
