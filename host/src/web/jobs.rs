//! A post's page (what a job's QR code opens) and applying for it (在线报名).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::feed::JobCard;
use super::form::FormErrors;
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::accounts::AccountKind;
use crate::api::AppState;
use crate::engagements::workflow;
use crate::error::ApiError;
use crate::jobs::{self, JobView};
use crate::tenants::GeoPoint;

/// The post's page.
#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    layout: Layout,
    card: JobCard,
    job: JobView,
    employer: String,
    verified: bool,
    closes: String,
    hours: String,
    /// Whether the caller may apply (a logged-in worker, or nobody yet: the login comes first).
    can_apply: bool,
    errors: FormErrors,
}

/// `GET /jobs/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    page(&state, &ctx, &id, FormErrors::none(), StatusCode::OK).await
}

/// `POST /jobs/{id}/apply`: take a place, then on to one's own page where the application is.
pub async fn apply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match workflow::apply(&state.store, &actor.id, &id).await {
        Ok(e) => Ok(redirect(&format!("/me#e-{}", e.id))),
        Err(err) if err.status.is_client_error() && err.code != "job_not_found" => {
            page(&state, &ctx, &id, FormErrors::from_error(&err).shown_in(&[]), err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    id: &str,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let viewer = ctx.actor.as_ref().map(|a| a.id.as_str());
    let (row, owner) = jobs::shown(&state.store, id, viewer).await?;
    let mut job = JobView::new(&row, state.accounts.keys(), owner)?;
    job.distance_km = viewer_place(state, ctx).await?.map(|p| jobs::distance_km(&p, &job.location));
    let employer = state.store.profile(&row.employer_id).await?;
    let page = JobPage {
        layout: ctx.layout(&row.title),
        card: JobCard::of(&job),
        employer: employer.as_ref().map_or_else(String::new, |p| p.name.clone()),
        verified: employer.is_some_and(|p| p.verification == "verified"),
        closes: fmt::instant(&row.closes_at),
        hours: format!("每天 {} 小时", row.daily_hours),
        can_apply: ctx.actor.as_ref().is_none_or(|a| a.kind == AccountKind::Worker),
        job,
        errors,
    };
    render(status, &page)
}

/// Where the logged-in worker starts from (their profile's place, else their home market's).
async fn viewer_place(state: &AppState, ctx: &PageCtx) -> Result<Option<GeoPoint>, ApiError> {
    let Some(actor) = ctx.actor.as_ref().filter(|a| a.kind == AccountKind::Worker) else {
        return Ok(None);
    };
    let Some(profile) = state.store.profile(&actor.id).await? else { return Ok(None) };
    let Some(home) = state.store.get_tenant(&profile.home_tenant).await? else { return Ok(None) };
    Ok(crate::matching::worker_features(&profile, &home)
        .map(|f| GeoPoint { lon: f.lon, lat: f.lat }))
}
