//! Rights protection cases (劳动维权): filing and following one's own cases, and handling them
//! as a market's staff. The rules live in [`crate::complaints`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{Json, Query};
use super::tenants::load_tenant;
use crate::authz::Actor;
use crate::complaints::{self, Filing, Handling, Notice};
use crate::error::{ApiError, ErrorBody};
use crate::store::complaints::{ComplaintRow, EventRow, OverdueFilter};
use crate::tenants::Tenant;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRequest {
    /// The market the complaint is filed with (it handles it first).
    pub tenant: String,
    /// `wage_arrears`, `discrimination`, `fake_recruitment`, `fee_charging`, `safety` or `other`.
    pub kind: String,
    /// 5–2000 characters: when, where, what happened, what is asked.
    pub description: String,
    /// The engagement the complaint is about; the complainant must be one of its two parties,
    /// and the other becomes the respondent.
    pub engagement_id: Option<String>,
}

/// One entry of a case's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// The new status, or `escalated` / `overdue`.
    pub status: String,
    /// The market that acted (for `escalated`: the market the case moved to).
    pub tenant: String,
    /// Who acted (an account id, or `system`); shown to staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

/// A case as its complainant or the staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintView {
    /// The case as stored.
    #[serde(flatten)]
    pub case: ComplaintRow,
    /// Flagged overdue at the city, or still open past its due time.
    pub overdue: bool,
    /// 一次性告知: what to bring, the time limit and the due time.
    pub notice: Notice,
    /// Oldest first; in single-case responses only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<EventView>>,
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintList {
    pub complaints: Vec<ComplaintView>,
    pub count: usize,
}

fn view(
    c: ComplaintRow,
    tenants: &[Tenant],
    history: Option<Vec<EventView>>,
    now: &str,
) -> Result<ComplaintView, ApiError> {
    let market = tenants
        .iter()
        .find(|t| t.code == c.handling_tenant)
        .map_or(c.handling_tenant.as_str(), |t| t.name.as_str());
    let notice = complaints::notice(&c, market)?;
    let overdue = complaints::is_overdue(&c, now);
    Ok(ComplaintView { case: c, overdue, notice, history })
}

/// The history as shown: with who acted for staff, without for the complainant.
fn history(events: Vec<EventRow>, for_staff: bool) -> Vec<EventView> {
    events
        .into_iter()
        .map(|e| EventView {
            status: e.status,
            tenant: e.tenant_code,
            actor: for_staff.then_some(e.actor),
            note: e.note,
            at: e.at,
        })
        .collect()
}

/// A case with its history, as its complainant (`for_staff` false) or staff see it.
async fn detail(
    state: &AppState,
    row: ComplaintRow,
    events: Vec<EventRow>,
    for_staff: bool,
) -> Result<Json<ComplaintView>, ApiError> {
    let tenants = state.store.list_tenants().await?;
    Ok(Json(view(row, &tenants, Some(history(events, for_staff)), &state.store.now())?))
}

fn list(rows: Vec<ComplaintRow>, tenants: &[Tenant], now: &str) -> Result<ComplaintList, ApiError> {
    let complaints =
        rows.into_iter().map(|r| view(r, tenants, None, now)).collect::<Result<Vec<_>, _>>()?;
    Ok(ComplaintList { count: complaints.len(), complaints })
}

/// File a complaint with a market. The answer carries the one-time notice: the materials to
/// bring, the time limit and the due time, from the market's service catalog.
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", request_body = FileRequest,
    responses((status = 201, body = ComplaintView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "staff accounts do not file complaints"),
        (status = 404, body = ErrorBody, description = "unknown market or engagement"), (status = 422, body = ErrorBody, description = "the market has no rule for this kind")),
    security(("session" = [])))]
