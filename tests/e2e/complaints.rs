//! Rights protection cases (劳动维权) over HTTP: filing with the one-time notice from the
//! city's service-catalog plugin, handling through the states with a history, refused
//! transitions, escalation of overdue cases up the tree, and who may see what.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use gigmarket_e2e::people::{account_id, login, register, staff};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    filing_gives_the_one_time_notice_from_the_city_catalog,
    bad_complaints_are_refused_with_the_field,
    staff_handle_a_case_through_its_states,
    wrong_transitions_change_nothing,
    overdue_cases_escalate_up_the_tree,
    staff_and_workers_see_only_their_own_cases,
);

/// What plugins/city-service-catalog tells a wage-arrears complainant to bring.
const WAGE_MATERIALS: [&str; 5] = [
    "身份证件",
    "用工证明(聊天记录、考勤、派工单、工资条等)",
    "欠薪金额及期间说明",
    "用工单位或雇主的名称、地址和联系方式",
    "平台岗位信息或订单截图(如有)",
];
/// … and a fee-charging one.
const FEE_MATERIALS: [&str; 5] = [
    "身份证件",
    "收费凭证(收据、转账记录等)",
    "收费单位或个人的名称和联系方式",
    "招聘信息截图或链接",
    "收费经过说明",
];

const WAGES: &str = "在兰考县某工地干了五天小工,老板至今未付工资1000元";

