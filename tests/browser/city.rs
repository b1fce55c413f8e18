//! The city console in a real browser, on a desktop: the dashboard's charts are drawn (also after
//! htmx swaps the page in) and a station is created by filling the form.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::staff;
use gigmarket_e2e::{TestApp, db_tests};

db_tests!(the_city_admin_sees_the_charts_and_creates_a_station);

/// The city's administrator logs in, sees the charts drawn with no console error, moves to the
/// permissions and back (htmx navigation: the charts are drawn again), and creates a station.
async fn the_city_admin_sees_the_charts_and_creates_a_station(app: TestApp) {
    staff(&app, "13600000001", "city_admin", "kaifeng").await;
    let b = Browser::open(&app, Viewport::Desktop).await;
    b.goto("/login").await;
    b.fill("#phone", "13600000001").await;
    b.fill("#password", "staff2026pw").await;
    b.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(b.path().await, "/console", "the city admin starts at the city console");
    b.settle().await;
    b.find("#dashboard-chart canvas").await;
    let width =
        b.eval("return document.querySelector('main').getBoundingClientRect().width;").await;
    assert!(width.as_f64().unwrap() > 1000.0, "desktop width after htmx swapped it in: {width}");
    b.assert_clean().await;
    b.snap("city-desktop").await;

    b.click(".city-tabs a[href='/console/permissions']").await;
    assert_eq!(b.path().await, "/console/permissions");
    b.assert_clean().await;
    b.click(".city-tabs a[href='/console']").await;
    b.find("#dashboard-chart canvas").await;
    b.assert_clean().await;

    b.select("#kind", "station").await;
    b.select("#parent", "lankao").await;
    for (field, value) in [
        ("#code", "lankao-huian"),
        ("#name", "惠安街道零工驿站"),
        ("#region_code", "410225"),
        ("#address", "兰考县惠安街道便民服务中心"),
        ("#opening_hours", "周一至周六 07:00-17:00"),
        ("#hotline", "0371-23225009"),
        ("#complaint_channel", "12333 人社服务热线"),
    ] {
        b.fill(field, value).await;
    }
    b.click("#create-tenant button[type=submit]").await;
    assert_eq!(b.path().await, "/console?done=created&code=lankao-huian");
    assert!(b.text(".notice").await.contains("已新建市场"));
    b.find("li[data-tenant='lankao-huian'] a[href='/console/lankao-huian']").await;
    b.find("#dashboard-chart canvas").await;
    b.assert_clean().await;
    b.close().await;
}
