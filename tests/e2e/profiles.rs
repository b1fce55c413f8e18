//! Real-name profiles over HTTP: validation with named fields, encryption at rest, masking,
//! verification by the home market's staff (audited), and audited unmasked reads.

use gigmarket::identity::idcard::check_char;
use gigmarket_e2e::people::{register, staff};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    a_worker_registers_and_is_verified_by_the_home_market,
    bad_real_name_data_is_refused_field_by_field,
    employers_and_agencies_state_their_credentials,
    staff_reject_with_a_reason_the_worker_sees
);

fn id_number(body17: &str) -> String {
    format!("{body17}{}", check_char(body17))
}

fn worker(id: &str) -> Value {
    json!({"kind": "worker", "home_tenant": "lankao", "name": "张三", "id_number": id, "occupations": ["4-02-05-01"],
        "skill_level": 2, "wage_expectation_cents": 20000, "wage_unit": "day"})
}

async fn a_worker_registers_and_is_verified_by_the_home_market(app: TestApp) {
    let id = id_number("41022519900307123");
    let me = register(&app, "13811112222", "worker").await.token;
    let (status, profile) =
        app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(worker(&id))).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(
        (profile["id_number"].as_str(), profile["sex"].as_str(), profile["birth_date"].as_str()),
        (Some(id.as_str()), Some("男"), Some("1990-03-07"))
    );
    assert_eq!(profile["verification"], "unverified");
    assert_eq!(profile["details"]["skill_level_name"], "四级/中级工");

    let station = staff(&app, "13911112222", "station_staff", "lankao-lanyang").await.token;
    let county = staff(&app, "13911113333", "county_admin", "lankao").await.token;
    let other_county = staff(&app, "13911114444", "county_admin", "qixian").await.token;
    let (status, pending) =
        app.call_as(&county, Method::GET, "/api/v1/tenants/lankao/verifications", None).await;
    assert_eq!(status, 200);
    let listed = &pending["profiles"][0];
    assert_eq!(
        listed["id_number"],
        format!("410225********{}", &id[14..]),
        "staff lists show masked numbers"
    );
    let account = listed["account_id"].as_str().unwrap().to_string();
    let verify_path = format!("/api/v1/tenants/lankao/verifications/{account}");
    assert_eq!(
        app.call_as(&other_county, Method::GET, "/api/v1/tenants/lankao/verifications", None)
            .await
            .0,
        403
    );
    assert_eq!(
        app.call_as(&other_county, Method::POST, &verify_path, Some(json!({"approve": true})))
            .await
            .0,
        403
    );
    assert_eq!(
        app.call_as(&station, Method::POST, &verify_path, Some(json!({"approve": true}))).await.0,
        403,
        "a station's staff verify their station's registrations, not the county's"
    );
    let (status, body) =
        app.call_as(&county, Method::POST, &verify_path, Some(json!({"approve": false}))).await;
    assert_eq!(status, 400);
    assert_error(&body, "reason_required");
    let (status, verified) =
        app.call_as(&county, Method::POST, &verify_path, Some(json!({"approve": true}))).await;
    assert_eq!((status, verified["verification"].as_str()), (200, Some("verified")), "{verified}");

    let (status, clear) = app
        .call_as(&county, Method::GET, &format!("/api/v1/tenants/lankao/people/{account}"), None)
        .await;
    assert_eq!((status, clear["id_number"].as_str()), (200, Some(id.as_str())));
    let (_, log) = app.admin_get("/api/v1/audit?tenant=lankao").await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[..2], ["pii.read", "profile.verify"], "{actions:?}");

    // Changing the profile makes it unverified again.
    let (_, changed) = app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(json!({"kind": "worker", "home_tenant": "lankao", "name": "张三", "id_number": id, "occupations": ["6-29-01-01"], "skill_level": 3, "wage_expectation_cents": 25000}))).await;
    assert_eq!(changed["verification"], "unverified");

    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap();
    let rows = sqlx::query(
        "SELECT account_id, kind, home_tenant, name, id_enc, id_index, details FROM profiles",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    use sqlx::Row;
    for i in 0..7 {
        let v: Option<String> = rows[0].try_get(i).unwrap();
        assert!(!v.unwrap_or_default().contains(&id[6..14]), "column {i} holds the ID number");
    }
    pool.close().await;
}

