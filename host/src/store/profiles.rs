//! Stored real-name profiles (see `migrations/0006_profiles.sql`).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;

/// A profile row; `id_enc` is ciphertext.
#[derive(Debug, Clone)]
pub struct ProfileRow {
    /// The account the profile belongs to (one profile per account).
    pub account_id: String,
    /// `worker`, `enterprise`, `individual_employer` or `agency`.
    pub kind: String,
    /// The market whose staff verify the profile.
    pub home_tenant: String,
    /// The real name (person) or registered name (organisation).
    pub name: String,
    /// The resident ID number, encrypted (`keyid:ciphertext`); `None` for organisations.
    pub id_enc: Option<String>,
    /// The 统一社会信用代码 of an enterprise or agency; `None` for people.
    pub uscc: Option<String>,
    /// Kind-specific fields (occupations, skill level, wage expectation, contact, licence, …) as
    /// JSON text; never PII.
    pub details: String,
    /// `unverified`, `verified` or `rejected`; any change of the profile makes it `unverified`.
    pub verification: String,
    /// Why it was rejected; `None` unless rejected.
    pub verification_reason: Option<String>,
    /// Who decided: the staff account id, or `provider` for the external verification provider.
    pub verified_by: Option<String>,
    /// When it was decided (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub verified_at: Option<String>,
    /// When the profile was last submitted (UTC text timestamp); a decision applies only to the
    /// version it saw.
    pub updated_at: String,
}

/// A staff decision on a profile.
#[derive(Debug, Clone, Copy)]
pub struct VerificationDecision<'a> {
    /// `verified` or `rejected`.
    pub verdict: &'a str,
    /// Why, for a rejection (required then); `None` for an approval.
    pub reason: Option<&'a str>,
    /// Who decides: a staff account id, or `provider`.
    pub by: &'a str,
    /// When (UTC text timestamp).
    pub at: &'a str,
}

macro_rules! profile_columns {
    () => {
        "account_id, kind, home_tenant, name, id_enc, uscc, details, verification, verification_reason, verified_by, verified_at, updated_at"
    };
}

impl Store {
    /// Insert or replace a profile; any change makes it unverified again. `Ok(false)` when the
    /// ID number (by blind index) belongs to another account.
    pub async fn upsert_profile(
        &self,
        p: &ProfileRow,
        id_index: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "INSERT INTO profiles (account_id, kind, home_tenant, name, id_enc, id_index, uscc, details, verification, verification_reason, verified_by, verified_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unverified', NULL, NULL, NULL, $9) \
             ON CONFLICT (account_id) DO UPDATE SET kind = excluded.kind, home_tenant = excluded.home_tenant, name = excluded.name, \
             id_enc = excluded.id_enc, id_index = excluded.id_index, uscc = excluded.uscc, details = excluded.details, \
             verification = 'unverified', verification_reason = NULL, verified_by = NULL, verified_at = NULL, updated_at = excluded.updated_at",
        )
        .bind(&p.account_id)
        .bind(&p.kind)
        .bind(&p.home_tenant)
        .bind(&p.name)
        .bind(&p.id_enc)
        .bind(id_index)
        .bind(&p.uscc)
        .bind(&p.details)
        .bind(&p.updated_at)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The profile of `account_id`, in whichever market; `None` if there is none.
    pub async fn profile(&self, account_id: &str) -> Result<Option<ProfileRow>, sqlx::Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            profile_columns!(),
            " FROM profiles WHERE account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(profile_from_row).transpose()
    }

    /// Profiles of one market waiting for verification, oldest first.
    pub async fn pending_profiles(&self, tenant: &str) -> Result<Vec<ProfileRow>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            profile_columns!(),
            " FROM profiles WHERE home_tenant = $1 AND verification = 'unverified' ORDER BY updated_at"
        ))
        .bind(tenant)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(profile_from_row).collect()
    }

    /// Record a verification decision for a profile of `tenant` that is still as `updated_at`
    /// says (so a profile changed meanwhile is not verified unseen). Returns whether it applied.
    pub async fn set_verification(
        &self,
        tx: &mut super::Tx<'_>,
        account_id: &str,
        tenant: &str,
        updated_at: &str,
        d: &VerificationDecision<'_>,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE profiles SET verification = $4, verification_reason = $5, verified_by = $6, verified_at = $7 \
             WHERE account_id = $1 AND home_tenant = $2 AND updated_at = $3",
        )
        .bind(account_id)
        .bind(tenant)
        .bind(updated_at)
        .bind(d.verdict)
        .bind(d.reason)
        .bind(d.by)
        .bind(d.at)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

fn profile_from_row(r: &AnyRow) -> Result<ProfileRow, sqlx::Error> {
    Ok(ProfileRow {
        account_id: r.try_get("account_id")?,
        kind: r.try_get("kind")?,
        home_tenant: r.try_get("home_tenant")?,
        name: r.try_get("name")?,
        id_enc: r.try_get("id_enc")?,
        uscc: r.try_get("uscc")?,
        details: r.try_get("details")?,
        verification: r.try_get("verification")?,
        verification_reason: r.try_get("verification_reason")?,
        verified_by: r.try_get("verified_by")?,
        verified_at: r.try_get("verified_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
