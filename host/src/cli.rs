//! The `gigmarket` command line: `serve`, `migrate`, `tenants check|load|list`, `demo`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::accounts::{AccountKind, Accounts};
use crate::app::{self, Application};
use crate::config::{Config, Seed, default_plugins_dir};
use crate::identity::pii::PiiKeys;
use crate::plugins::runtime::RuntimeSettings;
use crate::plugins::{Runtime, Slot};
use crate::rules::{Activation, seed};
use crate::tenants::{self, Tenant};

/// The parsed command line of the `gigmarket` binary (`Cli::parse()`), for [`run`].
#[derive(Parser, Debug)]
#[command(
    name = "gigmarket",
    version,
    about = "开封市零工市场服务平台 / the online service platform of Kaifeng's gig-labour markets"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

// The subcommands and their arguments are crate-private: the binary only parses `Cli` and hands
// it to `run`. Their `///` comments are clap's `--help` text, so a comment added there changes
// what operators see.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Serve the platform.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Validate, load or print the tenant tree.
    #[command(subcommand)]
    Tenants(TenantsCommand),
    /// Serve the demo city: embedded SQLite, Kaifeng's tenants, demo data.
    Demo(DemoArgs),
    /// Upload and list plugin components.
    #[command(subcommand)]
    Plugins(PluginsCommand),
    /// Bind, roll back and list tenants' slots.
    #[command(subcommand)]
    Slots(SlotsCommand),
    /// Show and replay decision receipts.
    #[command(subcommand)]
    Decisions(DecisionsCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Create staff accounts (the first city administrator of a fresh install, then others).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Personal-information keys: re-encrypt under a new key.
    #[command(subcommand)]
    Pii(PiiCommand),
}

