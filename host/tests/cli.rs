//! The `gigmarket` binary as an operator uses it: `tenants check|load|list`, `migrate`, `demo`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_gigmarket");

fn tenants_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tenants"))
}

/// The default plugins `./dev` builds (`target/plugins`).
fn plugins_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    target.join("plugins")
}

fn command() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .env("GIGMARKET_PLUGINS_DIR", plugins_dir());
    cmd.env("GIGMARKET_PLUGIN_CACHE_DIR", plugins_dir().with_file_name("test-plugin-cache"));
    // Commands that open the runtime without --data-dir would otherwise make `.data` in host/.
    cmd.env("GIGMARKET_DATA_DIR", plugins_dir().with_file_name("test-cli-data"));
    cmd
}

fn gigmarket(args: &[&str]) -> Output {
    command().args(args).output().expect("run gigmarket")
}

/// A copy of Kaifeng's tenant files that a test may break.
fn copy_of_tenants() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(tenants_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Run `tenants check` on a broken copy; it must fail and say `expected` on stderr.
fn check_fails_with(dir: &Path, expected: &[&str]) {
    let out = gigmarket(&["tenants", "check", "--tenants-dir", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
}

#[test]
fn kaifeng_tenant_files_pass_the_check() {
    let out = gigmarket(&["tenants", "check", "--tenants-dir", tenants_dir().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 city, 10 county"), "{stdout}");
}

#[test]
fn two_cities_are_refused() {
    let dir = copy_of_tenants();
    std::fs::write(
        dir.path().join("zhengzhou.toml"),
        std::fs::read_to_string(dir.path().join("kaifeng.toml"))
            .unwrap()
            .replace("code = \"kaifeng\"", "code = \"kaifeng2\"")
            .replace("name = \"开封市零工市场\"", "name = \"开封市第二零工市场\""),
    )
    .unwrap();
    check_fails_with(
        dir.path(),
        &["zhengzhou.toml: kind: 只能有一个市级零工市场", "kaifeng.toml 已是市级"],
    );
}

#[test]
fn a_cycle_is_refused() {
    let dir = copy_of_tenants();
    edit(dir.path(), "qixian.toml", "parent = \"kaifeng\"", "parent = \"tongxu\"");
    edit(dir.path(), "tongxu.toml", "parent = \"kaifeng\"", "parent = \"qixian\"");
    check_fails_with(
        dir.path(),
        &[
            "qixian.toml: parent: 上级关系形成循环:qixian → tongxu → qixian",
            "the parent chain loops",
        ],
    );
}

#[test]
fn a_station_under_the_city_is_refused() {
    let dir = copy_of_tenants();
    edit(dir.path(), "lankao-lanyang.toml", "parent = \"lankao\"", "parent = \"kaifeng\"");
    check_fails_with(
        dir.path(),
        &[
            "lankao-lanyang.toml: parent: 零工驿站的上级必须是县(区)级零工市场,而 `kaifeng` 是市级零工市场",
            "a station must be under a county",
        ],
    );
}

#[test]
fn a_wrong_name_is_refused() {
    let dir = copy_of_tenants();
    edit(
        dir.path(),
        "lankao-dongbatou.toml",
        "name = \"东坝头镇零工驿站\"",
        "name = \"东坝头劳务中心\"",
    );
    edit(dir.path(), "weishi.toml", "name = \"尉氏县零工市场\"", "name = \"尉氏县人力资源市场\"");
    check_fails_with(
        dir.path(),
        &[
            "lankao-dongbatou.toml: name: 零工驿站应按“XX街道(乡镇)、社区(村)零工驿站”格式命名",
            "(naming.suffix)",
            "weishi.toml: name:",
        ],
    );
}

#[test]
fn a_duplicate_code_is_refused() {
    let dir = copy_of_tenants();
    edit(dir.path(), "tongxu.toml", "code = \"tongxu\"", "code = \"qixian\"");
    check_fails_with(
        dir.path(),
        &["tongxu.toml: code: 编码重复(已被", "qixian.toml", "duplicate code `qixian`"],
    );
}

#[test]
fn a_missing_field_is_refused() {
    let dir = copy_of_tenants();
    edit(dir.path(), "gulou.toml", "hotline = \"0371-23220204\"\n", "");
    check_fails_with(dir.path(), &["gulou.toml: hotline: 缺少必填字段 / missing required field"]);
}

#[test]
fn tenants_load_then_list_on_sqlite() {
    let data = tempfile::tempdir().unwrap();
    let data_arg = data.path().to_str().unwrap();
    let out = gigmarket(&["migrate", "--data-dir", data_arg]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        data.path().join("gigmarket.db").exists(),
        "the embedded database is created in the data directory"
    );
    let out = gigmarket(&[
        "tenants",
        "load",
        "--tenants-dir",
        tenants_dir().to_str().unwrap(),
        "--data-dir",
        data_arg,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = gigmarket(&["tenants", "list", "--data-dir", data_arg]);
    let listing = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert!(lines[0].starts_with("kaifeng ") && lines[0].contains("开封市零工市场"), "{listing}");
    let lanyang = lines.iter().find(|l| l.contains("lankao-lanyang")).unwrap();
    assert!(
        lanyang.starts_with("    lankao-lanyang"),
        "stations are indented two levels: {listing}"
    );
}

/// `tenants load` and `tenants list` against a fresh PostgreSQL database given as `--database`.
#[test]
fn tenants_load_then_list_on_postgres() {
    let db = PgDatabase::create();
    let url = db.url();
    let out = gigmarket(&[
        "tenants",
        "load",
        "--tenants-dir",
        tenants_dir().to_str().unwrap(),
        "--database",
        &url,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = gigmarket(&["tenants", "list", "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(listing.lines().count(), 18, "{listing}");
    assert!(
        listing.contains("  shifanqu") && listing.contains("开封城乡一体化示范区零工市场"),
        "{listing}"
    );
}

/// A PostgreSQL database of this test, dropped when the test ends however it ends.
struct PgDatabase {
    base: String,
    name: String,
}

impl PgDatabase {
    fn create() -> PgDatabase {
        let base = std::env::var("GIGMARKET_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let db = PgDatabase { base, name: format!("gm_cli_{}", std::process::id()) };
        db.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name));
        db.admin(&format!("CREATE DATABASE {}", db.name));
        db
    }

    fn url(&self) -> String {
        format!("{}/{}", self.base, self.name)
    }

    fn admin(&self, sql: &str) {
        let (base, sql) = (self.base.clone(), sql.to_string());
        tokio::runtime::Runtime::new().unwrap().block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::postgres::PgConnection::connect(&format!("{base}/postgres"))
                .await
                .expect("PostgreSQL is running");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        self.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

#[test]
fn a_broken_tree_is_not_loaded_at_all() {
    let data = tempfile::tempdir().unwrap();
    let dir = copy_of_tenants();
    edit(dir.path(), "gulou.toml", "kind = \"county\"", "kind = \"province\"");
    let out = gigmarket(&[
        "tenants",
        "load",
        "--tenants-dir",
        dir.path().to_str().unwrap(),
        "--data-dir",
        data.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gulou.toml: kind: 市场类型无效"));
    let out = gigmarket(&["tenants", "list", "--data-dir", data.path().to_str().unwrap()]);
    assert!(out.status.success(), "the list runs: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no partial write");
}

/// A running `gigmarket demo`, killed if the test ends before it stopped it (a failing assert
/// must not leave a server behind).
struct Demo {
    child: std::process::Child,
    url: String,
    /// Kept open: the demo prints to it, and a closed pipe would kill it.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Demo {
    fn start(data: &Path) -> Demo {
        let mut child = command()
            .args(["demo", "--listen", "127.0.0.1:0", "--data-dir", data.to_str().unwrap()])
            .args(["--tenants-dir", tenants_dir().to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map(|l| l.unwrap())
            .find_map(|l| l.trim().strip_suffix("/api/v1/tenants").map(str::to_string));
        Demo { child, url: url.expect("the demo prints its URL"), _stdout: lines }
    }

    /// SIGTERM, and the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo command serves Kaifeng on the port it prints and stops cleanly on SIGTERM.
#[test]
fn demo_serves_the_city_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::start(data.path());
    let body = http_get(&format!("{}/api/v1/tenants", demo.url));
    assert!(body.contains("\"count\":18") && body.contains("兰考县零工市场"), "{body}");
    let status = demo.stop();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

/// A tiny blocking HTTP GET, so this test needs no async runtime.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    response
}

fn fixture(name: &str) -> PathBuf {
    plugins_dir().with_file_name("wasm32-wasip2").join("plugin").join(format!("{name}.wasm"))
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Upload, bind, list, roll back and replay through the CLI, as an operator without the API.
#[test]
fn the_plugin_lifecycle_through_the_cli() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    assert!(
        gigmarket(&[
            "tenants",
            "load",
            "--tenants-dir",
            tenants_dir().to_str().unwrap(),
            "--data-dir",
            d
        ])
        .status
        .success()
    );

    let wrong = gigmarket(&[
        "plugins",
        "upload",
        fixture("fixture_wrong_world").to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("组件没有实现任何已知的插件槽位"));

    let weishi = fixture("weishi_matching");
    let uploaded =
        json_of(&gigmarket(&["plugins", "upload", weishi.to_str().unwrap(), "--data-dir", d]));
    assert_eq!(uploaded["slot"], "matching");
    let hash = uploaded["hash"].as_str().unwrap();
    let bound = json_of(&gigmarket(&[
        "slots",
        "bind",
        "gulou",
        "matching",
        hash,
        "--config",
        r#"{"max_distance_km": 10}"#,
        "--data-dir",
        d,
    ]));
    assert_eq!(bound["version"], 1);
    let bad = gigmarket(&["slots", "bind", "gulou", "subsidy", hash, "--data-dir", d]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("plugin_wrong_slot"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    assert_eq!(bad.status.code(), Some(1), "a refused command exits 1");
    let active = |d: &str| {
        let slots = json_of(&gigmarket(&["slots", "list", "gulou", "--data-dir", d]));
        slots.as_array().unwrap().iter().find(|s| s["slot"] == "matching").unwrap()["active"]["binding"].clone()
    };
    assert_eq!(active(d)["plugin_hash"], hash);
    let nothing = gigmarket(&["slots", "rollback", "gulou", "matching", "--data-dir", d]);
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("nothing_to_roll_back"));
    assert_eq!(nothing.status.code(), Some(1));

    // A second version, then a rollback that really restores the first (as a third version).
    let city = fixture("city_matching");
    let city = json_of(&gigmarket(&["plugins", "upload", city.to_str().unwrap(), "--data-dir", d]));
    let second = json_of(&gigmarket(&[
        "slots",
        "bind",
        "gulou",
        "matching",
        city["hash"].as_str().unwrap(),
        "--data-dir",
        d,
    ]));
    assert_eq!(
        (second["version"].as_i64(), active(d)["plugin_hash"].as_str()),
        (Some(2), city["hash"].as_str())
    );
    let rolled = json_of(&gigmarket(&["slots", "rollback", "gulou", "matching", "--data-dir", d]));
    assert_eq!(
        (rolled["version"].as_i64(), rolled["plugin_hash"].as_str()),
        (Some(3), Some(hash)),
        "{rolled}"
    );
    assert_eq!(
        rolled["config"], r#"{"max_distance_km":10}"#,
        "the first version's configuration too"
    );
    let now = active(d);
    assert_eq!(
        (now["version"].as_i64(), now["plugin_hash"].as_str()),
        (Some(3), Some(hash)),
        "in force: {now}"
    );

    let id = record_a_decision(data.path());
    let replay = json_of(&gigmarket(&["decisions", "replay", &id, "--data-dir", d]));
    assert_eq!(replay["identical"], true, "{replay}");
    let missing = gigmarket(&["decisions", "replay", "nope", "--data-dir", d]);
    assert_eq!(missing.status.code(), Some(1), "{}", String::from_utf8_lossy(&missing.stderr));
}

/// Make one posting-review decision for 鼓楼区 through the library, as the API would.
fn record_a_decision(data_dir: &Path) -> String {
    let config = gigmarket::config::Config {
        data_dir: data_dir.to_path_buf(),
        plugin_cache_dir: Some(plugins_dir().with_file_name("test-plugin-cache")),
        ..gigmarket::config::Config::local()
    };
    tokio::runtime::Runtime::new().unwrap().block_on(async move {
        let (store, rules) = gigmarket::app::open(&config).await.unwrap();
        let tenant = store.get_tenant("gulou").await.unwrap().unwrap();
        let input = serde_json::json!({"today": {"year": 2026, "month": 11, "day": 28}, "posting": {
            "title": "装卸工", "description": "仓库装卸", "occupation_code": "4-02-05-01", "occupation_name": "装卸搬运工",
            "headcount": 2, "wage_cents": 2000, "wage_unit": "Hour", "settlement": "Daily", "daily_hours": 8.0,
            "work_start": {"year": 2026, "month": 12, "day": 1}, "work_end": {"year": 2026, "month": 12, "day": 2},
            "district": "鼓楼区", "address": "鼓楼区某仓库", "min_age": null, "max_age": null, "requirements": [],
            "qualifications": [], "charges_worker_fee": false, "employer_verified": true, "employer_recent_postings": 1}});
        let call = rules.invoke_json(&tenant, gigmarket::plugins::Slot::PostingReview, input, "cli-test").await.unwrap();
        call.decision_id.unwrap()
    })
}

#[test]
fn serve_refuses_bad_plugin_limits_before_starting() {
    let data = tempfile::tempdir().unwrap();
    let out = gigmarket(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data.path().to_str().unwrap(),
        "--plugin-limits",
        r#"{"matching": {"fuel": 0, "deadline_ms": 1, "memory_bytes": 2097152, "output_bytes": 1}}"#,
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("plugin limits for `matching`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `audit verify` passes on an honest log and names the entry someone edited in the database.
#[test]
fn audit_verify_catches_a_tampered_row() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    assert!(
        gigmarket(&[
            "tenants",
            "load",
            "--tenants-dir",
            tenants_dir().to_str().unwrap(),
            "--data-dir",
            d
        ])
        .status
        .success()
    );
    let ok = gigmarket(&["audit", "verify", "--data-dir", d]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));

    let url = format!("sqlite://{}/gigmarket.db", d);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let bad = gigmarket(&["audit", "verify", "--data-dir", d]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("entry 3"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn serve_refuses_to_start_without_pii_keys() {
    let data = tempfile::tempdir().unwrap();
    let out = command()
        .env_remove("GIGMARKET_PII_KEYS")
        .env_remove("GIGMARKET_PII_INDEX_KEY")
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no PII keys"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_first_city_admin_is_made_from_the_cli() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    assert!(
        gigmarket(&[
            "tenants",
            "load",
            "--tenants-dir",
            tenants_dir().to_str().unwrap(),
            "--data-dir",
            d
        ])
        .status
        .success()
    );
    let keys = [
        "--pii-keys",
        "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "--pii-index-key",
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
    ];
    let mut args = vec![
        "admin",
        "create",
        "--phone",
        "13800000001",
        "--password",
        "cityadmin2026",
        "--role",
        "city_admin",
        "--data-dir",
        d,
    ];
    args.extend(keys);
    let made = json_of(&gigmarket(&args));
    assert_eq!(
        (made["kind"].as_str(), made["tenant_code"].as_str()),
        (Some("city_admin"), Some("kaifeng"))
    );
    let again = gigmarket(&args);
    assert!(String::from_utf8_lossy(&again.stderr).contains("phone_taken"));
    let mut worker = vec![
        "admin",
        "create",
        "--phone",
        "13800000002",
        "--password",
        "cityadmin2026",
        "--role",
        "worker",
        "--data-dir",
        d,
    ];
    worker.extend(keys);
    assert!(!gigmarket(&worker).status.success(), "workers register themselves");
}

/// Rotation: add a new key in front, run `pii rotate`, drop the old key — accounts still log in.
#[test]
fn pii_keys_rotate_without_losing_data() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    assert!(
        gigmarket(&[
            "tenants",
            "load",
            "--tenants-dir",
            tenants_dir().to_str().unwrap(),
            "--data-dir",
            d
        ])
        .status
        .success()
    );
    let (old, new, index) = (
        "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
    );
    let made = gigmarket(&[
        "admin",
        "create",
        "--phone",
        "13800000009",
        "--password",
        "cityadmin2026",
        "--role",
        "auditor",
        "--data-dir",
        d,
        "--pii-keys",
        old,
        "--pii-index-key",
        index,
    ]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let both = format!("{new},{old}");
    // The rotation and its audit entry are one transaction: with the audit log unwritable,
    // nothing is re-encrypted.
    let url = format!("sqlite://{d}/gigmarket.db");
    let sql = |statement: &'static str| {
        let url = url.clone();
        tokio::runtime::Runtime::new().unwrap().block_on(async move {
            use sqlx::{Connection, Row};
            let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
            if statement.starts_with("SELECT") {
                Some(sqlx::query(statement).fetch_one(&mut conn).await.unwrap().get::<String, _>(0))
            } else {
                sqlx::query(statement).execute(&mut conn).await.unwrap();
                None
            }
        })
    };
    sql("ALTER TABLE audit_log RENAME TO audit_log_off");
    let refused = gigmarket(&[
        "pii",
        "rotate",
        "--data-dir",
        d,
        "--pii-keys",
        &both,
        "--pii-index-key",
        index,
    ]);
    sql("ALTER TABLE audit_log_off RENAME TO audit_log");
    assert!(!refused.status.success(), "a rotation that cannot be audited fails");
    assert!(
        sql("SELECT phone_enc FROM accounts").unwrap().starts_with("k1:"),
        "and re-encrypts nothing"
    );
    let out = gigmarket(&[
        "pii",
        "rotate",
        "--data-dir",
        d,
        "--pii-keys",
        &both,
        "--pii-index-key",
        index,
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("re-encrypted 1 value"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = gigmarket(&[
        "pii",
        "rotate",
        "--data-dir",
        d,
        "--pii-keys",
        &both,
        "--pii-index-key",
        index,
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("re-encrypted 0 value"));
    // Only the new key now: the phone is still found (blind index) and readable (new key).
    let dup = gigmarket(&[
        "admin",
        "create",
        "--phone",
        "13800000009",
        "--password",
        "cityadmin2026",
        "--role",
        "auditor",
        "--data-dir",
        d,
        "--pii-keys",
        new,
        "--pii-index-key",
        index,
    ]);
    assert!(
        String::from_utf8_lossy(&dup.stderr).contains("phone_taken"),
        "{}",
        String::from_utf8_lossy(&dup.stderr)
    );
    let stored: String = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::{Connection, Row};
        let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("SELECT phone_enc FROM accounts").fetch_one(&mut conn).await.unwrap().get(0)
    });
    assert!(stored.starts_with("k2:"), "{stored}");
    let keys = gigmarket::identity::pii::PiiKeys::parse(new, index).unwrap();
    assert_eq!(keys.decrypt(&stored).unwrap(), "13800000009");
}

/// Every account in docs/demo.md's table logs in, with the role the table gives it.
#[test]
fn the_demo_seeds_an_account_for_every_role() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/demo.md")).unwrap();
    let table = demo_accounts(&doc);
    let roles: std::collections::BTreeSet<&str> = table.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(roles.len(), 7, "the table names every role: {roles:?}");
    assert_eq!(table.len(), 13, "seven role accounts and six more workers: {table:?}");
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::start(data.path());
    for (phone, kind) in &table {
        let body = format!(r#"{{"phone":"{phone}","password":"kaifeng2026"}}"#);
        let response = http_post(&format!("{}/api/v1/auth/login", demo.url), &body);
        assert!(response.contains(&format!(r#""kind":"{kind}""#)), "{phone}: {response}");
    }
    assert!(demo.stop().success());
}

/// (phone, role) of each row of the accounts table; `13900000101–106` is a range.
fn demo_accounts(doc: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in doc.lines().filter(|l| l.starts_with("| 1")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (phones, role) = (cells[1], cells[2].to_string());
        match phones.split_once('–') {
            Some((first, last)) => {
                let base: u64 = first.parse().unwrap();
                let end: u64 =
                    format!("{}{last}", &first[..first.len() - last.len()]).parse().unwrap();
                rows.extend((base..=end).map(|p| (p.to_string(), role.clone())));
            }
            None => rows.push((phones.to_string(), role)),
        }
    }
    rows
}

/// A second start of the demo on the same data seeds nothing twice, and the demo's documented
/// administrator token opens the administrative routes.
#[test]
fn the_demo_seeds_once_and_its_token_works() {
    let data = tempfile::tempdir().unwrap();
    let counts = |url: &str| {
        let jobs = http_get(&format!("{url}/api/v1/jobs?limit=100"));
        let plugins =
            http_get_as(&format!("{url}/api/v1/plugins"), gigmarket::cli::DEMO_ADMIN_TOKEN);
        let audit = http_get_as(
            &format!("{url}/api/v1/audit?limit=1000"),
            gigmarket::cli::DEMO_ADMIN_TOKEN,
        );
        (
            jobs.matches("\"open_places\"").count(),
            plugins.matches("\"hash\"").count(),
            audit.matches("\"seq\"").count(),
        )
    };
    let demo = Demo::start(data.path());
    let first = counts(&demo.url);
    assert!(first.0 >= 20 && first.1 >= 10, "posts and plugins seeded: {first:?}");
    assert!(demo.stop().success());
    let demo = Demo::start(data.path());
    assert_eq!(counts(&demo.url), first, "a restarted demo seeds nothing again");
    let refused = http_get_raw(&format!("{}/api/v1/plugins", demo.url), Some("not-the-demo-token"));
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(demo.stop().success());
}

/// GET with a bearer token; the response must be 200.
fn http_get_as(url: &str, token: &str) -> String {
    let response = http_get_raw(url, Some(token));
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    response
}

fn http_get_raw(url: &str, token: Option<&str>) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn http_post(url: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    response
}

/// Build output and data never enter the repository: compiled plugins, databases, data dirs.
#[test]
fn the_repository_tracks_no_build_output_or_data() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new("git").args(["-C", root, "ls-files"]).output().expect("git runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tracked = String::from_utf8(out.stdout).unwrap();
    let bad: Vec<&str> = tracked
        .lines()
        .filter(|p| {
            [".cwasm", ".db", ".db-wal", ".db-shm", ".wasm"].iter().any(|ext| p.ends_with(ext))
                || p.split('/').any(|segment| segment == ".data" || segment == "target")
        })
        .collect();
    assert!(bad.is_empty(), "tracked build output or data: {bad:?}");
}
