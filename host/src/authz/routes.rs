//! What every route requires: the one table the authorisation middleware reads.
//!
//! A route missing from this table is refused (fail closed), and a test checks that every route
//! in the OpenAPI document has an entry.

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
}

const fn staff(object: &'static str, action: &'static str) -> Access {
    Access::Staff { object, action }
}

/// The access rule of a route, by method and path template.
pub fn access(method: &Method, template: &str) -> Option<Access> {
    let m = method.as_str();
    Some(match (m, template) {
        ("GET", "/healthz" | "/readyz" | "/api/openapi.json") => Access::Public,
        ("GET", "/api/v1/tenants" | "/api/v1/tenants/{code}" | "/api/v1/tenants/{code}/slots") => {
            Access::Public
        }
        ("POST", "/api/v1/auth/register" | "/api/v1/auth/login") => Access::Public,
        ("POST", "/api/v1/auth/logout") | ("GET", "/api/v1/auth/me") => Access::LoggedIn,
        ("POST", "/api/v1/tenants") | ("PATCH", "/api/v1/tenants/{code}") => {
            staff("tenants", "write")
        }
        ("POST", "/api/v1/plugins") => staff("plugins", "write"),
        ("GET", "/api/v1/plugins" | "/api/v1/plugins/runtime") => staff("plugins", "read"),
        ("PUT", "/api/v1/tenants/{code}/slots/{slot}") => staff("slots", "write"),
        (
            "POST",
            "/api/v1/tenants/{code}/slots/{slot}/rollback"
            | "/api/v1/tenants/{code}/slots/{slot}/invoke"
            | "/api/v1/tenants/{code}/slots/{slot}/dry-run",
        ) => staff("slots", "write"),
        ("GET", "/api/v1/tenants/{code}/dry-runs/{id}") => staff("slots", "read"),
        ("GET", "/api/v1/decisions/{id}") | ("POST", "/api/v1/decisions/{id}/replay") => {
            staff("decisions", "read")
        }
        ("GET", "/api/v1/audit" | "/api/v1/audit/verify") => staff("audit", "read"),
        ("POST", "/api/v1/staff") | ("DELETE", "/api/v1/staff/{id}") => staff("accounts", "write"),
        ("GET", "/api/v1/authz/policies") => staff("authz", "read"),
        ("POST" | "DELETE", "/api/v1/authz/policies") => staff("authz", "write"),
        ("PUT" | "GET", "/api/v1/me/profile") => Access::LoggedIn,
        ("GET", "/api/v1/tenants/{code}/verifications") => staff("verifications", "read"),
        ("POST", "/api/v1/tenants/{code}/verifications/{account}") => {
            staff("verifications", "write")
        }
        ("GET", "/api/v1/tenants/{code}/people/{account}") => staff("people", "read"),
        (
            "GET",
            "/api/v1/jobs"
            | "/api/v1/jobs/{id}"
            | "/api/v1/occupations"
            | "/api/v1/tenants/{code}/jobs",
        ) => Access::Public,
        (
            "GET",
            "/api/v1/jobs/{id}/qr.png"
            | "/api/v1/jobs/{id}/qr.svg"
            | "/api/v1/tenants/{code}/qr.png"
            | "/api/v1/tenants/{code}/qr.svg",
        ) => Access::Public,
        (
            "POST",
            "/api/v1/jobs" | "/api/v1/jobs/{id}/close" | "/api/v1/tenants/{code}/check-ins",
        )
        | ("GET", "/api/v1/me/jobs") => Access::LoggedIn,
        ("GET", "/api/v1/tenants/{code}/jobs/held" | "/api/v1/tenants/{code}/check-ins") => {
            staff("jobs", "read")
        }
        ("POST", "/api/v1/tenants/{code}/jobs/{id}/review") => staff("jobs", "write"),
        (
            "POST",
            "/api/v1/jobs/{id}/applications"
            | "/api/v1/jobs/{id}/offers"
            | "/api/v1/engagements/{id}/{action}",
        ) => Access::LoggedIn,
        (
            "GET",
            "/api/v1/jobs/{id}/engagements" | "/api/v1/me/engagements" | "/api/v1/engagements/{id}",
        ) => Access::LoggedIn,
        ("GET", "/api/v1/jobs/{id}/recommendations" | "/api/v1/me/recommendations") => {
            Access::LoggedIn
        }
        (
            "POST",
            "/api/v1/tenants/{code}/assignments"
            | "/api/v1/tenants/{code}/assignments/{id}/publish",
        ) => staff("assignments", "write"),
        ("GET", "/api/v1/tenants/{code}/assignments/{id}") => staff("assignments", "read"),
        ("POST", "/api/v1/complaints")
        | ("GET", "/api/v1/me/complaints" | "/api/v1/complaints/{id}") => Access::LoggedIn,
        ("GET", "/api/v1/tenants/{code}/complaints" | "/api/v1/tenants/{code}/complaints/{id}") => {
            staff("complaints", "read")
        }
        ("POST", "/api/v1/tenants/{code}/complaints/{id}/events") => staff("complaints", "write"),
        _ => return None,
    })
}
