//! Weighted candidate scoring shared by the matching plugins.
//!
//! Each factor is scaled to 0..=1, multiplied by its weight, and the sum is scaled to 0..=100.
//! A score is explained by the factors that contributed most, so a worker can be told why.
//! [`scored`] and [`legend`] give the matching slot's `Scored` and reasons directly.

use crate::json::bounded;
use crate::matching::{Candidate, Contribution, JobFeatures, MatchRequest, Scored};
use crate::types::Reason;
use serde_json::Value;

/// What the host tells a matching plugin about one candidate and the job, in plain numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    pub skill_match: f32,
    pub skill_level: u8,
    pub required_level: u8,
    pub distance_km: f32,
    pub wage_offer_cents: i64,
    pub wage_expectation_cents: i64,
    pub rating: f32,
    pub rating_count: u32,
    pub completed_jobs: u32,
    pub no_shows: u32,
}

/// The factors a score is made of, in a fixed order (their index is their reason index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Skill,
    Level,
    Distance,
    Wage,
    Rating,
    History,
}

impl Factor {
    pub const ALL: [Factor; 6] = [
        Factor::Skill,
        Factor::Level,
        Factor::Distance,
        Factor::Wage,
        Factor::Rating,
        Factor::History,
    ];

    /// Stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Factor::Skill => "match.skill",
            Factor::Level => "match.skill-level",
            Factor::Distance => "match.distance",
            Factor::Wage => "match.wage-fit",
            Factor::Rating => "match.rating",
            Factor::History => "match.history",
        }
    }

    /// Short Chinese name of the factor.
    pub fn zh(self) -> &'static str {
        match self {
            Factor::Skill => "工种匹配",
            Factor::Level => "技能等级",
            Factor::Distance => "通勤距离",
            Factor::Wage => "薪资相符",
            Factor::Rating => "用工评价",
            Factor::History => "履约记录",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How much each factor weighs, and the distance at which the distance factor halves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub skill: f32,
    pub level: f32,
    pub distance: f32,
    pub wage: f32,
    pub rating: f32,
    pub history: f32,
    pub half_distance_km: f32,
}

impl Weights {
    fn of(&self, f: Factor) -> f32 {
        match f {
            Factor::Skill => self.skill,
            Factor::Level => self.level,
            Factor::Distance => self.distance,
            Factor::Wage => self.wage,
            Factor::Rating => self.rating,
            Factor::History => self.history,
        }
    }

    fn total(&self) -> f32 {
        Factor::ALL.iter().map(|f| self.of(*f)).sum()
    }

    /// The weight of a factor as a whole percentage of all weights, for explanations.
    pub fn percent(&self, f: Factor) -> u32 {
        let total = self.total();
        if total > 0.0 { (self.of(f) / total * 100.0).round() as u32 } else { 0 }
    }

    /// "工种匹配(权重30%)" for each factor, in [`Factor::ALL`] order.
    pub fn explanations(&self) -> Vec<(&'static str, String)> {
        Factor::ALL
            .iter()
            .map(|f| (f.code(), format!("{}(权重{}%)", f.zh(), self.percent(*f))))
            .collect()
    }
}

/// Each factor's value in 0..=1.
pub fn factor_value(f: Factor, x: &Features, w: &Weights) -> f32 {
    let v = match f {
        Factor::Skill => x.skill_match,
        Factor::Level if x.required_level == 0 || x.skill_level >= x.required_level => 1.0,
        Factor::Level => 0.5 * f32::from(x.skill_level) / f32::from(x.required_level),
        Factor::Distance => 1.0 / (1.0 + x.distance_km.max(0.0) / w.half_distance_km.max(0.1)),
        Factor::Wage if x.wage_expectation_cents <= x.wage_offer_cents => 1.0,
        Factor::Wage => {
            (x.wage_offer_cents.max(0) as f32 / x.wage_expectation_cents as f32).powi(2)
        }
        // Few ratings are pulled towards a neutral 3.5 so one rating cannot dominate.
        Factor::Rating => {
            let n = x.rating_count as f32;
            let smoothed = (x.rating.clamp(1.0, 5.0) * n + 3.5 * 5.0) / (n + 5.0);
            (smoothed - 1.0) / 4.0
        }
        Factor::History => {
            let done = x.completed_jobs as f32;
            let reliability = (done + 1.0) / (done + x.no_shows as f32 * 3.0 + 1.0);
            let experience = (done / 20.0).min(1.0);
            0.7 * reliability + 0.3 * experience
        }
    };
    if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 }
}

