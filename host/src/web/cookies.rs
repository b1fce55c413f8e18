//! Reading the `Cookie` header and writing `Set-Cookie` values: the two cookies the pages use
//! (the session and the CSRF token) need nothing more.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie: the same opaque token the JSON API takes as a bearer token.
pub const SESSION: &str = "gm_session";
/// The CSRF cookie, compared with every form's `csrf_token` field.
pub const CSRF: &str = "gm_csrf";

/// The value of cookie `name`, if the request carries it.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: host-only, the whole site, never readable by scripts, sent on
/// top-level navigations from elsewhere but not on cross-site form posts; `Secure` when the
/// request came over TLS. `max_age` in seconds; 0 deletes the cookie.
pub fn set(name: &str, value: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Whether the request reached us over TLS (directly, or through a proxy that says so).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_several_headers_and_pairs() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, "a=1; gm_csrf=abc".parse().unwrap());
        h.append(COOKIE, "gm_session=tok=en".parse().unwrap());
        assert_eq!(get(&h, CSRF), Some("abc"));
        assert_eq!(get(&h, SESSION), Some("tok=en"));
        assert_eq!(get(&h, "gm"), None);
    }

    #[test]
    fn cookies_are_http_only_and_lax_and_secure_over_tls() {
        let c = set(SESSION, "t", 60, true);
        assert_eq!(c, "gm_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
        assert!(!set(SESSION, "t", 60, false).contains("Secure"));
    }
}
