//! The city console (`/console`): the dashboard counts what was done in the last 30 days per
//! county, markets are created, renamed (through the naming plugin) and withdrawn through its
//! forms, permissions granted and revoked there change access over the JSON API, the audit log
//! is filtered, paged and verified; the auditor reads and changes nothing, county staff and
//! workers are refused, and hostile input comes back escaped.

use gigmarket_e2e::pages::{Answer, Visitor};
use gigmarket_e2e::people::{Person, employer, job, login, open_job, post_job, staff, worker};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    the_dashboard_counts_each_county_over_the_last_30_days,
    a_station_is_created_renamed_and_withdrawn_through_the_console,
    console_words_are_refused_as_market_codes,
    a_permission_granted_and_revoked_on_the_page_changes_access_over_the_api,
    the_audit_page_filters_pages_and_verifies_the_chain,
    the_auditor_reads_the_console_and_every_post_is_refused,
    county_staff_and_workers_cannot_open_the_city_console,
    console_forms_without_the_csrf_token_write_nothing,
);

const ADMIN_PHONE: &str = "13600000001";
const HOSTILE: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&#60;script&#62;alert(1)";

/// The city's administrator, logged in on the pages.
async fn city_admin(app: &TestApp) -> Visitor {
    staff(app, ADMIN_PHONE, "city_admin", "kaifeng").await;
    let v = Visitor::new(app);
    v.login(ADMIN_PHONE, "staff2026pw").await;
    v
}

/// The figures of one row of the dashboard's table: posts, filled, check-ins, complaints.
fn figures(page: &str, area: &str) -> [i64; 4] {
    let start =
        page.find(&format!("<tr data-area=\"{area}\">")).unwrap_or_else(|| panic!("no row {area}"));
    let row = &page[start..start + page[start..].find("</tr>").unwrap()];
    let cell = |name: &str| {
        let at = row.find(&format!("data-figure=\"{name}\">")).unwrap() + name.len() + 15;
        row[at..at + row[at..].find('<').unwrap()].parse::<i64>().unwrap()
    };
    [cell("posts"), cell("filled"), cell("check_ins"), cell("complaints")]
}

/// The dashboard chart's data, as `charts.js` reads it from the `data-chart` attribute.
fn chart_data(page: &str) -> Value {
    let start = page.find("data-chart=\"").unwrap() + "data-chart=\"".len();
    let raw = &page[start..start + page[start..].find('"').unwrap()];
    serde_json::from_str(&raw.replace("&#34;", "\"").replace("&#38;", "&")).unwrap()
}

/// A post in `tenant` whose dates are relative to the host's clock (which tests move).
fn job_now(app: &TestApp, tenant: &str, title: &str) -> Value {
    let now = app.clock.now();
    let today = gigmarket::clock::china_date(now);
    let mut j = job(tenant, title);
    j["work_start"] = json!((today + chrono::Duration::days(1)).to_string());
    j["work_end"] = json!((today + chrono::Duration::days(2)).to_string());
    j["closes_at"] = json!((now + chrono::Duration::hours(24)).to_rfc3339());
    j
}

async fn check_in(app: &TestApp, who: &Person, tenant: &str) -> (u16, Value) {
    app.call_as(&who.token, Method::POST, &format!("/api/v1/tenants/{tenant}/check-ins"), None)
        .await
}

async fn complain(app: &TestApp, who: &Person, tenant: &str) {
    let body = json!({"tenant": tenant, "kind": "other",
        "description": "在工地干了五天小工,老板至今未付工资一千元"});
    let (status, case) =
        app.call_as(&who.token, Method::POST, "/api/v1/complaints", Some(body)).await;
    assert_eq!(status, 201, "{case}");
}

/// A worker applies, is offered the place and accepts it: one place filled.
async fn fill(app: &TestApp, boss: &Person, w: &Person, job: &str) {
    let path = format!("/api/v1/jobs/{job}/applications");
    let (status, e) = app.call_as(&w.token, Method::POST, &path, None).await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_str().unwrap();
    for (who, action) in [(boss, "offer"), (w, "accept")] {
        let path = format!("/api/v1/engagements/{id}/{action}");
        let (status, e) = app.call_as(&who.token, Method::POST, &path, None).await;
        assert_eq!(status, 200, "{action}: {e}");
    }
}

