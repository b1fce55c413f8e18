//! Plugin runtime benchmarks. Run with `./dev bench` (which builds the plugins first); the
//! figures go into docs/benchmarks.md.
//!
//! 1. a small call (the naming plugin on one name), pooling vs on-demand instantiation;
//! 2. matching 10,000 candidates in one call, Wasm vs the same scoring compiled natively;
//! 3. loading a component from the artifact cache vs compiling it.

mod common;

use std::hint::black_box;
use std::path::PathBuf;

use common::{header, measure, ratio, row};

use gigmarket::plugins::bindings::matching::MatchRequest;
use gigmarket::plugins::bindings::matching::gigmarket::plugins::matching_types::{Candidate, JobFeatures};
use gigmarket::plugins::bindings::naming::NameRequest;
use gigmarket::plugins::bindings::types::{Date, TenantInfo, TenantKind};
use gigmarket::plugins::runtime::RuntimeSettings;
use gigmarket::plugins::slots::{MatchingWorld, NamingWorld};
use gigmarket::plugins::{CallContext, Runtime};

fn main() {
    let dir = plugin_dir();
    let naming = std::fs::read(dir.join("city_naming.wasm")).expect("build the plugins first: ./dev bench");
    let matching = std::fs::read(dir.join("city_matching.wasm")).expect("city_matching.wasm");
    header();
    small_call(&naming);
    matching_10k(&matching);
    load_vs_compile(&matching);
}

fn plugin_dir() -> PathBuf {
    common::target_dir().join("plugins")
}

fn ctx() -> CallContext {
    let tenant = TenantInfo { code: "kaifeng".into(), kind: TenantKind::City, name: "开封市零工市场".into(), region_code: "410200".into() };
    CallContext { tenant, config: "{}".into() }
}

fn small_call(bytes: &[u8]) {
    let request = NameRequest { kind: TenantKind::Station, name: "兰阳街道零工驿站".into(), region_name: None, parent_name: None };
    let mut results = Vec::new();
    for pooling in [true, false] {
        let rt = Runtime::new(RuntimeSettings { pooling, ..Default::default() }, None).unwrap();
        let plugin = rt.load(bytes).unwrap();
        let ctx = ctx();
        results.push(measure(20_000, || {
            black_box(rt.call::<NamingWorld>(&plugin, &ctx, &request).unwrap());
        }));
    }
    row("naming call (fresh instance per call), pooling allocator", results[0], None);
    row("naming call (fresh instance per call), on-demand allocator", results[1], Some(ratio(results[1], results[0])));
}

fn candidates(n: usize) -> Vec<Candidate> {
    (0..n)
        .map(|i| Candidate {
            skill_match: [1.0, 0.5, 0.0][i % 3],
            skill_level: (i % 6) as u8,
            distance_km: (i % 50) as f32 * 0.7,
            wage_expectation_cents_per_day: 15_000 + (i % 20) as i64 * 500,
            rating: 3.0 + (i % 5) as f32 * 0.5,
            rating_count: (i % 40) as u32,
            completed_jobs: (i % 30) as u32,
            no_shows: (i % 7 == 0) as u32,
            has_health_certificate: i % 2 == 0,
        })
        .collect()
}

fn matching_10k(bytes: &[u8]) {
    let rt = Runtime::new(RuntimeSettings::default(), None).unwrap();
    let plugin = rt.load(bytes).unwrap();
    let ctx = ctx();
    let host_request = MatchRequest {
        today: Date { year: 2026, month: 11, day: 28 },
        job: JobFeatures { required_level: 2, wage_cents_per_day: 20_000, requires_health_certificate: false },
        candidates: candidates(10_000),
    };
    let wasm = measure(50, || {
        black_box(rt.call::<MatchingWorld>(&plugin, &ctx, &host_request).unwrap());
    });
    // The same scoring, compiled natively from the plugin crate.
    let native_request = to_native(&host_request);
    let weights = city_matching::DEFAULT_WEIGHTS;
    let native = measure(50, || {
        black_box(city_matching::score_all(&native_request, &weights));
    });
    let fuel = rt.call::<MatchingWorld>(&plugin, &ctx, &host_request).unwrap().fuel_used;
    row("matching 10,000 candidates, native", native, None);
    row(&format!("matching 10,000 candidates, Wasm ({fuel} fuel)"), wasm, Some(ratio(wasm, native)));
}

fn load_vs_compile(bytes: &[u8]) {
    let cache = tempfile::tempdir().unwrap();
    let compile = measure(10, || {
        let rt = Runtime::new(RuntimeSettings { pooling: false, ..Default::default() }, None).unwrap();
        black_box(rt.load(bytes).unwrap());
    });
    Runtime::new(RuntimeSettings { pooling: false, ..Default::default() }, Some(cache.path())).unwrap().load(bytes).unwrap();
    let cached = measure(10, || {
        let rt = Runtime::new(RuntimeSettings { pooling: false, ..Default::default() }, Some(cache.path())).unwrap();
        black_box(rt.load(bytes).unwrap());
        assert_eq!(rt.stats().compiled, 0);
    });
    row("load city_matching: compile (engine + compile + detect)", compile, None);
    row("load city_matching: from the artifact cache (engine + load + detect)", cached, Some(ratio(cached, compile)));
}

/// The same request as the plugin crate's own (guest-side) types.
fn to_native(r: &MatchRequest) -> city_matching::MatchRequest {
    use city_matching::gigmarket::plugins::{matching_types as m, types as t};
    m::MatchRequest {
        today: t::Date { year: r.today.year, month: r.today.month, day: r.today.day },
        job: m::JobFeatures { required_level: r.job.required_level, wage_cents_per_day: r.job.wage_cents_per_day, requires_health_certificate: r.job.requires_health_certificate },
        candidates: r
            .candidates
            .iter()
            .map(|c| m::Candidate {
                skill_match: c.skill_match,
                skill_level: c.skill_level,
                distance_km: c.distance_km,
                wage_expectation_cents_per_day: c.wage_expectation_cents_per_day,
                rating: c.rating,
                rating_count: c.rating_count,
                completed_jobs: c.completed_jobs,
                no_shows: c.no_shows,
                has_health_certificate: c.has_health_certificate,
            })
            .collect(),
    }
}
