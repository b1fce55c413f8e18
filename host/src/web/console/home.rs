//! The console's first page: today's check-ins (and the batch assignment), held posts to review,
//! the verification queue, and how many complaints wait.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{Market, masked_person};
use crate::api::AppState;
use crate::complaints::is_overdue;
use crate::error::ApiError;
use crate::identity::pii::mask_id_number;
use crate::jobs::JobView;
use crate::store::complaints::OverdueFilter;
use crate::store::profiles::ProfileRow;
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render};
use crate::web::{PageCtx, PageError, fmt};

/// A held post as staff review it.
pub struct HeldCard {
    /// The post's id (its review form posts to it).
    pub id: String,
    /// The title.
    pub title: String,
    /// The occupation's name.
    pub occupation: String,
    /// `180元/天 · 日结`.
    pub wage: String,
    /// The days of work.
    pub days: String,
    /// The county and the address.
    pub place: String,
    /// How many people are wanted.
    pub headcount: i64,
    /// The post's description.
    pub description: String,
    /// Why the market's review held it.
    pub reasons: Vec<String>,
}

impl HeldCard {
    fn of(v: &JobView) -> HeldCard {
        let p = &v.post;
        HeldCard {
            id: p.id.clone(),
            title: p.title.clone(),
            occupation: v.occupation_name.clone(),
            wage: format!(
                "{} · {}",
                fmt::wage(p.wage_cents, &p.wage_unit),
                fmt::settlement(&p.settlement)
            ),
            days: fmt::days(&p.work_start, &p.work_end),
            place: format!("{} · {}", v.district_name, p.address),
            headcount: p.headcount,
            description: p.description.clone(),
            reasons: v.review_reasons.iter().map(|r| r.message.clone()).collect(),
        }
    }
}

/// A profile waiting for verification (the ID number masked).
pub struct PendingCard {
    /// The account (its verification form posts to it).
    pub account: String,
    /// The name on the profile.
    pub name: String,
    /// 零工, 用工单位, …
    pub kind: &'static str,
    /// The ID number, masked; or the credit code of an organisation.
    pub number: String,
    /// When it was submitted or last changed.
    pub submitted: String,
}

impl PendingCard {
    fn of(state: &AppState, p: &ProfileRow) -> Result<PendingCard, ApiError> {
        let id = match &p.id_enc {
            Some(enc) => Some(state.accounts.keys().decrypt(enc).map_err(ApiError::internal)?),
            None => None,
        };
        let kind = match p.kind.as_str() {
            "worker" => "零工",
            "enterprise" => "用工单位",
            "individual_employer" => "个人雇主",
            _ => "人力资源机构",
        };
        Ok(PendingCard {
            account: p.account_id.clone(),
            name: p.name.clone(),
            kind,
            number: id.map(|n| mask_id_number(&n)).or_else(|| p.uscc.clone()).unwrap_or_default(),
            submitted: fmt::instant(&p.updated_at),
        })
    }
}

/// The form whose submission failed, shown again with its error and what was typed.
#[derive(Default)]
pub struct Focus {
    target: String,
    errors: FormErrors,
    reason: String,
}

impl Focus {
    /// The errors of the form of `target` (`job-…` or `person-…`), none for the others.
    pub fn errors_for(&self, target: &str) -> FormErrors {
        if self.target == target { self.errors.clone() } else { FormErrors::none() }
    }

    /// The error that belongs to no form field (shown above everything: the form it came from
    /// may no longer be on the page).
    pub fn general(&self) -> Option<&str> {
        self.errors.general()
    }

    /// The reason typed into the form of `target`.
    pub fn reason_for(&self, target: &str) -> &str {
        if self.target == target { &self.reason } else { "" }
    }
}

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    layout: Layout,
    market: Market,
    day: String,
    check_ins: Vec<String>,
    held: Vec<HeldCard>,
    pending: Option<Vec<PendingCard>>,
    complaints: Option<(usize, usize)>,
    focus: Focus,
}

/// `GET /console/{code}`
pub async fn home(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    page(&state, &ctx, &code, Focus::default(), StatusCode::OK).await
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    focus: Focus,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let today = state.store.clock().today();
    let mut check_ins = Vec::new();
    for account in state.store.checked_in(code, &today.to_string()).await? {
        check_ins.push(masked_person(state, &account).await?);
    }
    let held = state
        .store
        .held_jobs(code)
        .await?
        .iter()
        .map(|r| JobView::new(r, state.accounts.keys(), false).map(|v| HeldCard::of(&v)))
        .collect::<Result<_, _>>()?;
    let pending = if market.may_read("verifications") {
        let rows = state.store.pending_profiles(code).await?;
        Some(rows.iter().map(|p| PendingCard::of(state, p)).collect::<Result<_, _>>()?)
    } else {
        None
    };
    let complaints = if market.may_read("complaints") {
        let now = state.store.now();
        let rows = state.store.tenant_complaints(code, "", OverdueFilter::Any, &now).await?;
        let open = rows
            .iter()
            .filter(|c| !crate::complaints::Status::parse(&c.status).is_some_and(|s| s.is_final()))
            .count();
        Some((open, rows.iter().filter(|c| is_overdue(c, &now)).count()))
    } else {
        None
    };
    let title = format!("{} · 工作台", market.name);
    let page = HomePage {
        layout: ctx.wide_layout(&title),
        market,
        day: fmt::day(today),
        check_ins,
        held,
        pending,
        complaints,
        focus,
    };
    render(status, &page)
}

/// What an approve-or-reject form posts: which button was pressed, and the reason.
#[derive(Deserialize)]
pub struct Decision {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

impl Decision {
    fn approve(&self) -> Result<bool, ApiError> {
        match self.decision.as_str() {
            "approve" => Ok(true),
            "reject" => Ok(false),
            _ => Err(ApiError::bad_request(
                "invalid_decision",
                "请选择通过或驳回",
                "approve or reject",
            )
            .with_field("decision")),
        }
    }
}

/// `POST /console/{code}/jobs/{id}/review`: publish or reject a held post.
pub async fn review(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    PageForm(form): PageForm<Decision>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = match form.approve() {
        Ok(approve) => {
            let reason = Some(form.reason.as_str());
            crate::jobs::review_held(&state.store, &code, &id, approve, reason, &actor.id)
                .await
                .map(drop)
        }
        Err(err) => Err(err),
    };
    settle(&state, &ctx, &code, format!("job-{id}"), form.reason, result).await
}

/// `POST /console/{code}/verifications/{account}`: verify or reject a real-name profile.
pub async fn verify(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, account)): Path<(String, String)>,
    PageForm(form): PageForm<Decision>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = match form.approve() {
        Ok(approve) => {
            let reason = Some(form.reason.as_str());
            crate::accounts::profiles::verify(
                &state.store,
                &code,
                &account,
                approve,
                reason,
                &actor.id,
            )
            .await
            .map(drop)
        }
        Err(err) => Err(err),
    };
    settle(&state, &ctx, &code, format!("person-{account}"), form.reason, result).await
}

/// After a decision: back to the console, or the console again with the form's error.
async fn settle(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    target: String,
    reason: String,
    result: Result<(), ApiError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(redirect(&format!("/console/{code}"))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&["reason", "decision"]);
            page(state, ctx, code, Focus { target, errors, reason }, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}
