//! Stored accounts and sessions (see `migrations/0004_accounts.sql`).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;

/// An account row. `phone_enc` is ciphertext; decrypt it with the PII keys.
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// The account's id (UUID v7).
    pub id: String,
    /// The account's kind as stored: `worker`, `employer`, `agency_staff`, `station_staff`,
    /// `county_admin`, `city_admin` or `auditor` (see [`crate::accounts::AccountKind`]).
    pub kind: String,
    /// The phone number, encrypted (`keyid:ciphertext`).
    pub phone_enc: String,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    /// The market a staff account belongs to; `None` for workers and employers.
    pub tenant_code: Option<String>,
    /// `active` or `disabled` (a disabled account cannot log in).
    pub status: String,
    /// Failed logins since the last successful one.
    pub failed_logins: i64,
    /// Logins are refused until then (UTC text timestamp); `None` until the account is locked,
    /// and again after a successful login.
    pub locked_until: Option<String>,
    /// When the account was registered (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub created_at: String,
}

macro_rules! account_columns {
    () => {
        "id, kind, phone_enc, password_hash, tenant_code, status, failed_logins, locked_until, created_at"
    };
}

impl Store {
    /// Insert an account; `Ok(false)` when the phone (by its blind index) is already registered.
    /// A staff account (one with a tenant) is a role grant: it bumps the permission version in
    /// the same transaction, so every host reloads its enforcer.
    pub async fn insert_account(
        &self,
        tx: &mut super::Tx<'_>,
        a: &AccountRow,
        phone_index: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO accounts (id, kind, phone_enc, phone_index, password_hash, tenant_code, status, failed_logins, locked_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (phone_index) DO NOTHING",
        )
        .bind(&a.id)
        .bind(&a.kind)
        .bind(&a.phone_enc)
        .bind(phone_index)
        .bind(&a.password_hash)
        .bind(&a.tenant_code)
        .bind(&a.status)
        .bind(a.failed_logins)
        .bind(&a.locked_until)
        .bind(&a.created_at)
        .execute(&mut **tx)
        .await?;
        let new = done.rows_affected() == 1;
        if new && a.tenant_code.is_some() {
            bump_authz_version(tx).await?;
        }
        Ok(new)
    }

