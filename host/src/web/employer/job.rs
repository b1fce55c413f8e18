//! One of the employer's posts (`/employer/jobs/{id}`): its details and review verdict, its
//! applicants and engaged workers with the actions allowed now, and recommended workers with the
//! reasons behind their scores and an offer button each; closing the post. Another employer's
//! post is not found (the domain's [`jobs::load_own`]), so its applicants are never shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::employer;
use crate::api::AppState;
use crate::authz::Actor;
use crate::engagements::Party;
use crate::engagements::view::views;
use crate::engagements::workflow;
use crate::error::ApiError;
use crate::jobs::{self, JobView, ReasonView};
use crate::matching::recommend::{self, WorkerMatch};
use crate::store::jobs::JobRow;
use crate::web::engagement::{ActionTyped, EngagementCard};
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render, zh};
use crate::web::{PageCtx, PageError, fmt};

/// How many recommended workers the page shows.
const RECOMMENDED: usize = 10;

/// A post's facts, in words.
pub struct PostFacts {
    /// The post's id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The status (a CSS class too).
    pub status: String,
    /// The status in words.
    pub status_name: &'static str,
    /// `180元/天`.
    pub wage: String,
    /// 日结, 周结, …
    pub settlement: &'static str,
    /// The occupation's name.
    pub occupation: String,
    /// The county and the address.
    pub place: String,
    /// The days of work and hours a day.
    pub days: String,
    /// Hours a day.
    pub hours: String,
    /// When hiring closes.
    pub closes: String,
    /// Places taken.
    pub taken: i64,
    /// Places in all.
    pub headcount: i64,
    /// Places still open.
    pub left: i64,
    /// The contact person and number.
    pub contact: String,
    /// What the work is.
    pub description: String,
    /// Requirements and certificates.
    pub requirements: Vec<String>,
    /// The review's reasons (the plugin's, or staff's).
    pub reasons: Vec<ReasonView>,
    /// Whether it can still be closed.
    pub closable: bool,
}

impl PostFacts {
    fn of(v: &JobView) -> PostFacts {
        let p = &v.post;
        let mut requirements = v.details.requirements.clone();
        requirements.extend(v.details.qualifications.iter().map(|q| format!("需持{q}")));
        PostFacts {
            id: p.id.clone(),
            title: p.title.clone(),
            status: p.status.clone(),
            status_name: fmt::job_status(&p.status),
            wage: fmt::wage(p.wage_cents, &p.wage_unit),
            settlement: fmt::settlement(&p.settlement),
            occupation: v.occupation_name.clone(),
            place: format!("{} · {}", v.district_name, p.address),
            days: fmt::days(&p.work_start, &p.work_end),
            hours: format!("{}", p.daily_hours),
            closes: fmt::instant(&p.closes_at),
            taken: p.taken,
            headcount: p.headcount,
            left: v.open_places,
            contact: format!("{} {}", p.contact_name, v.contact_phone),
            description: p.description.clone(),
            requirements,
            reasons: v.review_reasons.clone(),
            closable: p.status == "open" || p.status == "held",
        }
    }
}

/// A recommended worker, in words.
pub struct RecommendedCard {
    /// The worker's account id (what the offer names).
    pub worker_id: String,
    /// The real name.
    pub name: String,
    /// Occupations, by name.
    pub occupations: String,
    /// Distance from the work place.
    pub distance: String,
    /// `4.5分(2次评价)` or `暂无评价`.
    pub rating: String,
    /// Completed engagements and no-shows.
    pub record: String,
    /// The plugin's score.
    pub score: String,
    /// Each reason with the points it was worth.
    pub reasons: Vec<(String, String)>,
}