/// A score in 0..=100 and the (factor index, points) of the `top` largest contributions.
pub fn score(x: &Features, w: &Weights, top: usize) -> (f64, Vec<(u32, f32)>) {
    let total = w.total();
    if total <= 0.0 {
        return (0.0, Vec::new());
    }
    let mut parts: Vec<(u32, f32)> = Factor::ALL
        .iter()
        .map(|f| (f.index() as u32, 100.0 * w.of(*f) * factor_value(*f, x, w) / total))
        .collect();
    let sum: f32 = parts.iter().map(|p| p.1).sum();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    parts.truncate(top);
    (f64::from(sum), parts)
}

// ---------------------------------------------------------------------------------------------
// The matching slot's types

impl Features {
    /// The plain view of one candidate for this job.
    pub fn new(job: &JobFeatures, c: &Candidate) -> Features {
        Features {
            skill_match: c.skill_match,
            skill_level: c.skill_level,
            required_level: job.required_level,
            distance_km: c.distance_km,
            wage_offer_cents: job.wage_cents_per_day,
            wage_expectation_cents: c.wage_expectation_cents_per_day,
            rating: c.rating,
            rating_count: c.rating_count,
            completed_jobs: c.completed_jobs,
            no_shows: c.no_shows,
        }
    }
}

/// The score of the request's candidate at `index` under `w`, always finite, with its three
/// largest contributions (their reasons index [`legend`]).
pub fn scored(request: &MatchRequest, index: usize, w: &Weights) -> Scored {
    let finite = |v: f32| if v.is_finite() { v } else { 0.0 };
    let x = Features::new(&request.job, &request.candidates[index]);
    let (score, parts) = score(&x, w, 3);
    let contributions = parts
        .into_iter()
        .map(|(reason, points)| Contribution { reason, points: finite(points) })
        .collect();
    Scored {
        candidate: index as u32,
        score: if score.is_finite() { score } else { 0.0 },
        contributions,
    }
}

/// The factor legend: one reason per factor, with its weight, in [`Factor::ALL`] order.
pub fn legend(w: &Weights) -> Vec<Reason> {
    w.explanations().into_iter().map(|(code, message)| crate::reason(code, message)).collect()
}

