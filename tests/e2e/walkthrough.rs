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

/// Every ```walk block of `doc`, strictly: a fence that looks like one but is not exactly
/// "```walk" (trailing spaces, CRLF line ends) is an error, not a silently skipped step.
fn steps(doc: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut lines = doc.split('\n').enumerate();
    while let Some((n, line)) = lines.next() {
        if !line.starts_with("```walk") {
            continue;
        }
        if line != "```walk" {
            return Err(format!(
                "line {}: a walk fence must be exactly ```walk, not {line:?}",
                n + 1
            ));
        }
        let mut block = Vec::new();
        loop {
            match lines.next() {
                Some((_, "```")) => break,
                Some((m, l)) if l.ends_with('\r') => {
                    return Err(format!("line {}: CRLF line end", m + 1));
                }
                Some((_, l)) => block.push(l),
                None => return Err(format!("line {}: the walk block never ends", n + 1)),
            }
        }
        steps.push(parse(&block).map_err(|e| format!("the block at line {}: {e}", n + 1))?);
    }
    Ok(steps)
}

fn pairs(rest: &str, what: &str) -> Result<Vec<(String, String)>, String> {
    rest.split(' ')
        .map(|p| {
            p.split_once('=').map(|(k, v)| (k.into(), v.into())).ok_or(format!("{what}: {p:?}"))
        })
        .collect()
}

fn parse(block: &[&str]) -> Result<Step, String> {
    let mut lines = block.iter();
    let who = lines.next().and_then(|l| l.strip_prefix("as ")).ok_or("a step starts with `as`")?;
    let (method, path) = lines.next().and_then(|l| l.split_once(' ')).ok_or("then METHOD PATH")?;
    let method = method.parse().map_err(|_| format!("not a method: {method}"))?;
    let mut step = Step {
        who: who.into(),
        method,
        path: path.into(),
        body: None,
        status: 0,
        checks: vec![],
        saves: vec![],
    };
    let mut body = String::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("expect ") {
            if step.status > 0 {
                return Err("a second `expect` line".into());
            }
            let (status, checks) = rest.split_once(' ').unwrap_or((rest, ""));
            step.status = status.parse().map_err(|_| format!("not a status: {status}"))?;
            step.checks = if checks.is_empty() { vec![] } else { pairs(checks, "field=value")? };
        } else if let Some(rest) = line.strip_prefix("save ") {
            step.saves.extend(pairs(rest, "name=path")?);
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    step.body = (!body.trim().is_empty()).then_some(body);
    if step.status == 0 {
        return Err("every step says what to expect".into());
    }
    Ok(step)
}

/// `{name}` from earlier steps, `{today+N}` and `{now+Nd}`; any other `{name}` is an error.
fn fill(text: &str, vars: &HashMap<String, String>) -> Result<String, String> {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    for n in 0..10 {
        out = out.replace(&format!("{{today+{n}}}"), &gigmarket_e2e::people::day(n));
        out = out.replace(
            &format!("{{now+{n}d}}"),
            &(gigmarket_e2e::now() + chrono::Duration::days(n)).to_rfc3339(),
        );
    }
    let placeholder = out.split('{').skip(1).find_map(|rest| {
        let name = rest.split('}').next().filter(|_| rest.contains('}'))?;
        let is_name =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+".contains(c));
        is_name.then_some(name)
    });
    match placeholder {
        Some(name) => Err(format!("unknown placeholder {{{name}}} in {out}")),
        None => Ok(out),
    }
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
    let steps = steps(&doc).unwrap_or_else(|e| panic!("docs/demo.md: {e}"));
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
        let fill = |text: &str| fill(text, &vars).unwrap_or_else(|e| panic!("step {n}: {e}"));
        let path = fill(&step.path);
        let body: Option<Value> = step.body.as_ref().map(|b| {
            serde_json::from_str(&fill(b)).unwrap_or_else(|e| panic!("step {n}: bad JSON: {e}"))
        });
        let (status, response) = match &token {
            Some(t) => app.call_as(t, step.method.clone(), &path, body).await,
            None => anonymous(&app, step.method.clone(), &path, body).await,
        };
        assert_eq!(status, step.status, "step {n} ({} {path}): {response}", step.method);
        for (field, expected) in &step.checks {
            assert_eq!(
                text(at(&response, field)),
                fill(expected),
                "step {n} ({} {path}): {field} in {response}",
                step.method
            );
        }
        for (name, field) in &step.saves {
            let value = at(&response, field);
            assert!(!value.is_null(), "step {n}: nothing at {field} to save as {name}: {response}");
            vars.insert(name.clone(), text(value));
        }
    }
}

/// A request with no session, with the step's own method and body.
async fn anonymous(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = app.client.request(method, app.at(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The parser refuses what would otherwise silently drop or weaken a step.
#[test]
fn a_malformed_walk_through_is_an_error_not_a_shorter_test() {
    let good = "text\n```walk\nas nobody\nGET /healthz\nexpect 200 status=ok\nsave s=status\n```\n";
    assert_eq!(steps(good).unwrap().len(), 1);
    for (bad, why) in [
        (good.replace("\n", "\r\n"), "CRLF"),
        (good.replace("```walk\n", "```walk \n"), "trailing space on the fence"),
        (
            good.replace("expect 200 status=ok\n", "expect 200 status=ok\nexpect 404\n"),
            "a second expect",
        ),
        (good.replace("expect 200 status=ok\n", ""), "no expect"),
        (good.replace("save s=status", "save s"), "a save without a path"),
        (good.replace("\n```\n", "\n"), "an unclosed block"),
    ] {
        assert!(steps(&bad).is_err(), "{why} must be an error");
    }
    let vars = HashMap::from([("job".to_string(), "j1".to_string())]);
    assert_eq!(fill("/api/v1/jobs/{job}", &vars).unwrap(), "/api/v1/jobs/j1");
    assert!(fill("/api/v1/jobs/{jobb}", &vars).is_err(), "an unknown name is an error");
    assert_eq!(
        fill(r#"{"a": {"b": 1}}"#, &vars).unwrap(),
        r#"{"a": {"b": 1}}"#,
        "JSON is not a placeholder"
    );
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
