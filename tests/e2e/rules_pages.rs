//! The rules console over HTTP (`/console/{code}/rules`…): where each slot's rule comes from,
//! uploads through the multipart form, dry-runs with the diff side by side and as background
//! jobs, binding with an effective date, rollback, decision receipts and replay, other markets'
//! decisions hidden, and bad input answered by field errors with nothing written.

use std::time::{Duration, Instant};

use gigmarket_e2e::pages::{Answer, Visitor};
use gigmarket_e2e::people::{day, staff};
use gigmarket_e2e::{TestApp, component, db_tests};
use serde_json::{Value, json};

db_tests!(
    the_rules_page_shows_own_and_inherited_rules_and_refuses_other_counties,
    a_component_uploads_through_the_multipart_form_and_bad_files_store_nothing,
    a_dry_run_shows_the_changed_decisions_side_by_side,
    a_large_dry_run_is_a_job_page_that_polls_then_shows_the_diff,
    a_version_bound_for_a_later_date_waits_on_the_slot_page,
    rolling_back_restores_the_previous_version_and_says_when_there_is_none,
    a_receipt_shows_its_reasons_and_replays_identically,
    another_market_s_decision_is_not_found,
    bad_input_is_answered_by_field_errors_and_nothing_is_written,
);

/// A county administrator of `tenant`, logged in to the pages.
async fn admin_of(app: &TestApp, phone: &str, tenant: &str) -> Visitor {
    staff(app, phone, "county_admin", tenant).await;
    let visitor = Visitor::new(app);
    visitor.login(phone, "staff2026pw").await;
    visitor
}

/// County administrators may read plugins but not upload them unless the city grants it.
async fn let_county_admins_upload(app: &TestApp) {
    let grant = json!({"role": "county_admin", "object": "plugins", "action": "write"});
    let (status, body) = app.admin_post("/api/v1/authz/policies", &grant).await;
    assert!(status == 201 || status == 200, "{status} {body}");
}

async fn plugins(app: &TestApp) -> Vec<Value> {
    let (_, body) = app.admin_get("/api/v1/plugins").await;
    body["plugins"].as_array().unwrap().clone()
}

async fn hash_of(app: &TestApp, name: &str) -> String {
    let all = plugins(app).await;
    let p = all.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} missing"));
    p["hash"].as_str().unwrap().to_string()
}

async fn slot_of(app: &TestApp, tenant: &str, slot: &str) -> Value {
    let (_, body) = app.get_json(&format!("/api/v1/tenants/{tenant}/slots")).await;
    body["slots"].as_array().unwrap().iter().find(|s| s["slot"] == slot).unwrap().clone()
}

fn date(y: i32, m: u8, d: u8) -> Value {
    json!({"year": y, "month": m, "day": d})
}

/// A decision of `tenant`'s subsidy slot for a county market with `matches` matches.
async fn subsidy_decision(app: &TestApp, tenant: &str, matches: u32) -> String {
    let figures = json!({
        "kind": "County", "period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31),
        "people_served": 1200, "matches": matches, "trainings": 4, "rights_cases": 5,
        "rights_cases_closed_in_time": 5, "ledger_days": 30, "open_days": 31, "satisfaction": 4.6,
        "operating_cost_cents": 6_000_000, "is_government_run": true
    });
    let input = json!({"today": date(2026, 11, 28), "figures": figures});
    invoke(app, tenant, "subsidy", &input).await
}

/// A decision of `tenant`'s posting review on a post that demands a gender (rejected).
async fn review_decision(app: &TestApp, tenant: &str) -> String {
    let input = json!({
        "today": date(2026, 11, 28),
        "posting": {
            "title": "仓库装卸工", "description": "开封市仓库临时装卸,日结", "occupation_code": "4-02-05-01",
            "occupation_name": "装卸搬运工", "headcount": 5, "wage_cents": 20000, "wage_unit": "Day",
            "settlement": "Daily", "daily_hours": 8.0, "work_start": date(2026, 12, 1), "work_end": date(2026, 12, 5),
            "district": "兰考县", "address": "兰考县某仓库", "min_age": null, "max_age": null,
            "requirements": ["限男性"], "qualifications": [], "charges_worker_fee": false,
            "employer_verified": true, "employer_recent_postings": 2
        }
    });
    invoke(app, tenant, "posting-review", &input).await
}

async fn invoke(app: &TestApp, tenant: &str, slot: &str, input: &Value) -> String {
    let path = format!("/api/v1/tenants/{tenant}/slots/{slot}/invoke");
    let (status, body) = app.admin_post(&path, input).await;
    assert_eq!(status, 200, "{body}");
    body["decision_id"].as_str().unwrap().to_string()
}

