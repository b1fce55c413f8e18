//! The city console's permission and audit pages: `/console/permissions` (the roles' permissions,
//! granted and revoked by the city's administrator through `Authz::change_policy`, as the JSON
//! API does) and `/console/audit` (the log a page at a time, by action and actor, and the check
//! of its hash chain).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::feed::Choice;
use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::accounts::AccountKind;
use crate::api::AppState;
use crate::audit::AuditQuery;
use crate::authz::OBJECTS;
use crate::error::ApiError;
use crate::store::accounts::PolicyChange;
use crate::store::audit::{AuditCheck, AuditEntry};

/// The grant and revoke forms.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PolicyForm {
    /// `grant` or `revoke`.
    pub op: String,
    /// A staff role.
    pub role: String,
    /// An object of [`OBJECTS`].
    pub object: String,
    /// `read`, `write` or `read|write`.
    pub action: String,
}

/// What a finished change says.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PolicyNotice {
    /// `granted`, `revoked` or `unchanged`.
    pub done: String,
}

/// One permission as a row.
pub struct PolicyRow {
    /// The role.
    pub role: String,
    /// The role's Chinese name.
    pub role_zh: &'static str,
    /// The object.
    pub object: String,
    /// The action.
    pub action: String,
}

#[derive(Template)]
#[template(path = "city_permissions.html")]
struct PermissionsPage {
    layout: Layout,
    policies: Vec<PolicyRow>,
    roles: Vec<Choice>,
    objects: Vec<Choice>,
    actions: Vec<Choice>,
    can_write: bool,
    notice: Option<&'static str>,
    form: PolicyForm,
    errors: FormErrors,
}

/// `GET /console/permissions`
pub async fn permissions(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(notice): PageQuery<PolicyNotice>,
) -> Result<Response, PageError> {
    let notice = match notice.done.as_str() {
        "granted" => Some("已授予权限"),
        "revoked" => Some("已收回权限"),
        "unchanged" => Some("权限没有变化(已授予或本不存在)"),
        _ => None,
    };
    permissions_page(&state, &ctx, PolicyForm::default(), FormErrors::none(), notice).await
}

/// `POST /console/permissions`: grant or revoke one permission.
pub async fn change(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<PolicyForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = match op(&form.op) {
        Ok(change) => {
            let (role, object, action) = (form.role.trim(), form.object.trim(), form.action.trim());
            state.authz.change_policy(change, role, object, action, &actor.id).await.map(
                |changed| match (changed, change) {
                    (false, _) => "unchanged",
                    (true, PolicyChange::Grant) => "granted",
                    (true, PolicyChange::Revoke) => "revoked",
                },
            )
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(done) => Ok(redirect(&format!("/console/permissions?done={done}"))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&["op", "role", "object", "action"]);
            let mut response = permissions_page(&state, &ctx, form, errors, None).await?;
            *response.status_mut() = err.status;
            Ok(response)
        }
        Err(err) => Err(err.into()),
    }
}

/// A staff role's name in Chinese.
fn role_zh(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::CityAdmin => "市级管理员",
        AccountKind::CountyAdmin => "县(区)管理员",
        AccountKind::StationStaff => "驿站工作人员",
        AccountKind::AgencyStaff => "专业市场工作人员",
        AccountKind::Auditor => "审计员",
        AccountKind::Worker => "零工",
        AccountKind::Employer => "用工主体",
    }
}

fn op(op: &str) -> Result<PolicyChange, ApiError> {
    match op {
        "grant" => Ok(PolicyChange::Grant),
        "revoke" => Ok(PolicyChange::Revoke),
        _ => Err(ApiError::bad_request("invalid_op", "请选择授予或收回", "op: grant or revoke")
            .with_field("op")),
    }
}

