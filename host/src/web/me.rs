//! A worker's own page (`/me`): their real-name profile, their applications and engagements with
//! the actions open to them now, and their complaints with the one-time notice and time limit.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::engagement::{ActionTyped, EngagementCard};
use super::form::FormErrors;
use super::page::{Layout, render};
use super::{PageCtx, PageError, fmt};
use crate::api::AppState;
use crate::authz::Actor;
use crate::complaints;
use crate::engagements::Party;
use crate::engagements::view::view;
use crate::error::ApiError;
use crate::store::profiles::ProfileRow;

/// A complaint as its complainant's list shows it.
pub struct ComplaintCard {
    /// Its page.
    pub href: String,
    /// 欠薪, …
    pub kind: &'static str,
    /// 已受理, …
    pub status: &'static str,
    /// When it is due, in China's time.
    pub due: String,
    /// Open past its time limit.
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    layout: Layout,
    profile: Option<ProfileRow>,
    verification: &'static str,
    engagements: Vec<EngagementCard>,
    complaints: Vec<ComplaintCard>,
    /// The action forms start empty (a refused action is shown on its own page).
    typed: ActionTyped,
    errors: FormErrors,
}

/// `GET /me`
pub async fn show(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let profile = state.store.profile(&actor.id).await?;
    let page = MePage {
        layout: ctx.layout("我的"),
        verification: verification_zh(profile.as_ref()),
        profile,
        engagements: engagements(&state, actor, Party::Worker).await?,
        complaints: complaint_cards(&state, actor).await?,
        typed: ActionTyped::default(),
        errors: FormErrors::none(),
    };
    render(StatusCode::OK, &page)
}

/// A profile's verification state, in words.
pub fn verification_zh(profile: Option<&ProfileRow>) -> &'static str {
    match profile.map(|p| p.verification.as_str()) {
        None => "未填写实名信息",
        Some("verified") => "已实名核验",
        Some("rejected") => "核验未通过",
        Some(_) => "等待市场工作人员核验",
    }
}

/// One's engagements as `party`, newest first, as cards.
pub async fn engagements(
    state: &AppState,
    actor: &Actor,
    party: Party,
) -> Result<Vec<EngagementCard>, ApiError> {
    let rows = state.store.engagements_of(&actor.id).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for row in &rows {
        let mine = match party {
            Party::Worker => row.worker_id == actor.id,
            Party::Employer => row.employer_id == actor.id,
        };
        if mine {
            let e = view(&state.store, state.accounts.keys(), row).await?;
            cards.push(EngagementCard::of(&e, party));
        }
    }
    Ok(cards)
}

async fn complaint_cards(state: &AppState, actor: &Actor) -> Result<Vec<ComplaintCard>, ApiError> {
    let now = state.store.now();
    let rows = state.store.complaints_of_complainant(&actor.id).await?;
    Ok(rows
        .iter()
        .map(|c| ComplaintCard {
            href: format!("/me/complaints/{}", c.id),
            kind: complaints::Kind::parse(&c.kind).map_or("其他", complaints::Kind::name_zh),
            status: complaints::Status::parse(&c.status).map_or("", complaints::Status::name_zh),
            due: fmt::instant(&c.due_at),
            overdue: complaints::is_overdue(c, &now),
        })
        .collect())
}
