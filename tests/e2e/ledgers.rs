//! The five daily ledgers (记实管理) over HTTP: a day filled automatically by the market's records
//! and by hand, listed with source refs and masked names, closed with its hashes in the audit
//! chain, a late row refused and a correction accepted, a record that arrives after the close
//! carried to the next open day, kept and partial days in the calendar, refused rows, the
//! workbooks read back, and who may see which market's ledgers.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};
use gigmarket_e2e::people::{
    Person, day, employer, job, login, open_job, register, staff, worker, worker_name,
};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    a_day_is_filled_closed_corrected_and_kept,
    a_record_after_the_close_goes_to_the_next_open_day,
    partial_days_future_dates_and_bad_rows_are_refused,
    ledgers_export_as_workbooks_with_dates_and_headers,
    ledgers_are_seen_only_within_the_market_tree,
);

const KINDS: [&str; 5] =
    ["policy-outreach", "employer-demand", "labour-supply", "employer-liaison", "instant-matching"];
const USCC: &str = "91350100M000100Y43";

fn today(app: &TestApp) -> String {
    app.clock.today().to_string()
}

async fn add(app: &TestApp, who: &Person, tenant: &str, kind: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/tenants/{tenant}/ledgers/{kind}");
    app.call_as(&who.token, Method::POST, &path, Some(body)).await
}

async fn added(app: &TestApp, who: &Person, tenant: &str, kind: &str, body: Value) -> Value {
    let (status, row) = add(app, who, tenant, kind, body).await;
    assert_eq!(status, 201, "{kind}: {row}");
    row
}

