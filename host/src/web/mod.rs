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
mod console;
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

/// Every page route (each is also in `authz::routes::ROUTES`). The router wraps them in
/// [`guard::pages_only`], outside the authorisation middleware.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(feed::feed))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/logout", post(auth::logout))
        .route("/assets/{file}", get(assets::serve))
        .merge(console::routes())
}
