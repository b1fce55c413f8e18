//! 兰考县 subsidy (slot `subsidy`), the county's own reading of plan §四(二).
//!
//! Like the city, only government-run markets earn it (contracted markets are paid under their
//! purchase-of-service contract). Unlike the city, 兰考县 pays for results rather than headcount
//! or reported cost, and keeps its stations (零工驿站) running with a fixed base:
//!
//! | line | pays for | why |
//! |---|---|---|
//! | `subsidy.station-base` | each open day, stations only | 站点的免费服务按工作量补助 (plan §四(二)) |
//! | `subsidy.matches` | confirmed engagements, at a higher rate beyond a threshold | rewards the markets that place the most |
//! | `subsidy.trainings` | each training held | 技能提升 |
//! | `subsidy.training-bonus` | a one-off bonus once a period's trainings reach a threshold | steady training, not a single event |
//! | `subsidy.rights-in-time` | each rights case closed within its time limit | 劳动维权, 限时办结 |
//!
//! The cap is per **open** day (not per calendar day) for the market's kind, so a market that
//! rarely opens cannot draw a full period's cap. When the cap bites, every line is cut in the
//! same proportion: lines always add up to the total and nothing is negative.
//!
//! # Config
//!
//! JSON, every key optional; a missing, mistyped or negative value keeps its default, and a rate
//! table entry without a valid `effective` date (`YYYY-MM-DD`) is ignored. Amounts are whole fen,
//! thresholds whole counts.
//!
//! ```json
//! {"rates": [{"effective": "2025-04-27",
//!             "station_base_per_open_day_cents": 6000,
//!             "match_tier_threshold": 50, "per_match_cents": 800, "per_match_above_cents": 1500,
//!             "per_training_cents": 15000, "training_bonus_threshold": 4, "training_bonus_cents": 50000,
//!             "per_rights_case_in_time_cents": 5000,
//!             "cap_per_open_day_cents": {"city": 150000, "county": 120000, "specialty": 60000, "station": 12000}}]}
//! ```
//!
//! The entry in force on the period's last day applies (or today's, for a period not yet over).
//! The defaults are illustrative: no published 兰考县 amounts were found.

use gigmarket_plugin_kit::dates::{Effective, Ymd};
use gigmarket_plugin_kit::figures::{self, Applicable, Line, cap_reason, kind_zh};
use gigmarket_plugin_kit::json::whole;
use gigmarket_plugin_kit::money::yuan;
use gigmarket_plugin_kit::subsidy::{PeriodFigures, SubsidyRequest, SubsidyResult};
use gigmarket_plugin_kit::types::{Reason, TenantKind};
use gigmarket_plugin_kit::{config, reason};
use serde_json::Value;

pub use gigmarket_plugin_kit::figures::KindCaps;

/// One entry of the rate table, in force from `effective` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub effective: Ymd,
    pub station_base_per_open_day_cents: i64,
    /// Matches up to this count earn `per_match_cents`, the rest `per_match_above_cents`.
    pub match_tier_threshold: i64,
    pub per_match_cents: i64,
    pub per_match_above_cents: i64,
    pub per_training_cents: i64,
    pub training_bonus_threshold: i64,
    pub training_bonus_cents: i64,
    pub per_rights_case_in_time_cents: i64,
    pub cap_per_open_day_cents: KindCaps,
}

impl Effective for Rates {
    fn effective(&self) -> Ymd {
        self.effective
    }
}

/// The built-in table, in force from the city plan's date (2025-04-27).
pub const DEFAULT_RATES: Rates = Rates {
    effective: Ymd { year: 2025, month: 4, day: 27 },
    station_base_per_open_day_cents: 6_000,
    match_tier_threshold: 50,
    per_match_cents: 800,
    per_match_above_cents: 1_500,
    per_training_cents: 15_000,
    training_bonus_threshold: 4,
    training_bonus_cents: 50_000,
    per_rights_case_in_time_cents: 5_000,
    cap_per_open_day_cents: KindCaps {
        city: 150_000,
        county: 120_000,
        specialty: 60_000,
        station: 12_000,
    },
};

/// The rate table of a config text: its valid entries, or the built-in table when it has none.
pub fn rate_table(config: &str) -> Vec<Rates> {
    figures::rate_table(config, DEFAULT_RATES, rates_entry)
}

