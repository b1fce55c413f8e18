//! What every page shares: the layout (title, navigation for the caller's role, the CSRF token
//! for its forms, the asset links), rendering a template, and error pages.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::header::{CONTENT_TYPE, HOST, LOCATION, REFERER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::assets;
use super::guard::CsrfToken;
use crate::accounts::AccountKind;
use crate::api::AppState;
use crate::authz::Actor;
use crate::error::ApiError;

/// One link of the top navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub label: &'static str,
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page's own title (the site's name is added).
    pub title: String,
    /// The CSRF token every form of the page carries.
    pub csrf: String,
    /// The links of the top navigation, for the caller's role.
    pub nav: Vec<NavLink>,
    /// Whether someone is logged in (the page then offers to log out).
    pub logged_in: bool,
    /// Desktop width (consoles) rather than phone width.
    pub wide: bool,
    /// The stylesheet's content-hashed URL.
    pub css: String,
    /// htmx's content-hashed URL.
    pub htmx: String,
    /// The site script's content-hashed URL.
    pub app_js: String,
    /// The icon's content-hashed URL (without it, browsers ask for `/favicon.ico`).
    pub icon: String,
}

impl Layout {
    fn new(title: &str, csrf: &str, actor: Option<&Actor>) -> Layout {
        Layout {
            title: title.to_string(),
            csrf: csrf.to_string(),
            nav: nav(actor),
            logged_in: actor.is_some(),
            wide: false,
            css: assets::url("app.css"),
            htmx: assets::url("htmx.min.js"),
            app_js: assets::url("app.js"),
            icon: assets::url("favicon.svg"),
        }
    }
}

/// The navigation for a role: the public feed for everyone, then the role's own place.
fn nav(actor: Option<&Actor>) -> Vec<NavLink> {
    let link = |href: &str, label| NavLink { href: href.to_string(), label };
    let mut links = vec![link("/", "找工作")];
    if actor.is_none_or(|a| a.kind == AccountKind::Worker) {
        links.push(link("/trainings", "技能培训"));
    }
    match actor {
        None => links.extend([link("/login", "登录"), link("/register", "注册")]),
        Some(a) => links.push(link(&home_of(a), home_label(a.kind))),
    }
    links
}

/// Where a role's own pages start: `/me` for workers, `/employer` for employers, the market's
/// console for its staff, the city console for city administrators and auditors.
pub fn home_of(actor: &Actor) -> String {
    match actor.kind {
        AccountKind::Worker => "/me".into(),
        AccountKind::Employer => "/employer".into(),
        AccountKind::CityAdmin | AccountKind::Auditor => "/console".into(),
        _ => match actor.home.as_deref().and_then(|p| p.rsplit('/').next()) {
            Some(code) => format!("/console/{code}"),
            None => "/".into(),
        },
    }
}

fn home_label(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Worker => "我的",
        AccountKind::Employer => "我的招聘",
        AccountKind::CityAdmin | AccountKind::Auditor => "市级后台",
        _ => "工作台",
    }
}

/// The caller as a page sees it: who is logged in (if anyone), the CSRF token, and where.
#[derive(Debug, Clone)]
pub struct PageCtx {
    /// The logged-in account, from the session cookie.
    pub actor: Option<Actor>,
    /// The token for this page's forms.
    pub csrf: String,
    /// The path and query of this request.
    pub uri: Uri,
}

impl PageCtx {
    /// The phone-width layout with `title`.
    pub fn layout(&self, title: &str) -> Layout {
        Layout::new(title, &self.csrf, self.actor.as_ref())
    }

    /// The desktop-width layout (consoles) with `title`.
    pub fn wide_layout(&self, title: &str) -> Layout {
        Layout { wide: true, ..self.layout(title) }
    }

    /// The logged-in account, or the 401 that sends the browser to the login page.
    pub fn actor(&self) -> Result<&Actor, PageError> {
        self.actor.as_ref().ok_or_else(|| PageError(unauthorized()))
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<PageCtx, PageError> {
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).ok_or_else(|| {
            PageError(ApiError::internal("a page route without the page middleware"))
        })?;
        Ok(PageCtx {
            actor: parts.extensions.get::<Actor>().cloned(),
            csrf,
            uri: parts.uri.clone(),
        })
    }
}

