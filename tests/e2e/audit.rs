//! Every administrative action leaves its audit entry, written in the same transaction as the
//! action: with the audit log made unwritable, each action fails and changes nothing; with it
//! back, each succeeds and its entry is the newest in the chain.

use gigmarket_e2e::people::{employer, job, login, register, staff, worker};
use gigmarket_e2e::{ADMIN_TOKEN, TestApp, assert_error, component, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(every_administrative_action_is_audited_in_its_own_transaction);

/// Make appending to the audit log fail, or undo that. The chain's head row is taken away and put
/// back as it was: data, not schema, so no backend's cached statements go stale meanwhile.
async fn audit_writable(app: &TestApp, writable: bool, head: &mut Option<(i64, String)>) {
    let pool = app.store.pool();
    if writable {
        let (seq, hash) = head.take().expect("the head was taken away first");
        sqlx::query("INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)")
            .bind(seq)
            .bind(hash)
            .execute(pool)
            .await
            .unwrap();
    } else {
        let row: (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_head").execute(pool).await.unwrap();
        *head = Some(row);
    }
}

/// The newest audit entry's action and target.
async fn newest(app: &TestApp) -> (String, Option<String>) {
    let (_, log) = app.admin_get("/api/v1/audit?limit=1").await;
    let e = &log["entries"][0];
    (e["action"].as_str().unwrap().to_string(), e["target"].as_str().map(str::to_string))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(app.store.pool()).await.unwrap()
}

/// One administrative action: its request, and the audit action it must leave.
struct Action {
    audit: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    token: String,
}

async fn attempt(app: &TestApp, a: &Action) -> (u16, Value) {
    app.call_as(&a.token, a.method.clone(), &a.path, a.body.clone()).await
}

async fn every_administrative_action_is_audited_in_its_own_transaction(app: TestApp) {
    // What the actions act on.
    let boss = employer(&app, 91, true).await;
    let mut long_days = job("lankao", "夜班审核岗位");
    long_days["daily_hours"] = json!(11.0);
    let (_, held) = app.call_as(&boss.token, Method::POST, "/api/v1/jobs", Some(long_days)).await;
    let held = held["id"].as_str().unwrap().to_string();
    let w = worker(&app, 91, &["4-02-05-01"], (114.82, 34.82), false).await;
    let me = register(&app, "13600000191", "worker").await;
    let case = json!({"tenant": "lankao", "kind": "wage_arrears", "description": "在兰考县某工地干了五天小工,老板至今未付工资1000元"});
    let (_, case) = app.call_as(&me.token, Method::POST, "/api/v1/complaints", Some(case)).await;
    let case = case["id"].as_str().unwrap().to_string();
    let leaving = staff(&app, "13900000199", "station_staff", "lankao-lanyang").await;
    let (_, plugins) = app.admin_get("/api/v1/plugins").await;
    let weishi = plugins["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "weishi_matching")
        .unwrap()["hash"]
        .clone();
    let station = json!({"code": "lankao-yifeng", "kind": "station", "parent": "lankao", "name": "仪封镇零工驿站",
        "region_code": "410225", "address": "兰考县仪封镇便民服务中心", "location": null, "opening_hours": "周一至周六 07:00-17:00",
        "hotline": "0371-23225003", "complaint_channel": "12333", "status": "preparing", "operator": null});
    let admin = ADMIN_TOKEN.to_string();
    let actions = vec![
        Action {
            audit: "tenant.create",
            method: Method::POST,
            path: "/api/v1/tenants".into(),
            body: Some(station),
            token: admin.clone(),
        },
        Action {
            audit: "tenant.update",
            method: Method::PATCH,
            path: "/api/v1/tenants/qixian".into(),
            body: Some(json!({"hotline": "0371-23229191"})),
            token: admin.clone(),
        },
        Action {
            audit: "tenant.services",
            method: Method::PATCH,
            path: "/api/v1/tenants/qixian/services".into(),
            body: Some(json!({"guide": "凭身份证到服务大厅一号窗口登记求职意向。"})),
            token: admin.clone(),
        },
        Action {
            audit: "account.create",
            method: Method::POST,
            path: "/api/v1/staff".into(),
            body: Some(
                json!({"phone": "13900000198", "password": "staff2026pw", "role": "station_staff", "tenant": "lankao-lanyang"}),
            ),
            token: admin.clone(),
        },
        Action {
            audit: "account.disable",
            method: Method::DELETE,
            path: format!("/api/v1/staff/{}", leaving.id),
            body: None,
            token: admin.clone(),
        },
        Action {
            audit: "authz.grant",
            method: Method::POST,
            path: "/api/v1/authz/policies".into(),
            body: Some(json!({"role": "station_staff", "object": "slots", "action": "read|write"})),
            token: admin.clone(),
        },
        Action {
            audit: "authz.revoke",
            method: Method::DELETE,
            path: "/api/v1/authz/policies".into(),
            body: Some(json!({"role": "county_admin", "object": "people", "action": "read"})),
            token: admin.clone(),
        },
        Action {
            audit: "slot.bind",
            method: Method::PUT,
            path: "/api/v1/tenants/gulou/slots/matching".into(),
            body: Some(json!({"plugin": weishi})),
            token: admin.clone(),
        },
        Action {
            audit: "slot.rollback",
            method: Method::POST,
            path: "/api/v1/tenants/gulou/slots/matching/rollback".into(),
            body: Some(json!({"to_version": 1})),
            token: admin.clone(),
        },
        Action {
            audit: "job.review",
            method: Method::POST,
            path: format!("/api/v1/tenants/lankao/jobs/{held}/review"),
            body: Some(json!({"approve": true})),
            token: admin.clone(),
        },
        Action {
            audit: "profile.verify",
            method: Method::POST,
            path: format!("/api/v1/tenants/lankao/verifications/{}", w.id),
            body: Some(json!({"approve": true})),
            token: admin.clone(),
        },
        Action {
            audit: "complaint.status",
            method: Method::POST,
            path: format!("/api/v1/tenants/lankao/complaints/{case}/events"),
            body: Some(json!({"status": "accepted", "note": "受理"})),
            token: admin.clone(),
        },
        Action {
            audit: "assignment.draft",
            method: Method::POST,
            path: "/api/v1/tenants/lankao/assignments".into(),
            body: None,
            token: admin.clone(),
        },
    ];
    let mut head = None;
    for action in &actions {
        let tables = [
            "tenants",
            "accounts",
            "authz_policies",
            "slot_bindings",
            "assignment_runs",
            "audit_log",
        ];
        let before: Vec<i64> = futures_counts(&app, &tables).await;
        let (_, before_case) =
            app.admin_get(&format!("/api/v1/tenants/lankao/complaints/{case}")).await;
        let (_, before_held) = app.get_json(&format!("/api/v1/jobs/{held}")).await;
        let (_, before_qixian) = app.get_json("/api/v1/tenants/qixian").await;

        audit_writable(&app, false, &mut head).await;
        let (status, body) = attempt(&app, action).await;
        audit_writable(&app, true, &mut head).await;
        assert_eq!(
            status, 500,
            "{}: without its audit entry the action must fail: {body}",
            action.audit
        );
        assert_error(&body, "internal");
        assert_eq!(
            futures_counts(&app, &tables).await,
            before,
            "{}: nothing was written",
            action.audit
        );
        assert_eq!(
            app.admin_get(&format!("/api/v1/tenants/lankao/complaints/{case}")).await.1["status"],
            before_case["status"],
            "{}",
            action.audit
        );
        assert_eq!(
            app.get_json(&format!("/api/v1/jobs/{held}")).await.1["status"],
            before_held["status"],
            "{}",
            action.audit
        );
        assert_eq!(
            app.get_json("/api/v1/tenants/qixian").await.1["hotline"],
            before_qixian["hotline"],
            "{}",
            action.audit
        );

        let (status, body) = attempt(&app, action).await;
        assert!((200..300).contains(&status), "{}: {status} {body}", action.audit);
        assert_eq!(newest(&app).await.0, action.audit, "{body}");
    }
    // The effects that the counts above do not show.
    let (status, _) = app.call_as(&w.token, Method::GET, "/api/v1/me/profile", None).await;
    assert_eq!(status, 200);
    let leaving_login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13900000199", "password": "staff2026pw"}),
        )
        .await;
    assert_eq!(leaving_login.0, 403, "the removed account is disabled");
    login(&app, "13900000198", "staff2026pw").await;
    let (_, check) = app.admin_get("/api/v1/audit/verify").await;
    assert_eq!(
        check["broken_at"],
        Value::Null,
        "the chain is whole after the failed attempts: {check}"
    );

    // Plugin uploads too (a component not stored yet).
    let before = count(&app, "plugins").await;
    audit_writable(&app, false, &mut head).await;
    let (status, _) = app.upload(component("fixture_greedy_subsidy"), "greedy").await;
    audit_writable(&app, true, &mut head).await;
    assert_eq!(
        (status, count(&app, "plugins").await),
        (500, before),
        "no plugin without its audit entry"
    );
    let (status, uploaded) = app.upload(component("fixture_greedy_subsidy"), "greedy").await;
    assert_eq!(status, 201, "{uploaded}");
    assert_eq!(
        newest(&app).await,
        ("plugin.upload".to_string(), uploaded["hash"].as_str().map(str::to_string))
    );
}

async fn futures_counts(app: &TestApp, tables: &[&str]) -> Vec<i64> {
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        out.push(count(app, t).await);
    }
    out
}
