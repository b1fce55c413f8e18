//! Staff accounts of a market, made and removed by its administrators. The JSON API and the
//! console call these same functions, so the checks (who may make or remove whom, where) are in
//! one place.

use axum::http::StatusCode;

use super::{Account, AccountKind, Accounts};
use crate::authz::{Actor, Authz, path_of};
use crate::error::ApiError;
use crate::store::audit::AuditEvent;

/// A staff account to create.
#[derive(Debug, Clone, Copy)]
pub struct NewStaff<'a> {
    /// The mobile number the person logs in with.
    pub phone: &'a str,
    /// The first password.
    pub password: &'a str,
    /// The staff role.
    pub role: AccountKind,
    /// The market the account works for.
    pub tenant: &'a str,
}

fn forbidden(zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
}

/// Administrators and auditors see or change other markets' staff: only the city makes or
/// removes them.
fn senior(kind: AccountKind) -> bool {
    matches!(kind, AccountKind::CityAdmin | AccountKind::CountyAdmin | AccountKind::Auditor)
}

/// The roles `actor` may give a new staff account.
pub fn roles_for(actor: &Actor) -> Vec<AccountKind> {
    AccountKind::ALL
        .into_iter()
        .filter(|k| !k.self_service())
        .filter(|k| !senior(*k) || actor.kind == AccountKind::CityAdmin)
        .collect()
}

fn no_such_staff() -> ApiError {
    ApiError::not_found("staff_not_found", "没有该工作人员账号", "no such staff account")
        .with_field("id")
}

impl Accounts {
    /// Create a staff account in a market of the caller's scope, audited as `account.create`.
    /// Only city administrators create city administrators, county administrators and auditors.
    pub async fn create_staff(
        &self,
        authz: &Authz,
        actor: &Actor,
        new: NewStaff<'_>,
    ) -> Result<Account, ApiError> {
        if new.role.self_service() {
            return Err(ApiError::bad_request(
                "not_staff",
                "零工和用工主体请自行注册",
                "workers and employers register themselves",
            )
            .with_field("role"));
        }
        if senior(new.role) && actor.kind != AccountKind::CityAdmin {
            return Err(forbidden(
                "只有市级管理员可以创建管理员和审计账号",
                "only city administrators create administrators and auditors",
            )
            .with_field("role"));
        }
        let path = path_of(new.tenant, &self.store.list_tenants().await?).ok_or_else(|| {
            ApiError::not_found(
                "tenant_not_found",
                &format!("没有编码为 `{}` 的市场", new.tenant),
                "no such market",
            )
            .with_field("tenant")
        })?;
        if !authz.allowed(actor, &path, "accounts", "write").await {
            return Err(forbidden(
                "无权为该市场创建账号",
                "not allowed to create accounts for this market",
            )
            .with_field("tenant"));
        }
        self.register(new.phone, new.password, new.role, Some(new.tenant), Some(&actor.id)).await
    }

    /// Remove a staff account (someone left the bureau): it is disabled, its sessions end, and
    /// its role is withdrawn on every host at once; audited as `account.disable`. Only city
    /// administrators remove administrators and auditors; nobody removes their own account; an
    /// account outside the caller's scope does not exist for them.
    pub async fn remove_staff(
        &self,
        authz: &Authz,
        actor: &Actor,
        id: &str,
    ) -> Result<(), ApiError> {
        let account = self
            .store
            .account(id)
            .await?
            .filter(|a| a.status == "active")
            .ok_or_else(no_such_staff)?;
        let (Some(tenant), Some(kind)) =
            (account.tenant_code.as_deref(), AccountKind::parse(&account.kind))
        else {
            return Err(no_such_staff());
        };
        let path = path_of(tenant, &self.store.list_tenants().await?).ok_or_else(no_such_staff)?;
        if !authz.allowed(actor, &path, "accounts", "write").await {
            return Err(no_such_staff());
        }
        if senior(kind) && actor.kind != AccountKind::CityAdmin {
            return Err(forbidden(
                "只有市级管理员可以停用管理员和审计账号",
                "only city administrators remove administrators and auditors",
            ));
        }
        if actor.id == account.id {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "cannot_remove_self",
                "不能停用自己的账号",
                "you cannot remove your own account",
            ));
        }
        let event = AuditEvent {
            actor: &actor.id,
            tenant_code: Some(tenant),
            action: "account.disable",
            target: Some(&account.id),
            detail: serde_json::json!({"role": kind.as_str()}),
        };
        let mut tx = self.store.begin().await?;
        if self.store.disable_staff(&mut tx, &account.id, &self.store.now()).await? {
            self.store.audit_in(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The active staff accounts of market `tenant`, oldest first, phones masked.
    pub async fn staff_of(&self, tenant: &str) -> Result<Vec<Account>, ApiError> {
        let rows = self.store.active_staff(tenant).await?;
        rows.iter().map(|r| self.view(r, false)).collect()
    }
}