/// Posts, a filled place, check-ins and complaints in 兰考县 (one at a station of it) and 杞县
/// are counted for their county; what was done 31 days earlier is not.
async fn the_dashboard_counts_each_county_over_the_last_30_days(app: TestApp) {
    let boss = employer(&app, 21, true).await;
    let w1 = worker(&app, 21, &["4-02-05-01"], (114.82, 34.82), true).await;
    // Done 31 days ago: a post, a check-in and a complaint in 兰考县.
    open_job(&app, &boss, job_now(&app, "lankao", "旧的装卸工")).await;
    assert_eq!(check_in(&app, &w1, "lankao").await.0, 200);
    complain(&app, &w1, "lankao").await;
    app.clock.advance(chrono::Duration::days(31));

    let boss = login(&app, "13700000021", "kaifeng2026").await;
    let w1 = login(&app, "13900000021", "kaifeng2026").await;
    let w2 = worker(&app, 22, &["4-02-05-01"], (114.82, 34.82), true).await;
    let lankao_job = open_job(&app, &boss, job_now(&app, "lankao", "仓库装卸工")).await;
    open_job(&app, &boss, job_now(&app, "lankao-lanyang", "驿站搬运工")).await;
    open_job(&app, &boss, job_now(&app, "qixian", "杞县大蒜分拣")).await;
    fill(&app, &boss, &w1, &lankao_job).await;
    assert_eq!(check_in(&app, &w1, "lankao").await.0, 200);
    assert_eq!(check_in(&app, &w1, "lankao").await.0, 200, "again the same day");
    assert_eq!(check_in(&app, &w2, "lankao-lanyang").await.0, 200);
    assert_eq!(check_in(&app, &w2, "qixian").await.0, 200);
    complain(&app, &w1, "lankao").await;
    complain(&app, &w2, "qixian").await;

    let admin = city_admin(&app).await;
    let page = admin.get("/console").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(figures(&page.body, "lankao"), [2, 1, 2, 1], "兰考县 and its station");
    assert_eq!(figures(&page.body, "qixian"), [1, 0, 1, 1]);
    assert_eq!(figures(&page.body, "weishi"), [0, 0, 0, 0]);
    assert_eq!(figures(&page.body, "total"), [3, 1, 3, 2], "nothing from 31 days ago");
    // The chart draws the same figures, from a data- attribute (no inline script).
    let chart = chart_data(&page.body);
    let at =
        |area: &str| chart["areas"].as_array().unwrap().iter().position(|a| a == area).unwrap();
    let series = chart["series"].as_array().unwrap();
    let names: Vec<&str> = series.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["发布岗位", "招满名额", "扫码登记", "投诉"]);
    let drawn = |area: &str| -> Vec<i64> {
        series.iter().map(|s| s["data"][at(area)].as_i64().unwrap()).collect()
    };
    assert_eq!(drawn("兰考县"), [2, 1, 2, 1]);
    assert_eq!(drawn("杞县"), [1, 0, 1, 1]);
    assert!(page.body.contains("/assets/charts.") && page.body.contains("/assets/echarts.simple"));
    assert!(!page.body.contains("<script>"), "no inline script");
}

