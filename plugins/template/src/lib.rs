//! Template plugin (slot `subsidy`): a flat rate per confirmed match, capped; copy it to start a
//! plugin (docs/plugins.md). Config: `{"per_match_yuan": 10, "cap_yuan": 5000}`, both optional.

use gigmarket_plugin_kit::subsidy::{LineItem, SubsidyRequest, SubsidyResult};
use gigmarket_plugin_kit::{parsed_config, reason};
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

/// The rule: matches × rate, at most the cap.
pub fn compute(request: &SubsidyRequest, c: &Config) -> SubsidyResult {
    let (matches, rate) = (request.figures.matches, c.per_match_yuan);
    let uncapped = i64::from(matches) * rate.max(0) * 100;
    let total = uncapped.min(c.cap_yuan.max(0) * 100);
    let per_match = reason("subsidy.per-match", format!("确认就业{matches}人次,每人次{rate}元"));
    let cap = reason("subsidy.cap", format!("超过上限{}元,按上限发放", c.cap_yuan));
    let reasons = if total < uncapped { vec![per_match, cap] } else { vec![per_match] };
    let description = "按确认就业人次补助".into();
    let item = LineItem { code: "subsidy.per-match".into(), description, amount_cents: total };
    SubsidyResult { total_cents: total, items: vec![item], reasons }
}

gigmarket_plugin_kit::subsidy!(|request| compute(&request, &parsed_config()));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::json::parse_or_default;
    use gigmarket_plugin_kit::samples::{june, subsidy_request};
    use gigmarket_plugin_kit::subsidy::PeriodFigures;
    use gigmarket_plugin_kit::types::TenantKind;

    fn request(matches: u32) -> SubsidyRequest {
        subsidy_request(PeriodFigures { matches, ..june(TenantKind::County) })
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
        assert_eq!(parse_or_default::<Config>("{oops"), Config::default());
        assert_eq!(
            parse_or_default::<Config>(r#"{"per_match_yuan": 20}"#),
            Config { per_match_yuan: 20, cap_yuan: 5_000 }
        );
    }
}
