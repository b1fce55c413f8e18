//! Tenant isolation, proven by trying to break it: a 杞县 county administrator gets 403 (or 404
//! for objects it may not know of) on 兰考县's and the city's data, and can act on its own.

use gigmarket_e2e::people::{account_id, login, staff};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    a_county_admin_stays_in_its_county,
    station_staff_read_but_do_not_write,
    workers_are_not_staff,
    an_agency_binds_plugins_only_for_its_market,
    people_and_verifications_stay_in_their_market,
    staff_are_removed_only_within_scope,
    bad_staff_requests_are_refused_by_field,
    a_permission_change_takes_and_gives_access_and_is_audited,
    auditors_read_and_city_admins_act_everywhere
);

fn subsidy() -> Value {
    json!({"today": {"year": 2026, "month": 11, "day": 28}, "figures": {"kind": "County",
        "period_start": {"year": 2026, "month": 10, "day": 1}, "period_end": {"year": 2026, "month": 10, "day": 31},
        "people_served": 100, "matches": 30, "trainings": 1, "rights_cases": 0, "rights_cases_closed_in_time": 0,
        "ledger_days": 31, "open_days": 31, "satisfaction": 4.0, "operating_cost_cents": 0, "is_government_run": true}})
}

fn station(code: &str, parent: &str, name: &str, region: &str) -> Value {
    json!({"code": code, "kind": "station", "parent": parent, "name": name, "region_code": region, "address": "某地",
        "location": null, "opening_hours": "每日 08:00-17:00", "hotline": "0371-23220000", "complaint_channel": "12333",
        "status": "preparing", "operator": null})
}

