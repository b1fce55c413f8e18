//! Skills services as pages: a worker finds a session and enrols and withdraws through the
//! pages, sees it on `/me/skills`; staff create sessions with errors shown by field and record
//! attendance and a certified completion on the roster; forms without the CSRF token, and other
//! counties, are refused and write nothing.

use gigmarket_e2e::pages::Visitor;
use gigmarket_e2e::people::{day, staff, worker};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;
use serde_json::json;

db_tests!(
    a_worker_finds_enrols_and_withdraws_through_the_pages,
    staff_create_sessions_with_errors_by_field_and_complete_on_the_roster,
    training_forms_without_the_csrf_token_or_from_another_county_write_nothing,
);

async fn staff_visitor(app: &TestApp, phone: &str, role: &str, tenant: &str) -> Visitor {
    staff(app, phone, role, tenant).await;
    let v = Visitor::new(app);
    v.login(phone, "staff2026pw").await;
    v
}

async fn create(app: &TestApp, code: &str, title: &str, start: i64) -> String {
    let body = json!({"kind": "skills", "title": title, "occupation_code": "4-10-01-06", "starts_on": day(start),
        "ends_on": day(start), "place": "兰考县零工市场培训室", "capacity": 2});
    let (status, t) = app.admin_post(&format!("/api/v1/tenants/{code}/trainings"), &body).await;
    assert_eq!(status, 201, "{t}");
    t["id"].as_str().unwrap().to_string()
}

async fn a_worker_finds_enrols_and_withdraws_through_the_pages(app: TestApp) {
    let id = create(&app, "lankao", "家政服务员技能培训", 2).await;
    let w = worker(&app, 401, &["4-10-01-06"], (114.82, 34.82), false).await;
    let v = Visitor::new(&app);
    let list = v.get("/trainings?kind=skills&county=lankao").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("家政服务员技能培训") && list.body.contains("还剩 2 个名额"),
        "{}",
        list.body
    );
    let none = v.get("/trainings?kind=safety").await;
    assert!(!none.body.contains("家政服务员技能培训"), "filtered: {}", none.body);
    let bad = v.get("/trainings?county=nowhere").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("没有这个县区市场"), "{}", bad.body);
    // Logged out: the enrol button leads to the login first.
    let page = v.get(&format!("/trainings/{id}")).await;
    assert!(page.body.contains("我要报名"), "{}", page.body);
    let anon = v.post(&format!("/trainings/{id}/enrol"), &[]).await;
    assert_eq!(anon.status, 303);
    assert!(anon.location.unwrap().starts_with("/login"));
    v.login("13900000401", "kaifeng2026").await;
    let enrolled = v.post(&format!("/trainings/{id}/enrol"), &[]).await;
    assert_eq!(enrolled.status, 303, "{}", enrolled.body);
    assert_eq!(enrolled.location.as_deref(), Some(format!("/me/skills#t-{id}").as_str()));
    let mine = v.get("/me/skills").await;
    assert!(
        mine.body.contains("家政服务员技能培训") && mine.body.contains("已报名"),
        "{}",
        mine.body
    );
    assert!(v.get("/me").await.body.contains("/me/skills"), "linked from /me");
    let again = v.post(&format!("/trainings/{id}/enrol"), &[]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.body.contains("您已报名该培训") && again.body.contains("我的报名"),
        "{}",
        again.body
    );
    let shown = v.get(&format!("/trainings/{id}")).await;
    assert!(shown.body.contains("退出报名") && shown.body.contains("还剩 1 个"), "{}", shown.body);
    let left = v.post(&format!("/trainings/{id}/withdraw"), &[]).await;
    assert_eq!(left.status, 303, "{}", left.body);
    let (_, t) = app.get_json(&format!("/api/v1/trainings/{id}")).await;
    assert_eq!(t["places_left"], 2, "{t}");
    let (_, me) = app.call_as(&w.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(me["enrolments"][0]["status"], "withdrawn", "{me}");
}

