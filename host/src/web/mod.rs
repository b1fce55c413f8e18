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
pub mod cookies;
mod feed;
pub mod fmt;
pub mod form;
pub mod guard;
pub mod page;

use axum::Router;
use axum::routing::{get, post};

use crate::api::AppState;

pub use page::{PageCtx, PageError, refused};

/// Every page route (each is also in `authz::routes::ROUTES`). The CSRF guard is the outer
/// layer, so a form posted without its token is refused before anything else looks at it (a
/// logged-out post of a staff form is a 403, not a trip to the login page); the authorisation
/// of `state`'s table runs inside it.
pub fn routes(state: AppState) -> Router<AppState> {
    let authorize = axum::middleware::from_fn_with_state(state, crate::api::authorize::authorize);
    Router::new()
        .route("/", get(feed::feed))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/logout", post(auth::logout))
        .route("/assets/{file}", get(assets::serve))
        .route("/console", get(city::home))
        .route("/console/tenants", post(city::create))
        .route("/console/tenants/{code}", post(city::rename))
        .route("/console/tenants/{code}/withdraw", post(city::withdraw))
        .route("/console/permissions", get(city_admin::permissions).post(city_admin::change))
        .route("/console/audit", get(city_admin::audit))
        .route("/console/audit/verify", get(city_admin::verify))
        .route_layer(authorize)
        .layer(axum::middleware::from_fn(guard::guard))
}
