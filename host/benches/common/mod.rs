//! What every bench binary shares: timing, the markdown rows of docs/benchmarks.md, where
//! the built plugins are, and the demo city on a free port. (Each bench uses a part of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gigmarket::app::Application;
use gigmarket::config::{Config, Seed};
use gigmarket::identity::pii::PiiKeys;

/// Run `f` `n` times after a warm-up; return (median, p99).
pub fn measure(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..n.div_ceil(10) {
        f();
    }
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[n / 2], times[(n * 99 / 100).min(n - 1)])
}

/// The table header every `row` goes under.
pub fn header() {
    println!("| benchmark | median | p99 | ratio |\n|---|---|---|---|");
}

/// One table row; `ratio` against the baseline row of the same run, if any.
pub fn row(name: &str, (median, p99): (Duration, Duration), ratio: Option<f64>) {
    let ratio = match ratio {
        None => "—".into(),
        Some(r) if r < 0.1 => format!("{r:.4}× (1/{:.0})", 1.0 / r),
        Some(r) => format!("{r:.2}×"),
    };
    println!("| {name} | {median:.2?} | {p99:.2?} | {ratio} |");
}

/// Median of `a` over median of `b`.
pub fn ratio(a: (Duration, Duration), b: (Duration, Duration)) -> f64 {
    a.0.as_secs_f64() / b.0.as_secs_f64()
}

/// The workspace's target directory (where `./dev bench` puts the plugins, under `plugins/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")))
}

/// Start the demo city (as `./dev demo` does: embedded SQLite in `dir`, Kaifeng's tenants, the
/// built plugins, the demo data) on a free port; its URL.
pub async fn start_demo(dir: &Path) -> String {
    let (keys, index) = PiiKeys::generate();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        tenants_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/../tenants").into(),
        plugins_dir: target_dir().join("plugins"),
        pii_keys: Some(PiiKeys::parse(&keys, &index).unwrap()),
        seed: Seed::Always,
        sweep_interval: Duration::from_secs(24 * 3600),
        ..Config::local()
    };
    let app = Application::build(config).await.unwrap();
    gigmarket::demo::seed(&app).await.unwrap();
    let url = app.url();
    tokio::spawn(app.run_until_stopped());
    url
}
