//! An employer in a real browser: logs in on a desktop, posts a job by filling in the form,
//! finds it in their list and on its page; the post form also fits a phone.

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::employer;
use gigmarket_e2e::{TestApp, db_tests};

db_tests!(an_employer_posts_a_job_by_clicking_and_sees_it_listed, the_post_form_fits_a_phone);

async fn log_in(b: &Browser, phone: &str) {
    b.goto("/login").await;
    b.settle().await;
    b.fill("#phone", phone).await;
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
}

async fn an_employer_posts_a_job_by_clicking_and_sees_it_listed(app: TestApp) {
    employer(&app, 301, true).await;
    let b = Browser::open(&app, Viewport::Desktop).await;
    log_in(&b, "13700000301").await;
    assert_eq!(b.path().await, "/employer", "on to the employer's own page");
    assert!(b.text(".verification").await.contains("已实名认证"));
    b.assert_clean().await;
    b.click("a[href='/employer/jobs/new']").await;
    assert_eq!(b.path().await, "/employer/jobs/new");
    b.assert_clean().await;
    b.snap("employer-form-desktop").await;
    b.fill("#title", "冷库搬运工").await;
    b.select("#occupation_code", "4-02-05-01").await;
    b.fill("#description", "冷库货物装卸,提供防寒服").await;
    b.fill("#headcount", "2").await;
    b.select("#district", "410225").await;
    b.fill("#address", "兰考县产业集聚区冷链物流园").await;
    b.fill("#wage", "230").await;
    b.select("#settlement", "daily").await;
    b.click("form.post-form button[type=submit]").await;
    let path = b.path().await;
    assert!(path.starts_with("/employer/jobs/"), "on to the post's page: {path}");
    assert!(b.text("main").await.contains("230元/天"));
    assert!(b.text("main").await.contains("招聘中"), "the review accepted it");
    b.assert_clean().await;
    b.snap("employer-post-desktop").await;
    b.click("main a[href='/employer']").await;
    let list = b.text("section[aria-label='我发布的招聘']").await;
    assert!(list.contains("冷库搬运工") && list.contains("还剩 2 个名额"), "{list}");
    b.assert_clean().await;
    b.close().await;
}

async fn the_post_form_fits_a_phone(app: TestApp) {
    employer(&app, 302, true).await;
    let b = Browser::open(&app, Viewport::Phone).await;
    log_in(&b, "13700000302").await;
    b.goto("/employer/jobs/new").await;
    b.settle().await;
    b.assert_clean().await;
    // Sent with a wage that is not money: the error is next to the field, still on a phone.
    b.fill("#title", "临时搬运").await;
    b.select("#occupation_code", "4-02-05-01").await;
    b.fill("#address", "兰考县兰阳街道物流园").await;
    b.fill("#wage", "两百").await;
    b.click("form.post-form button[type=submit]").await;
    assert!(b.text("#wage-error").await.contains("薪资请填写金额"));
    b.assert_clean().await;
    b.close().await;
}
