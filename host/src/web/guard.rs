//! What every page response passes through: the CSRF check of every form that changes
//! something, the CSRF cookie, and the headers that keep pages from being framed, sniffed or
//! made to run scripts from elsewhere.
//!
//! The CSRF defence is a double submit: a random token in an `HttpOnly`, `SameSite=Lax` cookie,
//! and the same token in every form's hidden `csrf_token` field. Another site can make a browser
//! send the cookie but cannot read it to fill the field. The check runs before any handler, so
//! a refused request writes nothing; handlers cannot forget it.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;

use super::cookies;
use crate::error::ApiError;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// Forms larger than this are refused before they are read (plugin uploads are multipart and
/// bounded by the route's own limit below this).
const MAX_FORM_BYTES: usize = 64 << 20;
/// How long the CSRF cookie lives (a year: it protects, it does not identify).
const COOKIE_SECONDS: u64 = 365 * 24 * 3600;

/// This request's CSRF token, for the forms a page renders.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The page middleware: check the CSRF token of unsafe requests, hand the token to the page,
/// set the cookie when it is new, and add the security headers. The JSON API (bearer tokens,
/// no cookies) and the probes pass through untouched.
pub async fn guard(mut request: Request, next: Next) -> Response {
    if !crate::authz::routes::is_page(request.uri().path()) {
        return next.run(request).await;
    }
    let existing =
        cookies::get(request.headers(), cookies::CSRF).filter(|t| well_formed(t)).map(String::from);
    if !request.method().is_safe() {
        let Some(expected) = existing.as_deref() else {
            return refused();
        };
        request = match checked(request, expected).await {
            Some(request) => request,
            None => return refused(),
        };
    }
    let token = existing.clone().unwrap_or_else(fresh);
    let tls = cookies::over_tls(request.headers());
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none() {
        let cookie = cookies::set(cookies::CSRF, &token, COOKIE_SECONDS, tls);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    secure_headers(&mut response);
    response
}

/// The request again (its body read once) when its form's `csrf_token` matches the cookie.
async fn checked(request: Request, expected: &str) -> Option<Request> {
    let (parts, body) = request.into_parts();
    let content_type =
        parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.ok()?;
    let sent = if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v)
    } else if content_type.starts_with("multipart/form-data") {
        multipart_token(&content_type, bytes.clone()).await
    } else {
        None
    }?;
    bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
        .then(|| Request::from_parts(parts, Body::from(bytes)))
}

/// The `csrf_token` field of a multipart form (forms put it first, before any file).
async fn multipart_token(content_type: &str, bytes: Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

/// 43 characters of URL-safe base64: what [`fresh`] makes.
fn well_formed(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn fresh() -> String {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn refused() -> Response {
    let err = ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "页面已过期或来源不明,请刷新页面后重试",
        "the form is stale or did not come from this site; reload the page and try again",
    );
    let mut response = super::PageError(err).into_response();
    secure_headers(&mut response);
    response
}

/// Scripts and styles only from this host (no inline script, no eval), no framing, no
/// sniffing, and no full URLs leaking to other sites.
fn secure_headers(response: &mut Response) {
    const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
        img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
        form-action 'self'";
    let headers = response.headers_mut();
    headers.insert("content-security-policy", HeaderValue::from_static(CSP));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // A page is one person's (their name, their CSRF token): no shared cache may keep it.
    // Assets set their own (a year, immutable).
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_tokens_are_well_formed_and_differ() {
        let (a, b) = (fresh(), fresh());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert!(!well_formed("short"));
        assert!(!well_formed(&format!("{}!", &a[..42])));
    }

    #[tokio::test]
    async fn the_token_is_read_from_a_multipart_form() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XyZ--\r\n";
        let token = multipart_token("multipart/form-data; boundary=XyZ", Bytes::from(body)).await;
        assert_eq!(token.as_deref(), Some("abc"));
    }
}
