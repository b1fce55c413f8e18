//! A tenant's slots: bind, roll back, list, try, dry-run.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::extract::Json;
use super::tenants::load_tenant;
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::rules::dry_run::{Candidate, DryRunJob};
use crate::rules::{Activation, DryRunReport, Invocation, SlotView, slot_named};
use crate::store::rules::Binding;

#[derive(Serialize, ToSchema)]
pub struct SlotList {
    pub tenant: String,
    pub slots: Vec<SlotView>,
}

/// Every slot of a market: the rule in force, whether it is inherited and from where, and the
/// market's own versions.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/slots", tag = "slots",
    params(("code" = String, Path)), responses((status = 200, body = SlotList), (status = 404, body = ErrorBody)))]
pub async fn list_slots(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<SlotList>, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    Ok(Json(SlotList { slots: state.rules.slots(&tenant).await?, tenant: code }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BindRequest {
    /// sha256 of an uploaded component implementing this slot.
    pub plugin: String,
    /// The plugin's configuration (a JSON object); default `{}`.
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    /// `YYYY-MM-DD`: the rule takes effect on this date (China time); default at once.
    pub effective_from: Option<String>,
    pub note: Option<String>,
}

/// Bind a plugin (and its configuration) to a market's slot, as a new version.
#[utoipa::path(put, path = "/api/v1/tenants/{code}/slots/{slot}", tag = "slots",
    params(("code" = String, Path), ("slot" = String, Path)), request_body = BindRequest,
    responses((status = 201, body = Binding), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("admin" = [])))]
pub async fn bind_slot(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, slot)): Path<(String, String)>,
    Json(req): Json<BindRequest>,
) -> Result<(StatusCode, Json<Binding>), ApiError> {
    let slot = slot_named(&slot)?;
    let tenant = load_tenant(&state, &code).await?;
    let effective = match req.effective_from.as_deref() {
        None => None,
        Some(raw) => Some(crate::clock::parse_day(raw, "effective_from")?),
    };
    let config = req.config.unwrap_or_else(|| serde_json::json!({}));
    let activation = Activation {
        plugin: &req.plugin,
        config: &config,
        effective_from: effective,
        note: req.note.as_deref(),
    };
    let binding = state.rules.bind(&tenant, slot, activation, &actor.id).await?;
    Ok((StatusCode::CREATED, Json(binding)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RollbackRequest {
    /// The version to restore; default: the one before the version in force.
    pub to_version: Option<i64>,
}

/// Roll a market's slot back: a new version that copies an older one and takes effect at once.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/slots/{slot}/rollback", tag = "slots",
    params(("code" = String, Path), ("slot" = String, Path)), request_body(content = Option<RollbackRequest>),
    responses((status = 201, body = Binding), (status = 409, body = ErrorBody, description = "nothing to roll back")), security(("admin" = [])))]
pub async fn rollback_slot(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, slot)): Path<(String, String)>,
    body: Bytes,
) -> Result<(StatusCode, Json<Binding>), ApiError> {
    let slot = slot_named(&slot)?;
    let tenant = load_tenant(&state, &code).await?;
    let req: RollbackRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RollbackRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request("invalid_body", "请求内容格式错误", &e.to_string())
        })?
    };
    let binding = state.rules.rollback(&tenant, slot, req.to_version, &actor.id).await?;
    Ok((StatusCode::CREATED, Json(binding)))
}

/// Call a market's slot directly with the slot's input as JSON and get its output (the
/// playground for plugin authors and bureaus). Consequential slots keep a decision receipt.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/slots/{slot}/invoke", tag = "slots",
    params(("code" = String, Path), ("slot" = String, Path)), request_body = serde_json::Value,
    responses((status = 200, body = Invocation), (status = 400, body = ErrorBody, description = "input does not fit the slot"),
        (status = 502, body = ErrorBody, description = "the plugin failed: plugin_trap, plugin_timeout, plugin_memory, …")), security(("admin" = [])))]
pub async fn invoke_slot(
    State(state): State<AppState>,
    _actor: Actor,
    Path((code, slot)): Path<(String, String)>,
    Json(input): Json<serde_json::Value>,
) -> Result<Json<Invocation>, ApiError> {
    let slot = slot_named(&slot)?;
    let tenant = load_tenant(&state, &code).await?;
    Ok(Json(state.rules.invoke_json(&tenant, slot, input, "invoke").await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    /// sha256 of the candidate component.
    pub plugin: String,
    /// The candidate's configuration; default: the configuration each decision was made with.
    pub config: Option<serde_json::Value>,
    /// How many of the latest recorded inputs to run (1–500, default 50; more than 50 only with
    /// `background`).
    pub limit: Option<i64>,
    /// Run as a background job: the answer is 202 with the job, whose progress and report
    /// `GET /api/v1/tenants/{code}/dry-runs/{id}` shows.
    #[serde(default)]
    pub background: bool,
}

/// Run a candidate plugin over this slot's latest recorded inputs and show what it would have
/// decided differently, before anyone activates it. Within a request the run has a total
/// budget (10 s, ten calls' worth of fuel) and stops early with a partial report past it; large
/// runs go to a background job.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/slots/{slot}/dry-run", tag = "slots",
    params(("code" = String, Path), ("slot" = String, Path)), request_body = DryRunRequest,
    responses((status = 200, body = DryRunReport), (status = 202, body = DryRunJob, description = "started as a background job"),
        (status = 422, body = ErrorBody)), security(("admin" = [])))]
pub async fn dry_run_slot(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, slot)): Path<(String, String)>,
    Json(req): Json<DryRunRequest>,
) -> Result<Response, ApiError> {
    let slot = slot_named(&slot)?;
    let tenant = load_tenant(&state, &code).await?;
    let candidate =
        Candidate { slot, plugin: req.plugin, config: req.config, limit: req.limit.unwrap_or(50) };
    if req.background {
        let job = state.rules.start_dry_run(&tenant, candidate, &actor.id).await?;
        return Ok((StatusCode::ACCEPTED, Json(job)).into_response());
    }
    Ok(Json(state.rules.dry_run(&tenant, &candidate).await?).into_response())
}

/// A background dry-run of this market: its progress, and its report once it finished.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/dry-runs/{id}", tag = "slots",
    params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = DryRunJob), (status = 404, body = ErrorBody)), security(("admin" = [])))]
pub async fn get_dry_run(
    State(state): State<AppState>,
    _actor: Actor,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<DryRunJob>, ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    Ok(Json(state.rules.dry_run_job(&tenant.code, &id).await?))
}
