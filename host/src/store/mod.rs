//! The one door to the database.
//!
//! One code path serves both backends through sqlx's `Any` driver: the embedded SQLite file
//! (the default, nothing to install) and PostgreSQL (several hosts sharing one database). SQL is
//! written in the portable subset described in `migrations/0001_tenants.sql`, with `$1`-style
//! placeholders, which both drivers accept.
//!
//! Invariant: every query on tenant-owned data takes the tenant code as a parameter and filters
//! on it; no function here returns rows of more than the tenant it was asked for, except the
//! ones named `*_all_tenants` that city-level views use.

pub mod accounts;
pub mod audit;
pub mod complaints;
pub mod engagements;
pub mod jobs;
pub mod ledgers;
pub mod matching;
pub mod profiles;
pub mod rules;
pub mod stats;
pub mod tenants;
pub mod trainings;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;

use crate::clock::Clock;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (`sqlite://…`): one host, nothing to install.
    Sqlite,
    /// A PostgreSQL server (`postgres://…`), which several hosts may share.
    Postgres,
}

/// A pool of connections to the one database, with the migrations applied.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
}

/// A database transaction on either backend.
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// How long a request waits for a database connection by default.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

impl Store {
    /// Connect to `url` (`sqlite://…` or `postgres://…`). A SQLite file is created if missing and
    /// runs in WAL mode with foreign keys on and a busy timeout, so concurrent requests wait for
    /// each other instead of failing.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Store> {
        Store::connect_with(url, max_connections, DEFAULT_ACQUIRE_TIMEOUT).await
    }

    /// [`Store::connect`], waiting at most `acquire_timeout` for a connection: while the
    /// database is unreachable, a request fails after that with `database_unavailable` (503)
    /// instead of hanging.
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!(
                "unsupported database URL (expected sqlite:// or postgres://): {}",
                redact(url)
            );
        };
        let options = AnyConnectOptions::from_str(url)
            .with_context(|| format!("bad database URL {}", redact(url)))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in SQLITE_PRAGMAS {
                            conn.execute(*pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot connect to the database at {}", redact(url)))?;
        Ok(Store { pool, backend, clock: Clock::system() })
    }

    /// A transaction for a domain step whose writes and audit entry must commit together: pass it
    /// to the store's writes and to [`Store::audit_in`], then commit it.
    pub async fn begin(&self) -> Result<Tx<'static>, sqlx::Error> {
        self.pool.begin().await
    }

    /// The same store, reading `clock` for every time it stamps (the application's clock).
    pub fn with_clock(self, clock: Clock) -> Store {
        Store { clock, ..self }
    }

    /// The application's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, as stored: fixed-width UTC text that sorts as time (see [`stamp`]).
    pub fn now(&self) -> String {
        stamp(self.clock.now())
    }

    /// Apply every migration in `migrations/` that has not run yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR.run(&self.pool).await.context("applying database migrations")
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Which database this store talks to, as told by the URL it was connected with.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the queries and transactions of the `store` modules (tests use it
    /// to look at or tamper with rows directly).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Close every connection (waits for checked-out ones to come back).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
];

/// A moment as stored: RFC 3339 in UTC with microseconds, `2026-12-01T08:00:00.000000Z`, fixed
/// width so text order is time order on both backends.
pub fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn timestamps_sort_as_text() {
        let t = chrono::Utc::now();
        let (a, b) = (stamp(t), stamp(t + chrono::Duration::microseconds(1)));
        assert!(a < b && a.len() == b.len() && a.ends_with('Z'));
        assert!(stamp(t + chrono::Duration::days(400)) > b);
    }

    #[tokio::test]
    async fn a_fresh_sqlite_file_is_created_migrated_and_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::config::sqlite_url(&dir.path().join("t.db"));
        let store = Store::connect(&url, 2).await.unwrap();
        store.migrate().await.unwrap();
        store.migrate().await.unwrap(); // idempotent
        use sqlx::Row;
        let mode: String =
            sqlx::query("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap().get(0);
        assert_eq!(mode, "wal");
        let fk: i64 =
            sqlx::query("PRAGMA foreign_keys").fetch_one(store.pool()).await.unwrap().get(0);
        assert_eq!(fk, 1);
    }

    /// Hosts rebuild their enforcers only when `authz_version` moves: a migration (from 0014 on)
    /// that touches permissions or staff accounts without bumping it would leave every running
    /// host enforcing the old permissions.
    #[test]
    fn migrations_that_change_permissions_bump_the_version() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.as_str() < "0014" {
                continue;
            }
            let sql = std::fs::read_to_string(&path).unwrap().to_lowercase();
            let changes = [
                "into authz_policies",
                "from authz_policies",
                "update authz_policies",
                "into accounts",
                "update accounts",
                "from accounts",
            ];
            if changes.iter().any(|c| sql.contains(c)) {
                assert!(
                    sql.contains("update authz_version set version = version + 1"),
                    "{name} changes permissions or accounts without bumping authz_version"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_with_the_url_redacted() {
        let err = Store::connect("mysql://u:pw@h/db", 1).await.unwrap_err().to_string();
        assert!(err.contains("mysql://u:***@h/db") && !err.contains("pw"), "{err}");
    }
}

/// A query assembled at run time (optional filters, `IN` lists) with `$n` placeholders that
/// both backends accept. (sqlx's `QueryBuilder<Any>` writes `?`, which PostgreSQL refuses.)
/// The SQL text is only ever made of static fragments and placeholder numbers; every value is
/// bound.
#[derive(Debug, Default)]
pub(crate) struct DynQuery {
    sql: String,
    args: Vec<DynArg>,
}

#[derive(Debug, Clone)]
enum DynArg {
    Text(String),
    Int(i64),
    Real(f64),
}

impl DynQuery {
    pub(crate) fn new(sql: &'static str) -> DynQuery {
        DynQuery { sql: sql.to_string(), args: Vec::new() }
    }

    /// Append a static SQL fragment.
    pub(crate) fn push(&mut self, sql: &'static str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn placeholder(&mut self, arg: DynArg) -> &mut Self {
        self.args.push(arg);
        self.sql.push_str(&format!("${}", self.args.len()));
        self
    }

    pub(crate) fn text(&mut self, v: impl Into<String>) -> &mut Self {
        self.placeholder(DynArg::Text(v.into()))
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.placeholder(DynArg::Int(v))
    }

    pub(crate) fn real(&mut self, v: f64) -> &mut Self {
        self.placeholder(DynArg::Real(v))
    }

    /// `($a, $b, …)` of text values.
    pub(crate) fn text_list(&mut self, values: &[String]) -> &mut Self {
        self.sql.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.text(v.clone());
        }
        self.sql.push(')');
        self
    }

    pub(crate) async fn fetch_all(
        self,
        pool: &AnyPool,
    ) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.sql));
        for a in self.args {
            q = match a {
                DynArg::Text(s) => q.bind(s),
                DynArg::Int(i) => q.bind(i),
                DynArg::Real(r) => q.bind(r),
            };
        }
        q.fetch_all(pool).await
    }
}
