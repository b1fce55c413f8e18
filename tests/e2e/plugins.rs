//! Plugins through the real host: every slot served, inheritance, lifecycle, receipts, replay,
//! dry-run, tenant naming by plugin, and hostile components.

use gigmarket_e2e::{TestApp, assert_error, component, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    every_slot_of_the_city_is_served_by_a_real_plugin,
    a_county_plugin_and_a_station_inheriting_it_answer_through_invoke,
    weishi_weighs_distance_and_cuts_off_far_candidates,
    a_discriminatory_posting_is_rejected_with_a_receipt_that_replays,
    the_construction_market_demands_certificates,
    bind_activate_list_versions_and_roll_back,
    an_activation_can_wait_for_its_effective_date,
    effective_dates_outside_the_plausible_range_are_refused,
    dry_run_shows_how_a_candidate_would_have_decided,
    tenants_are_created_and_renamed_under_the_naming_plugin,
    bad_uploads_are_refused_with_clear_errors,
    bad_inputs_and_missing_tokens_are_refused,
    the_catalog_keeps_the_mandatory_services,
);

fn date(y: i32, m: u8, d: u8) -> Value {
    json!({"year": y, "month": m, "day": d})
}

fn figures(kind: &str, matches: u32) -> Value {
    json!({
        "kind": kind, "period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31),
        "people_served": 1200, "matches": matches, "trainings": 4, "rights_cases": 5,
        "rights_cases_closed_in_time": 5, "ledger_days": 30, "open_days": 31, "satisfaction": 4.6,
        "operating_cost_cents": 6_000_000, "is_government_run": true
    })
}

fn subsidy_input(kind: &str, matches: u32) -> Value {
    json!({"today": date(2026, 11, 28), "figures": figures(kind, matches)})
}

fn posting(title: &str, requirements: &[&str]) -> Value {
    json!({
        "today": date(2026, 11, 28),
        "posting": {
            "title": title, "description": "开封市鼓楼区仓库临时装卸,日结", "occupation_code": "4-02-05-01",
            "occupation_name": "装卸搬运工", "headcount": 5, "wage_cents": 20000, "wage_unit": "Day",
            "settlement": "Daily", "daily_hours": 8.0, "work_start": date(2026, 12, 1), "work_end": date(2026, 12, 5),
            "district": "鼓楼区", "address": "开封市鼓楼区某仓库", "min_age": null, "max_age": null,
            "requirements": requirements, "qualifications": [], "charges_worker_fee": false,
            "employer_verified": true, "employer_recent_postings": 2
        }
    })
}

fn candidate(skill_match: f64, distance_km: f64) -> Value {
    json!({
        "skill_match": skill_match, "skill_level": 2, "distance_km": distance_km,
        "wage_expectation_cents_per_day": 18000, "rating": 4.5, "rating_count": 10,
        "completed_jobs": 8, "no_shows": 0, "has_health_certificate": false
    })
}

fn match_input(candidates: Vec<Value>) -> Value {
    json!({
        "today": date(2026, 11, 28),
        "job": {"required_level": 1, "wage_cents_per_day": 20000, "requires_health_certificate": false},
        "candidates": candidates
    })
}

async fn invoke(app: &TestApp, tenant: &str, slot: &str, input: &Value) -> Value {
    let (status, body) =
        app.admin_post(&format!("/api/v1/tenants/{tenant}/slots/{slot}/invoke"), input).await;
    assert_eq!(status, 200, "{tenant}/{slot}: {body}");
    body
}

async fn slots_of(app: &TestApp, tenant: &str) -> Vec<Value> {
    let (status, body) = app.get_json(&format!("/api/v1/tenants/{tenant}/slots")).await;
    assert_eq!(status, 200, "{body}");
    body["slots"].as_array().unwrap().clone()
}

fn slot<'a>(slots: &'a [Value], name: &str) -> &'a Value {
    slots.iter().find(|s| s["slot"] == name).unwrap_or_else(|| panic!("slot {name} missing"))
}

async fn hash_of(app: &TestApp, name: &str) -> String {
    let (_, body) = app.admin_get("/api/v1/plugins").await;
    let plugins = body["plugins"].as_array().unwrap();
    let plugin = plugins
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("plugin {name} not stored"));
    plugin["hash"].as_str().unwrap().to_string()
}