async fn bad_real_name_data_is_refused_field_by_field(app: TestApp) {
    let me = register(&app, "13822223333", "worker").await.token;
    let good = id_number("41022519900307123");
    let wrong_check = format!("{}{}", &good[..17], if good.ends_with('1') { '2' } else { '1' });
    // Someone born ten years before the host's today: under 16 whatever year the suite runs in.
    let ten_years_ago = chrono::Datelike::year(&app.clock.today()) - 10;
    let cases = [
        (json!({"id_number": wrong_check}), "id_number", "校验位"),
        (json!({"id_number": id_number("41022519900230123")}), "id_number", "出生日期"),
        (
            json!({"id_number": id_number(&format!("410225{}0101123", ten_years_ago))}),
            "id_number",
            "16",
        ),
        (json!({"id_number": "4102251990"}), "id_number", "18位"),
        (json!({"occupations": []}), "occupations", "职业代码"),
        (json!({"skill_level": 9}), "skill_level", "技能等级"),
        (json!({"wage_expectation_cents": -5}), "wage_expectation_cents", "期望薪资"),
        (json!({"name": "张"}), "name", "姓名"),
        (json!({"home_tenant": "atlantis"}), "home_tenant", "atlantis"),
        (json!({"kind": "enterprise"}), "kind", "资料类型"),
    ];
    for (change, field, words) in cases {
        let mut body = worker(&good);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(body)).await;
        assert!(status == 400 || status == 404, "{change}: {status} {err}");
        assert_eq!(err["error"]["field"], field, "{change}: {err}");
        assert!(err["error"]["message"].as_str().unwrap().contains(words), "{change}: {err}");
    }
    let (status, _) =
        app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(worker(&good))).await;
    assert_eq!(status, 200);
    let other = register(&app, "13822224444", "worker").await.token;
    let (status, err) =
        app.call_as(&other, Method::PUT, "/api/v1/me/profile", Some(worker(&good))).await;
    assert_eq!(status, 409, "one ID number, one account: {err}");
    assert_error(&err, "id_number_taken");
    let scan = json!({"kind": "worker", "home_tenant": "lankao", "occupations": ["4-02-05-01"], "wage_expectation_cents": 20000,
        "scan": {"source": "id_card_reader", "name": "李四", "id_number": id_number("41022519850612002"), "sex": "男", "birth": "19850612"}});
    let (status, err) = app.call_as(&other, Method::PUT, "/api/v1/me/profile", Some(scan)).await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("scan.sex")),
        "the printed sex must match the number: {err}"
    );
}

async fn employers_and_agencies_state_their_credentials(app: TestApp) {
    let boss = register(&app, "13833334444", "employer").await.token;
    let enterprise = json!({"kind": "enterprise", "home_tenant": "gulou", "name": "开封示例建筑劳务有限公司", "uscc": "91350100M000100Y43", "contact_name": "王经理"});
    let (status, p) =
        app.call_as(&boss, Method::PUT, "/api/v1/me/profile", Some(enterprise.clone())).await;
    assert_eq!(
        (status, p["uscc"].as_str(), p["verification"].as_str()),
        (200, Some("91350100M000100Y43"), Some("unverified")),
        "{p}"
    );
    let mut bad = enterprise.clone();
    bad["uscc"] = json!("91350100M000100Y44");
    let (status, err) = app.call_as(&boss, Method::PUT, "/api/v1/me/profile", Some(bad)).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("uscc")));
    let mut agency = enterprise;
    agency["kind"] = json!("agency");
    let (status, err) =
        app.call_as(&boss, Method::PUT, "/api/v1/me/profile", Some(agency.clone())).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("license_no")), "{err}");
    agency["license_no"] = json!("豫人服证字〔2024〕第0001号");
    agency["legal_rep"] = json!("赵六");
    assert_eq!(app.call_as(&boss, Method::PUT, "/api/v1/me/profile", Some(agency)).await.0, 200);
    let worker_token = register(&app, "13833335555", "worker").await.token;
    let (status, err) = app.call_as(&worker_token, Method::GET, "/api/v1/me/profile", None).await;
    assert_eq!(status, 404);
    assert_error(&err, "profile_not_found");
}

