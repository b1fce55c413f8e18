//! Stored plugins, slot bindings and decision receipts (see `migrations/0002_plugins.sql`).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

use super::Store;

/// An uploaded component, without its bytes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PluginRecord {
    /// sha256 (hex) of the component's bytes: the plugin's identity.
    pub hash: String,
    /// The slot the component implements (`naming`, `posting-review`, …), as detected on upload.
    pub slot: String,
    /// A name the uploader gave it, for people.
    pub name: String,
    /// Size of the component in bytes.
    pub size_bytes: i64,
    /// Who uploaded it: an account id, `admin-token`, `cli`, or `system:…` when
    /// seeded from files.
    pub uploaded_by: String,
    /// When it was uploaded (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub uploaded_at: String,
}

/// One version of a tenant's slot binding.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Binding {
    /// The version's id (UUID v7).
    pub id: String,
    /// The market whose slot this binds.
    pub tenant_code: String,
    /// The slot bound (`naming`, `posting-review`, …).
    pub slot: String,
    /// The version number, from 1 per market and slot, with no gaps.
    pub version: i64,
    /// sha256 of the plugin that serves the slot.
    pub plugin_hash: String,
    /// The plugin's configuration, JSON text.
    pub config: String,
    /// The day it takes effect (China time; `YYYY-MM-DD` in JSON); `None`: in force at once.
    #[schema(value_type = Option<String>, format = Date)]
    pub effective_from: Option<NaiveDate>,
    /// Why the version was made (a rollback says so); `None` for no note.
    pub note: Option<String>,
    /// Who made it: an account id, `admin-token`, `cli`, or `system:…` when
    /// seeded from files.
    pub created_by: String,
    /// When it was made (UTC text timestamp).
    pub created_at: String,
}

/// What a new binding version says; the store assigns id, version and time.
#[derive(Debug, Clone)]
pub struct NewBinding<'a> {
    /// The market whose slot this binds.
    pub tenant_code: &'a str,
    /// The slot bound.
    pub slot: &'a str,
    /// sha256 of the plugin that serves it.
    pub plugin_hash: &'a str,
    /// The plugin's configuration, JSON text of an object.
    pub config: &'a str,
    /// The day it takes effect (China date); `None`: at once.
    pub effective_from: Option<NaiveDate>,
    /// Why the version is made, if said.
    pub note: Option<&'a str>,
    /// Who makes it.
    pub created_by: &'a str,
}

/// A background dry-run (see `rules::dry_run`).
#[derive(Debug, Clone)]
pub struct DryRunRow {
    /// The job's id (UUID v7).
    pub id: String,
    /// The market whose slot is tried.
    pub tenant_code: String,
    /// The slot tried.
    pub slot: String,
    /// sha256 of the candidate plugin.
    pub plugin_hash: String,
    /// How many recorded inputs the job replays.
    pub inputs: i64,
    /// How many of them it has run so far.
    pub done: i64,
    /// `running`, `finished` or `failed` (a `running` job with an old `updated_at` was interrupted).
    pub status: String,
    /// The [`crate::rules::DryRunReport`] as JSON text, once finished.
    pub report: Option<String>,
    /// Why the job failed, if it did.
    pub error: Option<String>,
    /// Who started it.
    pub created_by: String,
    /// When it started (UTC text timestamp).
    pub created_at: String,
    /// When it last made progress (UTC text timestamp).
    pub updated_at: String,
}

/// The receipt of one consequential decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    /// The receipt's id (UUID v7).
    pub id: String,
    /// The market the decision was made for.
    pub tenant_code: String,
    /// The slot called.
    pub slot: String,
    /// sha256 of the plugin that decided.
    pub plugin_hash: String,
    /// The binding version in force then; `None` when the call went through no binding.
    pub binding_id: Option<String>,
    /// JSON text: the tenant information the plugin saw.
    pub tenant_info: String,
    /// JSON text: the configuration the plugin saw.
    pub config: String,
    /// JSON text of the slot input.
    pub input: String,
    /// JSON text of the slot output.
    pub output: String,
    /// The wasmtime fuel the call used (replays must use exactly as much).
    pub fuel_used: i64,
    /// How long the call took, in microseconds.
    pub duration_us: i64,
    /// What made the call: `invoke`, `posting`, `matching`, …
    pub source: String,
    /// When the decision was made (UTC text timestamp).
    pub created_at: String,
}

macro_rules! plugin_columns {
    () => {
        "hash, slot, name, size_bytes, uploaded_by, uploaded_at"
    };
}
macro_rules! binding_columns {
    () => {
        "id, tenant_code, slot, version, plugin_hash, config, effective_from, note, created_by, created_at"
    };
}
macro_rules! decision_columns {
    () => {
        "id, tenant_code, slot, plugin_hash, binding_id, tenant_info, config, input, output, fuel_used, duration_us, source, created_at"
    };
}

