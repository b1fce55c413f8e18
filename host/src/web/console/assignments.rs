//! The batch assignment of a market's morning (快速配岗) in the console: draw up a draft, review
//! its pairs with their scores and reasons, publish it as offers.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Market, masked_person};
use crate::api::AppState;
use crate::error::ApiError;
use crate::matching::batch::{self, RunView};
use crate::web::page::{Layout, redirect, render, zh};
use crate::web::{PageCtx, PageError, fmt};

/// One proposed pair, as staff review it (the worker's name masked).
pub struct PairRow {
    /// The post's title.
    pub job: String,
    /// The worker, masked.
    pub worker: String,
    /// The plugin's score.
    pub score: String,
    /// The plugin's reasons, with their points.
    pub reasons: Vec<String>,
    /// After publishing: 已发出录用邀请, or why no offer was made, in Chinese.
    pub outcome: Option<String>,
    /// Whether publishing skipped it.
    pub skipped: bool,
}

#[derive(Template)]
#[template(path = "console/assignment.html")]
struct RunPage {
    layout: Layout,
    market: Market,
    run: RunView,
    day: String,
    pairs: Vec<PairRow>,
    error: Option<String>,
}

/// `POST /console/{code}/assignments`: draw up today's draft, then show it.
pub async fn draft(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let run = batch::draft(&state.store, &state.rules, &tenant, &actor.id).await?;
    Ok(redirect(&format!("/console/{code}/assignments/{}", run.id)))
}

/// `GET /console/{code}/assignments/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let run = batch::get(&state.store, &code, &id).await?;
    page(&state, &ctx, run, None, StatusCode::OK).await
}

/// `POST /console/{code}/assignments/{id}/publish`: the pairs become offers; the run is shown
/// with what became of each. A run published already shows the domain's refusal.
pub async fn publish(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match batch::publish(&state.store, &code, &id, &actor.id).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/assignments/{id}"))),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let run = batch::get(&state.store, &code, &id).await?;
            page(&state, &ctx, run, Some(&err), err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    run: RunView,
    error: Option<&ApiError>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, &run.tenant).await?;
    let mut pairs = Vec::with_capacity(run.pairs.len());
    for p in &run.pairs {
        let outcome = match (&p.engagement_id, &p.skipped_reason) {
            (Some(_), _) => Some("已发出录用邀请".to_string()),
            (None, Some(why)) => Some(why.clone()),
            (None, None) => None,
        };
        pairs.push(PairRow {
            job: p.job_title.clone(),
            worker: masked_person(state, &p.worker_id).await?,
            score: format!("{:.1}", p.score),
            reasons: p.reasons.iter().map(|r| format!("{}({:+.1})", r.message, r.points)).collect(),
            outcome,
            skipped: p.skipped.is_some(),
        });
    }
    let page = RunPage {
        layout: ctx.wide_layout(&format!("{} · 配岗方案", market.name)),
        market,
        day: fmt::day_text(&run.day),
        run,
        pairs,
        error: error.map(|e| zh(&e.message).to_string()),
    };
    render(status, &page)
}