async fn staff_create_sessions_with_errors_by_field_and_complete_on_the_roster(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000411", "county_admin", "lankao").await;
    let console = clerk.get("/console/lankao").await;
    assert!(console.body.contains("/console/lankao/trainings"), "linked from the console");
    let empty = clerk.get("/console/lankao/trainings").await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    let form = |title: &'static str, capacity: &'static str, starts: String| {
        vec![
            ("kind", "skills".to_string()),
            ("title", title.to_string()),
            ("occupation_code", "4-10-01-06".to_string()),
            ("starts_on", starts.clone()),
            ("ends_on", starts),
            ("place", "兰考县零工市场培训室".to_string()),
            ("capacity", capacity.to_string()),
            ("cost_yuan", "".to_string()),
            ("provider", "".to_string()),
            ("description", "".to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let clerk = &clerk;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            clerk.post("/console/lankao/trainings", &pairs).await
        }
    };
    let zero = post(form("家政班", "0", day(0))).await;
    assert_eq!(zero.status, 400, "{}", zero.body);
    assert!(
        zero.body.contains("id=\"capacity-error\"") && zero.body.contains("培训人数应为1至500人"),
        "{}",
        zero.body
    );
    assert!(zero.body.contains("value=\"家政班\""), "typed values kept");
    let past = post(form("家政班", "10", day(-1))).await;
    assert!(past.body.contains("id=\"starts_on-error\""), "{}", past.body);
    let notnum = post(form("家政班", "十", day(0))).await;
    assert!(notnum.body.contains("id=\"capacity-error\""), "{}", notnum.body);
    let (_, none) = app.admin_get("/api/v1/tenants/lankao/trainings").await;
    assert_eq!(none["count"], 0, "nothing written: {none}");
    let made = post(form("家政班", "10", day(0))).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let at = made.location.unwrap();
    let id = at.rsplit('/').next().unwrap().to_string();
    let w = worker(&app, 411, &["4-10-01-06"], (114.82, 34.82), false).await;
    let (status, _) = app
        .call_as(&w.token, Method::POST, &format!("/api/v1/trainings/{id}/enrolments"), None)
        .await;
    assert_eq!(status, 201);
    let roster = clerk.get(&at).await;
    assert_eq!(roster.status, 200, "{}", roster.body);
    assert!(
        roster.body.contains("已报名") && roster.body.contains("139****0411"),
        "masked: {}",
        roster.body
    );
    let step = format!("{at}/enrolments/{}", w.id);
    assert_eq!(clerk.post(&step, &[("action", "attend")]).await.status, 303);
    let bad = clerk
        .post(
            &step,
            &[
                ("action", "complete"),
                ("cert_number", "S0000410200"),
                ("cert_issuer", "兰考县职业技能鉴定站"),
                ("cert_issued_on", &day(0)),
                ("cert_level", "9"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("证书等级应为1"), "{}", bad.body);
    let done = clerk
        .post(
            &step,
            &[
                ("action", "complete"),
                ("cert_number", "S0000410200"),
                ("cert_issuer", "兰考县职业技能鉴定站"),
                ("cert_issued_on", &day(0)),
                ("cert_level", "4"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let roster = clerk.get(&at).await.body;
    // Level 4 is 二级/技师: the roster names it, never "4级" (which reads as 四级/中级工).
    assert!(roster.contains("已结业 · 证书 二级/技师"), "{roster}");
    let (_, skills) = app.call_as(&w.token, Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(skills["skills"][0]["cert_level"], 4, "{skills}");
}

async fn training_forms_without_the_csrf_token_or_from_another_county_write_nothing(app: TestApp) {
    let id = create(&app, "lankao", "兰考家政班", 0).await;
    let w = worker(&app, 421, &["4-10-01-06"], (114.82, 34.82), false).await;
    let v = Visitor::new(&app);
    v.login("13900000421", "kaifeng2026").await;
    let forged = v.post_raw(&format!("/trainings/{id}/enrol"), &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    let (_, me) = app.call_as(&w.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(me["count"], 0, "{me}");
    let clerk = staff_visitor(&app, "13600000421", "county_admin", "lankao").await;
    let forged = clerk
        .post_raw(
            "/console/lankao/trainings",
            &[("kind", "skills"), ("title", "伪造"), ("capacity", "5")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let other = staff_visitor(&app, "13600000422", "county_admin", "qixian").await;
    let refused = other.get(&format!("/console/lankao/trainings/{id}")).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(v.post(&format!("/trainings/{id}/enrol"), &[]).await.status, 303);
    let step = other
        .post(
            &format!("/console/lankao/trainings/{id}/enrolments/{}", w.id),
            &[("action", "attend")],
        )
        .await;
    assert_eq!(step.status, 403);
    let (_, r) = app.admin_get(&format!("/api/v1/tenants/lankao/trainings/{id}/enrolments")).await;
    assert_eq!(r["enrolments"][0]["status"], "enrolled", "{r}");
    let (_, all) = app.admin_get("/api/v1/tenants/lankao/trainings").await;
    assert_eq!(all["count"], 1);
}
