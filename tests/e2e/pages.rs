//! The web pages over HTTP: every page route is served and guarded like the API's, forms without
//! the CSRF token are refused with nothing written, the session lives in an `HttpOnly` cookie,
//! errors are pages (never JSON, never a 500), and hostile input comes back escaped.

use gigmarket::authz::routes::{ROUTES, is_page};
use gigmarket_e2e::pages::Visitor;
use gigmarket_e2e::people::{employer, job, open_job, register, staff};
use gigmarket_e2e::{TestApp, db_tests};
use reqwest::Method;

db_tests!(
    every_page_route_is_served_and_every_form_needs_its_token,
    logging_in_sets_an_http_only_session_cookie_and_logging_out_ends_it,
    login_and_registration_errors_show_by_their_field_and_escape_what_was_typed,
    the_feed_searches_by_keyword_and_pages_and_names_a_bad_wage,
    pages_refuse_framing_and_foreign_scripts_and_unknown_paths_are_pages,
    every_page_answers_hostile_paths_and_queries_with_an_escaped_page_never_a_500
);

fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|seg| if seg.starts_with('{') { "no-such-thing" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every page in the authorisation table is routed (a GET answers a page or a redirect, never
/// the unknown-route page), and every form route refuses a post without the CSRF token (403,
/// the registration it carried not made).
async fn every_page_route_is_served_and_every_form_needs_its_token(app: TestApp) {
    let pages: Vec<_> = ROUTES.iter().filter(|(_, p, _)| is_page(p)).collect();
    assert!(pages.len() >= 6, "{pages:?}");
    // A city administrator passes every route's authorisation, so a refusal is the token's.
    staff(&app, "13600000001", "city_admin", "kaifeng").await;
    let visitor = Visitor::new(&app);
    visitor.login("13600000001", "staff2026pw").await;
    for (method, template, _) in &pages {
        let path = concrete(template);
        let answer = match *method {
            "GET" => visitor.get(&path).await,
            _ => {
                visitor
                    .post_raw(
                        &path,
                        &[
                            ("phone", "13700000001"),
                            ("password", "kaifeng2026"),
                            ("kind", "worker"),
                        ],
                    )
                    .await
            }
        };
        assert!(
            !answer.body.contains("data-error=\"route_not_found\"") && answer.status != 405,
            "{method} {template} is in the table but not served: {} {}",
            answer.status,
            answer.body
        );
        assert!(!answer.body.trim_start().starts_with('{'), "{method} {template} answered JSON");
        if *method == "POST" {
            assert_eq!(answer.status, 403, "{template} without a token: {}", answer.body);
            assert!(answer.body.contains("data-error=\"csrf_failed\""), "{}", answer.body);
        }
    }
    let (status, _) = app
        .post_json(
            "/api/v1/auth/login",
            &serde_json::json!({"phone": "13700000001", "password": "kaifeng2026"}),
        )
        .await;
    assert_eq!(status, 401, "the refused registration made no account");
    // A wrong token is refused too, and so is a token without its cookie.
    visitor.get("/login").await;
    let wrong = visitor
        .post_raw(
            "/register",
            &[
                ("csrf_token", "x".repeat(43).as_str()),
                ("phone", "13700000001"),
                ("password", "kaifeng2026"),
                ("kind", "worker"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let stranger = Visitor::new(&app);
    let token = visitor.cookie("gm_csrf").unwrap();
    let borrowed = stranger
        .post_raw(
            "/register",
            &[
                ("csrf_token", &token),
                ("phone", "13700000001"),
                ("password", "kaifeng2026"),
                ("kind", "worker"),
            ],
        )
        .await;
    assert_eq!(borrowed.status, 403, "a token is only good with its own cookie");
}

async fn logging_in_sets_an_http_only_session_cookie_and_logging_out_ends_it(app: TestApp) {
    register(&app, "13700000002", "worker").await;
    let visitor = Visitor::new(&app);
    let form = visitor.get("/login?next=/%3Fq%3D%E8%A3%85%E5%8D%B8").await;
    assert_eq!(form.status, 200);
    let csrf_cookie = form.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"),
        "{csrf_cookie}"
    );
    assert!(form.body.contains("name=\"next\" value=\"/?q=装卸\""), "the way back is kept");
    let answer = visitor
        .post(
            "/login",
            &[("phone", "13700000002"), ("password", "kaifeng2026"), ("next", "/?q=装卸")],
        )
        .await;
    assert_eq!(
        (answer.status, answer.location.as_deref()),
        (303, Some("/?q=%E8%A3%85%E5%8D%B8")),
        "{}",
        answer.body
    );
    let session = answer.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(
        session.starts_with("gm_session=")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain HTTP: no Secure flag");
    let token = visitor.cookie("gm_session").unwrap();
    let (status, me) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(
        (status, me["kind"].as_str()),
        (200, Some("worker")),
        "the cookie is a live session"
    );
    let home = visitor.get("/").await;
    assert!(
        home.body.contains("href=\"/me\"") && home.body.contains("action=\"/logout\""),
        "logged in"
    );

    // Only local paths are followed after login.
    let elsewhere = Visitor::new(&app);
    let answer = elsewhere
        .post(
            "/login",
            &[("phone", "13700000002"), ("password", "kaifeng2026"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(answer.location.as_deref(), Some("/me"));

    let out = visitor.post("/logout", &[]).await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/")));
    assert_eq!(visitor.cookie("gm_session"), None, "the cookie is deleted");
    let (status, _) = app.call_as(&token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(status, 401, "the session ended");

    // Behind TLS the cookies are Secure.
    let tls =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = tls.get(app.at("/login")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
}

async fn login_and_registration_errors_show_by_their_field_and_escape_what_was_typed(app: TestApp) {
    let visitor = Visitor::new(&app);
    let wrong =
        visitor.post("/login", &[("phone", "13700000003"), ("password", "nope-nope")]).await;
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.body.contains("class=\"alert\"") && wrong.body.contains("手机号或密码不正确"),
        "{}",
        wrong.body
    );
    let hostile = "<script>alert(1)</script>\"";
    let bad = visitor
        .post("/register", &[("phone", hostile), ("password", "kaifeng2026"), ("kind", "worker")])
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("id=\"phone-error\"") && bad.body.contains("手机号格式不正确"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("<script>alert(1)"), "what was typed is escaped");
    assert!(
        bad.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;&#34;")
            || bad.body.contains("&lt;script&gt;"),
        "{}",
        bad.body
    );
    let staff = visitor
        .post(
            "/register",
            &[("phone", "13700000004"), ("password", "kaifeng2026"), ("kind", "city_admin")],
        )
        .await;
    assert_eq!(staff.status, 400);
    assert!(staff.body.contains("id=\"kind-error\""), "{}", staff.body);
    let short = visitor
        .post("/register", &[("phone", "13700000004"), ("password", "short"), ("kind", "employer")])
        .await;
    assert_eq!(short.status, 400);
    assert!(short.body.contains("id=\"password-error\""), "{}", short.body);
    assert!(short.body.contains("value=\"employer\" checked"), "the choice is kept");
    let long = "1".repeat(5000);
    let too_long = visitor
        .post("/register", &[("phone", &long), ("password", &long), ("kind", "worker")])
        .await;
    assert_eq!(too_long.status, 400, "{}", too_long.body);
    let missing = visitor.post("/register", &[("phone", "13700000004")]).await;
    assert_eq!(missing.status, 400);
    assert!(
        missing.body.contains("data-error=\"invalid_form\""),
        "an incomplete form is an error page"
    );
    let (status, _) = app
        .post_json(
            "/api/v1/auth/login",
            &serde_json::json!({"phone": "13700000004", "password": "kaifeng2026"}),
        )
        .await;
    assert_eq!(status, 401, "no refused registration made an account");

    let fine = visitor
        .post(
            "/register",
            &[("phone", "13700000004"), ("password", "kaifeng2026"), ("kind", "employer")],
        )
        .await;
    assert_eq!((fine.status, fine.location.as_deref()), (303, Some("/employer")), "{}", fine.body);
    assert!(visitor.cookie("gm_session").is_some(), "registered and logged in");
}

async fn the_feed_searches_by_keyword_and_pages_and_names_a_bad_wage(app: TestApp) {
    let boss = employer(&app, 61, true).await;
    for i in 0..22 {
        open_job(&app, &boss, job("lankao", &format!("仓库装卸工{i:02}号"))).await;
    }
    open_job(&app, &boss, job("qixian", "大蒜分拣短工")).await;
    let visitor = Visitor::new(&app);
    let first = visitor.get("/?q=%E8%A3%85%E5%8D%B8%E5%B7%A5").await; // 装卸工
    assert_eq!(first.status, 200);
    assert_eq!(first.body.matches("class=\"card\"").count(), 20, "a page of twenty");
    assert!(
        first.body.contains("仓库装卸工21号") && !first.body.contains("大蒜分拣"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("元/天") && first.body.contains("兰考县"),
        "yuan and the county, not fen and codes"
    );
    let next = first.body.split("class=\"more\"><a class=\"button\" href=\"").nth(1).unwrap();
    let next = next.split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
    let second = visitor.get(&next).await;
    assert_eq!(second.body.matches("class=\"card\"").count(), 2, "{next}");
    assert!(second.body.contains("仓库装卸工00号") && !second.body.contains("class=\"more\""));

    let bad = visitor.get("/?wage_min=abc").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("id=\"wage_min-error\""), "{}", bad.body);
    let near = visitor.get("/?near=410223").await;
    assert_eq!(near.status, 200);
    assert!(near.body.contains("距离"), "searched around 尉氏县's market: distances shown");
    let nowhere = visitor.get("/?near=me").await;
    assert_eq!(nowhere.status, 400, "no location given");
    assert!(nowhere.body.contains("id=\"near-error\""));
}

async fn pages_refuse_framing_and_foreign_scripts_and_unknown_paths_are_pages(app: TestApp) {
    let visitor = Visitor::new(&app);
    let home = visitor.get("/").await;
    let csp = home.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(home.headers["x-frame-options"], "DENY");
    assert_eq!(home.headers["cache-control"], "private, no-store", "a page is no shared cache's");
    assert!(home.body.contains("<html lang=\"zh-CN\">"));
    let css =
        home.body.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap();
    let asset = visitor.get(css).await;
    assert_eq!(asset.status, 200);
    assert!(asset.headers["cache-control"].to_str().unwrap().contains("immutable"));
    let missing = visitor.get("/no/such/page").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("data-error=\"route_not_found\"") && missing.body.contains("<html")
    );
    let (status, body) = app.get_json("/api/v1/no-such-route").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("route_not_found")),
        "the API answers JSON"
    );
    let stale = visitor.get("/assets/app.000000000000.css").await;
    assert_eq!(stale.status, 404);
}

/// Every page GET, for a logged-in city administrator (who may open every page), with hostile
/// text in each path parameter and in the query: a page (never JSON, never a 500), and the text
/// escaped wherever it is shown back.
async fn every_page_answers_hostile_paths_and_queries_with_an_escaped_page_never_a_500(
    app: TestApp,
) {
    staff(&app, "13600000002", "city_admin", "kaifeng").await;
    let visitor = Visitor::new(&app);
    visitor.login("13600000002", "staff2026pw").await;
    let hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let query =
        format!("?q={hostile}&cursor={hostile}&wage_min={hostile}&near={hostile}&next={hostile}");
    for (method, template, _) in ROUTES.iter().filter(|(m, p, _)| *m == "GET" && is_page(p)) {
        let path: String = template
            .split('/')
            .map(|seg| if seg.starts_with('{') { hostile } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for url in [path.clone(), format!("{path}{query}")] {
            let answer = visitor.get(&url).await;
            assert!(answer.status < 500, "{method} {url}: {} {}", answer.status, answer.body);
            assert!(!answer.body.contains("<script>alert"), "{url} shows the text unescaped");
            if answer.status != 303 && !template.starts_with("/assets/") {
                assert!(answer.body.contains("<html"), "{url} is a page: {}", answer.body);
            }
        }
    }
}
