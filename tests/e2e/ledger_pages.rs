//! The ledgers' console pages over HTTP: a clerk adds a row and closes the day through the
//! pages (with the confirm step), a late row is refused on the page, field errors are shown
//! next to their field with nothing written, forms without the CSRF token are refused, the
//! calendar grid shows kept days with its legend in text, and another county gets the 403 page.

use gigmarket_e2e::pages::Visitor;
use gigmarket_e2e::people::staff;
use gigmarket_e2e::{TestApp, db_tests};
use serde_json::Value;

db_tests!(
    a_clerk_adds_a_row_and_closes_the_day_in_the_console,
    refused_rows_show_their_field_errors_and_write_nothing,
    ledger_forms_without_the_csrf_token_are_refused,
    the_calendar_grid_shows_kept_days_and_other_counties_are_refused,
);

async fn staff_visitor(app: &TestApp, phone: &str, role: &str, tenant: &str) -> Visitor {
    staff(app, phone, role, tenant).await;
    let v = Visitor::new(app);
    v.login(phone, "staff2026pw").await;
    v
}

fn today(app: &TestApp) -> String {
    app.clock.today().to_string()
}

/// A ledger of today through the JSON API (as the city), for checking what the pages wrote.
async fn ledger(app: &TestApp, tenant: &str, kind: &str) -> Value {
    let (status, body) = app.admin_get(&format!("/api/v1/tenants/{tenant}/ledgers/{kind}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

const OUTREACH: [(&str, &str); 5] = [
    ("place", "兰阳街道服务大厅"),
    ("topic", "零工保险政策宣讲"),
    ("documents", "《河南省零工市场建设指引》"),
    ("audience", "28"),
    ("staff", "王芳"),
];

async fn a_clerk_adds_a_row_and_closes_the_day_in_the_console(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000011", "station_staff", "lankao-lanyang").await;
    let home = clerk.get("/console/lankao-lanyang").await;
    assert!(home.body.contains("/console/lankao-lanyang/ledgers"), "the console links its ledgers");
    let day = clerk.get("/console/lankao-lanyang/ledgers").await;
    assert_eq!(day.status, 200, "{}", day.body);
    assert!(day.body.contains("灵活用工政策宣讲") && day.body.contains("零工市场即时对接"));
    assert_eq!(day.body.matches("未日结</span>").count(), 5, "five open ledgers");

    let today = today(&app);
    let mut fields: Vec<(&str, &str)> = OUTREACH.to_vec();
    fields.push(("date", &today));
    let added = clerk.post("/console/lankao-lanyang/ledgers/policy-outreach", &fields).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = clerk.get(added.location.as_deref().unwrap()).await;
    assert!(page.body.contains("兰阳街道服务大厅") && page.body.contains("手工"), "{}", page.body);
    assert_eq!(
        ledger(&app, "lankao-lanyang", "policy-outreach").await["days"][0]["rows"][0]["fields"]["audience"],
        28
    );

    // The close asks to confirm first, and closes nothing until confirmed.
    let asked = clerk.post("/console/lankao-lanyang/ledgers/close", &[("date", &today)]).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("确认日结"), "{}", asked.body);
    assert_eq!(ledger(&app, "lankao-lanyang", "policy-outreach").await["days"][0]["closed"], false);
    let closed = clerk
        .post("/console/lankao-lanyang/ledgers/close", &[("date", &today), ("confirm", "yes")])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let day = clerk.get(closed.location.as_deref().unwrap()).await;
    assert!(day.body.contains("五个台账均已日结"), "{}", day.body);
    assert_eq!(day.body.matches("已日结</span>").count(), 5);
    for kind in ["policy-outreach", "labour-supply"] {
        assert_eq!(ledger(&app, "lankao-lanyang", kind).await["days"][0]["closed"], true);
    }

    // A late row is refused on the page; nothing is written.
    let late = clerk.post("/console/lankao-lanyang/ledgers/policy-outreach", &fields).await;
    assert_eq!(late.status, 409);
    assert!(late.body.contains("已日结"), "{}", late.body);
    let rows = ledger(&app, "lankao-lanyang", "policy-outreach").await["days"][0]["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1);

    // The exports download with the session cookie.
    let sheet =
        clerk.get(&format!("/console/lankao-lanyang/ledgers.xlsx?from={today}&to={today}")).await;
    assert_eq!(sheet.status, 200);
    assert!(sheet.headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
}

async fn refused_rows_show_their_field_errors_and_write_nothing(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000012", "county_admin", "lankao").await;
    let mut fields: Vec<(&str, &str)> = OUTREACH.to_vec();
    fields[0] = ("place", "");
    let refused = clerk.post("/console/lankao/ledgers/policy-outreach", &fields).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("id=\"place-error\"") && refused.body.contains("请填写宣讲地点"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("零工保险政策宣讲"), "what was typed stays in the form");
    fields[0] = ("place", "驿站");
    fields[3] = ("audience", "-2");
    let refused = clerk.post("/console/lankao/ledgers/policy-outreach", &fields).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("id=\"audience-error\""), "{}", refused.body);
    let bad_uscc = clerk
        .post(
            "/console/lankao/ledgers/employer-liaison",
            &[
                ("officer", "刘强"),
                ("unit", "某公司"),
                ("uscc", "123"),
                ("needs", "招工"),
                ("follow_up", "回访"),
            ],
        )
        .await;
    assert_eq!(bad_uscc.status, 400);
    assert!(bad_uscc.body.contains("id=\"uscc-error\""), "{}", bad_uscc.body);
    for kind in ["policy-outreach", "employer-liaison"] {
        assert!(
            ledger(&app, "lankao", kind).await["days"][0]["rows"].as_array().unwrap().is_empty()
        );
    }
}

async fn ledger_forms_without_the_csrf_token_are_refused(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000013", "county_admin", "lankao").await;
    let refused = clerk.post_raw("/console/lankao/ledgers/policy-outreach", &OUTREACH).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("data-error=\"csrf_failed\""), "{}", refused.body);
    let today = today(&app);
    let refused = clerk
        .post_raw("/console/lankao/ledgers/close", &[("date", &today), ("confirm", "yes")])
        .await;
    assert_eq!(refused.status, 403);
    let l = ledger(&app, "lankao", "policy-outreach").await;
    assert_eq!(
        (l["days"][0]["closed"].as_bool(), l["days"][0]["rows"].as_array().unwrap().len()),
        (Some(false), 0)
    );
}

async fn the_calendar_grid_shows_kept_days_and_other_counties_are_refused(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000014", "county_admin", "lankao").await;
    let today = today(&app);
    let closed =
        clerk.post("/console/lankao/ledgers/close", &[("date", &today), ("confirm", "yes")]).await;
    assert_eq!(closed.status, 303);
    let grid = clerk.get("/console/ledgers").await;
    assert_eq!(grid.status, 200, "{}", grid.body);
    assert!(
        grid.body.contains("图例") && grid.body.contains("已日结(五个台账均已日结)"),
        "the legend in text"
    );
    assert!(grid.body.contains(&format!("title=\"{today} 已日结\"")), "{}", grid.body);
    assert!(!grid.body.contains("杞县"), "a county sees itself and its stations");
    let city = Visitor::new(&app);
    staff(&app, "13600000015", "city_admin", "kaifeng").await;
    city.login("13600000015", "staff2026pw").await;
    let all = city.get(&format!("/console/ledgers?month={}", &today[..7])).await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("杞县") && all.body.contains("class=\"cal kept\""), "{}", all.body);
    let bad = city.get("/console/ledgers?month=2026-13").await;
    assert_eq!(bad.status, 400);

    let other = staff_visitor(&app, "13600000016", "county_admin", "qixian").await;
    for path in [
        "/console/lankao/ledgers",
        "/console/lankao/ledgers/labour-supply",
        "/console/ledgers?tenant=lankao",
    ] {
        assert_eq!(other.get(path).await.status, 403, "{path}");
    }
    let refused = other.post("/console/lankao/ledgers/policy-outreach", &OUTREACH).await;
    assert_eq!(refused.status, 403);
}