impl Store {
    /// Store a component; a component already stored (same hash) is left as it is.
    /// Returns whether it was new.
    pub async fn insert_plugin(
        &self,
        tx: &mut super::Tx<'_>,
        p: &PluginRecord,
        wasm_base64: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO plugins (hash, slot, name, size_bytes, wasm_base64, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(&p.hash)
        .bind(&p.slot)
        .bind(&p.name)
        .bind(p.size_bytes)
        .bind(wasm_base64)
        .bind(&p.uploaded_by)
        .bind(&p.uploaded_at)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The stored component with this hash, without its bytes.
    pub async fn get_plugin(&self, hash: &str) -> Result<Option<PluginRecord>, sqlx::Error> {
        let row =
            sqlx::query(concat!("SELECT ", plugin_columns!(), " FROM plugins WHERE hash = $1"))
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(plugin_from_row).transpose()
    }

    /// The base64 bytes of a stored component.
    pub async fn plugin_wasm(&self, hash: &str) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT wasm_base64 FROM plugins WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    /// Every stored component, oldest upload first.
    pub async fn list_plugins(&self) -> Result<Vec<PluginRecord>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            plugin_columns!(),
            " FROM plugins ORDER BY uploaded_at, hash"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(plugin_from_row).collect()
    }

    /// Append a binding version (one more than the tenant's slot has). Two admins racing for the
    /// same version number: one insert fails on the unique key and nothing is half-written.
    pub async fn insert_binding(
        &self,
        tx: &mut super::Tx<'_>,
        b: &NewBinding<'_>,
    ) -> Result<Binding, sqlx::Error> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO slot_bindings (id, tenant_code, slot, version, plugin_hash, config, effective_from, note, created_by, created_at) \
             SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6, $7, $8, $9 \
             FROM slot_bindings WHERE tenant_code = $2 AND slot = $3",
        )
        .bind(&id)
        .bind(b.tenant_code)
        .bind(b.slot)
        .bind(b.plugin_hash)
        .bind(b.config)
        .bind(b.effective_from.map(|d| d.format("%Y-%m-%d").to_string()))
        .bind(b.note)
        .bind(b.created_by)
        .bind(self.now())
        .execute(&mut **tx)
        .await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            binding_columns!(),
            " FROM slot_bindings WHERE id = $1"
        ))
        .bind(&id)
        .fetch_one(&mut **tx)
        .await?;
        binding_from_row(&row)
    }

    /// Every binding version of one tenant, by slot then version.
    pub async fn tenant_bindings(&self, tenant_code: &str) -> Result<Vec<Binding>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            binding_columns!(),
            " FROM slot_bindings WHERE tenant_code = $1 ORDER BY slot, version"
        ))
        .bind(tenant_code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(binding_from_row).collect()
    }

    /// Store a decision's receipt.
    pub async fn insert_decision(&self, d: &Decision) -> Result<(), sqlx::Error> {
        sqlx::query(concat!(
            "INSERT INTO decisions (",
            decision_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&d.id)
        .bind(&d.tenant_code)
        .bind(&d.slot)
        .bind(&d.plugin_hash)
        .bind(&d.binding_id)
        .bind(&d.tenant_info)
        .bind(&d.config)
        .bind(&d.input)
        .bind(&d.output)
        .bind(d.fuel_used)
        .bind(d.duration_us)
        .bind(&d.source)
        .bind(&d.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The receipt `id`, in whichever market (callers check the tenant).
    pub async fn get_decision(&self, id: &str) -> Result<Option<Decision>, sqlx::Error> {
        let row =
            sqlx::query(concat!("SELECT ", decision_columns!(), " FROM decisions WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(decision_from_row).transpose()
    }

    /// The latest `limit` decisions of one tenant's slot, newest first.
    pub async fn recent_decisions(
        &self,
        tenant_code: &str,
        slot: &str,
        limit: i64,
    ) -> Result<Vec<Decision>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            decision_columns!(),
            " FROM decisions WHERE tenant_code = $1 AND slot = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(tenant_code)
        .bind(slot)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decision_from_row).collect()
    }

    /// The latest `limit` decisions of one tenant, any slot, newest first.
    pub async fn tenant_decisions(
        &self,
        tenant_code: &str,
        limit: i64,
    ) -> Result<Vec<Decision>, sqlx::Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            decision_columns!(),
            " FROM decisions WHERE tenant_code = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(tenant_code)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decision_from_row).collect()
    }

    /// Record a new background dry-run.
    pub async fn insert_dry_run(&self, r: &DryRunRow) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO dry_runs (id, tenant_code, slot, plugin_hash, inputs, done, status, report, error, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&r.id)
        .bind(&r.tenant_code)
        .bind(&r.slot)
        .bind(&r.plugin_hash)
        .bind(r.inputs)
        .bind(r.done)
        .bind(&r.status)
        .bind(&r.report)
        .bind(&r.error)
        .bind(&r.created_by)
        .bind(&r.created_at)
        .bind(&r.updated_at)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Record that a running job has run `done` inputs.
    pub async fn dry_run_progress(&self, id: &str, done: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE dry_runs SET done = $1, updated_at = $2 WHERE id = $3 AND status = 'running'",
        )
        .bind(done)
        .bind(self.now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Record a job's end: `finished` with its report, or `failed` with the error.
    pub async fn finish_dry_run(
        &self,
        id: &str,
        status: &str,
        report: Option<&str>,
        error: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE dry_runs SET status = $1, report = $2, error = $3, updated_at = $4 WHERE id = $5 AND status = 'running'")
            .bind(status)
            .bind(report)
            .bind(error)
            .bind(self.now())
            .bind(id)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// A job of one tenant.
    pub async fn dry_run(
        &self,
        id: &str,
        tenant_code: &str,
    ) -> Result<Option<DryRunRow>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, tenant_code, slot, plugin_hash, inputs, done, status, report, error, created_by, created_at, updated_at \
             FROM dry_runs WHERE id = $1 AND tenant_code = $2",
        )
        .bind(id)
        .bind(tenant_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(DryRunRow {
                id: r.try_get("id")?,
                tenant_code: r.try_get("tenant_code")?,
                slot: r.try_get("slot")?,
                plugin_hash: r.try_get("plugin_hash")?,
                inputs: r.try_get("inputs")?,
                done: r.try_get("done")?,
                status: r.try_get("status")?,
                report: r.try_get("report")?,
                error: r.try_get("error")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()
    }
}

fn plugin_from_row(r: &AnyRow) -> Result<PluginRecord, sqlx::Error> {
    Ok(PluginRecord {
        hash: r.try_get("hash")?,
        slot: r.try_get("slot")?,
        name: r.try_get("name")?,
        size_bytes: r.try_get("size_bytes")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

fn binding_from_row(r: &AnyRow) -> Result<Binding, sqlx::Error> {
    Ok(Binding {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        slot: r.try_get("slot")?,
        version: r.try_get("version")?,
        plugin_hash: r.try_get("plugin_hash")?,
        config: r.try_get("config")?,
        effective_from: match r.try_get::<Option<String>, _>("effective_from")? {
            // Stored only through `clock::parse_date`; migration 0012 repaired older rows.
            Some(text) => Some(crate::clock::parse_date(&text).ok_or_else(|| {
                sqlx::Error::Decode(
                    format!("slot binding effective_from {text:?} is not a canonical date").into(),
                )
            })?),
            None => None,
        },
        note: r.try_get("note")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

fn decision_from_row(r: &AnyRow) -> Result<Decision, sqlx::Error> {
    Ok(Decision {
        id: r.try_get("id")?,
        tenant_code: r.try_get("tenant_code")?,
        slot: r.try_get("slot")?,
        plugin_hash: r.try_get("plugin_hash")?,
        binding_id: r.try_get("binding_id")?,
        tenant_info: r.try_get("tenant_info")?,
        config: r.try_get("config")?,
        input: r.try_get("input")?,
        output: r.try_get("output")?,
        fuel_used: r.try_get("fuel_used")?,
        duration_us: r.try_get("duration_us")?,
        source: r.try_get("source")?,
        created_at: r.try_get("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bindings stored before dates were range-checked (chrono wrote year 10000 as
    /// "+10000-01-01") are moved out of force by migration 0012, and valid ones are untouched.
    #[tokio::test]
    async fn implausible_stored_dates_are_repaired_by_migration() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 1).await.unwrap();
        store.migrate().await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await.unwrap();
        let stored = [
            ("a", Some("+10000-01-01")),
            ("b", Some("0000-01-01")),
            ("c", Some("-0001-01-01")),
            ("d", Some("2027-01-01")),
            ("e", None),
        ];
        for (i, (id, day)) in stored.iter().enumerate() {
            sqlx::query("INSERT INTO slot_bindings (id, tenant_code, slot, version, plugin_hash, config, effective_from, note, created_by, created_at) VALUES ($1, 'qixian', 'matching', $2, 'h', '{}', $3, NULL, 't', 't')")
                .bind(*id)
                .bind(i as i64 + 1)
                .bind(*day)
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        sqlx::query(include_str!("../../../migrations/0012_binding_dates.sql"))
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let days: Vec<Option<NaiveDate>> = store
            .tenant_bindings("qixian")
            .await
            .unwrap()
            .into_iter()
            .map(|b| b.effective_from)
            .collect();
        let day = |s| crate::clock::parse_date(s);
        assert_eq!(
            days,
            [day("2100-12-31"), day("2100-12-31"), day("2100-12-31"), day("2027-01-01"), None]
        );
    }
}
