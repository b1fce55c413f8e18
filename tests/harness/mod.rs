//! The one test harness: start the real host on a random port against a fresh database and
//! drive it over HTTP.
//!
//! Each test gets its own database: a new SQLite file in a temporary directory, or a new
//! PostgreSQL database (created on `GIGMARKET_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432`, and dropped afterwards). [`db_tests!`] runs one test body
//! on both backends, so the whole suite passes on both or fails.

pub mod browser;
pub mod pages;
pub mod people;
pub mod proxy;

use std::path::{Path, PathBuf};

use gigmarket::app::Application;
use gigmarket::config::{Config, sqlite_url};
use gigmarket::identity::pii::PiiKeys;
use gigmarket::rules::Rules;
use gigmarket::store::Store;
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tokio::sync::oneshot;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running host and a client for it. Dropping it stops the server and removes its database.
pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    pub database_url: String,
    plugin_cache_dir: Option<PathBuf>,
    pub pii_keys: Option<PiiKeys>,
    /// The running host's database and plugin service, for calling domain code directly (e.g.
    /// the complaint escalation sweep with a `now` in the future).
    pub store: Store,
    pub rules: Rules,
    /// The host's clock: move it (`advance`, `set`) instead of waiting.
    pub clock: gigmarket::clock::Clock,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    pg_database: Option<String>,
    _data_dir: tempfile::TempDir,
}

/// A test host's configuration: a random port, the repository's tenants and plugins, the test
/// admin token, and no background sweeps (a day apart: tests move the clock and sweep).
fn host_config(
    database_url: String,
    data_dir: &Path,
    plugin_cache_dir: Option<PathBuf>,
    pii_keys: Option<PiiKeys>,
    clock: gigmarket::clock::Clock,
) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(database_url),
        data_dir: data_dir.to_path_buf(),
        tenants_dir: tenants_dir(),
        plugins_dir: plugins_dir(),
        plugin_cache_dir,
        admin_token: Some(ADMIN_TOKEN.into()),
        pii_keys,
        sweep_interval: std::time::Duration::from_secs(24 * 3600),
        clock,
        ..Config::local()
    }
}

/// The repository's `tenants/` directory: Kaifeng's real tree.
pub fn tenants_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tenants"))
}

/// The workspace's target directory (honouring `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")))
}

/// The default plugins `./dev` built and copied (`target/plugins`).
pub fn plugins_dir() -> PathBuf {
    target_dir().join("plugins")
}

/// The bytes of a component built by `./dev`: a default plugin (`city_matching`) or a test
/// fixture (`fixture_hostile`).
pub fn component(name: &str) -> Vec<u8> {
    let path = target_dir().join("wasm32-wasip2/plugin").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run the tests through ./dev test, which builds the plugins",
            path.display()
        )
    })
}

/// Compiled plugins shared by all test hosts, so each test does not recompile them (a test that
/// proves the cache works sets its own directory).
pub fn shared_plugin_cache() -> PathBuf {
    target_dir().join("test-plugin-cache")
}

/// Fresh PII keys for one test host.
pub fn test_pii_keys() -> PiiKeys {
    let (keys, index) = PiiKeys::generate();
    PiiKeys::parse(&keys, &index).expect("generated keys parse")
}

/// The administrator token every test host is started with.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// Base URL of the PostgreSQL server the tests create databases on.
pub fn postgres_base() -> String {
    std::env::var("GIGMARKET_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// The address of the PostgreSQL server of [`postgres_base`] (for a [`proxy::Proxy`] to it).
pub fn postgres_addr() -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    let base = postgres_base();
    let authority = base.split("://").nth(1).unwrap_or(&base);
    let host_port = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .split('/')
        .next()
        .unwrap_or("127.0.0.1:5432");
    let host_port =
        if host_port.contains(':') { host_port.to_string() } else { format!("{host_port}:5432") };
    host_port.to_socket_addrs().expect("a PostgreSQL address").next().expect("an address")
}

/// `database_url` with its server replaced by `127.0.0.1:port` (e.g. a proxy's).
pub fn via_port(database_url: &str, port: u16) -> String {
    let (scheme, rest) = database_url.split_once("://").expect("a URL");
    let (authority, path) = rest.split_once('/').expect("a database name");
    let user = authority.rsplit_once('@').map(|(u, _)| format!("{u}@")).unwrap_or_default();
    format!("{scheme}://{user}127.0.0.1:{port}/{path}")
}

/// How far every test host's clock (and [`now`]) is set from the system's: to noon, China time,
/// of the day the test process started. A test then never straddles China's midnight (a
/// check-in "once a day", `people::day`), whatever time of day the suite runs at. Fixed for the
/// process (nextest runs each test in its own).
pub fn clock_shift() -> chrono::Duration {
    static SHIFT: std::sync::OnceLock<chrono::Duration> = std::sync::OnceLock::new();
    *SHIFT.get_or_init(|| {
        let real = chrono::Utc::now();
        let noon = gigmarket::clock::china_date(real)
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_local_timezone(gigmarket::clock::china())
            .unwrap()
            .with_timezone(&chrono::Utc);
        noon - real
    })
}

/// "Now" as the test hosts see it (their clock, before a test moves it).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + clock_shift()
}

