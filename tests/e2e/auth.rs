//! Accounts and sessions over HTTP: registration, login, logout, lockout, token misuse, and no
//! phone number in clear in the database.

use std::time::Duration;

use gigmarket_e2e::people::register;
use gigmarket_e2e::{Backend, TestApp, assert_error, db_tests, spawn_with};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    register_login_me_logout,
    bad_registrations_are_explained,
    repeated_failures_lock_the_account,
    forged_and_revoked_tokens_are_refused,
    phones_are_never_stored_in_clear
);

async fn register_login_me_logout(app: TestApp) {
    let token = register(&app, "13812345678", "worker").await.token;
    let (status, me) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (me["kind"].as_str(), me["phone"].as_str()),
        (Some("worker"), Some("13812345678")),
        "the owner sees their own phone"
    );
    assert_eq!(me["tenant_code"], Value::Null, "a worker's account is city-wide");
    let resp =
        app.client.post(app.at("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let (status, body) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 401);
    assert_error(&body, "invalid_session");
}

async fn bad_registrations_are_explained(app: TestApp) {
    let cases = [
        (
            json!({"phone": "12812345678", "password": "kaifeng2026", "kind": "worker"}),
            400,
            "invalid_phone",
            Some("phone"),
        ),
        (
            json!({"phone": "13812345678", "password": "12345678", "kind": "worker"}),
            400,
            "weak_password",
            Some("password"),
        ),
        (
            json!({"phone": "13812345678", "password": "kaifeng2026", "kind": "city_admin"}),
            403,
            "staff_account",
            Some("kind"),
        ),
        (
            json!({"phone": "13812345678", "password": "kaifeng2026", "kind": "boss"}),
            400,
            "invalid_body",
            None,
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, err) = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(got, status, "{body}: {err}");
        assert_error(&err, code);
        if let Some(f) = field {
            assert_eq!(err["error"]["field"], f);
        }
    }
    register(&app, "13812345678", "worker").await;
    let (status, body) = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"phone": "13812345678", "password": "another2026", "kind": "employer"}),
        )
        .await;
    assert_eq!(status, 409);
    assert_error(&body, "phone_taken");
}

async fn repeated_failures_lock_the_account(app: TestApp) {
    register(&app, "13912345678", "worker").await;
    for _ in 0..5 {
        let (status, body) = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"phone": "13912345678", "password": "wrong-guess1"}),
            )
            .await;
        assert_eq!(status, 401);
        assert_error(&body, "invalid_credentials");
    }
    let (status, body) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13912345678", "password": "kaifeng2026"}),
        )
        .await;
    assert_eq!(status, 429, "locked even with the right password: {body}");
    assert_error(&body, "account_locked");
    let (status, body) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13700000000", "password": "kaifeng2026"}),
        )
        .await;
    assert_eq!(status, 401, "an unknown phone gets the same answer as a wrong password");
    assert_error(&body, "invalid_credentials");

    // The lock lasts 15 minutes by the host's clock, then the right password works again.
    app.clock.advance(chrono::Duration::minutes(14));
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/login",
                &json!({"phone": "13912345678", "password": password}),
            )
            .await
        }
    };
    assert_eq!(login("kaifeng2026").await.0, 429, "still locked after 14 minutes");
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(login("kaifeng2026").await.0, 200, "unlocked after 16 minutes");
    // A good login resets the count: four failures, a success, four more do not lock.
    for round in 0..2 {
        for _ in 0..4 {
            assert_eq!(login("wrong-guess1").await.0, 401);
        }
        assert_eq!(login("kaifeng2026").await.0, 200, "round {round}: not locked");
    }
}

async fn forged_and_revoked_tokens_are_refused(app: TestApp) {
    let token = register(&app, "13612345678", "worker").await.token;
    let mut forged = token.clone();
    forged.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for bad in [forged.as_str(), "", "not-a-token"] {
        let (status, _) = app.call_as(bad, Method::GET, "/api/v1/auth/me", None).await;
        assert_eq!(status, 401, "{bad}");
    }
    let resp = app.client.get(app.at("/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let resp =
        app.client.post(app.at("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let resp =
        app.client.post(app.at("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401, "a revoked token cannot be revoked again");
    let (status, _) = app.call_as(&token, Method::GET, "/api/v1/plugins", None).await;
    assert_eq!(status, 401, "a worker's session is no administrator token");
}

async fn phones_are_never_stored_in_clear(app: TestApp) {
    register(&app, "13512345678", "worker").await;
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap();
    use sqlx::Row;
    let rows = sqlx::query("SELECT id, kind, phone_enc, phone_index, password_hash, tenant_code, status, created_at FROM accounts").fetch_all(&pool).await.unwrap();
    assert_eq!(rows.len(), 1);
    for i in 0..8 {
        let value: Option<String> = rows[0].try_get(i).unwrap();
        let value = value.unwrap_or_default();
        assert!(
            !value.contains("13512345678") && !value.contains("12345678"),
            "column {i} holds the phone: {value}"
        );
    }
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_refused() {
    let app = spawn_with(Backend::Sqlite, |c| c.session_ttl = Duration::from_secs(3600)).await;
    let token = register(&app, "13812340000", "worker").await.token;
    app.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(
        app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await.0,
        200,
        "still within its hour"
    );
    app.clock.advance(chrono::Duration::minutes(2));
    let (status, body) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 401);
    assert_error(&body, "invalid_session");
}

/// One address guessing across many phone numbers is slowed down, not only each account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_guessing_many_accounts_is_throttled() {
    let app = gigmarket_e2e::spawn(Backend::Sqlite).await;
    for i in 0..gigmarket::accounts::throttle::MAX_FAILURES_PER_WINDOW {
        let (status, _) = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"phone": format!("137{i:08}"), "password": "guess-2026"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    let (status, body) = app
        .post_json("/api/v1/auth/login", &json!({"phone": "13799999999", "password": "guess-2026"}))
        .await;
    assert_eq!(status, 429, "{body}");
    assert_error(&body, "too_many_attempts");
}