#[derive(Subcommand, Debug)]
pub(crate) enum PiiCommand {
    /// Re-encrypt every PII value not yet under the current (first) key; prints how many.
    Rotate {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: PiiKeyArgs,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum AdminCommand {
    /// Create a staff account.
    Create {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        password: String,
        /// city_admin, county_admin, station_staff, agency_staff or auditor.
        #[arg(long)]
        role: String,
        /// The market the account belongs to (default: the city market).
        #[arg(long)]
        tenant: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: PiiKeyArgs,
    },
}

/// The keys protecting ID and phone numbers (docs/operations.md).
#[derive(Args, Debug)]
pub(crate) struct PiiKeyArgs {
    /// Encryption keys `id:base64(32 bytes)`, comma-separated, current first.
    #[arg(long = "pii-keys", env = "GIGMARKET_PII_KEYS", hide_env_values = true)]
    pub keys: Option<String>,
    /// Blind-index key, base64 of 32 bytes.
    #[arg(long = "pii-index-key", env = "GIGMARKET_PII_INDEX_KEY", hide_env_values = true)]
    pub index_key: Option<String>,
}

impl PiiKeyArgs {
    fn parse(&self) -> anyhow::Result<Option<PiiKeys>> {
        match (&self.keys, &self.index_key) {
            (Some(k), Some(i)) => Ok(Some(PiiKeys::parse(k, i)?)),
            (None, None) => Ok(None),
            _ => anyhow::bail!("set both GIGMARKET_PII_KEYS and GIGMARKET_PII_INDEX_KEY"),
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum AuditCommand {
    /// Recompute the hash chain; exits 1 and names the first edited or deleted entry.
    Verify(DbArgs),
}

#[derive(Subcommand, Debug)]
pub(crate) enum PluginsCommand {
    /// Verify and store a component; prints its hash and slot.
    Upload {
        file: PathBuf,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List stored components.
    List(DbArgs),
}

#[derive(Subcommand, Debug)]
pub(crate) enum SlotsCommand {
    /// Show every slot of a tenant: the rule in force, where it comes from, the versions.
    List {
        tenant: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Bind a plugin to a tenant's slot as a new version.
    Bind {
        tenant: String,
        slot: String,
        plugin: String,
        /// The plugin's configuration, a JSON object.
        #[arg(long, default_value = "{}")]
        config: String,
        /// `YYYY-MM-DD`: take effect on this date.
        #[arg(long)]
        effective_from: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Roll a tenant's slot back to an earlier version.
    Rollback {
        tenant: String,
        slot: String,
        #[arg(long)]
        to_version: Option<i64>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum DecisionsCommand {
    /// Print a decision receipt.
    Show {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Re-run a decision; exits 1 unless output and fuel are identical.
    Replay {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Args, Debug)]
pub(crate) struct DbArgs {
    /// Database URL (`sqlite://…` or `postgres://…`); default: SQLite in the data directory.
    #[arg(long = "database", env = "DATABASE_URL")]
    pub database: Option<String>,
    /// Where the embedded database and caches live.
    #[arg(long, env = "GIGMARKET_DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct TenantsDir {
    /// Directory of tenant definition files.
    #[arg(long = "tenants-dir", env = "GIGMARKET_TENANTS_DIR", default_value = "tenants")]
    pub dir: PathBuf,
    /// Directory of plugin components the tenant files name.
    #[arg(long = "plugins-dir", env = "GIGMARKET_PLUGINS_DIR", default_value_os_t = default_plugins_dir())]
    pub plugins_dir: PathBuf,
    /// Where compiled plugins are cached (default: `<data dir>/plugin-cache`).
    #[arg(long = "plugin-cache-dir", env = "GIGMARKET_PLUGIN_CACHE_DIR")]
    pub plugin_cache_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GIGMARKET_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub tenants: TenantsDir,
    /// Bearer token of the administrative routes; without one they are closed.
    #[arg(long, env = "GIGMARKET_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    #[command(flatten)]
    pub keys: PiiKeyArgs,
    /// URL of an external real-name verification service (docs/identity.md).
    #[arg(long, env = "GIGMARKET_VERIFICATION_URL")]
    pub verification_url: Option<String>,
    /// Per-slot plugin limits overriding the defaults, as JSON, e.g.
    /// `{"matching": {"fuel": 1000000000, "deadline_ms": 1000, "memory_bytes": 67108864, "output_bytes": 8388608}}`.
    #[arg(long, env = "GIGMARKET_PLUGIN_LIMITS")]
    pub plugin_limits: Option<String>,
    /// Plugin calls one market may run at once on this host (default: half the cores, at least 1).
    #[arg(long, env = "GIGMARKET_PLUGIN_CALLS_PER_MARKET", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub plugin_calls_per_market: Option<u32>,
    /// How long a plugin call may wait for its market's share before it is refused (plugin_busy).
    #[arg(long, env = "GIGMARKET_PLUGIN_QUEUE_WAIT_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub plugin_queue_wait_ms: u64,
}

fn runtime_settings(
    limits: std::collections::HashMap<crate::plugins::Slot, crate::plugins::SlotLimits>,
    per_market: Option<u32>,
    queue_wait_ms: u64,
) -> RuntimeSettings {
    let defaults = RuntimeSettings::default();
    RuntimeSettings {
        limits,
        max_calls_per_share: per_market.unwrap_or(defaults.max_calls_per_share),
        queue_wait: std::time::Duration::from_millis(queue_wait_ms),
        ..defaults
    }
}

/// The administrator token of the demo city (documented in docs/demo.md; demo only).
pub const DEMO_ADMIN_TOKEN: &str = "kaifeng-demo-admin";

#[derive(Args, Debug)]
pub(crate) struct DemoArgs {
    #[arg(long, env = "GIGMARKET_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[arg(long, env = "GIGMARKET_DATA_DIR", default_value = ".data/demo")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub tenants: TenantsDir,
}

#[derive(Subcommand, Debug)]
pub(crate) enum TenantsCommand {
    /// Check the tenant files without touching the database.
    Check(TenantsDir),
    /// Check the tenant files and store them in the database.
    Load {
        #[command(flatten)]
        tenants: TenantsDir,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the tenant tree stored in the database.
    List(DbArgs),
}

impl DbArgs {
    fn config(&self) -> Config {
        Config {
            database_url: self.database.clone(),
            data_dir: self.data_dir.clone(),
            ..Config::local()
        }
    }
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let limits = match &args.plugin_limits {
                Some(json) => RuntimeSettings::parse_limits(json).map_err(anyhow::Error::msg)?,
                None => Default::default(),
            };
            let config = Config {
                pii_keys: args.keys.parse()?,
                verification_url: args.verification_url,
                plugin_runtime: runtime_settings(
                    limits,
                    args.plugin_calls_per_market,
                    args.plugin_queue_wait_ms,
                ),
                listen: args.listen,
                tenants_dir: args.tenants.dir,
                plugins_dir: args.tenants.plugins_dir,
                plugin_cache_dir: args.tenants.plugin_cache_dir,
                admin_token: args.admin_token,
                ..args.db.config()
            };
            Application::build(config).await?.run_until_stopped().await?;
        }
        Command::Migrate(db) => {
            app::open_store(&db.config()).await?;
            println!("数据库迁移完成 / migrations applied");
        }
        Command::Tenants(cmd) => return tenants_command(cmd).await,
        Command::Demo(args) => demo(args).await?,
        Command::Plugins(cmd) => plugins_command(cmd).await?,
        Command::Slots(cmd) => slots_command(cmd).await?,
        Command::Decisions(cmd) => return decisions_command(cmd).await,
        Command::Admin(AdminCommand::Create { phone, password, role, tenant, db, keys }) => {
            let kind = AccountKind::parse(&role).filter(|k| !k.self_service()).ok_or_else(|| {
                anyhow::anyhow!(
                    "--role must be city_admin, county_admin, station_staff, agency_staff or auditor"
                )
            })?;
            let config = Config { pii_keys: keys.parse()?, ..db.config() };
            let store = app::open_store(&config).await?;
            let tenant = match tenant {
                Some(t) => t,
                None => store
                    .list_tenants()
                    .await?
                    .into_iter()
                    .find(|t| t.parent.is_none())
                    .map(|t| t.code)
                    .ok_or_else(|| {
                        anyhow::anyhow!("no tenants yet: run `gigmarket tenants load` first")
                    })?,
            };
            anyhow::ensure!(store.get_tenant(&tenant).await?.is_some(), "no tenant `{tenant}`");
            let accounts =
                Accounts::new(store.clone(), config.require_pii_keys()?, config.session_ttl);
            let account = accounts
                .register(&phone, &password, kind, Some(&tenant), Some("cli"))
                .await
                .map_err(cli_err)?;
            print_json(&account)?;
        }
        Command::Pii(PiiCommand::Rotate { db, keys }) => {
            let config = Config { pii_keys: keys.parse()?, ..db.config() };
            let keys = config.require_pii_keys()?;
            let store = app::open_store(&config).await?;
            let accounts = Accounts::new(store, keys, config.session_ttl);
            let rotated = accounts.rotate_pii("cli").await.map_err(cli_err)?;
            println!(
                "已用当前密钥重新加密 {rotated} 项 / re-encrypted {rotated} value(s) under the current key"
            );
        }
        Command::Audit(AuditCommand::Verify(db)) => {
            let store = app::open_store(&db.config()).await?;
            let check = store.verify_audit().await?;
            match (check.broken_at, &check.problem) {
                (Some(seq), Some(problem)) => {
                    eprintln!(
                        "审计日志第 {seq} 条被篡改 / audit log entry {seq}: {problem} ({} entries)",
                        check.entries
                    );
                    return Ok(ExitCode::FAILURE);
                }
                _ => println!("审计日志完整 / the audit log is intact: {} entries", check.entries),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// API errors as CLI errors: the same bilingual message.
fn cli_err(e: crate::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn parse_slot(raw: &str) -> anyhow::Result<Slot> {
    Slot::parse(raw).ok_or_else(|| anyhow::anyhow!("unknown slot `{raw}`: expected naming, service-catalog, posting-review, matching, subsidy or evaluation"))
}

async fn plugins_command(cmd: PluginsCommand) -> anyhow::Result<()> {
    match cmd {
        PluginsCommand::Upload { file, name, db } => {
            let (_, rules) = app::open(&db.config()).await?;
            let bytes = std::fs::read(&file)?;
            let name = name.unwrap_or_else(|| {
                file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default()
            });
            let (record, _) = rules.register(bytes, &name, "cli").await.map_err(cli_err)?;
            print_json(&record)
        }
        PluginsCommand::List(db) => {
            let (store, _) = app::open(&db.config()).await?;
            print_json(&store.list_plugins().await?)
        }
    }
}

async fn slots_command(cmd: SlotsCommand) -> anyhow::Result<()> {
    match cmd {
        SlotsCommand::List { tenant, db } => {
            let (store, rules) = app::open(&db.config()).await?;
            let t = store
                .get_tenant(&tenant)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no tenant `{tenant}`"))?;
            print_json(&rules.slots(&t).await.map_err(cli_err)?)
        }
        SlotsCommand::Bind { tenant, slot, plugin, config, effective_from, db } => {
            let (store, rules) = app::open(&db.config()).await?;
            let t = store
                .get_tenant(&tenant)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no tenant `{tenant}`"))?;
            let config: serde_json::Value = serde_json::from_str(&config)
                .map_err(|e| anyhow::anyhow!("--config is not JSON: {e}"))?;
            let effective = match effective_from {
                Some(raw) => Some(crate::clock::parse_date(&raw).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--effective-from must be a date YYYY-MM-DD between {} and {}",
                        crate::clock::FIRST_DAY,
                        crate::clock::LAST_DAY
                    )
                })?),
                None => None,
            };
            let activation = Activation {
                plugin: &plugin,
                config: &config,
                effective_from: effective,
                note: None,
            };
            print_json(
                &rules.bind(&t, parse_slot(&slot)?, activation, "cli").await.map_err(cli_err)?,
            )
        }
        SlotsCommand::Rollback { tenant, slot, to_version, db } => {
            let (store, rules) = app::open(&db.config()).await?;
            let t = store
                .get_tenant(&tenant)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no tenant `{tenant}`"))?;
            print_json(
                &rules
                    .rollback(&t, parse_slot(&slot)?, to_version, "cli")
                    .await
                    .map_err(cli_err)?,
            )
        }
    }
}

async fn decisions_command(cmd: DecisionsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DecisionsCommand::Show { id, db } => {
            let (_, rules) = app::open(&db.config()).await?;
            print_json(&rules.decision(&id).await.map_err(cli_err)?)?;
        }
        DecisionsCommand::Replay { id, db } => {
            let (_, rules) = app::open(&db.config()).await?;
            let report = rules.replay(&id).await.map_err(cli_err)?;
            print_json(&report)?;
            if !report.identical {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn tenants_command(cmd: TenantsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TenantsCommand::Check(dir) => {
            let cache = dir.plugin_cache_dir.clone();
            let runtime = std::sync::Arc::new(Runtime::new(Default::default(), cache.as_deref())?);
            match seed::check_files(&runtime, &dir.dir, &dir.plugins_dir).await? {
                Ok(checked) => println!("{}", summary(&checked.tree)),
                Err(errors) => {
                    eprintln!("{}", tenants::render_errors(&errors));
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        TenantsCommand::Load { tenants: dir, db } => {
            let config = Config { plugin_cache_dir: dir.plugin_cache_dir.clone(), ..db.config() };
            let (_, rules) = app::open(&config).await?;
            let tree = seed::load_files(&rules, &dir.dir, &dir.plugins_dir).await?;
            println!("已载入 / loaded: {}", summary(&tree));
        }
        TenantsCommand::List(db) => {
            let store = app::open_store(&db.config()).await?;
            print!("{}", render_tree(&store.list_tenants().await?));
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let pii_keys = Some(demo_pii_keys(&args.data_dir)?);
    let config = Config {
        listen: args.listen,
        database_url: None,
        data_dir: args.data_dir,
        tenants_dir: args.tenants.dir,
        plugins_dir: args.tenants.plugins_dir,
        plugin_cache_dir: args.tenants.plugin_cache_dir,
        admin_token: Some(
            std::env::var("GIGMARKET_ADMIN_TOKEN").unwrap_or_else(|_| DEMO_ADMIN_TOKEN.into()),
        ),
        pii_keys,
        seed: Seed::Always,
        ..Config::local()
    };
    let app = Application::build(config).await?;
    crate::demo::seed(&app).await?;
    let stop = app::shutdown_signal();
    let tree = app.store().list_tenants().await?;
    println!("开封市零工市场演示城市已启动 / the demo city is running: {}", summary(&tree));
    println!("  {}/  网页 / web pages", app.url());
    println!("  {}/api/v1/tenants", app.url());
    println!("  {}/api/openapi.json", app.url());
    println!("  管理令牌 / admin token (demo only): see docs/demo.md");
    app.run_until(stop).await
}

/// The demo's PII keys: made on first start and kept in the demo's data directory, so a restart
/// can still read what it stored. Demo only: a real install takes its keys from its operator.
fn demo_pii_keys(data_dir: &std::path::Path) -> anyhow::Result<PiiKeys> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join("demo-pii-keys");
    if !path.exists() {
        let (keys, index) = PiiKeys::generate();
        std::fs::write(&path, format!("{keys}\n{index}\n"))?;
    }
    let text = std::fs::read_to_string(&path)?;
    let mut lines = text.lines();
    PiiKeys::parse(lines.next().unwrap_or(""), lines.next().unwrap_or(""))
}

/// "20 markets: 1 city, 10 county, 4 specialty, 5 station".
fn summary(tree: &[Tenant]) -> String {
    let count = |k| tree.iter().filter(|t| t.kind == k).count();
    let parts: Vec<String> =
        tenants::TenantKind::ALL.iter().map(|k| format!("{} {}", count(*k), k.as_str())).collect();
    format!("{} 个市场 / {} markets: {}", tree.len(), tree.len(), parts.join(", "))
}

/// The tree, indented by depth: `code  kind  name`.
fn render_tree(tree: &[Tenant]) -> String {
    let depth = |t: &Tenant| {
        let mut d = 0;
        let mut parent = t.parent.as_deref();
        while let Some(p) = parent {
            d += 1;
            parent = tree.iter().find(|x| x.code == p).and_then(|x| x.parent.as_deref());
        }
        d
    };
    tree.iter()
        .map(|t| {
            format!("{}{:<24} {:<10} {}\n", "  ".repeat(depth(t)), t.code, t.kind.as_str(), t.name)
        })
        .collect()
}
