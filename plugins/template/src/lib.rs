//! Template plugin (slot `subsidy`): pays a flat rate per confirmed match, capped.
//!
//! Copy this crate to start a plugin (see docs/plugins.md). The shape every plugin follows:
//! 1. `generate!` the bindings of one slot world from `wit/`;
//! 2. keep the rule in plain public functions that take the input and the parsed config, so
//!    native unit tests can call them;
//! 3. a thin `Guest` impl reads the config through the `host` import and calls the rule.
//!
//! Config: `{"per_match_yuan": 10, "cap_yuan": 5000}` (both optional).

// wit-bindgen's generated glue flattens records into many parameters.
#![allow(clippy::too_many_arguments)]

wit_bindgen::generate!({ path: "../../wit", world: "subsidy" });

use gigmarket::plugins::subsidy_types::LineItem;
use gigmarket::plugins::types::Reason;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub per_match_yuan: i64,
    pub cap_yuan: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config { per_match_yuan: 10, cap_yuan: 5_000 }
    }
}

/// A config that does not parse keeps the defaults: a bureau's typo must not stop payments.
pub fn config(text: &str) -> Config {
    serde_json::from_str(text).unwrap_or_default()
}

/// The rule: matches × rate, at most the cap.
pub fn compute(request: &SubsidyRequest, c: &Config) -> SubsidyResult {
    let uncapped = i64::from(request.figures.matches) * c.per_match_yuan.max(0) * 100;
    let total = uncapped.min(c.cap_yuan.max(0) * 100);
    let mut reasons = vec![Reason {
        code: "subsidy.per-match".into(),
        message: format!("确认就业{}人次,每人次{}元", request.figures.matches, c.per_match_yuan),
    }];
    if total < uncapped {
        reasons.push(Reason {
            code: "subsidy.cap".into(),
            message: format!("超过上限{}元,按上限发放", c.cap_yuan),
        });
    }
    let items = vec![LineItem {
        code: "subsidy.per-match".into(),
        description: "按确认就业人次补助".into(),
        amount_cents: total,
    }];
    SubsidyResult { total_cents: total, items, reasons }
}

struct Plugin;

impl Guest for Plugin {
    fn compute_subsidy(request: SubsidyRequest) -> SubsidyResult {
        gigmarket_plugin_kit::report_panics!();
        compute(&request, &config(&gigmarket::plugins::host::config()))
    }
}

export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket::plugins::period_types::PeriodFigures;
    use gigmarket::plugins::types::{Date, TenantKind};

    fn request(matches: u32) -> SubsidyRequest {
        let day = |d| Date { year: 2026, month: 10, day: d };
        let figures = PeriodFigures {
            kind: TenantKind::County,
            period_start: day(1),
            period_end: day(31),
            people_served: 0,
            matches,
            trainings: 0,
            rights_cases: 0,
            rights_cases_closed_in_time: 0,
            ledger_days: 0,
            open_days: 0,
            satisfaction: 0.0,
            operating_cost_cents: 0,
            is_government_run: true,
        };
        SubsidyRequest { today: Date { year: 2026, month: 11, day: 28 }, figures }
    }

    #[test]
    fn pays_per_match_up_to_the_cap() {
        assert_eq!(compute(&request(30), &Config::default()).total_cents, 30_000);
        let capped = compute(&request(1_000), &Config::default());
        assert_eq!(capped.total_cents, 500_000);
        assert_eq!(capped.reasons[1].code, "subsidy.cap");
    }

    #[test]
    fn a_broken_config_keeps_the_defaults() {
        assert_eq!(config("{oops"), Config::default());
        assert_eq!(
            config(r#"{"per_match_yuan": 20}"#),
            Config { per_match_yuan: 20, cap_yuan: 5_000 }
        );
    }
}
