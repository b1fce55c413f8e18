//! The five daily ledgers (记实管理): listing a market's ledger, adding a manual row, the daily
//! close, the workbooks, and the calendar of kept days. The rules live in [`crate::ledgers`].

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::ledgers::{self, Calendar, CloseView, Ledger, RowView, xlsx};

#[derive(Deserialize, IntoParams)]
pub struct PeriodParams {
    /// First day, `YYYY-MM-DD` (default: `to`).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today); at most 92 days after `from`, not after today.
    pub to: Option<String>,
}

/// A ledger of a market over a period, or (path segment `{kind}.xlsx`) that ledger as a
/// workbook.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/ledgers/{kind}", tag = "ledgers",
    params(("code" = String, Path), ("kind" = String, Path, description = "policy-outreach, employer-demand, labour-supply, employer-liaison or instant-matching; with `.xlsx` appended, the ledger as an Excel workbook"), PeriodParams),
    responses((status = 200, body = Ledger), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_ledger(
    State(state): State<AppState>,
    Path((code, kind)): Path<(String, String)>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, ApiError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let (from, to) =
        ledgers::period(params.from.as_deref(), params.to.as_deref(), state.store.clock().today())?;
    if let Some(kind) = kind.strip_suffix(".xlsx") {
        let kind = ledgers::parse_kind(kind)?;
        let ledger = ledgers::ledger(&state.store, &tenant, kind, from, to).await?;
        let name = format!("{}-{}-{from}至{to}.xlsx", tenant.name, kind.name_zh());
        let fallback = format!("{}-{}-{from}-{to}.xlsx", tenant.code, kind.as_str());
        return workbook(&[ledger], &name, &fallback);
    }
    let kind = ledgers::parse_kind(&kind)?;
    Ok(Json(ledgers::ledger(&state.store, &tenant, kind, from, to).await?).into_response())
}

/// All five ledgers of a market over a period, as one workbook with five sheets.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/ledgers.xlsx", tag = "ledgers",
    params(("code" = String, Path), PeriodParams),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_workbook(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, ApiError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let (from, to) =
        ledgers::period(params.from.as_deref(), params.to.as_deref(), state.store.clock().today())?;
    let all = ledgers::ledgers(&state.store, &tenant, from, to).await?;
    let name = format!("{}-台账-{from}至{to}.xlsx", tenant.name);
    workbook(&all, &name, &format!("{}-ledgers-{from}-{to}.xlsx", tenant.code))
}

fn workbook(ledgers: &[Ledger], name: &str, fallback: &str) -> Result<Response, ApiError> {
    let bytes = xlsx::workbook(ledgers)?;
    Ok((
        [
            (header::CONTENT_TYPE, xlsx::CONTENT_TYPE.to_string()),
            (header::CONTENT_DISPOSITION, xlsx::content_disposition(name, fallback)),
        ],
        bytes,
    )
        .into_response())
}

/// Add a manual row: `date` (default today), the ledger's columns by key, and optionally
/// `corrects` (the id of the row it corrects) or, for instant matching, `follows` (the referral
/// whose result slip this is). Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/ledgers/{kind}", tag = "ledgers",
    params(("code" = String, Path), ("kind" = String, Path)),
    request_body(content = Object, description = "a flat object: date, the ledger's column keys, corrects, follows"),
    responses((status = 201, body = RowView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the day is closed (ledger_closed)"),
        (status = 422, body = ErrorBody, description = "corrects or follows names no row of this ledger")),
    security(("session" = [])))]
pub async fn add_row(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, kind)): Path<(String, String)>,
    Json(input): Json<BTreeMap<String, Value>>,
) -> Result<(StatusCode, Json<RowView>), ApiError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let kind = ledgers::parse_kind(&kind)?;
    let row = ledgers::add_row(&state.store, &tenant, kind, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// The day to close, `YYYY-MM-DD` (not after today).
    pub date: String,
    /// Only this ledger; all five when absent.
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CloseResult {
    /// The ledgers closed now, each with its row count and hash.
    pub closed: Vec<CloseView>,
}

/// Close (日结) a market's ledgers for a day: all five, or one. Stores the day's automatic rows,
/// counts and hashes every ledger's rows, and writes `ledger.close` with the hashes into the
/// audit chain, in one transaction.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/ledgers/close", tag = "ledgers",
    params(("code" = String, Path)), request_body = CloseRequest,
    responses((status = 200, body = CloseResult), (status = 400, body = ErrorBody, description = "bad or future date, unknown ledger"),
        (status = 409, body = ErrorBody, description = "already closed")),
    security(("session" = [])))]
pub async fn close_day(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(req): Json<CloseRequest>,
) -> Result<Json<CloseResult>, ApiError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let closed =
        ledgers::close(&state.store, &tenant, &req.date, req.kind.as_deref(), &actor.id).await?;
    Ok(Json(CloseResult { closed }))
}

#[derive(Deserialize, IntoParams)]
pub struct CalendarParams {
    /// `YYYY-MM` (default: this month).
    pub month: Option<String>,
    /// The market (with every market under it); default: the caller's own.
    pub tenant: Option<String>,
}

/// Which markets kept which days of a month: the caller's market (a county: itself and its
/// stations; the city: every market) or `tenant`, if the caller may read its ledgers.
#[utoipa::path(get, path = "/api/v1/ledgers/calendar", tag = "ledgers", params(CalendarParams),
    responses((status = 200, body = Calendar), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn calendar(
    State(state): State<AppState>,
    actor: Actor,
    Query(params): Query<CalendarParams>,
) -> Result<Json<Calendar>, ApiError> {
    let root = ledgers::calendar_root(&state.store, &state.authz, &actor, params.tenant.as_deref())
        .await?;
    Ok(Json(ledgers::calendar(&state.store, &root, params.month.as_deref()).await?))
}
