//! The employer's pages over HTTP: posting through the form (and what the review said), field
//! errors with nothing written, offers from the recommendations, every employer action on an
//! engagement through the one page route (checked over the JSON API), and refusals: another
//! employer, a worker, a form without its CSRF token.

use gigmarket_e2e::pages::{Answer, Visitor};
use gigmarket_e2e::people::{Person, day, employer, job, open_job, worker, worker_name};
use gigmarket_e2e::{Backend, TestApp, db_tests, spawn_demo};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    an_employer_posts_through_the_form_and_finds_it_in_their_list,
    a_bad_post_is_named_by_its_field_escaped_and_not_written,
    a_rejected_or_held_post_shows_the_reviews_reasons,
    an_offer_to_a_recommended_worker_becomes_an_engagement,
    sign_no_show_pay_and_rate_go_through_the_page_route,
    another_employer_or_a_worker_is_refused_and_nothing_is_written,
    employer_forms_without_the_csrf_token_are_refused
);

const HOSTILE: &str = "<script>alert(1)</script>";

/// `employer(app, n, verified)`'s phone (its password is the harness's).
fn phone(n: u32) -> String {
    format!("137{n:08}")
}

async fn logged_in(app: &TestApp, phone: &str) -> Visitor {
    let v = Visitor::new(app);
    v.login(phone, "kaifeng2026").await;
    v
}

/// China's time `hours` from now as a `datetime-local` input sends it.
fn local_in(hours: i64) -> String {
    let t = gigmarket_e2e::now() + chrono::Duration::hours(hours);
    t.with_timezone(&gigmarket::clock::china()).format("%Y-%m-%dT%H:%M").to_string()
}

/// A post form the city's review accepts, with `changes` applied.
fn post_form(changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("tenant", "lankao".into()),
        ("title", "仓库装卸工".into()),
        ("occupation_code", "4-02-05-01".into()),
        ("description", "仓库临时装卸搬运,包午饭".into()),
        ("headcount", "3".into()),
        ("district", "410225".into()),
        ("address", "兰考县兰阳街道物流园3号仓库".into()),
        ("lon", String::new()),
        ("lat", String::new()),
        ("work_start", day(1)),
        ("work_end", day(2)),
        ("daily_hours", "8".into()),
        ("wage", "200.50".into()),
        ("wage_unit", "day".into()),
        ("settlement", "daily".into()),
        ("closes_at", local_in(24)),
        ("contact_name", "李经理".into()),
        ("contact_phone", "13712345678".into()),
        ("requirements", String::new()),
        ("qualifications", String::new()),
    ];
    for (name, value) in changes {
        form.iter_mut().find(|(n, _)| n == name).expect("a field of the form").1 =
            value.to_string();
    }
    form
}

