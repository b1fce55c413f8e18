//! 开封市 default matching (slot `matching`).
//!
//! Scores every candidate by six weighted factors (工种, 技能等级, 距离, 薪资, 评价, 履约) and
//! explains each score by its three largest contributions. Weights come from the plugin config
//! (`{"weights": {"skill": 30, …}, "half_distance_km": 5}`); missing keys keep the defaults.

use gigmarket_plugin_kit::json::parse_or_default;
use gigmarket_plugin_kit::matching::{MatchRequest, MatchResult};
use gigmarket_plugin_kit::scoring::{Weights, legend, scored};
use serde::Deserialize;

/// The SDK whose types this plugin's rule takes (for callers that build its input natively).
pub use gigmarket_plugin_kit as kit;

/// The city's weights: skill first, then distance and wage, then the rest.
pub const DEFAULT_WEIGHTS: Weights = Weights {
    skill: 30.0,
    level: 10.0,
    distance: 20.0,
    wage: 20.0,
    rating: 10.0,
    history: 10.0,
    half_distance_km: 5.0,
};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    weights: Option<WeightsConfig>,
    half_distance_km: Option<f32>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WeightsConfig {
    skill: Option<f32>,
    level: Option<f32>,
    distance: Option<f32>,
    wage: Option<f32>,
    rating: Option<f32>,
    history: Option<f32>,
}

/// The weights in effect for a config text (bad or missing values keep the defaults).
pub fn weights(config: &str) -> Weights {
    let c: Config = parse_or_default(config);
    let w = c.weights.unwrap_or_default();
    let d = DEFAULT_WEIGHTS;
    let pick =
        |v: Option<f32>, default: f32| v.filter(|x| x.is_finite() && *x >= 0.0).unwrap_or(default);
    Weights {
        skill: pick(w.skill, d.skill),
        level: pick(w.level, d.level),
        distance: pick(w.distance, d.distance),
        wage: pick(w.wage, d.wage),
        rating: pick(w.rating, d.rating),
        history: pick(w.history, d.history),
        half_distance_km: pick(c.half_distance_km, d.half_distance_km).max(0.1),
    }
}

/// Score every candidate with `w`.
pub fn score_all(request: &MatchRequest, w: &Weights) -> MatchResult {
    let scores = (0..request.candidates.len()).map(|i| scored(request, i, w)).collect();
    MatchResult { scores, reasons: legend(w) }
}

gigmarket_plugin_kit::matching!(|request| score_all(
    &request,
    &weights(&gigmarket_plugin_kit::config())
));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::samples::{candidate, match_request as request};

    #[test]
    fn the_skilled_nearby_worker_ranks_first() {
        let r = score_all(
            &request(vec![candidate(0.0, 1.0), candidate(1.0, 1.0), candidate(1.0, 30.0)]),
            &DEFAULT_WEIGHTS,
        );
        assert_eq!(r.scores.len(), 3);
        assert!(r.scores[1].score > r.scores[2].score && r.scores[2].score > r.scores[0].score);
        let top = &r.scores[1].contributions[0];
        assert_eq!(r.reasons[top.reason as usize].code, "match.skill");
        assert_eq!(r.reasons[0].message, "工种匹配(权重30%)");
    }

    #[test]
    fn config_overrides_weights_and_ignores_nonsense() {
        let w = weights(r#"{"weights": {"distance": 60, "skill": -1}, "half_distance_km": 2}"#);
        assert_eq!((w.distance, w.skill, w.half_distance_km), (60.0, 30.0, 2.0));
        assert_eq!(weights("not json"), DEFAULT_WEIGHTS);
    }
}
