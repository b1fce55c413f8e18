//! The market console over HTTP (`/console/{code}`): held posts reviewed, profiles verified, a
//! morning's batch assignment drafted and published, a complaint handled and staff accounts made
//! and removed through the pages, with the result checked over the JSON API; refused posts
//! (another county, a worker, no CSRF token, a missing reason) write nothing; typed text comes
//! back escaped.

use chrono::Duration;
use gigmarket_e2e::pages::{Answer, Visitor};
use gigmarket_e2e::people::{
    employer, job, open_job, post_job, register, staff, worker, worker_name,
};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    held_posts_are_approved_and_rejected_in_the_console,
    profiles_are_verified_and_rejected_in_the_console,
    a_morning_is_drafted_and_published_in_the_console,
    complaints_are_listed_by_deadline_and_handled_in_the_console,
    staff_accounts_are_made_and_removed_in_the_console,
    other_counties_and_workers_get_the_403_page_and_write_nothing,
    console_forms_without_the_csrf_token_are_refused,
    a_station_clerk_publishes_its_guide_in_the_console,
);

const HOSTILE: &str = "<script>alert(1)</script>";

/// A staff member of `tenant` logged in through the login page.
async fn staff_visitor(app: &TestApp, phone: &str, role: &str, tenant: &str) -> Visitor {
    staff(app, phone, role, tenant).await;
    let v = Visitor::new(app);
    v.login(phone, "staff2026pw").await;
    v
}

/// A post of 兰考县 that its review holds (a long working day); returns its id.
async fn held_post(app: &TestApp, boss: &gigmarket_e2e::people::Person, title: &str) -> String {
    let mut body = job("lankao", title);
    body["daily_hours"] = json!(11.0);
    let (status, post) = post_job(app, boss, body).await;
    assert_eq!((status, post["status"].as_str()), (201, Some("held")), "{post}");
    post["id"].as_str().unwrap().to_string()
}

async fn held_ids(app: &TestApp) -> Vec<String> {
    let (_, held) = app.admin_get("/api/v1/tenants/lankao/jobs/held").await;
    held["jobs"].as_array().unwrap().iter().map(|j| j["id"].as_str().unwrap().to_string()).collect()
}

fn assert_escaped(answer: &Answer) {
    assert!(!answer.body.contains(HOSTILE), "typed text is escaped: {}", answer.body);
    assert!(
        answer.body.contains("&#60;script&#62;") || answer.body.contains("&lt;script&gt;"),
        "and still shown: {}",
        answer.body
    );
}

async fn audit_actions(app: &TestApp, tenant: &str) -> String {
    let (status, audit) = app.admin_get(&format!("/api/v1/audit?tenant={tenant}")).await;
    assert_eq!(status, 200, "{audit}");
    audit.to_string()
}

async fn held_posts_are_approved_and_rejected_in_the_console(app: TestApp) {
    let boss = employer(&app, 81, true).await;
    let night = held_post(&app, &boss, "夜班装卸").await;
    let late = held_post(&app, &boss, "深夜分拣").await;
    let county = staff_visitor(&app, "13600000081", "county_admin", "lankao").await;

    let home = county.get("/console/lankao").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("夜班装卸") && home.body.contains("深夜分拣"), "{}", home.body);

    let review = |id: &str| format!("/console/lankao/jobs/{id}/review");
    let refused = county.post(&review(&night), &[("decision", "reject"), ("reason", "")]).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("驳回时须说明原因"), "next to the reason: {}", refused.body);
    let wrong = county.post(&review(&night), &[("decision", "maybe"), ("reason", HOSTILE)]).await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("请选择通过或驳回"), "{}", wrong.body);
    assert_escaped(&wrong);
    assert_eq!(held_ids(&app).await.len(), 2, "refused reviews change nothing");
    assert!(!audit_actions(&app, "lankao").await.contains("job.review"));

    let approved = county.post(&review(&night), &[("decision", "approve"), ("reason", "")]).await;
    assert_eq!((approved.status, approved.location.as_deref()), (303, Some("/console/lankao")));
    let long = "不".repeat(5000);
    let reason = format!("{HOSTILE}{long}");
    let rejected =
        county.post(&review(&late), &[("decision", "reject"), ("reason", reason.as_str())]).await;
    assert_eq!(rejected.status, 303, "{}", rejected.body);

    let (status, open) = app.get_json(&format!("/api/v1/jobs/{night}")).await;
    assert_eq!((status, open["status"].as_str()), (200, Some("open")), "{open}");
    let (_, mine) = app.call_as(&boss.token, Method::GET, "/api/v1/me/jobs", None).await;
    let refused_post = mine["jobs"].as_array().unwrap().iter().find(|j| j["id"] == late).unwrap();
    assert_eq!(refused_post["status"], "rejected");
    assert_eq!(refused_post["review_reasons"][0]["message"], reason, "the reason as typed");
    assert!(held_ids(&app).await.is_empty());
    let again = county.post(&review(&night), &[("decision", "approve")]).await;
    assert_eq!(again.status, 409, "a post reviewed already: {}", again.body);
    assert!(again.body.contains("无需审核"), "{}", again.body);
    assert!(audit_actions(&app, "lankao").await.contains("job.review"));
}

