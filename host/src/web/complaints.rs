//! Filing a complaint (劳动维权) and following it, as its complainant: the same filing as
//! `POST /api/v1/complaints`, then the case's page with the one-time notice (一次性告知: what to
//! bring, the time limit, the due time) and its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::feed::Choice;
use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::api::AppState;
use crate::complaints::{self, Filing, Kind, Notice, Status};
use crate::store::complaints::ComplaintRow;
use crate::tenants::{self, TenantStatus};

/// The complaint form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ComplaintForm {
    tenant: String,
    kind: String,
    description: String,
    engagement_id: String,
}

#[derive(Template)]
#[template(path = "complaint_new.html")]
struct NewPage {
    layout: Layout,
    form: ComplaintForm,
    markets: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

/// `GET /me/complaints/new` (`?tenant=` and `?engagement_id=` preselect).
pub async fn new(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(form): PageQuery<ComplaintForm>,
) -> Result<Response, PageError> {
    ctx.actor()?;
    new_page(&state, &ctx, form, FormErrors::none(), StatusCode::OK).await
}

/// `POST /me/complaints`: file it, then show the case with its notice.
pub async fn file(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<ComplaintForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = match tenants::load(&state.store, form.tenant.trim()).await {
        Ok(tenant) => {
            let engagement = Some(form.engagement_id.trim()).filter(|e| !e.is_empty());
            let filing = Filing {
                complainant: &actor.id,
                complainant_kind: actor.kind,
                tenant: &tenant,
                kind: form.kind.trim(),
                description: &form.description,
                engagement_id: engagement,
            };
            complaints::file(&state.store, &state.rules, filing).await
        }
        Err(e) => Err(e.with_field("tenant")),
    };
    match result {
        Ok((row, _)) => Ok(redirect(&format!("/me/complaints/{}", row.id))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&[
                "tenant",
                "kind",
                "description",
                "engagement_id",
            ]);
            new_page(&state, &ctx, form, errors, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn new_page(
    state: &AppState,
    ctx: &PageCtx,
    form: ComplaintForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let markets = state.store.list_tenants().await?;
    let page = NewPage {
        layout: ctx.layout("我要投诉"),
        markets: markets
            .iter()
            .filter(|t| t.status == TenantStatus::Active)
            .map(|t| Choice { value: t.code.clone(), label: t.name.clone() })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice { value: k.as_str().into(), label: k.name_zh().into() })
            .collect(),
        form,
        errors,
    };
    render(status, &page)
}

/// One entry of the history, as the complainant reads it.
pub struct Step {
    /// What happened.
    pub what: String,
    /// The market's note, if any.
    pub note: Option<String>,
    /// When, in China's time.
    pub at: String,
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct CasePage {
    layout: Layout,
    case: ComplaintRow,
    kind: &'static str,
    status: &'static str,
    market: String,
    notice: Notice,
    due: String,
    overdue: bool,
    history: Vec<Step>,
}

/// `GET /me/complaints/{id}`: one's own case (anyone else's does not exist).
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let store = &state.store;
    let case =
        store.complaint_of_complainant(&actor.id, &id).await?.ok_or_else(complaints::not_found)?;
    let events = store.complaint_events_of_complainant(&actor.id, &id).await?;
    let all = store.list_tenants().await?;
    let name_of =
        |code: &str| all.iter().find(|t| t.code == code).map_or(code, |t| &t.name).to_string();
    let market = name_of(&case.handling_tenant);
    let history = events
        .into_iter()
        .map(|e| Step {
            what: match e.status.as_str() {
                "escalated" => format!("转交{}", name_of(&e.tenant_code)),
                "overdue" => "已超过办理时限".to_string(),
                s => Status::parse(s).map_or_else(|| s.to_string(), |st| st.name_zh().to_string()),
            },
            note: e.note,
            at: fmt::instant(&e.at),
        })
        .collect();
    let page = CasePage {
        layout: ctx.layout("我的投诉"),
        kind: Kind::parse(&case.kind).map_or("其他", Kind::name_zh),
        status: Status::parse(&case.status).map_or("", Status::name_zh),
        notice: complaints::notice(&case, &market)?,
        due: fmt::instant(&case.due_at),
        overdue: complaints::is_overdue(&case, &store.now()),
        market,
        history,
        case,
    };
    render(StatusCode::OK, &page)
}
