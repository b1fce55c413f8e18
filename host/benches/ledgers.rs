//! Ledger benchmarks (issue 12). Run with `./dev bench`; the figures go into docs/benchmarks.md.
//!
//! A real host serves the demo city (as `./dev demo` does). 兰考县 gets a busy day first:
//! `CHECK_INS` more workers register and scan its check-in code, so its labour-supply ledger has
//! that many automatic rows more. Then, over HTTP as 兰考县's administrator: the day's ledger
//! while it is open (its automatic rows derived from the records on every read) against the same
//! day after the close (the rows as stored), the five-sheet workbook of the last week, and the
//! close itself (once: it can only happen once a day).

mod common;

use std::time::Instant;

use common::{header, measure, ratio, row};
use serde_json::{Value, json};

const RUNS: usize = 100;
const CHECK_INS: usize = 150;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let data = tempfile::tempdir().unwrap();
    let url = rt.block_on(common::start_demo(data.path()));
    let client = reqwest::Client::new();
    rt.block_on(busy_day(&client, &url));
    let clerk = rt.block_on(login(&client, &url, "13800000002"));
    let rt = &rt;
    let get = |path: String| {
        let (client, url, clerk) = (&client, &url, &clerk);
        move || {
            rt.block_on(async {
                let r = client.get(format!("{url}{path}")).bearer_auth(clerk).send().await.unwrap();
                assert!(r.status().is_success(), "{path}: {}", r.status());
                r.bytes().await.unwrap();
            })
        }
    };
    let supply = "/api/v1/tenants/lankao/ledgers/labour-supply".to_string();
    let rows = rt.block_on(row_count(&client, &url, &clerk, &supply));

    println!(
        "## 兰考县's ledgers on a busy day ({rows} labour-supply rows; {RUNS} requests each)\n"
    );
    header();
    let open = measure(RUNS, get(supply.clone()));
    let week = format!("/api/v1/tenants/lankao/ledgers.xlsx?from={}", days_ago(6));
    let workbook = measure(RUNS / 4, get(week));
    let started = Instant::now();
    rt.block_on(close_today(&client, &url, &clerk));
    let close = started.elapsed();
    let closed = measure(RUNS, get(supply));
    row("GET labour-supply, the day closed (stored rows; baseline)", closed, None);
    row("GET labour-supply, the day open (derived live)", open, Some(ratio(open, closed)));
    row("GET ledgers.xlsx, five sheets, the last 7 days", workbook, Some(ratio(workbook, closed)));
    println!("| POST ledgers/close (all five, once) | {close:.2?} | — | — |");
    std::mem::forget(data);
}

/// China's date `n` days before today (the demo host runs on the real clock).
fn days_ago(n: i64) -> String {
    let today = gigmarket::clock::china_date(chrono::Utc::now());
    (today - chrono::Duration::days(n)).to_string()
}

async fn login(client: &reqwest::Client, url: &str, phone: &str) -> String {
    let body = json!({"phone": phone, "password": gigmarket::demo::DEMO_PASSWORD});
    let r = client.post(format!("{url}/api/v1/auth/login")).json(&body).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["token"].as_str().unwrap_or_else(|| panic!("login {phone}: {v}")).to_string()
}

/// `CHECK_INS` new workers register and check in at 兰考县.
async fn busy_day(client: &reqwest::Client, url: &str) {
    for n in 0..CHECK_INS {
        let phone = format!("1350000{n:04}");
        let body =
            json!({"phone": phone, "password": gigmarket::demo::DEMO_PASSWORD, "kind": "worker"});
        let r = client.post(format!("{url}/api/v1/auth/register")).json(&body).send().await;
        assert!(r.unwrap().status().is_success(), "register {phone}");
        let token = login(client, url, &phone).await;
        let r = client
            .post(format!("{url}/api/v1/tenants/lankao/check-ins"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "check-in {phone}: {}", r.status());
    }
}

async fn row_count(client: &reqwest::Client, url: &str, token: &str, path: &str) -> usize {
    let r = client.get(format!("{url}{path}")).bearer_auth(token).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["days"][0]["rows"].as_array().map_or(0, Vec::len)
}

async fn close_today(client: &reqwest::Client, url: &str, token: &str) {
    let body = json!({"date": days_ago(0)});
    let r = client
        .post(format!("{url}/api/v1/tenants/lankao/ledgers/close"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "close: {}", r.text().await.unwrap());
}