async fn submit(v: &Visitor, path: &str, form: &[(&'static str, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    v.post(path, &pairs).await
}

async fn my_jobs(app: &TestApp, who: &Person) -> Vec<Value> {
    let (status, body) = app.call_as(&who.token, Method::GET, "/api/v1/me/jobs", None).await;
    assert_eq!(status, 200, "{body}");
    body["jobs"].as_array().unwrap().clone()
}

async fn engagement(app: &TestApp, who: &Person, id: &str) -> Value {
    let (status, e) =
        app.call_as(&who.token, Method::GET, &format!("/api/v1/engagements/{id}"), None).await;
    assert_eq!(status, 200, "{e}");
    e
}

async fn api_act(
    app: &TestApp,
    who: &Person,
    id: &str,
    action: &str,
    body: Option<Value>,
) -> Value {
    let path = format!("/api/v1/engagements/{id}/{action}");
    let (status, e) = app.call_as(&who.token, Method::POST, &path, body).await;
    assert_eq!(status, 200, "{action}: {e}");
    e
}

async fn apply(app: &TestApp, who: &Person, job: &str) -> String {
    let path = format!("/api/v1/jobs/{job}/applications");
    let (status, e) = app.call_as(&who.token, Method::POST, &path, None).await;
    assert_eq!(status, 201, "{e}");
    e["id"].as_str().unwrap().to_string()
}

/// What was typed came back escaped, never as markup.
fn escaped(body: &str) -> bool {
    !body.contains(HOSTILE)
        && (body.contains("&#60;script&#62;") || body.contains("&lt;script&gt;"))
}

/// The value of the hidden input `name` inside the engagement card `id` of a page.
fn hidden_in_card(body: &str, card: &str, name: &str) -> String {
    let start = body.find(&format!("id=\"e-{card}\"")).expect("the engagement's card");
    let rest = &body[start..];
    let at = rest.find(&format!("name=\"{name}\" value=\"")).expect("the hidden field");
    let value = &rest[at + name.len() + 15..];
    value[..value.find('"').unwrap()].to_string()
}

async fn an_employer_posts_through_the_form_and_finds_it_in_their_list(app: TestApp) {
    let boss = employer(&app, 201, true).await;
    let v = logged_in(&app, &phone(201)).await;
    let form = v.get("/employer/jobs/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("<optgroup label=\"社会生产服务和生活服务人员\">")
            && form.body.contains("value=\"4-02-05-01\""),
        "the occupation picker is grouped by the 职业分类大典's major groups"
    );
    assert!(
        form.body.contains("<option value=\"lankao\" selected>"),
        "the employer's market is chosen"
    );

    let posted = submit(&v, "/employer/jobs", &post_form(&[])).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let mine = my_jobs(&app, &boss).await;
    assert_eq!(mine.len(), 1);
    let id = mine[0]["id"].as_str().unwrap();
    assert_eq!(posted.location.as_deref(), Some(format!("/employer/jobs/{id}").as_str()));
    assert_eq!(
        (mine[0]["wage_cents"].as_i64(), mine[0]["status"].as_str()),
        (Some(20050), Some("open")),
        "200.50 yuan typed is 20050 fen: {}",
        mine[0]
    );
    let (_, lankao) = app.get_json("/api/v1/tenants/lankao").await;
    assert_eq!(
        mine[0]["location"], lankao["location"],
        "no coordinates: the county market's place"
    );
    let closes =
        chrono::DateTime::parse_from_rfc3339(mine[0]["closes_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        closes.with_timezone(&gigmarket::clock::china()).format("%Y-%m-%dT%H:%M").to_string(),
        local_in(24),
        "the closing time typed is China's time"
    );

    let page = v.get(&format!("/employer/jobs/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("200.50元/天") && page.body.contains("招聘中"), "{}", page.body);
    let home = v.get("/employer").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("已实名认证") && home.body.contains("href=\"/employer/jobs/new\""));
    assert!(
        home.body.contains(&format!("href=\"/employer/jobs/{id}\""))
            && home.body.contains("仓库装卸工")
            && home.body.contains("已录用 0 / 共 3 人 · 还剩 3 个名额"),
        "{}",
        home.body
    );
}

async fn a_bad_post_is_named_by_its_field_escaped_and_not_written(app: TestApp) {
    let boss = employer(&app, 202, true).await;
    let v = logged_in(&app, &phone(202)).await;
    let long = "长".repeat(5000);
    let start = day(3);
    let cases: Vec<(Vec<(&'static str, &str)>, &str)> = vec![
        (vec![("title", "")], "title"),
        (vec![("title", long.as_str())], "title"),
        (vec![("description", long.as_str())], "description"),
        (vec![("occupation_code", HOSTILE)], "occupation_code"),
        (vec![("headcount", "three")], "headcount"),
        (vec![("headcount", "0")], "headcount"),
        (vec![("district", "999999")], "district"),
        (vec![("address", "")], "address"),
        (vec![("lon", "east")], "location"),
        (vec![("lon", "120.0"), ("lat", "30.0")], "location"),
        (vec![("work_start", "tomorrow")], "work_start"),
        (vec![("work_start", start.as_str())], "work_end"),
        (vec![("daily_hours", "eight")], "daily_hours"),
        (vec![("wage", "abc")], "wage"),
        (vec![("wage", "-5")], "wage"),
        (vec![("wage", long.as_str())], "wage"),
        (vec![("wage", "0")], "wage"),
        (vec![("wage_unit", "year")], "wage_unit"),
        (vec![("settlement", HOSTILE)], "settlement"),
        (vec![("closes_at", "yesterday")], "closes_at"),
        (vec![("contact_phone", HOSTILE)], "contact_phone"),
        (vec![("tenant", "no-such-market")], "tenant"),
    ];
    for (changes, field) in cases {
        let answer = submit(&v, "/employer/jobs", &post_form(&changes)).await;
        let status = if field == "tenant" { 404 } else { 400 };
        assert_eq!(answer.status, status, "{changes:?}: {}", answer.body);
        assert!(
            answer.body.contains(&format!("id=\"{field}-error\"")),
            "{changes:?} is named at {field}: {}",
            answer.body
        );
    }
    // Hostile text in every text field comes back escaped in the form.
    let hostile = post_form(&[
        ("title", HOSTILE),
        ("description", HOSTILE),
        ("address", HOSTILE),
        ("contact_name", HOSTILE),
        ("requirements", HOSTILE),
        ("qualifications", HOSTILE),
        ("lon", HOSTILE),
    ]);
    let answer = submit(&v, "/employer/jobs", &hostile).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("id=\"location-error\""), "{}", answer.body);
    assert!(escaped(&answer.body), "{}", answer.body);
    assert!(answer.body.contains("name=\"csrf_token\""), "the form again, ready to resend");
    // An incomplete form is an error page, not a 500.
    let missing = v.post("/employer/jobs", &[("title", "仓库装卸工")]).await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(my_jobs(&app, &boss).await.is_empty(), "no refused form wrote a post");

    // Unverified: the form says so and links to the profile; the post is refused.
    let unverified = employer(&app, 203, false).await;
    let u = logged_in(&app, &phone(203)).await;
    let form = u.get("/employer/jobs/new").await;
    assert!(form.body.contains("实名信息审核中") && form.body.contains("href=\"/me/profile\""));
    let refused = submit(&u, "/employer/jobs", &post_form(&[])).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("class=\"alert\"") && refused.body.contains("尚未通过审核"));
    assert!(my_jobs(&app, &unverified).await.is_empty());
}

async fn a_rejected_or_held_post_shows_the_reviews_reasons(app: TestApp) {
    let boss = employer(&app, 204, true).await;
    let v = logged_in(&app, &phone(204)).await;
    let rejected =
        submit(&v, "/employer/jobs", &post_form(&[("requirements", "限男性\n能吃苦")])).await;
    assert_eq!(rejected.status, 303, "{}", rejected.body);
    let held = submit(&v, "/employer/jobs", &post_form(&[("daily_hours", "11")])).await;
    assert_eq!(held.status, 303, "{}", held.body);
    let mine = my_jobs(&app, &boss).await;
    for (answer, status, banner) in
        [(&rejected, "rejected", "发布审核未通过"), (&held, "held", "等待市场工作人员审核")]
    {
        let post = mine.iter().find(|j| j["status"] == status).expect(status);
        let reasons = post["review_reasons"].as_array().unwrap();
        assert!(!reasons.is_empty(), "{post}");
        let page = v.get(answer.location.as_deref().unwrap()).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(banner), "{}", page.body);
        for r in reasons {
            let message = r["message"].as_str().unwrap();
            assert!(page.body.contains(message), "{status}: the reason {message} is shown");
        }
    }
    let rejected_post = mine.iter().find(|j| j["status"] == "rejected").unwrap();
    let codes = rejected_post["review_reasons"].to_string();
    assert!(codes.contains("discrimination"), "{codes}");
    let home = v.get("/employer").await;
    assert!(home.body.contains("审核未通过") && home.body.contains("待人工审核"), "{}", home.body);
}

async fn an_offer_to_a_recommended_worker_becomes_an_engagement(app: TestApp) {
    let boss = employer(&app, 205, true).await;
    let w = worker(&app, 205, &["4-02-05-01"], (114.82, 34.82), true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let v = logged_in(&app, &phone(205)).await;
    let page = v.get(&format!("/employer/jobs/{job_id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (status, recs) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{job_id}/recommendations"), None)
        .await;
    assert_eq!(status, 200, "{recs}");
    let first = &recs["workers"][0];
    assert_eq!(first["worker_id"], w.id.as_str());
    assert!(page.body.contains(&worker_name(205)), "the recommended worker is shown");
    for r in first["reasons"].as_array().unwrap() {
        assert!(page.body.contains(r["message"].as_str().unwrap()), "reason {r} shown");
    }
    assert!(page.body.contains(&format!("name=\"worker_id\" value=\"{}\"", w.id)));

    let offers = format!("/employer/jobs/{job_id}/offers");
    let offered = v.post(&offers, &[("worker_id", &w.id)]).await;
    assert_eq!(offered.status, 303, "{}", offered.body);
    let (_, list) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    let list = list["engagements"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["status"].as_str(), list[0]["origin"].as_str()),
        (Some("offered"), Some("offer"))
    );
    assert_eq!(list[0]["worker"]["account_id"], w.id.as_str());
    let after = v.get(&format!("/employer/jobs/{job_id}")).await;
    assert!(after.body.contains("已录用待确认"), "{}", after.body);
    assert!(
        !after.body.contains(&format!("name=\"worker_id\" value=\"{}\"", w.id)),
        "an engaged worker is no longer recommended"
    );

    // Offering again, or to someone who is no worker, is refused on the post's page.
    let again = v.post(&offers, &[("worker_id", &w.id)]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.body.contains("class=\"alert\"") && again.body.contains("已报名或已被录用该岗位")
    );
    let nobody = v.post(&offers, &[("worker_id", HOSTILE)]).await;
    assert_eq!(nobody.status, 403, "{}", nobody.body);
    assert!(escaped(&nobody.body) || !nobody.body.contains(HOSTILE));
    let (_, list) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    assert_eq!(list["engagements"].as_array().unwrap().len(), 1, "nothing more was written");
}

async fn sign_no_show_pay_and_rate_go_through_the_page_route(app: TestApp) {
    let boss = employer(&app, 206, true).await;
    let w1 = worker(&app, 206, &["4-02-05-01"], (114.82, 34.82), true).await;
    let w2 = worker(&app, 207, &["4-02-05-01"], (114.82, 34.82), true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let back = format!("/employer/jobs/{job_id}");
    let v = logged_in(&app, &phone(206)).await;
    let e1 = apply(&app, &w1, &job_id).await;
    let e2 = apply(&app, &w2, &job_id).await;

    // Offer to both applicants through the page route, back to the post.
    for e in [&e1, &e2] {
        let done = v.post(&format!("/engagements/{e}/offer"), &[("back", &back)]).await;
        assert_eq!(
            (done.status, done.location.as_deref()),
            (303, Some(back.as_str())),
            "{}",
            done.body
        );
        assert_eq!(engagement(&app, &boss, e).await["status"], "offered");
        let accepted = api_act(&app, if *e == e1 { &w1 } else { &w2 }, e, "accept", None).await;
        assert_eq!(accepted["status"], "accepted");
    }

    // Sign with the hash the page carries; a wrong hash is refused and signs nothing.
    let page = v.get(&back).await;
    let hash = hidden_in_card(&page.body, &e1, "agreement_hash");
    assert_eq!(engagement(&app, &boss, &e1).await["agreement_hash"], hash.as_str());
    let wrong = v
        .post(
            &format!("/engagements/{e1}/sign"),
            &[("back", &back), ("agreement_hash", &"0".repeat(64))],
        )
        .await;
    assert_eq!(wrong.status, 409, "{}", wrong.body);
    assert!(wrong.body.contains("所签协议与当前协议不一致"), "{}", wrong.body);
    assert!(wrong.body.contains(&format!("href=\"{back}\"")), "the way back");
    assert!(engagement(&app, &boss, &e1).await["employer_signed_at"].is_null(), "nothing signed");
    for e in [&e1, &e2] {
        let page = v.get(&back).await;
        let hash = hidden_in_card(&page.body, e, "agreement_hash");
        let signed = v
            .post(&format!("/engagements/{e}/sign"), &[("back", &back), ("agreement_hash", &hash)])
            .await;
        assert_eq!(signed.status, 303, "{}", signed.body);
        let after = engagement(&app, &boss, e).await;
        assert!(after["employer_signed_at"].is_string(), "{after}");
        assert_eq!(after["status"], "accepted", "signed when the worker signs too");
        let w = if *e == e1 { &w1 } else { &w2 };
        let both = api_act(&app, w, e, "sign", Some(json!({"agreement_hash": hash}))).await;
        assert_eq!(both["status"], "signed");
    }

    // The second worker does not come: a no-show frees the place.
    let (_, before) = app.get_json(&format!("/api/v1/jobs/{job_id}")).await;
    let no_show = v.post(&format!("/engagements/{e2}/no-show"), &[("back", &back)]).await;
    assert_eq!(no_show.status, 303, "{}", no_show.body);
    assert_eq!(engagement(&app, &boss, &e2).await["status"], "no_show");
    let (_, after) = app.get_json(&format!("/api/v1/jobs/{job_id}")).await;
    assert_eq!(after["open_places"].as_i64(), before["open_places"].as_i64().map(|n| n + 1));

    // The first works, and is paid: a bad amount is named and writes nothing.
    api_act(&app, &w1, &e1, "check-in", None).await;
    api_act(&app, &w1, &e1, "check-out", None).await;
    let pay = format!("/engagements/{e1}/pay");
    for (amount, method, field) in
        [("abc", "wechat", "amount"), ("0", "wechat", "amount"), ("200", HOSTILE, "method")]
    {
        let bad = v.post(&pay, &[("back", &back), ("amount", amount), ("method", method)]).await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert!(bad.body.contains(&format!("id=\"{field}-error\"")), "{field}: {}", bad.body);
        assert!(!bad.body.contains(HOSTILE));
        assert_eq!(engagement(&app, &boss, &e1).await["status"], "checked_out", "nothing paid");
    }
    let paid = v.post(&pay, &[("back", &back), ("amount", "200.5"), ("method", "wechat")]).await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    let after = engagement(&app, &boss, &e1).await;
    assert_eq!(
        (after["status"].as_str(), after["paid_cents"].as_i64(), after["paid_method"].as_str()),
        (Some("paid"), Some(20050), Some("wechat")),
        "{after}"
    );

    // Rated once: a score out of range is named; the comment is shown escaped.
    let rate = format!("/engagements/{e1}/rate");
    let bad = v.post(&rate, &[("back", &back), ("score", "6")]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("id=\"score-error\""), "{}", bad.body);
    let too_long = "好".repeat(5000);
    let bad = v.post(&rate, &[("back", &back), ("score", "5"), ("comment", &too_long)]).await;
    assert!(bad.status == 400 && bad.body.contains("id=\"comment-error\""), "{}", bad.body);
    assert!(engagement(&app, &boss, &e1).await["ratings"].as_array().unwrap().is_empty());
    let rated =
        v.post(&rate, &[("back", "//evil.example/"), ("score", "5"), ("comment", HOSTILE)]).await;
    assert_eq!(
        (rated.status, rated.location.as_deref()),
        (303, Some("/employer")),
        "only local ways back"
    );
    let ratings = engagement(&app, &boss, &e1).await["ratings"].clone();
    assert_eq!(
        (ratings[0]["score"].as_i64(), ratings[0]["comment"].as_str()),
        (Some(5), Some(HOSTILE))
    );
    let page = v.get(&back).await;
    assert!(escaped(&page.body), "the comment is shown escaped");
    assert!(page.body.contains("已发放 200.50元(微信)"), "{}", page.body);
    let twice = v.post(&rate, &[("back", &back), ("score", "4")]).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert_eq!(engagement(&app, &boss, &e1).await["ratings"].as_array().unwrap().len(), 1);
}

async fn another_employer_or_a_worker_is_refused_and_nothing_is_written(app: TestApp) {
    let owner = employer(&app, 208, true).await;
    let w = worker(&app, 208, &["4-02-05-01"], (114.82, 34.82), true).await;
    let job_id = open_job(&app, &owner, job("lankao", "仓库装卸工")).await;
    let e = apply(&app, &w, &job_id).await;
    employer(&app, 209, true).await;
    let other = logged_in(&app, &phone(209)).await;
    let page = other.get(&format!("/employer/jobs/{job_id}")).await;
    assert_eq!(page.status, 404, "{}", page.body);
    assert!(page.body.contains("data-error=\"job_not_found\""));
    assert!(!page.body.contains(&worker_name(208)), "never someone else's applicants");
    let offer =
        other.post(&format!("/employer/jobs/{job_id}/offers"), &[("worker_id", &w.id)]).await;
    assert_eq!(offer.status, 404, "{}", offer.body);
    let close = other.post(&format!("/employer/jobs/{job_id}/close"), &[]).await;
    assert_eq!(close.status, 404, "{}", close.body);
    let act = other.post(&format!("/engagements/{e}/turn-down"), &[("back", "/employer")]).await;
    assert_eq!(act.status, 404, "{}", act.body);
    assert!(!act.body.contains(&worker_name(208)));
    let (_, list) = app
        .call_as(&owner.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    let list = list["engagements"].as_array().unwrap();
    assert_eq!((list.len(), list[0]["status"].as_str()), (1, Some("applied")), "nothing written");
    let (_, post) = app.get_json(&format!("/api/v1/jobs/{job_id}")).await;
    assert_eq!(post["status"], "open", "still open");

    // A worker has no employer pages, and cannot take the employer's actions.
    let wv = logged_in(&app, "13900000208").await;
    let home = wv.get("/employer").await;
    assert_eq!(home.status, 403);
    assert!(home.body.contains("data-error=\"employers_only\""), "{}", home.body);
    let posted = submit(&wv, "/employer/jobs", &post_form(&[])).await;
    assert_eq!(posted.status, 403);
    let offer = wv.post(&format!("/engagements/{e}/offer"), &[("back", "/me")]).await;
    assert_eq!(offer.status, 403, "{}", offer.body);
    assert!(offer.body.contains("应由另一方操作"), "{}", offer.body);
    assert_eq!(engagement(&app, &owner, &e).await["status"], "applied");
    let unknown = wv.post(&format!("/engagements/{e}/explode"), &[]).await;
    assert_eq!(unknown.status, 404);

    // The owner closes it; closing twice is refused on the page.
    let v = logged_in(&app, &phone(208)).await;
    let closed = v.post(&format!("/employer/jobs/{job_id}/close"), &[]).await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let (_, mine) = app.call_as(&owner.token, Method::GET, "/api/v1/me/jobs", None).await;
    assert_eq!(mine["jobs"][0]["status"], "closed");
    let again = v.post(&format!("/employer/jobs/{job_id}/close"), &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("不能关闭"), "{}", again.body);
}

async fn employer_forms_without_the_csrf_token_are_refused(app: TestApp) {
    let boss = employer(&app, 210, true).await;
    let w = worker(&app, 210, &["4-02-05-01"], (114.82, 34.82), true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let e = apply(&app, &w, &job_id).await;
    let v = logged_in(&app, &phone(210)).await;
    let form = post_form(&[("title", "无令牌的招聘")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (path, fields) in [
        ("/employer/jobs".to_string(), pairs.clone()),
        (format!("/employer/jobs/{job_id}/offers"), vec![("worker_id", w.id.as_str())]),
        (format!("/employer/jobs/{job_id}/close"), vec![]),
        (format!("/engagements/{e}/offer"), vec![("back", "/employer")]),
    ] {
        let answer = v.post_raw(&path, &fields).await;
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert!(answer.body.contains("data-error=\"csrf_failed\""), "{path}");
    }
    assert_eq!(my_jobs(&app, &boss).await.len(), 1, "no post was written");
    let (_, post) = app.get_json(&format!("/api/v1/jobs/{job_id}")).await;
    assert_eq!(post["status"], "open");
    assert_eq!(engagement(&app, &boss, &e).await["status"], "applied");
}

/// The demo's employer (13800000007 / kaifeng2026): verified, with the demo's posts listed.
async fn the_demo_employer_sees_their_posts(app: TestApp) {
    let v = logged_in(&app, gigmarket::demo::DEMO_EMPLOYER).await;
    let home = v.get("/employer").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("已实名认证"), "{}", home.body);
    let posts = home.body.matches("class=\"card post-row\"").count();
    assert!(posts >= 2, "the demo's posts are listed: {}", home.body);
    let first = home.body.split("href=\"/employer/jobs/").nth(2).expect("a post link");
    let id = &first[..first.find('"').unwrap()];
    let page = v.get(&format!("/employer/jobs/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("推荐人选"), "{}", page.body);
    assert!(!page.body.contains("rule-failure"), "the demo's matching rules work");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_employer_sees_their_posts_sqlite() {
    the_demo_employer_sees_their_posts(spawn_demo(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_employer_sees_their_posts_postgres() {
    the_demo_employer_sees_their_posts(spawn_demo(Backend::Postgres).await).await;
}
