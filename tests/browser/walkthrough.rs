//! docs/demo.md's instant-hiring walk-through done by clicking, in two browsers: the employer
//! on a desktop posts a job; the worker on a phone finds it and applies; the employer offers;
//! the worker accepts and signs; the employer signs; the worker checks in and out; the employer
//! records the wage; the worker confirms it and rates; then the worker files a complaint and
//! reads its one-time notice. Each step is checked over the JSON API as well.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::{employer, worker};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;

db_tests!(the_demo_walk_through_is_done_by_clicking);

async fn log_in(b: &Browser, phone: &str) {
    b.goto("/login").await;
    b.fill("#phone", phone).await;
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
}

/// Click the button of the engagement action `action` on the current page.
async fn act(b: &Browser, action: &str) {
    b.click(&format!("form[action^='/engagements/'].act-{action} button[type=submit]")).await;
    b.assert_clean().await;
}

async fn the_demo_walk_through_is_done_by_clicking(app: TestApp) {
    let boss = employer(&app, 91, true).await;
    let w = worker(&app, 92, &["4-02-05-01"], (114.82, 34.82), true).await;
    let e = Browser::open(&app, Viewport::Desktop).await;
    log_in(&e, "13700000091").await;
    e.click("a[href='/employer/jobs/new']").await;
    e.fill("#title", "冷库搬运工").await;
    e.select("#occupation_code", "4-02-05-01").await;
    e.fill("#headcount", "1").await;
    e.select("#district", "410225").await;
    e.fill("#address", "兰考县产业集聚区冷链物流园").await;
    e.fill("#wage", "230").await;
    e.click("form.post-form button[type=submit]").await;
    let post_page = e.path().await;
    let job = post_page.trim_start_matches("/employer/jobs/").to_string();
    e.assert_clean().await;

    let p = Browser::open(&app, Viewport::Phone).await;
    log_in(&p, "13900000092").await;
    p.goto("/").await;
    p.fill("#q", "冷库").await;
    p.click("#search button[type=submit]").await;
    p.click(&format!("a[href='/jobs/{job}']")).await;
    p.click("form.apply button").await;
    assert_eq!(p.path().await, "/me");
    p.assert_clean().await;
    let engagement = || async {
        let (_, mine) = app.call_as(&w.token, Method::GET, "/api/v1/me/engagements", None).await;
        mine["engagements"][0].clone()
    };
    assert_eq!(engagement().await["status"], "applied");

    e.goto(&post_page).await;
    act(&e, "offer").await;
    assert_eq!(engagement().await["status"], "offered");
    p.goto("/me").await;
    act(&p, "accept").await;
    act(&p, "sign").await;
    assert_eq!(engagement().await["status"], "accepted", "one signature of two");
    e.goto(&post_page).await;
    act(&e, "sign").await;
    assert_eq!(engagement().await["status"], "signed");

    p.goto("/me").await;
    act(&p, "check-in").await;
    act(&p, "check-out").await;
    assert_eq!(engagement().await["status"], "checked_out");
    e.goto(&post_page).await;
    let id = engagement().await["id"].as_str().unwrap().to_string();
    e.fill(&format!("[id='{id}-amount']"), "230").await;
    act(&e, "pay").await;
    let paid = engagement().await;
    assert_eq!((paid["status"].as_str(), paid["paid_cents"].as_i64()), (Some("paid"), Some(23000)));

    p.goto("/me").await;
    act(&p, "confirm").await;
    act(&p, "rate").await;
    let done = engagement().await;
    assert_eq!(done["status"], "confirmed");
    assert_eq!(done["ratings"][0]["score"], 5, "{done}");
    p.snap("engagement-done-phone").await;

    p.goto("/markets/lankao").await;
    p.click("a[href='/me/complaints/new?tenant=lankao']").await;
    p.select("#kind", "fee_charging").await;
    p.fill("#description", "报名时被收取了50元介绍费,用工方说是押金。").await;
    p.click("form[action='/me/complaints'] button[type=submit]").await;
    assert!(p.path().await.starts_with("/me/complaints/"));
    assert!(p.text("#notice-title + p").await.contains("小时"), "the time limit is told");
    p.assert_clean().await;
    p.snap("complaint-phone").await;
    let (_, cases) = app.call_as(&w.token, Method::GET, "/api/v1/me/complaints", None).await;
    assert_eq!(cases["complaints"][0]["kind"], "fee_charging");
    let _ = boss;
    e.close().await;
    p.close().await;
}
