//! What every route requires: the one table the authorisation middleware reads.
//!
//! A route missing from this table is refused (fail closed), and a test checks that the table,
//! the OpenAPI document and the router agree, method by method, both ways.

pub use axum::http::Method as HttpMethod;
use axum::http::Method;

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: health, the public market tree, registration and login.
    Public,
    /// Any logged-in account (its own records; handlers check ownership).
    LoggedIn,
    /// A staff role allowed `action` on `object` in the route's tenant (`{code}`), or in the
    /// actor's own tenant for routes without one.
    Staff {
        /// The area of the API the permission names (an entry of [`crate::authz::OBJECTS`]).
        object: &'static str,
        /// `read` or `write`.
        action: &'static str,
    },
    /// A staff role allowed `action` on `object` in the city's own tenant (the root of the
    /// tree): the city console, which shows and changes every market. A county administrator,
    /// whose grant starts below the city, is refused.
    City {
        /// The area of the API the permission names (an entry of [`crate::authz::OBJECTS`]).
        object: &'static str,
        /// `read` or `write`.
        action: &'static str,
    },
}

const fn city(object: &'static str, action: &'static str) -> Access {
    Access::City { object, action }
}

const fn staff(object: &'static str, action: &'static str) -> Access {
    Access::Staff { object, action }
}

const PUBLIC: Access = Access::Public;
const LOGGED_IN: Access = Access::LoggedIn;

