//! Skills services in a real browser: a worker on a 375 px phone finds a session by its county
//! and kind and enrols; the market's clerk on a desktop marks her attended and completed with a
//! certificate, which her skills page then shows.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::{day, staff, worker};
use gigmarket_e2e::{TestApp, db_tests};
use serde_json::json;

db_tests!(a_worker_enrols_on_a_phone_and_the_clerk_marks_her_complete);

async fn a_worker_enrols_on_a_phone_and_the_clerk_marks_her_complete(app: TestApp) {
    let body = json!({"kind": "skills", "title": "家政服务员技能培训", "occupation_code": "4-10-01-06",
        "starts_on": day(0), "ends_on": day(2), "place": "兰考县零工市场二楼培训室", "capacity": 20,
        "provider": "兰考县职业技能培训中心", "description": "家庭保洁、衣物洗涤、烹饪基础"});
    let (status, t) = app.admin_post("/api/v1/tenants/lankao/trainings", &body).await;
    assert_eq!(status, 201, "{t}");
    let id = t["id"].as_str().unwrap().to_string();
    let w = worker(&app, 431, &["4-10-01-06"], (114.82, 34.82), false).await;
    staff(&app, "13600000431", "county_admin", "lankao").await;

    let b = Browser::open(&app, Viewport::Phone).await;
    b.goto("/login").await;
    b.fill("#phone", "13900000431").await;
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
    b.click("header nav a[href='/trainings']").await;
    b.assert_clean().await;
    b.select("#county", "lankao").await;
    b.select("#kind", "skills").await;
    b.click("#search button[type=submit]").await;
    b.settle().await;
    b.assert_clean().await;
    b.snap("trainings-find-phone").await;
    b.click(&format!("#t-{id} h2 a")).await;
    b.settle().await;
    assert_eq!(b.path().await, format!("/trainings/{id}"));
    b.assert_clean().await;
    b.click(&format!("form[action='/trainings/{id}/enrol'] button")).await;
    b.settle().await;
    assert_eq!(b.path().await, "/me/skills");
    assert!(b.text(&format!("#t-{id}")).await.contains("已报名"));
    b.assert_clean().await;
    b.snap("trainings-enrolled-phone").await;
    b.close().await;

    let c = Browser::open(&app, Viewport::Desktop).await;
    c.goto("/login").await;
    c.fill("#phone", "13600000431").await;
    c.fill("#password", "staff2026pw").await;
    c.click("form[action='/login'] button[type=submit]").await;
    c.click(".console-nav a[href='/console/lankao/trainings']").await;
    c.settle().await;
    c.assert_clean().await;
    c.click(&format!("a[href='/console/lankao/trainings/{id}']")).await;
    c.settle().await;
    let row = format!("#w-{}", w.id);
    c.click(&format!("{row} input[value=attend] + button")).await;
    c.settle().await;
    c.fill(&format!("#cert_number-{}", w.id), "S000041020000244000789").await;
    c.fill(&format!("#cert_issuer-{}", w.id), "兰考县职业技能鉴定站").await;
    c.eval(&format!(
        "document.getElementById('cert_issued_on-{}').value = '{}'; return null;",
        w.id,
        day(0)
    ))
    .await;
    c.select(&format!("#cert_level-{}", w.id), "4").await;
    c.click(&format!("{row} form.stack button[type=submit]")).await;
    c.settle().await;
    assert!(c.text(&row).await.contains("已结业"), "{}", c.text(&row).await);
    c.assert_clean().await;
    c.snap("trainings-roster-desktop").await;
    c.close().await;
    let (_, skills) = app.call_as(&w.token, reqwest::Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(skills["skills"][0]["cert_level"], 4, "{skills}");
}