/// The CSRF token of a visitor that has opened a page.
fn token(v: &Visitor) -> String {
    v.cookie("gm_csrf").expect("a page was opened")
}

fn assert_page(answer: &Answer, status: u16) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(answer.body.starts_with("<!doctype html>"), "a page, not JSON: {}", answer.body);
}

async fn the_rules_page_shows_own_and_inherited_rules_and_refuses_other_counties(app: TestApp) {
    let lankao = admin_of(&app, "13900000101", "lankao").await;
    let page = lankao.get("/console/lankao/rules").await;
    assert_page(&page, 200);
    assert_eq!(page.body.matches("data-slot=").count(), 6, "six slots");
    let row = |body: &str, slot: &str| {
        let start = body.find(&format!("data-slot=\"{slot}\"")).unwrap();
        let end = body[start..].find("</tr>").unwrap() + start;
        body[start..end].to_string()
    };
    let subsidy = row(&page.body, "subsidy");
    assert!(subsidy.contains("data-source=\"own\"") && subsidy.contains("本级"), "{subsidy}");
    assert!(subsidy.contains("lankao_subsidy") && subsidy.contains("第1版"), "{subsidy}");
    let matching = row(&page.body, "matching");
    assert!(matching.contains("继承自 开封市零工市场"), "{matching}");
    assert!(matching.contains("city_matching"), "{matching}");

    let station = lankao.get("/console/lankao-lanyang/rules").await;
    assert_page(&station, 200);
    let subsidy = row(&station.body, "subsidy");
    assert!(
        subsidy.contains("继承自 兰考县零工市场"),
        "the station inherits its county's: {subsidy}"
    );

    let qixian = admin_of(&app, "13900000102", "qixian").await;
    let refused = qixian.get("/console/lankao/rules").await;
    assert_page(&refused, 403);
    assert!(!refused.body.contains("lankao_subsidy"), "nothing of 兰考县 shown");
}

async fn a_component_uploads_through_the_multipart_form_and_bad_files_store_nothing(app: TestApp) {
    let admin = admin_of(&app, "13900000111", "lankao").await;
    admin.get("/console/lankao/rules").await;
    let csrf = token(&admin);
    let greedy = component("fixture_greedy_subsidy");
    let file = Some(("file", "greedy.wasm", greedy.as_slice()));
    let before = plugins(&app).await.len();

    let refused = admin
        .post_multipart("/console/lankao/plugins", &[("csrf_token", &csrf), ("name", "x")], file)
        .await;
    assert_page(&refused, 403);
    assert_eq!(plugins(&app).await.len(), before, "without the permission nothing is stored");

    let_county_admins_upload(&app).await;
    let page = admin.get("/console/lankao/rules").await;
    assert!(page.body.contains("enctype=\"multipart/form-data\""), "the form is offered now");
    let csrf_first = page.body.find("name=\"csrf_token\"").unwrap();
    assert!(csrf_first < page.body.find("name=\"file\"").unwrap(), "the token comes first");

    let no_token = admin.post_multipart("/console/lankao/plugins", &[("name", "x")], file).await;
    assert_page(&no_token, 403);
    assert!(no_token.body.contains("data-error=\"csrf_failed\""));
    assert_eq!(plugins(&app).await.len(), before, "a post without the token stores nothing");

    let junk = Some(("file", "junk.wasm", b"not a component at all".as_slice()));
    let wrong_world = component("fixture_wrong_world");
    let wrong = Some(("file", "wrong.wasm", wrong_world.as_slice()));
    for (f, message) in [
        (junk, "上传的文件不是 WebAssembly"),
        (wrong, "组件没有实现任何已知的插件槽位"),
        (None, "请选择要上传的组件文件"),
        (Some(("file", "empty.wasm", b"".as_slice())), "请选择要上传的组件文件"),
    ] {
        let answer = admin
            .post_multipart("/console/lankao/plugins", &[("csrf_token", &csrf), ("name", "坏")], f)
            .await;
        assert!(answer.status >= 400 && answer.status < 500, "{}", answer.status);
        assert_page(&answer, answer.status);
        assert!(answer.body.contains("id=\"file-error\""), "{}", answer.body);
        assert!(answer.body.contains(message), "{message}: {}", answer.body);
    }
    let long_name = "<script>alert(1)</script>".repeat(200);
    let answer = admin
        .post_multipart(
            "/console/lankao/plugins",
            &[("csrf_token", &csrf), ("name", &long_name)],
            file,
        )
        .await;
    assert_page(&answer, 400);
    assert!(answer.body.contains("插件名称不能超过80个字"), "{}", answer.body);
    assert!(!answer.body.contains("<script>alert(1)"), "the name is escaped");
    assert_eq!(plugins(&app).await.len(), before, "no bad upload stored anything");

    let stored = admin
        .post_multipart(
            "/console/lankao/plugins",
            &[("csrf_token", &csrf), ("name", "兰考_测试补贴")],
            file,
        )
        .await;
    assert_eq!(stored.status, 303, "{}", stored.body);
    let hash = hash_of(&app, "兰考_测试补贴").await;
    let to = stored.location.unwrap();
    assert_eq!(to, format!("/console/lankao/rules/subsidy?uploaded={hash}&new=true"));
    let slot_page = admin.get(&to).await;
    assert_page(&slot_page, 200);
    assert!(slot_page.body.contains("组件已上传"), "{}", slot_page.body);
    assert!(
        slot_page.body.contains(&format!("<option value=\"{hash}\" selected>")),
        "the new component is chosen for the dry-run"
    );
}

