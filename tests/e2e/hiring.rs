//! From application to ratings over HTTP: every step by the right party at the right moment,
//! wrong transitions refused with nothing written, the agreement's hash, the race for the last
//! place, and who may see whose applicants.

use gigmarket_e2e::people::{Person, employer, employer_name, job, open_job, worker, worker_name};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    hiring_runs_from_application_to_ratings,
    wrong_moves_are_refused_and_change_nothing,
    the_last_place_goes_to_exactly_one_worker,
    employers_see_only_their_own_applicants,
    a_no_show_frees_the_place_and_counts_in_matching,
    turning_down_an_applicant_frees_the_place,
    offers_are_made_only_on_ones_own_posts_to_real_workers
);

async fn act(
    app: &TestApp,
    who: &Person,
    engagement: &str,
    action: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.call_as(
        &who.token,
        Method::POST,
        &format!("/api/v1/engagements/{engagement}/{action}"),
        body,
    )
    .await
}

async fn ok(
    app: &TestApp,
    who: &Person,
    engagement: &str,
    action: &str,
    body: Option<Value>,
) -> Value {
    let (status, e) = act(app, who, engagement, action, body).await;
    assert_eq!(status, 200, "{action}: {e}");
    e
}

async fn apply(app: &TestApp, who: &Person, job: &str) -> (u16, Value) {
    app.call_as(&who.token, Method::POST, &format!("/api/v1/jobs/{job}/applications"), None).await
}

async fn open_places(app: &TestApp, job: &str) -> i64 {
    app.get_json(&format!("/api/v1/jobs/{job}")).await.1["open_places"].as_i64().unwrap()
}

/// An engagement signed by both, ready for work.
async fn signed(app: &TestApp, boss: &Person, w: &Person, job: &str) -> String {
    let (status, e) = apply(app, w, job).await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_str().unwrap().to_string();
    ok(app, boss, &id, "offer", None).await;
    let accepted = ok(app, w, &id, "accept", None).await;
    let hash = accepted["agreement_hash"].clone();
    ok(app, w, &id, "sign", Some(json!({"agreement_hash": hash}))).await;
    ok(app, boss, &id, "sign", Some(json!({"agreement_hash": hash}))).await;
    id
}

