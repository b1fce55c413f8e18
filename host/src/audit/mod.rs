//! The audit log as its readers see it: a page of entries by filter and cursor, read only by
//! those allowed to read the audit of the tenant they ask about (the whole city when they name
//! none). The JSON API and the city console both read it here.

use axum::http::StatusCode;

use crate::authz::{Actor, Authz, city_path, path_of};
use crate::error::ApiError;
use crate::store::Store;
use crate::store::audit::{AuditEntry, AuditFilter};

/// What a reader asks for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this tenant's entries (the reader must be allowed to read its audit).
    pub tenant: Option<String>,
    /// Only this verb.
    pub action: Option<String>,
    /// Only this actor.
    pub actor: Option<String>,
    /// The cursor: only entries before this `seq`.
    pub before: Option<i64>,
    /// How many (1–1000, default 100).
    pub limit: Option<i64>,
}

/// A page of the log.
#[derive(Debug, Clone)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// The cursor of the next (older) page, when there may be one.
    pub next_before: Option<i64>,
}

/// The page of entries `q` asks for, if `actor` may read the audit of its scope.
pub async fn read(
    store: &Store,
    authz: &Authz,
    actor: &Actor,
    q: &AuditQuery,
) -> Result<AuditPage, ApiError> {
    let tenants = store.list_tenants().await?;
    let scope = match q.tenant.as_deref() {
        Some(code) => path_of(code, &tenants).unwrap_or_default(),
        None => city_path(&tenants).unwrap_or_default(),
    };
    if !authz.allowed(actor, &scope, "audit", "read").await {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看该市场的审计日志(请用 ?tenant= 指定本辖区市场)",
            "not allowed to read this audit log (name a market of yours with ?tenant=)",
        ));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            "limit 应在 1 到 1000 之间",
            "limit must be between 1 and 1000",
        )
        .with_field("limit"));
    }
    let filter = AuditFilter {
        tenant: q.tenant.as_deref(),
        action: q.action.as_deref(),
        actor: q.actor.as_deref(),
        before: q.before,
    };
    let entries = store.audit_page(&filter, limit).await?;
    let next_before = entries.last().filter(|_| entries.len() as i64 == limit).map(|e| e.seq);
    Ok(AuditPage { entries, next_before })
}
