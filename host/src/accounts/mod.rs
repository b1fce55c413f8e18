//! Accounts, passwords and sessions. One account per person or organisation, valid in every
//! market of the city (零工帐号全市通用); staff accounts belong to a tenant.
//!
//! Passwords are hashed with argon2id. Session tokens are random, shown once, and stored only as
//! their sha256. Repeated failures lock the account for a while, so passwords cannot be guessed
//! by brute force. Phone numbers are PII: encrypted at rest, found by blind index.

pub mod profiles;
pub mod provider;
pub mod staff;
pub mod throttle;

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::StatusCode;
use base64::Engine as _;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::identity::is_mobile;
use crate::identity::pii::{PiiKeys, mask_phone};
use crate::store::Store;
use crate::store::accounts::AccountRow;
use crate::store::audit::AuditEvent;

/// Failed logins before an account is locked, and for how long.
const MAX_FAILURES: i64 = 5;
const LOCK_FOR: Duration = Duration::from_secs(15 * 60);

/// What an account is, and so which role it holds (stored as its snake_case name in
/// `accounts.kind`). Workers and employers are city-wide; every other kind is staff of one
/// tenant, and its role is granted in that tenant's domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A gig worker (零工), registered by themselves.
    Worker,
    /// An employer (用工主体: an enterprise or a person hiring), registered by themselves.
    Employer,
    /// Staff of the human-resources service agency that runs a market (typically a specialty
    /// market): binds its plugins, reviews held posts, handles complaints.
    AgencyStaff,
    /// Staff of a station market (零工驿站): verify people, review held posts, handle complaints.
    StationStaff,
    /// An administrator of a market, acting in it and in every market below it.
    CountyAdmin,
    /// An administrator of the city market: every permission, everywhere.
    CityAdmin,
    /// An auditor: reads everything in its market and below, changes nothing.
    Auditor,
}

impl AccountKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [AccountKind; 7] = [
        Self::Worker,
        Self::Employer,
        Self::AgencyStaff,
        Self::StationStaff,
        Self::CountyAdmin,
        Self::CityAdmin,
        Self::Auditor,
    ];

    /// The stored and serialised name (`worker`, `agency_staff`, …); for staff, also the
    /// casbin role.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Worker => "worker",
            Self::Employer => "employer",
            Self::AgencyStaff => "agency_staff",
            Self::StationStaff => "station_staff",
            Self::CountyAdmin => "county_admin",
            Self::CityAdmin => "city_admin",
            Self::Auditor => "auditor",
        }
    }

    /// The kind named `s` (as [`AccountKind::as_str`] writes it); `None` for any other text.
    pub fn parse(s: &str) -> Option<AccountKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's Chinese name, for pages (e.g. 驿站工作人员).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Worker => "零工",
            Self::Employer => "用工主体",
            Self::AgencyStaff => "人力资源机构工作人员",
            Self::StationStaff => "驿站工作人员",
            Self::CountyAdmin => "县级管理员",
            Self::CityAdmin => "市级管理员",
            Self::Auditor => "审计员",
        }
    }

    /// Workers and employers register themselves; staff accounts are made by administrators.
    pub fn self_service(self) -> bool {
        matches!(self, Self::Worker | Self::Employer)
    }
}

/// An account as its owner sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Account {
    /// The account's id (UUID v7).
    pub id: String,
    /// What the account is: worker, employer or one of the staff kinds.
    pub kind: AccountKind,
    /// Masked (`138****5678`) unless shown to its owner.
    pub phone: String,
    /// The market a staff account belongs to; `None` for workers and employers (city-wide).
    pub tenant_code: Option<String>,
    /// When the account was registered (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub created_at: String,
}

/// A new session: the token is shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    /// The bearer token (32 random bytes, URL-safe base64); only its sha256 is stored.
    pub token: String,
    /// When the session ends unless revoked first (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub expires_at: String,
    /// The account logged in, its phone in clear (the owner is looking).
    pub account: Account,
}

/// The account service.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    keys: PiiKeys,
    session_ttl: Duration,
}

fn err(status: StatusCode, code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(status, code, zh, en)
}

fn invalid_credentials() -> ApiError {
    err(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "手机号或密码不正确",
        "wrong phone number or password",
    )
}

/// 8 to 128 characters with at least one letter and one digit.
pub fn check_password(password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    let ok = (8..=128).contains(&n)
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(char::is_alphabetic);
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "weak_password",
            "密码应为8至128位,且同时包含字母和数字",
            "the password must be 8 to 128 characters with letters and digits",
        )
        .with_field("password"))
    }
}

