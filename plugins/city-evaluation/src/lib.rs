//! 开封市 performance evaluation of a market (slot `evaluation`), plan §四(三): "量化评价标准",
//! 市级示范性零工市场 certification, and withdrawal of markets that fail.
//!
//! Six indicators each earn points in proportion to how far the market reached its target
//! (full points at or beyond it), weighted to a score of 0–100:
//!
//! | indicator (code) | measure | default weight, target |
//! |---|---|---|
//! | `evaluation.match-rate` | confirmed matches / people served | 25, 50% |
//! | `evaluation.rights-in-time` | rights cases closed in time / cases (no cases = 100%) | 20, 100% |
//! | `evaluation.ledger` | days with all five ledgers (plan §8) / open days | 15, 100% |
//! | `evaluation.satisfaction` | average rating 1–5 (0 = none, earns nothing) | 15, 4.5 |
//! | `evaluation.training` | trainings per 100 people served | 10, 2 |
//! | `evaluation.open-days` | open days / days in the period | 15, 90% |
//!
//! Grades: excellent ≥ 90, good ≥ 75, pass ≥ 60, else fail (`evaluation.grade`). A market is
//! eligible as 市级示范性零工市场 (`evaluation.demonstration`) only if it is excellent, its ledger
//! completeness and in-time ratio are each ≥ 95%, and it is government-run: the plan certifies
//! public markets, and a demonstration market must show its records are kept.
//!
//! # Config
//!
//! JSON, every key optional; a missing, mistyped or out-of-range value keeps its default.
//! Weights are relative (0–1000, not all 0); targets are ratios in (0, 1], except satisfaction
//! (1, 5] and training (0, 100] per 100 people. Grade thresholds (0–100) must be ordered
//! excellent ≥ good ≥ pass, or all three keep their defaults.
//!
//! ```json
//! {"weights": {"match_rate": 25, "rights_in_time": 20, "ledger": 15, "satisfaction": 15, "training": 10, "open_days": 15},
//!  "targets": {"match_rate": 0.5, "rights_in_time": 1.0, "ledger": 1.0, "satisfaction": 4.5, "training": 2.0, "open_days": 0.9},
//!  "grades": {"excellent": 90, "good": 75, "pass": 60},
//!  "demonstration": {"min_ledger_ratio": 0.95, "min_in_time_ratio": 0.95, "require_government_run": true}}
//! ```

use gigmarket_plugin_kit::evaluation::{EvaluationRequest, EvaluationResult, Grade, PeriodFigures};
use gigmarket_plugin_kit::types::Reason;
use gigmarket_plugin_kit::{config, figures, json, reason};
use serde_json::Value;

/// The indicators, in a fixed order: their index is their place in weights, targets and reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    MatchRate,
    RightsInTime,
    Ledger,
    Satisfaction,
    Training,
    OpenDays,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::MatchRate,
        Indicator::RightsInTime,
        Indicator::Ledger,
        Indicator::Satisfaction,
        Indicator::Training,
        Indicator::OpenDays,
    ];

    /// Key in the config's `weights` and `targets`.
    pub fn key(self) -> &'static str {
        match self {
            Indicator::MatchRate => "match_rate",
            Indicator::RightsInTime => "rights_in_time",
            Indicator::Ledger => "ledger",
            Indicator::Satisfaction => "satisfaction",
            Indicator::Training => "training",
            Indicator::OpenDays => "open_days",
        }
    }

    /// Stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::MatchRate => "evaluation.match-rate",
            Indicator::RightsInTime => "evaluation.rights-in-time",
            Indicator::Ledger => "evaluation.ledger",
            Indicator::Satisfaction => "evaluation.satisfaction",
            Indicator::Training => "evaluation.training",
            Indicator::OpenDays => "evaluation.open-days",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Indicator::MatchRate => "人岗匹配率",
            Indicator::RightsInTime => "维权按时办结率",
            Indicator::Ledger => "台账完整率",
            Indicator::Satisfaction => "服务满意度",
            Indicator::Training => "技能培训",
            Indicator::OpenDays => "开放天数",
        }
    }

    /// Whether a target makes sense for this indicator (a ratio, a 1–5 rating, or a rate per 100).
    fn valid_target(self, t: f64) -> bool {
        match self {
            Indicator::Satisfaction => t > 1.0 && t <= 5.0,
            Indicator::Training => t > 0.0 && t <= 100.0,
            _ => t > 0.0 && t <= 1.0,
        }
    }
}

