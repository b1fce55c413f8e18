//! The HTTP surface: the JSON API under `/api/v1`, health probes, and the OpenAPI document.
//!
//! Every route is registered through [`utoipa_axum::routes!`], so the OpenAPI document at
//! `/api/openapi.json` is generated from the same code that serves the routes and cannot miss one.

mod audit;
mod auth;
pub(crate) mod authorize;
mod complaints;
mod decisions;
mod engagements;
mod extract;

pub use extract::bearer;
mod health;
mod jobs;
mod ledgers;
mod matching;
mod openapi;
mod plugins;
mod profiles;
mod slots;
mod tenants;
mod trainings;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::accounts::Accounts;
use crate::authz::Authz;
use crate::config::Config;
use crate::error::ApiError;
use crate::rules::Rules;
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Plugins, bindings and decisions (the plugin runtime behind them).
    pub rules: Rules,
    /// Accounts, passwords and sessions.
    pub accounts: Accounts,
    /// The casbin enforcer every route is authorised with.
    pub authz: Authz,
    /// Failed logins per client address, shared by every host.
    pub login_throttle: crate::accounts::throttle::LoginThrottle,
    /// The configuration the application was built from.
    pub config: Arc<Config>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "gigmarket API", description = "开封市零工市场服务平台 / the online service platform of Kaifeng's public gig-labour markets"),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&AdminAuth),
    tags((name = "health"), (name = "tenants", description = "The 1+10+N market tree"),
        (name = "plugins", description = "Plugin components"), (name = "slots", description = "Which plugin serves a market's slot"),
        (name = "decisions", description = "Receipts of plugin decisions"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "profiles", description = "Real-name profiles and their verification"),
        (name = "matching", description = "Recommendations and batch assignment (快速配岗)"), (name = "engagements", description = "From application to payment and ratings"), (name = "jobs", description = "Job posts, feeds, QR codes and market check-ins (即时快招)"), (name = "complaints", description = "Rights protection cases (劳动维权) with time limits and escalation"), (name = "trainings", description = "Skills services (技能提升): training sessions, enrolment, attendance and skill records"),
        (name = "ledgers", description = "The five daily ledgers (记实管理), the daily close and the calendar of kept days"), (name = "meta"))
)]
struct ApiDoc;

/// The `admin` bearer-token security scheme the administrative routes name.
struct AdminAuth;

impl Modify for AdminAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Build the whole application router.
pub fn router(state: AppState) -> Router {
    let authorize = axum::middleware::from_fn_with_state(state.clone(), authorize::authorize);
    let upload_limit = state.config.plugin_runtime.max_component_bytes + 1024;
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(tenants::list_tenants, tenants::create_tenant))
        .routes(routes!(tenants::get_tenant, tenants::patch_tenant))
        .routes(routes!(tenants::withdraw_tenant))
        .routes(routes!(tenants::services, tenants::patch_services))
        .routes(
            routes!(plugins::upload_plugin, plugins::list_plugins)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .routes(routes!(plugins::runtime_stats))
        .routes(routes!(slots::list_slots))
        .routes(routes!(slots::bind_slot))
        .routes(routes!(slots::rollback_slot))
        .routes(routes!(slots::invoke_slot))
        .routes(routes!(slots::dry_run_slot))
        .routes(routes!(slots::get_dry_run))
        .routes(routes!(decisions::get_decision))
        .routes(routes!(decisions::replay_decision))
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::create_staff))
        .routes(routes!(auth::remove_staff))
        .routes(routes!(profiles::put_profile, profiles::get_profile))
        .routes(routes!(profiles::pending))
        .routes(routes!(profiles::verify))
        .routes(routes!(profiles::person))
        .routes(routes!(complaints::file_complaint))
        .routes(routes!(complaints::my_complaints))
        .routes(routes!(complaints::my_complaint))
        .routes(routes!(complaints::tenant_complaints))
        .routes(routes!(complaints::tenant_complaint))
        .routes(routes!(complaints::add_event))
        .routes(routes!(auth::list_policies, auth::add_policy, auth::remove_policy))
        .routes(routes!(jobs::post_job, jobs::city_feed))
        .routes(routes!(jobs::get_job))
        .routes(routes!(jobs::my_jobs))
        .routes(routes!(jobs::close_job))
        .routes(routes!(jobs::tenant_feed))
        .routes(routes!(jobs::held_jobs))
        .routes(routes!(jobs::review_held))
        .routes(routes!(jobs::occupations))
        .routes(routes!(jobs::job_qr_png))
        .routes(routes!(jobs::job_qr_svg))
        .routes(routes!(jobs::tenant_qr_png))
        .routes(routes!(jobs::tenant_qr_svg))
        .routes(routes!(jobs::check_in, jobs::list_check_ins))
        .routes(routes!(engagements::apply))
        .routes(routes!(engagements::offer))
        .routes(routes!(engagements::job_engagements))
        .routes(routes!(engagements::my_engagements))
        .routes(routes!(engagements::get_engagement))
        .routes(routes!(engagements::act))
        .routes(routes!(matching::workers_for_job))
        .routes(routes!(matching::jobs_for_worker))
        .routes(routes!(matching::draft_assignment))
        .routes(routes!(matching::get_assignment))
        .routes(routes!(matching::publish_assignment))
        .routes(routes!(trainings::find))
        .routes(routes!(trainings::get))
        .routes(routes!(trainings::enrol))
        .routes(routes!(trainings::withdraw))
        .routes(routes!(trainings::my_trainings))
        .routes(routes!(trainings::my_skills))
        .routes(routes!(trainings::tenant_trainings, trainings::create))
        .routes(routes!(trainings::cancel))
        .routes(routes!(trainings::roster))
        .routes(routes!(trainings::step))
        .routes(routes!(ledgers::get_ledger, ledgers::add_row))
        .routes(routes!(ledgers::get_workbook))
        .routes(routes!(ledgers::close_day))
        .routes(routes!(ledgers::calendar))
        .routes(routes!(audit::list_audit))
        .routes(routes!(audit::verify_audit))
        .routes(routes!(openapi::openapi_json))
        .with_state(state.clone())
        .split_for_parts();
    router
        .merge(crate::web::routes().with_state(state))
        .route_layer(authorize)
        // Outside the authorisation: a page form without its CSRF token is refused before
        // anything else (a logged-out visitor too), and refusals get the pages' headers.
        .layer(axum::middleware::from_fn(crate::web::guard::guard))
        .layer(axum::Extension(Arc::new(doc)))
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
}

/// Every request's span carries its id, so all log lines of one request can be found together.
fn request_span<B>(req: &Request<B>) -> tracing::Span {
    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
}

/// An unknown path: a structured error under `/api/`, an error page anywhere else.
async fn route_not_found(uri: axum::http::Uri) -> axum::response::Response {
    let err = ApiError::not_found("route_not_found", "没有这个页面或接口", "no such route");
    answer(err, &uri)
}

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    let err = ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "此接口不支持该请求方法",
        "method not allowed on this route",
    );
    answer(err, &uri)
}

/// An error as the door it came through shows errors: JSON for the API, a page for pages.
fn answer(err: ApiError, uri: &axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if crate::authz::routes::is_page(uri.path()) {
        crate::web::PageError(err).into_response()
    } else {
        err.into_response()
    }
}
