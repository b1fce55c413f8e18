//! `/console/{code}/services`: the market's public service information (主动公开) as its staff
//! keep it: address, hours, hotline, complaint channel and the 办事指南 text, through the same
//! `tenants::changes::update_services` as `PATCH /api/v1/tenants/{code}/services`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::Market;
use crate::api::AppState;
use crate::tenants::changes::{ServicesPatch, update_services};
use crate::tenants::tree::GUIDE_MAX_CHARS;
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render};
use crate::web::{PageCtx, PageError};

/// What the form posts: every public field, as shown.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ServicesForm {
    address: String,
    opening_hours: String,
    hotline: String,
    complaint_channel: String,
    guide: String,
}

const FIELDS: &[&str] = &["address", "opening_hours", "hotline", "complaint_channel", "guide"];

#[derive(Template)]
#[template(path = "console/services.html")]
struct ServicesPage {
    layout: Layout,
    market: Market,
    form: ServicesForm,
    errors: FormErrors,
    saved: bool,
    guide_max: usize,
}

/// Query of the page: `saved=1` after a successful change.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /console/{code}/services`
pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    crate::web::form::PageQuery(q): crate::web::form::PageQuery<Saved>,
) -> Result<Response, PageError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let form = ServicesForm {
        address: tenant.address,
        opening_hours: tenant.opening_hours,
        hotline: tenant.hotline,
        complaint_channel: tenant.complaint_channel,
        guide: tenant.guide,
    };
    let saved = q.saved.is_some();
    page(&state, &ctx, &code, form, FormErrors::none(), saved, StatusCode::OK).await
}

/// `POST /console/{code}/services`: publish the changed information (audited).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageForm(form): PageForm<ServicesForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let patch = ServicesPatch {
        address: Some(form.address.clone()),
        opening_hours: Some(form.opening_hours.clone()),
        hotline: Some(form.hotline.clone()),
        complaint_channel: Some(form.complaint_channel.clone()),
        guide: Some(form.guide.replace("\r\n", "\n")),
    };
    match update_services(&state.store, &state.rules, &actor.id, &code, patch).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/services?saved=1"))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(FIELDS);
            page(&state, &ctx, &code, form, errors, false, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    form: ServicesForm,
    errors: FormErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let page = ServicesPage {
        layout: ctx.wide_layout(&format!("{} · 服务信息", market.name)),
        market,
        form,
        errors,
        saved,
        guide_max: GUIDE_MAX_CHARS,
    };
    render(status, &page)
}
