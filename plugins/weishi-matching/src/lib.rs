//! 尉氏县 matching (slot `matching`).
//!
//! 尉氏县 is rural: most workers reach a job on foot or by e-bike, so distance weighs most and
//! its score halves already at 3 km. Candidates farther than `max_distance_km` (default 25 km,
//! about an hour by e-bike) are left out of the result entirely, as are candidates whose distance
//! is unknown (not a finite number): offering them the job would waste both sides' day. When the
//! job requires a health certificate, candidates without one are left out too.
//!
//! Scores use the kit's six factors (工种, 技能等级, 距离, 薪资, 评价, 履约); each score is explained
//! by its three largest contributions. Reasons 0–5 are the factors (with their weights), reason 6
//! the distance cut-off (`match.beyond-max-distance`, with how many it left out), and reason 7,
//! only when the job requires a health certificate, `match.health-certificate-required`.
//!
//! # Config
//!
//! JSON, every key optional; a missing, mistyped, negative or absurd (> 1000) value keeps its
//! default, and weights that are all 0 fall back to the defaults.
//!
//! ```json
//! {"weights": {"skill": 20, "level": 5, "distance": 40, "wage": 15, "rating": 10, "history": 10},
//!  "half_distance_km": 3, "max_distance_km": 25}
//! ```

use gigmarket_plugin_kit::json::{bounded, value};
use gigmarket_plugin_kit::matching::{Candidate, MatchRequest, MatchResult};
use gigmarket_plugin_kit::scoring::{Weights, bounded_weights, legend, scored};
use gigmarket_plugin_kit::{config, reason};

/// 尉氏县's weights: distance first, then skill and wage.
pub const DEFAULT_WEIGHTS: Weights = Weights {
    skill: 20.0,
    level: 5.0,
    distance: 40.0,
    wage: 15.0,
    rating: 10.0,
    history: 10.0,
    half_distance_km: 3.0,
};

/// Farther than this, a worker on foot or e-bike is not offered the job.
pub const DEFAULT_MAX_DISTANCE_KM: f32 = 25.0;

/// The weights and the distance cut-off in effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub weights: Weights,
    pub max_distance_km: f32,
}

pub const DEFAULT_SETTINGS: Settings =
    Settings { weights: DEFAULT_WEIGHTS, max_distance_km: DEFAULT_MAX_DISTANCE_KM };

/// The settings of a config text (bad or missing values keep the defaults).
pub fn settings(config: &str) -> Settings {
    let c = value(config);
    Settings {
        weights: bounded_weights(&c, DEFAULT_WEIGHTS),
        max_distance_km: bounded(&c, "max_distance_km", DEFAULT_MAX_DISTANCE_KM, 0.1),
    }
}

/// Whether a candidate lives close enough to be offered the job; an unknown distance is not.
pub fn within_reach(c: &Candidate, max_distance_km: f32) -> bool {
    c.distance_km.is_finite() && c.distance_km <= max_distance_km
}

/// Whether a candidate meets the job's health certificate requirement.
pub fn certified_if_required(request: &MatchRequest, c: &Candidate) -> bool {
    !request.job.requires_health_certificate || c.has_health_certificate
}

/// Score the candidates within reach (and certified, if the job asks for it) with `s`.
pub fn score_all(request: &MatchRequest, s: &Settings) -> MatchResult {
    let mut far = 0;
    let mut uncertified = 0;
    let mut scores = Vec::new();
    for (i, c) in request.candidates.iter().enumerate() {
        if !within_reach(c, s.max_distance_km) {
            far += 1;
        } else if !certified_if_required(request, c) {
            uncertified += 1;
        } else {
            scores.push(scored(request, i, &s.weights));
        }
    }
    let mut reasons = legend(&s.weights);
    reasons.push(reason(
        "match.beyond-max-distance",
        format!("距离超过{}公里(或距离不明)的求职者不予推荐,本次排除{far}人", s.max_distance_km),
    ));
    if request.job.requires_health_certificate {
        reasons.push(reason(
            "match.health-certificate-required",
            format!("该岗位要求健康证,未持健康证的求职者不予推荐,本次排除{uncertified}人"),
        ));
    }
    MatchResult { scores, reasons }
}

