//! The audit log: who did what, to which tenant, when — append-only and hash-chained.
//!
//! Entry `n` stores `hash = sha256(prev_hash ‖ seq ‖ at ‖ actor ‖ tenant ‖ action ‖ target ‖ detail)`
//! with `prev_hash` the hash of entry `n-1` (64 zeros for the first). [`Store::verify_audit`]
//! recomputes the chain: an edited entry no longer matches its hash, a deleted one leaves a gap.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use utoipa::ToSchema;

use super::Store;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it gets its place in the chain.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Who acted: an account id, `admin-token`, `cli` (the command line), `system` (the sweep) or
    /// `system:…` (seeding from files).
    pub actor: &'a str,
    /// The tenant the action concerns; `None` for city-wide actions (permissions, plugin uploads,
    /// key rotation).
    pub tenant_code: Option<&'a str>,
    /// A dotted verb, e.g. `plugin.upload`, `slot.bind`, `tenant.create`.
    pub action: &'a str,
    /// What was acted on (a tenant code, account id, plugin hash, …), if the action names one.
    pub target: Option<&'a str>,
    /// Further facts about the action (what changed, to what), stored as JSON text.
    pub detail: serde_json::Value,
}

/// One stored entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Its position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it was written (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub at: String,
    /// Who acted: an account id, `admin-token`, `cli`, `system` or `system:…`.
    pub actor: String,
    /// The tenant the action concerns; `None` for city-wide actions.
    pub tenant_code: Option<String>,
    /// A dotted verb, e.g. `plugin.upload`, `slot.bind`, `tenant.create`.
    pub action: String,
    /// What was acted on, if the action names one.
    pub target: Option<String>,
    /// JSON text.
    pub detail: String,
    /// The hash of the entry before (64 zeros for the first), hex.
    pub prev_hash: String,
    /// sha256 over `prev_hash` and this entry's fields, hex.
    pub hash: String,
}

impl AuditEntry {
    fn computed_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.prev_hash.as_str(),
            &self.seq.to_string(),
            &self.at,
            &self.actor,
            self.tenant_code.as_deref().unwrap_or(""),
            &self.action,
            self.target.as_deref().unwrap_or(""),
            &self.detail,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Which entries a page of the log shows; every field narrows it, `None` does not.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter<'a> {
    /// Only this tenant's entries.
    pub tenant: Option<&'a str>,
    /// Only this verb (`tenant.create`, `authz.grant`, …).
    pub action: Option<&'a str>,
    /// Only this actor's entries.
    pub actor: Option<&'a str>,
    /// Only entries before this position in the chain (the cursor of the next page).
    pub before: Option<i64>,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditCheck {
    /// How many entries the chain holds.
    pub entries: i64,
    /// The first broken entry and what is wrong with it, if any.
    pub broken_at: Option<i64>,
    /// What is wrong at `broken_at` (deleted, unlinked or changed); `None` when the chain is intact.
    pub problem: Option<String>,
}

impl Store {
    /// Append an event to the chain on its own (actions that write nothing else: an audited read,
    /// an upload already stored).
    pub async fn audit(&self, event: AuditEvent<'_>) -> Result<AuditEntry, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let entry = self.audit_in(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Append an event to the chain inside `tx`, the transaction of the action it records: both
    /// commit or neither does. Appends queue on the chain's head row (its lock on PostgreSQL,
    /// the write lock on SQLite), so the chain never forks.
    pub async fn audit_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        event: &AuditEvent<'_>,
    ) -> Result<AuditEntry, sqlx::Error> {
        sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").execute(&mut **tx).await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
        let mut entry = AuditEntry {
            seq: head.try_get(0)?,
            at: self.now(),
            actor: event.actor.to_string(),
            tenant_code: event.tenant_code.map(str::to_string),
            action: event.action.to_string(),
            target: event.target.map(str::to_string),
            detail: event.detail.to_string(),
            prev_hash: head.try_get(1)?,
            hash: String::new(),
        };
        entry.hash = entry.computed_hash();
        sqlx::query("INSERT INTO audit_log (seq, at, actor, tenant_code, action, target, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(entry.seq)
            .bind(&entry.at)
            .bind(&entry.actor)
            .bind(&entry.tenant_code)
            .bind(&entry.action)
            .bind(&entry.target)
            .bind(&entry.detail)
            .bind(&entry.prev_hash)
            .bind(&entry.hash)
            .execute(&mut **tx)
            .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&entry.hash)
            .execute(&mut **tx)
            .await?;
        Ok(entry)
    }

