//! The `gigmarket` command line: `serve`, `migrate`, `tenants check|load|list`, `demo`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::{self, Application};
use crate::config::Config;
use crate::tenants::{self, Tenant};

#[derive(Parser, Debug)]
#[command(name = "gigmarket", version, about = "开封市零工市场服务平台 / the online service platform of Kaifeng's gig-labour markets")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the platform.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Validate, load or print the tenant tree.
    #[command(subcommand)]
    Tenants(TenantsCommand),
    /// Serve the demo city: embedded SQLite, Kaifeng's tenants, demo data.
    Demo(DemoArgs),
}

#[derive(Args, Debug)]
pub struct DbArgs {
    /// Database URL (`sqlite://…` or `postgres://…`); default: SQLite in the data directory.
    #[arg(long = "database", env = "DATABASE_URL")]
    pub database: Option<String>,
    /// Where the embedded database and caches live.
    #[arg(long, env = "GIGMARKET_DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct TenantsDir {
    /// Directory of tenant definition files.
    #[arg(long = "tenants-dir", env = "GIGMARKET_TENANTS_DIR", default_value = "tenants")]
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GIGMARKET_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub tenants: TenantsDir,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[arg(long, env = "GIGMARKET_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[arg(long, env = "GIGMARKET_DATA_DIR", default_value = ".data/demo")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub tenants: TenantsDir,
}

#[derive(Subcommand, Debug)]
pub enum TenantsCommand {
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
        Config { database_url: self.database.clone(), data_dir: self.data_dir.clone(), ..Config::local() }
    }
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let config = Config { listen: args.listen, tenants_dir: args.tenants.dir, ..args.db.config() };
            Application::build(config).await?.run_until_stopped().await?;
        }
        Command::Migrate(db) => {
            app::open_store(&db.config()).await?;
            println!("数据库迁移完成 / migrations applied");
        }
        Command::Tenants(cmd) => return tenants_command(cmd).await,
        Command::Demo(args) => demo(args).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn tenants_command(cmd: TenantsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TenantsCommand::Check(dir) => match tenants::check_dir(&dir.dir) {
            Ok(tree) => println!("{}", summary(&tree)),
            Err(errors) => {
                eprintln!("{}", tenants::render_errors(&errors));
                return Ok(ExitCode::FAILURE);
            }
        },
        TenantsCommand::Load { tenants: dir, db } => {
            let store = app::open_store(&db.config()).await?;
            let tree = tenants::load_dir(&store, &dir.dir).await?;
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
    let config = Config {
        listen: args.listen,
        database_url: None,
        data_dir: args.data_dir,
        tenants_dir: args.tenants.dir,
        ..Config::local()
    };
    let store = app::open_store(&config).await?;
    let tree = tenants::load_dir(&store, &config.tenants_dir).await?;
    let app = Application::build(config).await?;
    println!("开封市零工市场演示城市已启动 / the demo city is running: {}", summary(&tree));
    println!("  {}/api/v1/tenants", app.url());
    println!("  {}/api/openapi.json", app.url());
    app.run_until_stopped().await
}

/// "20 markets: 1 city, 10 county, 4 specialty, 5 station".
fn summary(tree: &[Tenant]) -> String {
    let count = |k| tree.iter().filter(|t| t.kind == k).count();
    let parts: Vec<String> = tenants::TenantKind::ALL.iter().map(|k| format!("{} {}", count(*k), k.as_str())).collect();
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
        .map(|t| format!("{}{:<24} {:<10} {}\n", "  ".repeat(depth(t)), t.code, t.kind.as_str(), t.name))
        .collect()
}
