//! Hostile components: each misbehaviour becomes its own structured error in well under a
//! second, while calls for other tenants keep succeeding, and the host keeps serving.

use std::time::{Duration, Instant};

use gigmarket::plugins::{Slot, SlotLimits};
use gigmarket_e2e::{Backend, TestApp, assert_error, component, spawn_with};
use reqwest::Method;
use serde_json::{Value, json};

/// A host whose matching slot has tight limits, so runaway plugins are stopped fast.
async fn host(limits: SlotLimits) -> TestApp {
    spawn_with(Backend::Sqlite, |c| {
        c.plugin_runtime.limits.insert(Slot::Matching, limits);
    })
    .await
}

/// Fuel stops a runaway plugin here; the deadline is far enough that a busy machine cannot make
/// a fuel test end by timeout instead.
const TIGHT: SlotLimits = SlotLimits {
    fuel: 200_000_000,
    deadline_ms: 30_000,
    memory_bytes: 64 << 20,
    output_bytes: 4 << 20,
};

fn match_input() -> Value {
    let candidate = json!({"skill_match": 1.0, "skill_level": 2, "distance_km": 1.0, "wage_expectation_cents_per_day": 18000,
        "rating": 4.5, "rating_count": 10, "completed_jobs": 8, "no_shows": 0, "has_health_certificate": false});
    json!({"today": {"year": 2026, "month": 11, "day": 28},
        "job": {"required_level": 1, "wage_cents_per_day": 20000, "requires_health_certificate": false},
        "candidates": [candidate.clone(), candidate]})
}

/// Bind the hostile fixture to 杞县's matching slot in `mode`.
async fn bind_hostile(app: &TestApp, mode: &str) {
    let (status, uploaded) = app.upload(component("fixture_hostile"), "hostile").await;
    assert!(status == 201 || status == 200, "{uploaded}");
    let body = json!({"plugin": uploaded["hash"], "config": {"mode": mode}});
    let (status, bound) =
        app.admin_send(Method::PUT, "/api/v1/tenants/qixian/slots/matching", &body).await;
    assert_eq!(status, 201, "{bound}");
}

/// Invoke the hostile plugin while other tenants' calls run alongside; return its error body.
async fn misbehave(app: &TestApp, mode: &str, expected_code: &str) -> Value {
    bind_hostile(app, mode).await;
    let input = match_input();
    let start = Instant::now();
    let hostile = app.admin_post("/api/v1/tenants/qixian/slots/matching/invoke", &input);
    let others = async {
        let mut results = Vec::new();
        for tenant in ["lankao", "gulou", "weishi", "kaifeng-housekeeping"] {
            results.push(
                app.admin_post(
                    &format!("/api/v1/tenants/{tenant}/slots/matching/invoke"),
                    &match_input(),
                )
                .await,
            );
        }
        results
    };
    let ((status, body), others) = tokio::join!(hostile, others);
    let elapsed = start.elapsed();
    assert_eq!(status, 502, "{mode}: {body}");
    assert_error(&body, expected_code);
    // Generous: the point is "ends promptly, never hangs", not a latency figure.
    assert!(elapsed < Duration::from_secs(10), "{mode} took {elapsed:?}");
    for (status, body) in others {
        assert_eq!(status, 200, "another tenant's call failed during {mode}: {body}");
    }
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200, "the host keeps serving after {mode}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_infinite_loop_runs_out_of_fuel() {
    misbehave(&host(TIGHT).await, "loop", "plugin_fuel_exhausted").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_infinite_loop_with_fuel_to_spare_misses_its_deadline() {
    let app = host(SlotLimits { fuel: u64::MAX / 2, deadline_ms: 200, ..TIGHT }).await;
    misbehave(&app, "loop", "plugin_timeout").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gigabyte_allocation_is_refused() {
    misbehave(&host(TIGHT).await, "alloc", "plugin_memory").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deep_recursion_traps_on_the_stack_limit() {
    let body = misbehave(&host(TIGHT).await, "recurse", "plugin_trap").await;
    // Rust keeps large frames on a shadow stack in linear memory, which overflows first; small
    // frames exhaust wasm's own call stack. Either way the guest traps.
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("call stack exhausted") || message.contains("out of bounds memory access"),
        "{body}"
    );
}

/// The plugin kit reports a panic's message through `host.log` (the standard handler would reach
/// for WASI and hide it behind "unknown import"), and the trap shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panic_is_a_trap_that_says_why() {
    let body = misbehave(&host(TIGHT).await, "panic", "plugin_trap").await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("panicked at") && message.contains("hostile plugin panics on purpose"),
        "{body}"
    );
    assert!(!message.contains("wasi:cli"), "{body}");
}