async fn permissions_page(
    state: &AppState,
    ctx: &PageCtx,
    form: PolicyForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let mut policies: Vec<PolicyRow> = state
        .authz
        .policies()
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|(role, object, action)| PolicyRow {
            role_zh: AccountKind::parse(&role).map_or("未知角色", role_zh),
            role,
            object,
            action,
        })
        .collect();
    policies.sort_by(|a, b| (&a.role, &a.object).cmp(&(&b.role, &b.object)));
    let can_write = super::city::may(state, actor, "authz", "write").await;
    let choice = |v: &str, l: &str| Choice { value: v.into(), label: l.into() };
    let page = PermissionsPage {
        layout: ctx.wide_layout("角色与权限"),
        policies,
        roles: AccountKind::ALL
            .iter()
            .filter(|k| !k.self_service())
            .map(|k| choice(k.as_str(), role_zh(*k)))
            .collect(),
        objects: OBJECTS.iter().map(|o| choice(o, o)).collect(),
        actions: ["read", "write", "read|write"].iter().map(|a| choice(a, a)).collect(),
        can_write,
        notice,
        form,
        errors,
    };
    render(StatusCode::OK, &page)
}

/// The audit page's filters, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AuditForm {
    /// Only this action.
    pub action: String,
    /// Only this actor.
    pub actor: String,
    /// The cursor.
    pub before: String,
}

/// One entry as a row.
pub struct AuditRow {
    /// Its place in the chain.
    pub seq: i64,
    /// When, China time.
    pub at: String,
    /// Who.
    pub actor: String,
    /// Which market.
    pub tenant: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// The details (JSON, cut short).
    pub detail: String,
}

impl AuditRow {
    fn of(e: &AuditEntry) -> AuditRow {
        let mut detail: String = e.detail.chars().take(160).collect();
        if detail.len() < e.detail.len() {
            detail.push('…');
        }
        AuditRow {
            seq: e.seq,
            at: fmt::instant(&e.at),
            actor: e.actor.clone(),
            tenant: e.tenant_code.clone().unwrap_or_else(|| "全市".into()),
            action: e.action.clone(),
            target: e.target.clone().unwrap_or_default(),
            detail,
        }
    }
}

#[derive(Template)]
#[template(path = "city_audit.html")]
struct AuditPage {
    layout: Layout,
    form: AuditForm,
    rows: Vec<AuditRow>,
    next: Option<String>,
    check: Option<AuditCheck>,
    errors: FormErrors,
}

/// `GET /console/audit`
pub async fn audit(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(form): PageQuery<AuditForm>,
) -> Result<Response, PageError> {
    audit_page(&state, &ctx, form, None).await
}

/// `GET /console/audit/verify`: the log with the result of checking its chain.
pub async fn verify(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let check = state.store.verify_audit().await.map_err(ApiError::from)?;
    audit_page(&state, &ctx, AuditForm::default(), Some(check)).await
}

async fn audit_page(
    state: &AppState,
    ctx: &PageCtx,
    form: AuditForm,
    check: Option<AuditCheck>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let before = match some(&form.before).map(|b| b.parse::<i64>()) {
        None => Ok(None),
        Some(Ok(b)) => Ok(Some(b)),
        Some(Err(_)) => {
            Err(ApiError::bad_request("invalid_query", "翻页位置无效", "before: a seq")
                .with_field("before"))
        }
    };
    let query = before.map(|before| AuditQuery {
        action: some(&form.action),
        actor: some(&form.actor),
        before,
        limit: Some(50),
        ..AuditQuery::default()
    });
    let read = match query {
        Ok(q) => crate::audit::read(&state.store, &state.authz, actor, &q).await,
        Err(e) => Err(e),
    };
    let (rows, next, errors, status) = match read {
        Ok(p) => {
            let next = p.next_before.map(|b| next_link(&form, b));
            (p.entries.iter().map(AuditRow::of).collect(), next, FormErrors::none(), StatusCode::OK)
        }
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            (Vec::new(), None, FormErrors::from_error(&e), e.status)
        }
        Err(e) => return Err(e.into()),
    };
    let page = AuditPage {
        layout: ctx.wide_layout("审计日志"),
        errors: errors.shown_in(&["action", "actor"]),
        form,
        rows,
        next,
        check,
    };
    render(status, &page)
}

fn next_link(form: &AuditForm, before: i64) -> String {
    let before = before.to_string();
    let pairs = [("action", form.action.trim()), ("actor", form.actor.trim()), ("before", &before)];
    let kept: Vec<(&str, &str)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    format!("/console/audit?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}
