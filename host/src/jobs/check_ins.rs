//! Checking in at a market for the day (扫码登记): what a market's QR code leads to.

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::AccountKind;
use crate::error::ApiError;
use crate::store::Store;
use crate::tenants::Tenant;

/// A day's check-in at a market.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckIn {
    /// The market.
    pub tenant: String,
    /// China date.
    pub day: String,
    /// `false` when already checked in today.
    pub new: bool,
}

/// Record that `account` came to `tenant`'s market today (China's date, by the store's clock).
/// Only workers check in, at a market that is not withdrawn; a second check-in the same day
/// changes nothing.
pub async fn check_in(
    store: &Store,
    tenant: &Tenant,
    account: &str,
    kind: AccountKind,
) -> Result<CheckIn, ApiError> {
    if kind != AccountKind::Worker {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "workers_only",
            "仅零工人员需要扫码登记",
            "only workers check in at a market",
        ));
    }
    tenant.ensure_active()?;
    let day = store.clock().today().to_string();
    let new = store.check_in(&tenant.code, account, &day).await?;
    Ok(CheckIn { tenant: tenant.code.clone(), day, new })
}
