//! 家政服务零工市场 matching (slot `matching`).
//!
//! Domestic workers enter clients' homes and care for children and the elderly, so the market
//! offers a job only to workers holding a health certificate (健康证): candidates without one
//! are always left out, whatever the job says, and a reason says how many. Among the rest, a
//! client's trust rests on how earlier clients rated the worker and whether the worker turned up,
//! so rating (30%) and history (20%) weigh more than in the city's default.
//!
//! Scores use the kit's six factors (工种, 技能等级, 距离, 薪资, 评价, 履约); each score is explained
//! by its three largest contributions. Reasons 0–5 are the factors (with their weights), reason 6
//! the certificate rule (`match.health-certificate`).
//!
//! # Config
//!
//! JSON, every key optional; a missing, mistyped, negative or absurd (> 1000) value keeps its
//! default, and weights that are all 0 fall back to the defaults. The certificate rule is not
//! configurable.
//!
//! ```json
//! {"weights": {"skill": 25, "level": 5, "distance": 10, "wage": 10, "rating": 30, "history": 20},
//!  "half_distance_km": 5}
//! ```

use gigmarket_plugin_kit::json::value;
use gigmarket_plugin_kit::matching::{MatchRequest, MatchResult};
use gigmarket_plugin_kit::scoring::{Weights, bounded_weights, legend, scored};
use gigmarket_plugin_kit::{config, reason};

/// The housekeeping market's weights: rating and history together half the score.
pub const DEFAULT_WEIGHTS: Weights = Weights {
    skill: 25.0,
    level: 5.0,
    distance: 10.0,
    wage: 10.0,
    rating: 30.0,
    history: 20.0,
    half_distance_km: 5.0,
};

/// The weights of a config text (bad or missing values keep the defaults).
pub fn weights(config: &str) -> Weights {
    bounded_weights(&value(config), DEFAULT_WEIGHTS)
}

/// Score the candidates holding a health certificate with `w`; the others are left out.
pub fn score_all(request: &MatchRequest, w: &Weights) -> MatchResult {
    let mut scores = Vec::new();
    for (i, c) in request.candidates.iter().enumerate() {
        if c.has_health_certificate {
            scores.push(scored(request, i, w));
        }
    }
    let excluded = request.candidates.len() - scores.len();
    let mut reasons = legend(w);
    reasons.push(reason(
        "match.health-certificate",
        format!("家政服务须持有效健康证,未持健康证的求职者不予推荐,本次排除{excluded}人"),
    ));
    MatchResult { scores, reasons }
}

gigmarket_plugin_kit::matching!(|request| score_all(&request, &weights(&config())));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::matching::Candidate;
    use gigmarket_plugin_kit::samples::match_request as request;

    /// A certified domestic worker 3 km away.
    fn worker(rating: f32, rating_count: u32, completed_jobs: u32) -> Candidate {
        Candidate {
            skill_match: 1.0,
            skill_level: 2,
            distance_km: 3.0,
            wage_expectation_cents_per_day: 18_000,
            rating,
            rating_count,
            completed_jobs,
            no_shows: 0,
            has_health_certificate: true,
        }
    }

    #[test]
    fn workers_without_a_health_certificate_are_always_left_out() {
        let uncertified = Candidate { has_health_certificate: false, ..worker(5.0, 50, 40) };
        let r = score_all(
            &request(vec![uncertified, worker(4.0, 10, 5), uncertified]),
            &DEFAULT_WEIGHTS,
        );
        assert_eq!(
            r.scores.iter().map(|s| s.candidate).collect::<Vec<_>>(),
            vec![1],
            "even when the job does not ask for one"
        );
        assert_eq!(r.reasons[6].code, "match.health-certificate");
        assert_eq!(
            r.reasons[6].message,
            "家政服务须持有效健康证,未持健康证的求职者不予推荐,本次排除2人"
        );
    }

    #[test]
    fn a_well_rated_reliable_worker_outranks_a_closer_new_one() {
        let trusted = Candidate { distance_km: 8.0, ..worker(4.9, 40, 30) };
        let newcomer = Candidate { distance_km: 0.5, ..worker(3.0, 2, 0) };
        let r = score_all(&request(vec![newcomer, trusted]), &DEFAULT_WEIGHTS);
        assert!(r.scores[1].score > r.scores[0].score, "{:?}", r.scores);
        assert_eq!(r.reasons[4].message, "用工评价(权重30%)");
        assert_eq!(r.reasons[5].message, "履约记录(权重20%)");
    }

    #[test]
    fn never_more_scores_than_candidates_nor_a_non_finite_score() {
        let odd = Candidate {
            rating: f32::INFINITY,
            distance_km: f32::NAN,
            skill_match: -2.0,
            ..worker(1.0, u32::MAX, u32::MAX)
        };
        let w = weights(
            r#"{"weights": {"skill": 1000, "level": 1000, "distance": 1000, "wage": 1000, "rating": 1000, "history": 1000}}"#,
        );
        let r = score_all(&request(vec![odd, worker(5.0, 0, 0)]), &w);
        assert_eq!(r.scores.len(), 2);
        for s in &r.scores {
            assert!(s.score.is_finite() && (0.0..=100.0).contains(&s.score), "{}", s.score);
            assert!(
                s.contributions.len() <= 3 && s.contributions.iter().all(|c| c.points.is_finite())
            );
        }
        assert!(score_all(&request(Vec::new()), &w).scores.is_empty());
    }

    #[test]
    fn config_overrides_and_bad_values_keep_defaults() {
        let w = weights(
            r#"{"weights": {"rating": 50, "history": -1, "skill": null}, "half_distance_km": 8}"#,
        );
        assert_eq!((w.rating, w.history, w.skill, w.half_distance_km), (50.0, 20.0, 25.0, 8.0));
        assert_eq!(weights("{"), DEFAULT_WEIGHTS);
        assert_eq!(weights(r#"{"weights": 7, "half_distance_km": 0}"#), DEFAULT_WEIGHTS);
        let zero = r#"{"weights": {"skill": 0, "level": 0, "distance": 0, "wage": 0, "rating": 0, "history": 0}}"#;
        assert_eq!(weights(zero), DEFAULT_WEIGHTS);
    }
}
