//! Matching over HTTP: recommended workers for a job and jobs for a worker, scored by the
//! market's matching plugin with reasons and a replayable receipt; batch assignment of a
//! morning market within headcounts, published as offers; ratings feeding the next ranking.

use gigmarket_e2e::people::{Person, employer, job, open_job, staff, worker};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    recommendations_rank_workers_and_jobs_with_reasons,
    a_morning_market_is_assigned_in_one_batch,
    stale_empty_and_unknown_runs
);

async fn get(app: &TestApp, who: &Person, path: &str) -> Value {
    let (status, body) = app.call_as(&who.token, Method::GET, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn recommendations_rank_workers_and_jobs_with_reasons(app: TestApp) {
    let boss = employer(&app, 41, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let near_loader = worker(&app, 41, &["4-02-05-01"], (114.82, 34.82), true).await;
    let far_loader = worker(&app, 42, &["4-02-05-01"], (114.35, 34.79), true).await;
    let courier = worker(&app, 43, &["4-02-07-08"], (114.82, 34.82), true).await;
    let cleaner = worker(&app, 44, &["4-10-05-02"], (114.82, 34.82), true).await;
    let unverified = worker(&app, 45, &["4-02-05-01"], (114.82, 34.82), false).await;

    let ranked = get(&app, &boss, &format!("/api/v1/jobs/{job_id}/recommendations?limit=10")).await;
    let order: Vec<&str> = ranked["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["worker_id"].as_str().unwrap())
        .collect();
    assert!(!order.contains(&unverified.id.as_str()), "only verified workers are recommended");
    assert_eq!(ranked["pool"], 4);
    assert_eq!(order[0], near_loader.id, "same occupation, nearby: first ({ranked})");
    let pos = |p: &Person| order.iter().position(|id| *id == p.id);
    assert!(pos(&far_loader) > Some(0), "farther away ranks lower");
    let courier_at = pos(&courier).expect("a related occupation (same group) is recommended");
    assert!(
        pos(&cleaner).is_none_or(|k| courier_at < k),
        "a related occupation beats an unrelated one ({ranked})"
    );
    let first = &ranked["workers"][0];
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(
        !first["reasons"].as_array().unwrap().is_empty(),
        "every score has its reasons: {first}"
    );
    assert!(
        first["reasons"][0]["message"].as_str().unwrap().chars().any(|c| c > '\u{4e00}'),
        "reasons are in Chinese"
    );
    assert_eq!(first["name"], gigmarket_e2e::people::worker_name(41).as_str());

    let receipt = ranked["decision_id"].as_str().expect("the ranking shown has a receipt");
    let (status, replay) =
        app.admin_post(&format!("/api/v1/decisions/{receipt}/replay"), &json!({})).await;
    assert_eq!((status, replay["identical"].as_bool()), (200, Some(true)), "{replay}");
    let (_, decision) = app.admin_get(&format!("/api/v1/decisions/{receipt}")).await;
    assert_eq!(decision["slot"], "matching", "{decision}");

    let (status, body) = app
        .call_as(
            &boss.token,
            Method::GET,
            &format!("/api/v1/jobs/{job_id}/recommendations?limit=99"),
            None,
        )
        .await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("limit")));
    let lankao = staff(&app, "13600000041", "county_admin", "lankao").await;
    let qixian = staff(&app, "13600000042", "county_admin", "qixian").await;
    get(&app, &lankao, &format!("/api/v1/jobs/{job_id}/recommendations")).await;
    let (status, _) = app
        .call_as(
            &qixian.token,
            Method::GET,
            &format!("/api/v1/jobs/{job_id}/recommendations"),
            None,
        )
        .await;
    assert_eq!(status, 404, "another county's staff don't see the candidates");

    let other_job = open_job(&app, &boss, json!({"tenant": "lankao", "title": "小区保洁员", "description": "小区公共区域保洁", "occupation_code": "4-10-05-02",
        "headcount": 2, "district": "410225", "address": "兰考县桐乡街道幸福小区", "location": {"lon": 114.83, "lat": 34.83},
        "work_start": gigmarket_e2e::people::day(1), "work_end": gigmarket_e2e::people::day(3), "daily_hours": 6.0, "wage_cents": 2500, "wage_unit": "hour",
        "settlement": "weekly", "closes_at": gigmarket_e2e::people::in_minutes(600), "contact_name": "王主管", "contact_phone": "0371-23220001"})).await;
    let for_cleaner = get(&app, &cleaner, "/api/v1/me/recommendations").await;
    assert_eq!(
        for_cleaner["jobs"][0]["job"]["id"],
        other_job.as_str(),
        "the cleaner's best job is the cleaning one: {for_cleaner}"
    );
    let for_loader = get(&app, &near_loader, "/api/v1/me/recommendations").await;
    assert_eq!(for_loader["jobs"][0]["job"]["id"], job_id.as_str());
    assert!(!for_loader["jobs"][0]["reasons"].as_array().unwrap().is_empty());
    let (status, body) =
        app.call_as(&boss.token, Method::GET, "/api/v1/me/recommendations", None).await;
    assert_eq!(status, 403);
    assert_error(&body, "worker_profile_required");
}

async fn a_morning_market_is_assigned_in_one_batch(app: TestApp) {
    let boss = employer(&app, 51, true).await;
    let mut loading = job("lankao", "早市装卸工");
    loading["headcount"] = json!(2);
    let loading = open_job(&app, &boss, loading).await;
    let mut cleaning = job("lankao", "早市保洁员");
    cleaning["headcount"] = json!(1);
    cleaning["occupation_code"] = json!("4-10-05-02");
    let cleaning = open_job(&app, &boss, cleaning).await;

    let mut present = Vec::new();
    for (n, occ) in [(51, "4-02-05-01"), (52, "4-02-05-01"), (53, "4-02-05-01"), (54, "4-10-05-02")]
    {
        let w = worker(&app, n, &[occ], (114.82, 34.82), true).await;
        let (status, _) =
            app.call_as(&w.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
        assert_eq!(status, 200);
        present.push(w);
    }
    let absent = worker(&app, 55, &["4-02-05-01"], (114.82, 34.82), true).await;

    let lankao = staff(&app, "13600000051", "station_staff", "lankao").await;
    let qixian = staff(&app, "13600000052", "county_admin", "qixian").await;
    let (status, body) =
        app.call_as(&qixian.token, Method::POST, "/api/v1/tenants/lankao/assignments", None).await;
    assert_eq!(status, 403);
    assert_error(&body, "forbidden");
    let (status, run) =
        app.call_as(&lankao.token, Method::POST, "/api/v1/tenants/lankao/assignments", None).await;
    assert_eq!(status, 201, "{run}");
    assert_eq!(
        (run["status"].as_str(), run["jobs"].as_i64(), run["workers"].as_i64()),
        (Some("draft"), Some(2), Some(4)),
        "{run}"
    );
    let pairs = run["pairs"].as_array().unwrap();
    let to = |job: &str| pairs.iter().filter(|p| p["job_id"] == job).count();
    assert_eq!((to(&loading), to(&cleaning)), (2, 1), "headcounts filled, not exceeded: {run}");
    let mut workers: Vec<&str> = pairs.iter().map(|p| p["worker_id"].as_str().unwrap()).collect();
    workers.sort();
    workers.dedup();
    assert_eq!(workers.len(), 3, "no worker twice");
    assert!(!workers.contains(&absent.id.as_str()), "only checked-in workers");
    let cleaner_pair = pairs.iter().find(|p| p["job_id"] == cleaning.as_str()).unwrap();
    assert_eq!(
        cleaner_pair["worker_id"],
        present[3].id.as_str(),
        "the cleaner goes to the cleaning job"
    );
    let total: f64 = pairs.iter().map(|p| p["score"].as_f64().unwrap()).sum();
    assert!((total - run["total_score"].as_f64().unwrap()).abs() < 1e-6);
    assert!(
        pairs
            .iter()
            .all(|p| p["decision_id"].is_string() && !p["reasons"].as_array().unwrap().is_empty())
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/jobs/{loading}")).await.1["open_places"],
        2,
        "a draft offers nothing yet"
    );

    let id = run["id"].as_str().unwrap();
    let (status, body) = app
        .call_as(
            &qixian.token,
            Method::POST,
            &format!("/api/v1/tenants/lankao/assignments/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, published) = app
        .call_as(
            &lankao.token,
            Method::POST,
            &format!("/api/v1/tenants/lankao/assignments/{id}/publish"),
            None,
        )
        .await;
    assert_eq!((status, published["status"].as_str()), (200, Some("published")), "{published}");
    assert!(
        published["pairs"].as_array().unwrap().iter().all(|p| p["engagement_id"].is_string()),
        "{published}"
    );
    let (status, body) = app
        .call_as(
            &lankao.token,
            Method::POST,
            &format!("/api/v1/tenants/lankao/assignments/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, 409);
    assert_error(&body, "run_not_draft");
    assert_eq!(app.get_json(&format!("/api/v1/jobs/{loading}")).await.1["open_places"], 0);

    let mine = get(&app, &present[3], "/api/v1/me/engagements").await;
    let offer = &mine["engagements"][0];
    assert_eq!(
        (offer["status"].as_str(), offer["origin"].as_str(), offer["job_id"].as_str()),
        (Some("offered"), Some("batch"), Some(cleaning.as_str()))
    );
    let (status, accepted) = app
        .call_as(
            &present[3].token,
            Method::POST,
            &format!("/api/v1/engagements/{}/accept", offer["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!((status, accepted["status"].as_str()), (200, Some("accepted")));
    let (_, audit) = app.admin_get("/api/v1/audit?tenant=lankao").await;
    assert!(audit.to_string().contains("assignment.publish"));
    let (status, seen) = app
        .call_as(
            &lankao.token,
            Method::GET,
            &format!("/api/v1/tenants/lankao/assignments/{id}"),
            None,
        )
        .await;
    assert_eq!((status, seen["status"].as_str()), (200, Some("published")));
}

/// A draft published after its place was taken skips the pair with the reason; a morning with
/// nobody checked in is an empty run that offers nothing; an unknown or another market's run is
/// not found.
async fn stale_empty_and_unknown_runs(app: TestApp) {
    let clerk = staff(&app, "13600000061", "station_staff", "lankao").await;
    let draft = || {
        let (app, token) = (&app, clerk.token.clone());
        async move {
            app.call_as(&token, Method::POST, "/api/v1/tenants/lankao/assignments", None).await
        }
    };
    let (status, empty) = draft().await;
    assert_eq!(
        (status, empty["workers"].as_i64(), empty["pairs"].as_array().map(Vec::len)),
        (201, Some(0), Some(0)),
        "{empty}"
    );
    let publish = |id: &str| format!("/api/v1/tenants/lankao/assignments/{id}/publish");
    let (status, done) = app
        .call_as(&clerk.token, Method::POST, &publish(empty["id"].as_str().unwrap()), None)
        .await;
    assert_eq!((status, done["status"].as_str()), (200, Some("published")), "{done}");

    let boss = employer(&app, 61, true).await;
    let mut one = job("lankao", "早市单人装卸");
    one["headcount"] = json!(1);
    let job_id = open_job(&app, &boss, one).await;
    let present = worker(&app, 61, &["4-02-05-01"], (114.82, 34.82), true).await;
    app.call_as(&present.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
    let (status, run) = draft().await;
    assert_eq!((status, run["pairs"].as_array().unwrap().len()), (201, 1), "{run}");
    // Before staff publish, someone else applies and takes the only place.
    let quick = worker(&app, 62, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, _) = app
        .call_as(&quick.token, Method::POST, &format!("/api/v1/jobs/{job_id}/applications"), None)
        .await;
    assert_eq!(status, 201);
    let id = run["id"].as_str().unwrap();
    let (status, stale) = app.call_as(&clerk.token, Method::POST, &publish(id), None).await;
    assert_eq!(status, 200, "{stale}");
    let pair = &stale["pairs"][0];
    assert_eq!(
        (pair["engagement_id"].as_str(), pair["skipped"].as_str(), pair["skipped_reason"].as_str()),
        (None, Some("job_full"), Some("岗位名额已满")),
        "{stale}"
    );

    for path in [publish("no-such-run"), "/api/v1/tenants/lankao/assignments/no-such-run".into()] {
        let method = if path.ends_with("publish") { Method::POST } else { Method::GET };
        let (status, body) = app.call_as(&clerk.token, method, &path, None).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_error(&body, "run_not_found");
    }
    let (status, body) = app.admin_get(&format!("/api/v1/tenants/qixian/assignments/{id}")).await;
    assert_eq!(status, 404, "兰考县's run is not 杞县's: {body}");
}
