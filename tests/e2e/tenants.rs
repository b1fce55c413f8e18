//! The 1+10+N tree of Kaifeng over `/api/v1/tenants`.

use gigmarket_e2e::people::staff;
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::Value;
use serde_json::json;

db_tests!(
    the_whole_tree_of_kaifeng_is_served,
    the_tree_is_listed_parents_first,
    one_tenant_by_code_with_its_children,
    unknown_codes_and_kinds_are_structured_errors,
    kinds_filter_the_list,
    a_location_can_follow_no_location_on_one_connection,
    a_market_publishes_its_services_and_its_page_shows_the_same,
    a_markets_staff_edit_its_guide_and_nothing_else
);

const COUNTIES: [(&str, &str, &str); 10] = [
    ("longting", "410202", "龙亭区零工市场"),
    ("shunhe", "410203", "顺河回族区零工市场"),
    ("gulou", "410204", "鼓楼区零工市场"),
    ("yuwangtai", "410205", "禹王台区零工市场"),
    ("xiangfu", "410212", "祥符区零工市场"),
    ("qixian", "410221", "杞县零工市场"),
    ("tongxu", "410222", "通许县零工市场"),
    ("weishi", "410223", "尉氏县零工市场"),
    ("lankao", "410225", "兰考县零工市场"),
    ("shifanqu", "4102L1", "开封城乡一体化示范区零工市场"),
];

fn of_kind<'a>(tenants: &'a [Value], kind: &str) -> Vec<&'a Value> {
    tenants.iter().filter(|t| t["kind"] == kind).collect()
}

async fn the_whole_tree_of_kaifeng_is_served(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/tenants").await;
    assert_eq!(status, 200);
    let tenants = body["tenants"].as_array().unwrap();
    assert_eq!(body["count"], tenants.len());

    let city = of_kind(tenants, "city");
    assert_eq!(city.len(), 1);
    assert_eq!(city[0]["name"], "开封市零工市场");
    assert_eq!(city[0]["parent"], Value::Null);

    let counties = of_kind(tenants, "county");
    assert_eq!(counties.len(), 10);
    for (code, region, name) in COUNTIES {
        let c = counties
            .iter()
            .find(|t| t["code"] == code)
            .unwrap_or_else(|| panic!("county {code} missing"));
        assert_eq!(
            (c["region_code"].as_str(), c["name"].as_str(), c["parent"].as_str()),
            (Some(region), Some(name), Some("kaifeng"))
        );
        for field in ["address", "opening_hours", "hotline", "complaint_channel"] {
            assert!(!c[field].as_str().unwrap().is_empty(), "{code}.{field}");
        }
        assert_eq!(c["status"], "active");
    }

    let specialty = of_kind(tenants, "specialty");
    assert!(specialty.len() >= 3);
    assert!(specialty.iter().all(|t| t["name"].as_str().unwrap().ends_with("零工市场")));
    let stations = of_kind(tenants, "station");
    for county in ["lankao", "longting"] {
        let under = stations.iter().filter(|s| s["parent"] == county).count();
        assert!(under >= 2, "{county} has {under} stations");
    }
    assert!(stations.iter().all(|s| s["name"].as_str().unwrap().ends_with("零工驿站")));
}

async fn the_tree_is_listed_parents_first(app: TestApp) {
    let (_, body) = app.get_json("/api/v1/tenants").await;
    let tenants = body["tenants"].as_array().unwrap();
    assert_eq!(tenants[0]["code"], "kaifeng");
    let mut seen = std::collections::HashSet::new();
    for t in tenants {
        if let Some(parent) = t["parent"].as_str() {
            assert!(seen.contains(parent), "{} listed before its parent {parent}", t["code"]);
        }
        seen.insert(t["code"].as_str().unwrap());
    }
}

async fn one_tenant_by_code_with_its_children(app: TestApp) {
    let (status, lankao) = app.get_json("/api/v1/tenants/lankao").await;
    assert_eq!(status, 200);
    assert_eq!(lankao["name"], "兰考县零工市场");
    assert_eq!(lankao["kind"], "county");
    assert_eq!(lankao["location"]["lon"], 114.82);
    assert_eq!(lankao["children"], serde_json::json!(["lankao-dongbatou", "lankao-lanyang"]));
    let (_, station) = app.get_json("/api/v1/tenants/lankao-lanyang").await;
    assert_eq!(station["parent"], "lankao");
    assert_eq!(station["children"], serde_json::json!([]));
}

async fn unknown_codes_and_kinds_are_structured_errors(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/tenants/atlantis").await;
    assert_eq!(status, 404);
    let message = assert_error(&body, "tenant_not_found");
    assert!(message.contains("atlantis"));
    assert_eq!(body["error"]["field"], "code");

    let (status, body) = app.get_json("/api/v1/tenants?kind=province").await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_kind");
    assert_eq!(body["error"]["field"], "kind");
}

async fn kinds_filter_the_list(app: TestApp) {
    let (_, body) = app.get_json("/api/v1/tenants?kind=county").await;
    assert_eq!(body["count"], 10);
    assert!(body["tenants"].as_array().unwrap().iter().all(|t| t["kind"] == "county"));
    let (_, body) = app.get_json("/api/v1/tenants?kind=city").await;
    assert_eq!(
        body["tenants"][0]["children"].as_array().unwrap().len(),
        12,
        "10 counties and 2 city-level specialty markets"
    );
}