/// A stand-in for the provincial identity service, on a real local HTTP server: names 张三 match,
/// anything else does not.
async fn mock_provider() -> String {
    async fn check(axum::Json(q): axum::Json<Value>) -> axum::Json<Value> {
        if q["name"] == "张三" && q["id_number"].as_str().is_some_and(|n| n.len() == 18) {
            axum::Json(json!({"result": "match"}))
        } else {
            axum::Json(
                json!({"result": "mismatch", "reason": "姓名与身份证号码不一致 / name and ID number do not match"}),
            )
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/verify", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/verify", axum::routing::post(check)))
            .await
            .unwrap()
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_provider_verifies_and_rejects() {
    let url = mock_provider().await;
    let app = gigmarket_e2e::spawn_with(gigmarket_e2e::Backend::Sqlite, move |c| {
        c.verification_url = Some(url)
    })
    .await;
    let me = register(&app, "13844445555", "worker").await.token;
    let (status, p) = app
        .call_as(
            &me,
            Method::PUT,
            "/api/v1/me/profile",
            Some(worker(&id_number("41022519900307123"))),
        )
        .await;
    assert_eq!((status, p["verification"].as_str()), (200, Some("verified")), "{p}");
    let other = register(&app, "13844446666", "worker").await.token;
    let mut body = worker(&id_number("41022519850612002"));
    body["name"] = json!("李四");
    let (_, p) = app.call_as(&other, Method::PUT, "/api/v1/me/profile", Some(body)).await;
    assert_eq!(p["verification"], "rejected");
    assert!(p["verification_reason"].as_str().unwrap().contains("不一致"));
    let (_, log) = app.admin_get("/api/v1/audit?tenant=lankao").await;
    let by_provider = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "provider" && e["action"] == "profile.verify")
        .count();
    assert_eq!(by_provider, 2, "both decisions are audited: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_leaves_the_profile_to_staff() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/verify", closed.local_addr().unwrap());
    drop(closed);
    let app = gigmarket_e2e::spawn_with(gigmarket_e2e::Backend::Sqlite, move |c| {
        c.verification_url = Some(url)
    })
    .await;
    let me = register(&app, "13844447777", "worker").await.token;
    let (status, p) = app
        .call_as(
            &me,
            Method::PUT,
            "/api/v1/me/profile",
            Some(worker(&id_number("41022519900307123"))),
        )
        .await;
    assert_eq!((status, p["verification"].as_str()), (200, Some("unverified")), "{p}");
}

/// A rejection carries its reason to the worker and to the audit log; a corrected profile goes
/// back to the queue and can then be verified.
async fn staff_reject_with_a_reason_the_worker_sees(app: TestApp) {
    let me = register(&app, "13855556666", "worker").await.token;
    let id = id_number("41022519910101123");
    let (status, _) = app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(worker(&id))).await;
    assert_eq!(status, 200);
    let account = app.call_as(&me, Method::GET, "/api/v1/auth/me", None).await.1["id"]
        .as_str()
        .unwrap()
        .to_string();
    let county = staff(&app, "13900000091", "county_admin", "lankao").await.token;
    let path = format!("/api/v1/tenants/lankao/verifications/{account}");
    let (status, body) = app
        .call_as(&county, Method::POST, &path, Some(json!({"approve": false, "reason": "   "})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("reason")),
        "a blank reason is no reason: {body}"
    );
    let (status, rejected) = app
        .call_as(
            &county,
            Method::POST,
            &path,
            Some(json!({"approve": false, "reason": "姓名与身份证不一致"})),
        )
        .await;
    assert_eq!((status, rejected["verification"].as_str()), (200, Some("rejected")), "{rejected}");
    assert_eq!(
        rejected["id_number"].as_str().map(|n| n.contains('*')),
        Some(true),
        "masked for staff lists: {rejected}"
    );
    let (_, mine) = app.call_as(&me, Method::GET, "/api/v1/me/profile", None).await;
    assert_eq!(
        (mine["verification"].as_str(), mine["verification_reason"].as_str()),
        (Some("rejected"), Some("姓名与身份证不一致"))
    );
    let (_, log) = app.admin_get("/api/v1/audit?tenant=lankao").await;
    let entry = &log["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("profile.verify"), Some(account.as_str())),
        "{log}"
    );
    let detail: Value = serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (detail["verdict"].as_str(), detail["reason"].as_str()),
        (Some("rejected"), Some("姓名与身份证不一致"))
    );

    let mut fixed = worker(&id);
    fixed["name"] = json!("张四");
    let (_, again) = app.call_as(&me, Method::PUT, "/api/v1/me/profile", Some(fixed)).await;
    assert_eq!(again["verification"], "unverified", "a corrected profile is reviewed again");
    let (status, verified) =
        app.call_as(&county, Method::POST, &path, Some(json!({"approve": true}))).await;
    assert_eq!((status, verified["verification"].as_str()), (200, Some("verified")), "{verified}");
}