async fn file(app: &TestApp, token: &str, tenant: &str, kind: &str, description: &str) -> Value {
    let (status, case) = app
        .call_as(
            token,
            Method::POST,
            "/api/v1/complaints",
            Some(json!({"tenant": tenant, "kind": kind, "description": description})),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    case
}

async fn step(app: &TestApp, token: &str, tenant: &str, id: &str, body: Value) -> (u16, Value) {
    app.call_as(
        token,
        Method::POST,
        &format!("/api/v1/tenants/{tenant}/complaints/{id}/events"),
        Some(body),
    )
    .await
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

/// Move the host's clock to `at` and run the housekeeping sweep; how many cases it escalated.
async fn sweep_at(app: &TestApp, at: DateTime<Utc>) -> u64 {
    app.clock.set(at);
    gigmarket::housekeeping::sweep(&app.store, &app.rules).await.escalated
}

/// When the case was escalated for the `n`-th time (from 0), by its history.
fn escalated_at(case: &Value, n: usize) -> DateTime<Utc> {
    let history = case["history"].as_array().unwrap();
    time(&history.iter().filter(|e| e["status"] == "escalated").nth(n).unwrap()["at"])
}

fn statuses(case: &Value) -> Vec<&str> {
    case["history"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list["complaints"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect()
}

async fn filing_gives_the_one_time_notice_from_the_city_catalog(app: TestApp) {
    let me = register(&app, "13700000001", "worker").await.token;
    let case = file(&app, &me, "lankao", "wage_arrears", WAGES).await;
    assert_eq!(
        (case["status"].as_str(), case["tenant"].as_str(), case["handling_tenant"].as_str()),
        (Some("submitted"), Some("lankao"), Some("lankao"))
    );
    assert_eq!(
        (case["escalation_level"].as_i64(), case["overdue"].as_bool(), &case["respondent_id"]),
        (Some(0), Some(false), &Value::Null)
    );
    assert_eq!(case["description"], WAGES);
    // 兰考县 has no catalog of its own: the city's plugin gives wage arrears 72 hours.
    let notice = &case["notice"];
    assert_eq!(notice["required_materials"], json!(WAGE_MATERIALS));
    assert_eq!(
        (case["time_limit_hours"].as_i64(), notice["time_limit_hours"].as_i64()),
        (Some(72), Some(72))
    );
    assert_eq!(time(&case["due_at"]) - time(&case["created_at"]), Duration::hours(72));
    assert_eq!(notice["due_at"], case["due_at"]);
    let due_local = time(&case["due_at"])
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y年%-m月%-d日 %H:%M")
        .to_string();
    let text = notice["text"].as_str().unwrap();
    for words in [
        "一次性告知",
        "欠薪",
        "兰考县零工市场",
        "72小时",
        &due_local,
        "1. 身份证件",
        "5. 平台岗位信息或订单截图(如有)",
    ] {
        assert!(text.contains(words), "{words:?} missing from the notice: {text}");
    }
    assert_eq!(
        case["history"],
        json!([{"status": "submitted", "tenant": "lankao", "note": null, "at": case["created_at"]}]),
        "no actor for the complainant"
    );

    let id = case["id"].as_str().unwrap();
    let (status, mine) = app.call_as(&me, Method::GET, "/api/v1/me/complaints", None).await;
    assert_eq!((status, mine["count"].as_u64(), ids(&mine)), (200, Some(1), vec![id]));
    assert_eq!(
        mine["complaints"][0]["notice"]["required_materials"],
        json!(WAGE_MATERIALS),
        "the notice stays with the case"
    );
    assert!(mine["complaints"][0].get("history").is_none());
    let (status, again) =
        app.call_as(&me, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(
        (status, &again["notice"], statuses(&again)),
        (200, &case["notice"], vec!["submitted"])
    );

    // Other kinds, other markets, other complainants: each its own rule from the same plugin.
    let boss = register(&app, "13700000002", "employer").await.token;
    let fee =
        file(&app, &boss, "kaifeng", "fee_charging", "中介以介绍工作为名收取报名费200元").await;
    assert_eq!(
        (fee["time_limit_hours"].as_i64(), &fee["notice"]["required_materials"]),
        (Some(48), &json!(FEE_MATERIALS))
    );
    assert!(fee["notice"]["text"].as_str().unwrap().contains("开封市零工市场"));
    let safety =
        file(&app, &me, "lankao-lanyang", "safety", "工地脚手架没有防护网,工人高空作业没有安全带")
            .await;
    assert_eq!(
        (safety["time_limit_hours"].as_i64(), safety["notice"]["required_materials"][1].as_str()),
        (Some(24), Some("安全隐患或事故经过说明(时间、地点、经过)"))
    );
    let other = file(&app, &me, "lankao", "other", "驿站候工区饮水机长期损坏无人维修").await;
    assert_eq!(
        (
            other["time_limit_hours"].as_i64(),
            other["notice"]["required_materials"].as_array().unwrap().len()
        ),
        (Some(120), 3)
    );
    assert_eq!(
        app.call_as(&me, Method::GET, "/api/v1/me/complaints", None).await.1["count"],
        3,
        "the employer's case is not the worker's"
    );
}

async fn bad_complaints_are_refused_with_the_field(app: TestApp) {
    let me = register(&app, "13700000011", "worker").await.token;
    let cases = [
        (json!({"kind": "wage-arrears"}), 400, "kind", "投诉类型"),
        (json!({"kind": "theft"}), 400, "kind", "wage_arrears"),
        (json!({"description": "欠薪"}), 400, "description", "5至2000字"),
        (json!({"description": "    欠薪了    "}), 400, "description", "5至2000字"),
        (json!({"description": "欠".repeat(2001)}), 400, "description", "5至2000字"),
        (json!({"tenant": "atlantis"}), 404, "tenant", "atlantis"),
        (json!({"priority": "high"}), 400, "priority", "请求内容"),
    ];
    for (change, status, field, words) in cases {
        let mut body = json!({"tenant": "lankao", "kind": "wage_arrears", "description": WAGES});
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (got, err) = app.call_as(&me, Method::POST, "/api/v1/complaints", Some(body)).await;
        assert_eq!((got, err["error"]["field"].as_str()), (status, Some(field)), "{change}: {err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(words) && message.contains(" / "), "{change}: {message}");
    }
    let clerk = staff(&app, "13900000011", "station_staff", "lankao-lanyang").await.token;
    let (status, err) = app
        .call_as(
            &clerk,
            Method::POST,
            "/api/v1/complaints",
            Some(json!({"tenant": "lankao", "kind": "other", "description": WAGES})),
        )
        .await;
    assert_eq!(status, 403);
    assert_error(&err, "complainant_only");
    let (status, err) = app
        .call_as(
            "not-a-session",
            Method::POST,
            "/api/v1/complaints",
            Some(json!({"tenant": "lankao", "kind": "other", "description": WAGES})),
        )
        .await;
    assert_eq!(status, 401, "{err}");

    assert_eq!(app.call_as(&me, Method::GET, "/api/v1/me/complaints", None).await.1["count"], 0);
    use sqlx::Row;
    let stored: i64 = sqlx::query("SELECT COUNT(*) FROM complaints")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get(0);
    let events: i64 = sqlx::query("SELECT COUNT(*) FROM complaint_events")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!((stored, events), (0, 0), "a refused complaint writes nothing");
}

async fn staff_handle_a_case_through_its_states(app: TestApp) {
    let me = register(&app, "13700000021", "worker").await.token;
    let me_id = account_id(&app, &me).await;
    let case = file(
        &app,
        &me,
        "lankao-lanyang",
        "fake_recruitment",
        "招聘说日结200元,去了才知道要先交押金300元",
    )
    .await;
    let id = case["id"].as_str().unwrap();
    assert_eq!(case["time_limit_hours"], 72);
    let clerk = staff(&app, "13900000021", "station_staff", "lankao-lanyang").await.token;
    let clerk_id = account_id(&app, &clerk).await;

    let list = |q: &'static str| {
        let (app, clerk) = (&app, &clerk);
        async move {
            app.call_as(
                clerk,
                Method::GET,
                &format!("/api/v1/tenants/lankao-lanyang/complaints{q}"),
                None,
            )
            .await
        }
    };
    let (status, submitted) = list("?status=submitted").await;
    assert_eq!((status, ids(&submitted)), (200, vec![id]), "{submitted}");
    assert_eq!(ids(&list("?status=accepted").await.1), Vec::<&str>::new());
    assert_eq!(ids(&list("?overdue=false").await.1), vec![id]);
    assert_eq!(ids(&list("?overdue=true").await.1), Vec::<&str>::new());
    let (status, err) = list("?status=escalated").await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("status")));

    let (status, accepted) = step(
        &app,
        &clerk,
        "lankao-lanyang",
        id,
        json!({"status": "accepted", "note": "已受理,已电话联系招聘方"}),
    )
    .await;
    assert_eq!(
        (status, accepted["status"].as_str(), accepted["outcome"].as_str()),
        (200, Some("accepted"), None),
        "{accepted}"
    );
    let (status, _) = step(
        &app,
        &clerk,
        "lankao-lanyang",
        id,
        json!({"status": "in_progress", "note": "约谈招聘方,核查岗位信息"}),
    )
    .await;
    assert_eq!(status, 200);
    let outcome = "招聘方退还押金300元,虚假岗位已下架并记入信用档案";
    let (status, resolved) = step(
        &app,
        &clerk,
        "lankao-lanyang",
        id,
        json!({"status": "resolved", "note": "办结", "outcome": outcome}),
    )
    .await;
    assert_eq!(
        (status, resolved["status"].as_str(), resolved["outcome"].as_str()),
        (200, Some("resolved"), Some(outcome)),
        "{resolved}"
    );
    assert_eq!(statuses(&resolved), ["submitted", "accepted", "in_progress", "resolved"]);
    let actors: Vec<&str> = resolved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        actors,
        [me_id.as_str(), clerk_id.as_str(), clerk_id.as_str(), clerk_id.as_str()],
        "staff see who acted"
    );
    assert_eq!(resolved["history"][2]["note"], "约谈招聘方,核查岗位信息");

    // The complainant follows the case; the county above the station may read it too.
    let (_, seen) = app.call_as(&me, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(
        (seen["status"].as_str(), seen["outcome"].as_str(), statuses(&seen).len()),
        (Some("resolved"), Some(outcome), 4)
    );
    assert!(seen["history"][1].get("actor").is_none(), "the complainant does not see staff ids");
    let county = staff(&app, "13900000022", "county_admin", "lankao").await.token;
    let (status, read) = app
        .call_as(
            &county,
            Method::GET,
            &format!("/api/v1/tenants/lankao-lanyang/complaints/{id}"),
            None,
        )
        .await;
    assert_eq!((status, read["status"].as_str()), (200, Some("resolved")));
    assert_eq!(
        ids(&app.call_as(&county, Method::GET, "/api/v1/tenants/lankao/complaints", None).await.1),
        Vec::<&str>::new(),
        "the county lists only what it handles"
    );

    let (_, log) = app.admin_get("/api/v1/audit?tenant=lankao-lanyang").await;
    let entries: Vec<(&str, &str, &str)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries, [("complaint.status", clerk_id.as_str(), id); 3]);
    assert!(log["entries"][0]["detail"].as_str().unwrap().contains(outcome));

    // A submitted case may be rejected at once.
    let other = file(&app, &me, "lankao-lanyang", "other", "想咨询一下养老保险怎么交").await;
    let (status, rejected) = step(
        &app,
        &clerk,
        "lankao-lanyang",
        other["id"].as_str().unwrap(),
        json!({"status": "rejected", "note": "不属于投诉事项", "outcome": "已告知向社保经办机构咨询"}),
    )
    .await;
    assert_eq!(
        (status, rejected["status"].as_str(), statuses(&rejected)),
        (200, Some("rejected"), vec!["submitted", "rejected"])
    );
}

async fn wrong_transitions_change_nothing(app: TestApp) {
    let me = register(&app, "13700000031", "worker").await.token;
    let case =
        file(&app, &me, "lankao", "discrimination", "招聘时说不要女工,我有叉车证也不让报名").await;
    let id = case["id"].as_str().unwrap();
    let admin = staff(&app, "13900000031", "county_admin", "lankao").await.token;
    let refused = [
        (json!({"status": "in_progress", "note": "先办着"}), 409, "invalid_transition", "status"),
        (json!({"status": "escalated", "note": "升级"}), 400, "invalid_status", "status"),
        (json!({"status": "submitted", "note": "退回"}), 400, "invalid_status", "status"),
        (json!({"status": "resolved", "note": "办结"}), 400, "outcome_required", "outcome"),
        (
            json!({"status": "resolved", "note": "办结", "outcome": "  "}),
            400,
            "outcome_required",
            "outcome",
        ),
        (
            json!({"status": "accepted", "note": "受理", "outcome": "补发"}),
            400,
            "outcome_not_allowed",
            "outcome",
        ),
        (json!({"status": "accepted"}), 400, "invalid_note", "note"),
    ];
    for (body, status, code, field) in &refused {
        let (got, err) = step(&app, &admin, "lankao", id, body.clone()).await;
        assert_eq!((got, err["error"]["field"].as_str()), (*status, Some(*field)), "{body}: {err}");
        assert_error(&err, code);
    }
    let path = format!("/api/v1/tenants/lankao/complaints/{id}");
    let (_, unchanged) = app.call_as(&admin, Method::GET, &path, None).await;
    assert_eq!(
        (unchanged["status"].as_str(), statuses(&unchanged).len(), &unchanged["updated_at"]),
        (Some("submitted"), 1, &case["updated_at"])
    );

    let outcome = "用工单位已修改招聘条件并书面致歉";
    let (status, resolved) = step(
        &app,
        &admin,
        "lankao",
        id,
        json!({"status": "resolved", "note": "约谈后办结", "outcome": outcome}),
    )
    .await;
    assert_eq!(status, 200, "{resolved}");
    for body in [
        json!({"status": "resolved", "note": "再次办结", "outcome": "另一个结果"}),
        json!({"status": "accepted", "note": "重新受理"}),
        json!({"status": "rejected", "note": "改为驳回", "outcome": "驳回"}),
    ] {
        let (got, err) = step(&app, &admin, "lankao", id, body.clone()).await;
        assert_eq!(got, 409, "{body}: {err}");
        assert!(assert_error(&err, "complaint_closed").contains("已办结"));
    }
    let (_, after) = app.call_as(&admin, Method::GET, &path, None).await;
    assert_eq!(
        (after["status"].as_str(), after["outcome"].as_str(), statuses(&after)),
        (Some("resolved"), Some(outcome), vec!["submitted", "resolved"])
    );
    assert_eq!(after["updated_at"], resolved["updated_at"]);
    let (status, err) = step(
        &app,
        &admin,
        "lankao",
        "0190f7c2-0000-7000-8000-000000000000",
        json!({"status": "accepted", "note": "受理"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_error(&err, "complaint_not_found");
}

async fn overdue_cases_escalate_up_the_tree(app: TestApp) {
    // 兰阳街道零工驿站 binds the city's catalog with a shorter limit for wage arrears.
    let (_, slots) = app.get_json("/api/v1/tenants/kaifeng/slots").await;
    let catalog =
        slots["slots"].as_array().unwrap().iter().find(|s| s["slot"] == "service-catalog").unwrap();
    let plugin = catalog["active"]["binding"]["plugin_hash"].as_str().unwrap();
    let bind =
        json!({"plugin": plugin, "config": {"case_time_limits_hours": {"wage-arrears": 24}}});
    let (status, body) = app
        .admin_send(Method::PUT, "/api/v1/tenants/lankao-lanyang/slots/service-catalog", &bind)
        .await;
    assert_eq!(status, 201, "{body}");

    let me = register(&app, "13700000041", "worker").await.token;
    let case = file(&app, &me, "lankao-lanyang", "wage_arrears", WAGES).await;
    let id = case["id"].as_str().unwrap();
    assert_eq!(case["time_limit_hours"], 24, "the station's own limit");
    let filed = time(&case["created_at"]);
    // Staff of the county and the station (they log in once the clock has moved).
    staff(&app, "13900000041", "county_admin", "lankao").await;
    staff(&app, "13900000042", "station_staff", "lankao-lanyang").await;

    assert_eq!(sweep_at(&app, filed + Duration::hours(23)).await, 0, "not yet due");
    assert_eq!(sweep_at(&app, filed + Duration::hours(25)).await, 1);
    // A day later the sessions have expired: log in again.
    let county = login(&app, "13900000041", "staff2026pw").await.token;
    let clerk = login(&app, "13900000042", "staff2026pw").await.token;
    let (status, at_county) = app
        .call_as(&county, Method::GET, &format!("/api/v1/tenants/lankao/complaints/{id}"), None)
        .await;
    assert_eq!(status, 200, "{at_county}");
    assert_eq!(
        (
            at_county["handling_tenant"].as_str(),
            at_county["escalation_level"].as_i64(),
            at_county["time_limit_hours"].as_i64()
        ),
        (Some("lankao"), Some(1), Some(72)),
        "the county's (inherited) limit"
    );
    let first = escalated_at(&at_county, 0);
    assert!(first >= filed + Duration::hours(25), "escalated at the moved clock's time");
    assert_eq!(time(&at_county["due_at"]), first + Duration::hours(72));
    assert_eq!(
        (at_county["status"].as_str(), at_county["overdue"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert_eq!(
        ids(&app.call_as(&county, Method::GET, "/api/v1/tenants/lankao/complaints", None).await.1),
        vec![id]
    );
    assert_eq!(
        ids(&app
            .call_as(&clerk, Method::GET, "/api/v1/tenants/lankao-lanyang/complaints", None)
            .await
            .1),
        Vec::<&str>::new()
    );
    let (status, _) = app
        .call_as(
            &clerk,
            Method::GET,
            &format!("/api/v1/tenants/lankao-lanyang/complaints/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "the station still sees a case filed with it");
    let (status, err) =
        step(&app, &clerk, "lankao-lanyang", id, json!({"status": "accepted", "note": "受理"}))
            .await;
    assert_eq!(status, 409);
    assert_error(&err, "not_handling");
    let (status, _) = step(
        &app,
        &county,
        "lankao",
        id,
        json!({"status": "accepted", "note": "县级受理,联系用工方"}),
    )
    .await;
    assert_eq!(status, 200);

    assert_eq!(sweep_at(&app, first + Duration::hours(73)).await, 1);
    let (_, at_city) = app.admin_get(&format!("/api/v1/tenants/kaifeng/complaints/{id}")).await;
    assert_eq!(
        (
            at_city["handling_tenant"].as_str(),
            at_city["escalation_level"].as_i64(),
            at_city["status"].as_str()
        ),
        (Some("kaifeng"), Some(2), Some("accepted"))
    );
    let second = escalated_at(&at_city, 1);
    assert_eq!(time(&at_city["due_at"]), second + Duration::hours(72));

    // The city has no parent: an overdue case there is flagged, once.
    let third = second + Duration::hours(73);
    assert_eq!(sweep_at(&app, third).await, 1);
    assert_eq!(sweep_at(&app, third + Duration::hours(1)).await, 0);
    let me = login(&app, "13700000041", "kaifeng2026").await.token;
    let (_, flagged) = app.admin_get(&format!("/api/v1/tenants/kaifeng/complaints/{id}")).await;
    assert_eq!(
        (
            flagged["handling_tenant"].as_str(),
            flagged["escalation_level"].as_i64(),
            flagged["overdue"].as_bool()
        ),
        (Some("kaifeng"), Some(2), Some(true))
    );
    assert_eq!(statuses(&flagged), ["submitted", "escalated", "accepted", "escalated", "overdue"]);
    let history = flagged["history"].as_array().unwrap();
    let moves: Vec<(&str, &str)> = [1, 3, 4]
        .iter()
        .map(|&i| (history[i]["tenant"].as_str().unwrap(), history[i]["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(moves, [("lankao", "system"), ("kaifeng", "system"), ("kaifeng", "system")]);
    let note = history[1]["note"].as_str().unwrap();
    assert!(
        note.contains("兰阳街道零工驿站")
            && note.contains("兰考县零工市场")
            && note.contains("72小时"),
        "{note}"
    );
    assert!(history[3]["note"].as_str().unwrap().contains("开封市零工市场"));
    assert_eq!(
        ids(&app.admin_get("/api/v1/tenants/kaifeng/complaints?overdue=true").await.1),
        vec![id]
    );
    assert_eq!(
        ids(&app.admin_get("/api/v1/tenants/kaifeng/complaints?overdue=false").await.1),
        Vec::<&str>::new()
    );

    let (_, mine) = app.call_as(&me, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(
        (
            mine["notice"]["required_materials"].as_array().unwrap().len(),
            mine["notice"]["time_limit_hours"].as_i64()
        ),
        (5, Some(72))
    );
    assert!(
        mine["notice"]["text"].as_str().unwrap().contains("开封市零工市场"),
        "the notice names who handles the case now"
    );

    let (_, log) = app.admin_get("/api/v1/audit").await;
    let system: Vec<(&str, &str)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "system")
        .map(|e| (e["action"].as_str().unwrap(), e["tenant_code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        system,
        [
            ("complaint.overdue", "kaifeng"),
            ("complaint.escalate", "kaifeng"),
            ("complaint.escalate", "lankao")
        ]
    );
    assert_eq!(app.admin_get("/api/v1/audit/verify").await.1["broken_at"], Value::Null);
}

async fn staff_and_workers_see_only_their_own_cases(app: TestApp) {
    let a = register(&app, "13700000051", "worker").await.token;
    let b = register(&app, "13700000052", "worker").await.token;
    let case = file(&app, &a, "lankao", "wage_arrears", WAGES).await;
    let id = case["id"].as_str().unwrap();
    let qixian = staff(&app, "13900000051", "county_admin", "qixian").await.token;
    let station = staff(&app, "13900000052", "station_staff", "lankao-lanyang").await.token;
    let lankao = staff(&app, "13900000053", "county_admin", "lankao").await.token;

    let event = json!({"status": "accepted", "note": "受理"});
    for (method, path) in [
        (Method::GET, "/api/v1/tenants/lankao/complaints".to_string()),
        (Method::GET, format!("/api/v1/tenants/lankao/complaints/{id}")),
        (Method::POST, format!("/api/v1/tenants/lankao/complaints/{id}/events")),
        (Method::GET, "/api/v1/tenants/kaifeng/complaints".to_string()),
    ] {
        let (status, err) = app.call_as(&qixian, method.clone(), &path, Some(event.clone())).await;
        assert_eq!(status, 403, "杞县 on {method} {path}: {err}");
        assert_error(&err, "forbidden");
    }
    let (status, err) = app
        .call_as(&qixian, Method::GET, &format!("/api/v1/tenants/qixian/complaints/{id}"), None)
        .await;
    assert_eq!(status, 404, "not through its own market either: {err}");
    assert_eq!(
        app.call_as(&qixian, Method::GET, "/api/v1/tenants/qixian/complaints", None).await.1["count"],
        0
    );
    let (status, _) =
        app.call_as(&station, Method::GET, "/api/v1/tenants/lankao/complaints", None).await;
    assert_eq!(status, 403, "a station's staff do not act for the county above");

    let (status, err) =
        app.call_as(&b, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(status, 404, "another worker's case: {err}");
    assert_error(&err, "complaint_not_found");
    assert_eq!(app.call_as(&b, Method::GET, "/api/v1/me/complaints", None).await.1["count"], 0);
    for token in [&a, &b] {
        assert_eq!(
            app.call_as(token, Method::GET, "/api/v1/tenants/lankao/complaints", None).await.0,
            403,
            "workers are not staff"
        );
    }
    let (status, err) =
        app.call_as(&lankao, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(status, 404, "staff use the market's route: {err}");

    let (status, list) =
        app.call_as(&lankao, Method::GET, "/api/v1/tenants/lankao/complaints", None).await;
    assert_eq!((status, ids(&list)), (200, vec![id]));
    let (_, unchanged) =
        app.call_as(&a, Method::GET, &format!("/api/v1/complaints/{id}"), None).await;
    assert_eq!(statuses(&unchanged), ["submitted"], "nothing the refused staff tried went through");
}
