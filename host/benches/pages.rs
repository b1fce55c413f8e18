//! Web page benchmarks (issue 11's budget). Run with `./dev bench` (which builds the plugins
//! first); the figures go into docs/benchmarks.md.
//!
//! A real host serves the demo city (embedded SQLite, Kaifeng's tenants, default plugins, the
//! demo data, as `./dev demo` does) on a free port; each page is fetched over HTTP on one
//! keep-alive connection, so a figure is the server's time plus a loopback round trip. The JSON
//! feed (`GET /api/v1/jobs`) is the baseline the pages are compared with. Then each worker page's
//! weight over the wire (gzip, as a browser asks), with the site's own stylesheet, script and
//! icon, and without the vendored htmx, which is cached for a year under its content hash.

mod common;

use common::{header, measure, ratio, row};
use gigmarket::web::assets;

const RUNS: usize = 200;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let data = tempfile::tempdir().unwrap();
    let url = rt.block_on(common::start_demo(data.path()));
    let client = reqwest::Client::new();
    let rt = &rt;
    let get = |path: &str| {
        let (client, url) = (&client, &url);
        let path = path.to_string();
        move || {
            rt.block_on(async {
                let r = client.get(format!("{url}{path}")).send().await.unwrap();
                assert!(r.status().is_success(), "{path}: {}", r.status());
                r.bytes().await.unwrap();
            })
        }
    };
    let job = rt.block_on(first_job(&client, &url));

    println!("## Web pages on the demo city ({RUNS} requests each)\n");
    header();
    let json = measure(RUNS, get("/api/v1/jobs"));
    row("GET /api/v1/jobs (JSON feed, first page)", json, None);
    for (name, path) in [
        ("GET / (the feed page)", "/".to_string()),
        ("GET /?q=装卸 (a keyword search)", "/?q=%E8%A3%85%E5%8D%B8".to_string()),
        ("GET /?near=410225 (around 兰考县)", "/?near=410225".to_string()),
        ("GET /jobs/{id} (a post)", format!("/jobs/{job}")),
        ("GET /markets/lankao (service-catalog plugin call)", "/markets/lankao".to_string()),
    ] {
        let timed = measure(RUNS, get(&path));
        row(name, timed, Some(ratio(timed, json)));
    }

    println!("\n## Worker page weight over the wire (gzip)\n");
    println!("| page | HTML | + own assets | total |\n|---|---|---|---|");
    let own = rt.block_on(own_assets(&client, &url));
    for path in ["/", &format!("/jobs/{job}"), "/markets/lankao", "/login"] {
        let html = rt.block_on(gzipped(&client, &url, path));
        println!("| `{path}` | {} | {} | {} |", kb(html), kb(own), kb(html + own));
    }
    std::mem::forget(data);
}

async fn first_job(client: &reqwest::Client, url: &str) -> String {
    let feed: serde_json::Value =
        client.get(format!("{url}/api/v1/jobs")).send().await.unwrap().json().await.unwrap();
    feed["jobs"][0]["id"].as_str().unwrap().to_string()
}

/// Bytes of `path` as sent to a browser that accepts gzip.
async fn gzipped(client: &reqwest::Client, url: &str, path: &str) -> usize {
    let r =
        client.get(format!("{url}{path}")).header("accept-encoding", "gzip").send().await.unwrap();
    r.bytes().await.unwrap().len()
}

/// The site's own assets (not the vendored libraries), gzipped.
async fn own_assets(client: &reqwest::Client, url: &str) -> usize {
    let mut total = 0;
    for name in ["app.css", "app.js", "favicon.svg"] {
        total += gzipped(client, url, &assets::url(name)).await;
    }
    total
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