/// Grade thresholds on the 0–100 score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grades {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
}

/// What a 市级示范性零工市场 must show beyond an excellent grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demonstration {
    pub min_ledger_ratio: f64,
    pub min_in_time_ratio: f64,
    pub require_government_run: bool,
}

/// Everything the evaluation needs from the config.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Relative weights, in [`Indicator::ALL`] order.
    pub weights: [f64; 6],
    /// The measure at which an indicator earns full points, in [`Indicator::ALL`] order.
    pub targets: [f64; 6],
    pub grades: Grades,
    pub demonstration: Demonstration,
}

pub const DEFAULT_RULES: Rules = Rules {
    weights: [25.0, 20.0, 15.0, 15.0, 10.0, 15.0],
    targets: [0.5, 1.0, 1.0, 4.5, 2.0, 0.9],
    grades: Grades { excellent: 90.0, good: 75.0, pass: 60.0 },
    demonstration: Demonstration {
        min_ledger_ratio: 0.95,
        min_in_time_ratio: 0.95,
        require_government_run: true,
    },
};

/// The rules of a config text; bad or missing values keep the defaults.
pub fn rules(config: &str) -> Rules {
    let c = json::value(config);
    let d = DEFAULT_RULES;
    let section = |name: &str| c.get(name).cloned().unwrap_or(Value::Null);
    let (w, t) = (section("weights"), section("targets"));
    let mut rules = d;
    for (i, ind) in Indicator::ALL.into_iter().enumerate() {
        rules.weights[i] =
            number(&w, ind.key()).filter(|x| (0.0..=1000.0).contains(x)).unwrap_or(d.weights[i]);
        rules.targets[i] =
            number(&t, ind.key()).filter(|x| ind.valid_target(*x)).unwrap_or(d.targets[i]);
    }
    if rules.weights.iter().sum::<f64>() <= 0.0 {
        rules.weights = d.weights;
    }
    rules.grades = grades(&section("grades"));
    rules.demonstration = demonstration(&section("demonstration"));
    rules
}

fn grades(g: &Value) -> Grades {
    let d = DEFAULT_RULES.grades;
    let pick =
        |key, default| number(g, key).filter(|x| (0.0..=100.0).contains(x)).unwrap_or(default);
    let grades = Grades {
        excellent: pick("excellent", d.excellent),
        good: pick("good", d.good),
        pass: pick("pass", d.pass),
    };
    if grades.excellent >= grades.good && grades.good >= grades.pass { grades } else { d }
}

fn demonstration(v: &Value) -> Demonstration {
    let d = DEFAULT_RULES.demonstration;
    let ratio =
        |key, default| number(v, key).filter(|x| (0.0..=1.0).contains(x)).unwrap_or(default);
    Demonstration {
        min_ledger_ratio: ratio("min_ledger_ratio", d.min_ledger_ratio),
        min_in_time_ratio: ratio("min_in_time_ratio", d.min_in_time_ratio),
        require_government_run: v
            .get("require_government_run")
            .and_then(Value::as_bool)
            .unwrap_or(d.require_government_run),
    }
}

fn number(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64).filter(|x| x.is_finite())
}