async fn list(app: &TestApp, who: &Person, tenant: &str, kind: &str, query: &str) -> Value {
    let path = format!("/api/v1/tenants/{tenant}/ledgers/{kind}{query}");
    let (status, body) = app.call_as(&who.token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The rows of the first (or only) day of a listing.
fn rows(ledger: &Value) -> Vec<Value> {
    ledger["days"][0]["rows"].as_array().unwrap().clone()
}

async fn close(app: &TestApp, who: &Person, tenant: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/tenants/{tenant}/ledgers/close");
    app.call_as(&who.token, Method::POST, &path, Some(body)).await
}

fn outreach(date: &str) -> Value {
    json!({"date": date, "place": "兰阳街道零工驿站", "topic": "灵活就业人员参保政策", "documents": "《河南省零工市场建设指引》",
        "audience": 35, "staff": "王芳"})
}

async fn a_day_is_filled_closed_corrected_and_kept(app: TestApp) {
    let clerk = staff(&app, "13600000001", "county_admin", "lankao").await;
    let boss = employer(&app, 1, true).await;
    let job_id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let w = worker(&app, 3, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, body) =
        app.call_as(&w.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
    assert!(status < 300, "{body}");
    let (status, e) = app
        .call_as(&w.token, Method::POST, &format!("/api/v1/jobs/{job_id}/applications"), None)
        .await;
    assert_eq!(status, 201, "{e}");
    let engagement = e["id"].as_str().unwrap().to_string();
    let (status, e) = app
        .call_as(
            &boss.token,
            Method::POST,
            &format!("/api/v1/engagements/{engagement}/offer"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{e}");

    let today = today(&app);
    added(&app, &clerk, "lankao", "policy-outreach", outreach(&today)).await;
    added(&app, &clerk, "lankao", "employer-demand", json!({"unit": "兰考县惠民食品有限公司", "uscc": USCC,
        "channel": "phone", "post": "包装工", "headcount": 6, "wage": "150元/天", "contact": "赵经理"})).await;
    added(
        &app,
        &clerk,
        "lankao",
        "labour-supply",
        json!({"person": "周大勇", "occupation": "电工"}),
    )
    .await;
    added(
        &app,
        &clerk,
        "lankao",
        "employer-liaison",
        json!({"officer": "刘强", "unit": "兰考县示例物流有限公司",
        "uscc": USCC, "needs": "旺季需装卸工10人", "follow_up": "已推送岗位库"}),
    )
    .await;
    let referral = added(
        &app,
        &clerk,
        "lankao",
        "instant-matching",
        json!({"person": "孙小梅", "unit": "兰考县惠民食品有限公司", "post": "包装工"}),
    )
    .await;
    let slip = added(
        &app,
        &clerk,
        "lankao",
        "instant-matching",
        json!({"follows": referral["id"], "result": "已录用,次日上岗"}),
    )
    .await;
    assert_eq!(
        (slip["follows"].clone(), slip["fields"]["event"].as_str()),
        (referral["id"].clone(), Some("回执"))
    );

    // The automatic rows point to their records; names are masked, never in clear.
    let demand = list(&app, &clerk, "lankao", "employer-demand", "").await;
    let job_row = rows(&demand)
        .into_iter()
        .find(|r| r["source_ref"] == format!("job:{job_id}"))
        .unwrap_or_else(|| panic!("the post is in the ledger: {demand}"));
    assert_eq!((job_row["source"].as_str(), job_row["id"].as_str()), (Some("auto"), None));
    assert_eq!(
        (job_row["fields"]["post"].as_str(), job_row["fields"]["contact"].as_str()),
        (Some("仓库装卸工"), Some("李**"))
    );
    assert_eq!(job_row["fields"]["uscc"], USCC);
    assert_eq!(demand["days"][0]["closed"], false);
    let supply = list(&app, &clerk, "lankao", "labour-supply", "").await;
    let refs: Vec<String> = rows(&supply)
        .iter()
        .map(|r| r["source_ref"].as_str().unwrap_or("manual").to_string())
        .collect();
    for want in [
        format!("account:{}", w.id),
        format!("profile:{}", w.id),
        format!("check-in:{today}:{}", w.id),
    ] {
        assert!(refs.contains(&want), "{want} in {refs:?}");
    }
    let full = worker_name(3);
    assert!(!supply.to_string().contains(&full), "no name in clear: {supply}");
    let walk_in = rows(&supply).into_iter().find(|r| r["source"] == "manual").unwrap();
    assert_eq!(walk_in["fields"]["person"], "周**");
    let matching = list(&app, &clerk, "lankao", "instant-matching", "").await;
    let refs: Vec<String> = rows(&matching)
        .iter()
        .filter_map(|r| r["source_ref"].as_str().map(str::to_string))
        .collect();
    assert!(refs.contains(&format!("engagement:{engagement}")), "{refs:?}");
    assert!(refs.contains(&format!("engagement:{engagement}:offered")), "{refs:?}");
    assert!(!matching.to_string().contains(&full));

    // Close the day: every ledger counted and hashed, the hashes in the audit chain.
    let (status, closed) = close(&app, &clerk, "lankao", json!({"date": today})).await;
    assert_eq!(status, 200, "{closed}");
    let closed = closed["closed"].as_array().unwrap().clone();
    assert_eq!(closed.len(), 5);
    let demand_close = closed.iter().find(|c| c["kind"] == "employer-demand").unwrap();
    assert_eq!(demand_close["row_count"], 2, "the post and the offline demand");
    let (_, audit) = app.admin_get("/api/v1/audit?tenant=lankao&action=ledger.close").await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["actor"], clerk.id, "{audit}");
    let detail: Value = serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap();
    for c in &closed {
        let logged =
            detail["ledgers"].as_array().unwrap().iter().find(|l| l["kind"] == c["kind"]).unwrap();
        assert_eq!(
            (logged["hash"].clone(), logged["rows"].clone()),
            (c["content_hash"].clone(), c["row_count"].clone())
        );
    }
    // Closed: the rows are stored (automatic ones too), and the day takes no more.
    let demand = list(&app, &clerk, "lankao", "employer-demand", "").await;
    assert_eq!(demand["days"][0]["closed"], true);
    assert!(rows(&demand).iter().all(|r| r["id"].is_string()), "{demand}");
    let (status, body) = add(&app, &clerk, "lankao", "policy-outreach", outreach(&today)).await;
    assert_eq!(status, 409);
    assert_error(&body, "ledger_closed");
    assert_eq!(
        rows(&list(&app, &clerk, "lankao", "policy-outreach", "").await).len(),
        1,
        "nothing written"
    );
    let (status, body) = close(&app, &clerk, "lankao", json!({"date": today})).await;
    assert_eq!(status, 409);
    assert_error(&body, "already_closed");

    // The day counts as kept.
    let d = NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap();
    let kept = gigmarket::ledgers::kept_days(&app.store, &["lankao".into(), "qixian".into()], d, d)
        .await
        .unwrap();
    assert_eq!((kept["lankao"], kept["qixian"]), (1, 0));
    let month = &today[..7];
    let (status, cal) = app
        .call_as(
            &clerk.token,
            Method::GET,
            &format!("/api/v1/ledgers/calendar?month={month}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{cal}");
    let lankao = cal["markets"].as_array().unwrap().iter().find(|m| m["code"] == "lankao").unwrap();
    let cell =
        lankao["days"].as_array().unwrap().iter().find(|c| c["day"] == today.as_str()).unwrap();
    assert_eq!(cell["status"], "kept");
    assert_eq!(lankao["kept"], 1);

    // The next day (a new session): a correction is a new row pointing back; one to an unknown
    // row is refused.
    app.clock.advance(Duration::days(1));
    let clerk = login(&app, "13600000001", "staff2026pw").await;
    let first = rows(
        &list(&app, &clerk, "lankao", "policy-outreach", &format!("?from={today}&to={today}"))
            .await,
    )[0]
    .clone();
    let mut fix = outreach(&app.clock.today().to_string());
    fix["audience"] = json!(36);
    fix["corrects"] = first["id"].clone();
    let correction = added(&app, &clerk, "lankao", "policy-outreach", fix.clone()).await;
    assert_eq!(correction["corrects"], first["id"]);
    assert_eq!(correction["day"], app.clock.today().to_string());
    fix["corrects"] = json!("0190aaaa-0000-7000-8000-000000000000");
    let (status, body) = add(&app, &clerk, "lankao", "policy-outreach", fix).await;
    assert_eq!(status, 422);
    assert_error(&body, "row_not_found");
    assert_eq!(body["error"]["field"], "corrects");
    // The corrected row itself is unchanged.
    let again = rows(
        &list(&app, &clerk, "lankao", "policy-outreach", &format!("?from={today}&to={today}"))
            .await,
    )[0]
    .clone();
    assert_eq!(again, first);
}

async fn a_record_after_the_close_goes_to_the_next_open_day(app: TestApp) {
    let clerk = staff(&app, "13600000002", "station_staff", "lankao").await;
    let boss = employer(&app, 2, true).await;
    let today = today(&app);
    let (status, _) = close(&app, &clerk, "lankao", json!({"date": today})).await;
    assert_eq!(status, 200);
    let late_job = open_job(&app, &boss, job("lankao", "夜班分拣员")).await;
    let demand = list(&app, &clerk, "lankao", "employer-demand", "").await;
    assert!(rows(&demand).is_empty(), "the closed day shows what it stored: {demand}");

    app.clock.advance(Duration::days(1));
    let clerk = login(&app, "13600000002", "staff2026pw").await;
    let next = app.clock.today().to_string();
    let demand = list(&app, &clerk, "lankao", "employer-demand", "").await;
    let row = rows(&demand)
        .into_iter()
        .find(|r| r["source_ref"] == format!("job:{late_job}"))
        .unwrap_or_else(|| panic!("carried to the next open day: {demand}"));
    assert_eq!((row["late"].as_bool(), row["day"].as_str()), (Some(true), Some(next.as_str())));
    let (status, closed) =
        close(&app, &clerk, "lankao", json!({"date": next, "kind": "employer-demand"})).await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["closed"][0]["row_count"], 1);
    let stored = rows(&list(&app, &clerk, "lankao", "employer-demand", "").await);
    assert_eq!((stored.len(), stored[0]["late"].as_bool()), (1, Some(true)));
    assert!(stored[0]["id"].is_string());
    // Stored once: the day after shows it no more.
    app.clock.advance(Duration::days(1));
    let clerk = login(&app, "13600000002", "staff2026pw").await;
    assert!(rows(&list(&app, &clerk, "lankao", "employer-demand", "").await).is_empty());
}

async fn partial_days_future_dates_and_bad_rows_are_refused(app: TestApp) {
    let clerk = staff(&app, "13600000003", "county_admin", "lankao").await;
    let yesterday = day(-1);
    let (status, body) =
        close(&app, &clerk, "lankao", json!({"date": yesterday, "kind": "policy-outreach"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["closed"][0]["row_count"].as_i64(), body["closed"][0]["none"].as_bool()),
        (Some(0), Some(true))
    );
    let (_, cal) = app
        .call_as(
            &clerk.token,
            Method::GET,
            &format!("/api/v1/ledgers/calendar?month={}", &yesterday[..7]),
            None,
        )
        .await;
    let lankao = cal["markets"].as_array().unwrap().iter().find(|m| m["code"] == "lankao").unwrap();
    let cell =
        lankao["days"].as_array().unwrap().iter().find(|c| c["day"] == yesterday.as_str()).unwrap();
    assert_eq!(cell["status"], "partial", "{cell}");
    assert_eq!(cell["open"].as_array().unwrap().len(), 4);
    let y = NaiveDate::parse_from_str(&yesterday, "%Y-%m-%d").unwrap();
    let kept = gigmarket::ledgers::kept_days(&app.store, &["lankao".into()], y, y).await.unwrap();
    assert_eq!(kept["lankao"], 0);

    let (status, body) = close(&app, &clerk, "lankao", json!({"date": day(1)})).await;
    assert_eq!(status, 400);
    assert_error(&body, "future_date");
    let (status, body) =
        close(&app, &clerk, "lankao", json!({"date": today(&app), "kind": "diary"})).await;
    assert_eq!(status, 404);
    assert_error(&body, "ledger_not_found");

    let base = outreach(&today(&app));
    let bad: Vec<(&str, Value, &str)> = vec![
        ("place", json!(""), "required"),
        ("topic", json!("字".repeat(101)), "too_long"),
        ("audience", json!(-5), "invalid_count"),
        ("date", json!("2026-02-30"), "invalid_date"),
        ("date", json!(day(1)), "future_date"),
    ];
    for (field, value, code) in bad {
        let mut body = base.clone();
        body[field] = value;
        let (status, err) = add(&app, &clerk, "lankao", "policy-outreach", body).await;
        assert_eq!(status, 400, "{field}: {err}");
        assert_error(&err, code);
        assert_eq!(err["error"]["field"], field);
    }
    let (status, err) = add(
        &app,
        &clerk,
        "lankao",
        "employer-liaison",
        json!({"officer": "刘强", "unit": "某公司",
        "uscc": "91350100M000100Y44", "needs": "n", "follow_up": "f"}),
    )
    .await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("uscc")));
    assert_error(&err, "invalid_uscc");
    let (status, err) = add(&app, &clerk, "lankao", "diary", base.clone()).await;
    assert_eq!(status, 404);
    assert_error(&err, "ledger_not_found");
    for kind in ["policy-outreach", "employer-liaison"] {
        assert!(rows(&list(&app, &clerk, "lankao", kind, "").await).is_empty(), "nothing written");
    }
    let (_, audit) = app.admin_get("/api/v1/audit?tenant=lankao&action=ledger.row").await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 0, "{audit}");
    let path = format!("/api/v1/tenants/lankao/ledgers/policy-outreach?from={}", day(-100));
    let (status, err) = app.call_as(&clerk.token, Method::GET, &path, None).await;
    assert_eq!(status, 400);
    assert_error(&err, "period_too_long");
}

async fn download(
    app: &TestApp,
    who: &Person,
    path: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let resp = app.client.get(app.at(path)).bearer_auth(&who.token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    let headers = resp.headers().clone();
    (headers, resp.bytes().await.unwrap().to_vec())
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn ledgers_export_as_workbooks_with_dates_and_headers(app: TestApp) {
    let clerk = staff(&app, "13600000004", "county_admin", "lankao").await;
    let (from, to) = (day(-1), today(&app));
    added(&app, &clerk, "lankao", "policy-outreach", outreach(&from)).await;
    let mut second = outreach(&to);
    second["audience"] = json!(12);
    added(&app, &clerk, "lankao", "policy-outreach", second).await;

    let (headers, bytes) = download(
        &app,
        &clerk,
        &format!("/api/v1/tenants/lankao/ledgers/policy-outreach.xlsx?from={from}&to={to}"),
    )
    .await;
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''%E5%85%B0%E8%80%83"),
        "{disposition}"
    );
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["灵活用工政策宣讲".to_string()]);
    let range = book.worksheet_range("灵活用工政策宣讲").unwrap();
    let table: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let title = text(&table[0][0]);
    assert!(title.contains("兰考县") && title.contains(&from) && title.contains(&to), "{title}");
    let header: Vec<String> = table[1].iter().map(text).collect();
    assert_eq!(
        &header[..6],
        ["宣讲日期", "宣讲地点", "宣讲主题", "政策文件", "受众人数", "宣讲人员"]
    );
    assert!(
        header.contains(&"经办人".to_string())
            && header.contains(&"经办机构".to_string())
            && header.contains(&"数据来源".to_string())
    );
    assert_eq!(table.len(), 4, "title, header and the two rows");
    match &table[2][0] {
        Data::DateTime(d) => {
            let serial = (NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap()
                - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
            .num_days();
            assert_eq!(d.as_f64(), serial as f64, "the first row's date");
        }
        other => panic!("a date cell, not {other:?}"),
    }
    assert_eq!(
        (text(&table[2][1]), table[2][4].clone()),
        ("兰阳街道零工驿站".to_string(), Data::Float(35.0))
    );
    assert_eq!(table[3][4], Data::Float(12.0));
    assert!(table[2].iter().any(|c| text(c).contains("兰考县")), "the handling office");

    let (headers, bytes) =
        download(&app, &clerk, &format!("/api/v1/tenants/lankao/ledgers.xlsx?from={from}&to={to}"))
            .await;
    assert!(headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "灵活用工政策宣讲",
            "灵活用工企业需求",
            "人力资源供给",
            "用工专员服务企业",
            "零工市场即时对接"
        ]
    );
}

async fn ledgers_are_seen_only_within_the_market_tree(app: TestApp) {
    let lankao = staff(&app, "13600000005", "county_admin", "lankao").await;
    let qixian = staff(&app, "13600000006", "county_admin", "qixian").await;
    let w = register(&app, "13900000099", "worker").await;
    let today = today(&app);
    for kind in KINDS {
        let path = format!("/api/v1/tenants/lankao/ledgers/{kind}");
        let (status, _) = app.call_as(&qixian.token, Method::GET, &path, None).await;
        assert_eq!(status, 403, "杞县 reads 兰考县's {kind}");
    }
    let (status, _) = add(&app, &qixian, "lankao", "policy-outreach", outreach(&today)).await;
    assert_eq!(status, 403);
    let (status, _) = close(&app, &qixian, "lankao", json!({"date": today})).await;
    assert_eq!(status, 403);
    let resp = app
        .client
        .get(app.at("/api/v1/tenants/lankao/ledgers.xlsx"))
        .bearer_auth(&qixian.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let (status, _) = app
        .call_as(&w.token, Method::GET, "/api/v1/tenants/lankao/ledgers/labour-supply", None)
        .await;
    assert_eq!(status, 403, "a worker");
    let (status, _) = app.call_as(&w.token, Method::GET, "/api/v1/ledgers/calendar", None).await;
    assert_eq!(status, 403, "a worker");
    let (status, body) = app
        .call_as(&qixian.token, Method::GET, "/api/v1/ledgers/calendar?tenant=lankao", None)
        .await;
    assert_eq!(status, 403, "{body}");
    let (_, audit) = app.admin_get("/api/v1/audit?tenant=lankao&action=ledger.close").await;
    assert!(audit["entries"].as_array().unwrap().is_empty(), "nothing closed");

    // 兰考县's administrator reads and closes its station's ledgers; its calendar is itself and
    // its stations.
    added(&app, &lankao, "lankao-lanyang", "policy-outreach", outreach(&today)).await;
    assert_eq!(rows(&list(&app, &lankao, "lankao-lanyang", "policy-outreach", "").await).len(), 1);
    let (status, _) = close(&app, &lankao, "lankao-lanyang", json!({"date": today})).await;
    assert_eq!(status, 200);
    let (status, cal) =
        app.call_as(&lankao.token, Method::GET, "/api/v1/ledgers/calendar", None).await;
    assert_eq!(status, 200, "{cal}");
    let codes: Vec<&str> =
        cal["markets"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(codes[0], "lankao");
    assert!(codes.contains(&"lankao-lanyang") && !codes.contains(&"qixian"), "{codes:?}");
    let station =
        cal["markets"].as_array().unwrap().iter().find(|m| m["code"] == "lankao-lanyang").unwrap();
    assert_eq!(station["kept"], 1);
    // The city sees every market.
    let (status, cal) = app.admin_get("/api/v1/ledgers/calendar").await;
    assert_eq!(status, 200);
    let codes: Vec<&str> =
        cal["markets"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(codes[0], "kaifeng");
    assert!(codes.contains(&"qixian") && codes.contains(&"lankao-lanyang"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_city_has_a_week_of_kept_days_on_sqlite() {
    demo_week(gigmarket_e2e::spawn_demo(gigmarket_e2e::Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_city_has_a_week_of_kept_days_on_postgres() {
    demo_week(gigmarket_e2e::spawn_demo(gigmarket_e2e::Backend::Postgres).await).await;
}

/// `gigmarket demo` closes the last seven days of 兰考县 and its 兰阳街道 station, with a few
/// manual rows, so a newcomer's calendar is filled.
async fn demo_week(app: TestApp) {
    let today = app.clock.today();
    let week = (today - Duration::days(7), today - Duration::days(1));
    let codes = ["lankao".to_string(), "lankao-lanyang".to_string(), "qixian".to_string()];
    let kept = gigmarket::ledgers::kept_days(&app.store, &codes, week.0, week.1).await.unwrap();
    assert_eq!((kept["lankao"], kept["lankao-lanyang"], kept["qixian"]), (7, 7, 0));
    let path =
        format!("/api/v1/tenants/lankao/ledgers/policy-outreach?from={}&to={}", week.0, week.1);
    let (status, outreach) = app.admin_get(&path).await;
    assert_eq!(status, 200);
    let rows: Vec<&Value> = outreach["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["rows"].as_array().unwrap())
        .collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["source"] == "manual"), "{outreach}");
}
