//! What changes between a recorded decision and a candidate plugin's decision on the same input.
//!
//! Each slot is compared by what matters to the people it affects: a review verdict that flips,
//! a subsidy amount that moves, an evaluation grade or demonstration status that changes, a
//! matching ranking whose top candidates change.

use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::plugins::{PluginError, Slot};

/// The candidate's result on one recorded input.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct DryRunItem {
    /// The recorded decision whose input was replayed.
    pub decision_id: String,
    /// Whether the candidate decided differently in a way the slot cares about.
    pub changed: bool,
    /// The slot's key figures, recorded and candidate.
    pub before: Value,
    /// The same figures as the candidate decided them (`null` when it failed).
    pub after: Value,
    /// The candidate's error code, if it failed on this input.
    pub error: Option<String>,
    /// The recorded decision's reasons (`code:message`), so a reviewer sees why, not only what.
    #[serde(default)]
    pub before_reasons: Vec<String>,
    /// The candidate's reasons on the same input (empty when it failed).
    #[serde(default)]
    pub after_reasons: Vec<String>,
}

/// Why a dry run stopped before its last input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    /// Its total time budget ran out.
    TimeBudget,
    /// Its total fuel budget ran out.
    FuelBudget,
    /// A call missed its safety deadline: the host is overloaded (retry later).
    HostOverloaded,
}

/// The summary of a dry run.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct DryRunReport {
    /// The slot tried.
    pub slot: Slot,
    /// sha256 of the candidate plugin.
    pub candidate: String,
    /// Recorded inputs selected for the run.
    pub inputs: usize,
    /// Inputs run (the first `compared` of `inputs`, newest first).
    pub compared: usize,
    /// How many inputs the candidate decided differently on.
    pub changed: usize,
    /// How many inputs the candidate failed on.
    pub failed: usize,
    /// `false` when the run stopped early; `stopped` says why.
    pub complete: bool,
    /// Why the run stopped early; `None` when it did not.
    pub stopped: Option<Stopped>,
    /// Fuel spent over every call, and the run's wall-clock time.
    pub fuel_used: u64,
    /// The run's wall-clock time, in milliseconds.
    pub elapsed_ms: u64,
    /// One item per input run, in the order run.
    pub items: Vec<DryRunItem>,
}

impl DryRunReport {
    /// The report of a run over `inputs` selected inputs that produced `items` (counts derived).
    pub fn new(
        slot: Slot,
        candidate: &str,
        inputs: usize,
        items: Vec<DryRunItem>,
        stopped: Option<Stopped>,
        fuel_used: u64,
        elapsed_ms: u64,
    ) -> DryRunReport {
        DryRunReport {
            slot,
            candidate: candidate.to_string(),
            inputs,
            compared: items.len(),
            changed: items.iter().filter(|i| i.changed).count(),
            failed: items.iter().filter(|i| i.error.is_some()).count(),
            complete: stopped.is_none() && items.len() == inputs,
            stopped,
            fuel_used,
            elapsed_ms,
            items,
        }
    }
}

/// The candidate's result on one recorded input, compared with the recorded output.
pub fn compare(
    slot: Slot,
    decision_id: String,
    recorded: &Value,
    candidate: Result<Value, PluginError>,
) -> DryRunItem {
    let before = key_figures(slot, recorded);
    let before_reasons = reasons(slot, recorded);
    match candidate {
        Ok(out) => {
            let after = key_figures(slot, &out);
            let after_reasons = reasons(slot, &out);
            let changed = before != after;
            DryRunItem {
                decision_id,
                changed,
                before,
                after,
                error: None,
                before_reasons,
                after_reasons,
            }
        }
        Err(e) => DryRunItem {
            decision_id,
            changed: true,
            before,
            after: Value::Null,
            error: Some(e.code().to_string()),
            before_reasons,
            after_reasons: Vec::new(),
        },
    }
}

/// An output's reasons as `code:message` lines. Matching's reasons are a legend shared by all
/// candidates, not the reasons of one verdict, so it has none here.
pub fn reasons(slot: Slot, out: &Value) -> Vec<String> {
    if matches!(slot, Slot::Matching | Slot::ServiceCatalog) {
        return Vec::new();
    }
    let line = |r: &Value| {
        let code = r["code"].as_str().unwrap_or_default();
        format!("{code}:{}", r["message"].as_str().unwrap_or_default())
    };
    out["reasons"].as_array().map(|rs| rs.iter().map(line).collect()).unwrap_or_default()
}

/// The figures of an output that a change in is worth reporting.
pub fn key_figures(slot: Slot, out: &Value) -> Value {
    match slot {
        Slot::PostingReview => {
            json!({ "decision": out["decision"], "reasons": reason_codes(&out["reasons"]) })
        }
        Slot::Subsidy => json!({ "total_cents": out["total_cents"] }),
        Slot::Evaluation => {
            json!({ "score": round2(&out["score"]), "grade": out["grade"], "demonstration_eligible": out["demonstration_eligible"] })
        }
        Slot::Matching => json!({ "top": top_candidates(out, 5) }),
        Slot::Naming => {
            json!({ "accepted": out["accepted"], "canonical_name": out["canonical_name"] })
        }
        Slot::ServiceCatalog => out.clone(),
    }
}

fn reason_codes(reasons: &Value) -> Vec<Value> {
    reasons.as_array().map(|rs| rs.iter().map(|r| r["code"].clone()).collect()).unwrap_or_default()
}

fn round2(v: &Value) -> Value {
    v.as_f64().map(|x| json!((x * 100.0).round() / 100.0)).unwrap_or(Value::Null)
}

/// The indices of the best `n` candidates, best first.
fn top_candidates(out: &Value, n: usize) -> Vec<u64> {
    let mut scored: Vec<(u64, f64)> = out["scores"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|x| Some((x["candidate"].as_u64()?, x["score"].as_f64()?)))
                .collect()
        })
        .unwrap_or_default();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(n).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flipped_verdict_is_a_change_and_equal_figures_are_not() {
        let accept =
            json!({"decision": "Accept", "reasons": [{"code": "review.ok", "message": "x"}]});
        let reject = json!({"decision": "Reject", "reasons": [{"code": "wage.below-minimum", "message": "y"}]});
        assert!(compare(Slot::PostingReview, "d".into(), &accept, Ok(reject)).changed);
        assert!(!compare(Slot::PostingReview, "d".into(), &accept, Ok(accept.clone())).changed);
    }

    #[test]
    fn matching_compares_the_top_of_the_ranking() {
        let a = json!({"scores": [{"candidate": 0, "score": 50.0}, {"candidate": 1, "score": 70.0}], "reasons": []});
        let b = json!({"scores": [{"candidate": 0, "score": 80.0}, {"candidate": 1, "score": 70.0}], "reasons": []});
        let item = compare(Slot::Matching, "d".into(), &a, Ok(b));
        assert!(item.changed);
        assert_eq!(item.before["top"], json!([1, 0]));
        assert_eq!(item.after["top"], json!([0, 1]));
    }

    #[test]
    fn a_failing_candidate_is_reported_with_its_code() {
        let item = compare(
            Slot::Subsidy,
            "d".into(),
            &json!({"total_cents": 5}),
            Err(PluginError::FuelExhausted),
        );
        assert_eq!(item.error.as_deref(), Some("plugin_fuel_exhausted"));
    }
}