pub async fn file_complaint(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<FileRequest>,
) -> Result<(StatusCode, Json<ComplaintView>), ApiError> {
    let tenant = load_tenant(&state, &req.tenant).await.map_err(|e| e.with_field("tenant"))?;
    let filing = Filing {
        complainant: &actor.id,
        complainant_kind: actor.kind,
        tenant: &tenant,
        kind: &req.kind,
        description: &req.description,
        engagement_id: req.engagement_id.as_deref(),
    };
    let (row, first) = complaints::file(&state.store, &state.rules, filing).await?;
    let view = view(
        row,
        std::slice::from_ref(&tenant),
        Some(history(vec![first], false)),
        &state.store.now(),
    )?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One's own complaints, newest first, in whichever market handles them.
#[utoipa::path(get, path = "/api/v1/me/complaints", tag = "complaints", responses((status = 200, body = ComplaintList)), security(("session" = [])))]
pub async fn my_complaints(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<ComplaintList>, ApiError> {
    let rows = state.store.complaints_of_complainant(&actor.id).await?;
    Ok(Json(list(rows, &state.store.list_tenants().await?, &state.store.now())?))
}

/// One of one's own complaints with its history. Staff use the market's route.
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "complaints", params(("id" = String, Path)),
    responses((status = 200, body = ComplaintView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn my_complaint(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<ComplaintView>, ApiError> {
    let row = state
        .store
        .complaint_of_complainant(&actor.id, &id)
        .await?
        .ok_or_else(complaints::not_found)?;
    let events = state.store.complaint_events_of_complainant(&actor.id, &id).await?;
    detail(&state, row, events, false).await
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Only cases in this status.
    pub status: Option<String>,
    /// `true`: only overdue cases; `false`: only the others.
    pub overdue: Option<bool>,
}

/// The cases a market handles now (escalated cases are listed by the market they moved to).
#[utoipa::path(get, path = "/api/v1/tenants/{code}/complaints", tag = "complaints", params(("code" = String, Path), ListParams),
    responses((status = 200, body = ComplaintList), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn tenant_complaints(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Json<ComplaintList>, ApiError> {
    let status = match params.status.as_deref() {
        None => "",
        Some(raw) => {
            complaints::Status::parse(raw).map(complaints::Status::as_str).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_status",
                    "状态无效,应为 submitted、accepted、in_progress、resolved 或 rejected",
                    "status must be submitted, accepted, in_progress, resolved or rejected",
                )
                .with_field("status")
            })?
        }
    };
    let overdue = match params.overdue {
        None => OverdueFilter::Any,
        Some(true) => OverdueFilter::Overdue,
        Some(false) => OverdueFilter::NotOverdue,
    };
    let rows = state.store.tenant_complaints(&code, status, overdue, &state.store.now()).await?;
    Ok(Json(list(rows, &state.store.list_tenants().await?, &state.store.now())?))
}

/// A case this market handles or that was filed with it, with its full history.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/complaints/{id}", tag = "complaints", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = ComplaintView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn tenant_complaint(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<ComplaintView>, ApiError> {
    let row =
        state.store.complaint_in_tenant(&code, &id).await?.ok_or_else(complaints::not_found)?;
    let events = state.store.complaint_events_in_tenant(&code, &id).await?;
    detail(&state, row, events, true).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// `accepted`, `in_progress`, `resolved` or `rejected`.
    pub status: String,
    /// What was done (办理记录), 1–1000 characters.
    pub note: Option<String>,
    /// Required for `resolved` and `rejected`, refused otherwise.
    pub outcome: Option<String>,
}

/// Move a case this market handles to its next status. Audited. Returns the case with its history.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/complaints/{id}/events", tag = "complaints", params(("code" = String, Path), ("id" = String, Path)),
    request_body = EventRequest,
    responses((status = 200, body = ComplaintView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "closed case, forbidden step, or handled by another market now")),
    security(("session" = [])))]
pub async fn add_event(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, id)): Path<(String, String)>,
    Json(req): Json<EventRequest>,
) -> Result<Json<ComplaintView>, ApiError> {
    let step = Handling {
        actor: &actor.id,
        tenant: &code,
        id: &id,
        status: &req.status,
        note: req.note.as_deref(),
        outcome: req.outcome.as_deref(),
    };
    let row = complaints::handle(&state.store, step).await?;
    let events = state.store.complaint_events_in_tenant(&code, &id).await?;
    detail(&state, row, events, true).await
}