/// Weights read from a config value leniently, for plugins whose config has
/// `{"weights": {"skill": …, "level": …, "distance": …, "wage": …, "rating": …, "history": …},
/// "half_distance_km": …}`: each weight within 0..=1000 and the half distance within 0.1..=1000,
/// or its default; weights that are all 0 fall back to the defaults (keeping the half distance).
pub fn bounded_weights(config: &Value, defaults: Weights) -> Weights {
    let w = config.get("weights").unwrap_or(&Value::Null);
    let d = defaults;
    let weights = Weights {
        skill: bounded(w, "skill", d.skill, 0.0),
        level: bounded(w, "level", d.level, 0.0),
        distance: bounded(w, "distance", d.distance, 0.0),
        wage: bounded(w, "wage", d.wage, 0.0),
        rating: bounded(w, "rating", d.rating, 0.0),
        history: bounded(w, "history", d.history, 0.0),
        half_distance_km: bounded(config, "half_distance_km", d.half_distance_km, 0.1),
    };
    let all_zero = Factor::ALL.iter().all(|f| weights.of(*f) == 0.0);
    if all_zero { Weights { half_distance_km: weights.half_distance_km, ..d } } else { weights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    const EVEN: Weights = Weights {
        skill: 1.0,
        level: 1.0,
        distance: 1.0,
        wage: 1.0,
        rating: 1.0,
        history: 1.0,
        half_distance_km: 5.0,
    };

    fn worker() -> Features {
        Features {
            skill_match: 1.0,
            skill_level: 3,
            required_level: 2,
            distance_km: 0.0,
            wage_offer_cents: 20_000,
            wage_expectation_cents: 18_000,
            rating: 5.0,
            rating_count: 1000,
            completed_jobs: 50,
            no_shows: 0,
        }
    }

    #[test]
    fn a_perfect_candidate_scores_near_100() {
        let (s, parts) = score(&worker(), &EVEN, 3);
        assert!(s > 99.0 && s <= 100.0, "{s}");
        assert_eq!(parts.len(), 3);
    }

    #[test]
    fn distance_halves_the_factor_at_the_half_distance() {
        let far = Features { distance_km: 5.0, ..worker() };
        assert!((factor_value(Factor::Distance, &far, &EVEN) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn no_shows_weigh_three_times_a_completed_job() {
        let flaky = Features { completed_jobs: 3, no_shows: 1, ..worker() };
        let steady = Features { completed_jobs: 3, no_shows: 0, ..worker() };
        assert!(
            factor_value(Factor::History, &flaky, &EVEN)
                < factor_value(Factor::History, &steady, &EVEN) - 0.25
        );
    }

    #[test]
    fn one_rating_cannot_dominate() {
        let once = Features { rating: 1.0, rating_count: 1, ..worker() };
        let v = factor_value(Factor::Rating, &once, &EVEN);
        assert!(v > 0.5, "one bad rating keeps the candidate near neutral: {v}");
    }

    #[test]
    fn contributions_are_largest_first_and_sum_to_the_score() {
        let x = Features { skill_match: 0.0, distance_km: 20.0, ..worker() };
        let (s, all) = score(&x, &EVEN, 6);
        assert!(all.windows(2).all(|p| p[0].1 >= p[1].1));
        let sum: f32 = all.iter().map(|p| p.1).sum();
        assert!((sum as f64 - s).abs() < 1e-3);
        assert_eq!(
            all.last().unwrap().0,
            Factor::Skill as u32,
            "no skill match contributes nothing"
        );
    }

    #[test]
    fn nonsense_inputs_stay_in_range() {
        let x = Features {
            skill_match: f32::NAN,
            wage_expectation_cents: 0,
            wage_offer_cents: -5,
            distance_km: -3.0,
            ..worker()
        };
        for f in Factor::ALL {
            let v = factor_value(f, &x, &EVEN);
            assert!((0.0..=1.0).contains(&v), "{f:?} = {v}");
        }
    }

    #[test]
    fn explanations_carry_the_weights() {
        let w = Weights {
            skill: 3.0,
            level: 1.0,
            distance: 2.0,
            wage: 2.0,
            rating: 1.0,
            history: 1.0,
            half_distance_km: 5.0,
        };
        assert_eq!(w.explanations()[0], ("match.skill", "工种匹配(权重30%)".to_string()));
    }

    #[test]
    fn the_slot_types_are_scored_with_a_legend_per_factor() {
        let request = samples::match_request(vec![samples::candidate(1.0, 0.0)]);
        let x = Features::new(&request.job, &request.candidates[0]);
        assert_eq!(
            (x.required_level, x.wage_offer_cents, x.wage_expectation_cents),
            (1, 20_000, 18_000)
        );
        let s = scored(&request, 0, &EVEN);
        assert_eq!((s.candidate, s.contributions.len()), (0, 3));
        assert_eq!(s.score, score(&x, &EVEN, 3).0);
        let legend = legend(&EVEN);
        assert_eq!(legend.len(), Factor::ALL.len());
        assert_eq!(
            (legend[2].code.as_str(), legend[2].message.as_str()),
            ("match.distance", "通勤距离(权重17%)")
        );
    }

    #[test]
    fn bounded_weights_keep_defaults_for_bad_values_and_all_zero() {
        let w = bounded_weights(
            &crate::json::value(
                r#"{"weights": {"skill": 3, "level": -1, "wage": 1e9}, "half_distance_km": 0}"#,
            ),
            EVEN,
        );
        assert_eq!((w.skill, w.level, w.wage, w.half_distance_km), (3.0, 1.0, 1.0, 5.0));
        let zero = r#"{"weights": {"skill": 0, "level": 0, "distance": 0, "wage": 0, "rating": 0, "history": 0}, "half_distance_km": 2}"#;
        assert_eq!(
            bounded_weights(&crate::json::value(zero), EVEN),
            Weights { half_distance_km: 2.0, ..EVEN }
        );
    }
}
