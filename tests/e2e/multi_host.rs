//! Several hosts on one PostgreSQL database, as the platform scales out: a permission change,
//! a new staff account, a locked account and an ended session hold on every host at once; the
//! housekeeping sweeps of several hosts never act twice; a database outage is a structured 503
//! on every host, and every host recovers on its own with the current permissions.

use std::time::{Duration, Instant};

use gigmarket::complaints::escalate_overdue;
use gigmarket_e2e::people::{Person, employer, job, login, open_job, register};
use gigmarket_e2e::proxy::Proxy;
use gigmarket_e2e::{ADMIN_TOKEN, Backend, TestApp, assert_error, postgres_addr, spawn, via_port};
use reqwest::Method;
use serde_json::{Value, json};

const SLOTS: &str = "/api/v1/tenants/qixian/slots/matching";

async fn city_matching(app: &TestApp) -> String {
    let (_, body) = app.admin_get("/api/v1/plugins").await;
    body["plugins"].as_array().unwrap().iter().find(|p| p["name"] == "city_matching").unwrap()["hash"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A county admin of 杞县 binds its matching slot through `app`; returns the status.
async fn bind(app: &TestApp, admin: &Person, plugin: &str) -> u16 {
    app.call_as(&admin.token, Method::PUT, SLOTS, Some(json!({"plugin": plugin}))).await.0
}

fn slots_policy() -> Value {
    json!({"role": "county_admin", "object": "slots", "action": "read|write"})
}

async fn failed_login(app: &TestApp, phone: &str) -> (u16, Value) {
    let resp = app
        .client
        .post(app.at("/api/v1/auth/login"))
        .json(&json!({"phone": phone, "password": "wrong-password"}))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hosts_agree_on_permissions_accounts_and_sessions() {
    let a = spawn(Backend::Postgres).await;
    let b = a.another_host().await;
    let plugin = city_matching(&a).await;

    // A staff account created on A acts on B at once (before, B's enforcer never heard of it).
    let (status, body) = a.admin_post("/api/v1/staff", &json!({"phone": "13900000071", "password": "staff2026pw", "role": "county_admin", "tenant": "qixian"})).await;
    assert_eq!(status, 201, "{body}");
    let admin = login(&b, "13900000071", "staff2026pw").await;
    assert_eq!(bind(&b, &admin, &plugin).await, 201, "a new staff account");

    // A revocation on A is refused on B by the very next request, and a grant allowed.
    let (status, _) = a
        .call_as(ADMIN_TOKEN, Method::DELETE, "/api/v1/authz/policies", Some(slots_policy()))
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        bind(&b, &admin, &plugin).await,
        403,
        "a revocation holds on the other host at once"
    );
    assert_eq!(bind(&a, &admin, &plugin).await, 403);
    let (status, _) = a.admin_post("/api/v1/authz/policies", &slots_policy()).await;
    assert_eq!(status, 201);
    assert_eq!(bind(&b, &admin, &plugin).await, 201, "a grant holds on the other host at once");

    // Bad policy changes name their field and change nothing, on either host.
    let (_, before) = b.admin_get("/api/v1/authz/policies").await;
    for (bad, field) in [
        (json!({"role": "janitor", "object": "slots", "action": "read"}), "role"),
        (json!({"role": "county_admin", "object": "slotz", "action": "read"}), "object"),
        (json!({"role": "county_admin", "object": "slots", "action": "delete"}), "action"),
        (json!({"role": "worker", "object": "slots", "action": "read"}), "role"),
    ] {
        for method in [Method::POST, Method::DELETE] {
            let (status, body) = b
                .call_as(ADMIN_TOKEN, method.clone(), "/api/v1/authz/policies", Some(bad.clone()))
                .await;
            assert_eq!(
                (status, body["error"]["field"].as_str()),
                (400, Some(field)),
                "{method} {bad}: {body}"
            );
            assert_error(&body, "invalid_policy");
        }
    }
    assert_eq!(a.admin_get("/api/v1/authz/policies").await.1, before, "nothing changed");

    // An account locked by failures on B cannot log in on A.
    register(&a, "13800000072", "worker").await;
    for _ in 0..5 {
        assert_eq!(failed_login(&b, "13800000072").await.0, 401);
    }
    let resp = a
        .client
        .post(a.at("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000072", "password": "kaifeng2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_error(&resp.json().await.unwrap(), "account_locked");

    // A session ended on B is gone on A.
    let worker = register(&a, "13800000073", "worker").await;
    assert_eq!(a.call_as(&worker.token, Method::GET, "/api/v1/auth/me", None).await.0, 200);
    assert_eq!(b.call_as(&worker.token, Method::POST, "/api/v1/auth/logout", None).await.0, 204);
    let (status, body) = a.call_as(&worker.token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 401);
    assert_error(&body, "invalid_session");

    // A staff account removed on B is gone on A: its session ends and its role with it.
    let (_, me) = a.call_as(&admin.token, Method::GET, "/api/v1/auth/me", None).await;
    let (status, body) = b
        .call_as(
            ADMIN_TOKEN,
            Method::DELETE,
            &format!("/api/v1/staff/{}", me["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) =
        a.call_as(&admin.token, Method::PUT, SLOTS, Some(json!({"plugin": plugin}))).await;
    assert_eq!(status, 401, "{body}");
    let resp = a
        .client
        .post(a.at("/api/v1/auth/login"))
        .json(&json!({"phone": "13900000071", "password": "staff2026pw"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert_error(&resp.json().await.unwrap(), "account_disabled");
    let (_, audit) = a.admin_get("/api/v1/audit?tenant=qixian").await;
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "account.disable" && e["target"] == me["id"]),
        "{audit}"
    );

    // One address's failed logins count on every host: 20 in all (5 above), then refused on both.
    for i in 0..15 {
        let host = if i % 2 == 0 { &a } else { &b };
        assert_eq!(failed_login(host, &format!("1370000{:04}", 100 + i)).await.0, 401);
    }
    for host in [&a, &b] {
        let (status, body) = failed_login(host, "13700000999").await;
        assert_eq!(status, 429, "{body}");
        assert_error(&body, "too_many_attempts");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn housekeeping_on_two_hosts_never_acts_twice() {
    let a = spawn(Backend::Postgres).await;
    let b = a.another_host().await;
    let boss = employer(&a, 71, true).await;
    for title in ["仓库装卸工", "夜班装卸", "冷库搬运"] {
        open_job(&a, &boss, job("lankao", title)).await;
    }
    let later = gigmarket::store::stamp(gigmarket_e2e::now() + chrono::Duration::days(2));
    let (here, there) = tokio::join!(a.store.expire_jobs(&later), b.store.expire_jobs(&later));
    assert_eq!(here.unwrap() + there.unwrap(), 3, "each post expired once");

    let me = register(&a, "13600000071", "worker").await;
    let (status, case) = a.call_as(&me.token, Method::POST, "/api/v1/complaints", Some(json!({"tenant": "lankao-lanyang", "kind": "wage_arrears", "description": "在兰考县某工地干了五天小工,老板至今未付工资1000元"}))).await;
    assert_eq!(status, 201, "{case}");
    let overdue: chrono::DateTime<chrono::Utc> = case["due_at"].as_str().unwrap().parse().unwrap();
    let at = overdue + chrono::Duration::hours(1);
    let (here, there) = tokio::join!(
        escalate_overdue(&a.store, &a.rules, at),
        escalate_overdue(&b.store, &b.rules, at)
    );
    assert_eq!(here.unwrap() + there.unwrap(), 1, "the case escalated once");
    let (_, now) = a
        .admin_get(&format!("/api/v1/tenants/lankao/complaints/{}", case["id"].as_str().unwrap()))
        .await;
    let moves =
        now["history"].as_array().unwrap().iter().filter(|e| e["status"] == "escalated").count();
    assert_eq!((now["handling_tenant"].as_str(), moves), (Some("lankao"), 1), "{now}");
}

/// Host C reaches the database through a proxy that the test cuts: C answers 503 (readiness and
/// requests, within its acquire timeout, never a hang or a 500), host A is unaffected and revokes
/// a permission meanwhile, and once the database is reachable again C recovers on its own and
/// enforces the revocation.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_outage_is_a_503_and_every_host_recovers() {
    let a = spawn(Backend::Postgres).await;
    let proxy = Proxy::start(postgres_addr()).await;
    let c = a
        .another_host_with(|config| {
            config.database_url = Some(via_port(&a.database_url, proxy.port()));
            config.db_acquire_timeout = Duration::from_secs(1);
        })
        .await;
    let plugin = city_matching(&a).await;
    let (status, _) = a.admin_post("/api/v1/staff", &json!({"phone": "13900000081", "password": "staff2026pw", "role": "county_admin", "tenant": "qixian"})).await;
    assert_eq!(status, 201);
    let admin = login(&c, "13900000081", "staff2026pw").await;
    assert_eq!(bind(&c, &admin, &plugin).await, 201);

    proxy.cut();
    let start = Instant::now();
    let (status, body) = c.get_json("/readyz").await;
    assert_eq!(status, 503, "{body}");
    let (status, body) =
        c.call_as(&admin.token, Method::PUT, SLOTS, Some(json!({"plugin": plugin}))).await;
    assert_eq!(status, 503, "{body}");
    assert_error(&body, "database_unavailable");
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "answers come within the acquire timeout: {:?}",
        start.elapsed()
    );
    assert_eq!(a.get_json("/readyz").await.0, 200, "the other host is unaffected");
    let (status, _) = a
        .call_as(ADMIN_TOKEN, Method::DELETE, "/api/v1/authz/policies", Some(slots_policy()))
        .await;
    assert_eq!(status, 204);

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    while c.get_json("/readyz").await.0 != 200 {
        assert!(Instant::now() < deadline, "host C did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        bind(&c, &admin, &plugin).await,
        403,
        "the revocation made during the outage holds on C"
    );
    assert_eq!(c.call_as(&admin.token, Method::GET, "/api/v1/auth/me", None).await.0, 200);
}