/// The fields of a station of 兰考县 for the create form.
fn station(code: &str, name: &str) -> Vec<(&'static str, String)> {
    [
        ("kind", "station"),
        ("parent", "lankao"),
        ("code", code),
        ("name", name),
        ("region_code", "410225"),
        ("address", "兰考县惠安街道便民服务中心"),
        ("opening_hours", "周一至周六 07:00-17:00"),
        ("hotline", "0371-23225009"),
        ("complaint_channel", "12333 人社服务热线"),
        ("operator", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

async fn post_fields(v: &Visitor, path: &str, fields: &[(&'static str, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    v.post(path, &pairs).await
}

async fn tenant(app: &TestApp, code: &str) -> (u16, Value) {
    app.get_json(&format!("/api/v1/tenants/{code}")).await
}

async fn audit_actions(app: &TestApp, action: &str) -> Vec<Value> {
    let (status, body) = app.admin_get(&format!("/api/v1/audit?action={action}")).await;
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().clone()
}

/// A station is created through the form (a name the naming plugin refuses shows its reasons
/// and creates nothing), renamed (likewise), and withdrawn: then no post or check-in is taken
/// there, and each change is audited.
async fn a_station_is_created_renamed_and_withdrawn_through_the_console(app: TestApp) {
    let admin = city_admin(&app).await;
    let refused =
        post_fields(&admin, "/console/tenants", &station("lankao-huian", "惠安服务点")).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("名称不符合命名规范"), "{}", refused.body);
    assert!(refused.body.contains("naming.suffix"), "the plugin's reason is shown");
    assert!(refused.body.contains("value=\"惠安服务点\""), "what was typed stays");
    assert_eq!(tenant(&app, "lankao-huian").await.0, 404, "nothing created");

    let made =
        post_fields(&admin, "/console/tenants", &station("lankao-huian", "惠安街道零工驿站")).await;
    assert_eq!(
        (made.status, made.location.as_deref()),
        (303, Some("/console?done=created&code=lankao-huian"))
    );
    let home = admin.get("/console?done=created&code=lankao-huian").await;
    assert!(home.body.contains("已新建市场:lankao-huian"));
    assert!(
        home.body.contains("<a href=\"/console/lankao-huian\">惠安街道零工驿站</a>"),
        "in the tree"
    );
    assert_eq!(tenant(&app, "lankao-huian").await.1["parent"], "lankao");
    assert_eq!(audit_actions(&app, "tenant.create").await[0]["target"], "lankao-huian");

    let bad = admin.post("/console/tenants/lankao-huian", &[("name", "惠安站")]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("名称不符合命名规范") && bad.body.contains("aria-invalid=\"true\""));
    assert_eq!(tenant(&app, "lankao-huian").await.1["name"], "惠安街道零工驿站", "unchanged");
    let renamed =
        admin.post("/console/tenants/lankao-huian", &[("name", "惠民街道零工驿站")]).await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert_eq!(tenant(&app, "lankao-huian").await.1["name"], "惠民街道零工驿站");
    let unknown =
        admin.post("/console/tenants/no-such-market", &[("name", "惠民街道零工驿站")]).await;
    assert_eq!(unknown.status, 404);

    let county = admin.post("/console/tenants/lankao/withdraw", &[]).await;
    assert_eq!(county.status, 409, "a county with stations open");
    assert!(county.body.contains("请先退出下属市场"), "{}", county.body);
    assert_eq!(tenant(&app, "lankao").await.1["status"], "active");
    let gone = admin.post("/console/tenants/lankao-huian/withdraw", &[]).await;
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert_eq!(tenant(&app, "lankao-huian").await.1["status"], "withdrawn");
    let entry = &audit_actions(&app, "tenant.withdraw").await[0];
    assert_eq!(entry["target"], "lankao-huian");
    let (status, again) = app.admin_post("/api/v1/tenants/lankao-huian/withdraw", &json!({})).await;
    assert_eq!((status, again["error"]["code"].as_str()), (409, Some("already_withdrawn")));

    let boss = employer(&app, 31, true).await;
    let (status, err) = post_job(&app, &boss, job_now(&app, "lankao-huian", "装卸工")).await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("market_not_active")));
    let w = worker(&app, 31, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, err) = check_in(&app, &w, "lankao-huian").await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("market_not_active")));

    // Bad input: empty, wrong kind, too long, hostile — field errors, escaped, never a 500.
    let empty = admin.post("/console/tenants", &[]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("id=\"kind-error\"") && empty.body.contains("请选择市场类型"));
    let mut wrong = station("lankao-x1", "惠安街道零工驿站");
    wrong[0].1 = "palace".into();
    assert!(post_fields(&admin, "/console/tenants", &wrong).await.body.contains("请选择市场类型"));
    let long =
        post_fields(&admin, "/console/tenants", &station("lankao-x2", &"驿".repeat(5000))).await;
    assert_eq!(long.status, 422, "{}", long.body);
    let mut hostile = station(HOSTILE, HOSTILE);
    hostile[5].1 = HOSTILE.into();
    let h = post_fields(&admin, "/console/tenants", &hostile).await;
    assert!(h.status < 500 && h.status >= 400, "{}", h.body);
    assert!(!h.body.contains(HOSTILE) && h.body.contains(ESCAPED), "{}", h.body);
    let r = admin.post("/console/tenants/lankao-lanyang", &[("name", HOSTILE)]).await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains(HOSTILE) && r.body.contains(ESCAPED));
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["name"], "兰阳街道零工驿站");
}

