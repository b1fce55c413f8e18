//! The market console on a desktop: a county administrator reviews a held post by clicking, and
//! another county's administrator gets the 403 page for it.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::{employer, job, post_job, staff};
use gigmarket_e2e::{TestApp, db_tests};
use serde_json::json;

db_tests!(a_county_admin_reviews_a_held_post_and_another_county_cannot_look);

async fn log_in(b: &Browser, phone: &str) {
    b.goto("/login").await;
    b.fill("#phone", phone).await;
    b.fill("#password", "staff2026pw").await;
    b.click("form[action='/login'] button[type=submit]").await;
}

async fn a_county_admin_reviews_a_held_post_and_another_county_cannot_look(app: TestApp) {
    let boss = employer(&app, 95, true).await;
    let mut body = job("lankao", "夜班装卸");
    body["daily_hours"] = json!(11.0);
    let (status, post) = post_job(&app, &boss, body).await;
    assert_eq!((status, post["status"].as_str()), (201, Some("held")), "{post}");
    let id = post["id"].as_str().unwrap();
    staff(&app, "13600000095", "county_admin", "lankao").await;
    staff(&app, "13600000096", "county_admin", "qixian").await;

    let b = Browser::open(&app, Viewport::Desktop).await;
    log_in(&b, "13600000095").await;
    assert_eq!(b.path().await, "/console/lankao", "a county admin starts at their console");
    b.assert_clean().await;
    b.snap("console-desktop").await;
    let card = format!("#job-{id}");
    assert!(b.text(&card).await.contains("夜班装卸"));
    b.click(&format!("{card} button[value=reject]")).await;
    assert!(b.text(&format!("{card} .field-error")).await.contains("驳回时须说明原因"));
    b.assert_clean().await;
    b.click(&format!("{card} button[value=approve]")).await;
    assert_eq!(b.path().await, "/console/lankao");
    assert_eq!(b.all(&card).await.len(), 0, "the post left the queue");
    assert!(b.text("#held").await.contains("没有待审核的招聘信息"));
    b.assert_clean().await;
    let (status, open) = app.get_json(&format!("/api/v1/jobs/{id}")).await;
    assert_eq!((status, open["status"].as_str()), (200, Some("open")), "{open}");

    b.click("form.logout button").await;
    log_in(&b, "13600000096").await;
    assert_eq!(b.path().await, "/console/qixian");
    b.goto("/console/lankao").await;
    b.settle().await;
    assert!(b.text(".error h1").await.contains("无权访问"));
    assert_eq!(b.all(".console-nav").await.len(), 0, "nothing of 兰考县's console is shown");
    b.assert_clean().await;
    b.close().await;
}
