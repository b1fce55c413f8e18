//! Rate limiting of failed logins per client address, on top of the per-account lockout: one
//! address guessing passwords for many phone numbers is slowed down too.
//!
//! The failures live in the database, so every host sharing it counts the same attempts: behind
//! a load balancer, N hosts do not give an address N times the tries.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::store::Store;

use super::{Accounts, Session};

/// Failed logins allowed per address within a window.
pub const MAX_FAILURES_PER_WINDOW: i64 = 20;
/// How long a failure counts.
pub const WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// The shared throttle.
#[derive(Clone)]
pub struct LoginThrottle {
    store: Store,
}

impl LoginThrottle {
    /// The throttle over the failures stored in `store` (shared with every other host).
    pub fn new(store: Store) -> LoginThrottle {
        LoginThrottle { store }
    }

    /// Whether `addr` may try at `now`.
    pub async fn allows(&self, addr: IpAddr, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        let recent = self
            .store
            .address_failures(&addr.to_string(), &crate::store::stamp(now - WINDOW))
            .await?;
        Ok(recent < MAX_FAILURES_PER_WINDOW)
    }

    /// Count a failed attempt from `addr` at `now`.
    pub async fn failed(&self, addr: IpAddr, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        self.store.record_address_failure(&addr.to_string(), &crate::store::stamp(now)).await
    }

    /// Forget failures that no longer count (the housekeeping sweep).
    pub async fn forget_old(&self, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        self.store.forget_address_failures(&crate::store::stamp(now - WINDOW)).await
    }
}

/// Log in from `addr`: refused while the address has failed too often (429), and a wrong
/// password counts against the address as well as the account. The JSON API and the login page
/// both come here.
pub async fn login(
    accounts: &Accounts,
    throttle: &LoginThrottle,
    addr: IpAddr,
    phone: &str,
    password: &str,
) -> Result<Session, ApiError> {
    let now = throttle.store.clock().now();
    if !throttle.allows(addr, now).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "登录失败次数过多,请稍后再试",
            "too many failed logins from this address; try again later",
        ));
    }
    let result = accounts.login(phone, password).await;
    if result.as_ref().is_err_and(|e| e.status == axum::http::StatusCode::UNAUTHORIZED) {
        throttle.failed(addr, now).await?;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_address_is_stopped_after_too_many_failures_and_let_go_after_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 2).await.unwrap();
        store.migrate().await.unwrap();
        let (here, there) = (LoginThrottle::new(store.clone()), LoginThrottle::new(store));
        let addr: IpAddr = "10.1.2.3".parse().unwrap();
        let start = Utc::now();
        for i in 0..MAX_FAILURES_PER_WINDOW {
            assert!(here.allows(addr, start).await.unwrap());
            // Half the attempts through another host of the same database.
            if i % 2 == 0 {
                here.failed(addr, start).await.unwrap()
            } else {
                there.failed(addr, start).await.unwrap()
            }
        }
        assert!(!here.allows(addr, start).await.unwrap());
        assert!(
            !there.allows(addr, start).await.unwrap(),
            "every host counts every host's failures"
        );
        assert!(
            here.allows("10.1.2.4".parse().unwrap(), start).await.unwrap(),
            "other addresses are not affected"
        );
        let later = start + WINDOW + chrono::Duration::seconds(1);
        assert!(here.allows(addr, later).await.unwrap(), "the window passes");
        assert_eq!(here.forget_old(later).await.unwrap(), MAX_FAILURES_PER_WINDOW as u64);
    }
}