/// The console's own words cannot be market codes (they would shadow `/console/{code}`): a clear
/// field error on the page and over the API.
async fn console_words_are_refused_as_market_codes(app: TestApp) {
    let admin = city_admin(&app).await;
    for word in ["tenants", "permissions", "audit", "dashboard"] {
        let answer =
            post_fields(&admin, "/console/tenants", &station(word, "惠安街道零工驿站")).await;
        assert_eq!(answer.status, 422, "{word}: {}", answer.body);
        assert!(answer.body.contains("id=\"code-error\""), "next to the code: {}", answer.body);
        assert!(answer.body.contains("是市级后台页面的保留字"), "{}", answer.body);
        assert_eq!(tenant(&app, word).await.0, 404);
    }
    let body = json!({"code": "audit", "kind": "station", "parent": "lankao", "name": "惠安街道零工驿站",
        "region_code": "410225", "address": "兰考县惠安街道", "opening_hours": "每日 07:00-17:00",
        "hotline": "0371-23225009", "complaint_channel": "12333", "status": "active"});
    let (status, err) = app.admin_post("/api/v1/tenants", &body).await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("code")), "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("reserved"));
}

async fn policy_count(app: &TestApp) -> usize {
    let (_, body) = app.admin_get("/api/v1/authz/policies").await;
    body["policies"].as_array().unwrap().len()
}

/// Granting station staff `plugins: read` on the page lets a clerk list plugins over the JSON
/// API; revoking it takes that away; both are audited. Unknown values are field errors.
async fn a_permission_granted_and_revoked_on_the_page_changes_access_over_the_api(app: TestApp) {
    let admin = city_admin(&app).await;
    let clerk = staff(&app, "13600000003", "station_staff", "lankao-lanyang").await;
    let plugins = || app.call_as(&clerk.token, Method::GET, "/api/v1/plugins", None);
    assert_eq!(plugins().await.0, 403);
    let before = policy_count(&app).await;
    let grant =
        [("op", "grant"), ("role", "station_staff"), ("object", "plugins"), ("action", "read")];
    let answer = admin.post("/console/permissions", &grant).await;
    assert_eq!(answer.location.as_deref(), Some("/console/permissions?done=granted"));
    assert_eq!(plugins().await.0, 200, "granted");
    let page = admin.get("/console/permissions?done=granted").await;
    assert!(
        page.body.contains("已授予权限")
            && page.body.contains("data-policy=\"station_staff:plugins:read\"")
    );
    let revoke =
        [("op", "revoke"), ("role", "station_staff"), ("object", "plugins"), ("action", "read")];
    assert_eq!(admin.post("/console/permissions", &revoke).await.status, 303);
    assert_eq!(plugins().await.0, 403, "revoked");
    assert_eq!(policy_count(&app).await, before);
    let granted = audit_actions(&app, "authz.grant").await;
    let revoked = audit_actions(&app, "authz.revoke").await;
    assert_eq!((granted.len(), revoked.len()), (1, 1));
    assert_eq!(granted[0]["actor"], revoked[0]["actor"]);
    assert!(granted[0]["detail"].as_str().unwrap().contains("plugins"));

    let long = "x".repeat(5000);
    for (field, value, words) in [
        ("object", "nukes", "未知的对象"),
        ("object", long.as_str(), "未知的对象"),
        ("role", HOSTILE, "角色必须是工作人员角色"),
        ("role", "worker", "角色必须是工作人员角色"),
        ("action", "delete", "动作只能是"),
        ("op", "drop", "请选择授予或收回"),
        ("action", "", "动作只能是"),
    ] {
        let mut form = grant.to_vec();
        form.iter_mut().find(|(k, _)| *k == field).unwrap().1 = value;
        let answer = admin.post("/console/permissions", &form).await;
        assert_eq!(answer.status, 400, "{field}={value}: {}", answer.body);
        assert!(answer.body.contains(&format!("id=\"{field}-error\"")), "{}", answer.body);
        assert!(answer.body.contains(words), "{field}: {}", answer.body);
        assert!(!answer.body.contains(HOSTILE));
    }
    assert_eq!(policy_count(&app).await, before, "nothing changed");
    assert_eq!(audit_actions(&app, "authz.grant").await.len(), 1);
}