/// Score, grade and demonstration eligibility of a market's period under `rules`.
pub fn evaluate(request: &EvaluationRequest, rules: &Rules) -> EvaluationResult {
    let f = &request.figures;
    let days = figures::days_of(f);
    let total_weight: f64 = rules.weights.iter().sum();
    let mut reasons = Vec::new();
    let mut sum = 0.0;
    for (i, ind) in Indicator::ALL.into_iter().enumerate() {
        let value = measure(ind, f, days);
        let max = 100.0 * rules.weights[i] / total_weight;
        let points = max * attainment(ind, value, rules.targets[i]);
        sum += points;
        let message = format!(
            "{}:{}(满分标准{}),得{:.1}分(满分{:.1}分)",
            ind.zh(),
            explain(ind, f, days, value),
            target_text(ind, rules.targets[i]),
            points,
            max
        );
        reasons.push(reason(ind.code(), message));
    }
    let score = final_score(sum);
    let grade = grade(score, &rules.grades);
    reasons.push(grade_reason(score, grade, &rules.grades));
    let (demonstration_eligible, why) = demonstration_decision(f, grade, &rules.demonstration);
    reasons.push(why);
    EvaluationResult { score, grade, demonstration_eligible, reasons }
}

/// The raw measure of an indicator: a ratio, a rating, or trainings per 100 people.
pub fn measure(ind: Indicator, f: &PeriodFigures, period_days: i64) -> f64 {
    match ind {
        Indicator::MatchRate => figures::ratio(f.matches, f.people_served, 0.0),
        // No case to close is no case closed late.
        Indicator::RightsInTime => {
            figures::ratio(f.rights_cases_closed_in_time, f.rights_cases, 1.0)
        }
        // A market that never opened kept no ledgers.
        Indicator::Ledger => figures::ratio(f.ledger_days, f.open_days, 0.0),
        Indicator::Satisfaction => f64::from(f.satisfaction),
        Indicator::Training => figures::per_hundred(f.trainings, f.people_served),
        Indicator::OpenDays => {
            let days = u32::try_from(period_days).unwrap_or(u32::MAX);
            figures::ratio(f.open_days, days, 0.0)
        }
    }
}

/// How far a measure reached its target, in 0..=1 (1 at or beyond it).
pub fn attainment(ind: Indicator, value: f64, target: f64) -> f64 {
    let a = match ind {
        // A rating of 1 is the floor of the scale and earns nothing; 0 means no ratings.
        Indicator::Satisfaction => (value - 1.0) / (target - 1.0),
        _ => value / target,
    };
    if a.is_finite() { a.clamp(0.0, 1.0) } else { 0.0 }
}

/// The sum of points kept within 0..=100 and rounded to 0.01, so the grade follows the score shown.
fn final_score(sum: f64) -> f64 {
    if sum.is_finite() { (sum.clamp(0.0, 100.0) * 100.0).round() / 100.0 } else { 0.0 }
}

/// The grade of a score.
pub fn grade(score: f64, g: &Grades) -> Grade {
    if score >= g.excellent {
        Grade::Excellent
    } else if score >= g.good {
        Grade::Good
    } else if score >= g.pass {
        Grade::Pass
    } else {
        Grade::Fail
    }
}

fn grade_zh(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "优秀",
        Grade::Good => "良好",
        Grade::Pass => "合格",
        Grade::Fail => "不合格",
    }
}

fn grade_reason(score: f64, grade: Grade, g: &Grades) -> Reason {
    let mut message = format!(
        "综合得分{score:.2}分,评定为{}(优秀≥{}分,良好≥{}分,合格≥{}分)",
        grade_zh(grade),
        g.excellent,
        g.good,
        g.pass
    );
    if grade == Grade::Fail {
        message.push_str(";评估不合格的零工市场应限期整改,仍不合格的及时予以退出");
    }
    reason("evaluation.grade", message)
}