async fn a_dry_run_shows_the_changed_decisions_side_by_side(app: TestApp) {
    for matches in [100, 900] {
        subsidy_decision(&app, "lankao", matches).await;
    }
    let admin = admin_of(&app, "13900000121", "lankao").await;
    let city = hash_of(&app, "city_subsidy").await;
    let answer = admin
        .post("/console/lankao/rules/subsidy/dry-run", &[("plugin", &city), ("limit", "10")])
        .await;
    assert_page(&answer, 200);
    let body = &answer.body;
    assert!(body.contains("原结果(已记录)") && body.contains("新结果(候选版本)"), "{body}");
    assert!(body.contains("data-changed=\"2\" data-compared=\"2\""), "{body}");
    assert_eq!(body.matches("<tr class=\"changed\"").count(), 2, "{body}");
    assert!(body.contains("class=\"moved\""), "the moved figure is highlighted");
    assert!(body.contains("补贴总额") && body.contains("元"), "amounts in yuan: {body}");
    assert!(!body.contains("data-partial"), "a complete run is not called partial");
    let lankao = hash_of(&app, "lankao_subsidy").await;
    let same = admin.post("/console/lankao/rules/subsidy/dry-run", &[("plugin", &lankao)]).await;
    assert_page(&same, 200);
    assert!(same.body.contains("data-changed=\"0\" data-compared=\"2\""), "{}", same.body);
    assert_eq!(same.body.matches("<tr class=\"same\"").count(), 2);
}

