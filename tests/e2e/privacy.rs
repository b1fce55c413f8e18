//! Personal numbers (phones, ID numbers) never rest in clear anywhere in the database, and every
//! list that shows one to someone other than its owner shows it masked.

use gigmarket_e2e::people::{employer, id_number, job, open_job, register, staff, worker};
use gigmarket_e2e::{Backend, TestApp, db_tests};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Row;

db_tests!(no_personal_number_rests_in_clear, lists_show_personal_numbers_masked);

/// The contact mobile every post of these tests gives.
const CONTACT: &str = "13712348765";
const CONTACT_MASKED: &str = "137****8765";

/// Every table and text-like column of the database (both backends).
async fn columns(app: &TestApp) -> Vec<(String, String)> {
    let pool = app.store.pool();
    match app.backend {
        Backend::Sqlite => {
            let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
                .fetch_all(pool)
                .await
                .unwrap();
            let mut out = Vec::new();
            for t in tables {
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{t}')"))).fetch_all(pool).await.unwrap();
                out.extend(rows.iter().map(|r| (t.clone(), r.get::<String, _>(0))));
            }
            out
        }
        Backend::Postgres => sqlx::query("SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
    }
}

/// A worker, an employer and staff go through verification, a post, recommendations, an
/// engagement with its agreement, a complaint and an audited read of the ID number; then no
/// value in any column of any table contains a phone or ID number in clear.
async fn no_personal_number_rests_in_clear(app: TestApp) {
    let boss = employer(&app, 71, true).await;
    let post = open_job(&app, &boss, with_contact(job("lankao", "隐私检查岗位"))).await;
    let w = worker(&app, 71, &["4-02-05-01"], (114.82, 34.82), true).await;
    let worker_id_number =
        id_number(&format!("4102251990{:02}{:02}{:03}", 1 + 71 % 12, 1 + 71 % 28, 71));
    let (_, e) = app
        .call_as(&w.token, Method::POST, &format!("/api/v1/jobs/{post}/applications"), None)
        .await;
    let id = e["id"].as_str().unwrap();
    for (who, action) in [(&boss, "offer"), (&w, "accept")] {
        let (status, body) = app
            .call_as(&who.token, Method::POST, &format!("/api/v1/engagements/{id}/{action}"), None)
            .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    app.call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{post}/recommendations"), None)
        .await;
    app.call_as(&w.token, Method::GET, "/api/v1/me/recommendations", None).await;
    let complaint = json!({"tenant": "lankao", "kind": "wage_arrears", "engagement_id": id, "description": "干了三天活,工资一直没有结清"});
    assert_eq!(
        app.call_as(&w.token, Method::POST, "/api/v1/complaints", Some(complaint)).await.0,
        201
    );
    let county = staff(&app, "13900000171", "county_admin", "lankao").await;
    let (status, clear) = app
        .call_as(
            &county.token,
            Method::GET,
            &format!("/api/v1/tenants/lankao/people/{}", w.id),
            None,
        )
        .await;
    assert_eq!(
        (status, clear["id_number"].as_str()),
        (200, Some(worker_id_number.as_str())),
        "the audited read shows it"
    );

    let secrets = ["13900000071", "13700000071", CONTACT, "13900000171", worker_id_number.as_str()];
    let pool = app.store.pool();
    let mut scanned = 0;
    for (table, column) in columns(&app).await {
        let sql = format!("SELECT CAST({column} AS TEXT) FROM {table}");
        let values: Vec<Option<String>> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap();
        for value in values.into_iter().flatten() {
            scanned += 1;
            for secret in secrets {
                assert!(
                    !value.contains(secret),
                    "{table}.{column} holds {secret} in clear: {value}"
                );
            }
        }
    }
    assert!(scanned > 500, "the scan read the data ({scanned} values)");
}

fn with_contact(mut post: Value) -> Value {
    post["contact_phone"] = json!(CONTACT);
    post
}

/// Feeds, the staff's held queue, a review's answer, recommendations both ways and the
/// applicants' list show the contact mobile masked (or not at all) to everyone but its employer.
async fn lists_show_personal_numbers_masked(app: TestApp) {
    let boss = employer(&app, 72, true).await;
    let post = open_job(&app, &boss, with_contact(job("lankao", "掩码检查岗位"))).await;
    let long_days = with_contact(json!({"daily_hours": 11.0}));
    let mut held = with_contact(job("lankao", "夜班掩码检查"));
    held["daily_hours"] = long_days["daily_hours"].clone();
    let (status, held) = app.call_as(&boss.token, Method::POST, "/api/v1/jobs", Some(held)).await;
    assert_eq!((status, held["status"].as_str()), (201, Some("held")), "{held}");
    assert_eq!(held["contact_phone"], CONTACT, "the employer sees its own number");
    let w = worker(&app, 72, &["4-02-05-01"], (114.82, 34.82), true).await;
    let county = staff(&app, "13900000172", "county_admin", "lankao").await;
    let stranger = register(&app, "13600000172", "worker").await;
    let held_id = held["id"].as_str().unwrap();
    let views = [
        ("city feed", None, Method::GET, "/api/v1/jobs".to_string(), None),
        ("market feed", None, Method::GET, "/api/v1/tenants/lankao/jobs".into(), None),
        ("a post", Some(&stranger.token), Method::GET, format!("/api/v1/jobs/{post}"), None),
        (
            "held queue",
            Some(&county.token),
            Method::GET,
            "/api/v1/tenants/lankao/jobs/held".into(),
            None,
        ),
        (
            "review answer",
            Some(&county.token),
            Method::POST,
            format!("/api/v1/tenants/lankao/jobs/{held_id}/review"),
            Some(json!({"approve": true})),
        ),
        (
            "worker recommendations",
            Some(&w.token),
            Method::GET,
            "/api/v1/me/recommendations".into(),
            None,
        ),
        (
            "job recommendations",
            Some(&county.token),
            Method::GET,
            format!("/api/v1/jobs/{post}/recommendations"),
            None,
        ),
    ];
    for (what, token, method, path, body) in views {
        let (status, shown) = match token {
            Some(t) => app.call_as(t, method, &path, body).await,
            None => app.get_json(&path).await,
        };
        assert_eq!(status, 200, "{what}: {shown}");
        let text = shown.to_string();
        assert!(!text.contains(CONTACT), "{what} shows the mobile in clear: {text}");
        if what != "job recommendations" && what != "worker recommendations" {
            assert!(text.contains(CONTACT_MASKED), "{what} shows it masked: {text}");
        }
        for digits in ["13900000072", "13700000072"] {
            assert!(!text.contains(digits), "{what} shows an account's phone: {text}");
        }
    }
}