/// Whether the market qualifies as a 市级示范性零工市场, with the conditions it misses.
pub fn demonstration_decision(
    f: &PeriodFigures,
    grade: Grade,
    d: &Demonstration,
) -> (bool, Reason) {
    let ledger = figures::ratio(f.ledger_days, f.open_days, 0.0);
    let in_time = figures::ratio(f.rights_cases_closed_in_time, f.rights_cases, 1.0);
    let mut missing = Vec::new();
    if grade != Grade::Excellent {
        missing.push(format!("评定为{},未达优秀", grade_zh(grade)));
    }
    if ledger < d.min_ledger_ratio {
        missing.push(format!("台账完整率{}低于{}", percent(ledger), percent(d.min_ledger_ratio)));
    }
    if in_time < d.min_in_time_ratio {
        missing.push(format!(
            "维权按时办结率{}低于{}",
            percent(in_time),
            percent(d.min_in_time_ratio)
        ));
    }
    if d.require_government_run && !f.is_government_run {
        missing.push("非政府设立的零工市场".to_string());
    }
    let message = if missing.is_empty() {
        format!(
            "符合市级示范性零工市场认定条件:评定优秀,台账完整率{},维权按时办结率{}",
            percent(ledger),
            percent(in_time)
        )
    } else {
        format!("不符合市级示范性零工市场认定条件:{}", missing.join(";"))
    };
    (missing.is_empty(), reason("evaluation.demonstration", message))
}

/// The measure with the figures it comes from.
fn explain(ind: Indicator, f: &PeriodFigures, days: i64, value: f64) -> String {
    match ind {
        Indicator::MatchRate => {
            format!("确认就业{}人次/服务{}人 = {}", f.matches, f.people_served, percent(value))
        }
        Indicator::RightsInTime if f.rights_cases == 0 => {
            "本期无维权案件,按全部按时办结计".to_string()
        }
        Indicator::RightsInTime => format!(
            "按时办结{}件/受理{}件 = {}",
            f.rights_cases_closed_in_time,
            f.rights_cases,
            percent(value)
        ),
        Indicator::Ledger => {
            format!("五项台账齐全{}天/开放{}天 = {}", f.ledger_days, f.open_days, percent(value))
        }
        Indicator::Satisfaction if value.is_nan() || value < 1.0 => {
            "本期无有效满意度评价".to_string()
        }
        Indicator::Satisfaction => format!("平均{value:.2}分"),
        Indicator::Training => {
            format!("培训{}场/服务{}人 = 每百人{value:.2}场", f.trainings, f.people_served)
        }
        Indicator::OpenDays => format!("开放{}天/统计期{days}天 = {}", f.open_days, percent(value)),
    }
}

fn target_text(ind: Indicator, t: f64) -> String {
    match ind {
        Indicator::Satisfaction => format!("{t}分"),
        Indicator::Training => format!("每百人{t}场"),
        _ => percent(t),
    }
}

fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