/// The audit page shows entries by action and actor, 50 a page with a link to the next, and the
/// chain's verification.
async fn the_audit_page_filters_pages_and_verifies_the_chain(app: TestApp) {
    let admin = city_admin(&app).await;
    let pair =
        |op| [("op", op), ("role", "station_staff"), ("object", "plugins"), ("action", "read")];
    for _ in 0..28 {
        assert_eq!(admin.post("/console/permissions", &pair("grant")).await.status, 303);
        assert_eq!(admin.post("/console/permissions", &pair("revoke")).await.status, 303);
    }
    let first = admin.get("/console/audit?action=authz.grant").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body.matches("data-action=\"authz.grant\"").count(), 28);
    assert_eq!(first.body.matches("data-action=").count(), 28, "only grants");
    let all = admin.get("/console/audit").await;
    assert_eq!(all.body.matches("data-seq=").count(), 50, "a page of 50");
    let next = all.body.split("<p class=\"more\"><a class=\"button\" href=\"").nth(1).unwrap();
    let next = next[..next.find('"').unwrap()].replace("&#x3d;", "=").replace("&amp;", "&");
    assert!(next.starts_with("/console/audit?before="), "{next}");
    let second = admin.get(&next).await;
    let rest = second.body.matches("data-seq=").count();
    assert!(rest >= 6, "the older entries: {rest}");
    let (_, api) = app.admin_get("/api/v1/audit?limit=1000").await;
    assert_eq!(50 + rest, api["entries"].as_array().unwrap().len(), "every entry on two pages");

    let (_, by_admin) = app.admin_get("/api/v1/audit?action=authz.revoke&limit=1").await;
    let actor = by_admin["entries"][0]["actor"].as_str().unwrap().to_string();
    let mine = admin.get(&format!("/console/audit?actor={actor}&action=authz.revoke")).await;
    assert_eq!(mine.body.matches("data-action=\"authz.revoke\"").count(), 28);
    let nobody = admin.get("/console/audit?actor=nobody").await;
    assert!(nobody.body.contains("没有符合条件的记录"));

    let verified = admin.get("/console/audit/verify").await;
    assert_eq!(verified.status, 200);
    assert!(
        verified.body.contains("data-verify=\"intact\"")
            && verified.body.contains("哈希链校验通过")
    );
    sqlx::query("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
        .execute(app.store.pool())
        .await
        .unwrap();
    let broken = admin.get("/console/audit/verify").await;
    assert!(
        broken.body.contains("data-verify=\"broken\"") && broken.body.contains("第 3 条"),
        "{}",
        broken.body
    );

    let bad = admin.get("/console/audit?before=abc").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("翻页位置无效"));
    let q: String = url::form_urlencoded::byte_serialize(HOSTILE.as_bytes()).collect();
    let hostile = admin.get(&format!("/console/audit?action={q}&actor={}", "a".repeat(5000))).await;
    assert_eq!(hostile.status, 200);
    assert!(!hostile.body.contains(HOSTILE) && hostile.body.contains(ESCAPED));
}