async fn every_slot_of_the_city_is_served_by_a_real_plugin(app: TestApp) {
    let slots = slots_of(&app, "kaifeng").await;
    assert_eq!(slots.len(), 6);
    for s in &slots {
        assert_eq!(s["active"]["from_tenant"], "kaifeng", "{s}");
        assert_eq!(s["inherited"], false);
        assert_eq!(s["active"]["binding"]["plugin_hash"].as_str().unwrap().len(), 64);
    }
    // Each slot answers through its real plugin, with the figure that slot decides.
    let naming = invoke(&app, "kaifeng", "naming", &json!({"kind": "Station", "name": "兰阳街道零工驿站", "region_name": null, "parent_name": "兰考县零工市场"})).await;
    assert_eq!(naming["output"]["accepted"], true);
    assert_eq!(naming["decision_id"], Value::Null, "naming is not a consequential decision");
    let catalog = invoke(
        &app,
        "kaifeng",
        "service-catalog",
        &json!({"today": date(2026, 11, 28), "kind": "City"}),
    )
    .await;
    assert!(catalog["output"]["items"].as_array().unwrap().len() >= 3, "{catalog}");
    let review =
        invoke(&app, "kaifeng", "posting-review", &posting("仓库装卸工", &["能吃苦"])).await;
    assert_eq!(review["output"]["decision"], "Accept", "{review}");
    let ranked = invoke(
        &app,
        "kaifeng",
        "matching",
        &match_input(vec![candidate(1.0, 2.0), candidate(0.0, 2.0)]),
    )
    .await;
    let scores = ranked["output"]["scores"].as_array().unwrap();
    assert!(scores[0]["score"].as_f64() > scores[1]["score"].as_f64(), "skill counts: {ranked}");
    let subsidy = invoke(&app, "kaifeng", "subsidy", &subsidy_input("County", 300)).await;
    assert!(subsidy["output"]["total_cents"].as_i64().unwrap() > 0, "{subsidy}");
    let eval = invoke(
        &app,
        "kaifeng",
        "evaluation",
        &json!({"today": date(2026, 11, 28), "figures": figures("County", 400)}),
    )
    .await;
    let score = eval["output"]["score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score), "{eval}");
    for receipt in [&review, &ranked, &subsidy, &eval] {
        assert!(
            receipt["decision_id"].is_string(),
            "consequential decisions keep a receipt: {receipt}"
        );
    }
}

async fn a_county_plugin_and_a_station_inheriting_it_answer_through_invoke(app: TestApp) {
    let city = invoke(&app, "kaifeng", "subsidy", &subsidy_input("County", 300)).await;
    let county = invoke(&app, "lankao", "subsidy", &subsidy_input("County", 300)).await;
    assert_eq!(county["from_tenant"], "lankao");
    assert_ne!(city["plugin_hash"], county["plugin_hash"]);
    assert_ne!(
        city["output"]["total_cents"], county["output"]["total_cents"],
        "兰考县 has its own formula"
    );

    let station = invoke(&app, "lankao-lanyang", "subsidy", &subsidy_input("Station", 40)).await;
    assert_eq!(station["from_tenant"], "lankao", "the station inherits its county's rule");
    assert_eq!(station["plugin_hash"], county["plugin_hash"]);
    let codes: Vec<&str> = station["output"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"subsidy.station-base"),
        "the county formula pays stations a base: {codes:?}"
    );

    let slots = slots_of(&app, "lankao-lanyang").await;
    assert_eq!(slot(&slots, "subsidy")["active"]["from_tenant"], "lankao");
    assert_eq!(slot(&slots, "naming")["active"]["from_tenant"], "kaifeng");
    assert!(
        slots
            .iter()
            .all(|s| s["inherited"] == true && s["versions"].as_array().unwrap().is_empty())
    );
}