gigmarket_plugin_kit::matching!(|request| score_all(&request, &settings(&config())));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::samples::{candidate, match_request as request};

    fn indices(r: &MatchResult) -> Vec<u32> {
        r.scores.iter().map(|s| s.candidate).collect()
    }

    #[test]
    fn a_near_worker_outranks_a_better_skilled_far_one() {
        let r =
            score_all(&request(vec![candidate(0.5, 1.0), candidate(1.0, 15.0)]), &DEFAULT_SETTINGS);
        assert!(r.scores[0].score > r.scores[1].score, "{:?}", r.scores);
        assert_eq!(r.reasons[r.scores[0].contributions[0].reason as usize].code, "match.distance");
        assert_eq!(r.reasons[2].message, "通勤距离(权重40%)");
    }

    #[test]
    fn candidates_beyond_the_maximum_distance_are_left_out() {
        let r = score_all(
            &request(vec![
                candidate(1.0, 25.0),
                candidate(1.0, 25.1),
                candidate(1.0, 3.0),
                candidate(1.0, 80.0),
            ]),
            &DEFAULT_SETTINGS,
        );
        assert_eq!(indices(&r), vec![0, 2], "exactly 25 km is still within reach");
        assert_eq!(r.reasons[6].code, "match.beyond-max-distance");
        assert_eq!(r.reasons[6].message, "距离超过25公里(或距离不明)的求职者不予推荐,本次排除2人");
    }

    #[test]
    fn an_unknown_distance_is_left_out() {
        let r = score_all(
            &request(vec![
                candidate(1.0, f32::NAN),
                candidate(1.0, f32::INFINITY),
                candidate(1.0, 2.0),
            ]),
            &DEFAULT_SETTINGS,
        );
        assert_eq!(indices(&r), vec![2]);
    }

    #[test]
    fn the_cut_off_comes_from_config() {
        let s = settings(r#"{"max_distance_km": 10}"#);
        let r = score_all(&request(vec![candidate(1.0, 9.0), candidate(1.0, 11.0)]), &s);
        assert_eq!(indices(&r), vec![0]);
        assert!(r.reasons[6].message.starts_with("距离超过10公里"));
    }

    #[test]
    fn a_required_health_certificate_leaves_the_uncertified_out() {
        let mut req = request(vec![
            candidate(1.0, 2.0),
            Candidate { has_health_certificate: true, ..candidate(1.0, 2.0) },
        ]);
        assert_eq!(score_all(&req, &DEFAULT_SETTINGS).scores.len(), 2);
        req.job.requires_health_certificate = true;
        let r = score_all(&req, &DEFAULT_SETTINGS);
        assert_eq!(indices(&r), vec![1]);
        assert_eq!(r.reasons[7].code, "match.health-certificate-required");
    }

    #[test]
    fn never_more_scores_than_candidates_nor_a_non_finite_score() {
        let odd = Candidate {
            rating: f32::NAN,
            wage_expectation_cents_per_day: 0,
            skill_match: f32::INFINITY,
            ..candidate(1.0, -4.0)
        };
        let s = settings(
            r#"{"weights": {"skill": 1000, "level": 1000, "distance": 1000, "wage": 1000, "rating": 1000, "history": 1000}}"#,
        );
        let r = score_all(&request(vec![odd, candidate(0.0, 0.0), candidate(1.0, 1e30)]), &s);
        assert!(r.scores.len() <= 3);
        for sc in &r.scores {
            assert!(sc.score.is_finite() && (0.0..=100.0).contains(&sc.score), "{}", sc.score);
            assert!(
                sc.contributions
                    .iter()
                    .all(|c| c.points.is_finite() && (c.reason as usize) < r.reasons.len())
            );
        }
        assert!(score_all(&request(Vec::new()), &s).scores.is_empty());
    }

    #[test]
    fn config_overrides_and_bad_values_keep_defaults() {
        let s = settings(
            r#"{"weights": {"distance": 60, "skill": -1, "wage": "x"}, "half_distance_km": 2, "max_distance_km": 12.5}"#,
        );
        assert_eq!(
            (s.weights.distance, s.weights.skill, s.weights.wage, s.weights.half_distance_km),
            (60.0, 20.0, 15.0, 2.0)
        );
        assert_eq!(s.max_distance_km, 12.5);
        assert_eq!(settings("not json"), DEFAULT_SETTINGS);
        assert_eq!(
            settings(
                r#"{"max_distance_km": 0, "half_distance_km": 1e12, "weights": {"rating": 1e30}}"#
            ),
            DEFAULT_SETTINGS
        );
        let zero = r#"{"weights": {"skill": 0, "level": 0, "distance": 0, "wage": 0, "rating": 0, "history": 0}}"#;
        assert_eq!(settings(zero).weights, DEFAULT_WEIGHTS);
    }
}
