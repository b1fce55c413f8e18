//! The web pages: HTML rendered by the host from askama templates (`host/templates/`), with
//! htmx as progressive enhancement (every form and link works with JavaScript off).
//!
//! Pages are another door onto the same domain: a handler parses its form, calls the domain
//! function the JSON API calls, and renders. Every page route is in the one authorisation table
//! (`authz::routes`), read by the same middleware as the API; pages authenticate with a session
//! cookie instead of a bearer token, and every form that changes something carries a CSRF token
//! ([`guard`]).

pub mod assets;
mod auth;
mod city;
mod city_admin;
mod complaints;
mod console;
pub mod cookies;
pub mod employer;
pub mod engagement;
pub mod feed;
pub mod fmt;
pub mod form;
pub mod guard;
mod jobs;
mod ledgers;
mod markets;
pub mod me;
pub mod page;
mod profile;
mod rules;
mod rules_view;
mod trainings;

use axum::Router;
use axum::routing::{get, post};

use crate::api::AppState;

pub use page::{PageCtx, PageError, refused};

/// Every page route (each is also in `authz::routes::ROUTES`). The CSRF guard wraps them from
/// outside the authorisation middleware ([`guard::guard`], layered in `api::router`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(feed::feed))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/logout", post(auth::logout))
        .route("/jobs/{id}", get(jobs::show))
        .route("/jobs/{id}/apply", post(jobs::apply))
        .route("/markets/{code}", get(markets::show))
        .route("/markets/{code}/check-in", get(markets::check_in_form).post(markets::check_in))
        .route("/me", get(me::show))
        .route("/me/profile", get(profile::form).post(profile::submit))
        .route("/me/complaints/new", get(complaints::new))
        .route("/me/complaints", post(complaints::file))
        .route("/me/complaints/{id}", get(complaints::show))
        .route("/assets/{file}", get(assets::serve))
        // The employer's pages, and every engagement action of both parties.
        .route("/employer", get(employer::home))
        .route("/employer/jobs/new", get(employer::post::new_post))
        .route("/employer/jobs", post(employer::post::create_post))
        .route("/employer/jobs/{id}", get(employer::job::job_page))
        .route("/employer/jobs/{id}/offers", post(employer::job::offer))
        .route("/employer/jobs/{id}/close", post(employer::job::close))
        .route("/engagements/{id}/{action}", post(engagement::act))
        .merge(rules::routes())
        // The city's console.
        .route("/console", get(city::home))
        .route("/console/tenants", post(city::create))
        .route("/console/tenants/{code}", post(city::rename))
        .route("/console/tenants/{code}/withdraw", post(city::withdraw))
        .route("/console/permissions", get(city_admin::permissions).post(city_admin::change))
        .route("/console/audit", get(city_admin::audit))
        .route("/console/audit/verify", get(city_admin::verify))
        // The markets' consoles.
        .merge(console::routes())
        // Skills services (技能提升): workers' and staff pages.
        .merge(trainings::routes())
        .merge(ledgers::routes())
        .layer(tower_http::compression::CompressionLayer::new())
}