    /// The account registered with the phone whose blind index is `phone_index`, if any.
    pub async fn account_by_phone_index(
        &self,
        phone_index: &str,
    ) -> Result<Option<AccountRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts WHERE phone_index = $1"
        ))
        .bind(phone_index)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The account with id `id`, if any.
    pub async fn account(&self, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
        let row =
            sqlx::query(concat!("SELECT ", account_columns!(), " FROM accounts WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The active staff accounts of market `tenant`, oldest first.
    pub async fn active_staff(&self, tenant: &str) -> Result<Vec<AccountRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts WHERE tenant_code = $1 AND status = 'active' ORDER BY created_at, id"
        ))
        .bind(tenant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// Record a failed login; lock the account until `lock_until` once `max_failures` is reached.
    pub async fn record_login_failure(
        &self,
        id: &str,
        max_failures: i64,
        lock_until: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE accounts SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1",
        )
        .bind(id)
        .bind(max_failures)
        .bind(lock_until)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A successful login clears the failure count and any lock.
    pub async fn record_login_success(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Open a session: store the sha256 of its token (`token_hash`, hex) for `account_id`, valid
    /// until `expires_at` (both times as [`crate::store::stamp`] writes them).
    pub async fn insert_session(
        &self,
        token_hash: &str,
        account_id: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, NULL)")
            .bind(token_hash)
            .bind(account_id)
            .bind(created_at)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account of a live session: not revoked, not expired at `now`.
    pub async fn session_account(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT account_id FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    /// Revoke one session; returns whether it was live.
    pub async fn revoke_session(&self, token_hash: &str, now: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// Every encrypted PII value, as (table, column, row id, ciphertext), for key rotation.
    pub async fn encrypted_pii(
        &self,
    ) -> Result<Vec<(&'static str, &'static str, String, String)>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, phone_enc FROM accounts ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(("accounts", "phone_enc", r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Replace one encrypted value (only if it is still `old`, so a concurrent change wins).
    pub async fn reencrypt_pii(
        &self,
        tx: &mut super::Tx<'_>,
        table: &str,
        column: &str,
        id: &str,
        old: &str,
        new: &str,
    ) -> Result<bool, sqlx::Error> {
        let sql = match (table, column) {
            ("accounts", "phone_enc") => {
                "UPDATE accounts SET phone_enc = $3 WHERE id = $1 AND phone_enc = $2"
            }
            _ => return Err(sqlx::Error::Protocol(format!("no PII column {table}.{column}"))),
        };
        Ok(sqlx::query(sql).bind(id).bind(old).bind(new).execute(&mut **tx).await?.rows_affected()
            == 1)
    }
}

fn account_from_row(r: &AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        phone_enc: r.try_get("phone_enc")?,
        password_hash: r.try_get("password_hash")?,
        tenant_code: r.try_get("tenant_code")?,
        status: r.try_get("status")?,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: r.try_get("locked_until")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// (account id, role, tenant code) of every active staff account.
    pub async fn staff_grants(&self) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, kind, tenant_code FROM accounts WHERE tenant_code IS NOT NULL AND status = 'active'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }

    /// (role, object, action) of every stored permission, sorted, for casbin's `p` rules.
    pub async fn authz_policies(&self) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT role, object, action FROM authz_policies ORDER BY role, object, action",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }

    /// Grant or revoke one permission. Returns whether anything changed (the permission was new,
    /// or existed); a change bumps the permission version with it.
    pub async fn change_authz_policy(
        &self,
        tx: &mut super::Tx<'_>,
        change: PolicyChange,
        role: &str,
        object: &str,
        action: &str,
    ) -> Result<bool, sqlx::Error> {
        let sql = match change {
            PolicyChange::Grant => {
                "INSERT INTO authz_policies (role, object, action) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            }
            PolicyChange::Revoke => {
                "DELETE FROM authz_policies WHERE role = $1 AND object = $2 AND action = $3"
            }
        };
        let changed = sqlx::query(sql)
            .bind(role)
            .bind(object)
            .bind(action)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
        if changed {
            bump_authz_version(tx).await?;
        }
        Ok(changed)
    }

    /// Disable an active staff account: it can no longer log in, its sessions end, and its role
    /// grant goes (the permission version moves with it). Returns whether it was active.
    pub async fn disable_staff(
        &self,
        tx: &mut super::Tx<'_>,
        id: &str,
        now: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE accounts SET status = 'disabled' WHERE id = $1 AND status = 'active' AND tenant_code IS NOT NULL").bind(id).execute(&mut **tx).await?;
        let disabled = done.rows_affected() == 1;
        if disabled {
            sqlx::query(
                "UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            bump_authz_version(tx).await?;
        }
        Ok(disabled)
    }

    /// The version of the permissions and role grants (see `migrations/0014_shared_authz.sql`).
    pub async fn authz_version(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT version FROM authz_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// Count a failed login from a client address.
    pub async fn record_address_failure(&self, addr: &str, at: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO login_failures (addr, at) VALUES ($1, $2)")
            .bind(addr)
            .bind(at)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// Failed logins from a client address since `since`, over every host.
    pub async fn address_failures(&self, addr: &str, since: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE addr = $1 AND at > $2")
            .bind(addr)
            .bind(since)
            .fetch_one(&self.pool)
            .await
    }

    /// Forget failed logins older than `before` (the housekeeping sweep).
    pub async fn forget_address_failures(&self, before: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}

/// Which way a permission changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyChange {
    /// Add the permission.
    Grant,
    /// Remove it.
    Revoke,
}

/// Every change to what the hosts' enforcers are built from bumps this, in its own transaction.
async fn bump_authz_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE authz_version SET version = version + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await
        .map(drop)
}