/// 尉氏县 weighs distance over skill where the city does the opposite: the same two workers come
/// out in opposite orders, and a worker beyond 尉氏县's cut-off is left out.
async fn weishi_weighs_distance_and_cuts_off_far_candidates(app: TestApp) {
    // 0: the right occupation, 8 km away; 1: a related one, next door; 2: 40 km away.
    let input = match_input(vec![candidate(1.0, 8.0), candidate(0.5, 0.5), candidate(1.0, 40.0)]);
    let order = |out: &Value| -> Vec<u64> {
        let mut scores: Vec<(u64, f64)> = out["output"]["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["candidate"].as_u64().unwrap(), s["score"].as_f64().unwrap()))
            .collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        scores.into_iter().map(|(c, _)| c).filter(|c| *c != 2).collect()
    };
    let city = invoke(&app, "kaifeng", "matching", &input).await;
    let weishi = invoke(&app, "weishi", "matching", &input).await;
    assert_eq!(order(&city), [0, 1], "the city puts skill first: {city}");
    assert_eq!(order(&weishi), [1, 0], "尉氏县 puts distance first: {weishi}");
    let kept: Vec<u64> = weishi["output"]["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["candidate"].as_u64().unwrap())
        .collect();
    assert!(!kept.contains(&2), "the worker 40 km away is beyond 尉氏县's cut-off: {kept:?}");
    assert_eq!(city["output"]["scores"].as_array().unwrap().len(), 3, "the city keeps everyone");
    let reasons = weishi["output"]["reasons"].as_array().unwrap();
    let top = &weishi["output"]["scores"][0]["contributions"][0];
    assert!(
        reasons[top["reason"].as_u64().unwrap() as usize]["message"]
            .as_str()
            .unwrap()
            .contains("权重")
    );
    assert!(city["decision_id"].is_string(), "a shown ranking keeps a receipt");
}

async fn a_discriminatory_posting_is_rejected_with_a_receipt_that_replays(app: TestApp) {
    let fair =
        invoke(&app, "gulou", "posting-review", &posting("仓库装卸工", &["能吃苦", "不限男女"]))
            .await;
    assert_eq!(fair["output"]["decision"], "Accept", "{fair}");
    let biased = invoke(
        &app,
        "gulou",
        "posting-review",
        &posting("仓库装卸工", &["限男性", "本地户口优先"]),
    )
    .await;
    assert_eq!(biased["output"]["decision"], "Reject");
    let codes: Vec<&str> = biased["output"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"discrimination.gender")
            && codes.contains(&"discrimination.household-registration"),
        "{codes:?}"
    );

    let id = biased["decision_id"].as_str().unwrap();
    let (status, receipt) = app.admin_get(&format!("/api/v1/decisions/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(receipt["tenant_code"], "gulou");
    assert_eq!(receipt["plugin_hash"], biased["plugin_hash"]);
    assert!(receipt["fuel_used"].as_i64().unwrap() > 0);
    assert!(receipt["input"].as_str().unwrap().contains("限男性"));
    let (status, replay) =
        app.admin_post(&format!("/api/v1/decisions/{id}/replay"), &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(replay["identical"], true, "{replay}");
    assert_eq!(replay["replayed_fuel"], receipt["fuel_used"]);
    let (status, body) = app.admin_get("/api/v1/decisions/no-such-id").await;
    assert_eq!(status, 404);
    assert_error(&body, "decision_not_found");
}

async fn the_construction_market_demands_certificates(app: TestApp) {
    let mut input = posting("脚手架搭设", &["佩戴安全帽", "进场安全交底"]);
    input["posting"]["occupation_code"] = json!("6-29-01-05");
    input["posting"]["occupation_name"] = json!("架子工");
    input["posting"]["min_age"] = json!(18);
    let city = invoke(&app, "kaifeng", "posting-review", &input).await;
    let construction = invoke(&app, "kaifeng-construction", "posting-review", &input).await;
    assert_eq!(construction["output"]["decision"], "Reject", "{construction}");
    let codes: Vec<&str> = construction["output"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"construction.certificate-missing"), "{codes:?}");
    assert_ne!(
        city["output"]["decision"], "Reject",
        "the city's general rule does not know the trade: {city}"
    );
    input["posting"]["qualifications"] = json!(["建筑施工特种作业操作资格证"]);
    let certified = invoke(&app, "kaifeng-construction", "posting-review", &input).await;
    assert_ne!(certified["output"]["decision"], "Reject", "{certified}");
}

async fn bind_activate_list_versions_and_roll_back(app: TestApp) {
    let weishi = hash_of(&app, "weishi_matching").await;
    let city = hash_of(&app, "city_matching").await;
    let (status, v1) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/gulou/slots/matching",
            &json!({"plugin": city, "config": {"half_distance_km": 2}}),
        )
        .await;
    assert_eq!((status, v1["version"].as_i64()), (201, Some(1)), "{v1}");
    let (status, v2) = app
        .admin_send(Method::PUT, "/api/v1/tenants/gulou/slots/matching", &json!({"plugin": weishi}))
        .await;
    assert_eq!((status, v2["version"].as_i64()), (201, Some(2)));
    let active = |slots: Vec<Value>| slot(&slots, "matching")["active"]["binding"].clone();
    assert_eq!(active(slots_of(&app, "gulou").await)["plugin_hash"], weishi.as_str());

    let (status, v3) =
        app.admin_post("/api/v1/tenants/gulou/slots/matching/rollback", &json!({})).await;
    assert_eq!(status, 201, "{v3}");
    assert_eq!(
        (v3["version"].as_i64(), v3["plugin_hash"].as_str()),
        (Some(3), Some(city.as_str()))
    );
    assert_eq!(
        v3["config"], r#"{"half_distance_km":2}"#,
        "the rollback restores the configuration too"
    );
    let slots = slots_of(&app, "gulou").await;
    assert_eq!(active(slots.clone())["version"], 3);
    assert_eq!(slot(&slots, "matching")["versions"].as_array().unwrap().len(), 3);
    let out = invoke(&app, "gulou", "matching", &match_input(vec![candidate(1.0, 2.0)])).await;
    assert_eq!(
        (out["plugin_hash"].as_str(), out["version"].as_i64()),
        (Some(city.as_str()), Some(3))
    );

    let (status, body) =
        app.admin_post("/api/v1/tenants/shunhe/slots/matching/rollback", &json!({})).await;
    assert_eq!(status, 409);
    assert_error(&body, "nothing_to_roll_back");
    let (status, body) = app
        .admin_send(Method::PUT, "/api/v1/tenants/gulou/slots/subsidy", &json!({"plugin": city}))
        .await;
    assert_eq!(status, 422);
    assert_error(&body, "plugin_wrong_slot");
    let (status, body) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/gulou/slots/matching",
            &json!({"plugin": "ab".repeat(32)}),
        )
        .await;
    assert_eq!(status, 404);
    assert_error(&body, "plugin_not_found");
    let (status, body) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/gulou/slots/matchmaking",
            &json!({"plugin": city}),
        )
        .await;
    assert_eq!(status, 404);
    assert_error(&body, "slot_not_found");
}

