//! Logging in, registering and logging out, in the browser: the same account functions as the
//! JSON API, with the session token kept in an `HttpOnly` cookie.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, home_of, local_path, redirect, render};
use super::{PageCtx, PageError, cookies};
use crate::accounts::{AccountKind, Session, throttle};
use crate::api::AppState;
use crate::authz::Actor;

/// Where to go after logging in (`?next=`).
#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    phone: String,
    next: String,
    errors: FormErrors,
}

/// `GET /login`
pub async fn login_form(
    ctx: PageCtx,
    PageQuery(q): PageQuery<Next>,
) -> Result<Response, PageError> {
    let next = local_path(q.next.as_deref()).unwrap_or("").to_string();
    let page = LoginPage {
        layout: ctx.layout("登录"),
        phone: String::new(),
        next,
        errors: FormErrors::none(),
    };
    render(StatusCode::OK, &page)
}

/// What the login form posts.
#[derive(Deserialize)]
pub struct LoginForm {
    phone: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`: a session cookie and the way on, or the form again with the error.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ctx: PageCtx,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let phone = form.phone.trim();
    let result =
        throttle::login(&state.accounts, &state.login_throttle, peer.ip(), phone, &form.password)
            .await;
    match result {
        Ok(session) => Ok(logged_in(&state, &headers, &session, local_path(Some(&form.next)))),
        Err(err) => {
            let page = LoginPage {
                layout: ctx.layout("登录"),
                phone: phone.to_string(),
                next: local_path(Some(&form.next)).unwrap_or("").to_string(),
                errors: FormErrors::from_error(&err).shown_in(&["phone", "password"]),
            };
            render(err.status, &page)
        }
    }
}

/// Set the session cookie and go on: to `next`, or to the account's own pages.
fn logged_in(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    next: Option<&str>,
) -> Response {
    let actor = Actor {
        id: session.account.id.clone(),
        kind: session.account.kind,
        // `home_of` needs only the market's code, the last segment of the path.
        home: session.account.tenant_code.clone(),
    };
    let to = next.map_or_else(|| home_of(&actor), str::to_string);
    let mut response = redirect(&to);
    let max_age = state.config.session_ttl.as_secs();
    let cookie =
        cookies::set(cookies::SESSION, &session.token, max_age, cookies::over_tls(headers));
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// The registration form.
#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    phone: String,
    kind: String,
    errors: FormErrors,
}

/// `GET /register`
pub async fn register_form(ctx: PageCtx) -> Result<Response, PageError> {
    let page = RegisterPage {
        layout: ctx.layout("注册"),
        phone: String::new(),
        kind: "worker".into(),
        errors: FormErrors::none(),
    };
    render(StatusCode::OK, &page)
}

/// What the registration form posts.
#[derive(Deserialize)]
pub struct RegisterForm {
    phone: String,
    password: String,
    kind: String,
}

/// `POST /register`: the account, logged in, on to its profile; or the form with the error.
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ctx: PageCtx,
    PageForm(form): PageForm<RegisterForm>,
) -> Result<Response, PageError> {
    let phone = form.phone.trim().to_string();
    let again = |err: &crate::error::ApiError| RegisterPage {
        layout: ctx.layout("注册"),
        phone: phone.clone(),
        kind: form.kind.clone(),
        errors: FormErrors::from_error(err).shown_in(&["phone", "password", "kind"]),
    };
    let Some(kind) = AccountKind::parse(&form.kind).filter(|k| k.self_service()) else {
        let err = crate::error::ApiError::bad_request(
            "invalid_kind",
            "请选择零工或用工方",
            "choose worker or employer",
        )
        .with_field("kind");
        return render(StatusCode::BAD_REQUEST, &again(&err));
    };
    if let Err(err) = state.accounts.register_self(&phone, &form.password, kind).await {
        return render(err.status, &again(&err));
    }
    let session =
        throttle::login(&state.accounts, &state.login_throttle, peer.ip(), &phone, &form.password)
            .await?;
    Ok(logged_in(&state, &headers, &session, None))
}

/// `POST /logout`: the session ends and its cookie goes.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        state.accounts.logout(token).await?;
    }
    let mut response = redirect("/");
    let cookie = cookies::set(cookies::SESSION, "", 0, cookies::over_tls(&headers));
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
