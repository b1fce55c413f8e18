//! The one typed configuration of a host process.
//!
//! Every knob is here so that the CLI, the demo and the tests build a server the same way:
//! the CLI fills a [`Config`] from flags and environment variables, tests fill it directly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
    /// Load the tenant files into the database at start if it has no tenants yet.
    pub seed_tenants: bool,
    /// Largest number of pooled database connections.
    pub max_db_connections: u32,
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
            seed_tenants: true,
            max_db_connections: 8,
        }
    }

    /// The database URL in effect: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => sqlite_url(&self.data_dir.join("gigmarket.db")),
        }
    }
}

/// A `sqlite://` URL that creates the file if it is missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}
