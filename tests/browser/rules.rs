//! The rules console in a real browser: a county administrator on a desktop uploads a component,
//! dry-runs it against the county's recorded decisions, reads the diff and binds it, by clicking.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::{day, staff};
use gigmarket_e2e::{TestApp, db_tests, target_dir};
use serde_json::json;

db_tests!(a_county_admin_uploads_dry_runs_and_binds_a_component);

fn date(y: i32, m: u8, d: u8) -> serde_json::Value {
    json!({"year": y, "month": m, "day": d})
}

/// Two recorded subsidy decisions of 兰考县 (its own formula), for the dry-run to compare.
async fn record_subsidies(app: &TestApp) {
    for matches in [120, 640] {
        let figures = json!({
            "kind": "County", "period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31),
            "people_served": 1200, "matches": matches, "trainings": 4, "rights_cases": 5,
            "rights_cases_closed_in_time": 5, "ledger_days": 30, "open_days": 31,
            "satisfaction": 4.6, "operating_cost_cents": 6_000_000, "is_government_run": true
        });
        let input = json!({"today": date(2026, 11, 28), "figures": figures});
        let (status, body) =
            app.admin_post("/api/v1/tenants/lankao/slots/subsidy/invoke", &input).await;
        assert_eq!(status, 200, "{body}");
    }
}

async fn a_county_admin_uploads_dry_runs_and_binds_a_component(app: TestApp) {
    record_subsidies(&app).await;
    // Uploading is the city's to grant: county administrators may read plugins by default.
    let grant = json!({"role": "county_admin", "object": "plugins", "action": "write"});
    let (status, body) = app.admin_post("/api/v1/authz/policies", &grant).await;
    assert!(status == 200 || status == 201, "{body}");
    staff(&app, "13900000201", "county_admin", "lankao").await;
    let file = target_dir().join("wasm32-wasip2/plugin/fixture_greedy_subsidy.wasm");
    let file = file.canonicalize().expect("the fixture is built by ./dev test");

    let b = Browser::open(&app, Viewport::Desktop).await;
    b.goto("/login?next=/console/lankao/rules").await;
    b.fill("#phone", "13900000201").await;
    b.fill("#password", "staff2026pw").await;
    b.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(b.path().await, "/console/lankao/rules");
    b.assert_clean().await;
    b.snap("rules-desktop").await;
    assert!(b.text("tr[data-slot='matching']").await.contains("继承自 开封市零工市场"));

    b.fill("#plugin-name", "兰考_试行补贴").await;
    b.find("#plugin-file").await.send_keys(file.to_str().unwrap()).await.unwrap();
    b.click("#upload button[type=submit]").await;
    assert!(
        b.path().await.starts_with("/console/lankao/rules/subsidy?uploaded="),
        "{}",
        b.path().await
    );
    assert!(b.text(".notice").await.contains("组件已上传"));
    b.assert_clean().await;

    b.click("#dry-run-form button[type=submit]").await;
    assert_eq!(b.path().await, "/console/lankao/rules/subsidy/dry-run");
    let summary = b.text(".report").await;
    assert!(summary.contains("共对比 2 条决定,结果变化 2 条"), "{summary}");
    assert_eq!(b.all("table.diff tr.changed").await.len(), 2);
    assert!(
        b.text("table.diff tr.changed td.after").await.contains("0元"),
        "the candidate's total"
    );
    b.assert_clean().await;
    b.snap("dry-run-desktop").await;

    b.click("a.button[href='/console/lankao/rules/subsidy']").await;
    let uploaded =
        b.eval("return document.querySelector('#dry-plugin option:nth-child(2)').value;").await;
    let hash = uploaded.as_str().unwrap().to_string();
    b.select("#bind-plugin", &hash).await;
    let later = day(10);
    b.eval(&format!("document.querySelector('#bind-date').value = '{later}'; return true;")).await;
    b.fill("#bind-note", "试行一个月").await;
    b.click("#bind-form button[type=submit]").await;
    assert_eq!(b.path().await, "/console/lankao/rules/subsidy?bound=2");
    let row = b.text("tr[data-version='2']").await;
    assert!(
        row.contains("兰考_试行补贴") && row.contains("待生效") && row.contains("试行一个月"),
        "{row}"
    );
    b.assert_clean().await;
    b.close().await;

    let (_, slots) = app.get_json("/api/v1/tenants/lankao/slots").await;
    let subsidy =
        slots["slots"].as_array().unwrap().iter().find(|s| s["slot"] == "subsidy").unwrap();
    assert_eq!(subsidy["versions"][1]["plugin_hash"], hash.as_str(), "{subsidy}");
    assert_eq!(subsidy["versions"][1]["effective_from"], later.as_str());
}
