//! Probes, error shapes, request ids, the OpenAPI document, restarts.

use gigmarket::authz::routes::{ROUTES, is_page};
use gigmarket_e2e::people::{employer, job, login, open_job, register};
use gigmarket_e2e::{ADMIN_TOKEN, TestApp, assert_error, db_tests};

db_tests!(
    probes_answer,
    unknown_routes_and_methods_get_structured_errors,
    request_ids_are_set_and_propagated,
    openapi_covers_every_route,
    a_restart_keeps_the_data_and_does_not_reseed
);

async fn probes_answer(app: TestApp) {
    assert_eq!(app.get_json("/healthz").await, (200, serde_json::json!({"status": "ok"})));
    assert_eq!(app.get_json("/readyz").await, (200, serde_json::json!({"status": "ok"})));
}

async fn unknown_routes_and_methods_get_structured_errors(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/nothing-here").await;
    assert_eq!(status, 404);
    assert_error(&body, "route_not_found");
    let resp = app.client.delete(app.at("/api/v1/tenants")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_error(&resp.json().await.unwrap(), "method_not_allowed");
}

async fn request_ids_are_set_and_propagated(app: TestApp) {
    let resp = app.client.get(app.at("/healthz")).send().await.unwrap();
    let generated = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(generated.len(), 36, "a UUID: {generated}");
    let resp = app
        .client
        .get(app.at("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "trace-me-42");
}

/// The OpenAPI document, the authorisation table and the router agree, method by method, both
/// ways: every documented route has an access rule and every rule a documented route, and every
/// one of them is served (never `route_not_found` or `method_not_allowed`).
async fn openapi_covers_every_route(app: TestApp) {
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        documented
            .extend(item.as_object().unwrap().keys().map(|m| (m.to_uppercase(), path.clone())));
    }
    let mut table: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|(_, p, _)| !is_page(p))
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    table.sort();
    let missing_rule: Vec<_> = documented.iter().filter(|r| !table.contains(r)).collect();
    let undocumented: Vec<_> = table.iter().filter(|r| !documented.contains(r)).collect();
    assert!(missing_rule.is_empty(), "documented without an access rule: {missing_rule:?}");
    assert!(undocumented.is_empty(), "in the access table, not documented: {undocumented:?}");
    for (method, path) in &table {
        let concrete = path
            .replace("{code}", "kaifeng")
            .split('/')
            .map(|seg| if seg.starts_with('{') { "no-such-thing" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let (status, body) = app.call_as(ADMIN_TOKEN, m, &concrete, None).await;
        let code = body["error"]["code"].as_str().unwrap_or("");
        assert!(
            status != 405 && code != "route_not_found" && code != "method_not_allowed",
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
}

/// A restart keeps what was changed since the files seeded the install, and seeds nothing again:
/// a wiped and reseeded database would have the file's hotline back, no worker and no post, and
/// would log the seeding's uploads twice.
async fn a_restart_keeps_the_data_and_does_not_reseed(app: TestApp) {
    let hotline = serde_json::json!({"hotline": "0371-23229876"});
    let (status, _) =
        app.admin_send(reqwest::Method::PATCH, "/api/v1/tenants/qixian", &hotline).await;
    assert_eq!(status, 200);
    register(&app, "13600000081", "worker").await;
    let boss = employer(&app, 81, true).await;
    let post = open_job(&app, &boss, job("lankao", "重启前发布的岗位")).await;
    let (_, audit_before) = app.admin_get("/api/v1/audit?limit=1000").await;
    let (_, plugins_before) = app.admin_get("/api/v1/plugins").await;

    let app = app.restart().await;
    let (_, qixian) = app.get_json("/api/v1/tenants/qixian").await;
    assert_eq!(qixian["hotline"], "0371-23229876", "the change survives: {qixian}");
    login(&app, "13600000081", "kaifeng2026").await;
    let (status, kept) = app.get_json(&format!("/api/v1/jobs/{post}")).await;
    assert_eq!((status, kept["title"].as_str()), (200, Some("重启前发布的岗位")), "{kept}");
    assert_eq!(app.admin_get("/api/v1/plugins").await.1, plugins_before, "no plugin stored twice");
    let (_, audit_after) = app.admin_get("/api/v1/audit?limit=1000").await;
    assert_eq!(audit_after["entries"], audit_before["entries"], "nothing seeded (or logged) again");
    app.stop().await;
}

#[tokio::test]
async fn readiness_fails_with_a_structured_error_when_postgres_goes_away() {
    let app = gigmarket_e2e::spawn(gigmarket_e2e::Backend::Postgres).await;
    let name = app.database_url.rsplit('/').next().unwrap().to_string();
    gigmarket_e2e::drop_postgres_database(&name).await;
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 503);
    assert_error(&body, "unavailable");
    assert_eq!(app.get_json("/healthz").await.0, 200, "liveness does not depend on the database");
}

db_tests!(admin_actions_are_audited_and_tampering_is_caught);

async fn admin_actions_are_audited_and_tampering_is_caught(app: TestApp) {
    let (_, plugins) = app.admin_get("/api/v1/plugins").await;
    let weishi = plugins["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "weishi_matching")
        .unwrap()["hash"]
        .clone();
    let (status, _) = app
        .admin_send(
            reqwest::Method::PUT,
            "/api/v1/tenants/qixian/slots/matching",
            &serde_json::json!({"plugin": weishi}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .admin_send(
            reqwest::Method::PATCH,
            "/api/v1/tenants/qixian",
            &serde_json::json!({"hotline": "0371-23229999"}),
        )
        .await;
    assert_eq!(status, 200);

    let (status, log) = app.admin_get("/api/v1/audit?tenant=qixian").await;
    assert_eq!(status, 200);
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["tenant.update", "slot.bind"], "newest first, only 杞县's");
    assert_eq!(log["entries"][0]["actor"], "admin-token");
    let (_, all) = app.admin_get("/api/v1/audit?limit=1000").await;
    assert!(
        all["entries"].as_array().unwrap().iter().any(|e| e["action"] == "plugin.upload"),
        "seeding uploads are audited too"
    );
    let (_, check) = app.admin_get("/api/v1/audit/verify").await;
    assert_eq!(check["broken_at"], serde_json::Value::Null, "{check}");

    let seq = log["entries"][1]["seq"].as_i64().unwrap();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET detail = '{}' WHERE seq = $1")
        .bind(seq)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (_, check) = app.admin_get("/api/v1/audit/verify").await;
    assert_eq!(check["broken_at"], seq, "{check}");
}
