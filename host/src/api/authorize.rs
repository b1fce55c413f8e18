//! The one middleware that authorises every route (by the table in `authz::routes`); it sits
//! with the router, and `authz` knows nothing of HTTP state.
//!
//! The JSON API names its caller with `Authorization: Bearer`; pages with the session cookie
//! (and never the bootstrap admin token). A refused page is answered as a page: the login page
//! when nobody is logged in, an error page otherwise.

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::AppState;
use crate::accounts::AccountKind;
use crate::authz::routes::{Access, access, is_page};
use crate::authz::{Actor, path_of};
use crate::error::ApiError;

/// Resolve the caller, check the route's rule in the route's tenant, and hand the [`Actor`] to
/// the handler. Unknown routes fall through to the router's structured 404/405.
pub async fn authorize(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let back = crate::web::page::return_to(request.method(), &uri, request.headers());
    match check(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(err) if is_page(uri.path()) => crate::web::refused(err, &back),
        Err(err) => err.into_response(),
    }
}

async fn check(state: &AppState, mut request: Request) -> Result<Request, ApiError> {
    let Some(template) = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string())
    else {
        return Ok(request);
    };
    let rule = access(request.method(), &template).ok_or_else(|| {
        tracing::error!(route = %template, "route missing from the authorisation table");
        forbidden("该接口未配置访问规则", "this route has no access rule")
    })?;
    let page = is_page(&template);
    if rule == Access::Public {
        if page {
            // A public page still shows who is logged in (an expired session is nobody).
            let (mut parts, body) = request.into_parts();
            if let Ok(actor) = page_actor(state, &parts).await {
                parts.extensions.insert(actor);
            }
            return Ok(Request::from_parts(parts, body));
        }
        return Ok(request);
    }
    let (mut parts, body) = request.into_parts();
    let actor =
        if page { page_actor(state, &parts).await? } else { resolve_actor(state, &parts).await? };
    if let Access::Staff { object, action } | Access::City { object, action } = rule {
        let home = actor.home.clone().ok_or_else(|| forbidden("仅限工作人员", "staff only"))?;
        let city_wide = matches!(rule, Access::City { .. });
        let domain = match tenant_param(&template, parts.uri.path()) {
            _ if city_wide => city_path(state).await?,
            Some(code) => {
                let tenants = state.store.list_tenants().await?;
                path_of(&code, &tenants).ok_or_else(|| {
                    ApiError::not_found(
                        "tenant_not_found",
                        &format!("没有编码为 `{code}` 的市场"),
                        &format!("no market with code `{code}`"),
                    )
                    .with_field("code")
                })?
            }
            None => home,
        };
        if !state.authz.check(&actor, &domain, object, action).await? {
            return Err(forbidden(
                "无权在该市场执行此操作",
                &format!("not allowed to {action} {object} in {domain}"),
            ));
        }
    }
    parts.extensions.insert(actor);
    request = Request::from_parts(parts, body);
    Ok(request)
}

/// The city's own tenant (the root of the tree), as a path.
async fn city_path(state: &AppState) -> Result<String, ApiError> {
    let tenants = state.store.list_tenants().await?;
    crate::authz::city_path(&tenants).ok_or_else(|| ApiError::internal("no city market"))
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// The `{code}` segment of a path, given its template.
fn tenant_param(template: &str, path: &str) -> Option<String> {
    template
        .split('/')
        .zip(path.split('/'))
        .find(|(t, _)| *t == "{code}")
        .map(|(_, p)| p.to_string())
}

/// The bootstrap administrator token, or a live session.
async fn resolve_actor(state: &AppState, parts: &Parts) -> Result<Actor, ApiError> {
    let token = super::extract::require_bearer(parts)?;
    let is_admin_token = state
        .config
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
        .is_some_and(|admin| bool::from(token.as_bytes().ct_eq(admin.as_bytes())));
    if is_admin_token {
        let city = state
            .store
            .list_tenants()
            .await?
            .into_iter()
            .find(|t| t.parent.is_none())
            .map(|t| t.code);
        return Ok(Actor { id: "admin-token".into(), kind: AccountKind::CityAdmin, home: city });
    }
    session_actor(state, token).await
}

/// The account of the session cookie.
async fn page_actor(state: &AppState, parts: &Parts) -> Result<Actor, ApiError> {
    let token = crate::web::cookies::get(&parts.headers, crate::web::cookies::SESSION).ok_or_else(
        || ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录", "log in first"),
    )?;
    session_actor(state, token).await
}

/// The account of a live session, as an actor.
async fn session_actor(state: &AppState, token: &str) -> Result<Actor, ApiError> {
    let account = state.accounts.authenticate(token).await?;
    let home = match &account.tenant_code {
        Some(code) => path_of(code, &state.store.list_tenants().await?),
        None => None,
    };
    let kind = AccountKind::parse(&account.kind)
        .ok_or_else(|| ApiError::internal("unknown account kind"))?;
    Ok(Actor { id: account.id, kind, home })
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Actor, ApiError> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .ok_or_else(|| ApiError::internal("route reached without authorisation"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tenant_is_read_from_the_matching_segment() {
        assert_eq!(
            super::tenant_param(
                "/api/v1/tenants/{code}/slots/{slot}",
                "/api/v1/tenants/lankao/slots/naming"
            )
            .as_deref(),
            Some("lankao")
        );
        assert_eq!(super::tenant_param("/api/v1/plugins", "/api/v1/plugins"), None);
    }
}