async fn verification_of(app: &TestApp, who: &gigmarket_e2e::people::Person) -> Value {
    app.call_as(&who.token, Method::GET, "/api/v1/me/profile", None).await.1
}

async fn profiles_are_verified_and_rejected_in_the_console(app: TestApp) {
    let good = worker(&app, 82, &["4-02-05-01"], (114.82, 34.82), false).await;
    let bad = worker(&app, 83, &["4-02-05-01"], (114.82, 34.82), false).await;
    let clerk = staff_visitor(&app, "13600000082", "county_admin", "lankao").await;
    let home = clerk.get("/console/lankao").await;
    assert!(home.body.contains(&worker_name(82)), "the queue lists them: {}", home.body);
    assert!(!home.body.contains("410225199011"), "ID numbers are masked: {}", home.body);

    let path =
        |p: &gigmarket_e2e::people::Person| format!("/console/lankao/verifications/{}", p.id);
    let refused = clerk.post(&path(&bad), &[("decision", "reject"), ("reason", "  ")]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("驳回时须说明原因"), "{}", refused.body);
    assert_eq!(verification_of(&app, &bad).await["verification"], "unverified", "nothing written");

    let ok = clerk.post(&path(&good), &[("decision", "approve")]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let no =
        clerk.post(&path(&bad), &[("decision", "reject"), ("reason", "身份证照片不清晰")]).await;
    assert_eq!(no.status, 303, "{}", no.body);
    assert_eq!(verification_of(&app, &good).await["verification"], "verified");
    let rejected = verification_of(&app, &bad).await;
    assert_eq!(
        (rejected["verification"].as_str(), rejected["verification_reason"].as_str()),
        (Some("rejected"), Some("身份证照片不清晰"))
    );
    let (_, queue) = app.admin_get("/api/v1/tenants/lankao/verifications").await;
    assert_eq!(queue["profiles"].as_array().unwrap().len(), 0, "{queue}");
    assert!(audit_actions(&app, "lankao").await.contains("profile.verify"));
}

async fn a_morning_is_drafted_and_published_in_the_console(app: TestApp) {
    let county = staff_visitor(&app, "13600000084", "county_admin", "lankao").await;
    // A station with nobody checked in and no posts: an empty draft, nothing to publish.
    let empty = county.post("/console/lankao-lanyang/assignments", &[]).await;
    assert_eq!(empty.status, 303, "{}", empty.body);
    let shown = county.get(empty.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("没有可配对的岗位和零工"), "{}", shown.body);
    assert!(!shown.body.contains("/publish"), "an empty draft offers no publishing");

    let boss = employer(&app, 84, true).await;
    open_job(&app, &boss, job("lankao", "早市装卸")).await;
    for n in [84, 85] {
        let w = worker(&app, n, &["4-02-05-01"], (114.82, 34.82), true).await;
        let path = "/api/v1/tenants/lankao/check-ins";
        assert_eq!(app.call_as(&w.token, Method::POST, path, None).await.0, 200);
    }
    let home = county.get("/console/lankao").await;
    assert!(home.body.contains("2 人"), "today's check-ins: {}", home.body);
    let drafted = county.post("/console/lankao/assignments", &[]).await;
    let run_page = drafted.location.clone().unwrap();
    let id = run_page.rsplit('/').next().unwrap().to_string();
    let draft = county.get(&run_page).await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    assert!(draft.body.contains("早市装卸") && draft.body.contains("待发布"), "{}", draft.body);
    let name = worker_name(84);
    assert!(!draft.body.contains(&name), "workers are masked: {}", draft.body);
    assert!(draft.body.contains(&format!("{}**", name.chars().next().unwrap())), "{}", draft.body);

    let published = county.post(&format!("{run_page}/publish"), &[]).await;
    assert_eq!((published.status, published.location.as_deref()), (303, Some(run_page.as_str())));
    let (status, run) = app.admin_get(&format!("/api/v1/tenants/lankao/assignments/{id}")).await;
    assert_eq!((status, run["status"].as_str()), (200, Some("published")), "{run}");
    assert!(run["pairs"].as_array().unwrap().iter().all(|p| p["engagement_id"].is_string()));
    let after = county.get(&run_page).await;
    assert!(after.body.contains("已发出录用邀请"), "{}", after.body);
    let twice = county.post(&format!("{run_page}/publish"), &[]).await;
    assert_eq!(twice.status, 409);
    assert!(twice.body.contains("该配岗方案已发布"), "the domain's refusal: {}", twice.body);
    let unknown = county.get("/console/lankao/assignments/no-such-run").await;
    assert_eq!(unknown.status, 404);
}

async fn file(app: &TestApp, token: &str, kind: &str) -> Value {
    let body = json!({"tenant": "lankao", "kind": kind, "description": "在兰考县某工地干了五天小工,老板至今未付工资"});
    let (status, case) = app.call_as(token, Method::POST, "/api/v1/complaints", Some(body)).await;
    assert_eq!(status, 201, "{case}");
    case
}

async fn complaints_are_listed_by_deadline_and_handled_in_the_console(app: TestApp) {
    let me = register(&app, "13700000086", "worker").await;
    let wages = file(&app, &me.token, "wage_arrears").await;
    let safety = file(&app, &me.token, "safety").await;
    let (short, long) =
        (safety["time_limit_hours"].as_i64().unwrap(), wages["time_limit_hours"].as_i64().unwrap());
    assert!(short < long, "{short} {long}");
    app.clock.advance(Duration::hours(short + 1));
    let county = staff_visitor(&app, "13600000086", "county_admin", "lankao").await;
    let list = county.get("/console/lankao/complaints").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let (first, second) = (list.body.find("安全生产").unwrap(), list.body.find("欠薪").unwrap());
    assert!(first < second, "the overdue case comes first: {}", list.body);
    assert!(
        list.body.contains("已超期") && list.body.contains(&format!("{short}小时")),
        "{}",
        list.body
    );

    let id = wages["id"].as_str().unwrap();
    let events = format!("/console/lankao/complaints/{id}/events");
    let no_note =
        county.post(&events, &[("status", "accepted"), ("note", ""), ("outcome", "")]).await;
    assert_eq!(no_note.status, 400);
    assert!(no_note.body.contains("请填写1至1000字的办理说明"), "{}", no_note.body);
    let long_note = "记".repeat(5000);
    let too_long =
        county.post(&events, &[("status", "accepted"), ("note", long_note.as_str())]).await;
    assert_eq!(too_long.status, 400, "{}", too_long.body);
    let closed_early = county.post(&events, &[("status", "in_progress"), ("note", "办理")]).await;
    assert_eq!(closed_early.status, 409);
    assert!(closed_early.body.contains("不能从"), "{}", closed_early.body);
    let json_case = format!("/api/v1/tenants/lankao/complaints/{id}");
    assert_eq!(app.admin_get(&json_case).await.1["status"], "submitted", "nothing written");

    let note = format!("已电话联系用工方{HOSTILE}");
    let accepted = county.post(&events, &[("status", "accepted"), ("note", note.as_str())]).await;
    assert_eq!(
        (accepted.status, accepted.location.as_deref()),
        (303, Some(&events[..events.len() - 7]))
    );
    let shown = county.get(accepted.location.as_deref().unwrap()).await;
    assert_escaped(&shown);
    assert!(shown.body.contains("已受理") && shown.body.contains("身份证件"), "{}", shown.body);
    let resolved =
        county.post(&events, &[("status", "resolved"), ("note", "调解"), ("outcome", "")]).await;
    assert_eq!(resolved.status, 409, "accepted cannot be resolved at once: {}", resolved.body);
    county.post(&events, &[("status", "in_progress"), ("note", "约谈用工方")]).await;
    let done = county
        .post(
            &events,
            &[("status", "resolved"), ("note", "调解成功"), ("outcome", "补发工资1000元")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, case) = app.admin_get(&json_case).await;
    assert_eq!(
        (case["status"].as_str(), case["outcome"].as_str()),
        (Some("resolved"), Some("补发工资1000元"))
    );
    assert_eq!(case["history"].as_array().unwrap().len(), 4, "{case}");
    assert!(audit_actions(&app, "lankao").await.contains("complaint.status"));
}

async fn staff_accounts_are_made_and_removed_in_the_console(app: TestApp) {
    let county = staff_visitor(&app, "13600000087", "county_admin", "lankao").await;
    let create = |phone: &'static str, role: &'static str| {
        let county = &county;
        async move {
            county
                .post(
                    "/console/lankao/staff",
                    &[("phone", phone), ("password", "station2026pw"), ("role", role)],
                )
                .await
        }
    };
    let bad_phone = create("12345", "station_staff").await;
    assert_eq!(bad_phone.status, 400);
    assert!(bad_phone.body.contains("手机号格式不正确"), "{}", bad_phone.body);
    let hostile = create(HOSTILE, "station_staff").await;
    assert_eq!(hostile.status, 400);
    assert_escaped(&hostile);
    let bad_role = create("13600000088", "worker").await;
    assert!(bad_role.body.contains("零工和用工主体请自行注册"), "{}", bad_role.body);
    let senior = create("13600000088", "county_admin").await;
    assert_eq!(senior.status, 403, "{}", senior.body);
    assert!(senior.body.contains("只有市级管理员"), "{}", senior.body);
    let nonsense = create("13600000088", "boss").await;
    assert!(nonsense.body.contains("请选择岗位角色"), "{}", nonsense.body);
    let (status, _) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13600000088", "password": "station2026pw"}),
        )
        .await;
    assert_eq!(status, 401, "no refused form made an account");

    let made = create("13600000088", "station_staff").await;
    assert_eq!((made.status, made.location.as_deref()), (303, Some("/console/lankao/staff")));
    let list = county.get("/console/lankao/staff").await;
    assert!(
        list.body.contains("136****0088") && !list.body.contains("13600000088"),
        "{}",
        list.body
    );
    assert!(audit_actions(&app, "lankao").await.contains("account.create"));
    let new = gigmarket_e2e::people::login(&app, "13600000088", "station2026pw").await;

    let removed = county.post(&format!("/console/lankao/staff/{}/remove", new.id), &[]).await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let (status, body) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13600000088", "password": "station2026pw"}),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("account_disabled")));
    assert!(audit_actions(&app, "lankao").await.contains("account.disable"));
    assert!(!county.get("/console/lankao/staff").await.body.contains("136****0088"));
    let me = county.get("/console/lankao/staff").await;
    assert!(me.body.contains("本人"), "one's own account has no remove button: {}", me.body);
}

async fn other_counties_and_workers_get_the_403_page_and_write_nothing(app: TestApp) {
    let boss = employer(&app, 89, true).await;
    let id = held_post(&app, &boss, "夜班装卸").await;
    let qixian = staff_visitor(&app, "13600000089", "county_admin", "qixian").await;
    let page = qixian.get("/console/lankao").await;
    assert_eq!(page.status, 403);
    assert!(
        page.body.contains("data-error=\"forbidden\"") && !page.body.contains("夜班装卸"),
        "{}",
        page.body
    );
    let review = format!("/console/lankao/jobs/{id}/review");
    assert_eq!(qixian.post(&review, &[("decision", "approve")]).await.status, 403);
    let made = qixian
        .post(
            "/console/lankao/staff",
            &[("phone", "13600000090"), ("password", "station2026pw"), ("role", "station_staff")],
        )
        .await;
    assert_eq!(made.status, 403);
    assert_eq!(held_ids(&app).await, [id.as_str()], "the post is still held");
    let (status, _) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13600000090", "password": "station2026pw"}),
        )
        .await;
    assert_eq!(status, 401, "no account was made");

    let worker = Visitor::new(&app);
    register(&app, "13500000089", "worker").await;
    worker.login("13500000089", "kaifeng2026").await;
    for path in ["/console/lankao", "/console/lankao/complaints", "/console/lankao/staff"] {
        assert_eq!(worker.get(path).await.status, 403, "{path}");
    }
    let clerk = staff_visitor(&app, "13600000091", "station_staff", "lankao-lanyang").await;
    assert_eq!(clerk.get("/console/lankao").await.status, 403, "a station sees only itself");
    assert_eq!(clerk.get("/console/lankao-lanyang").await.status, 200);
    assert_eq!(clerk.get("/console/lankao-lanyang/staff").await.status, 403, "no accounts right");
    let county = staff_visitor(&app, "13600000092", "county_admin", "lankao").await;
    let station = county.get("/console/lankao-lanyang").await;
    assert_eq!(station.status, 200, "a county sees its stations");
    let home = county.get("/console/lankao").await;
    assert!(home.body.contains("/console/lankao-lanyang"), "and links to them: {}", home.body);
    let nobody = Visitor::new(&app).get("/console/lankao").await;
    assert_eq!(nobody.status, 303, "logged out: to the login page");
}