/// Render `page` as a full HTML document with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    let html = page.render().map_err(ApiError::internal)?;
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(response)
}

/// Send the browser to `to` (a 303: the next request is a GET, so reloading does not repost).
///
/// Non-ASCII characters (a Chinese keyword in `next=`) are percent-encoded, since a header value
/// must be ASCII for clients to read it.
pub fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let mut ascii = String::with_capacity(to.len());
    for c in to.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                ascii.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if let Ok(v) = HeaderValue::from_str(&ascii) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

/// The Chinese half of a bilingual message (`中文 / English`), which pages show.
pub fn zh(message: &str) -> &str {
    message.split(" / ").next().unwrap_or(message)
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录", "log in first")
}

/// An error shown as a page: the domain's error with its status, in Chinese.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    code: &'static str,
    message: String,
    home: &'static str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let err = self.0;
        let title = match err.status {
            StatusCode::NOT_FOUND => "找不到页面",
            StatusCode::FORBIDDEN => "无权访问",
            s if s.is_server_error() => "服务暂时不可用",
            _ => "请求有误",
        };
        let page = ErrorPage {
            layout: Layout::new(title, "", None),
            status: err.status.as_u16(),
            code: err.code,
            message: zh(&err.message).to_string(),
            home: "/",
        };
        render(err.status, &page).unwrap_or_else(|_| err.into_response())
    }
}

/// How the authorisation middleware answers a page it refuses: not logged in goes to the
/// login page (and to `back` afterwards, see [`return_to`]), anything else is an error page.
pub fn refused(err: ApiError, back: &str) -> Response {
    if err.status == StatusCode::UNAUTHORIZED {
        let query = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
        return redirect(&format!("/login?{query}"));
    }
    PageError(err).into_response()
}

/// Where to come back to after logging in: the page asked for, or, for a form posted while
/// logged out (an apply button), the page the form was on (its `Referer`, when it is ours),
/// since a form's target cannot be opened with a GET.
pub fn return_to(method: &Method, uri: &Uri, headers: &HeaderMap) -> String {
    if method == Method::GET {
        return uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let referer = headers.get(REFERER).and_then(|r| r.to_str().ok());
    let from = referer
        .and_then(|r| r.parse::<Uri>().ok())
        .filter(|r| r.authority().map(|a| a.as_str()) == host && host.is_some());
    from.and_then(|r| r.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| local_path(Some(p)).is_some())
        .unwrap_or_else(|| "/".to_string())
}

/// A local path to return to after logging in: only paths on this site (`/…`, never `//…`).
pub fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_path(Some("/me")), Some("/me"));
        assert_eq!(local_path(Some("//evil.example/")), None);
        assert_eq!(local_path(Some("https://evil.example/")), None);
        assert_eq!(local_path(Some("/\\evil.example")), None);
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn a_form_posted_logged_out_comes_back_to_the_page_it_was_on() {
        let uri: Uri = "/jobs/42/apply".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("gig.example:8080"));
        assert_eq!(return_to(&Method::POST, &uri, &headers), "/", "no referer: the feed");
        headers.insert(REFERER, HeaderValue::from_static("http://gig.example:8080/jobs/42?x=1"));
        assert_eq!(return_to(&Method::POST, &uri, &headers), "/jobs/42?x=1");
        headers.insert(REFERER, HeaderValue::from_static("http://evil.example/jobs/42"));
        assert_eq!(
            return_to(&Method::POST, &uri, &headers),
            "/",
            "another site's page is not followed"
        );
        let page: Uri = "/me?tab=1".parse().unwrap();
        assert_eq!(return_to(&Method::GET, &page, &headers), "/me?tab=1");
    }

    #[test]
    fn each_role_starts_at_its_own_pages() {
        let actor = |kind, home: Option<&str>| Actor {
            id: "a".into(),
            kind,
            home: home.map(str::to_string),
        };
        assert_eq!(home_of(&actor(AccountKind::Worker, None)), "/me");
        assert_eq!(home_of(&actor(AccountKind::Employer, None)), "/employer");
        assert_eq!(home_of(&actor(AccountKind::CityAdmin, Some("kaifeng"))), "/console");
        let clerk = actor(AccountKind::StationStaff, Some("kaifeng/lankao/lankao-lanyang"));
        assert_eq!(home_of(&clerk), "/console/lankao-lanyang");
    }
}
