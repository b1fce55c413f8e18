//! The web pages in a real headless Chromium: what people click, at the size they use.

mod city;
mod console;
mod employer;
mod ledgers;
mod rules;
mod trainings;
mod walkthrough;
mod worker;

use gigmarket_e2e::browser::{Browser, Viewport};
use gigmarket_e2e::people::register;
use gigmarket_e2e::{TestApp, db_tests};

db_tests!(a_worker_logs_in_on_a_phone_and_back_out);

async fn a_worker_logs_in_on_a_phone_and_back_out(app: TestApp) {
    register(&app, "13700000011", "worker").await;
    let b = Browser::open(&app, Viewport::Phone).await;
    b.goto("/").await;
    b.settle().await;
    b.assert_clean().await;
    b.click("header nav a[href='/login']").await;
    b.assert_clean().await;
    b.fill("#phone", "13700000011").await;
    b.fill("#password", "wrong-password").await;
    b.click("form[action='/login'] button[type=submit]").await;
    assert!(b.text(".alert").await.contains("手机号或密码不正确"));
    b.fill("#password", "kaifeng2026").await;
    b.click("form[action='/login'] button[type=submit]").await;
    assert_eq!(b.path().await, "/me", "on to the worker's own page");
    b.goto("/").await;
    b.settle().await;
    b.click("form.logout button").await;
    assert_eq!(b.path().await, "/");
    assert_eq!(b.all("form.logout").await.len(), 0, "logged out");
    b.assert_clean().await;
    b.close().await;
}
