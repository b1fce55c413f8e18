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
use crate::catalog::{self, ServiceItem};
use crate::complaints::Kind;
use crate::jobs::check_ins;
use crate::jobs::feed::{self, FeedParams};
use crate::tenants::{self, Tenant};

/// A complaint channel of the market: the kind of case, its time limit, what to bring.
pub struct Channel {
    /// 欠薪, 就业歧视, …
    pub kind: String,
    /// `3个工作日`-style time limit, in hours.
    pub hours: u32,
    /// What the complainant brings (一次性告知).
    pub materials: Vec<String>,
}

#[derive(Template)]
#[template(path = "market.html")]
struct MarketPage {
    layout: Layout,
    market: Tenant,
    kind: &'static str,
    parent: Option<Tenant>,
    items: Vec<ServiceItem>,
    hours: String,
    channels: Vec<Channel>,
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
    let (items, hours, channels, catalog_error) =
        match catalog::of(&state.rules, &market, state.store.clock().now()).await {
            Ok(Some(c)) => (c.items, c.opening_hours, channels(c.case_rules), None),
            Ok(None) => (Vec::new(), market.opening_hours.clone(), Vec::new(), None),
            Err(e) => (Vec::new(), market.opening_hours.clone(), Vec::new(), Some(e.message)),
        };
    let params = FeedParams::default();
    let open =
        feed::run(&state.store, state.accounts.keys(), &params, Some(feed::subtree(&code, &all)))
            .await?;
    let page = MarketPage {
        layout: ctx.layout(&market.name),
        kind: market.kind.zh(),
        parent: market.parent.as_ref().and_then(|p| all.iter().find(|t| &t.code == p)).cloned(),
        items,
        hours: if hours.is_empty() { market.opening_hours.clone() } else { hours },
        channels,
        catalog_error: catalog_error.map(|m| super::page::zh(&m).to_string()),
        jobs: open.jobs.iter().map(JobCard::of).collect(),
        market,
    };
    render(StatusCode::OK, &page)
}

fn channels(rules: Vec<catalog::CaseRule>) -> Vec<Channel> {
    rules
        .into_iter()
        .map(|r| Channel {
            kind: Kind::ALL
                .into_iter()
                .find(|k| k.rule_kind() == r.case_kind)
                .map_or(r.case_kind.clone(), |k| k.name_zh().to_string()),
            hours: r.time_limit_hours,
            materials: r.required_materials,
        })
        .collect()
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
