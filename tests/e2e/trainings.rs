//! Skills services (技能提升): sessions created with checked fields, found city-wide, filled to
//! capacity by concurrent enrolments and no further, withdrawn, attended and completed along the
//! transition table; a certified completion raising a worker's level and rank; isolation
//! between markets and between workers; the audit entries; and the period counts.

use chrono::Duration;
use gigmarket_e2e::people::{Person, day, employer, job, login, open_job, register, staff, worker};
use gigmarket_e2e::{TestApp, assert_error, db_tests, join_all};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    creating_a_session_checks_every_field_and_writes_nothing_when_refused,
    workers_find_open_sessions_city_wide_with_filters_and_pages,
    concurrent_enrolments_fill_a_session_exactly_to_capacity,
    enrolment_is_for_workers_once_and_withdrawing_gives_the_place_back,
    attendance_and_completion_follow_the_transition_table,
    a_certified_completion_raises_the_workers_level_and_rank,
    markets_and_workers_see_only_their_own,
    cancelling_a_session_cancels_its_enrolments,
    the_period_counts_are_per_market,
    one_to_one_guidance_is_a_skills_service_and_a_ledger_row
);

/// A valid session of 兰考县 starting `start` days from today.
fn session(title: &str, start: i64, capacity: i64) -> Value {
    json!({"kind": "skills", "title": title, "occupation_code": "4-10-01-06", "starts_on": day(start),
        "ends_on": day(start + 2), "place": "兰考县零工市场二楼培训室", "capacity": capacity, "cost_cents": 0,
        "provider": "兰考县职业技能培训中心", "description": "家政服务基础"})
}

async fn create(app: &TestApp, who: &Person, code: &str, body: Value) -> String {
    let (status, t) = app
        .call_as(&who.token, Method::POST, &format!("/api/v1/tenants/{code}/trainings"), Some(body))
        .await;
    assert_eq!(status, 201, "{t}");
    t["id"].as_str().unwrap().to_string()
}

async fn enrol(app: &TestApp, who: &Person, id: &str) -> (u16, Value) {
    app.call_as(&who.token, Method::POST, &format!("/api/v1/trainings/{id}/enrolments"), None).await
}

async fn step(
    app: &TestApp,
    who: &Person,
    code: &str,
    id: &str,
    account: &str,
    body: Value,
) -> (u16, Value) {
    let path = format!("/api/v1/tenants/{code}/trainings/{id}/enrolments/{account}");
    app.call_as(&who.token, Method::POST, &path, Some(body)).await
}

async fn audit_count(app: &TestApp, action: &str) -> usize {
    let (status, body) = app.admin_get(&format!("/api/v1/audit?action={action}")).await;
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().len()
}

