//! The people of a hiring test: workers and employers with real-name profiles (verified or
//! not), staff, and a well-formed job post to start from.

use gigmarket::identity::idcard::check_char;
use reqwest::Method;
use serde_json::{Value, json};

use crate::TestApp;

/// Chinese numerals for the digits of `n` (names may not contain digits).
pub fn numerals(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| "零一二三四五六七八九".chars().nth(c.to_digit(10).unwrap() as usize).unwrap())
        .collect()
}

/// The name worker `n` registers with, e.g. 张伟芳.
pub fn worker_name(n: u32) -> String {
    let surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
    let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
    format!(
        "{}{}{}",
        surnames[(n / 100 % 10) as usize],
        given[(n / 10 % 10) as usize],
        given[(n % 10) as usize]
    )
}

/// The name employer `n` registers with, e.g. 兰考第十一物流有限公司.
pub fn employer_name(n: u32) -> String {
    format!("兰考第{}物流有限公司", numerals(n))
}

/// An account with a session.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub token: String,
}

/// A valid ID number from its first 17 characters.
pub fn id_number(body17: &str) -> String {
    format!("{body17}{}", check_char(body17))
}

/// Register `phone` as `kind` and log in.
pub async fn register(app: &TestApp, phone: &str, kind: &str) -> Person {
    let resp = app
        .client
        .post(app.at("/api/v1/auth/register"))
        .json(&json!({"phone": phone, "password": "kaifeng2026", "kind": kind}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201, "{}", resp.text().await.unwrap());
    login(app, phone, "kaifeng2026").await
}

pub async fn login(app: &TestApp, phone: &str, password: &str) -> Person {
    let resp = app
        .client
        .post(app.at("/api/v1/auth/login"))
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    let token =
        body["token"].as_str().unwrap_or_else(|| panic!("login failed: {body}")).to_string();
    let (_, me) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    Person { id: me["id"].as_str().unwrap().to_string(), token }
}

/// The account id behind a session token.
pub async fn account_id(app: &TestApp, token: &str) -> String {
    let (status, me) = app.call_as(token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 200, "{me}");
    me["id"].as_str().unwrap().to_string()
}

/// Approve a profile as the city (bootstrap admin token).
pub async fn verify(app: &TestApp, person: &Person, tenant: &str) {
    let (status, body) = app
        .admin_post(
            &format!("/api/v1/tenants/{tenant}/verifications/{}", person.id),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verification"], "verified");
}

/// A worker of 兰考县 with a profile; `n` makes the phone and ID number unique.
pub async fn worker(
    app: &TestApp,
    n: u32,
    occupations: &[&str],
    place: (f64, f64),
    verified: bool,
) -> Person {
    let p = register(app, &format!("139{n:08}"), "worker").await;
    let id = id_number(&format!("4102251990{:02}{:02}{:03}", 1 + n % 12, 1 + n % 28, n % 1000));
    let profile = json!({"kind": "worker", "home_tenant": "lankao", "name": worker_name(n), "id_number": id,
        "occupations": occupations, "skill_level": 2, "wage_expectation_cents": 18000, "wage_unit": "day",
        "location": {"lon": place.0, "lat": place.1}, "certificates": ["健康证"]});
    let (status, body) =
        app.call_as(&p.token, Method::PUT, "/api/v1/me/profile", Some(profile)).await;
    assert_eq!(status, 200, "{body}");
    if verified {
        verify(app, &p, "lankao").await;
    }
    p
}

/// An enterprise employer of 兰考县 with a profile.
pub async fn employer(app: &TestApp, n: u32, verified: bool) -> Person {
    let p = register(app, &format!("137{n:08}"), "employer").await;
    let profile = json!({"kind": "enterprise", "home_tenant": "lankao", "name": employer_name(n),
        "uscc": "91350100M000100Y43", "contact_name": "李经理"});
    let (status, body) =
        app.call_as(&p.token, Method::PUT, "/api/v1/me/profile", Some(profile)).await;
    assert_eq!(status, 200, "{body}");
    if verified {
        verify(app, &p, "lankao").await;
    }
    p
}

/// A staff account of `tenant` with `role`, logged in.
pub async fn staff(app: &TestApp, phone: &str, role: &str, tenant: &str) -> Person {
    let (status, body) = app
        .admin_post(
            "/api/v1/staff",
            &json!({"phone": phone, "password": "staff2026pw", "role": role, "tenant": tenant}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    login(app, phone, "staff2026pw").await
}

/// China's date `days` from today, `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    (gigmarket::clock::china_date(crate::now()) + chrono::Duration::days(days)).to_string()
}

/// A time `minutes` from now, RFC 3339.
pub fn in_minutes(minutes: i64) -> String {
    (crate::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// A post that the city's review accepts: a day's loading work in 兰考县 at ¥200 a day.
pub fn job(tenant: &str, title: &str) -> Value {
    json!({"tenant": tenant, "title": title, "description": "仓库临时装卸搬运,日结,包午饭", "occupation_code": "4-02-05-01",
        "headcount": 3, "district": "410225", "address": "兰考县兰阳街道物流园3号仓库", "location": {"lon": 114.82, "lat": 34.82},
        "work_start": day(1), "work_end": day(2), "daily_hours": 8.0, "wage_cents": 20000, "wage_unit": "day",
        "settlement": "daily", "closes_at": in_minutes(24 * 60), "contact_name": "李经理", "contact_phone": "13712345678"})
}

/// Post `body` as `employer`; returns (status, body).
pub async fn post_job(app: &TestApp, employer: &Person, body: Value) -> (u16, Value) {
    app.call_as(&employer.token, Method::POST, "/api/v1/jobs", Some(body)).await
}

/// Post a job that must open; returns its id.
pub async fn open_job(app: &TestApp, employer: &Person, body: Value) -> String {
    let (status, job) = post_job(app, employer, body).await;
    assert_eq!(status, 201, "{job}");
    assert_eq!(job["status"], "open", "{job}");
    job["id"].as_str().unwrap().to_string()
}