/// Every route the host serves, by method and path template, with what it requires. The router,
/// the OpenAPI document and this table must agree, method by method (a test compares them).
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/api/openapi.json", PUBLIC),
    ("GET", "/api/v1/tenants", PUBLIC),
    ("GET", "/api/v1/tenants/{code}", PUBLIC),
    ("GET", "/api/v1/tenants/{code}/slots", PUBLIC),
    ("GET", "/api/v1/tenants/{code}/services", PUBLIC),
    ("POST", "/api/v1/auth/register", PUBLIC),
    ("POST", "/api/v1/auth/login", PUBLIC),
    ("POST", "/api/v1/auth/logout", LOGGED_IN),
    ("GET", "/api/v1/auth/me", LOGGED_IN),
    ("POST", "/api/v1/tenants", staff("tenants", "write")),
    ("PATCH", "/api/v1/tenants/{code}", staff("tenants", "write")),
    ("PATCH", "/api/v1/tenants/{code}/services", staff("services", "write")),
    ("POST", "/api/v1/tenants/{code}/withdraw", staff("tenants", "write")),
    ("POST", "/api/v1/plugins", staff("plugins", "write")),
    ("GET", "/api/v1/plugins", staff("plugins", "read")),
    ("GET", "/api/v1/plugins/runtime", staff("plugins", "read")),
    ("PUT", "/api/v1/tenants/{code}/slots/{slot}", staff("slots", "write")),
    ("POST", "/api/v1/tenants/{code}/slots/{slot}/rollback", staff("slots", "write")),
    ("POST", "/api/v1/tenants/{code}/slots/{slot}/invoke", staff("slots", "write")),
    ("POST", "/api/v1/tenants/{code}/slots/{slot}/dry-run", staff("slots", "write")),
    ("GET", "/api/v1/tenants/{code}/dry-runs/{id}", staff("slots", "read")),
    ("GET", "/api/v1/decisions/{id}", staff("decisions", "read")),
    ("POST", "/api/v1/decisions/{id}/replay", staff("decisions", "read")),
    ("GET", "/api/v1/audit", staff("audit", "read")),
    ("GET", "/api/v1/audit/verify", staff("audit", "read")),
    ("POST", "/api/v1/staff", staff("accounts", "write")),
    ("DELETE", "/api/v1/staff/{id}", staff("accounts", "write")),
    ("GET", "/api/v1/authz/policies", staff("authz", "read")),
    ("POST", "/api/v1/authz/policies", staff("authz", "write")),
    ("DELETE", "/api/v1/authz/policies", staff("authz", "write")),
    ("PUT", "/api/v1/me/profile", LOGGED_IN),
    ("GET", "/api/v1/me/profile", LOGGED_IN),
    ("GET", "/api/v1/tenants/{code}/verifications", staff("verifications", "read")),
    ("POST", "/api/v1/tenants/{code}/verifications/{account}", staff("verifications", "write")),
    ("GET", "/api/v1/tenants/{code}/people/{account}", staff("people", "read")),
    ("GET", "/api/v1/jobs", PUBLIC),
    ("GET", "/api/v1/jobs/{id}", PUBLIC),
    ("GET", "/api/v1/occupations", PUBLIC),
    ("GET", "/api/v1/tenants/{code}/jobs", PUBLIC),
    ("GET", "/api/v1/jobs/{id}/qr.png", PUBLIC),
    ("GET", "/api/v1/jobs/{id}/qr.svg", PUBLIC),
    ("GET", "/api/v1/tenants/{code}/qr.png", PUBLIC),
    ("GET", "/api/v1/tenants/{code}/qr.svg", PUBLIC),
    ("POST", "/api/v1/jobs", LOGGED_IN),
    ("POST", "/api/v1/jobs/{id}/close", LOGGED_IN),
    ("POST", "/api/v1/tenants/{code}/check-ins", LOGGED_IN),
    ("GET", "/api/v1/me/jobs", LOGGED_IN),
    ("GET", "/api/v1/tenants/{code}/jobs/held", staff("jobs", "read")),
    ("GET", "/api/v1/tenants/{code}/check-ins", staff("jobs", "read")),
    ("POST", "/api/v1/tenants/{code}/jobs/{id}/review", staff("jobs", "write")),
    ("POST", "/api/v1/jobs/{id}/applications", LOGGED_IN),
    ("POST", "/api/v1/jobs/{id}/offers", LOGGED_IN),
    ("POST", "/api/v1/engagements/{id}/{action}", LOGGED_IN),
    ("GET", "/api/v1/jobs/{id}/engagements", LOGGED_IN),
    ("GET", "/api/v1/me/engagements", LOGGED_IN),
    ("GET", "/api/v1/engagements/{id}", LOGGED_IN),
    ("GET", "/api/v1/jobs/{id}/recommendations", LOGGED_IN),
    ("GET", "/api/v1/me/recommendations", LOGGED_IN),
    ("POST", "/api/v1/tenants/{code}/assignments", staff("assignments", "write")),
    ("POST", "/api/v1/tenants/{code}/assignments/{id}/publish", staff("assignments", "write")),
    ("GET", "/api/v1/tenants/{code}/assignments/{id}", staff("assignments", "read")),
    ("POST", "/api/v1/complaints", LOGGED_IN),
    ("GET", "/api/v1/me/complaints", LOGGED_IN),
    ("GET", "/api/v1/complaints/{id}", LOGGED_IN),
    ("GET", "/api/v1/tenants/{code}/complaints", staff("complaints", "read")),
    ("GET", "/api/v1/tenants/{code}/complaints/{id}", staff("complaints", "read")),
    ("POST", "/api/v1/tenants/{code}/complaints/{id}/events", staff("complaints", "write")),
    // Skills services (技能提升): sessions found city-wide, enrolment by workers (the domain
    // refuses other accounts), and each market's sessions, rosters and attendance.
    ("GET", "/api/v1/trainings", PUBLIC),
    ("GET", "/api/v1/trainings/{id}", PUBLIC),
    ("POST", "/api/v1/trainings/{id}/enrolments", LOGGED_IN),
    ("POST", "/api/v1/trainings/{id}/withdraw", LOGGED_IN),
    ("GET", "/api/v1/me/trainings", LOGGED_IN),
    ("GET", "/api/v1/me/skills", LOGGED_IN),
    ("GET", "/api/v1/tenants/{code}/trainings", staff("trainings", "read")),
    ("POST", "/api/v1/tenants/{code}/trainings", staff("trainings", "write")),
    ("POST", "/api/v1/tenants/{code}/trainings/{id}/cancel", staff("trainings", "write")),
    ("GET", "/api/v1/tenants/{code}/trainings/{id}/enrolments", staff("trainings", "read")),
    (
        "POST",
        "/api/v1/tenants/{code}/trainings/{id}/enrolments/{account}",
        staff("trainings", "write"),
    ),
    // The five daily ledgers (记实管理): `{kind}` also answers `{kind}.xlsx` (a workbook).
    ("GET", "/api/v1/tenants/{code}/ledgers/{kind}", staff("ledgers", "read")),
    ("POST", "/api/v1/tenants/{code}/ledgers/{kind}", staff("ledgers", "write")),
    ("POST", "/api/v1/tenants/{code}/ledgers/close", staff("ledgers", "write")),
    ("GET", "/api/v1/tenants/{code}/ledgers.xlsx", staff("ledgers", "read")),
    ("GET", "/api/v1/ledgers/calendar", staff("ledgers", "read")),
    // The web pages (a session cookie instead of a bearer token; forms carry a CSRF token).
    ("GET", "/assets/{file}", PUBLIC),
    ("GET", "/", PUBLIC),
    ("GET", "/login", PUBLIC),
    ("POST", "/login", PUBLIC),
    ("GET", "/register", PUBLIC),
    ("POST", "/register", PUBLIC),
    ("POST", "/logout", PUBLIC),
    // Workers' pages: a post, a market, checking in, one's own page, profile and complaints.
    ("GET", "/jobs/{id}", PUBLIC),
    ("POST", "/jobs/{id}/apply", LOGGED_IN),
    ("GET", "/markets/{code}", PUBLIC),
    ("GET", "/markets/{code}/check-in", LOGGED_IN),
    ("POST", "/markets/{code}/check-in", LOGGED_IN),
    ("GET", "/me", LOGGED_IN),
    ("GET", "/me/profile", LOGGED_IN),
    ("POST", "/me/profile", LOGGED_IN),
    ("GET", "/me/complaints/new", LOGGED_IN),
    ("POST", "/me/complaints", LOGGED_IN),
    ("GET", "/me/complaints/{id}", LOGGED_IN),
    ("GET", "/trainings", PUBLIC),
    ("GET", "/trainings/{id}", PUBLIC),
    ("POST", "/trainings/{id}/enrol", LOGGED_IN),
    ("POST", "/trainings/{id}/withdraw", LOGGED_IN),
    ("GET", "/me/skills", LOGGED_IN),
    // The employer's pages (the handlers refuse other kinds of account, and the domain checks
    // that a post is the caller's own), and every engagement action of both parties.
    ("GET", "/employer", LOGGED_IN),
    ("GET", "/employer/jobs/new", LOGGED_IN),
    ("POST", "/employer/jobs", LOGGED_IN),
    ("GET", "/employer/jobs/{id}", LOGGED_IN),
    ("POST", "/employer/jobs/{id}/offers", LOGGED_IN),
    ("POST", "/employer/jobs/{id}/close", LOGGED_IN),
    ("POST", "/engagements/{id}/{action}", LOGGED_IN),
    // The rules console of a market (issue 11): the same objects as the slots, plugins and
    // decisions API routes, with the page's `{code}` as the tenant.
    ("GET", "/console/{code}/rules", staff("slots", "read")),
    ("POST", "/console/{code}/plugins", staff("plugins", "write")),
    ("GET", "/console/{code}/rules/{slot}", staff("slots", "read")),
    ("POST", "/console/{code}/rules/{slot}", staff("slots", "write")),
    ("POST", "/console/{code}/rules/{slot}/rollback", staff("slots", "write")),
    ("POST", "/console/{code}/rules/{slot}/dry-run", staff("slots", "write")),
    ("GET", "/console/{code}/dry-runs/{id}", staff("slots", "read")),
    ("GET", "/console/{code}/decisions/{id}", staff("decisions", "read")),
    ("POST", "/console/{code}/decisions/{id}/replay", staff("decisions", "read")),
    // The city console (issue 11): the city's administrator changes, the auditor reads. Checked
    // in the city's own tenant, so county staff are refused. `tenants`, `permissions`, `audit`
    // and `dashboard` are reserved market codes (`tenants::tree::RESERVED_CODES`).
    ("GET", "/console", city("tenants", "read")),
    ("POST", "/console/tenants", city("tenants", "write")),
    ("POST", "/console/tenants/{code}", city("tenants", "write")),
    ("POST", "/console/tenants/{code}/withdraw", city("tenants", "write")),
    ("GET", "/console/permissions", city("authz", "read")),
    ("POST", "/console/permissions", city("authz", "write")),
    ("GET", "/console/audit", city("audit", "read")),
    ("GET", "/console/audit/verify", city("audit", "read")),
    // The market console (`web::console`): each page needs the permission its JSON twin needs,
    // in the market of the path's `{code}`.
    ("GET", "/console/{code}", staff("jobs", "read")),
    ("POST", "/console/{code}/jobs/{id}/review", staff("jobs", "write")),
    ("POST", "/console/{code}/verifications/{account}", staff("verifications", "write")),
    ("POST", "/console/{code}/assignments", staff("assignments", "write")),
    ("GET", "/console/{code}/assignments/{id}", staff("assignments", "read")),
    ("POST", "/console/{code}/assignments/{id}/publish", staff("assignments", "write")),
    ("GET", "/console/{code}/complaints", staff("complaints", "read")),
    ("GET", "/console/{code}/complaints/{id}", staff("complaints", "read")),
    ("POST", "/console/{code}/complaints/{id}/events", staff("complaints", "write")),
    ("GET", "/console/{code}/staff", staff("accounts", "read")),
    ("POST", "/console/{code}/staff", staff("accounts", "write")),
    ("POST", "/console/{code}/staff/{id}/remove", staff("accounts", "write")),
    ("GET", "/console/{code}/services", staff("services", "read")),
    ("POST", "/console/{code}/services", staff("services", "write")),
    ("GET", "/console/{code}/trainings", staff("trainings", "read")),
    ("POST", "/console/{code}/trainings", staff("trainings", "write")),
    ("GET", "/console/{code}/trainings/{id}", staff("trainings", "read")),
    ("POST", "/console/{code}/trainings/{id}/cancel", staff("trainings", "write")),
    ("POST", "/console/{code}/trainings/{id}/enrolments/{account}", staff("trainings", "write")),
    // The ledgers' pages (`web::ledgers`); `ledgers` is a reserved market code. The calendar is
    // checked in the caller's own market (a county sees itself and its stations, the city all).
    ("GET", "/console/ledgers", staff("ledgers", "read")),
    ("GET", "/console/{code}/ledgers", staff("ledgers", "read")),
    ("GET", "/console/{code}/ledgers.xlsx", staff("ledgers", "read")),
    ("POST", "/console/{code}/ledgers/close", staff("ledgers", "write")),
    ("GET", "/console/{code}/ledgers/{kind}", staff("ledgers", "read")),
    ("POST", "/console/{code}/ledgers/{kind}", staff("ledgers", "write")),
];

/// Whether a path (or path template) is a web page rather than the JSON API or a probe: pages
/// authenticate by cookie and show errors as pages.
pub fn is_page(path: &str) -> bool {
    !path.starts_with("/api/") && path != "/healthz" && path != "/readyz"
}

/// The access rule of a route, by method and path template; `None` for a route not in the table.
pub fn access(method: &Method, template: &str) -> Option<Access> {
    ROUTES.iter().find(|(m, t, _)| *m == method.as_str() && *t == template).map(|(_, _, a)| *a)
}
