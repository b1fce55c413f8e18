//! Complaints in the console: the market's cases by deadline (overdue first, with each case's
//! time limit), a case with its history, and the next step in handling it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::Market;
use crate::api::AppState;
use crate::complaints::{self, Handling, Kind, Notice, SYSTEM, Status, by_deadline};
use crate::error::ApiError;
use crate::store::complaints::{ComplaintRow, OverdueFilter};
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render};
use crate::web::{PageCtx, PageError, fmt};

/// A case as a row of the list or the head of its page.
pub struct CaseRow {
    /// Its page.
    pub href: String,
    /// 欠薪, 虚假招聘, …
    pub kind: &'static str,
    /// 已受理, 办理中, …
    pub status: &'static str,
    /// The time limit, in hours.
    pub limit_hours: i64,
    /// When it is due, China time.
    pub due: String,
    /// Past due (or flagged at the city).
    pub overdue: bool,
    /// How many times it moved up the tree.
    pub escalations: i64,
    /// When it was filed.
    pub filed: String,
    /// The complainant's account of it.
    pub description: String,
    /// The outcome, once closed.
    pub outcome: Option<String>,
}

impl CaseRow {
    fn of(code: &str, c: &ComplaintRow, overdue: bool) -> CaseRow {
        CaseRow {
            href: format!("/console/{code}/complaints/{}", c.id),
            kind: Kind::parse(&c.kind).map_or("其他", Kind::name_zh),
            status: Status::parse(&c.status).map_or("", Status::name_zh),
            limit_hours: c.time_limit_hours,
            due: fmt::instant(&c.due_at),
            overdue,
            escalations: c.escalation_level,
            filed: fmt::instant(&c.created_at),
            description: c.description.clone(),
            outcome: c.outcome.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/complaints.html")]
struct ListPage {
    layout: Layout,
    market: Market,
    cases: Vec<CaseRow>,
}

/// `GET /console/{code}/complaints`
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let market = Market::load(&state, ctx.actor()?, &code).await?;
    let now = state.store.now();
    let rows = state.store.tenant_complaints(&code, "", OverdueFilter::Any, &now).await?;
    let cases =
        by_deadline(rows, &now).iter().map(|(c, late)| CaseRow::of(&code, c, *late)).collect();
    let page =
        ListPage {
            layout: ctx.wide_layout(&format!("{} · 投诉办理", market.name)), market, cases
        };
    render(StatusCode::OK, &page)
}

/// One entry of a case's history.
pub struct EventLine {
    /// When.
    pub at: String,
    /// What happened, in Chinese.
    pub what: String,
    /// The market that acted.
    pub market: String,
    /// The system or a member of staff.
    pub by: &'static str,
    /// The note.
    pub note: String,
}

/// A next step staff may choose.
pub struct Step {
    /// The status it sets.
    pub value: &'static str,
    /// Its Chinese name.
    pub label: &'static str,
}

/// What the step form posts.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    status: String,
    note: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "console/complaint.html")]
struct CasePage {
    layout: Layout,
    market: Market,
    id: String,
    case: CaseRow,
    notice: Notice,
    history: Vec<EventLine>,
    handled_elsewhere: Option<String>,
    steps: Vec<Step>,
    form: StepForm,
    errors: FormErrors,
}

/// `GET /console/{code}/complaints/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    page(&state, &ctx, &code, &id, StepForm::default(), FormErrors::none(), StatusCode::OK).await
}

/// `POST /console/{code}/complaints/{id}/events`: accept, work on, resolve or reject the case.
pub async fn step(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    PageForm(form): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
    let (note, outcome) = (some(&form.note), some(&form.outcome));
    let handling = Handling {
        actor: &actor.id,
        tenant: &code,
        id: &id,
        status: &form.status,
        note: note.as_deref(),
        outcome: outcome.as_deref(),
    };
    match complaints::handle(&state.store, handling).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/complaints/{id}"))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&["status", "note", "outcome"]);
            page(&state, &ctx, &code, &id, form, errors, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    id: &str,
    form: StepForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let row = state.store.complaint_in_tenant(code, id).await?.ok_or_else(complaints::not_found)?;
    let tenants = state.store.list_tenants().await?;
    let name_of = |code: &str| {
        tenants.iter().find(|t| t.code == code).map_or(code.to_string(), |t| t.name.clone())
    };
    let notice = complaints::notice(&row, &name_of(&row.handling_tenant))?;
    let history = state
        .store
        .complaint_events_in_tenant(code, id)
        .await?
        .into_iter()
        .map(|e| EventLine {
            at: fmt::instant(&e.at),
            what: event_name(&e.status),
            market: name_of(&e.tenant_code),
            by: if e.actor == SYSTEM { "系统" } else { "工作人员" },
            note: e.note.unwrap_or_default(),
        })
        .collect();
    let current = Status::parse(&row.status)
        .ok_or_else(|| ApiError::internal(format!("stored status {}", row.status)))?;
    let steps = Status::ALL
        .into_iter()
        .filter(|s| current.may_become(*s))
        .map(|s| Step { value: s.as_str(), label: s.name_zh() })
        .collect();
    let handled_elsewhere = (row.handling_tenant != code).then(|| name_of(&row.handling_tenant));
    let overdue = complaints::is_overdue(&row, &state.store.now());
    let page = CasePage {
        layout: ctx.wide_layout(&format!("{} · 投诉", market.name)),
        market,
        id: row.id.clone(),
        case: CaseRow::of(code, &row, overdue),
        notice,
        history,
        handled_elsewhere,
        steps,
        form,
        errors,
    };
    render(status, &page)
}

/// A history entry's status in Chinese (escalation and the overdue flag are events too).
fn event_name(status: &str) -> String {
    match status {
        "escalated" => "升级至上级市场".into(),
        "overdue" => "超期未办结".into(),
        s => Status::parse(s).map_or(s.to_string(), |s| s.name_zh().to_string()),
    }
}
