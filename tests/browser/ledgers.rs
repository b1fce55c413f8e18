//! The ledgers on a phone: a station clerk adds a policy-outreach row and closes the day (with
//! its confirm step); the city's administrator then sees the station's day kept in the
//! calendar grid.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::staff;
use gigmarket_e2e::{TestApp, db_tests};

db_tests!(a_clerk_adds_a_row_and_closes_the_day_and_the_city_sees_it_kept);

async fn log_in(b: &Browser, phone: &str) {
    b.goto("/login").await;
    b.fill("#phone", phone).await;
    b.fill("#password", "staff2026pw").await;
    b.click("form[action='/login'] button[type=submit]").await;
}

async fn a_clerk_adds_a_row_and_closes_the_day_and_the_city_sees_it_kept(app: TestApp) {
    staff(&app, "13600000097", "station_staff", "lankao-lanyang").await;
    staff(&app, "13600000098", "city_admin", "kaifeng").await;
    let today = app.clock.today().to_string();

    let b = Browser::open(&app, Viewport::Phone).await;
    log_in(&b, "13600000097").await;
    assert_eq!(b.path().await, "/console/lankao-lanyang");
    b.click(".console-nav a[href='/console/lankao-lanyang/ledgers']").await;
    b.assert_clean().await;
    b.snap("ledgers-day").await;
    b.click("a[href^='/console/lankao-lanyang/ledgers/policy-outreach']").await;
    b.assert_clean().await;
    b.fill("#place", "").await;
    b.click("form[novalidate] button.primary").await;
    assert!(b.text("#place-error").await.contains("请填写宣讲地点"));
    b.assert_clean().await;
    b.fill("#place", "兰阳街道服务大厅").await;
    b.fill("#topic", "零工保险政策").await;
    b.fill("#documents", "《河南省零工市场建设指引》").await;
    b.fill("#audience", "26").await;
    b.fill("#staff", "王芳").await;
    b.click("form[novalidate] button.primary").await;
    assert!(b.text("table.ledger").await.contains("兰阳街道服务大厅"));
    b.assert_clean().await;
    b.snap("ledgers-kind").await;

    b.goto("/console/lankao-lanyang/ledgers").await;
    b.settle().await;
    b.click("form[action='/console/lankao-lanyang/ledgers/close'] button").await;
    assert!(b.text(".alert").await.contains("确认对"));
    b.click("form[action='/console/lankao-lanyang/ledgers/close'] button").await;
    assert!(b.text("#close-title + p").await.contains("均已日结"));
    b.assert_clean().await;

    b.click("form.logout button").await;
    log_in(&b, "13600000098").await;
    b.goto("/console/ledgers").await;
    b.settle().await;
    let cell = format!("td.cal.kept a[href='/console/lankao-lanyang/ledgers?date={today}']");
    assert_eq!(b.all(&cell).await.len(), 1, "the station's day is kept in the city's grid");
    assert!(b.text(".legend").await.contains("已日结"));
    b.assert_clean().await;
    b.snap("ledgers-calendar").await;
    b.close().await;
}