    /// The latest `limit` entries, newest first; only one tenant's when `tenant` is given.
    pub async fn audit_entries(
        &self,
        tenant: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let filter = AuditFilter { tenant, ..AuditFilter::default() };
        self.audit_page(&filter, limit).await
    }

    /// Up to `limit` entries matching `filter`, newest first (a page of the log: the next page
    /// starts before the last entry's `seq`).
    pub async fn audit_page(
        &self,
        filter: &AuditFilter<'_>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let mut q = super::DynQuery::new("SELECT * FROM audit_log WHERE 1 = 1");
        if let Some(t) = filter.tenant {
            q.push(" AND tenant_code = ").text(t);
        }
        if let Some(a) = filter.action {
            q.push(" AND action = ").text(a);
        }
        if let Some(a) = filter.actor {
            q.push(" AND actor = ").text(a);
        }
        if let Some(before) = filter.before {
            q.push(" AND seq < ").int(before);
        }
        q.push(" ORDER BY seq DESC LIMIT ").int(limit);
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Recompute the whole chain.
    pub async fn verify_audit(&self) -> Result<AuditCheck, sqlx::Error> {
        let rows =
            sqlx::query("SELECT * FROM audit_log ORDER BY seq").fetch_all(&self.pool).await?;
        let mut prev = GENESIS.to_string();
        for (i, row) in rows.iter().enumerate() {
            let entry = entry_from_row(row)?;
            let problem = if entry.seq != i as i64 + 1 {
                Some(format!("entry {} is missing (deleted)", i + 1))
            } else if entry.prev_hash != prev {
                Some("the link to the previous entry is broken".to_string())
            } else if entry.hash != entry.computed_hash() {
                Some("the entry was changed after it was written".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Ok(AuditCheck {
                    entries: rows.len() as i64,
                    broken_at: Some((i + 1) as i64),
                    problem: Some(problem),
                });
            }
            prev = entry.hash;
        }
        Ok(AuditCheck { entries: rows.len() as i64, broken_at: None, problem: None })
    }
}

fn entry_from_row(r: &AnyRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        tenant_code: r.try_get("tenant_code")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 4).await.unwrap();
        store.migrate().await.unwrap();
        (dir, store)
    }

    fn event(action: &str) -> AuditEvent<'_> {
        AuditEvent {
            actor: "admin",
            tenant_code: Some("lankao"),
            action,
            target: Some("x"),
            detail: serde_json::json!({"n": 1}),
        }
    }

    #[tokio::test]
    async fn the_chain_links_and_verifies() {
        let (_d, s) = store().await;
        let a = s.audit(event("one")).await.unwrap();
        let b = s.audit(event("two")).await.unwrap();
        assert_eq!((a.seq, b.seq), (1, 2));
        assert_eq!(b.prev_hash, a.hash);
        assert_eq!(
            s.verify_audit().await.unwrap(),
            AuditCheck { entries: 2, broken_at: None, problem: None }
        );
    }

    #[tokio::test]
    async fn an_edited_or_deleted_entry_is_caught() {
        let (_d, s) = store().await;
        for action in ["one", "two", "three"] {
            s.audit(event(action)).await.unwrap();
        }
        sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
            .execute(s.pool())
            .await
            .unwrap();
        let check = s.verify_audit().await.unwrap();
        assert_eq!(check.broken_at, Some(2));
        assert!(check.problem.unwrap().contains("changed"));

        let (_d, s) = store().await;
        for action in ["one", "two", "three"] {
            s.audit(event(action)).await.unwrap();
        }
        sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(s.pool()).await.unwrap();
        let check = s.verify_audit().await.unwrap();
        assert_eq!(check.broken_at, Some(2));
        assert!(check.problem.unwrap().contains("deleted"));
    }

    #[tokio::test]
    async fn concurrent_appends_never_fork_the_chain() {
        let (_d, s) = store().await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let s = s.clone();
                tokio::spawn(async move {
                    s.audit(AuditEvent {
                        actor: "t",
                        tenant_code: None,
                        action: "race",
                        target: None,
                        detail: serde_json::json!(i),
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(s.verify_audit().await.unwrap().entries, 8);
        assert_eq!(s.verify_audit().await.unwrap().broken_at, None);
    }
}
