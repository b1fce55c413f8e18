//! A market's public page (主动公开: place, hours, hotline, service items and guides, complaint
//! channels, open posts, its check-in QR code) and the check-in page the QR code opens.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::feed::JobCard;
use super::page::{Layout, render};
use super::{PageCtx, PageError, fmt};
use crate::api::AppState;
use crate::catalog::{self, Services};
use crate::jobs::check_ins;
use crate::jobs::feed::{self, FeedParams};
use crate::tenants::{self, Tenant};

#[derive(Template)]
#[template(path = "market.html")]
struct MarketPage {
    layout: Layout,
    market: Tenant,
    kind: &'static str,
    parent: Option<Tenant>,
    services: Services,
    /// Set when the market's catalog plugin could not answer: the page still shows the rest.
    catalog_error: Option<String>,
    jobs: Vec<JobCard>,
}

/// `GET /markets/{code}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let market = tenants::load(&state.store, &code).await?;
    let all = state.store.list_tenants().await?;
    let now = state.store.clock().now();
    let (services, catalog_error) = match catalog::services(&state.rules, &market, now).await {
        Ok(services) => (services, None),
        Err(e) => (catalog::services_without_catalog(&market), Some(e.message)),
    };
    let params = FeedParams::default();
    let open =
        feed::run(&state.store, state.accounts.keys(), &params, Some(feed::subtree(&code, &all)))
            .await?;
    let page = MarketPage {
        layout: ctx.layout(&market.name),
        kind: market.kind.zh(),
        parent: market.parent.as_ref().and_then(|p| all.iter().find(|t| &t.code == p)).cloned(),
        services,
        catalog_error: catalog_error.map(|m| super::page::zh(&m).to_string()),
        jobs: open.jobs.iter().map(JobCard::of).collect(),
        market,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    layout: Layout,
    market: Tenant,
    today: String,
    /// After the post: whether it was the first check-in today.
    done: Option<bool>,
}

/// `GET /markets/{code}/check-in`: what the market's QR code opens (after logging in): a
/// button, so that opening the link alone records nothing.
pub async fn check_in_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    ctx.actor()?;
    let market = tenants::load(&state.store, &code).await?;
    check_in_page(&state, &ctx, market, None)
}

/// `POST /markets/{code}/check-in`: today's check-in.
pub async fn check_in(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let market = tenants::load(&state.store, &code).await?;
    let done = check_ins::check_in(&state.store, &market, &actor.id, actor.kind).await?;
    check_in_page(&state, &ctx, market, Some(done.new))
}

fn check_in_page(
    state: &AppState,
    ctx: &PageCtx,
    market: Tenant,
    done: Option<bool>,
) -> Result<Response, PageError> {
    let page = CheckInPage {
        layout: ctx.layout("扫码登记"),
        today: fmt::day(state.store.clock().today()),
        market,
        done,
    };
    render(StatusCode::OK, &page)
}
