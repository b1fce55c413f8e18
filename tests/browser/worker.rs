//! The worker's walk-through of docs/demo.md on a phone, by clicking: find a job in the feed,
//! open it, apply (logging in on the way), see the application on `/me`, check in at the market
//! through the page its QR code opens, fill in the real-name form with a mistake and correct it.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::{employer, id_number, job, open_job, register, worker};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;

db_tests!(
    a_worker_finds_a_job_applies_and_checks_in_on_a_phone,
    a_new_worker_fills_in_the_real_name_form
);

async fn a_worker_finds_a_job_applies_and_checks_in_on_a_phone(app: TestApp) {
    let boss = employer(&app, 81, true).await;
    let id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    open_job(&app, &boss, job("qixian", "大蒜分拣短工")).await;
    let w = worker(&app, 82, &["4-02-05-01"], (114.82, 34.82), true).await;
    let b = Browser::open(&app, Viewport::Phone).await;

    b.goto("/").await;
    b.settle().await;
    b.assert_clean().await;
    b.snap("feed-phone").await;
    b.fill("#q", "装卸工").await;
    b.click("#search button[type=submit]").await;
    b.settle().await;
    assert_eq!(b.all(".cards .card").await.len(), 1, "the keyword narrows the feed");
    b.click(&format!("a[href='/jobs/{id}']")).await;
    b.settle().await;
    assert_eq!(b.path().await, format!("/jobs/{id}"));
    assert!(b.text(".wage").await.contains("200元/天"));
    b.assert_clean().await;
    b.snap("job-phone").await;

    b.click("form.apply button").await;
    b.settle().await;
    assert!(b.path().await.starts_with("/login?next="), "log in first: {}", b.path().await);
    b.fill("#phone", "13900000082").await;
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
    b.settle().await;
    assert_eq!(b.path().await, format!("/jobs/{id}"), "back on the post");
    b.click("form.apply button").await;
    b.settle().await;
    assert_eq!(b.path().await, "/me");
    assert!(b.text("article.engagement").await.contains("仓库装卸工"));
    b.assert_clean().await;
    b.snap("me-phone").await;
    let (_, mine) = app.call_as(&w.token, Method::GET, "/api/v1/me/engagements", None).await;
    assert_eq!(mine["engagements"][0]["status"], "applied", "{mine}");

    b.goto("/markets/lankao").await;
    b.settle().await;
    b.assert_clean().await;
    b.snap("market-phone").await;
    b.click("a[href='/markets/lankao/check-in']").await;
    b.settle().await;
    b.click("form[action='/markets/lankao/check-in'] button").await;
    b.settle().await;
    assert!(b.text("#checked-in").await.contains("登记成功"));
    b.assert_clean().await;
    let (_, list) = app.admin_get("/api/v1/tenants/lankao/check-ins").await;
    assert_eq!(list["accounts"], serde_json::json!([w.id]));
    b.close().await;
}

/// A new worker fills in the real-name form (a mistake is named by its field, then put right),
/// and cannot open any console.
async fn a_new_worker_fills_in_the_real_name_form(app: TestApp) {
    let w = register(&app, "13900000083", "worker").await;
    let b = Browser::open(&app, Viewport::Phone).await;
    b.goto("/login").await;
    b.fill("#phone", "13900000083").await;
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
    b.settle().await;
    b.click("a[href='/me/profile']").await;
    b.settle().await;
    b.assert_clean().await;
    b.select("#home_tenant", "lankao").await;
    b.fill("#name", "王小明").await;
    b.fill("#id_number", "410225199001010021").await;
    b.select("#occupation_1", "4-02-05-01").await;
    b.fill("#wage", "180").await;
    b.click("form[action='/me/profile'] button[type=submit]").await;
    b.settle().await;
    assert!(b.text("#id_number-error").await.contains("校验"), "the check digit is named");
    b.assert_clean().await;
    b.snap("profile-error-phone").await;
    b.fill("#id_number", &id_number("41022519900101002")).await;
    b.click("form[action='/me/profile'] button[type=submit]").await;
    b.settle().await;
    assert_eq!(b.path().await, "/me");
    assert!(b.text("#profile-title + p").await.contains("等待市场工作人员核验"));
    let (_, profile) = app.call_as(&w.token, Method::GET, "/api/v1/me/profile", None).await;
    assert_eq!(profile["name"], "王小明");
    for console in ["/console/lankao", "/console"] {
        b.goto(console).await;
        b.settle().await;
        assert!(b.text(".error h1").await.contains("无权访问"), "a worker opens no console");
        assert_eq!(b.all("form[action^='/console']").await.len(), 0, "and sees none of its forms");
        b.assert_clean().await;
    }
    b.close().await;
}
