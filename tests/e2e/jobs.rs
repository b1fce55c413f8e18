//! Job posts over HTTP: who may post, the tenant's review (accept, reject, hold for staff),
//! field errors, the city and market feeds with filters, Chinese keywords, distance and
//! cursors, expiry, QR codes and market check-ins.

use gigmarket_e2e::people::{
    self, Person, employer, in_minutes, job, open_job, post_job, staff, worker,
};
use gigmarket_e2e::{TestApp, assert_error, db_tests};
use reqwest::Method;
use serde_json::{Value, json};

db_tests!(
    only_verified_employers_post_and_the_review_decides,
    held_posts_wait_for_the_markets_staff,
    bad_posts_are_refused_field_by_field,
    the_feeds_filter_search_and_page,
    closed_hiring_leaves_the_feed_and_expires,
    only_the_employer_closes_a_post_and_only_once,
    qr_codes_open_the_job_and_check_in_at_the_market
);

fn with(mut body: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn feed(app: &TestApp, query: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/jobs?{query}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn titles(page: &Value) -> Vec<String> {
    page["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["title"].as_str().unwrap().to_string())
        .collect()
}

async fn only_verified_employers_post_and_the_review_decides(app: TestApp) {
    let unverified = employer(&app, 1, false).await;
    let (status, body) = post_job(&app, &unverified, job("lankao", "仓库装卸工")).await;
    assert_eq!(status, 403);
    assert_error(&body, "employer_unverified");
    let w = worker(&app, 1, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, body) = post_job(&app, &w, job("lankao", "仓库装卸工")).await;
    assert_eq!(status, 403);
    assert_error(&body, "employers_only");

    let boss = employer(&app, 2, true).await;
    let (status, posted) = post_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    assert_eq!(status, 201, "{posted}");
    assert_eq!(posted["status"], "open");
    assert_eq!(posted["review_reasons"][0]["code"], "review.ok");
    assert_eq!(posted["contact_phone"], "13712345678", "the owner sees the number");
    let receipt = posted["review_decision"].as_str().expect("the review keeps a receipt");
    let (status, replay) =
        app.admin_post(&format!("/api/v1/decisions/{receipt}/replay"), &json!({})).await;
    assert_eq!((status, replay["identical"].as_bool()), (200, Some(true)), "{replay}");

    let (_, public) =
        app.get_json(&format!("/api/v1/jobs/{}", posted["id"].as_str().unwrap())).await;
    assert_eq!(public["contact_phone"], "137****5678", "the public sees it masked");
    assert_eq!(
        (public["occupation_name"].as_str(), public["district_name"].as_str()),
        (Some("装卸搬运工"), Some("兰考县"))
    );

    let biased = with(job("lankao", "搬运工"), json!({"requirements": ["限男性", "能吃苦"]}));
    let (status, rejected) = post_job(&app, &boss, biased).await;
    assert_eq!((status, rejected["status"].as_str()), (201, Some("rejected")), "{rejected}");
    let codes: Vec<&str> = rejected["review_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.iter().any(|c| c.starts_with("discrimination")), "{codes:?}");
    let (status, _) =
        app.get_json(&format!("/api/v1/jobs/{}", rejected["id"].as_str().unwrap())).await;
    assert_eq!(status, 404, "a rejected post is not public");
    let (_, mine) = app.call_as(&boss.token, Method::GET, "/api/v1/me/jobs", None).await;
    assert_eq!(
        mine["jobs"].as_array().unwrap().len(),
        2,
        "the employer sees both, with the reasons: {mine}"
    );
    assert_eq!(titles(&feed(&app, "").await), ["仓库装卸工"]);
}

async fn held_posts_wait_for_the_markets_staff(app: TestApp) {
    let boss = employer(&app, 3, true).await;
    let long_days = with(job("lankao", "夜班装卸"), json!({"daily_hours": 11.0}));
    let (status, held) = post_job(&app, &boss, long_days).await;
    assert_eq!((status, held["status"].as_str()), (201, Some("held")), "{held}");
    let id = held["id"].as_str().unwrap();
    assert!(titles(&feed(&app, "").await).is_empty(), "held posts are not published");

    let lankao = staff(&app, "13600000001", "county_admin", "lankao").await;
    let qixian = staff(&app, "13600000002", "county_admin", "qixian").await;
    let (status, queue) =
        app.call_as(&lankao.token, Method::GET, "/api/v1/tenants/lankao/jobs/held", None).await;
    assert_eq!(status, 200);
    assert_eq!(queue["jobs"][0]["id"], id);
    let (status, body) =
        app.call_as(&qixian.token, Method::GET, "/api/v1/tenants/lankao/jobs/held", None).await;
    assert_eq!(status, 403);
    assert_error(&body, "forbidden");
    let review = format!("/api/v1/tenants/lankao/jobs/{id}/review");
    let (status, body) =
        app.call_as(&qixian.token, Method::POST, &review, Some(json!({"approve": true}))).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) =
        app.call_as(&lankao.token, Method::POST, &review, Some(json!({"approve": false}))).await;
    assert_eq!(status, 400);
    assert_error(&body, "reason_required");

    let (status, approved) =
        app.call_as(&lankao.token, Method::POST, &review, Some(json!({"approve": true}))).await;
    assert_eq!((status, approved["status"].as_str()), (200, Some("open")), "{approved}");
    assert_eq!(approved["review_reasons"][0]["code"], "staff.approved");
    assert_eq!(titles(&feed(&app, "").await), ["夜班装卸"]);
    let (status, body) =
        app.call_as(&lankao.token, Method::POST, &review, Some(json!({"approve": true}))).await;
    assert_eq!(status, 409);
    assert_error(&body, "job_not_held");
    let (_, audit) = app.admin_get("/api/v1/audit?tenant=lankao").await;
    assert!(audit.to_string().contains("job.review"), "the decision is audited: {audit}");
}

async fn bad_posts_are_refused_field_by_field(app: TestApp) {
    let boss = employer(&app, 4, true).await;
    let cases = [
        (json!({"occupation_code": "9-99-99-99"}), "occupation_code"),
        (json!({"district": "410211"}), "district"),
        (json!({"district": "110105"}), "district"),
        (json!({"location": {"lon": 116.4, "lat": 39.9}}), "location"),
        (json!({"headcount": 0}), "headcount"),
        (json!({"work_start": "2026-13-01"}), "work_start"),
        (json!({"work_end": people::day(-5)}), "work_end"),
        (json!({"closes_at": in_minutes(-10)}), "closes_at"),
        (json!({"closes_at": "明天下午"}), "closes_at"),
        (json!({"work_start": "+10000-01-01"}), "work_start"),
        (json!({"work_start": "0000-01-01"}), "work_start"),
        (json!({"work_end": "2101-01-01"}), "work_end"),
        (json!({"closes_at": "9999-12-31T23:59:59Z"}), "closes_at"),
        (json!({"closes_at": "+10000-01-01T00:00:00Z"}), "closes_at"),
        (json!({"wage_cents": -1}), "wage_cents"),
        (json!({"daily_hours": 30.0}), "daily_hours"),
        (json!({"contact_phone": "12345"}), "contact_phone"),
        (json!({"title": "招"}), "title"),
        (json!({"tenant": "nowhere"}), "tenant"),
    ];
    for (change, field) in cases {
        let (status, body) =
            post_job(&app, &boss, with(job("lankao", "仓库装卸工"), change.clone())).await;
        assert_eq!(status, if field == "tenant" { 404 } else { 400 }, "{change} → {body}");
        assert_eq!(body["error"]["field"], field, "{change} → {body}");
    }
    let (status, body) =
        post_job(&app, &boss, with(job("lankao", "仓库装卸工"), json!({"wage_unit": "week"})))
            .await;
    assert_eq!(status, 400, "{body}");
    let (_, mine) = app.call_as(&boss.token, Method::GET, "/api/v1/me/jobs", None).await;
    assert!(mine["jobs"].as_array().unwrap().is_empty(), "nothing was stored: {mine}");
}

/// Six posts across markets, occupations, wages and places.
async fn six_posts(app: &TestApp, boss: &Person) {
    let posts = [
        json!({"tenant": "lankao", "title": "兰考仓库装卸工", "location": {"lon": 114.82, "lat": 34.82}}),
        json!({"tenant": "lankao-lanyang", "title": "兰阳街道搬运工", "description": "商户搬运货物,日结", "location": {"lon": 114.83, "lat": 34.83}, "wage_cents": 25000}),
        json!({"tenant": "lankao", "title": "家政保洁钟点工", "occupation_code": "4-10-05-02", "description": "家庭日常保洁,按小时计", "address": "兰考县桐乡街道幸福小区", "wage_cents": 3000, "wage_unit": "hour", "daily_hours": 4.0, "settlement": "weekly", "location": {"lon": 114.90, "lat": 34.85}}),
        json!({"tenant": "qixian", "title": "杞县大蒜分拣工", "district": "410221", "occupation_code": "5-01-02-01", "description": "大蒜分拣装箱", "address": "杞县金城街道农贸市场", "location": {"lon": 114.78, "lat": 34.55}}),
        json!({"tenant": "kaifeng", "title": "市区快递分拣员", "district": "410204", "occupation_code": "4-02-07-09", "description": "快递中转站夜间分拣", "address": "开封市鼓楼区快递中转站", "location": {"lon": 114.35, "lat": 34.79}, "settlement": "monthly", "wage_cents": 450000, "wage_unit": "month"}),
        json!({"tenant": "lankao", "title": "东坝头仓库装卸", "location": {"lon": 114.90, "lat": 34.90}}),
    ];
    for p in posts {
        open_job(app, boss, with(job("lankao", ""), p)).await;
    }
}

async fn the_feeds_filter_search_and_page(app: TestApp) {
    let boss = employer(&app, 5, true).await;
    six_posts(&app, &boss).await;
    let all = feed(&app, "").await;
    assert_eq!(all["jobs"].as_array().unwrap().len(), 6);
    assert_eq!(titles(&all)[0], "东坝头仓库装卸", "newest first");

    let (_, lankao) = app.get_json("/api/v1/tenants/lankao/jobs").await;
    let mut t = titles(&lankao);
    t.sort();
    assert_eq!(
        t,
        ["东坝头仓库装卸", "兰考仓库装卸工", "兰阳街道搬运工", "家政保洁钟点工"],
        "the county feed includes its stations, not other counties"
    );
    let (_, station) = app.get_json("/api/v1/tenants/lankao-lanyang/jobs").await;
    assert_eq!(titles(&station), ["兰阳街道搬运工"]);

    assert_eq!(titles(&feed(&app, "district=410221").await), ["杞县大蒜分拣工"]);
    assert_eq!(titles(&feed(&app, "occupation=4-10-05-02").await), ["家政保洁钟点工"]);
    assert_eq!(titles(&feed(&app, "settlement=monthly").await), ["市区快递分拣员"]);
    assert_eq!(
        titles(&feed(&app, "wage_min=21000").await),
        ["兰阳街道搬运工"],
        "per-day wages: ¥250/day beats ¥200/day, ¥120/day (hourly) and ¥207/day (monthly)"
    );
    assert_eq!(titles(&feed(&app, "wage_max=15000").await), ["家政保洁钟点工"]);

    let q = |s: &str| format!("q={}", urlencode(s));
    let mut found = titles(&feed(&app, &q("装卸")).await);
    found.sort();
    assert_eq!(
        found,
        ["东坝头仓库装卸", "兰考仓库装卸工", "兰阳街道搬运工"],
        "装卸 is also in the occupation 装卸搬运工"
    );
    assert_eq!(titles(&feed(&app, &q("保洁")).await), ["家政保洁钟点工"]);
    assert_eq!(titles(&feed(&app, &q("大蒜")).await), ["杞县大蒜分拣工"]);
    assert!(titles(&feed(&app, &q("仓库 保洁")).await).is_empty(), "every word must match");
    assert!(titles(&feed(&app, &q("!!")).await).is_empty());

    let near = feed(&app, &format!("lon=114.82&lat=34.82&radius_km=5&{}", q("装卸"))).await;
    assert_eq!(titles(&near), ["兰考仓库装卸工", "兰阳街道搬运工"], "东坝头 is ~11 km away");
    let around = feed(&app, "lon=114.82&lat=34.82&radius_km=20").await;
    assert_eq!(
        titles(&around),
        ["兰考仓库装卸工", "兰阳街道搬运工", "家政保洁钟点工", "东坝头仓库装卸"],
        "nearest first"
    );
    let d: Vec<f64> = around["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["distance_km"].as_f64().unwrap())
        .collect();
    assert!(d[0] < 0.01 && d.windows(2).all(|w| w[0] <= w[1]) && d[3] < 20.0, "{d:?}");

    for query in ["", "lon=114.82&lat=34.82&radius_km=40"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let c = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = feed(&app, format!("{query}&limit=4{c}").trim_start_matches('&')).await;
            seen.extend(titles(&page));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        let expected = if query.is_empty() { 6 } else { 5 };
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            (seen.len(), unique.len()),
            (expected, expected),
            "pages neither skip nor repeat ({query}): {seen:?}"
        );
    }
    for (bad, field) in [
        ("cursor=xyz", "cursor"),
        ("limit=0", "limit"),
        ("lon=114.8&lat=34.8", "radius_km"),
        ("settlement=yearly", "settlement"),
        ("radius_km=500&lon=114.8&lat=34.8", "radius_km"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/jobs?{bad}")).await;
        assert_eq!((status, body["error"]["field"].as_str()), (400, Some(field)), "{bad}: {body}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}

async fn closed_hiring_leaves_the_feed_and_expires(app: TestApp) {
    let boss = employer(&app, 6, true).await;
    let id = open_job(
        &app,
        &boss,
        with(job("lankao", "马上截止的岗位"), json!({"closes_at": in_minutes(60)})),
    )
    .await;
    let kept = open_job(&app, &boss, job("lankao", "长期岗位")).await;
    assert_eq!(titles(&feed(&app, "").await).len(), 2);
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(titles(&feed(&app, "").await), ["长期岗位"], "the feed hides it before any sweep");
    let swept = gigmarket::housekeeping::sweep(&app.store, &app.rules).await;
    assert_eq!(swept.expired, 1, "{swept:?}");
    assert_eq!(gigmarket::housekeeping::sweep(&app.store, &app.rules).await.expired, 0, "once");
    let (_, mine) =
        app.call_as(&boss.token, Method::GET, &format!("/api/v1/jobs/{id}"), None).await;
    assert_eq!(mine["status"], "expired", "the sweep marked it: {mine}");
    let w = worker(&app, 2, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, body) =
        app.call_as(&w.token, Method::POST, &format!("/api/v1/jobs/{id}/applications"), None).await;
    assert_eq!(status, 409);
    assert_error(&body, "job_not_open");
    let (status, closed) =
        app.call_as(&boss.token, Method::POST, &format!("/api/v1/jobs/{kept}/close"), None).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
    assert!(titles(&feed(&app, "").await).is_empty());
}

fn decode_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    grids[0].decode().unwrap().1
}

async fn qr_codes_open_the_job_and_check_in_at_the_market(app: TestApp) {
    let boss = employer(&app, 7, true).await;
    let id = open_job(&app, &boss, job("lankao", "仓库装卸工")).await;
    let resp = app.client.get(app.at(&format!("/api/v1/jobs/{id}/qr.png"))).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "image/png");
    let link = decode_png(&resp.bytes().await.unwrap());
    assert_eq!(link, app.at(&format!("/jobs/{id}")), "the QR code opens the post's page");
    let opened = app.client.get(&link).send().await.unwrap();
    assert_eq!(opened.status(), 200);
    assert!(opened.text().await.unwrap().contains("<h1>仓库装卸工</h1>"), "the post's page");
    let svg = app
        .client
        .get(app.at(&format!("/api/v1/jobs/{id}/qr.svg")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<path"), "{svg}");

    let resp = app.client.get(app.at("/api/v1/tenants/lankao/qr.png")).send().await.unwrap();
    let link = decode_png(&resp.bytes().await.unwrap());
    assert_eq!(link, app.at("/markets/lankao/check-in"), "the market's check-in page");
    let w = worker(&app, 3, &["4-02-05-01"], (114.82, 34.82), true).await;
    let (status, first) =
        app.call_as(&w.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
    assert_eq!((status, first["new"].as_bool()), (200, Some(true)), "{first}");
    let (_, again) =
        app.call_as(&w.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
    assert_eq!(again["new"], false, "one check-in a day");
    let (status, body) =
        app.call_as(&boss.token, Method::POST, "/api/v1/tenants/lankao/check-ins", None).await;
    assert_eq!(status, 403);
    assert_error(&body, "workers_only");
    let lankao = staff(&app, "13600000003", "station_staff", "lankao-lanyang").await;
    let (status, _) =
        app.call_as(&lankao.token, Method::GET, "/api/v1/tenants/lankao/check-ins", None).await;
    assert_eq!(status, 403, "a station's staff do not read the county's list");
    let (status, list) = app.admin_get("/api/v1/tenants/lankao/check-ins").await;
    assert_eq!((status, list["accounts"][0].as_str()), (200, Some(w.id.as_str())), "{list}");
    let (status, _) = app.get_json("/api/v1/jobs/nope/qr.png").await;
    assert_eq!(status, 404);
}

async fn only_the_employer_closes_a_post_and_only_once(app: TestApp) {
    let boss = employer(&app, 31, true).await;
    let rival = employer(&app, 32, true).await;
    let id = open_job(&app, &boss, job("lankao", "要关闭的岗位")).await;
    let close = |who: &Person| {
        let (app, token, path) = (&app, who.token.clone(), format!("/api/v1/jobs/{id}/close"));
        async move { app.call_as(&token, Method::POST, &path, None).await }
    };
    let (status, body) = close(&rival).await;
    assert_eq!(status, 404, "another employer's post is not found: {body}");
    assert_error(&body, "job_not_found");
    assert_eq!(
        app.get_json(&format!("/api/v1/jobs/{id}")).await.1["status"],
        "open",
        "nothing changed"
    );
    let (status, closed) = close(&boss).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")), "{closed}");
    let (status, body) = close(&boss).await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, "job_not_open");
}
