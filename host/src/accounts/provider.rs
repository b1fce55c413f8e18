//! An external real-name verification provider (e.g. the provincial identity check).
//!
//! Protocol: `POST <url>` with `{"kind", "name", "id_number"?, "uscc"?}`; the provider answers
//! `{"result": "match" | "mismatch" | "unknown", "reason"?}`. A match verifies the profile, a
//! mismatch rejects it with the provider's reason; anything else (unknown, an error, a timeout)
//! leaves it unverified for the market's staff, so nothing is lost when the provider is down.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What the provider is asked (sent as JSON).
#[derive(Serialize)]
pub struct Query<'a> {
    /// The profile kind: `worker`, `enterprise`, `individual_employer` or `agency`.
    pub kind: &'a str,
    /// The real or registered name.
    pub name: &'a str,
    /// The normalised 18-character ID number, for people.
    pub id_number: Option<&'a str>,
    /// The 统一社会信用代码, for organisations.
    pub uscc: Option<&'a str>,
}

#[derive(Deserialize)]
struct Answer {
    result: String,
    reason: Option<String>,
}

/// What the provider decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The provider matched the identity: the profile is verified.
    Verified,
    /// The provider found a mismatch: the profile is rejected with this reason.
    Rejected(String),
    /// Left for staff.
    Undecided,
}

/// Ask the provider; never fails (an unusable answer is [`Outcome::Undecided`]).
pub async fn ask(url: &str, query: &Query<'_>) -> Outcome {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(5)).build() {
        Ok(c) => c,
        Err(_) => return Outcome::Undecided,
    };
    let answer = match client.post(url).json(query).send().await {
        Ok(resp) if resp.status().is_success() => resp.json::<Answer>().await.ok(),
        Ok(resp) => {
            tracing::warn!(status = %resp.status(), "verification provider refused the query");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "verification provider unreachable; the profile waits for staff");
            None
        }
    };
    match answer {
        Some(a) if a.result == "match" => Outcome::Verified,
        Some(a) if a.result == "mismatch" => Outcome::Rejected(
            a.reason.unwrap_or_else(|| "身份信息核验不一致 / identity check failed".into()),
        ),
        _ => Outcome::Undecided,
    }
}