async fn a_large_dry_run_is_a_job_page_that_polls_then_shows_the_diff(app: TestApp) {
    subsidy_decision(&app, "lankao", 300).await;
    let admin = admin_of(&app, "13900000131", "lankao").await;
    let city = hash_of(&app, "city_subsidy").await;
    let started = admin
        .post("/console/lankao/rules/subsidy/dry-run", &[("plugin", &city), ("limit", "120")])
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let job = started.location.unwrap();
    assert!(job.starts_with("/console/lankao/dry-runs/"), "{job}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let finished = loop {
        let page = admin.get(&job).await;
        assert_page(&page, 200);
        if !page.body.contains("hx-trigger=\"every 1s\"") {
            break page;
        }
        assert!(page.body.contains(&format!("<a href=\"{job}\">")), "a reload link without JS");
        assert!(Instant::now() < deadline, "the job did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(finished.body.contains("已完成"), "{}", finished.body);
    assert!(finished.body.contains("data-changed=\"1\" data-compared=\"1\""), "{}", finished.body);
    let other = admin_of(&app, "13900000132", "qixian").await;
    let foreign = other.get(&job.replace("lankao", "qixian")).await;
    assert_page(&foreign, 404);
}

async fn a_version_bound_for_a_later_date_waits_on_the_slot_page(app: TestApp) {
    let admin = admin_of(&app, "13900000141", "lankao").await;
    let city = hash_of(&app, "city_subsidy").await;
    let later = day(30);
    let answer = admin
        .post(
            "/console/lankao/rules/subsidy",
            &[
                ("plugin", &city),
                ("effective_from", &later),
                ("config", "{}"),
                ("note", "明年起改用市级公式"),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/console/lankao/rules/subsidy?bound=2"));
    let page = admin.get("/console/lankao/rules/subsidy?bound=2").await;
    assert_page(&page, 200);
    let start = page.body.find("data-version=\"2\"").expect("version 2 listed");
    let row = &page.body[start..start + page.body[start..].find("</tr>").unwrap()];
    assert!(row.contains("待生效") && row.contains("明年起改用市级公式"), "{row}");
    assert!(row.contains("city_subsidy"), "{row}");
    let slot = slot_of(&app, "lankao", "subsidy").await;
    assert_eq!(slot["active"]["binding"]["version"], 1, "not in force before its date: {slot}");
    assert_eq!(slot["versions"][1]["effective_from"], later.as_str());
}

async fn rolling_back_restores_the_previous_version_and_says_when_there_is_none(app: TestApp) {
    let admin = admin_of(&app, "13900000151", "lankao").await;
    let refused =
        admin.post("/console/lankao/rules/matching/rollback", &[("to_version", "")]).await;
    assert_page(&refused, 409);
    assert!(refused.body.contains("此槽位没有可回滚的更早版本"), "{}", refused.body);
    assert_eq!(slot_of(&app, "lankao", "matching").await["versions"], json!([]));

    let today = day(0);
    for name in ["city_matching", "weishi_matching"] {
        let hash = hash_of(&app, name).await;
        let answer = admin
            .post(
                "/console/lankao/rules/matching",
                &[("plugin", &hash), ("effective_from", &today)],
            )
            .await;
        assert_eq!(answer.status, 303, "{}", answer.body);
    }
    let rolled = admin.post("/console/lankao/rules/matching/rollback", &[("to_version", "")]).await;
    assert_eq!(rolled.status, 303, "{}", rolled.body);
    assert_eq!(rolled.location.as_deref(), Some("/console/lankao/rules/matching?rolled=3"));
    let slot = slot_of(&app, "lankao", "matching").await;
    assert_eq!(
        slot["active"]["binding"]["plugin_hash"].as_str(),
        Some(hash_of(&app, "city_matching").await.as_str())
    );
    let page = admin.get("/console/lankao/rules/matching?rolled=3").await;
    assert!(page.body.contains("已回滚,新版本为第3版") && page.body.contains("回滚到第1版"));
}

async fn a_receipt_shows_its_reasons_and_replays_identically(app: TestApp) {
    let id = review_decision(&app, "lankao").await;
    let admin = admin_of(&app, "13900000161", "lankao").await;
    let rules = admin.get("/console/lankao/rules").await;
    assert!(rules.body.contains(&format!("/console/lankao/decisions/{id}")), "listed with a link");
    let receipt = admin.get(&format!("/console/lankao/decisions/{id}")).await;
    assert_page(&receipt, 200);
    let body = &receipt.body;
    assert!(body.contains("招聘信息审核") && body.contains("驳回"), "{body}");
    assert!(
        body.contains("city_posting_review") && body.contains("开封市零工市场 第1版"),
        "{body}"
    );
    assert!(body.contains("限男性"), "the input summary: {body}");
    let (_, recorded) = app.admin_get(&format!("/api/v1/decisions/{id}")).await;
    let reason = recorded["output"].as_str().unwrap();
    let reason: Value = serde_json::from_str(reason).unwrap();
    let code = reason["reasons"][0]["code"].as_str().unwrap();
    assert!(body.contains(code), "the reasons are shown: {body}");
    assert!(body.contains(&recorded["fuel_used"].to_string()), "the fuel is shown");
    let replayed = admin.post(&format!("/console/lankao/decisions/{id}/replay"), &[]).await;
    assert_page(&replayed, 200);
    assert!(replayed.body.contains("data-replay=\"identical\""), "{}", replayed.body);

    let station = review_decision(&app, "lankao-lanyang").await;
    let below = admin.get(&format!("/console/lankao/decisions/{station}")).await;
    assert_page(&below, 200);
}

async fn another_market_s_decision_is_not_found(app: TestApp) {
    let id = review_decision(&app, "qixian").await;
    let admin = admin_of(&app, "13900000171", "lankao").await;
    let shown = admin.get(&format!("/console/lankao/decisions/{id}")).await;
    assert_page(&shown, 404);
    assert!(!shown.body.contains("限男性") && !shown.body.contains("杞县"), "{}", shown.body);
    let replay = admin.post(&format!("/console/lankao/decisions/{id}/replay"), &[]).await;
    assert_page(&replay, 404);
    let unknown = admin.get("/console/lankao/decisions/no-such-decision").await;
    assert_page(&unknown, 404);
    let through_qixian = admin.get(&format!("/console/qixian/decisions/{id}")).await;
    assert_page(&through_qixian, 403);
}

/// A form's fields, the field its error names, and what the error says.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);

async fn bad_input_is_answered_by_field_errors_and_nothing_is_written(app: TestApp) {
    let admin = admin_of(&app, "13900000181", "lankao").await;
    let city = hash_of(&app, "city_subsidy").await;
    let hostile = "<script>alert(1)</script>";
    let long = "长".repeat(5000);
    let today = day(0);
    let cases: Vec<Case> = vec![
        (vec![("plugin", &city), ("effective_from", "")], "effective_from", "请填写生效日期"),
        (vec![("plugin", &city), ("effective_from", "garbage")], "effective_from", "生效日期应为"),
        (
            vec![("plugin", &city), ("effective_from", "2027-02-30")],
            "effective_from",
            "生效日期应为",
        ),
        (vec![("plugin", &city), ("effective_from", hostile)], "effective_from", "生效日期应为"),
        (vec![("plugin", ""), ("effective_from", &today)], "plugin", "请选择要绑定的插件版本"),
        (vec![("plugin", hostile), ("effective_from", &today)], "plugin", "没有哈希为"),
        (
            vec![("plugin", &city), ("effective_from", &today), ("config", hostile)],
            "config",
            "JSON 对象",
        ),
        (
            vec![("plugin", &city), ("effective_from", &today), ("config", "[1]")],
            "config",
            "JSON 对象",
        ),
        (
            vec![("plugin", &city), ("effective_from", &today), ("note", &long)],
            "note",
            "说明不能超过200个字",
        ),
    ];
    for (fields, field, message) in cases {
        let answer = admin.post("/console/lankao/rules/subsidy", &fields).await;
        assert!((400..500).contains(&answer.status), "{fields:?}: {}", answer.status);
        assert_page(&answer, answer.status);
        assert!(
            answer.body.contains(&format!("id=\"{field}-error\"")),
            "{fields:?}: {}",
            answer.body
        );
        assert!(answer.body.contains(message), "{fields:?}: {}", answer.body);
        assert!(!answer.body.contains(hostile), "escaped: {fields:?}");
    }
    let dry: Vec<Case> = vec![
        (vec![("plugin", ""), ("limit", "10")], "plugin", "请选择要试运行的插件版本"),
        (vec![("plugin", &city), ("limit", "abc")], "limit", "条数应为"),
        (vec![("plugin", &city), ("limit", "0")], "limit", "limit 应在 1 到 500 之间"),
        (vec![("plugin", &city), ("limit", hostile)], "limit", "条数应为"),
    ];
    for (fields, field, message) in dry {
        let answer = admin.post("/console/lankao/rules/subsidy/dry-run", &fields).await;
        assert!((400..500).contains(&answer.status), "{fields:?}: {}", answer.status);
        assert!(
            answer.body.contains(&format!("id=\"{field}-error\"")),
            "{fields:?}: {}",
            answer.body
        );
        assert!(answer.body.contains(message), "{fields:?}: {}", answer.body);
        assert!(!answer.body.contains(hostile), "escaped: {fields:?}");
    }
    let rollback =
        admin.post("/console/lankao/rules/subsidy/rollback", &[("to_version", hostile)]).await;
    assert_page(&rollback, 400);
    assert!(
        rollback.body.contains("id=\"to_version-error\"")
            && rollback.body.contains("版本号应为整数")
    );
    let unknown = admin.post("/console/lankao/rules/matchmaking", &[("plugin", &city)]).await;
    assert_page(&unknown, 404);
    assert!(unknown.body.contains("没有名为 `matchmaking` 的插件槽位"), "{}", unknown.body);
    let script_slot = admin.get("/console/lankao/rules/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_page(&script_slot, 404);
    assert!(!script_slot.body.contains(hostile), "the slot name is escaped");
    let slot = slot_of(&app, "lankao", "subsidy").await;
    assert_eq!(slot["versions"].as_array().unwrap().len(), 1, "nothing was bound: {slot}");

    let fine = admin
        .post(
            "/console/lankao/rules/subsidy",
            &[("plugin", &city), ("effective_from", &today), ("note", hostile)],
        )
        .await;
    assert_eq!(fine.status, 303, "a short hostile note is stored as text: {}", fine.body);
    let page = admin.get("/console/lankao/rules/subsidy").await;
    assert!(page.body.contains("&#60;script&#62;alert(1)"), "the note is shown as text");
    assert!(!page.body.contains(hostile), "and escaped");
}