async fn console_forms_without_the_csrf_token_are_refused(app: TestApp) {
    let boss = employer(&app, 93, true).await;
    let id = held_post(&app, &boss, "夜班装卸").await;
    let county = staff_visitor(&app, "13600000093", "county_admin", "lankao").await;
    let review = format!("/console/lankao/jobs/{id}/review");
    let refused = county.post_raw(&review, &[("decision", "approve")]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("data-error=\"csrf_failed\""), "{}", refused.body);
    let made = county
        .post_raw(
            "/console/lankao/staff",
            &[("phone", "13600000094"), ("password", "station2026pw"), ("role", "station_staff")],
        )
        .await;
    assert_eq!(made.status, 403);
    assert_eq!(held_ids(&app).await, [id], "still held");
    let (status, _) = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"phone": "13600000094", "password": "station2026pw"}),
        )
        .await;
    assert_eq!(status, 401, "no account was made");
}

/// A station's clerk keeps its public information in the console: the form shows what the public
/// sees, a bad hotline or an over-long guide is shown by field with nothing published, hostile
/// text is escaped, and a good change is on the market page at once, paragraph by paragraph.
async fn a_station_clerk_publishes_its_guide_in_the_console(app: TestApp) {
    let clerk = staff_visitor(&app, "13600000097", "station_staff", "lankao-lanyang").await;
    let form = clerk.get("/console/lankao-lanyang/services").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let (_, tenant) = app.get_json("/api/v1/tenants/lankao-lanyang").await;
    let hotline = tenant["hotline"].as_str().unwrap();
    assert!(form.body.contains(&format!("value=\"{hotline}\"")), "the form shows the hotline");
    let fields = |hotline: &'static str, guide: String| {
        let address = tenant["address"].as_str().unwrap().to_string();
        let hours = tenant["opening_hours"].as_str().unwrap().to_string();
        let channel = tenant["complaint_channel"].as_str().unwrap().to_string();
        (address, hours, hotline, channel, guide)
    };
    let post = |f: (String, String, &'static str, String, String)| {
        let clerk = &clerk;
        async move {
            let fields = [
                ("address", f.0.as_str()),
                ("opening_hours", f.1.as_str()),
                ("hotline", f.2),
                ("complaint_channel", f.3.as_str()),
                ("guide", f.4.as_str()),
            ];
            clerk.post("/console/lankao-lanyang/services", &fields).await
        }
    };
    let bad = post(fields("110", "指南".into())).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("服务热线应为固定电话"), "{}", bad.body);
    let long = post(fields("0371-23220225", "长".repeat(2001))).await;
    assert_eq!(long.status, 422);
    assert!(long.body.contains("办事指南最多 2000 个字"), "{}", long.body);
    let (_, services) = app.get_json("/api/v1/tenants/lankao-lanyang/services").await;
    assert_eq!(services["guide"], "", "nothing was published");

    let guide = format!("第一步:扫码进场登记。\r\n第二步:到二号窗口领取派工单。\r\n{HOSTILE}");
    let saved = post(fields("0371-23220225", guide)).await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/console/lankao-lanyang/services?saved=1"))
    );
    let page = clerk.get("/markets/lankao-lanyang").await;
    assert!(page.body.contains("<p>第一步:扫码进场登记。</p>"), "{}", page.body);
    assert!(page.body.contains("<p>第二步:到二号窗口领取派工单。</p>"));
    assert!(!page.body.contains(HOSTILE), "the guide is escaped on the page");
    assert!(audit_actions(&app, "lankao-lanyang").await.contains("tenant.services"));

    let other = staff_visitor(&app, "13600000098", "station_staff", "lankao-dongbatou").await;
    let refused = other.get("/console/lankao-lanyang/services").await;
    assert_eq!(refused.status, 403, "another station's clerk gets the 403 page");
}
