//! Building and running the server: [`Application::build`] turns a [`Config`] into a bound,
//! migrated, seeded server; the CLI, the demo and every integration test start the host this way.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::accounts::Accounts;
use crate::api::{self, AppState};
use crate::authz::Authz;
use crate::config::{Config, Seed};
use crate::plugins::Runtime;
use crate::rules::{Rules, seed};
use crate::store::Store;

/// A server that is bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    state: AppState,
}

impl Application {
    /// Create the data directory, connect to and migrate the database, start the plugin
    /// runtime, seed tenants and plugins on a fresh install, and bind the listener (port 0
    /// picks a free one).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let keys = config.require_pii_keys()?;
        let (store, rules) = open(&config).await?;
        let accounts = Accounts::new(store.clone(), keys, config.session_ttl);
        let seed = match config.seed {
            Seed::Never => false,
            Seed::IfEmpty => store.count_tenants().await? == 0,
            Seed::Always => true,
        };
        if seed {
            let loaded = seed::load_files(&rules, &config.tenants_dir, &config.plugins_dir).await?;
            tracing::info!(count = loaded.len(), dir = %config.tenants_dir.display(), "seeded tenants and their plugins from files");
        }
        let authz = Authz::load(store.clone()).await?;
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let login_throttle = crate::accounts::throttle::LoginThrottle::new(store.clone());
        Ok(Application {
            listener,
            addr,
            state: AppState {
                store,
                rules,
                accounts,
                authz,
                login_throttle,
                config: Arc::new(config),
            },
        })
    }

    /// The account service (the demo registers its people through it).
    pub fn accounts(&self) -> &Accounts {
        &self.state.accounts
    }

    /// The authorisation enforcer the routes are checked with.
    pub fn authz(&self) -> &Authz {
        &self.state.authz
    }

    /// The plugin service: bindings, calls and receipts.
    pub fn rules(&self) -> &Rules {
        &self.state.rules
    }

    /// The port the server is bound to (the one picked when the configuration asked for 0).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://host:port` of the running server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The database the server uses.
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Serve until Ctrl-C or SIGTERM, then finish the requests in flight and close the database.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let stop = shutdown_signal();
        self.run_until(stop).await
    }

    /// Serve until `shutdown` completes, then finish the requests in flight. Housekeeping
    /// (expiring posts, escalating overdue complaints) runs in the background meanwhile and
    /// stops with the server.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let store = self.state.store.clone();
        let (stop_sweeper, stop) = tokio::sync::oneshot::channel();
        let sweeper = crate::housekeeping::spawn(
            store.clone(),
            self.state.rules.clone(),
            self.state.config.sweep_interval,
            stop,
        );
        let app = api::router(self.state);
        tracing::info!(addr = %self.addr, "serving");
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await;
        let _ = stop_sweeper.send(());
        let _ = sweeper.await;
        served.context("server error")?;
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The database and the plugin service of a configuration.
pub async fn open(config: &Config) -> anyhow::Result<(Store, Rules)> {
    let store = open_store(config).await?;
    let runtime = Arc::new(Runtime::new(
        config.plugin_runtime.clone(),
        Some(&config.effective_plugin_cache_dir()),
    )?);
    let rules = Rules::new(store.clone(), runtime);
    Ok((store, rules))
}

/// Connect to the configured database (creating the data directory for the embedded one) and
/// apply the migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!("cannot create the data directory {}", config.data_dir.display())
    })?;
    let store = Store::connect_with(
        &config.effective_database_url(),
        config.max_db_connections,
        config.db_acquire_timeout,
    )
    .await?
    .with_clock(config.clock.clone());
    store.migrate().await?;
    Ok(store)
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are registered when this is
/// called, not when it is first polled, so a signal sent right after start-up is not lost.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).ok();
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            tokio::select! {
                _ = async { if let Some(s) = terminate.as_mut() { s.recv().await } else { std::future::pending().await } } => {},
                _ = async { if let Some(s) = interrupt.as_mut() { s.recv().await } else { std::future::pending().await } } => {},
            }
            tracing::info!("shutdown signal received, finishing requests in flight");
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