/// Start a host on `backend` with Kaifeng's tenants.
pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, |_| {}).await
}

/// Start a host on `backend`, letting the test adjust the configuration first.
pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    start(backend, adjust, false).await
}

/// Start the demo city on `backend`: Kaifeng's tenants plus what `gigmarket demo` seeds
/// (demo accounts, verified profiles, open posts in every county).
pub async fn spawn_demo(backend: Backend) -> TestApp {
    start(backend, |_| {}, true).await
}

async fn start(backend: Backend, adjust: impl FnOnce(&mut Config), demo: bool) -> TestApp {
    if std::env::var_os("RUST_LOG").is_some() {
        gigmarket::telemetry::init(); // the server's log, for debugging a test: RUST_LOG=info
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg_database) = match backend {
        Backend::Sqlite => (sqlite_url(&data_dir.path().join("test.db")), None),
        Backend::Postgres => {
            let name = create_postgres_database().await;
            (format!("{}/{name}", postgres_base()), Some(name))
        }
    };
    let clock = gigmarket::clock::Clock::system();
    clock.advance(clock_shift());
    let mut config = host_config(
        database_url.clone(),
        data_dir.path(),
        Some(shared_plugin_cache()),
        Some(test_pii_keys()),
        clock,
    );
    adjust(&mut config);
    let plugin_cache_dir = config.plugin_cache_dir.clone();
    let pii_keys = config.pii_keys.clone();
    let clock = config.clock.clone();
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            // Nothing owns the database yet: drop it before failing the test.
            if let Some(name) = &pg_database {
                drop_postgres_database(name).await;
            }
            panic!("the host starts: {e:#}");
        }
    };
    if demo {
        gigmarket::demo::seed(&app).await.expect("the demo seeds");
    }
    let url = app.url();
    let (store, rules) = (app.store().clone(), app.rules().clone());
    let (tx, rx) = oneshot::channel();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        url,
        client: reqwest::Client::new(),
        backend,
        database_url,
        plugin_cache_dir,
        pii_keys,
        store,
        rules,
        clock,
        shutdown: Some(tx),
        server: Some(server),
        pg_database,
        _data_dir: data_dir,
    }
}

/// Create an empty PostgreSQL database with a unique name that says when it was made
/// (`gm_test_<unix seconds>_<uuid>`). The first call in a process also drops test databases
/// more than two hours old: what test processes killed before their cleanup left behind.
pub async fn create_postgres_database() -> String {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT.get_or_init(sweep_stale_databases).await;
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let name = format!("gm_test_{secs}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&format!("{}/postgres", postgres_base()))
        .await
        .expect("PostgreSQL must be running for the postgres half of the suite (see .ci/run)");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    name
}

/// Drop `gm_test_*` and `gm_cli_*` databases that no running test can own: older than two
/// hours by their name, or named in an older format that carried no time.
async fn sweep_stale_databases() {
    let Ok(mut admin) = PgConnection::connect(&format!("{}/postgres", postgres_base())).await
    else {
        return;
    };
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'gm\\_test\\_%' OR datname LIKE 'gm\\_cli\\_%'",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap_or_default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    for name in names.into_iter().filter(|n| is_stale(n, now)) {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
    }
}

/// Whether a test database's name says it is older than two hours (or says nothing of its age).
/// `gm_cli_<pid>` databases belong to a live CLI test only while that process runs.
fn is_stale(name: &str, now: u64) -> bool {
    if let Some(pid) = name.strip_prefix("gm_cli_") {
        return pid
            .parse::<u32>()
            .is_ok_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
    }
    let rest = name.strip_prefix("gm_test_").unwrap_or("");
    match rest.split_once('_').and_then(|(secs, _)| secs.parse::<u64>().ok()) {
        Some(made) => now.saturating_sub(made) > 2 * 3600,
        None => true,
    }
}

/// Drop a test database, closing whatever still holds it.
pub async fn drop_postgres_database(name: &str) {
    if let Ok(mut admin) = PgConnection::connect(&format!("{}/postgres", postgres_base())).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
    }
}

impl TestApp {
    /// This host's configuration for another (or a restarted) host on `database_url`.
    fn config_on(&self, database_url: String, data_dir: &Path) -> Config {
        let (cache, keys) = (self.plugin_cache_dir.clone(), self.pii_keys.clone());
        host_config(database_url, data_dir, cache, keys, self.clock.clone())
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// GET `path` and return the status and the JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let resp = self.client.get(self.at(path)).send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("a JSON body"))
    }