/// One table entry; values it lacks keep the built-in defaults.
fn rates_entry(v: &Value) -> Option<Rates> {
    let d = DEFAULT_RATES;
    let caps = v.get("cap_per_open_day_cents").unwrap_or(&Value::Null);
    Some(Rates {
        effective: Ymd::parse(v.get("effective")?.as_str()?)?,
        station_base_per_open_day_cents: whole(
            v,
            "station_base_per_open_day_cents",
            d.station_base_per_open_day_cents,
        ),
        match_tier_threshold: whole(v, "match_tier_threshold", d.match_tier_threshold),
        per_match_cents: whole(v, "per_match_cents", d.per_match_cents),
        per_match_above_cents: whole(v, "per_match_above_cents", d.per_match_above_cents),
        per_training_cents: whole(v, "per_training_cents", d.per_training_cents),
        training_bonus_threshold: whole(v, "training_bonus_threshold", d.training_bonus_threshold),
        training_bonus_cents: whole(v, "training_bonus_cents", d.training_bonus_cents),
        per_rights_case_in_time_cents: whole(
            v,
            "per_rights_case_in_time_cents",
            d.per_rights_case_in_time_cents,
        ),
        cap_per_open_day_cents: KindCaps::from_json(caps, d.cap_per_open_day_cents),
    })
}

/// The subsidy a market earns for its period under `table`.
pub fn subsidy(request: &SubsidyRequest, table: &[Rates]) -> SubsidyResult {
    let f = &request.figures;
    let Applicable { days, rates, reason: rates_reason, .. } =
        match figures::applicable(request, table, "兰考县补助标准") {
            Ok(applicable) => applicable,
            Err(nothing) => return nothing,
        };
    let open = open_days(f, days);
    let cap = figures::times(open, rates.cap_per_open_day_cents.of(f.kind));
    let (lines, bit) = figures::settle(lines(f, rates, open), cap);
    let mut reasons = vec![rates_reason];
    reasons.extend(rules(f.kind, rates));
    reasons.push(cap_rule(f.kind, rates, open, cap, bit));
    figures::settled(lines, reasons)
}

/// Open days, no more than the period has: a count beyond it is an input error, not service.
pub fn open_days(f: &PeriodFigures, period_days: i64) -> i64 {
    i64::from(f.open_days).min(period_days)
}

/// The lines before the cap; the station base only for stations.
pub fn lines(f: &PeriodFigures, r: &Rates, open: i64) -> Vec<Line> {
    let mut lines = Vec::new();
    if f.kind == TenantKind::Station {
        let base = figures::times(open, r.station_base_per_open_day_cents);
        lines.push(Line::new(
            "subsidy.station-base",
            format!("开放{open}天 × {}", yuan(r.station_base_per_open_day_cents)),
            base,
        ));
    }
    let (low, high) = match_tiers(f.matches, r.match_tier_threshold);
    let matches = figures::times(low, r.per_match_cents)
        .saturating_add(figures::times(high, r.per_match_above_cents));
    let tiers = format!(
        "确认就业{low}人次 × {} + {high}人次 × {}",
        yuan(r.per_match_cents),
        yuan(r.per_match_above_cents)
    );
    lines.push(Line::new("subsidy.matches", tiers, matches));
    let trainings = i64::from(f.trainings);
    lines.push(Line::new(
        "subsidy.trainings",
        format!("培训{trainings}场 × {}", yuan(r.per_training_cents)),
        figures::times(trainings, r.per_training_cents),
    ));
    let bonus = if trainings >= r.training_bonus_threshold { r.training_bonus_cents } else { 0 };
    lines.push(Line::new(
        "subsidy.training-bonus",
        format!("本期培训{trainings}场,奖励门槛{}场", r.training_bonus_threshold),
        bonus,
    ));
    let in_time = i64::from(f.rights_cases_closed_in_time.min(f.rights_cases));
    let rights = figures::times(in_time, r.per_rights_case_in_time_cents);
    lines.push(Line::new(
        "subsidy.rights-in-time",
        format!("按时办结维权案件{in_time}件 × {}", yuan(r.per_rights_case_in_time_cents)),
        rights,
    ));
    lines
}

/// Matches split into (at the base rate, above the threshold).
pub fn match_tiers(matches: u32, threshold: i64) -> (i64, i64) {
    let m = i64::from(matches);
    let low = m.min(threshold.max(0));
    (low, m - low)
}

/// One reason per rule, naming its rate.
fn rules(kind: TenantKind, r: &Rates) -> Vec<Reason> {
    let mut rules = Vec::new();
    if kind == TenantKind::Station {
        rules.push(reason(
            "subsidy.station-base",
            format!("零工驿站基础补助:每开放1天{}", yuan(r.station_base_per_open_day_cents)),
        ));
    }
    rules.extend([
        reason(
            "subsidy.matches",
            format!(
                "按成效分档补助:前{}人次每人次{},超出部分每人次{}",
                r.match_tier_threshold,
                yuan(r.per_match_cents),
                yuan(r.per_match_above_cents)
            ),
        ),
        reason("subsidy.trainings", format!("按技能培训补助:每场{}", yuan(r.per_training_cents))),
        reason(
            "subsidy.training-bonus",
            format!(
                "培训奖励:本期培训达到{}场一次性奖励{}",
                r.training_bonus_threshold,
                yuan(r.training_bonus_cents)
            ),
        ),
        reason(
            "subsidy.rights-in-time",
            format!("劳动维权限时办结奖励:每按时办结1件{}", yuan(r.per_rights_case_in_time_cents)),
        ),
    ]);
    rules
}