/// A 6 MB output against a 4 MiB cap is refused while it is being copied out of the plugin, not
/// after the host has copied all of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_huge_output_is_refused_before_it_is_copied() {
    let body = misbehave(&host(TIGHT).await, "huge-output", "plugin_output_too_large").await;
    assert!(
        body["error"]["message"].as_str().unwrap().contains("refused before copying"),
        "{body}"
    );
}

/// Results that differ between CPUs unless the engine makes them deterministic: a NaN computed
/// at run time comes out canonical (x86 would give its sign-bit "indefinite" NaN), relaxed-SIMD
/// truncation saturates (x86's fast path gives i32::MIN for NaN and out-of-range lanes), and a
/// relaxed multiply-add is fused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn floating_point_results_are_the_same_on_every_cpu() {
    let app = host(TIGHT).await;
    bind_hostile(&app, "float-bits").await;
    let (status, body) =
        app.admin_post("/api/v1/tenants/qixian/slots/matching/invoke", &match_input()).await;
    assert_eq!(status, 200, "{body}");
    let bits: Vec<(&str, &str)> = body["output"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        bits,
        [
            ("nan64", "7ff8000000000000"),
            ("trunc", "[0, 2147483647, -2147483648, -1]"),
            ("madd", "33800000")
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn more_scores_than_candidates_is_invalid_output() {
    let body = misbehave(&host(TIGHT).await, "too-many-scores", "plugin_invalid_output").await;
    assert!(
        body["error"]["message"].as_str().unwrap().contains("3 scores for 2 candidates"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_score_that_is_not_finite_is_invalid_output() {
    misbehave(&host(TIGHT).await, "nan-score", "plugin_invalid_output").await;
}

/// No WASI capability is granted: the file system and the clock are traps.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn files_and_clocks_are_not_reachable() {
    let app = host(TIGHT).await;
    misbehave(&app, "read-file", "plugin_trap").await;
    misbehave(&app, "clock", "plugin_trap").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_well_behaved_mode_of_the_same_plugin_works() {
    let app = host(TIGHT).await;
    bind_hostile(&app, "ok").await;
    let (status, body) =
        app.admin_post("/api/v1/tenants/qixian/slots/matching/invoke", &match_input()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["output"]["scores"].as_array().unwrap().len(), 2);
}

/// A restart keeps the bindings and loads compiled plugins from the cache instead of compiling.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_keeps_bindings_and_does_not_recompile() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_path_buf();
    let app = spawn_with(Backend::Sqlite, move |c| c.plugin_cache_dir = Some(cache_dir)).await;
    bind_hostile(&app, "ok").await;
    let (_, before) = app.get_json("/api/v1/tenants/qixian/slots").await;
    let (_, stats) = app.admin_get("/api/v1/plugins/runtime").await;
    assert!(
        stats["compiled"].as_u64().unwrap() >= 11,
        "a fresh cache compiles every plugin: {stats}"
    );

    let app = app.restart().await;
    let (_, after) = app.get_json("/api/v1/tenants/qixian/slots").await;
    assert_eq!(before, after, "bindings survive the restart");
    let (status, _) =
        app.admin_post("/api/v1/tenants/qixian/slots/matching/invoke", &match_input()).await;
    assert_eq!(status, 200);
    let (status, _) = app.admin_post("/api/v1/tenants/lankao/slots/subsidy/invoke", &json!({"today": {"year": 2026, "month": 11, "day": 28},
        "figures": {"kind": "County", "period_start": {"year": 2026, "month": 10, "day": 1}, "period_end": {"year": 2026, "month": 10, "day": 31},
        "people_served": 10, "matches": 5, "trainings": 0, "rights_cases": 0, "rights_cases_closed_in_time": 0, "ledger_days": 31,
        "open_days": 31, "satisfaction": 4.0, "operating_cost_cents": 0, "is_government_run": true}})).await;
    assert_eq!(status, 200);
    let (_, stats) = app.admin_get("/api/v1/plugins/runtime").await;
    assert_eq!(stats["compiled"], 0, "nothing is recompiled after a restart: {stats}");
    assert_eq!(stats["cache_hits"], 2, "{stats}");
    app.stop().await;
}
