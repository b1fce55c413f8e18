//! The market's staff accounts in the console: the list (phones masked), a new account, and
//! removing one, through the same account functions as `POST /api/v1/staff` and
//! `DELETE /api/v1/staff/{id}`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::Market;
use crate::accounts::AccountKind;
use crate::accounts::staff::{NewStaff, roles_for};
use crate::api::AppState;
use crate::error::ApiError;
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render};
use crate::web::{PageCtx, PageError, fmt};

/// A staff account as listed.
pub struct StaffRow {
    /// The account's id (its remove form posts to it).
    pub id: String,
    /// The phone, masked.
    pub phone: String,
    /// The role, in Chinese.
    pub role: &'static str,
    /// When it was made.
    pub since: String,
    /// The caller's own account (which they cannot remove).
    pub me: bool,
}

/// A role the new account may have.
pub struct RoleChoice {
    /// The submitted value.
    pub value: &'static str,
    /// Its Chinese name.
    pub label: &'static str,
}

/// What the new-account form posts.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StaffForm {
    phone: String,
    password: String,
    role: String,
}

#[derive(Template)]
#[template(path = "console/staff.html")]
struct StaffPage {
    layout: Layout,
    market: Market,
    staff: Vec<StaffRow>,
    roles: Vec<RoleChoice>,
    form: StaffForm,
    errors: FormErrors,
}

/// `GET /console/{code}/staff`
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    page(&state, &ctx, &code, StaffForm::default(), FormErrors::none(), StatusCode::OK).await
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    form: StaffForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let market = Market::load(state, actor, code).await?;
    let staff = state
        .accounts
        .staff_of(code)
        .await?
        .into_iter()
        .map(|a| StaffRow {
            me: a.id == actor.id,
            id: a.id,
            phone: a.phone,
            role: a.kind.name_zh(),
            since: fmt::instant(&a.created_at),
        })
        .collect();
    let roles = roles_for(actor)
        .into_iter()
        .map(|k| RoleChoice { value: k.as_str(), label: k.name_zh() })
        .collect();
    let page = StaffPage {
        layout: ctx.wide_layout(&format!("{} · 工作人员", market.name)),
        market,
        staff,
        roles,
        form: StaffForm { password: String::new(), ..form },
        errors,
    };
    render(status, &page)
}

/// `POST /console/{code}/staff`: a new staff account of this market.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageForm(form): PageForm<StaffForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let phone = form.phone.trim();
    let result = match AccountKind::parse(&form.role) {
        Some(role) => {
            let new = NewStaff { phone, password: &form.password, role, tenant: &code };
            state.accounts.create_staff(&state.authz, actor, new).await.map(drop)
        }
        None => Err(ApiError::bad_request("invalid_role", "请选择岗位角色", "choose a role")
            .with_field("role")),
    };
    settle(&state, &ctx, &code, form, result).await
}

/// `POST /console/{code}/staff/{id}/remove`: disable a staff account.
pub async fn remove(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = state.accounts.remove_staff(&state.authz, actor, &id).await;
    settle(&state, &ctx, &code, StaffForm::default(), result).await
}

async fn settle(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    form: StaffForm,
    result: Result<(), ApiError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(redirect(&format!("/console/{code}/staff"))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&["phone", "password", "role"]);
            page(state, ctx, code, form, errors, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}