/// The auditor opens the console, the permissions and the audit log (without forms), and every
/// form post is refused with a 403 page and nothing written.
async fn the_auditor_reads_the_console_and_every_post_is_refused(app: TestApp) {
    staff(&app, "13600000005", "auditor", "kaifeng").await;
    let eye = Visitor::new(&app);
    eye.login("13600000005", "staff2026pw").await;
    for path in ["/console", "/console/permissions", "/console/audit", "/console/audit/verify"] {
        let page = eye.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(!page.body.contains("method=\"post\" action=\"/console"), "{path} shows no forms");
    }
    assert!(eye.get("/console").await.body.contains("data-area=\"lankao\""), "the dashboard");
    let (_, before) = app.admin_get("/api/v1/audit?limit=1000").await;
    let policies = policy_count(&app).await;
    let tries: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/console/tenants",
            station("lankao-huian", "惠安街道零工驿站").iter().map(|(k, _)| (*k, "x")).collect(),
        ),
        ("/console/tenants/lankao-lanyang", vec![("name", "惠民街道零工驿站")]),
        ("/console/tenants/lankao-lanyang/withdraw", vec![]),
        (
            "/console/permissions",
            vec![("op", "grant"), ("role", "auditor"), ("object", "*"), ("action", "write")],
        ),
    ];
    for (path, fields) in tries {
        let answer = eye.post(path, &fields).await;
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert!(answer.body.contains("data-error=\"forbidden\""), "a page: {}", answer.body);
    }
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["status"], "active");
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["name"], "兰阳街道零工驿站");
    assert_eq!(policy_count(&app).await, policies);
    let (_, after) = app.admin_get("/api/v1/audit?limit=1000").await;
    assert_eq!(before["entries"], after["entries"], "nothing audited, nothing written");
}

/// A county administrator (whose grant starts below the city) and a worker get a 403 page at
/// every city console page; nobody is sent to log in.
async fn county_staff_and_workers_cannot_open_the_city_console(app: TestApp) {
    staff(&app, "13600000002", "county_admin", "lankao").await;
    let county = Visitor::new(&app);
    county.login("13600000002", "staff2026pw").await;
    worker(&app, 41, &["4-02-05-01"], (114.82, 34.82), false).await;
    let w = Visitor::new(&app);
    w.login("13900000041", "kaifeng2026").await;
    for v in [&county, &w] {
        for path in ["/console", "/console/permissions", "/console/audit", "/console/audit/verify"]
        {
            let page = v.get(path).await;
            assert_eq!(page.status, 403, "{path}: {}", page.body);
            assert!(page.body.contains("data-error=\"forbidden\""));
        }
        let answer = v.post("/console/tenants/lankao-lanyang/withdraw", &[]).await;
        assert_eq!(answer.status, 403);
    }
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["status"], "active");
    let nobody = Visitor::new(&app).get("/console").await;
    assert_eq!((nobody.status, nobody.location.as_deref()), (303, Some("/login?next=%2Fconsole")));
}

/// Every console form posted without its CSRF token is refused before anything is written.
async fn console_forms_without_the_csrf_token_write_nothing(app: TestApp) {
    let admin = city_admin(&app).await;
    let fields = station("lankao-huian", "惠安街道零工驿站");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let policies = policy_count(&app).await;
    let grant =
        [("op", "grant"), ("role", "station_staff"), ("object", "plugins"), ("action", "read")];
    for (path, form) in [
        ("/console/tenants", pairs.clone()),
        ("/console/tenants/lankao-lanyang", vec![("name", "惠民街道零工驿站")]),
        ("/console/tenants/lankao-lanyang/withdraw", vec![]),
        ("/console/permissions", grant.to_vec()),
    ] {
        let answer = admin.post_raw(path, &form).await;
        assert_eq!(answer.status, 403, "{path}");
        assert!(answer.body.contains("data-error=\"csrf_failed\""));
    }
    assert_eq!(tenant(&app, "lankao-huian").await.0, 404);
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["status"], "active");
    assert_eq!(tenant(&app, "lankao-lanyang").await.1["name"], "兰阳街道零工驿站");
    assert_eq!(policy_count(&app).await, policies);
}
