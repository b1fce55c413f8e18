//! The employer's pages, phone first: their home (`/employer`: real-name state and their posts),
//! posting a job ([`post`]), and one post with its applicants, engaged workers and recommended
//! workers ([`job`]). Each calls the domain function the JSON API calls; the engagement actions
//! of both parties are one page route ([`super::engagement`]).

pub mod job;
pub mod post;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::page::{Layout, render};
use super::{PageCtx, PageError, fmt};
use crate::accounts::AccountKind;
use crate::api::AppState;
use crate::authz::Actor;
use crate::jobs::{self, JobView};
use crate::store::profiles::ProfileRow;

/// Where an employer keeps their real-name profile (the `/me` page of the contract).
pub const PROFILE_PAGE: &str = "/me/profile";

/// The logged-in employer; any other account gets the 403 page the API's refusal names.
pub fn employer(ctx: &PageCtx) -> Result<&Actor, PageError> {
    let actor = ctx.actor()?;
    if actor.kind == AccountKind::Employer { Ok(actor) } else { Err(jobs::employers_only().into()) }
}

/// The employer's real-name state, as their pages show it.
pub struct Verification {
    /// `none`, `unverified`, `verified` or `rejected` (a CSS class too).
    pub state: &'static str,
    /// In words.
    pub label: &'static str,
    /// Why staff rejected it.
    pub reason: Option<String>,
}

impl Verification {
    /// The state of `profile` (none yet: `None`).
    pub fn of(profile: Option<&ProfileRow>) -> Verification {
        let (state, label) = match profile.map(|p| p.verification.as_str()) {
            None => ("none", "尚未填写实名信息"),
            Some("verified") => ("verified", "已实名认证"),
            Some("rejected") => ("rejected", "实名信息未通过审核"),
            Some(_) => ("unverified", "实名信息审核中"),
        };
        let reason = profile.and_then(|p| p.verification_reason.clone());
        Verification { state, label, reason }
    }

    /// Whether the employer may post (双实名).
    pub fn verified(&self) -> bool {
        self.state == "verified"
    }
}

/// One of the employer's posts in their list.
pub struct PostRow {
    /// Its page.
    pub href: String,
    /// The title.
    pub title: String,
    /// The status (a CSS class too).
    pub status: String,
    /// The status in words.
    pub status_name: &'static str,
    /// `180元/天`.
    pub wage: String,
    /// The days of work.
    pub days: String,
    /// Places taken.
    pub taken: i64,
    /// Places in all.
    pub headcount: i64,
    /// Places still open.
    pub left: i64,
}

impl PostRow {
    fn of(v: &JobView) -> PostRow {
        let p = &v.post;
        PostRow {
            href: format!("/employer/jobs/{}", p.id),
            title: p.title.clone(),
            status: p.status.clone(),
            status_name: fmt::job_status(&p.status),
            wage: fmt::wage(p.wage_cents, &p.wage_unit),
            days: fmt::days(&p.work_start, &p.work_end),
            taken: p.taken,
            headcount: p.headcount,
            left: v.open_places,
        }
    }
}

#[derive(Template)]
#[template(path = "employer_home.html")]
struct HomePage {
    layout: Layout,
    name: Option<String>,
    verification: Verification,
    profile_page: &'static str,
    posts: Vec<PostRow>,
}

/// `GET /employer`: the employer's real-name state, the way to post, and their posts.
pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    let profile = state.store.profile(&me.id).await?;
    let posts = jobs::employer_posts(&state.store, state.accounts.keys(), &me.id).await?;
    let page = HomePage {
        layout: ctx.layout("我的招聘"),
        name: profile.as_ref().map(|p| p.name.clone()),
        verification: Verification::of(profile.as_ref()),
        profile_page: PROFILE_PAGE,
        posts: posts.iter().map(PostRow::of).collect(),
    };
    render(StatusCode::OK, &page)
}