async fn creating_a_session_checks_every_field_and_writes_nothing_when_refused(app: TestApp) {
    let clerk = staff(&app, "13600000301", "county_admin", "lankao").await;
    let with = |key: &str, value: Value| {
        let mut b = session("家政服务员技能培训", 1, 30);
        b[key] = value;
        b
    };
    let cases = [
        (with("kind", json!("cooking")), "kind"),
        (with("title", json!("  ")), "title"),
        (with("title", json!("字".repeat(61))), "title"),
        (with("occupation_code", json!("9-99-99-99")), "occupation_code"),
        (with("starts_on", json!(day(-1))), "starts_on"),
        (with("starts_on", json!("2026/12/01")), "starts_on"),
        (with("ends_on", json!(day(0))), "ends_on"),
        (with("place", json!("")), "place"),
        (with("capacity", json!(0)), "capacity"),
        (with("capacity", json!(501)), "capacity"),
        (with("cost_cents", json!(-100)), "cost_cents"),
        (with("provider", json!("机".repeat(61))), "provider"),
    ];
    for (body, field) in cases {
        let (status, err) = app
            .call_as(&clerk.token, Method::POST, "/api/v1/tenants/lankao/trainings", Some(body))
            .await;
        assert_eq!(status, 400, "{field}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
        assert!(err["error"]["message"].as_str().unwrap().contains(" / "), "{err}");
    }
    let (_, mine) =
        app.call_as(&clerk.token, Method::GET, "/api/v1/tenants/lankao/trainings", None).await;
    assert_eq!(mine["count"], 0, "nothing written: {mine}");
    assert_eq!(audit_count(&app, "training.create").await, 0);
    let id = create(&app, &clerk, "lankao", session("家政服务员技能培训", 0, 500)).await;
    let (_, t) = app.get_json(&format!("/api/v1/trainings/{id}")).await;
    assert_eq!((t["capacity"].as_i64(), t["places_left"].as_i64()), (Some(500), Some(500)), "{t}");
    assert_eq!(t["occupation_name"], "家政服务员");
    assert_eq!(t["provider_name"], "兰考县职业技能培训中心");
    assert_eq!(audit_count(&app, "training.create").await, 1);
    // A worker cannot create one.
    let w = worker(&app, 301, &["4-10-01-06"], (114.82, 34.82), false).await;
    let (status, _) = app
        .call_as(
            &w.token,
            Method::POST,
            "/api/v1/tenants/lankao/trainings",
            Some(session("x", 1, 3)),
        )
        .await;
    assert_eq!(status, 403);
}

async fn workers_find_open_sessions_city_wide_with_filters_and_pages(app: TestApp) {
    let lankao = staff(&app, "13600000311", "county_admin", "lankao").await;
    let qixian = staff(&app, "13600000312", "county_admin", "qixian").await;
    let a = create(&app, &lankao, "lankao", session("兰考家政", 1, 10)).await;
    let mut safety = session("杞县安全培训", 2, 10);
    safety["kind"] = json!("safety");
    safety["occupation_code"] = json!("6-29-01-01");
    safety["cost_cents"] = json!(30000);
    let b = create(&app, &qixian, "qixian", safety).await;
    let mut one = session("一对一职业指导", 3, 1);
    one["kind"] = json!("guidance");
    let c = create(&app, &lankao, "lankao-lanyang", one).await;
    let ids = |body: &Value| -> Vec<String> {
        body["trainings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, all) = app.get_json("/api/v1/trainings").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(ids(&all), [a.as_str(), b.as_str(), c.as_str()], "soonest first: {all}");
    let (_, safety) = app.get_json("/api/v1/trainings?kind=safety").await;
    assert_eq!(ids(&safety), [b.as_str()]);
    let (_, county) = app.get_json("/api/v1/trainings?county=lankao").await;
    assert_eq!(ids(&county), [a.as_str(), c.as_str()], "the county and its station: {county}");
    let (_, free) = app.get_json("/api/v1/trainings?free=true").await;
    assert_eq!(ids(&free), [a.as_str(), c.as_str()]);
    let (_, paid) = app.get_json("/api/v1/trainings?free=false").await;
    assert_eq!(ids(&paid), [b.as_str()]);
    let (_, occ) = app.get_json("/api/v1/trainings?occupation=6-29-01-01").await;
    assert_eq!(ids(&occ), [b.as_str()]);
    let (_, from) = app.get_json(&format!("/api/v1/trainings?from={}", day(2))).await;
    assert_eq!(ids(&from), [b.as_str(), c.as_str()]);
    let (_, page1) = app.get_json("/api/v1/trainings?limit=2").await;
    assert_eq!(ids(&page1), [a.as_str(), b.as_str()]);
    let (_, page2) = app.get_json("/api/v1/trainings?limit=2&offset=2").await;
    assert_eq!(ids(&page2), [c.as_str()]);
    // A full session is left out unless asked for.
    let w = worker(&app, 311, &["4-10-01-06"], (114.82, 34.82), false).await;
    assert_eq!(enrol(&app, &w, &c).await.0, 201);
    let (_, open) = app.get_json("/api/v1/trainings?county=lankao").await;
    assert_eq!(ids(&open), [a.as_str()]);
    let (_, with_full) = app.get_json("/api/v1/trainings?county=lankao&include_full=true").await;
    assert_eq!(ids(&with_full), [a.as_str(), c.as_str()]);
    for (query, field) in [
        ("kind=cooking", "kind"),
        ("county=nowhere", "county"),
        ("from=tomorrow", "from"),
        ("limit=0", "limit"),
    ] {
        let (status, err) = app.get_json(&format!("/api/v1/trainings?{query}")).await;
        assert_eq!(status, 400, "{query}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
}

async fn concurrent_enrolments_fill_a_session_exactly_to_capacity(app: TestApp) {
    const N: u32 = 4;
    let clerk = staff(&app, "13600000321", "station_staff", "lankao-lanyang").await;
    let id = create(&app, &clerk, "lankao-lanyang", session("抢报名培训班", 1, N as i64)).await;
    let mut workers = Vec::new();
    for n in 0..3 * N {
        workers.push(worker(&app, 320 + n, &["4-10-01-06"], (114.82, 34.82), false).await);
    }
    let answers = join_all(workers.iter().map(|w| enrol(&app, w, &id))).await;
    let accepted = answers.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(accepted, N as usize, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_error(body, "training_full");
    }
    let (_, t) = app.get_json(&format!("/api/v1/trainings/{id}")).await;
    assert_eq!(
        (t["enrolled"].as_i64(), t["places_left"].as_i64()),
        (Some(N as i64), Some(0)),
        "{t}"
    );
    let (_, roster) = app
        .call_as(
            &clerk.token,
            Method::GET,
            &format!("/api/v1/tenants/lankao-lanyang/trainings/{id}/enrolments"),
            None,
        )
        .await;
    assert_eq!(roster["enrolments"].as_array().unwrap().len(), N as usize, "{roster}");
}

async fn enrolment_is_for_workers_once_and_withdrawing_gives_the_place_back(app: TestApp) {
    let clerk = staff(&app, "13600000341", "county_admin", "lankao").await;
    let one = create(&app, &clerk, "lankao", session("单人班", 2, 1)).await;
    let two = create(&app, &clerk, "lankao", session("双人班", 2, 2)).await;
    let (a, b) = (
        worker(&app, 341, &["4-10-01-06"], (114.82, 34.82), false).await,
        worker(&app, 342, &["4-10-01-06"], (114.82, 34.82), false).await,
    );
    // Not a worker, or no real-name profile yet: refused.
    let boss = employer(&app, 341, false).await;
    assert_error(&enrol(&app, &boss, &two).await.1, "workers_only");
    let bare = register(&app, "13500000349", "worker").await;
    let (status, body) = enrol(&app, &bare, &two).await;
    assert_eq!(status, 403);
    assert!(assert_error(&body, "worker_profile_required").contains("实名"));
    assert_error(&enrol(&app, &clerk, &two).await.1, "workers_only");
    // Once per worker.
    assert_eq!(enrol(&app, &a, &two).await.0, 201);
    let (status, body) = enrol(&app, &a, &two).await;
    assert_eq!(status, 409);
    assert_error(&body, "already_enrolled");
    // Withdrawing frees the place for someone else.
    assert_eq!(enrol(&app, &a, &one).await.0, 201);
    assert_error(&enrol(&app, &b, &one).await.1, "training_full");
    let path = format!("/api/v1/trainings/{one}/withdraw");
    let (status, left) = app.call_as(&a.token, Method::POST, &path, None).await;
    assert_eq!(status, 200, "{left}");
    assert_eq!(left["status"], "withdrawn");
    let (_, t) = app.get_json(&format!("/api/v1/trainings/{one}")).await;
    assert_eq!(t["places_left"], 1, "{t}");
    assert_eq!(enrol(&app, &b, &one).await.0, 201);
    assert_error(&enrol(&app, &a, &one).await.1, "training_full");
    // On the start date nobody withdraws any more.
    app.clock.advance(Duration::days(2));
    let b = login(&app, "13900000342", "kaifeng2026").await;
    let (status, body) = app
        .call_as(&b.token, Method::POST, &format!("/api/v1/trainings/{one}/withdraw"), None)
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, "cannot_withdraw");
    // Nor enrols once it has started.
    app.clock.advance(Duration::days(1));
    let b = login(&app, "13900000342", "kaifeng2026").await;
    assert_error(&enrol(&app, &b, &two).await.1, "training_not_open");
}

async fn attendance_and_completion_follow_the_transition_table(app: TestApp) {
    let clerk = staff(&app, "13600000351", "county_admin", "lankao").await;
    let id = create(&app, &clerk, "lankao", session("家政结业班", 1, 5)).await;
    let (a, b) = (
        worker(&app, 351, &["4-10-01-06"], (114.82, 34.82), false).await,
        worker(&app, 352, &["4-10-01-06"], (114.82, 34.82), false).await,
    );
    assert_eq!(enrol(&app, &a, &id).await.0, 201);
    assert_eq!(enrol(&app, &b, &id).await.0, 201);
    let (status, body) =
        step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "attend"})).await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, "training_not_started");
    app.clock.advance(Duration::days(1));
    // Sessions expire with the moved clock: log in again.
    let clerk = login(&app, "13600000351", "staff2026pw").await;
    let a = login(&app, "13900000351", "kaifeng2026").await;
    let (status, body) =
        step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "complete"})).await;
    assert_eq!(status, 409);
    assert_error(&body, "invalid_transition");
    let (status, body) =
        step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "graduate"})).await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("action")), "{body}");
    let (status, body) =
        step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "attend"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "attended");
    assert_error(
        &step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "absent"})).await.1,
        "invalid_transition",
    );
    assert_eq!(step(&app, &clerk, "lankao", &id, &b.id, json!({"action": "absent"})).await.0, 200);
    assert_error(
        &step(&app, &clerk, "lankao", &id, &b.id, json!({"action": "attend"})).await.1,
        "invalid_transition",
    );
    // A certificate is checked by field; a refused completion changes nothing.
    let cert = |level: i64| json!({"number": "S000041020000244000123", "issuer": "兰考县职业技能鉴定站", "issued_on": day(1), "level": level});
    let (status, body) = step(
        &app,
        &clerk,
        "lankao",
        &id,
        &a.id,
        json!({"action": "complete", "certificate": cert(6)}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("certificate.level")),
        "{body}"
    );
    let (_, skills) = app.call_as(&a.token, Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(skills["count"], 0, "{skills}");
    let (status, body) = step(
        &app,
        &clerk,
        "lankao",
        &id,
        &a.id,
        json!({"action": "complete", "certificate": cert(3)}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "completed");
    assert_error(
        &step(&app, &clerk, "lankao", &id, &a.id, json!({"action": "complete"})).await.1,
        "invalid_transition",
    );
    let (_, skills) = app.call_as(&a.token, Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(skills["count"], 1, "{skills}");
    let s = &skills["skills"][0];
    assert_eq!(
        (s["training_id"].as_str(), s["occupation_code"].as_str()),
        (Some(id.as_str()), Some("4-10-01-06"))
    );
    assert_eq!(
        (s["cert_level"].as_i64(), s["level_name"].as_str()),
        (Some(3), Some("三级/高级工")),
        "{s}"
    );
    assert_eq!(s["completed_on"], day(1));
    let (_, mine) = app.call_as(&a.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(mine["enrolments"][0]["status"], "completed", "{mine}");
    // Three steps applied (attend, absent, complete), three audit entries; refusals wrote none.
    assert_eq!(audit_count(&app, "training.enrolment").await, 3);
}

/// Two workers alike in everything; one completes a 家政服务员 training with a level-4
/// certificate, and her rank for a post asking level 4 rises above the other's.
async fn a_certified_completion_raises_the_workers_level_and_rank(app: TestApp) {
    let place = (114.82, 34.82);
    let first = worker(&app, 361, &["4-10-01-06"], place, true).await;
    let second = worker(&app, 362, &["4-10-01-06"], place, true).await;
    let boss = employer(&app, 361, true).await;
    let mut post = job("lankao", "住家保洁");
    post["occupation_code"] = json!("4-10-01-06");
    post["skill_level"] = json!(4);
    post["qualifications"] = json!(["健康证"]);
    let post = open_job(&app, &boss, post).await;
    let ranking = || {
        let (app, token, path) =
            (&app, boss.token.clone(), format!("/api/v1/jobs/{post}/recommendations"));
        async move {
            let (status, r) = app.call_as(&token, Method::GET, &path, None).await;
            assert_eq!(status, 200, "{r}");
            r["workers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    (
                        w["worker_id"].as_str().unwrap().to_string(),
                        w["skill_level"].as_i64().unwrap(),
                        w["score"].as_f64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let before = ranking().await;
    let rank = |r: &[(String, i64, f64)], id: &str| r.iter().position(|w| w.0 == id).unwrap();
    assert!(rank(&before, &second.id) > rank(&before, &first.id), "{before:?}");
    assert!(before.iter().all(|w| w.1 == 2), "{before:?}");
    let clerk = staff(&app, "13600000361", "county_admin", "lankao").await;
    let id = create(&app, &clerk, "lankao", session("家政服务员(二级/技师)", 0, 5)).await;
    assert_eq!(enrol(&app, &second, &id).await.0, 201);
    assert_eq!(
        step(&app, &clerk, "lankao", &id, &second.id, json!({"action": "attend"})).await.0,
        200
    );
    let cert = json!({"number": "S000041020000244000456", "issuer": "兰考县职业技能鉴定站", "issued_on": day(0), "level": 4});
    let (status, body) = step(
        &app,
        &clerk,
        "lankao",
        &id,
        &second.id,
        json!({"action": "complete", "certificate": cert}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let after = ranking().await;
    assert!(rank(&after, &second.id) < rank(&after, &first.id), "{after:?}");
    assert_eq!(after[rank(&after, &second.id)].1, 4, "the certified level shows: {after:?}");
    assert_eq!(after[rank(&after, &first.id)].1, 2);
    assert!(after[rank(&after, &second.id)].2 > before[rank(&before, &second.id)].2);
    // A profile refresh keeps the certified level.
    gigmarket::matching::refresh_worker(&app.store, &second.id).await.unwrap();
    let f = app.store.worker_features(&second.id).await.unwrap().unwrap();
    assert_eq!(f.certified_levels.get("4-10-01-06"), Some(&4), "{f:?}");
    assert_eq!(ranking().await[0].0, second.id);
}

async fn markets_and_workers_see_only_their_own(app: TestApp) {
    let lankao = staff(&app, "13600000371", "county_admin", "lankao").await;
    let qixian = staff(&app, "13600000372", "county_admin", "qixian").await;
    let id = create(&app, &lankao, "lankao", session("兰考家政", 0, 5)).await;
    let (me, other) = (
        worker(&app, 371, &["4-10-01-06"], (114.82, 34.82), false).await,
        worker(&app, 372, &["4-10-01-06"], (114.82, 34.82), false).await,
    );
    assert_eq!(enrol(&app, &me, &id).await.0, 201);
    // 杞县 staff: refused on 兰考县's routes, not found through their own.
    let roster = format!("/api/v1/tenants/lankao/trainings/{id}/enrolments");
    assert_eq!(app.call_as(&qixian.token, Method::GET, &roster, None).await.0, 403);
    let (status, _) = step(&app, &qixian, "lankao", &id, &me.id, json!({"action": "attend"})).await;
    assert_eq!(status, 403);
    let (status, body) =
        step(&app, &qixian, "qixian", &id, &me.id, json!({"action": "attend"})).await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, "training_not_found");
    let cancel = format!("/api/v1/tenants/qixian/trainings/{id}/cancel");
    assert_eq!(app.call_as(&qixian.token, Method::POST, &cancel, None).await.0, 404);
    let (_, theirs) =
        app.call_as(&qixian.token, Method::GET, "/api/v1/tenants/qixian/trainings", None).await;
    assert_eq!(theirs["count"], 0);
    // Workers: staff routes refused; only their own enrolments and skills.
    assert_eq!(app.call_as(&me.token, Method::GET, &roster, None).await.0, 403);
    assert_eq!(step(&app, &me, "lankao", &id, &me.id, json!({"action": "attend"})).await.0, 403);
    assert_eq!(
        step(&app, &lankao, "lankao", &id, &me.id, json!({"action": "attend"})).await.0,
        200
    );
    assert_eq!(
        step(&app, &lankao, "lankao", &id, &me.id, json!({"action": "complete"})).await.0,
        200
    );
    let (_, mine) = app.call_as(&me.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(mine["count"], 1);
    let (_, skills) = app.call_as(&me.token, Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(skills["count"], 1);
    let (_, theirs) = app.call_as(&other.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(theirs["count"], 0, "{theirs}");
    let (_, theirs) = app.call_as(&other.token, Method::GET, "/api/v1/me/skills", None).await;
    assert_eq!(theirs["count"], 0, "{theirs}");
    // The roster masks names and phones.
    let (_, r) = app.call_as(&lankao.token, Method::GET, &roster, None).await;
    let line = &r["enrolments"][0];
    assert!(line["name"].as_str().unwrap().contains('*'), "{line}");
    assert!(line["phone"].as_str().unwrap().contains("****"), "{line}");
}

async fn cancelling_a_session_cancels_its_enrolments(app: TestApp) {
    let clerk = staff(&app, "13600000381", "county_admin", "lankao").await;
    let id = create(&app, &clerk, "lankao", session("取消的培训", 3, 5)).await;
    let w = worker(&app, 381, &["4-10-01-06"], (114.82, 34.82), false).await;
    let late = worker(&app, 382, &["4-10-01-06"], (114.82, 34.82), false).await;
    assert_eq!(enrol(&app, &w, &id).await.0, 201);
    let path = format!("/api/v1/tenants/lankao/trainings/{id}/cancel");
    let (status, t) = app.call_as(&clerk.token, Method::POST, &path, None).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["status"], "cancelled");
    let (_, mine) = app.call_as(&w.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(mine["enrolments"][0]["status"], "cancelled", "{mine}");
    assert_error(&enrol(&app, &late, &id).await.1, "training_not_open");
    assert_error(
        &app.call_as(&clerk.token, Method::POST, &path, None).await.1,
        "training_cancelled",
    );
    let (_, found) = app.get_json("/api/v1/trainings").await;
    assert_eq!(found["count"], 0, "{found}");
    assert_eq!(audit_count(&app, "training.cancel").await, 1);
}

async fn the_period_counts_are_per_market(app: TestApp) {
    let lankao = staff(&app, "13600000391", "county_admin", "lankao").await;
    let a = create(&app, &lankao, "lankao", session("兰考家政", 0, 5)).await;
    let mut guidance = session("一对一职业指导", 1, 1);
    guidance["kind"] = json!("guidance");
    let g = create(&app, &lankao, "lankao", guidance).await;
    let cancelled = create(&app, &lankao, "lankao", session("取消", 1, 5)).await;
    let path = format!("/api/v1/tenants/lankao/trainings/{cancelled}/cancel");
    assert_eq!(app.call_as(&lankao.token, Method::POST, &path, None).await.0, 200);
    let (w1, w2) = (
        worker(&app, 391, &["4-10-01-06"], (114.82, 34.82), false).await,
        worker(&app, 392, &["4-10-01-06"], (114.82, 34.82), false).await,
    );
    assert_eq!(enrol(&app, &w1, &a).await.0, 201);
    assert_eq!(enrol(&app, &w2, &a).await.0, 201);
    assert_eq!(enrol(&app, &w1, &g).await.0, 201);
    assert_eq!(step(&app, &lankao, "lankao", &a, &w1.id, json!({"action": "attend"})).await.0, 200);
    assert_eq!(
        step(&app, &lankao, "lankao", &a, &w1.id, json!({"action": "complete"})).await.0,
        200
    );
    let today = app.clock.today();
    let tenants = ["lankao".to_string(), "qixian".to_string()];
    let counts =
        gigmarket::trainings::counts(&app.store, &tenants, today, today + Duration::days(7))
            .await
            .unwrap();
    assert_eq!(counts.len(), 2);
    assert_eq!(
        (
            counts[0].tenant.as_str(),
            counts[0].sessions,
            counts[0].enrolments,
            counts[0].completions,
            counts[0].guidance
        ),
        ("lankao", 2, 3, 1, 1),
        "{counts:?}"
    );
    assert_eq!((counts[1].sessions, counts[1].enrolments, counts[1].completions), (0, 0, 0));
    let later = gigmarket::trainings::counts(
        &app.store,
        &tenants,
        today + Duration::days(1),
        today + Duration::days(7),
    )
    .await
    .unwrap();
    assert_eq!(
        (later[0].sessions, later[0].enrolments, later[0].completions, later[0].guidance),
        (1, 1, 0, 1)
    );
}

/// The demo city seeds a 兰考县 技能培训 with the demo worker enrolled and a 杞县 安全培训, once.
async fn the_demo_city_has_two_sessions_with_the_demo_worker_enrolled(app: TestApp) {
    let (_, found) = app.get_json("/api/v1/trainings").await;
    let mut kinds: Vec<(String, String)> = found["trainings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["tenant"].as_str().unwrap().into(), t["kind"].as_str().unwrap().into()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [("lankao".to_string(), "skills".to_string()), ("qixian".into(), "safety".into())],
        "{found}"
    );
    let worker = login(&app, gigmarket::demo::DEMO_WORKER, gigmarket::demo::DEMO_PASSWORD).await;
    let (_, mine) = app.call_as(&worker.token, Method::GET, "/api/v1/me/trainings", None).await;
    assert_eq!(mine["count"], 1, "{mine}");
    assert_eq!(mine["enrolments"][0]["training"]["tenant"], "lankao");
    // Seeding again adds nothing.
    gigmarket::trainings::seed_demo(&app.store, &accounts(&app), gigmarket::demo::DEMO_WORKER)
        .await
        .unwrap();
    let (_, again) = app.get_json("/api/v1/trainings").await;
    assert_eq!(again["count"], 2, "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_city_has_two_sessions_sqlite() {
    the_demo_city_has_two_sessions_with_the_demo_worker_enrolled(
        gigmarket_e2e::spawn_demo(gigmarket_e2e::Backend::Sqlite).await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_city_has_two_sessions_postgres() {
    the_demo_city_has_two_sessions_with_the_demo_worker_enrolled(
        gigmarket_e2e::spawn_demo(gigmarket_e2e::Backend::Postgres).await,
    )
    .await;
}

fn accounts(app: &TestApp) -> gigmarket::accounts::Accounts {
    let keys = app.pii_keys.clone().expect("the test host's PII keys");
    gigmarket::accounts::Accounts::new(
        app.store.clone(),
        keys,
        std::time::Duration::from_secs(3600),
    )
}

/// A one-to-one 职业指导 (a guidance session of one place) is recorded twice over: as the
/// worker's skills service and, from its skill record, as a row of the market's labour-supply
/// ledger that points to the record and names the worker masked.
async fn one_to_one_guidance_is_a_skills_service_and_a_ledger_row(app: TestApp) {
    let clerk = staff(&app, "13600000391", "county_admin", "lankao").await;
    let mut body = session("求职规划一对一指导", 0, 1);
    body["kind"] = json!("guidance");
    body["occupation_code"] = json!("4-02-05-01");
    let id = create(&app, &clerk, "lankao", body).await;
    let seeker = worker(&app, 391, &["4-02-05-01"], (114.82, 34.82), false).await;
    assert_eq!(enrol(&app, &seeker, &id).await.0, 201);
    for action in ["attend", "complete"] {
        let (status, body) =
            step(&app, &clerk, "lankao", &id, &seeker.id, json!({"action": action})).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let (_, skills) = app.call_as(&seeker.token, Method::GET, "/api/v1/me/skills", None).await;
    let record = skills["skills"]
        .as_array()
        .unwrap_or_else(|| panic!("{skills}"))
        .iter()
        .find(|s| s["training_id"] == id)
        .unwrap_or_else(|| panic!("a skill record: {skills}"))
        .clone();
    assert_eq!(record["kind"], "guidance");

    let (status, ledger) = app
        .call_as(&clerk.token, Method::GET, "/api/v1/tenants/lankao/ledgers/labour-supply", None)
        .await;
    assert_eq!(status, 200, "{ledger}");
    let source = format!("skill:{}", record["id"].as_str().unwrap());
    let rows = ledger["days"][0]["rows"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["source_ref"] == source.as_str())
        .unwrap_or_else(|| panic!("the guidance in the ledger: {ledger}"));
    assert_eq!(row["source"], "auto");
    assert_eq!(row["fields"]["event"], "职业指导");
    let name = gigmarket_e2e::people::worker_name(391);
    assert!(!row.to_string().contains(&name), "the worker's name is masked: {row}");
}
