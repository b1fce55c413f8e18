//! The one typed configuration of a host process.
//!
//! Every knob is here so that the CLI, the demo and the tests build a server the same way:
//! the CLI fills a [`Config`] from flags and environment variables, tests fill it directly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::identity::pii::PiiKeys;
use crate::plugins::runtime::RuntimeSettings;

/// Everything a running host needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (tests use that).
    pub listen: SocketAddr,
    /// `sqlite://…` or `postgres://…`. `None` means the embedded SQLite file in the data directory.
    pub database_url: Option<String>,
    /// Where the embedded database and caches live. Created on first start.
    pub data_dir: PathBuf,
    /// Directory of tenant definition files (`*.toml`), used to seed a fresh install.
    pub tenants_dir: PathBuf,
    /// When to load the tenant files (and the plugins they name) into the database at start.
    pub seed: Seed,
    /// Largest number of pooled database connections.
    pub max_db_connections: u32,
    /// How long a request waits for a database connection before it fails with 503.
    pub db_acquire_timeout: std::time::Duration,
    /// Directory of plugin components (`*.wasm`) that tenant files may name.
    pub plugins_dir: PathBuf,
    /// Where compiled plugins are cached; default `<data_dir>/plugin-cache`.
    pub plugin_cache_dir: Option<PathBuf>,
    /// Limits and sizing of the plugin runtime.
    pub plugin_runtime: RuntimeSettings,
    /// Keys protecting ID and phone numbers at rest. The server refuses to start without them.
    pub pii_keys: Option<PiiKeys>,
    /// How long a login lasts.
    pub session_ttl: std::time::Duration,
    /// An external real-name verification service (e.g. the provincial identity check), called
    /// when a profile is submitted; `None`: staff verify every profile.
    pub verification_url: Option<String>,
    /// Bearer token for administrative routes (`GIGMARKET_ADMIN_TOKEN`). `None`: they refuse.
    pub admin_token: Option<String>,
    /// How often the housekeeping sweep runs (posts whose hiring closed become `expired`).
    pub sweep_interval: std::time::Duration,
    /// "Now" for the whole host; tests set and move it.
    pub clock: crate::clock::Clock,
}

impl Config {
    /// A configuration with the defaults of a local install: `127.0.0.1:8080`, data in `.data`,
    /// tenants from `tenants/`.
    pub fn local() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            data_dir: PathBuf::from(".data"),
            tenants_dir: PathBuf::from("tenants"),
            seed: Seed::IfEmpty,
            max_db_connections: 8,
            db_acquire_timeout: crate::store::DEFAULT_ACQUIRE_TIMEOUT,
            plugins_dir: default_plugins_dir(),
            plugin_cache_dir: None,
            plugin_runtime: RuntimeSettings::default(),
            admin_token: None,
            pii_keys: None,
            verification_url: None,
            session_ttl: std::time::Duration::from_secs(12 * 3600),
            sweep_interval: std::time::Duration::from_secs(60),
            clock: crate::clock::Clock::system(),
        }
    }

    /// The PII keys, or the error that stops the server from starting without them.
    pub fn require_pii_keys(&self) -> anyhow::Result<PiiKeys> {
        self.pii_keys.clone().ok_or_else(|| {
            anyhow::anyhow!("no PII keys: set GIGMARKET_PII_KEYS (id:base64 of 32 bytes, current first) and GIGMARKET_PII_INDEX_KEY (base64 of 32 bytes); see docs/operations.md")
        })
    }

    /// The directory compiled plugin artifacts are cached in.
    pub fn effective_plugin_cache_dir(&self) -> PathBuf {
        self.plugin_cache_dir.clone().unwrap_or_else(|| self.data_dir.join("plugin-cache"))
    }

    /// The database URL in effect: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => sqlite_url(&self.data_dir.join("gigmarket.db")),
        }
    }
}

/// When the host loads `tenants/` and the plugins directory into the database at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// Never: the tenants are whatever the database holds (`tenants load` adds them).
    Never,
    /// On a fresh install (no tenants yet): the files seed it, then the database rules.
    IfEmpty,
    /// Every start (the demo): file changes are applied; existing bindings are kept.
    Always,
}

/// Where `./dev` puts the default plugins it builds from `plugins/`: `target/plugins`
/// (honouring `CARGO_TARGET_DIR`). Test fixtures are built too, but never copied here.
pub fn default_plugins_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("plugins")
}

/// A `sqlite://` URL that creates the file if it is missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}
