//! docs/demo.md's hiring walk-through, run step by step against a freshly started demo city:
//! the documentation is the test, so it cannot go stale.

use std::collections::HashMap;

use gigmarket_e2e::people::{Person, login};
use gigmarket_e2e::{Backend, TestApp, spawn_demo};
use reqwest::Method;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_walk_through_runs_on_sqlite() {
    walk(spawn_demo(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_walk_through_runs_on_postgres() {
    walk(spawn_demo(Backend::Postgres).await).await;
}

/// One ```walk block.
#[derive(Debug)]
struct Step {
    who: String,
    method: Method,
    path: String,
    body: Option<String>,
    status: u16,
    checks: Vec<(String, String)>,
    saves: Vec<(String, String)>,
}

fn steps(doc: &str) -> Vec<Step> {
    doc.split("```walk\n").skip(1).map(|block| parse(block.split("```").next().unwrap())).collect()
}

fn parse(block: &str) -> Step {
    let mut lines = block.lines();
    let who = lines
        .next()
        .and_then(|l| l.strip_prefix("as "))
        .expect("a step starts with `as`")
        .to_string();
    let (method, path) = lines.next().and_then(|l| l.split_once(' ')).expect("then METHOD PATH");
    let mut body = String::new();
    let mut step = Step {
        who,
        method: method.parse().unwrap(),
        path: path.into(),
        body: None,
        status: 0,
        checks: vec![],
        saves: vec![],
    };
    for line in lines {
        if let Some(rest) = line.strip_prefix("expect ") {
            let mut parts = rest.split(' ');
            step.status = parts.next().unwrap().parse().unwrap();
            step.checks = parts
                .map(|p| p.split_once('=').map(|(k, v)| (k.into(), v.into())).expect("field=value"))
                .collect();
        } else if let Some(rest) = line.strip_prefix("save ") {
            step.saves.extend(
                rest.split(' ').map(|p| {
                    p.split_once('=').map(|(k, v)| (k.into(), v.into())).expect("name=path")
                }),
            );
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    step.body = (!body.trim().is_empty()).then_some(body);
    assert!(step.status > 0, "every step says what to expect: {block}");
    step
}

/// `{name}` from earlier steps, `{today+N}` and `{now+Nd}`.
fn fill(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    for n in 0..10 {
        out = out.replace(&format!("{{today+{n}}}"), &gigmarket_e2e::people::day(n));
        out = out.replace(
            &format!("{{now+{n}d}}"),
            &(chrono::Utc::now() + chrono::Duration::days(n)).to_rfc3339(),
        );
    }
    assert!(!out.contains("{today") && !out.contains("{now"), "unknown placeholder in {out}");
    out
}

fn at<'a>(body: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(body, |v, key| match key.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[key],
    })
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn walk(app: TestApp) {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/demo.md"))
        .expect("docs/demo.md");
    let steps = steps(&doc);
    assert!(steps.len() >= 15, "the walk-through has its steps: {}", steps.len());
    let mut vars = HashMap::new();
    let mut people: HashMap<String, Person> = HashMap::new();
    for (n, step) in steps.iter().enumerate() {
        let token = match step.who.as_str() {
            "nobody" => None,
            phone => {
                if !people.contains_key(phone) {
                    people.insert(
                        phone.to_string(),
                        login(&app, phone, gigmarket::demo::DEMO_PASSWORD).await,
                    );
                }
                Some(people[phone].token.clone())
            }
        };
        let path = fill(&step.path, &vars);
        let body: Option<Value> = step.body.as_ref().map(|b| {
            serde_json::from_str(&fill(b, &vars))
                .unwrap_or_else(|e| panic!("step {n}: bad JSON: {e}"))
        });
        let (status, response) = match &token {
            Some(t) => app.call_as(t, step.method.clone(), &path, body).await,
            None => app.get_json(&path).await,
        };
        assert_eq!(status, step.status, "step {n} ({} {path}): {response}", step.method);
        for (field, expected) in &step.checks {
            assert_eq!(
                text(at(&response, field)),
                fill(expected, &vars),
                "step {n} ({} {path}): {field} in {response}",
                step.method
            );
        }
        for (name, field) in &step.saves {
            vars.insert(name.clone(), text(at(&response, field)));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_city_has_open_jobs_in_every_county() {
    let app = spawn_demo(Backend::Sqlite).await;
    let (_, tenants) = app.get_json("/api/v1/tenants?kind=county").await;
    let counties = tenants["tenants"].as_array().unwrap();
    assert_eq!(counties.len(), 10);
    for county in counties {
        let code = county["code"].as_str().unwrap();
        let (status, feed) = app.get_json(&format!("/api/v1/tenants/{code}/jobs")).await;
        assert_eq!(status, 200);
        assert!(feed["jobs"].as_array().unwrap().len() >= 2, "{code} has open posts: {feed}");
    }
    let (_, cleaning) = app.get_json("/api/v1/jobs?occupation=4-10-05-02&limit=50").await;
    assert_eq!(cleaning["jobs"].as_array().unwrap().len(), 10, "one cleaning post per county");
    let (_, all) = app.get_json("/api/v1/jobs?limit=100").await;
    assert_eq!(all["jobs"].as_array().unwrap().len(), 20, "two per county, nothing else");
}