impl RecommendedCard {
    fn of(w: &WorkerMatch) -> RecommendedCard {
        let rating = match w.rating {
            Some(r) => format!("{r:.1}分({}次评价)", w.rating_count),
            None => "暂无评价".into(),
        };
        RecommendedCard {
            worker_id: w.worker_id.clone(),
            name: w.name.clone().unwrap_or_else(|| "(未填写姓名)".into()),
            occupations: w.occupations.join("、"),
            distance: fmt::distance(w.distance_km),
            rating,
            record: format!("完成{}次 · 未到岗{}次", w.completed_jobs, w.no_shows),
            score: format!("{:.1}", w.score),
            reasons: w
                .reasons
                .iter()
                .map(|r| (r.message.clone(), format!("{:+.1}", r.points)))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "employer_job.html")]
struct JobPage {
    layout: Layout,
    job: PostFacts,
    engagements: Vec<EngagementCard>,
    recommended: Vec<RecommendedCard>,
    recommendations_shown: bool,
    rule_failure: Option<String>,
    back: String,
    typed: ActionTyped,
    errors: FormErrors,
}

/// `GET /employer/jobs/{id}`
pub async fn job_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    show(&state, &ctx, me, &id, None).await
}

/// The post's page, with `problem` (an offer or closing refused) shown above it.
async fn show(
    state: &AppState,
    ctx: &PageCtx,
    me: &Actor,
    id: &str,
    problem: Option<ApiError>,
) -> Result<Response, PageError> {
    let row = jobs::load_own(&state.store, &me.id, id).await?;
    let view = JobView::new(&row, state.accounts.keys(), true)?;
    let rows = workflow::of_job(&state.store, &me.id, id).await?;
    let engagements = views(&state.store, state.accounts.keys(), &rows).await?;
    let hiring = row.status == "open" && view.open_places > 0;
    let (recommended, rule_failure) =
        if hiring { recommendations(state, &row).await? } else { (Vec::new(), None) };
    let page = JobPage {
        layout: ctx.layout(&row.title),
        job: PostFacts::of(&view),
        engagements: engagements.iter().map(|e| EngagementCard::of(e, Party::Employer)).collect(),
        recommended,
        recommendations_shown: hiring,
        rule_failure,
        back: format!("/employer/jobs/{id}"),
        typed: ActionTyped::default(),
        errors: problem
            .as_ref()
            .map_or_else(FormErrors::none, |e| FormErrors::from_error(e).shown_in(&[])),
    };
    render(problem.map_or(StatusCode::OK, |e| e.status), &page)
}

/// The recommended workers, or (when the market's matching rule failed just now) none and which
/// market's rule failed: the rest of the page still works.
async fn recommendations(
    state: &AppState,
    job: &JobRow,
) -> Result<(Vec<RecommendedCard>, Option<String>), PageError> {
    match recommend::for_job(&state.store, &state.rules, job, RECOMMENDED).await {
        Ok(r) => Ok((r.workers.iter().map(RecommendedCard::of).collect(), None)),
        Err(err) if rule_failed(&err) => {
            let market = state.store.get_tenant(&job.tenant_code).await?;
            let name = market.map_or_else(|| job.tenant_code.clone(), |t| t.name);
            Ok((
                Vec::new(),
                Some(format!("{name}的匹配规则暂时不可用({}),暂时无法推荐人选", zh(&err.message))),
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// Whether an error is the market's rule (plugin) failing or missing rather than the request.
fn rule_failed(err: &ApiError) -> bool {
    err.code.starts_with("plugin_") || matches!(err.code, "host_overloaded" | "slot_unbound")
}

/// What the offer button posts.
#[derive(Deserialize)]
pub struct OfferForm {
    worker_id: String,
}

/// `POST /employer/jobs/{id}/offers`: offer the post to a (recommended) worker, then back to
/// the post with the new engagement; or the post with the refusal.
pub async fn offer(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm<OfferForm>,
) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    match workflow::offer(&state.store, &me.id, &id, form.worker_id.trim()).await {
        Ok(_) => Ok(redirect(&format!("/employer/jobs/{id}#engagements"))),
        Err(err) if err.status.is_client_error() => show(&state, &ctx, me, &id, Some(err)).await,
        Err(err) => Err(err.into()),
    }
}

/// `POST /employer/jobs/{id}/close`: stop hiring, then back to the post.
pub async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    match jobs::close(&state.store, &me.id, &id).await {
        Ok(_) => Ok(redirect(&format!("/employer/jobs/{id}"))),
        Err(err) if err.status == StatusCode::CONFLICT => {
            show(&state, &ctx, me, &id, Some(err)).await
        }
        Err(err) => Err(err.into()),
    }
}