async fn a_county_admin_stays_in_its_county(app: TestApp) {
    let qi = staff(&app, "13900000001", "county_admin", "qixian").await.token;
    let (_, plugins) = app.admin_get("/api/v1/plugins").await;
    let weishi = plugins["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "weishi_matching")
        .unwrap()["hash"]
        .clone();
    let (_, lankao_decision) =
        app.admin_post("/api/v1/tenants/lankao/slots/subsidy/invoke", &subsidy()).await;
    let lankao_decision = lankao_decision["decision_id"].as_str().unwrap().to_string();

    let denied: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PUT,
            "/api/v1/tenants/lankao/slots/matching".into(),
            Some(json!({"plugin": weishi})),
        ),
        (
            Method::PUT,
            "/api/v1/tenants/kaifeng/slots/matching".into(),
            Some(json!({"plugin": weishi})),
        ),
        (
            Method::PUT,
            "/api/v1/tenants/lankao-lanyang/slots/matching".into(),
            Some(json!({"plugin": weishi})),
        ),
        (Method::POST, "/api/v1/tenants/lankao/slots/subsidy/invoke".into(), Some(subsidy())),
        (Method::POST, "/api/v1/tenants/lankao/slots/subsidy/rollback".into(), None),
        (
            Method::POST,
            "/api/v1/tenants/kaifeng/slots/subsidy/dry-run".into(),
            Some(json!({"plugin": weishi})),
        ),
        (Method::PATCH, "/api/v1/tenants/lankao".into(), Some(json!({"hotline": "0371-23220001"}))),
        (
            Method::PATCH,
            "/api/v1/tenants/kaifeng".into(),
            Some(json!({"hotline": "0371-23220001"})),
        ),
        (
            Method::POST,
            "/api/v1/tenants".into(),
            Some(station("lankao-gucheng", "lankao", "堌阳镇零工驿站", "410225")),
        ),
        (Method::POST, "/api/v1/plugins".into(), None),
        (Method::GET, "/api/v1/audit?tenant=lankao".into(), None),
        (Method::GET, "/api/v1/audit".into(), None),
        (
            Method::POST,
            "/api/v1/staff".into(),
            Some(
                json!({"phone": "13900000009", "password": "staff2026pw", "role": "station_staff", "tenant": "lankao-lanyang"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/staff".into(),
            Some(
                json!({"phone": "13900000008", "password": "staff2026pw", "role": "county_admin", "tenant": "qixian"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/authz/policies".into(),
            Some(json!({"role": "county_admin", "object": "*", "action": "read|write"})),
        ),
    ];
    // Every staff route of instant hiring and rights protection, on 兰考县 and on the city.
    let mut denied = denied;
    for code in ["lankao", "kaifeng", "lankao-lanyang"] {
        let t = format!("/api/v1/tenants/{code}");
        denied.extend([
            (Method::GET, format!("{t}/jobs/held"), None),
            (Method::POST, format!("{t}/jobs/some-job/review"), Some(json!({"approve": true}))),
            (Method::GET, format!("{t}/check-ins"), None),
            (Method::POST, format!("{t}/assignments"), None),
            (Method::GET, format!("{t}/assignments/some-run"), None),
            (Method::POST, format!("{t}/assignments/some-run/publish"), None),
            (Method::GET, format!("{t}/complaints"), None),
            (Method::GET, format!("{t}/complaints/some-case"), None),
            (
                Method::POST,
                format!("{t}/complaints/some-case/events"),
                Some(json!({"status": "accepted", "note": "越权"})),
            ),
            (Method::GET, format!("{t}/verifications"), None),
        ]);
    }
    for (method, path, body) in denied {
        let (status, resp) = app.call_as(&qi, method.clone(), &path, body).await;
        assert_eq!(status, 403, "{method} {path}: {resp}");
        assert_error(&resp, "forbidden");
    }
    for path in [format!("/api/v1/decisions/{lankao_decision}")] {
        let (status, resp) = app.call_as(&qi, Method::GET, &path, None).await;
        assert_eq!(status, 404, "another county's decision does not exist for 杞县: {resp}");
        let (status, _) = app.call_as(&qi, Method::POST, &format!("{path}/replay"), None).await;
        assert_eq!(status, 404);
    }

    // Its own county, and the stations below it, it runs.
    let (status, body) = app
        .call_as(
            &qi,
            Method::PUT,
            "/api/v1/tenants/qixian/slots/matching",
            Some(json!({"plugin": weishi})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .call_as(
            &qi,
            Method::POST,
            "/api/v1/tenants",
            Some(station("qixian-jincheng", "qixian", "金城街道零工驿站", "410221")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .call_as(
            &qi,
            Method::PUT,
            "/api/v1/tenants/qixian-jincheng/slots/matching",
            Some(json!({"plugin": weishi})),
        )
        .await;
    assert_eq!(status, 201, "the county admin acts on its new station: {body}");
    let (status, body) = app.call_as(&qi, Method::POST, "/api/v1/staff", Some(json!({"phone": "13900000007", "password": "staff2026pw", "role": "station_staff", "tenant": "qixian-jincheng"}))).await;
    assert_eq!(status, 201, "{body}");
    let (status, log) = app.call_as(&qi, Method::GET, "/api/v1/audit?tenant=qixian", None).await;
    assert_eq!(status, 200);
    assert!(
        log["entries"].as_array().unwrap().iter().all(|e| e["tenant_code"] == "qixian"),
        "{log}"
    );
}

async fn station_staff_read_but_do_not_write(app: TestApp) {
    let st = staff(&app, "13900000002", "station_staff", "lankao-lanyang").await.token;
    let (_, plugins) = app.admin_get("/api/v1/plugins").await;
    let hash = plugins["plugins"][0]["hash"].clone();
    let (status, _) = app
        .call_as(
            &st,
            Method::PUT,
            "/api/v1/tenants/lankao-lanyang/slots/matching",
            Some(json!({"plugin": hash})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call_as(
            &st,
            Method::POST,
            "/api/v1/tenants/lankao-lanyang/slots/subsidy/invoke",
            Some(subsidy()),
        )
        .await;
    assert_eq!(status, 403);
    let (_, decision) =
        app.admin_post("/api/v1/tenants/lankao-lanyang/slots/subsidy/invoke", &subsidy()).await;
    let id = decision["decision_id"].as_str().unwrap();
    let (status, body) =
        app.call_as(&st, Method::GET, &format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(status, 200, "its own station's decision: {body}");
    let (_, other) =
        app.admin_post("/api/v1/tenants/lankao/slots/subsidy/invoke", &subsidy()).await;
    let (status, _) = app
        .call_as(
            &st,
            Method::GET,
            &format!("/api/v1/decisions/{}", other["decision_id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 404, "not its county's");
}

async fn workers_are_not_staff(app: TestApp) {
    let resp = app
        .client
        .post(app.at("/api/v1/auth/register"))
        .json(&json!({"phone": "13900000003", "password": "staff2026pw", "kind": "worker"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let worker = login(&app, "13900000003", "staff2026pw").await.token;
    for (method, path) in [
        (Method::GET, "/api/v1/plugins"),
        (Method::GET, "/api/v1/audit"),
        (Method::POST, "/api/v1/tenants/lankao/slots/subsidy/invoke"),
    ] {
        let (status, body) = app.call_as(&worker, method.clone(), path, Some(subsidy())).await;
        assert_eq!(status, 403, "{method} {path}: {body}");
    }
}

async fn an_agency_binds_plugins_only_for_its_market(app: TestApp) {
    let agency = staff(&app, "13900000004", "agency_staff", "kaifeng-construction").await.token;
    let (status, uploaded) =
        app.call_as(&agency, Method::POST, "/api/v1/plugins?name=x", None).await;
    assert_eq!(status, 422, "agencies may upload (this body is no component): {uploaded}");
    let (_, plugins) = app.admin_get("/api/v1/plugins").await;
    let review = plugins["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "construction_posting_review")
        .unwrap()["hash"]
        .clone();
    let (status, body) = app
        .call_as(
            &agency,
            Method::PUT,
            "/api/v1/tenants/kaifeng-construction/slots/posting-review",
            Some(json!({"plugin": review})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for market in ["kaifeng-housekeeping", "xiangfu-logistics", "kaifeng", "lankao"] {
        let (status, body) = app
            .call_as(
                &agency,
                Method::PUT,
                &format!("/api/v1/tenants/{market}/slots/posting-review"),
                Some(json!({"plugin": review})),
            )
            .await;
        assert_eq!(status, 403, "{market}: {body}");
    }
}

async fn people_and_verifications_stay_in_their_market(app: TestApp) {
    let qi = staff(&app, "13900000005", "county_admin", "qixian").await.token;
    let lan = staff(&app, "13900000006", "county_admin", "lankao").await.token;
    let resp = app
        .client
        .post(app.at("/api/v1/auth/register"))
        .json(&json!({"phone": "13900000010", "password": "staff2026pw", "kind": "worker"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let worker = login(&app, "13900000010", "staff2026pw").await.token;
    let body17 = "41022519900307123";
    let id = format!("{body17}{}", gigmarket::identity::idcard::check_char(body17));
    let profile = json!({"kind": "worker", "home_tenant": "lankao", "name": "张三", "id_number": id, "occupations": ["4-02-05-01"], "wage_expectation_cents": 20000});
    let (status, body) =
        app.call_as(&worker, Method::PUT, "/api/v1/me/profile", Some(profile)).await;
    assert_eq!(status, 200, "{body}");
    let account = body["account_id"].as_str().unwrap().to_string();

    for (method, path) in [
        (Method::GET, "/api/v1/tenants/lankao/verifications".to_string()),
        (Method::POST, format!("/api/v1/tenants/lankao/verifications/{account}")),
        (Method::GET, format!("/api/v1/tenants/lankao/people/{account}")),
    ] {
        let (status, body) =
            app.call_as(&qi, method.clone(), &path, Some(json!({"approve": true}))).await;
        assert_eq!(status, 403, "杞县 on 兰考县's people: {method} {path}: {body}");
    }
    let (status, _) = app
        .call_as(&qi, Method::GET, &format!("/api/v1/tenants/qixian/people/{account}"), None)
        .await;
    assert_eq!(status, 404, "a 兰考县 registration is not found through 杞县");
    let (status, body) =
        app.call_as(&qi, Method::GET, "/api/v1/tenants/qixian/verifications", None).await;
    assert_eq!((status, body["profiles"].as_array().map(Vec::len)), (200, Some(0)), "{body}");
    let (status, _) = app
        .call_as(&lan, Method::GET, &format!("/api/v1/tenants/lankao/people/{account}"), None)
        .await;
    assert_eq!(status, 200);

    let resp = app
        .client
        .post(app.at("/api/v1/auth/register"))
        .json(&json!({"phone": "13900000011", "password": "staff2026pw", "kind": "worker"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let other = login(&app, "13900000011", "staff2026pw").await.token;
    let (status, _) = app
        .call_as(&other, Method::GET, &format!("/api/v1/tenants/lankao/people/{account}"), None)
        .await;
    assert_eq!(status, 403, "a worker cannot read another worker");
    let (status, mine) = app.call_as(&other, Method::GET, "/api/v1/me/profile", None).await;
    assert_eq!(status, 404, "and /me is only ever one's own: {mine}");
}

/// Removing a staff account: a county administrator removes its own county's station staff but
/// not another county's (404: not its to know) nor an administrator (403), nobody removes
/// themselves, and a removed account's session ends at once.
async fn staff_are_removed_only_within_scope(app: TestApp) {
    // 兰考县's administrator and clerk, and 龙亭区's clerk.
    let qi = staff(&app, "13900000061", "county_admin", "lankao").await.token;
    let qi_clerk = staff(&app, "13900000062", "station_staff", "lankao-lanyang").await.token;
    let lankao_clerk =
        staff(&app, "13900000063", "station_staff", "longting-beishudian").await.token;
    let qi_deputy = staff(&app, "13900000064", "county_admin", "lankao").await.token;
    let remove = |token: String, id: String| {
        let app = &app;
        async move { app.call_as(&token, Method::DELETE, &format!("/api/v1/staff/{id}"), None).await }
    };
    let (status, body) = remove(qi.clone(), account_id(&app, &lankao_clerk).await).await;
    assert_eq!(status, 404, "another county's staff: {body}");
    assert_error(&body, "staff_not_found");
    let (status, body) = remove(qi.clone(), account_id(&app, &qi_deputy).await).await;
    assert_eq!(status, 403, "only the city removes administrators: {body}");
    let (status, body) = remove(qi.clone(), account_id(&app, &qi).await).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = remove(qi_clerk.clone(), account_id(&app, &qi_clerk).await).await;
    assert_eq!(status, 403, "station staff do not remove accounts: {body}");
    let (status, body) = remove(qi.clone(), "no-such-account".into()).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(
        app.call_as(&lankao_clerk, Method::GET, "/api/v1/auth/me", None).await.0,
        200,
        "nothing was removed so far"
    );

    let clerk_id = account_id(&app, &qi_clerk).await;
    let (status, body) = remove(qi.clone(), clerk_id.clone()).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        app.call_as(&qi_clerk, Method::GET, "/api/v1/auth/me", None).await.0,
        401,
        "the removed account's session ended"
    );
    let (status, _) = remove(qi.clone(), clerk_id).await;
    assert_eq!(status, 404, "removed once");
    let (status, body) = app
        .call_as(
            gigmarket_e2e::ADMIN_TOKEN,
            Method::DELETE,
            &format!("/api/v1/staff/{}", account_id(&app, &qi_deputy).await),
            None,
        )
        .await;
    assert_eq!(status, 204, "the city removes an administrator: {body}");
}

/// `POST /api/v1/staff` with bad input names the field and creates nothing.
async fn bad_staff_requests_are_refused_by_field(app: TestApp) {
    let good = json!({"phone": "13900000121", "password": "staff2026pw", "role": "station_staff", "tenant": "lankao-lanyang"});
    let county = staff(&app, "13900000120", "county_admin", "lankao").await.token;
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("phone", json!("12345")), 400, "phone"),
        (with("password", json!("short")), 400, "password"),
        (with("tenant", json!("atlantis")), 404, "tenant"),
        (with("role", json!("worker")), 400, "role"),
        (with("role", json!("county_admin")), 403, "role"),
        (with("tenant", json!("qixian")), 403, "tenant"),
    ];
    for (body, status, field) in cases {
        let (got, err) =
            app.call_as(&county, Method::POST, "/api/v1/staff", Some(body.clone())).await;
        assert_eq!((got, err["error"]["field"].as_str()), (status, Some(field)), "{body} → {err}");
    }
    let (got, err) = app
        .call_as(&county, Method::POST, "/api/v1/staff", Some(with("role", json!("janitor"))))
        .await;
    assert_eq!(got, 400, "an unknown role: {err}");
    let resp = app
        .client
        .post(app.at("/api/v1/auth/login"))
        .json(&json!({"phone": "13900000121", "password": "staff2026pw"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401, "no account was made");
    let (status, made) = app.call_as(&county, Method::POST, "/api/v1/staff", Some(good)).await;
    assert_eq!((status, made["kind"].as_str()), (201, Some("station_staff")), "{made}");
}

/// A city administrator's grant gives a role access at its next request, a revocation takes it
/// away, and both are in the audit log.
async fn a_permission_change_takes_and_gives_access_and_is_audited(app: TestApp) {
    let clerk = staff(&app, "13900000131", "station_staff", "lankao-lanyang").await.token;
    let boss = staff(&app, "13900000130", "city_admin", "kaifeng").await.token;
    let policy = json!({"role": "station_staff", "object": "slots", "action": "read|write"});
    let rollback = "/api/v1/tenants/lankao-lanyang/slots/naming/rollback";
    let (status, body) = app.call_as(&clerk, Method::POST, rollback, None).await;
    assert_eq!(status, 403, "station staff may not change slots: {body}");
    let (status, _) =
        app.call_as(&boss, Method::POST, "/api/v1/authz/policies", Some(policy.clone())).await;
    assert_eq!(status, 201);
    let (status, body) = app.call_as(&clerk, Method::POST, rollback, None).await;
    assert_eq!(status, 409, "allowed now (and nothing to roll back): {body}");
    assert_error(&body, "nothing_to_roll_back");
    let (status, _) =
        app.call_as(&boss, Method::DELETE, "/api/v1/authz/policies", Some(policy.clone())).await;
    assert_eq!(status, 204);
    assert_eq!(app.call_as(&clerk, Method::POST, rollback, None).await.0, 403, "revoked at once");
    let (status, body) =
        app.call_as(&boss, Method::DELETE, "/api/v1/authz/policies", Some(policy)).await;
    assert_eq!(status, 404, "revoked once: {body}");
    let (_, log) = app.call_as(&boss, Method::GET, "/api/v1/audit?limit=10", None).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[..2], ["authz.revoke", "authz.grant"], "{actions:?}");
    assert_eq!(log["entries"][0]["target"], "station_staff");
}

/// An auditor (a real account, not the bootstrap token) reads everything and changes nothing;
/// a real city administrator acts in every market.
async fn auditors_read_and_city_admins_act_everywhere(app: TestApp) {
    let eye = staff(&app, "13900000141", "auditor", "kaifeng").await.token;
    let boss = staff(&app, "13900000140", "city_admin", "kaifeng").await.token;
    for path in [
        "/api/v1/audit",
        "/api/v1/audit/verify",
        "/api/v1/authz/policies",
        "/api/v1/plugins",
        "/api/v1/tenants/lankao/complaints",
        "/api/v1/tenants/weishi/jobs/held",
    ] {
        let (status, body) = app.call_as(&eye, Method::GET, path, None).await;
        assert_eq!(status, 200, "the auditor reads {path}: {body}");
    }
    let writes = [
        (Method::PATCH, "/api/v1/tenants/lankao", json!({"hotline": "0371-23229999"})),
        (Method::POST, "/api/v1/tenants/lankao/slots/subsidy/invoke", subsidy()),
        (
            Method::POST,
            "/api/v1/staff",
            json!({"phone": "13900000142", "password": "staff2026pw", "role": "station_staff", "tenant": "lankao-lanyang"}),
        ),
        (
            Method::POST,
            "/api/v1/authz/policies",
            json!({"role": "auditor", "object": "slots", "action": "write"}),
        ),
    ];
    for (method, path, body) in &writes {
        let (status, err) = app.call_as(&eye, method.clone(), path, Some(body.clone())).await;
        assert_eq!(status, 403, "the auditor may not {method} {path}: {err}");
    }
    let (_, lankao) = app.get_json("/api/v1/tenants/lankao").await;
    assert_ne!(lankao["hotline"], "0371-23229999", "nothing changed");
    for (method, path, body) in &writes[..3] {
        let (status, got) = app.call_as(&boss, method.clone(), path, Some(body.clone())).await;
        assert!(
            status == 200 || status == 201,
            "the city administrator may {method} {path}: {got}"
        );
    }
    let (status, _) = app
        .call_as(
            &boss,
            Method::PATCH,
            "/api/v1/tenants/weishi",
            Some(json!({"hotline": "0371-23228888"})),
        )
        .await;
    assert_eq!(status, 200, "in another county too");
}