fn cap_rule(kind: TenantKind, r: &Rates, open: i64, cap: i64, bit: bool) -> Reason {
    let per_day = yuan(r.cap_per_open_day_cents.of(kind));
    let rule = format!("{}补助上限每开放日{per_day} × 开放{open}天 = {}", kind_zh(kind), yuan(cap));
    cap_reason(rule, bit)
}

gigmarket_plugin_kit::subsidy!(|request| subsidy(&request, &rate_table(&config())));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::samples::{date, june, subsidy_request as request};

    fn run(figures: PeriodFigures) -> SubsidyResult {
        subsidy(&request(figures), &[DEFAULT_RATES])
    }

    fn item(r: &SubsidyResult, code: &str) -> Option<i64> {
        r.items.iter().find(|i| i.code == code).map(|i| i.amount_cents)
    }

    fn assert_sound(r: &SubsidyResult) {
        assert!(r.items.iter().all(|i| i.amount_cents >= 0), "{:?}", r.items);
        assert_eq!(r.total_cents, r.items.iter().map(|i| i.amount_cents).sum::<i64>());
    }

    #[test]
    fn a_county_market_earns_results_not_headcount() {
        let r = run(june(TenantKind::County));
        let codes: Vec<&str> = r.items.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "subsidy.matches",
                "subsidy.trainings",
                "subsidy.training-bonus",
                "subsidy.rights-in-time"
            ]
        );
        // 50 × 8.00 + 250 × 15.00, 4 × 150.00, bonus 500.00, 5 × 50.00.
        assert_eq!(
            r.items.iter().map(|i| i.amount_cents).collect::<Vec<_>>(),
            vec![415_000, 60_000, 50_000, 25_000]
        );
        assert_eq!(r.total_cents, 550_000);
        assert_sound(&r);
        assert_eq!(
            r.items[0].description,
            "确认就业50人次 × 8.00元 + 250人次 × 15.00元 = 4150.00元"
        );
    }

    #[test]
    fn the_formula_differs_from_the_city_default() {
        let city = city_subsidy::subsidy(
            &request(june(TenantKind::County)),
            &[city_subsidy::DEFAULT_RATES],
        );
        let lankao = run(june(TenantKind::County));
        assert_eq!((city.total_cents, lankao.total_cents), (1_640_000, 550_000));
        assert!(city.items.iter().any(|i| i.code == "subsidy.people-served"));
        assert!(lankao.items.iter().all(|i| i.code != "subsidy.people-served"));
    }

    #[test]
    fn matches_beyond_the_threshold_earn_the_higher_rate() {
        assert_eq!(match_tiers(50, 50), (50, 0));
        assert_eq!(match_tiers(51, 50), (50, 1));
        assert_eq!(match_tiers(10, -3), (0, 10));
        let at = run(PeriodFigures { matches: 50, ..june(TenantKind::County) });
        let above = run(PeriodFigures { matches: 51, ..june(TenantKind::County) });
        assert_eq!(item(&at, "subsidy.matches"), Some(40_000));
        assert_eq!(item(&above, "subsidy.matches"), Some(41_500));
    }

    #[test]
    fn only_stations_earn_the_base_for_each_open_day() {
        assert_eq!(item(&run(june(TenantKind::County)), "subsidy.station-base"), None);
        let station = run(PeriodFigures {
            open_days: 22,
            matches: 0,
            trainings: 0,
            rights_cases: 0,
            ..june(TenantKind::Station)
        });
        assert_eq!(item(&station, "subsidy.station-base"), Some(132_000));
        assert_eq!(station.total_cents, 132_000);
        let overcount = run(PeriodFigures {
            open_days: 45,
            matches: 0,
            trainings: 0,
            rights_cases: 0,
            ..june(TenantKind::Station)
        });
        assert_eq!(
            item(&overcount, "subsidy.station-base"),
            Some(180_000),
            "open days beyond the period do not count"
        );
    }

    #[test]
    fn the_training_bonus_starts_at_its_threshold() {
        assert_eq!(
            item(
                &run(PeriodFigures { trainings: 3, ..june(TenantKind::County) }),
                "subsidy.training-bonus"
            ),
            Some(0)
        );
        assert_eq!(
            item(
                &run(PeriodFigures { trainings: 4, ..june(TenantKind::County) }),
                "subsidy.training-bonus"
            ),
            Some(50_000)
        );
    }

    #[test]
    fn only_cases_closed_in_time_earn_and_never_more_than_the_cases() {
        let late = run(PeriodFigures {
            rights_cases: 5,
            rights_cases_closed_in_time: 2,
            ..june(TenantKind::County)
        });
        assert_eq!(item(&late, "subsidy.rights-in-time"), Some(10_000));
        let nonsense = run(PeriodFigures {
            rights_cases: 1,
            rights_cases_closed_in_time: 9,
            ..june(TenantKind::County)
        });
        assert_eq!(item(&nonsense, "subsidy.rights-in-time"), Some(5_000));
    }

    #[test]
    fn the_cap_counts_open_days_only() {
        // A station open 5 days: cap 5 × 120.00元 = 600.00元, far below what its lines add up to.
        let r = run(PeriodFigures { open_days: 5, ..june(TenantKind::Station) });
        assert_eq!(r.total_cents, 60_000);
        assert_sound(&r);
        let cap = r.reasons.iter().find(|x| x.code == "subsidy.cap").unwrap();
        assert_eq!(
            cap.message,
            "零工驿站补助上限每开放日120.00元 × 开放5天 = 600.00元;核定金额超过上限,各项按比例核减至上限"
        );
        let closed = run(PeriodFigures { open_days: 0, ..june(TenantKind::County) });
        assert_eq!(closed.total_cents, 0);
        assert_sound(&closed);
    }

    #[test]
    fn contracted_markets_and_broken_periods_earn_nothing() {
        let contracted =
            run(PeriodFigures { is_government_run: false, ..june(TenantKind::Station) });
        assert_eq!(
            (contracted.total_cents, contracted.reasons[0].code.as_str()),
            (0, "subsidy.not-government-run")
        );
        let broken =
            run(PeriodFigures { period_start: date(2026, 7, 1), ..june(TenantKind::Station) });
        assert_eq!(
            (broken.total_cents, broken.reasons[0].code.as_str()),
            (0, "subsidy.invalid-period")
        );
    }

    #[test]
    fn absurd_figures_do_not_overflow() {
        let figures = PeriodFigures {
            matches: u32::MAX,
            trainings: u32::MAX,
            rights_cases: u32::MAX,
            rights_cases_closed_in_time: u32::MAX,
            open_days: u32::MAX,
            period_end: date(9_999_999, 12, 31),
            ..june(TenantKind::Station)
        };
        let rates = Rates {
            per_match_above_cents: i64::MAX,
            cap_per_open_day_cents: KindCaps {
                station: i64::MAX,
                ..DEFAULT_RATES.cap_per_open_day_cents
            },
            ..DEFAULT_RATES
        };
        let r = subsidy(&SubsidyRequest { today: date(9_999_999, 12, 31), figures }, &[rates]);
        assert_sound(&r);
        assert_eq!(r.total_cents, i64::MAX);
    }

    #[test]
    fn config_sets_rates_and_bad_values_keep_defaults() {
        let table = rate_table(
            r#"{"rates": [{"effective": "2026-01-01", "match_tier_threshold": 100, "per_match_cents": -1, "cap_per_open_day_cents": {"county": "lots"}}]}"#,
        );
        assert_eq!(
            table,
            vec![Rates {
                effective: Ymd::new(2026, 1, 1),
                match_tier_threshold: 100,
                ..DEFAULT_RATES
            }]
        );
        assert_eq!(rate_table("[1, 2]"), vec![DEFAULT_RATES]);
        assert_eq!(rate_table(r#"{"rates": [{"effective": 2026}]}"#), vec![DEFAULT_RATES]);
    }

    #[test]
    fn a_later_table_takes_over_on_its_date() {
        let later =
            Rates { effective: Ymd::new(2026, 7, 1), per_training_cents: 0, ..DEFAULT_RATES };
        let june_result = subsidy(&request(june(TenantKind::County)), &[DEFAULT_RATES, later]);
        assert_eq!(item(&june_result, "subsidy.trainings"), Some(60_000));
        let july = PeriodFigures {
            period_start: date(2026, 7, 1),
            period_end: date(2026, 7, 31),
            ..june(TenantKind::County)
        };
        let july_result = subsidy(
            &SubsidyRequest { today: date(2026, 8, 1), figures: july },
            &[DEFAULT_RATES, later],
        );
        assert_eq!(item(&july_result, "subsidy.trainings"), Some(0));
    }
}