async fn an_activation_can_wait_for_its_effective_date(app: TestApp) {
    let weishi = hash_of(&app, "weishi_matching").await;
    let (status, _) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/tongxu/slots/matching",
            &json!({"plugin": weishi, "effective_from": "2099-01-01"}),
        )
        .await;
    assert_eq!(status, 201);
    let slots = slots_of(&app, "tongxu").await;
    let matching = slot(&slots, "matching");
    assert_eq!(
        matching["active"]["from_tenant"], "kaifeng",
        "not in force before its date: {matching}"
    );
    assert_eq!(matching["versions"][0]["effective_from"], "2099-01-01");
    let (status, _) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/tongxu/slots/matching",
            &json!({"plugin": weishi, "effective_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        slot(&slots_of(&app, "tongxu").await, "matching")["active"]["from_tenant"],
        "tongxu"
    );
    let (status, body) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/tongxu/slots/matching",
            &json!({"plugin": weishi, "effective_from": "2026-13-01"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "effective_from");
}

/// Effective dates have one canonical form and a plausible range, and compare as dates: year
/// 10000 used to be stored as "+10000-01-01" and be in force at once ("+" < "2" as text).
async fn effective_dates_outside_the_plausible_range_are_refused(app: TestApp) {
    let weishi = hash_of(&app, "weishi_matching").await;
    for bad in [
        "+10000-01-01",
        "10000-01-01",
        "0000-01-01",
        "-0001-01-01",
        "1999-12-31",
        "2101-01-01",
        "2027-1-01",
        " 2027-01-01",
    ] {
        let (status, body) = app
            .admin_send(
                Method::PUT,
                "/api/v1/tenants/tongxu/slots/matching",
                &json!({"plugin": weishi, "effective_from": bad}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("effective_from")),
            "{bad:?}: {body}"
        );
        assert_error(&body, "invalid_date");
    }
    let matching = slot(&slots_of(&app, "tongxu").await, "matching").clone();
    assert_eq!(matching["versions"], json!([]), "nothing was bound: {matching}");
    let (status, _) = app
        .admin_send(
            Method::PUT,
            "/api/v1/tenants/tongxu/slots/matching",
            &json!({"plugin": weishi, "effective_from": "2100-12-31"}),
        )
        .await;
    assert_eq!(status, 201, "the last day of the range is a date");
    let matching = slot(&slots_of(&app, "tongxu").await, "matching").clone();
    assert_eq!(
        (
            matching["active"]["from_tenant"].as_str(),
            matching["versions"][0]["effective_from"].as_str()
        ),
        (Some("kaifeng"), Some("2100-12-31"))
    );
}

async fn dry_run_shows_how_a_candidate_would_have_decided(app: TestApp) {
    for matches in [100, 300, 900] {
        invoke(&app, "kaifeng", "subsidy", &subsidy_input("County", matches)).await;
    }
    let lankao = hash_of(&app, "lankao_subsidy").await;
    let (status, report) = app
        .admin_post(
            "/api/v1/tenants/kaifeng/slots/subsidy/dry-run",
            &json!({"plugin": lankao, "limit": 10}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["compared"], 3);
    assert_eq!(report["changed"], 3);
    for item in report["items"].as_array().unwrap() {
        assert_ne!(item["before"]["total_cents"], item["after"]["total_cents"], "{item}");
    }
    let city = hash_of(&app, "city_subsidy").await;
    let (_, same) = app
        .admin_post("/api/v1/tenants/kaifeng/slots/subsidy/dry-run", &json!({"plugin": city}))
        .await;
    assert_eq!(
        (same["compared"].as_u64(), same["changed"].as_u64()),
        (Some(3), Some(0)),
        "the active version changes nothing"
    );
    let (status, body) = app
        .admin_post(
            "/api/v1/tenants/kaifeng/slots/subsidy/dry-run",
            &json!({"plugin": hash_of(&app, "city_matching").await}),
        )
        .await;
    assert_eq!(status, 422);
    assert_error(&body, "plugin_wrong_slot");
}

async fn tenants_are_created_and_renamed_under_the_naming_plugin(app: TestApp) {
    let station = json!({
        "code": "lankao-yifeng", "kind": "station", "parent": "lankao", "name": "仪封镇零工驿站",
        "region_code": "410225", "address": "兰考县仪封镇便民服务中心", "location": null,
        "opening_hours": "周一至周六 07:00-17:00", "hotline": "0371-23225003", "complaint_channel": "12333",
        "status": "preparing", "operator": null
    });
    let (status, created) = app.admin_post("/api/v1/tenants", &station).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        app.get_json("/api/v1/tenants/lankao").await.1["children"].as_array().unwrap().len(),
        3
    );

    let mut bad = station.clone();
    bad["code"] = json!("lankao-yifeng2");
    bad["name"] = json!("仪封劳务点");
    let (status, body) = app.admin_post("/api/v1/tenants", &bad).await;
    assert_eq!(status, 422);
    let message = assert_error(&body, "name_refused");
    assert!(message.contains("naming.suffix"), "the plugin's reasons are shown: {message}");
    assert_eq!(body["error"]["field"], "name");

    let mut misplaced = station.clone();
    misplaced["code"] = json!("city-station");
    misplaced["name"] = json!("城西街道零工驿站");
    misplaced["parent"] = json!("kaifeng");
    let (status, body) = app.admin_post("/api/v1/tenants", &misplaced).await;
    assert_eq!(status, 422);
    assert_error(&body, "invalid_tenant");
    assert_eq!(body["error"]["field"], "parent");
    let (status, body) = app.admin_post("/api/v1/tenants", &station).await;
    assert_eq!(status, 409);
    assert_error(&body, "tenant_exists");

    let (status, body) = app
        .admin_send(Method::PATCH, "/api/v1/tenants/lankao", &json!({"name": "杞县零工市场"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str(), body["error"]["field"].as_str()),
        (422, Some("invalid_tenant"), Some("name")),
        "names are unique"
    );
    let (status, body) = app
        .admin_send(Method::PATCH, "/api/v1/tenants/lankao", &json!({"name": "兰考零工市场"}))
        .await;
    assert_eq!(status, 422);
    assert!(
        assert_error(&body, "name_refused").contains("兰考县零工市场"),
        "the plugin proposes the standard name"
    );
    let (status, body) = app
        .admin_send(
            Method::PATCH,
            "/api/v1/tenants/lankao-yifeng",
            &json!({"status": "active", "hotline": "0371-23225009"}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str(), body["hotline"].as_str()),
        (200, Some("active"), Some("0371-23225009"))
    );
    let (status, body) =
        app.admin_send(Method::PATCH, "/api/v1/tenants/lankao", &json!({"parent": "qixian"})).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, "invalid_body");
    let (status, body) =
        app.admin_send(Method::PATCH, "/api/v1/tenants/lankao", &json!({"hotline": "110"})).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("hotline")));
}