fn check_phone(phone: &str) -> Result<(), ApiError> {
    if is_mobile(phone) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid_phone",
            "手机号格式不正确(应为1开头的11位数字,第二位3至9)",
            "a mobile number is 11 digits: 1, then 3-9, then nine digits",
        )
        .with_field("phone"))
    }
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Accounts {
    /// The service over `store`, encrypting phones with `keys`; sessions last `session_ttl`.
    pub fn new(store: Store, keys: PiiKeys, session_ttl: Duration) -> Accounts {
        Accounts { store, keys, session_ttl }
    }

    /// The PII keys that encrypt and blind-index phone numbers (shared with profiles).
    pub fn keys(&self) -> &PiiKeys {
        &self.keys
    }

    /// A worker or an employer registers themselves (staff accounts are made by administrators:
    /// asking for a staff kind here is refused with the field).
    pub async fn register_self(
        &self,
        phone: &str,
        password: &str,
        kind: AccountKind,
    ) -> Result<Account, ApiError> {
        if !kind.self_service() {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "staff_account",
                "工作人员账号由管理员创建",
                "staff accounts are created by administrators",
            )
            .with_field("kind"));
        }
        self.register(phone, password, kind, None, None).await
    }

    /// Create an account. Staff kinds need a tenant; workers and employers have none.
    /// `created_by` (an administrator creating staff) audits it as `account.create` in the same
    /// transaction; self-registration is not an administrative action.
    pub async fn register(
        &self,
        phone: &str,
        password: &str,
        kind: AccountKind,
        tenant_code: Option<&str>,
        created_by: Option<&str>,
    ) -> Result<Account, ApiError> {
        check_phone(phone)?;
        check_password(password)?;
        if kind.self_service() == tenant_code.is_some() {
            let (zh, en) = if kind.self_service() {
                (
                    "零工和用工主体账号全市通用,不属于某个市场",
                    "worker and employer accounts are city-wide, not a market's",
                )
            } else {
                ("工作人员账号必须指定所属市场", "a staff account needs its market (--tenant)")
            };
            return Err(ApiError::bad_request("invalid_tenant", zh, en).with_field("tenant"));
        }
        let password_hash = hash_password(password.to_string()).await?;
        let row = AccountRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.as_str().to_string(),
            phone_enc: self.keys.encrypt(phone),
            password_hash,
            tenant_code: tenant_code.map(str::to_string),
            status: "active".into(),
            failed_logins: 0,
            locked_until: None,
            created_at: self.store.now(),
        };
        let mut tx = self.store.begin().await?;
        if !self.store.insert_account(&mut tx, &row, &self.keys.blind_index("phone", phone)).await?
        {
            return Err(err(
                StatusCode::CONFLICT,
                "phone_taken",
                "该手机号已注册",
                "this phone number is already registered",
            )
            .with_field("phone"));
        }
        if let Some(actor) = created_by {
            let detail = serde_json::json!({"role": kind.as_str()});
            let event = AuditEvent {
                actor,
                tenant_code,
                action: "account.create",
                target: Some(&row.id),
                detail,
            };
            self.store.audit_in(&mut tx, &event).await?;
        }
        tx.commit().await?;
        self.view(&row, true)
    }

    /// Re-encrypt every stored personal number not under the current key, and audit it as
    /// `pii.rotate` by `by`, in one transaction. Returns how many values were re-encrypted
    /// (0 once everything is under the current key).
    pub async fn rotate_pii(&self, by: &str) -> Result<usize, ApiError> {
        let mut tx = self.store.begin().await?;
        let mut rotated = 0;
        for (table, column, id, old) in
            self.store.encrypted_pii().await?.into_iter().filter(|v| !self.keys.is_current(&v.3))
        {
            let clear = self
                .keys
                .decrypt(&old)
                .map_err(|e| ApiError::internal(format!("{table}.{column} of {id}: {e}")))?;
            let sealed = self.keys.encrypt(&clear);
            rotated += usize::from(
                self.store.reencrypt_pii(&mut tx, table, column, &id, &old, &sealed).await?,
            );
        }
        let event = AuditEvent {
            actor: by,
            tenant_code: None,
            action: "pii.rotate",
            target: None,
            detail: serde_json::json!({"rotated": rotated}),
        };
        self.store.audit_in(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(rotated)
    }

    /// The account registered with `phone`, found through the blind index.
    pub async fn by_phone(&self, phone: &str) -> Result<Option<AccountRow>, ApiError> {
        Ok(self.store.account_by_phone_index(&self.keys.blind_index("phone", phone)).await?)
    }

    /// Check a password and open a session. Unknown phones and wrong passwords get the same
    /// `invalid_credentials` (401); the fifth failure in a row locks the account for 15 minutes
    /// (`account_locked`, 429); a disabled account gets `account_disabled` (403).
    pub async fn login(&self, phone: &str, password: &str) -> Result<Session, ApiError> {
        check_phone(phone)?;
        let Some(row) =
            self.store.account_by_phone_index(&self.keys.blind_index("phone", phone)).await?
        else {
            // Spend the same time as a real check, so timing does not reveal who is registered.
            let _ = verify_password(password.to_string(), DUMMY_HASH.to_string()).await;
            return Err(invalid_credentials());
        };
        let now = self.store.clock().now();
        if row
            .locked_until
            .as_deref()
            .is_some_and(|until| until > crate::store::stamp(now).as_str())
        {
            return Err(err(
                StatusCode::TOO_MANY_REQUESTS,
                "account_locked",
                "密码错误次数过多,账号已暂时锁定,请15分钟后再试",
                "too many failed logins: the account is locked for 15 minutes",
            ));
        }
        if row.status != "active" {
            return Err(err(
                StatusCode::FORBIDDEN,
                "account_disabled",
                "账号已停用",
                "the account is disabled",
            ));
        }
        if !verify_password(password.to_string(), row.password_hash.clone()).await? {
            let until =
                crate::store::stamp(now + chrono::Duration::from_std(LOCK_FOR).expect("fits"));
            self.store.record_login_failure(&row.id, MAX_FAILURES, &until).await?;
            return Err(invalid_credentials());
        }
        self.store.record_login_success(&row.id).await?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let expires_at =
            crate::store::stamp(now + chrono::Duration::from_std(self.session_ttl).expect("fits"));
        self.store
            .insert_session(&hash_token(&token), &row.id, &crate::store::stamp(now), &expires_at)
            .await?;
        Ok(Session { token, expires_at, account: self.view(&row, true)? })
    }

    /// The account behind a bearer token, if the session is live.
    pub async fn authenticate(&self, token: &str) -> Result<AccountRow, ApiError> {
        let expired = || {
            err(
                StatusCode::UNAUTHORIZED,
                "invalid_session",
                "登录已失效,请重新登录",
                "the session is invalid, expired or revoked; log in again",
            )
        };
        let id = self
            .store
            .session_account(&hash_token(token), &self.store.now())
            .await?
            .ok_or_else(expired)?;
        let row = self.store.account(&id).await?.ok_or_else(expired)?;
        if row.status != "active" {
            return Err(expired());
        }
        Ok(row)
    }

    /// End a session.
    pub async fn logout(&self, token: &str) -> Result<(), ApiError> {
        if self.store.revoke_session(&hash_token(token), &self.store.now()).await? {
            Ok(())
        } else {
            Err(err(
                StatusCode::UNAUTHORIZED,
                "invalid_session",
                "登录已失效",
                "the session is not live",
            ))
        }
    }

    /// An account as shown: the phone in clear only to its owner.
    pub fn view(&self, row: &AccountRow, owner: bool) -> Result<Account, ApiError> {
        let phone = self.keys.decrypt(&row.phone_enc).map_err(ApiError::internal)?;
        Ok(Account {
            id: row.id.clone(),
            kind: AccountKind::parse(&row.kind)
                .ok_or_else(|| ApiError::internal("unknown account kind"))?,
            phone: if owner { phone } else { mask_phone(&phone) },
            tenant_code: row.tenant_code.clone(),
            created_at: row.created_at.clone(),
        })
    }
}

/// A valid argon2id hash of a random password, checked against when the phone is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2xDXV1lkvAtxvS1Dkn8xLcBpJ1Y2W4sqbxyQlcEGWlk";

async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

async fn verify_password(password: String, hash: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| e.to_string())?;
        Ok::<bool, String>(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_letters_and_digits() {
        assert!(check_password("abc12345").is_ok());
        assert!(check_password("abc1234").is_err());
        assert!(check_password("12345678").is_err());
        assert!(check_password("abcdefgh").is_err());
        assert!(check_password("密码密码密码12").is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_the_dummy_is_well_formed() {
        let h = hash_password("abc12345".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("abc12345".into(), h.clone()).await.unwrap());
        assert!(!verify_password("abc12346".into(), h).await.unwrap());
        assert!(!verify_password("x".into(), DUMMY_HASH.into()).await.unwrap());
    }
}
