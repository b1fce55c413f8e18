//! A visitor of the web pages over plain HTTP: keeps the cookies the host sets (session, CSRF)
//! and fills in the CSRF token of the forms it posts, as a browser with the page open would.

use std::collections::BTreeMap;
use std::sync::Mutex;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::TestApp;

/// What a page request answered.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Where a redirect points (`Location`), if it is one.
    pub location: Option<String>,
    /// The HTML (or other text).
    pub body: String,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
}

/// One visitor with its own cookies.
pub struct Visitor {
    base: String,
    client: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
}

impl Visitor {
    /// A new visitor of `app`, with no cookies yet.
    pub fn new(app: &TestApp) -> Visitor {
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Visitor { base: app.url.clone(), client, cookies: Mutex::default() }
    }

    /// The value of cookie `name`, if the host has set it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn answer(&self, response: reqwest::Response) -> Answer {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if attrs.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_string(), value.to_string());
            }
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers.get(LOCATION).map(|l| l.to_str().unwrap().to_string());
        Answer { status, location, body: response.text().await.unwrap(), headers }
    }

    /// `GET path`, not following redirects.
    pub async fn get(&self, path: &str) -> Answer {
        let request = self.client.get(format!("{}{path}", self.base));
        let response = request.header(COOKIE, self.cookie_header()).send().await.unwrap();
        self.answer(response).await
    }

    /// Post a form to `path` with this visitor's CSRF token (fetching a page first when it has
    /// none yet).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        if self.cookie("gm_csrf").is_none() {
            self.get("/login").await;
        }
        let token = self.cookie("gm_csrf").unwrap();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Post exactly `fields` (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let request = self.client.post(format!("{}{path}", self.base));
        let body = serde_urlencoded_pairs(fields);
        let response = request
            .header(COOKIE, self.cookie_header())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// Post a multipart form (`parts` in order, then `file` as the file field, if any), exactly as
    /// given: a form that should pass the CSRF check lists `csrf_token` first, as browsers send
    /// the fields of a form in document order.
    pub async fn post_multipart(
        &self,
        path: &str,
        parts: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Answer {
        const BOUNDARY: &str = "gigmarket-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in parts {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((name, filename, bytes)) = file {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/wasm\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// Log in through the login page.
    pub async fn login(&self, phone: &str, password: &str) -> Answer {
        let answer = self.post("/login", &[("phone", phone), ("password", password)]).await;
        assert_eq!(answer.status, 303, "login: {}", answer.body);
        answer
    }
}

fn serde_urlencoded_pairs(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