gigmarket_plugin_kit::evaluation!(|request| evaluate(&request, &rules(&config())));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::samples::date;
    use gigmarket_plugin_kit::types::TenantKind;

    /// A well-run county market's June 2026 (30 days): every indicator at its target.
    fn model() -> PeriodFigures {
        PeriodFigures {
            kind: TenantKind::County,
            period_start: date(2026, 6, 1),
            period_end: date(2026, 6, 30),
            people_served: 1_000,
            matches: 500,
            trainings: 20,
            rights_cases: 20,
            rights_cases_closed_in_time: 20,
            ledger_days: 27,
            open_days: 27,
            satisfaction: 4.5,
            operating_cost_cents: 6_000_000,
            is_government_run: true,
        }
    }

    fn run(figures: PeriodFigures) -> EvaluationResult {
        evaluate(&EvaluationRequest { today: date(2026, 7, 5), figures }, &DEFAULT_RULES)
    }

    fn message<'a>(r: &'a EvaluationResult, code: &str) -> &'a str {
        &r.reasons.iter().find(|x| x.code == code).unwrap().message
    }

    #[test]
    fn a_market_at_every_target_scores_100_and_is_eligible() {
        let r = run(model());
        assert_eq!(r.score, 100.0);
        assert_eq!(r.grade, Grade::Excellent);
        assert!(r.demonstration_eligible);
        let codes: Vec<&str> = r.reasons.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes[..6], Indicator::ALL.map(Indicator::code));
        assert_eq!(codes[6..], ["evaluation.grade", "evaluation.demonstration"]);
        assert_eq!(
            message(&r, "evaluation.match-rate"),
            "人岗匹配率:确认就业500人次/服务1000人 = 50.0%(满分标准50.0%),得25.0分(满分25.0分)"
        );
    }

    #[test]
    fn each_indicator_earns_points_in_proportion_to_its_target() {
        // Half the target match rate loses half of 25 points.
        assert_eq!(run(PeriodFigures { matches: 250, ..model() }).score, 87.5);
        // Satisfaction 2.75 is half-way from 1 to 4.5: half of 15 points.
        assert_eq!(run(PeriodFigures { satisfaction: 2.75, ..model() }).score, 92.5);
        // 1 training per 100 people is half the target: half of 10 points.
        assert_eq!(run(PeriodFigures { trainings: 10, ..model() }).score, 95.0);
        // Open 18 of 30 days is 60%, two thirds of the 90% target: loses 5 of 15 points.
        assert_eq!(run(PeriodFigures { open_days: 18, ledger_days: 18, ..model() }).score, 95.0);
    }

    #[test]
    fn grades_follow_the_thresholds_at_their_boundaries() {
        let g = DEFAULT_RULES.grades;
        assert_eq!(grade(90.0, &g), Grade::Excellent);
        assert_eq!(grade(89.99, &g), Grade::Good);
        assert_eq!(grade(75.0, &g), Grade::Good);
        assert_eq!(grade(74.99, &g), Grade::Pass);
        assert_eq!(grade(60.0, &g), Grade::Pass);
        assert_eq!(grade(59.99, &g), Grade::Fail);
    }

    #[test]
    fn a_failing_market_is_told_it_faces_withdrawal() {
        let r = run(PeriodFigures {
            matches: 0,
            trainings: 0,
            satisfaction: 0.0,
            ledger_days: 0,
            ..model()
        });
        assert_eq!(r.grade, Grade::Fail);
        assert!(message(&r, "evaluation.grade").contains("退出"));
    }

    #[test]
    fn eligibility_needs_ledgers_and_in_time_ratio_of_95_percent() {
        let ledgers = PeriodFigures { open_days: 20, ledger_days: 19, ..model() };
        assert!(run(ledgers).demonstration_eligible, "19 of 20 days is exactly 95%");
        let short = run(PeriodFigures { open_days: 20, ledger_days: 18, ..model() });
        assert_eq!(short.grade, Grade::Excellent);
        assert!(!short.demonstration_eligible);
        assert_eq!(
            message(&short, "evaluation.demonstration"),
            "不符合市级示范性零工市场认定条件:台账完整率90.0%低于95.0%"
        );
        let late = run(PeriodFigures { rights_cases_closed_in_time: 18, ..model() });
        assert_eq!(late.grade, Grade::Excellent);
        assert!(!late.demonstration_eligible);
    }

    #[test]
    fn eligibility_needs_an_excellent_government_run_market() {
        let good = run(PeriodFigures { matches: 100, ..model() });
        assert_eq!(good.grade, Grade::Good);
        assert!(!good.demonstration_eligible);
        let contracted = run(PeriodFigures { is_government_run: false, ..model() });
        assert!(!contracted.demonstration_eligible);
        assert!(message(&contracted, "evaluation.demonstration").contains("非政府设立"));
        let lenient = Rules {
            demonstration: Demonstration {
                require_government_run: false,
                ..DEFAULT_RULES.demonstration
            },
            ..DEFAULT_RULES
        };
        assert!(
            evaluate(
                &EvaluationRequest {
                    today: date(2026, 7, 5),
                    figures: PeriodFigures { is_government_run: false, ..model() }
                },
                &lenient
            )
            .demonstration_eligible
        );
    }

    #[test]
    fn no_rights_cases_counts_as_all_closed_in_time() {
        let r = run(PeriodFigures { rights_cases: 0, rights_cases_closed_in_time: 0, ..model() });
        assert_eq!(r.score, 100.0);
        assert!(r.demonstration_eligible);
        assert!(message(&r, "evaluation.rights-in-time").contains("本期无维权案件"));
    }

    #[test]
    fn zero_figures_score_within_range() {
        let zero = PeriodFigures {
            people_served: 0,
            matches: 0,
            trainings: 0,
            rights_cases: 0,
            rights_cases_closed_in_time: 0,
            ledger_days: 0,
            open_days: 0,
            satisfaction: 0.0,
            ..model()
        };
        let r = run(zero);
        assert_eq!(r.score, 20.0, "only the 20 points of no rights cases");
        assert_eq!(r.grade, Grade::Fail);
        assert!(!r.demonstration_eligible);
    }

    #[test]
    fn absurd_figures_keep_the_score_finite_and_in_range() {
        for satisfaction in [f32::NAN, f32::INFINITY, -3.0, 99.0] {
            let absurd = PeriodFigures {
                people_served: 1,
                matches: u32::MAX,
                trainings: u32::MAX,
                rights_cases: 1,
                rights_cases_closed_in_time: u32::MAX,
                ledger_days: u32::MAX,
                open_days: u32::MAX,
                satisfaction,
                period_end: date(2026, 5, 1),
                ..model()
            };
            let r = run(absurd);
            assert!(
                r.score.is_finite() && (0.0..=100.0).contains(&r.score),
                "{satisfaction}: {}",
                r.score
            );
        }
    }

    #[test]
    fn config_changes_weights_targets_grades_and_eligibility() {
        let r = rules(
            r#"{"weights": {"match_rate": 50}, "targets": {"satisfaction": 4.0, "training": 5},
                "grades": {"excellent": 95}, "demonstration": {"min_ledger_ratio": 0.9, "require_government_run": false}}"#,
        );
        assert_eq!(r.weights[0], 50.0);
        assert_eq!((r.targets[3], r.targets[4]), (4.0, 5.0));
        assert_eq!(r.grades, Grades { excellent: 95.0, ..DEFAULT_RULES.grades });
        assert_eq!(
            r.demonstration,
            Demonstration {
                min_ledger_ratio: 0.9,
                min_in_time_ratio: 0.95,
                require_government_run: false
            }
        );
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        assert_eq!(rules("oops"), DEFAULT_RULES);
        let r = rules(
            r#"{"weights": {"match_rate": -5, "ledger": "high", "training": 1e9}, "targets": {"match_rate": 1.5, "satisfaction": 1, "open_days": 0},
                "grades": {"excellent": 70, "good": 80}, "demonstration": {"min_in_time_ratio": 95, "require_government_run": "no"}}"#,
        );
        assert_eq!(r, DEFAULT_RULES);
        let zero = r#"{"weights": {"match_rate": 0, "rights_in_time": 0, "ledger": 0, "satisfaction": 0, "training": 0, "open_days": 0}}"#;
        assert_eq!(
            rules(zero).weights,
            DEFAULT_RULES.weights,
            "all-zero weights would divide by zero"
        );
    }

    #[test]
    fn reweighting_changes_the_score() {
        let only_matches = Rules { weights: [1.0, 0.0, 0.0, 0.0, 0.0, 0.0], ..DEFAULT_RULES };
        let r = evaluate(
            &EvaluationRequest {
                today: date(2026, 7, 5),
                figures: PeriodFigures { matches: 100, ..model() },
            },
            &only_matches,
        );
        assert_eq!(r.score, 20.0);
    }
}
