//! 开封市 default matching (slot `matching`).
//!
//! Scores every candidate by six weighted factors (工种, 技能等级, 距离, 薪资, 评价, 履约) and
//! explains each score by its three largest contributions. Weights come from the plugin config
//! (`{"weights": {"skill": 30, …}, "half_distance_km": 5}`); missing keys keep the defaults.

// wit-bindgen's generated glue flattens records into many parameters.
#![allow(clippy::too_many_arguments)]

wit_bindgen::generate!({ path: "../../wit", world: "matching" });

use gigmarket::plugins::matching_types::{Candidate, Contribution, Scored};
use gigmarket::plugins::types::Reason;
use gigmarket_plugin_kit::scoring::Weights;
use serde::Deserialize;

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
    let c: Config = serde_json::from_str(config).unwrap_or_default();
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
    let scores = request
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| scored(i, &features(request, c), w))
        .collect();
    MatchResult { scores, reasons: legend(w) }
}

gigmarket_plugin_kit::matching_glue!();

struct Plugin;

impl Guest for Plugin {
    fn score_candidates(request: MatchRequest) -> MatchResult {
        gigmarket_plugin_kit::report_panics!();
        score_all(&request, &weights(&gigmarket::plugins::host::config()))
    }
}

export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket::plugins::matching_types::JobFeatures;
    use gigmarket::plugins::types::Date;

    fn candidate(skill_match: f32, distance_km: f32) -> Candidate {
        Candidate {
            skill_match,
            skill_level: 2,
            distance_km,
            wage_expectation_cents_per_day: 18_000,
            rating: 4.5,
            rating_count: 10,
            completed_jobs: 8,
            no_shows: 0,
            has_health_certificate: false,
        }
    }

    fn request(candidates: Vec<Candidate>) -> MatchRequest {
        MatchRequest {
            today: Date { year: 2026, month: 11, day: 28 },
            job: JobFeatures {
                required_level: 1,
                wage_cents_per_day: 20_000,
                requires_health_certificate: false,
            },
            candidates,
        }
    }

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