async fn bad_uploads_are_refused_with_clear_errors(app: TestApp) {
    let (status, body) = app.upload(component("fixture_wrong_world"), "wrong").await;
    assert_eq!(status, 422);
    assert_error(&body, "plugin_unknown_world");
    let core_module = b"\0asm\x01\0\0\0".to_vec();
    let (status, body) = app.upload(core_module, "core").await;
    assert_eq!(status, 422);
    assert_error(&body, "plugin_not_component");
    let random: Vec<u8> =
        (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let (status, body) = app.upload(random, "noise").await;
    assert_eq!(status, 422);
    assert_error(&body, "plugin_invalid_wasm");
    // The server refuses an oversized body without reading it and closes that connection, so
    // send it on a client of its own rather than poison the shared connection pool.
    let resp = reqwest::Client::new()
        .post(app.at("/api/v1/plugins?name=huge"))
        .bearer_auth(gigmarket_e2e::ADMIN_TOKEN)
        .body(vec![0u8; 9 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    assert_error(&resp.json().await.unwrap(), "plugin_too_large");
    let (status, body) = app.upload(component("city_matching"), "again").await;
    assert_eq!(
        (status, body["new"].as_bool(), body["name"].as_str()),
        (200, Some(false), Some("city_matching"))
    );
    let (status, body) = app.upload(component("fixture_hostile"), "hostile").await;
    assert_eq!(
        (status, body["slot"].as_str(), body["new"].as_bool()),
        (201, Some("matching"), Some(true))
    );
}

async fn bad_inputs_and_missing_tokens_are_refused(app: TestApp) {
    let mut input = match_input(vec![candidate(1.0, 1.0)]);
    input["job"].as_object_mut().unwrap().remove("wage_cents_per_day");
    let (status, body) =
        app.admin_post("/api/v1/tenants/kaifeng/slots/matching/invoke", &input).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_input");
    assert_eq!(body["error"]["field"], "job");
    let resp = app
        .client
        .post(app.at("/api/v1/tenants/kaifeng/slots/matching/invoke"))
        .json(&input)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let resp = app.client.get(app.at("/api/v1/plugins")).bearer_auth("guess").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert_error(&resp.json().await.unwrap(), "invalid_session");
}

async fn the_catalog_keeps_the_mandatory_services(app: TestApp) {
    let out = invoke(
        &app,
        "longting-beishudian",
        "service-catalog",
        &json!({"today": date(2026, 11, 28), "kind": "Station"}),
    )
    .await;
    let codes: Vec<&str> = out["output"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    for mandatory in ["instant-hiring", "skill-training", "rights-protection"] {
        assert!(codes.contains(&mandatory), "{codes:?}");
    }
    let rules = out["output"]["case_rules"].as_array().unwrap();
    let arrears = rules.iter().find(|r| r["case_kind"] == "wage-arrears").unwrap();
    assert!(arrears["time_limit_hours"].as_u64().unwrap() > 0);
    assert!(
        !arrears["required_materials"].as_array().unwrap().is_empty(),
        "一次性告知 lists what to bring"
    );
}

/// The sample inputs docs/plugins.md points plugin authors at are valid for their slots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_s_sample_inputs_fit_their_slots() {
    let app = gigmarket_e2e::spawn(gigmarket_e2e::Backend::Sqlite).await;
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../plugins/samples"));
    for slot in ["naming", "service-catalog", "posting-review", "matching", "subsidy", "evaluation"]
    {
        let text = std::fs::read_to_string(dir.join(format!("{slot}.json"))).unwrap();
        let input: Value = serde_json::from_str(&text).unwrap();
        let out = invoke(&app, "kaifeng", slot, &input).await;
        assert!(out["output"].is_object(), "{slot}: {out}");
    }
}