/// One connection writes a market without a location, then with one: the second write must not
/// trip over the statement the first one prepared (sqlx 0.9's `Any` driver binds a missing `f64`
/// as a `real`, so PostgreSQL would refuse the next `double precision` with "incorrect binary
/// data format in bind parameter 7").
async fn a_location_can_follow_no_location_on_one_connection(app: TestApp) {
    let store = gigmarket::store::Store::connect(&app.database_url, 1).await.unwrap();
    let mut qixian = store.get_tenant("qixian").await.unwrap().unwrap();
    let place = qixian.location.expect("杞县 has a location");
    for location in [None, Some(place), None, Some(place)] {
        qixian.location = location;
        let mut tx = store.begin().await.unwrap();
        store.upsert_tenants_in(&mut tx, std::slice::from_ref(&qixian)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.get_tenant("qixian").await.unwrap().unwrap().location, location);
    }
    store.close().await;
}

/// 主动公开: a market's services come from its catalog plugin (a station's from the one it
/// inherits), with its own place and hotline; the market page shows exactly those items.
async fn a_market_publishes_its_services_and_its_page_shows_the_same(app: TestApp) {
    for code in ["lankao", "lankao-lanyang"] {
        let (status, services) = app.get_json(&format!("/api/v1/tenants/{code}/services")).await;
        assert_eq!(status, 200, "{services}");
        let (_, tenant) = app.get_json(&format!("/api/v1/tenants/{code}")).await;
        for field in ["name", "address", "hotline", "complaint_channel"] {
            assert_eq!(services[field], tenant[field], "{code}: {field}");
        }
        let items = services["items"].as_array().unwrap();
        for basic in ["instant-hiring", "skill-training", "rights-protection"] {
            let item =
                items.iter().find(|i| i["code"] == basic).unwrap_or_else(|| panic!("{basic}"));
            assert_eq!(item["mandatory"], true, "{code}: {basic} is a basic service");
            assert!(!item["description"].as_str().unwrap().is_empty(), "with its guide");
        }
        let wages = services["case_rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case_kind"] == "wage-arrears")
            .unwrap();
        assert_eq!(
            (wages["name"].as_str(), wages["time_limit_hours"].as_u64()),
            (Some("欠薪"), Some(72))
        );
        assert_eq!(wages["required_materials"][0], "身份证件");

        let page = app.client.get(app.at(&format!("/markets/{code}"))).send().await.unwrap();
        let html = page.text().await.unwrap();
        for item in items {
            let name = item["name"].as_str().unwrap();
            assert!(html.contains(&format!("<summary>{name}")), "{code}'s page lists {name}");
        }
    }
    let (status, body) = app.get_json("/api/v1/tenants/nowhere/services").await;
    assert_eq!(status, 404);
    assert_error(&body, "tenant_not_found");
}

/// A market's staff write its 办事指南 and public details through the API: the public services
/// and the market page show the new text at once, the change is audited with before and after,
/// bad fields are refused by name with nothing written, and neither another county's staff nor
/// the market's own staff (for its name or status) may change more than that.
async fn a_markets_staff_edit_its_guide_and_nothing_else(app: TestApp) {
    let clerk = staff(&app, "13900000161", "station_staff", "lankao-lanyang").await;
    let path = "/api/v1/tenants/lankao-lanyang/services";
    let guide = "求职登记:带身份证到一楼一号窗口,现场扫码进场。\n招工登记:带营业执照复印件。";
    let patch = json!({"guide": guide, "opening_hours": "周一至周日 06:00-17:30"});
    let (status, services) = app.call_as(&clerk.token, Method::PATCH, path, Some(patch)).await;
    assert_eq!(status, 200, "{services}");
    assert_eq!(services["guide"], guide);
    let (_, public) = app.get_json(path).await;
    assert_eq!(public["guide"], guide, "the public sees the guide at once");
    let (_, tenant) = app.get_json("/api/v1/tenants/lankao-lanyang").await;
    assert_eq!(tenant["opening_hours"], "周一至周日 06:00-17:30", "the market's own hours");
    let page = app.client.get(app.at("/markets/lankao-lanyang")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("带身份证到一楼一号窗口"), "the market page shows the guide");

    let (_, log) = app.admin_get("/api/v1/audit?limit=1").await;
    let entry = &log["entries"][0];
    assert_eq!(entry["action"], "tenant.services");
    let detail: Value = serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["after"]["guide"], guide);
    assert_eq!(detail["before"]["guide"], "");

    let refusals = [
        (json!({"guide": "长".repeat(2001)}), "guide"),
        (json!({"hotline": "110"}), "hotline"),
        (json!({"address": "  "}), "address"),
        (json!({"complaint_channel": "渠".repeat(301)}), "complaint_channel"),
    ];
    for (body, field) in refusals {
        let (status, err) = app.call_as(&clerk.token, Method::PATCH, path, Some(body)).await;
        assert_eq!(status, 422, "{field}: {err}");
        assert_eq!(err["error"]["field"], field);
    }
    let (_, after) = app.get_json(path).await;
    assert_eq!(after["guide"], guide, "a refused change writes nothing");

    let (status, err) = app
        .call_as(&clerk.token, Method::PATCH, path, Some(json!({"name": "兰阳街道零工驿站"})))
        .await;
    assert_eq!(status, 400, "the name is not public service information: {err}");
    let (status, _) = app
        .call_as(
            &clerk.token,
            Method::PATCH,
            "/api/v1/tenants/lankao-lanyang",
            Some(json!({"status": "suspended"})),
        )
        .await;
    assert_eq!(status, 403, "station staff may not change the market itself");
    let other = staff(&app, "13900000162", "county_admin", "qixian").await;
    let (status, _) =
        app.call_as(&other.token, Method::PATCH, path, Some(json!({"guide": "别处的指南"}))).await;
    assert_eq!(status, 403, "杞县 staff may not edit 兰考县's station");
}