async fn hiring_runs_from_application_to_ratings(app: TestApp) {
    let boss = employer(&app, 11, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let w = worker(&app, 11, &["4-02-05-01"], (114.82, 34.82), true).await;

    let (status, e) = apply(&app, &w, &job_id).await;
    assert_eq!(
        (status, e["status"].as_str(), e["origin"].as_str()),
        (201, Some("applied"), Some("application")),
        "{e}"
    );
    assert!(e["contact_phone"].is_null(), "no number before the worker accepts");
    let id = e["id"].as_str().unwrap().to_string();
    assert_eq!(open_places(&app, &job_id).await, 2, "an application holds a place");

    let (_, applicants) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    assert_eq!(
        applicants["engagements"][0]["worker"]["name"],
        worker_name(11).as_str(),
        "{applicants}"
    );

    ok(&app, &boss, &id, "offer", None).await;
    let accepted = ok(&app, &w, &id, "accept", None).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(
        accepted["contact_phone"], "13712345678",
        "the engaged worker may call the employer"
    );
    let agreement = &accepted["agreement"];
    assert_eq!(
        (
            agreement["worker_name"].as_str(),
            agreement["wage_cents"].as_i64(),
            agreement["settlement"].as_str()
        ),
        (Some(worker_name(11).as_str()), Some(20000), Some("daily"))
    );
    assert_eq!(agreement["employer_name"], employer_name(11).as_str());
    assert_eq!(accepted["agreement_intact"], true);
    let hash = accepted["agreement_hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);

    let (status, body) =
        act(&app, &w, &id, "sign", Some(json!({"agreement_hash": "0".repeat(64)}))).await;
    assert_eq!(status, 409);
    assert_error(&body, "agreement_mismatch");
    let half = ok(&app, &w, &id, "sign", Some(json!({"agreement_hash": hash}))).await;
    assert_eq!(
        (
            half["status"].as_str(),
            half["worker_signed_at"].is_string(),
            half["employer_signed_at"].is_null()
        ),
        (Some("accepted"), true, true)
    );
    let (status, body) = act(&app, &w, &id, "sign", Some(json!({"agreement_hash": hash}))).await;
    assert_eq!(status, 409);
    assert_error(&body, "already_signed");
    let both = ok(&app, &boss, &id, "sign", Some(json!({"agreement_hash": hash}))).await;
    assert_eq!(both["status"], "signed");

    let checked_in = ok(&app, &w, &id, "check-in", None).await;
    assert!(checked_in["checked_in_at"].is_string());
    ok(&app, &w, &id, "check-out", None).await;
    let paid =
        ok(&app, &boss, &id, "pay", Some(json!({"amount_cents": 20000, "method": "wechat"}))).await;
    assert_eq!(
        (paid["status"].as_str(), paid["paid_cents"].as_i64(), paid["paid_method"].as_str()),
        (Some("paid"), Some(20000), Some("wechat"))
    );
    let confirmed = ok(&app, &w, &id, "confirm", None).await;
    assert_eq!(confirmed["status"], "confirmed");
    let (status, body) = act(&app, &w, &id, "confirm", None).await;
    assert_eq!(status, 409, "confirming twice");
    assert_error(&body, "invalid_transition");

    ok(&app, &w, &id, "rate", Some(json!({"score": 5, "comment": "工资当天结清"}))).await;
    let rated = ok(&app, &boss, &id, "rate", Some(json!({"score": 4}))).await;
    assert_eq!(rated["ratings"].as_array().unwrap().len(), 2);
    let (status, body) = act(&app, &boss, &id, "rate", Some(json!({"score": 1}))).await;
    assert_eq!(status, 409);
    assert_error(&body, "already_rated");

    let statuses: Vec<&str> = rated["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "applied",
            "offered",
            "accepted",
            "accepted",
            "signed",
            "checked_in",
            "checked_out",
            "paid",
            "confirmed"
        ]
    );
    assert_eq!(rated["agreement_intact"], true);

    let (_, mine) = app.call_as(&w.token, Method::GET, "/api/v1/me/engagements", None).await;
    assert_eq!(mine["engagements"][0]["id"], id.as_str());

    // The rating and the finished job feed the next ranking.
    let next = open_job(&app, &boss, job("lankao", "二期仓库装卸")).await;
    let (_, ranked) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{next}/recommendations"), None)
        .await;
    let me = ranked["workers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["worker_id"] == w.id.as_str())
        .expect("the worker is recommended again");
    assert_eq!(
        (me["rating"].as_f64(), me["rating_count"].as_i64(), me["completed_jobs"].as_i64()),
        (Some(4.0), Some(1), Some(1)),
        "{me}"
    );
}

async fn wrong_moves_are_refused_and_change_nothing(app: TestApp) {
    let boss = employer(&app, 12, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let w = worker(&app, 12, &["4-02-05-01"], (114.82, 34.82), true).await;
    let stranger = worker(&app, 13, &["4-02-05-01"], (114.82, 34.82), true).await;
    let unverified = worker(&app, 14, &["4-02-05-01"], (114.82, 34.82), false).await;

    let (status, body) = apply(&app, &w, &job_id).await;
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(status, 201);
    let (status, body) = apply(&app, &w, &job_id).await;
    assert_eq!(status, 409);
    assert_error(&body, "already_engaged");
    assert_eq!(open_places(&app, &job_id).await, 2, "the refused second application took nothing");

    let (status, body) = act(&app, &w, &id, "offer", None).await;
    assert_eq!(status, 403, "a worker cannot offer to themself");
    assert_error(&body, "wrong_party");
    let (status, body) = act(&app, &w, &id, "accept", None).await;
    assert_eq!(status, 409, "nothing to accept before an offer");
    assert!(assert_error(&body, "invalid_transition").contains("已报名"));
    let (status, body) = act(&app, &w, &id, "dance", None).await;
    assert_eq!(status, 404);
    assert_error(&body, "action_not_found");

    // An unverified worker may apply, but not confirm an engagement (双实名).
    let (_, e) = apply(&app, &unverified, &job_id).await;
    let uid = e["id"].as_str().unwrap().to_string();
    ok(&app, &boss, &uid, "offer", None).await;
    let (status, body) = act(&app, &unverified, &uid, "accept", None).await;
    assert_eq!(status, 403);
    assert_error(&body, "worker_unverified");
    let (_, still) = app
        .call_as(&unverified.token, Method::GET, &format!("/api/v1/engagements/{uid}"), None)
        .await;
    assert_eq!(
        (still["status"].as_str(), still["agreement"].is_null()),
        (Some("offered"), true),
        "nothing was written"
    );
    ok(&app, &unverified, &uid, "decline", None).await;

    let id = {
        let id2 = signed(&app, &boss, &stranger, &job_id).await;
        let (status, body) =
            act(&app, &boss, &id2, "pay", Some(json!({"amount_cents": 20000, "method": "cash"})))
                .await;
        assert_eq!(status, 409, "no payment before check-out");
        assert_error(&body, "invalid_transition");
        ok(&app, &stranger, &id2, "check-in", None).await;
        ok(&app, &stranger, &id2, "check-out", None).await;
        for (bad, field) in [
            (json!({"amount_cents": 0, "method": "cash"}), "amount_cents"),
            (json!({"amount_cents": 100, "method": "gold"}), "method"),
            (
                json!({"amount_cents": 100, "method": "cash", "paid_at": "2999-01-01T00:00:00Z"}),
                "paid_at",
            ),
            (
                json!({"amount_cents": 100, "method": "cash", "paid_at": "0000-01-01T00:00:00Z"}),
                "paid_at",
            ),
        ] {
            let (status, body) = act(&app, &boss, &id2, "pay", Some(bad)).await;
            assert_eq!((status, body["error"]["field"].as_str()), (400, Some(field)), "{body}");
        }
        let (status, body) =
            act(&app, &stranger, &id2, "pay", Some(json!({"amount_cents": 100, "method": "cash"})))
                .await;
        assert_eq!(status, 403, "the worker does not record their own pay: {body}");
        ok(&app, &boss, &id2, "pay", Some(json!({"amount_cents": 15000, "method": "cash"}))).await;
        let (status, body) = act(&app, &stranger, &id2, "dispute", None).await;
        assert_eq!(status, 400);
        assert_error(&body, "reason_required");
        let disputed =
            ok(&app, &stranger, &id2, "dispute", Some(json!({"reason": "少发了50元"}))).await;
        assert_eq!(
            (disputed["status"].as_str(), disputed["dispute_reason"].as_str()),
            (Some("disputed"), Some("少发了50元"))
        );
        let (status, body) = act(&app, &stranger, &id2, "confirm", None).await;
        assert_eq!(status, 409, "a disputed payment is not confirmed afterwards: {body}");
        id2
    };
    // Rating a stranger: the first worker is no party to the second one's engagement.
    let (status, body) = act(&app, &w, &id, "rate", Some(json!({"score": 1}))).await;
    assert_eq!(status, 404);
    assert_error(&body, "engagement_not_found");
    let (status, body) = act(&app, &stranger, &id, "rate", Some(json!({"score": 9}))).await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("score")));

    let (status, body) =
        app.call_as(&w.token, Method::POST, "/api/v1/jobs/nope/applications", None).await;
    assert_eq!(status, 404);
    assert_error(&body, "job_not_found");
}

async fn the_last_place_goes_to_exactly_one_worker(app: TestApp) {
    let boss = employer(&app, 15, true).await;
    let mut body = job("lankao", "最后一个名额");
    body["headcount"] = json!(1);
    let job_id = open_job(&app, &boss, body).await;
    let mut workers = Vec::new();
    for n in 20..28 {
        workers.push(worker(&app, n, &["4-02-05-01"], (114.82, 34.82), true).await);
    }
    let races = workers.iter().map(|w| {
        let (app, job_id) = (&app, &job_id);
        async move { apply(app, w, job_id).await }
    });
    let results = gigmarket_e2e::join_all(races).await;
    let won = results.iter().filter(|(s, _)| *s == 201).count();
    let full =
        results.iter().filter(|(s, b)| *s == 409 && b["error"]["code"] == "job_full").count();
    assert_eq!((won, full), (1, 7), "{results:?}");
    assert_eq!(open_places(&app, &job_id).await, 0);
    let (_, applicants) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    assert_eq!(applicants["engagements"].as_array().unwrap().len(), 1, "never over-filled");
    let (_, feed) = app.get_json("/api/v1/jobs").await;
    assert!(feed["jobs"].as_array().unwrap().is_empty(), "a full post leaves the feed");

    let winner = results.iter().position(|(s, _)| *s == 201).unwrap();
    let eid = results[winner].1["id"].as_str().unwrap().to_string();
    ok(&app, &workers[winner], &eid, "withdraw", None).await;
    assert_eq!(open_places(&app, &job_id).await, 1, "withdrawing gives the place back");
    let loser = (winner + 1) % workers.len();
    let (status, _) = apply(&app, &workers[loser], &job_id).await;
    assert_eq!(status, 201);
}

async fn employers_see_only_their_own_applicants(app: TestApp) {
    let boss = employer(&app, 16, true).await;
    let rival = employer(&app, 17, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let w = worker(&app, 30, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (_, e) = apply(&app, &w, &job_id).await;
    let id = e["id"].as_str().unwrap();
    let (status, body) = app
        .call_as(&rival.token, Method::GET, &format!("/api/v1/jobs/{job_id}/engagements"), None)
        .await;
    assert_eq!(status, 404);
    assert!(!body.to_string().contains(&w.id), "no applicant leaks: {body}");
    let (status, _) =
        app.call_as(&rival.token, Method::GET, &format!("/api/v1/engagements/{id}"), None).await;
    assert_eq!(status, 404);
    let (status, _) = act(&app, &rival, id, "offer", None).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call_as(&rival.token, Method::GET, &format!("/api/v1/jobs/{job_id}/recommendations"), None)
        .await;
    assert_eq!(status, 404);
    let other = worker(&app, 31, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, _) =
        app.call_as(&other.token, Method::GET, &format!("/api/v1/engagements/{id}"), None).await;
    assert_eq!(status, 404, "a worker can't read another worker's engagement");
    let (status, _) = app
        .call_as(
            &rival.token,
            Method::POST,
            &format!("/api/v1/jobs/{job_id}/offers"),
            Some(json!({"worker_id": other.id})),
        )
        .await;
    assert_eq!(status, 404);
}

async fn a_no_show_frees_the_place_and_counts_in_matching(app: TestApp) {
    let boss = employer(&app, 18, true).await;
    let mut body = job("lankao", "次日装卸");
    body["headcount"] = json!(1);
    let job_id = open_job(&app, &boss, body).await;
    let w = worker(&app, 32, &["4-02-05-01"], (114.82, 34.82), true).await;
    // The same worker in every figure matching sees, except that this one will come.
    let twin = worker(&app, 33, &["4-02-05-01"], (114.82, 34.82), true).await;
    let id = signed(&app, &boss, &w, &job_id).await;
    assert_eq!(open_places(&app, &job_id).await, 0);
    let (status, body) = act(&app, &w, &id, "no-show", None).await;
    assert_eq!(status, 403, "only the employer records a no-show");
    assert_error(&body, "wrong_party");
    let gone = ok(&app, &boss, &id, "no-show", None).await;
    assert_eq!(
        (gone["status"].as_str(), gone["status_name"].as_str()),
        (Some("no_show"), Some("未到岗"))
    );
    assert_eq!(open_places(&app, &job_id).await, 1, "the place is free for someone else");
    let (status, body) = act(&app, &w, &id, "check-in", None).await;
    assert_eq!(status, 409, "a no-show cannot check in afterwards");
    assert_error(&body, "invalid_transition");
    let next = open_job(&app, &boss, job("lankao", "后日装卸")).await;
    let (_, ranked) = app
        .call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{next}/recommendations"), None)
        .await;
    let found = |p: &Person| {
        ranked["workers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["worker_id"] == p.id.as_str())
            .cloned()
    };
    let (me, other) = (found(&w).expect("still recommended"), found(&twin).expect("recommended"));
    assert_eq!(
        (me["no_shows"].as_i64(), other["no_shows"].as_i64()),
        (Some(1), Some(0)),
        "{ranked}"
    );
    assert!(
        me["score"].as_f64().unwrap() < other["score"].as_f64().unwrap(),
        "the no-show ranks below an otherwise identical worker: {me} vs {other}"
    );
}

async fn turning_down_an_applicant_frees_the_place(app: TestApp) {
    let boss = employer(&app, 19, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "临时装卸")).await;
    let w = worker(&app, 34, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, e) = apply(&app, &w, &job_id).await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_str().unwrap();
    assert_eq!(open_places(&app, &job_id).await, 2);
    let (status, body) = act(&app, &w, id, "turn-down", None).await;
    assert_eq!(status, 403, "only the employer turns an applicant down");
    assert_error(&body, "wrong_party");
    let down = ok(&app, &boss, id, "turn-down", Some(json!({"reason": "人员已满"}))).await;
    assert_eq!(
        (down["status"].as_str(), down["status_name"].as_str()),
        (Some("turned_down"), Some("报名未通过"))
    );
    assert_eq!(down["history"].as_array().unwrap().last().unwrap()["note"], "人员已满", "{down}");
    assert_eq!(open_places(&app, &job_id).await, 3, "the place is free again");
    for action in ["offer", "accept", "withdraw"] {
        let who = if action == "offer" { &boss } else { &w };
        let (status, body) = act(&app, who, id, action, None).await;
        assert_eq!(status, 409, "{action} after a turn-down: {body}");
        assert_error(&body, "invalid_transition");
    }
    let (status, again) = apply(&app, &w, &job_id).await;
    assert_eq!(status, 201, "turned down once, the worker may apply again: {again}");
}

/// An employer offers only its own posts (a rival's is not found), to a worker with a profile
/// (field `worker_id`), once per worker and never past the headcount.
async fn offers_are_made_only_on_ones_own_posts_to_real_workers(app: TestApp) {
    let boss = employer(&app, 20, true).await;
    let rival = employer(&app, 21, true).await;
    let mut body = job("lankao", "两人装卸");
    body["headcount"] = json!(2);
    let job_id = open_job(&app, &boss, body).await;
    let w = worker(&app, 35, &["4-02-05-01"], (114.82, 34.82), true).await;
    let other = worker(&app, 36, &["4-02-05-01"], (114.82, 34.82), true).await;
    let third = worker(&app, 37, &["4-02-05-01"], (114.82, 34.82), true).await;
    let offer = |who: &Person, worker_id: &str| {
        let (app, token, path) = (&app, who.token.clone(), format!("/api/v1/jobs/{job_id}/offers"));
        let body = json!({"worker_id": worker_id});
        async move { app.call_as(&token, Method::POST, &path, Some(body)).await }
    };
    let (status, body) = offer(&rival, &w.id).await;
    assert_eq!(status, 404, "a rival's post is not found: {body}");
    assert_error(&body, "job_not_found");
    let (status, body) = offer(&boss, &rival.id).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (403, Some("worker_id")),
        "not a worker: {body}"
    );
    let (status, body) = offer(&boss, "no-such-account").await;
    assert_eq!((status, body["error"]["field"].as_str()), (403, Some("worker_id")), "{body}");
    let (status, first) = offer(&boss, &w.id).await;
    assert_eq!(
        (status, first["status"].as_str(), first["origin"].as_str()),
        (201, Some("offered"), Some("offer")),
        "{first}"
    );
    let (status, body) = offer(&boss, &w.id).await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, "already_engaged");
    assert_eq!(open_places(&app, &job_id).await, 1, "the refused repeat took no place");
    assert_eq!(offer(&boss, &other.id).await.0, 201);
    let (status, body) = offer(&boss, &third.id).await;
    assert_eq!(status, 409, "both places are taken: {body}");
    assert_error(&body, "job_full");
    assert_eq!(open_places(&app, &job_id).await, 0);
}