    /// POST JSON without a token (registration, login); return the status and the JSON body
    /// (`null` when there is none).
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let resp = self.client.post(self.at(path)).json(body).send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// POST JSON as the administrator; return the status and the JSON body.
    pub async fn admin_post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let resp = self
            .client
            .post(self.at(path))
            .bearer_auth(ADMIN_TOKEN)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("a JSON body"))
    }

    /// Send a request with a JSON body as the administrator.
    pub async fn admin_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let resp = self
            .client
            .request(method, self.at(path))
            .bearer_auth(ADMIN_TOKEN)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("a JSON body"))
    }

    /// GET as the administrator.
    pub async fn admin_get(&self, path: &str) -> (u16, serde_json::Value) {
        let resp =
            self.client.get(self.at(path)).bearer_auth(ADMIN_TOKEN).send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("a JSON body"))
    }

    /// Send a request with an account's session token (and a JSON body, if any).
    pub async fn call_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self.client.request(method, self.at(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Upload component bytes as the administrator.
    pub async fn upload(&self, bytes: Vec<u8>, name: &str) -> (u16, serde_json::Value) {
        let resp = self
            .client
            .post(self.at(&format!("/api/v1/plugins?name={name}")))
            .bearer_auth(ADMIN_TOKEN)
            .body(bytes)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("a JSON body"))
    }

    /// Another host on the same database, as a second stateless host behind a load balancer
    /// would be: its own data directory and plugin runtime, the same PII keys. It does not own
    /// the database (the first host drops it).
    pub async fn another_host(&self) -> TestApp {
        self.another_host_with(|_| {}).await
    }

    /// [`TestApp::another_host`], letting the test adjust its configuration (e.g. reach the
    /// database through a [`proxy::Proxy`]).
    pub async fn another_host_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = self.config_on(self.database_url.clone(), data_dir.path());
        adjust(&mut config);
        let database_url = config.database_url.clone().expect("a database");
        let app = Application::build(config).await.expect("the other host starts");
        let url = app.url();
        let (store, rules) = (app.store().clone(), app.rules().clone());
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestApp {
            url,
            client: reqwest::Client::new(),
            backend: self.backend,
            database_url,
            plugin_cache_dir: self.plugin_cache_dir.clone(),
            pii_keys: self.pii_keys.clone(),
            store,
            rules,
            clock: self.clock.clone(),
            shutdown: Some(tx),
            server: Some(server),
            pg_database: None,
            _data_dir: data_dir,
        }
    }

    /// Stop the server gracefully and start a new one on the same database and data directory.
    pub async fn restart(self) -> TestApp {
        self.restart_with(|_| {}).await
    }

    /// Restart on the same database, letting the test adjust the configuration first.
    pub async fn restart_with(mut self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        self.stop_server().await;
        let mut config = self.config_on(self.database_url.clone(), self._data_dir.path());
        adjust(&mut config);
        let app = Application::build(config).await.expect("the host restarts");
        self.url = app.url();
        (self.store, self.rules) = (app.store().clone(), app.rules().clone());
        let (tx, rx) = oneshot::channel();
        self.server = Some(tokio::spawn(app.run_until(async {
            let _ = rx.await;
        })));
        self.shutdown = Some(tx);
        self
    }

    /// Stop the server gracefully and wait for it.
    pub async fn stop(mut self) {
        self.stop_server().await;
    }

    async fn stop_server(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server ran cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(name) = self.pg_database.take() {
            // Drop runs outside async: use a private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(drop_postgres_database(&name));
            })
            .join();
        }
    }
}

/// Run futures concurrently on this task (all polled together, as concurrent clients would be)
/// and collect their outputs in order.
pub async fn join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T>,
{
    let mut pending: Vec<_> = futures.map(|f| Some(Box::pin(f))).collect();
    let mut out: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (slot, result) in pending.iter_mut().zip(out.iter_mut()) {
            if let Some(f) = slot
                && let std::task::Poll::Ready(v) = f.as_mut().poll(cx)
            {
                *result = Some(v);
                *slot = None;
            }
        }
        if pending.iter().all(Option::is_none) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().map(|r| r.expect("every future finished")).collect()
}

/// Assert that a response body is the structured error `code`, and return its message.
pub fn assert_error(body: &serde_json::Value, code: &str) -> String {
    let err = &body["error"];
    assert_eq!(err["code"], code, "unexpected body: {body}");
    let message =
        err["message"].as_str().unwrap_or_else(|| panic!("error without message: {body}"));
    assert!(message.contains(" / "), "messages are Chinese / English: {message}");
    message.to_string()
}

/// Run each named `async fn(TestApp)` as two tests, `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::spawn($crate::Backend::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::spawn($crate::Backend::Postgres).await).await
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_old_or_orphaned_test_databases_are_stale() {
        let now = 1_800_000_000;
        assert!(!super::is_stale(&format!("gm_test_{}_abc", now - 60), now), "a running test's");
        assert!(super::is_stale(&format!("gm_test_{}_abc", now - 3 * 3600), now), "hours old");
        assert!(super::is_stale("gm_test_0123456789abcdef0123456789abcdef", now), "no time in it");
        assert!(!super::is_stale(&format!("gm_cli_{}", std::process::id()), now), "a live process");
        assert!(super::is_stale("gm_cli_4294967294", now), "a process that is gone");
    }
}
