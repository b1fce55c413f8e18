//! A real headless Chromium for the page tests (Debian's `chromium` and `chromium-driver`).
//!
//! Each test gets its own ChromeDriver on a free port and its own browser profile, so tests
//! share nothing and a failed test leaves no process behind (both are killed on drop).

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::TestApp;

/// The size a page is looked at.
#[derive(Debug, Clone, Copy)]
pub enum Viewport {
    /// A phone: 375 × 812 CSS pixels (workers, and employers on the go).
    Phone,
    /// A desktop screen: 1366 × 900 (consoles).
    Desktop,
}

impl Viewport {
    fn size(self) -> (u32, u32) {
        match self {
            Viewport::Phone => (375, 812),
            Viewport::Desktop => (1366, 900),
        }
    }
}

/// One browser on one test host.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    base: String,
    viewport: Viewport,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether the machine has a browser to test with (CI and `./dev test` install one).
pub fn available() -> bool {
    Path::new("/usr/bin/chromedriver").exists() && Path::new("/usr/bin/chromium").exists()
}

impl Browser {
    /// Open a browser on `app` at `viewport` size.
    pub async fn open(app: &TestApp, viewport: Viewport) -> Browser {
        assert!(
            available(),
            "chromium and chromium-driver are missing: run the tests through ./dev test, which installs them"
        );
        let port = free_port();
        let driver = tokio::process::Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let (w, h) = viewport.size();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--lang=zh-CN", "--hide-scrollbars", "--force-device-scale-factor=1",
                    format!("--window-size={w},{h}"),
                    format!("--user-data-dir={}", profile.path().display())],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let Value::Object(caps) = caps else { unreachable!() };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("chromedriver did not start a browser: {e}"),
            }
        };
        Browser { client, base: app.url.clone(), viewport, _driver: driver, _profile: profile }
    }

    /// Open `path` of the host.
    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The element matching `css` (waiting up to 10 s for it to appear).
    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element {css} on {}: {e}", self.path().await),
        }
    }

    /// Every element matching `css`, now.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Type `text` into the field `css` (cleared first).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Choose the option with value `value` of the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap();
    }

    /// Click `css`, then wait until the page (or the part htmx swapped) has settled.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
        self.settle().await;
    }

    /// The text of `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Wait until the document is loaded and no htmx request is in flight.
    pub async fn settle(&self) {
        let script = "return document.readyState === 'complete' && !document.querySelector('.htmx-request');";
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let done = self.client.execute(script, vec![]).await.map(|v| v == Value::Bool(true));
            if done.unwrap_or(false) {
                return;
            }
            assert!(Instant::now() < deadline, "the page did not settle: {}", self.path().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Run `script` (a function body) in the page and return its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// What the browser logged at level SEVERE (script errors, failed loads, refused by the
    /// content security policy) since the last call.
    ///
    /// A page or form answered with a 4xx status (a form with field errors, the 403 page) is
    /// the page doing its job: Chrome logs the status of any such answer, so those lines are
    /// left out. A 4xx for an asset, and any 5xx, still count.
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self.client.issue_cmd(BrowserLog).await.unwrap();
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .filter(|m| !answered_page_status(m))
            .collect()
    }

    /// Assert that the page logged no error (see [`Browser::console_errors`]), that every
    /// visible form control has a label, and (on a phone) that nothing scrolls sideways.
    pub async fn assert_clean(&self) {
        let path = self.path().await;
        let errors = self.console_errors().await;
        assert!(errors.is_empty(), "{path} logged errors: {errors:?}");
        let unlabelled = self.eval(UNLABELLED).await;
        assert_eq!(unlabelled, json!([]), "{path}: form controls without a label");
        let wide =
            self.eval("return document.documentElement.scrollWidth > window.innerWidth;").await;
        assert_eq!(wide, json!(false), "{path} scrolls sideways");
    }

    /// When `GIGMARKET_SCREENSHOTS` names a directory (`./dev screenshots`), save the page there
    /// as `{name}.png`, whole page, after it settled; otherwise do nothing. The walk-throughs
    /// call this at the pages docs/screenshots shows.
    pub async fn snap(&self, name: &str) {
        let Some(dir) = std::env::var_os("GIGMARKET_SCREENSHOTS") else { return };
        self.settle().await;
        let height = self.eval("return document.documentElement.scrollHeight;").await;
        let (width, _) = self.viewport.size();
        let height = height.as_u64().unwrap_or(900).min(4000) as u32;
        self.client.set_window_rect(0, 0, width, height).await.unwrap();
        self.screenshot(&Path::new(&dir).join(format!("{name}.png"))).await;
        let (w, h) = self.viewport.size();
        self.client.set_window_rect(0, 0, w, h).await.unwrap();
    }

    /// Save a PNG screenshot of the page to `file`.
    pub async fn screenshot(&self, file: &Path) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(file, png).unwrap();
    }

    /// End the session (the driver and the profile go with `self`).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Whether a log line is Chrome reporting a page's (not an asset's) 4xx status.
fn answered_page_status(message: &str) -> bool {
    let Some((url, rest)) = message.split_once(" - ") else { return false };
    let page = !url.contains("/assets/") && !url.ends_with("/favicon.ico");
    page && rest.starts_with("Failed to load resource: the server responded with a status of 4")
}

/// The ids (or names) of visible inputs, selects and text areas that no label names.
const UNLABELLED: &str = r#"
return Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.offsetParent !== null)
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.id || e.name);
"#;

/// ChromeDriver's browser log (`goog:loggingPrefs`), which W3C WebDriver has no command for.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}
