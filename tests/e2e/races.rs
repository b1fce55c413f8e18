//! Races beyond the last place: both parties signing at once, two staff moving one case, and
//! many administrative actions appending to the audit chain at once.

use gigmarket_e2e::people::{employer, job, open_job, register, staff, worker};
use gigmarket_e2e::{ADMIN_TOKEN, TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    both_parties_sign_at_once,
    two_staff_move_one_case_at_once,
    concurrent_administrative_actions_keep_the_audit_chain_whole
);

/// Both signatures land, whichever comes second makes the agreement signed, and nothing is
/// lost or doubled.
async fn both_parties_sign_at_once(app: TestApp) {
    let boss = employer(&app, 81, true).await;
    let post = open_job(&app, &boss, job("lankao", "同时签约岗位")).await;
    let w = worker(&app, 81, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (_, e) = app
        .call_as(&w.token, Method::POST, &format!("/api/v1/jobs/{post}/applications"), None)
        .await;
    let id = e["id"].as_str().unwrap().to_string();
    let step = |token: &str, action: &str, body: Option<Value>| {
        let (app, token, path) =
            (&app, token.to_string(), format!("/api/v1/engagements/{id}/{action}"));
        async move { app.call_as(&token, Method::POST, &path, body).await }
    };
    assert_eq!(step(&boss.token, "offer", None).await.0, 200);
    let (_, accepted) = step(&w.token, "accept", None).await;
    let hash = json!({"agreement_hash": accepted["agreement_hash"]});
    let (mine, theirs) = tokio::join!(
        step(&w.token, "sign", Some(hash.clone())),
        step(&boss.token, "sign", Some(hash))
    );
    assert_eq!((mine.0, theirs.0), (200, 200), "{mine:?} {theirs:?}");
    let (_, now) =
        app.call_as(&w.token, Method::GET, &format!("/api/v1/engagements/{id}"), None).await;
    assert_eq!(now["status"], "signed", "{now}");
    assert!(now["worker_signed_at"].is_string() && now["employer_signed_at"].is_string());
    let notes: Vec<&str> =
        now["history"].as_array().unwrap().iter().filter_map(|h| h["note"].as_str()).collect();
    assert_eq!(notes.iter().filter(|n| n.ends_with("signed")).count(), 2, "{notes:?}");
    let to_signed =
        now["history"].as_array().unwrap().iter().filter(|h| h["to_status"] == "signed").count();
    assert_eq!(to_signed, 1, "signed once: {now}");
}

/// Two clerks accept the same case at the same moment: one succeeds, the other is told the case
/// changed, and the history has one acceptance.
async fn two_staff_move_one_case_at_once(app: TestApp) {
    let me = register(&app, "13600000091", "worker").await;
    let case = json!({"tenant": "lankao", "kind": "wage_arrears", "description": "在兰考县某工地干了五天小工,老板至今未付工资1000元"});
    let (status, filed) =
        app.call_as(&me.token, Method::POST, "/api/v1/complaints", Some(case)).await;
    assert_eq!(status, 201, "{filed}");
    let id = filed["id"].as_str().unwrap();
    let a = staff(&app, "13900000191", "county_admin", "lankao").await;
    let b = staff(&app, "13900000192", "county_admin", "lankao").await;
    let path = format!("/api/v1/tenants/lankao/complaints/{id}/events");
    let accept = |token: String, note: &'static str| {
        let (app, path) = (&app, path.clone());
        async move {
            app.call_as(
                &token,
                Method::POST,
                &path,
                Some(json!({"status": "accepted", "note": note})),
            )
            .await
        }
    };
    let (first, second) =
        tokio::join!(accept(a.token.clone(), "甲受理"), accept(b.token.clone(), "乙受理"));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{first:?} {second:?}");
    let refused = if first.0 == 409 { &first.1 } else { &second.1 };
    assert!(
        ["concurrent_change", "invalid_transition"]
            .contains(&refused["error"]["code"].as_str().unwrap()),
        "{refused}"
    );
    let (_, now) = app
        .call_as(&a.token, Method::GET, &format!("/api/v1/tenants/lankao/complaints/{id}"), None)
        .await;
    let accepted =
        now["history"].as_array().unwrap().iter().filter(|e| e["status"] == "accepted").count();
    assert_eq!(accepted, 1, "{now}");
}

/// Twenty changes at once, each audited: the chain has no gap, no fork, and verifies.
async fn concurrent_administrative_actions_keep_the_audit_chain_whole(app: TestApp) {
    let (_, before) = app.admin_get("/api/v1/audit?limit=1").await;
    let first_seq = before["entries"][0]["seq"].as_i64().unwrap();
    let tenants = [
        "lankao",
        "qixian",
        "weishi",
        "tongxu",
        "gulou",
        "longting",
        "shunhe",
        "yuwangtai",
        "xiangfu",
        "shifanqu",
    ];
    let changes = tenants.iter().flat_map(|t| [(t, "0371-23221111"), (t, "0371-23222222")]).map(
        |(t, hotline)| {
            let (app, path) = (&app, format!("/api/v1/tenants/{t}"));
            async move {
                app.call_as(ADMIN_TOKEN, Method::PATCH, &path, Some(json!({"hotline": hotline})))
                    .await
                    .0
            }
        },
    );
    let statuses = gigmarket_e2e::join_all(changes).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let (_, log) = app.admin_get("/api/v1/audit?limit=100").await;
    let mut seqs: Vec<i64> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .filter(|s| *s > first_seq)
        .collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (first_seq + 1..=first_seq + 20).collect::<Vec<_>>(),
        "one entry each, no gap"
    );
    let (_, check) = app.admin_get("/api/v1/audit/verify").await;
    assert_eq!(check["broken_at"], Value::Null, "{check}");
    let (status, body) = app
        .call_as(
            ADMIN_TOKEN,
            Method::PATCH,
            "/api/v1/tenants/lankao",
            Some(json!({"hotline": "110"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_error(&body, "invalid_tenant");
}
