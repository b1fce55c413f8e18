//! 开封市 default subsidy (slot `subsidy`), plan §四(二): "根据服务人数、成效和成本等,给予一定补助".
//!
//! Only government-run markets earn it: markets run by a contracted agency (委托社会力量运行) are
//! paid under their purchase-of-service contract instead. A government-run market earns four
//! lines, one per factor the plan names:
//!
//! | line | pays for | plan |
//! |---|---|---|
//! | `subsidy.people-served` | each person served | 服务人数 |
//! | `subsidy.matches` | each confirmed engagement (结果确认) | 成效 |
//! | `subsidy.trainings` | each training held | 成效 (技能提升) |
//! | `subsidy.operating-cost` | a share of the reported operating cost | 成本 |
//!
//! The sum is capped per period at a daily cap for the market's kind times the period's length
//! in days; when the cap bites, every line is cut in the same proportion, so the lines always add
//! up to the total and nothing is negative.
//!
//! # Config
//!
//! JSON, every key optional; a missing, mistyped or negative value keeps its default, and a rate
//! table entry without a valid `effective` date (`YYYY-MM-DD`) is ignored. Amounts are whole fen.
//!
//! ```json
//! {"rates": [{"effective": "2025-04-27",
//!             "per_person_cents": 300, "per_match_cents": 1000, "per_training_cents": 20000,
//!             "operating_cost_percent": 15,
//!             "daily_cap_cents": {"city": 200000, "county": 100000, "specialty": 50000, "station": 10000}}]}
//! ```
//!
//! The entry in force on the period's last day applies (or today's, for a period not yet over),
//! so a rate change never reaches back into a closed period. The defaults above are illustrative:
//! the plan names the factors but no amounts.

use gigmarket_plugin_kit::dates::{Effective, Ymd};
use gigmarket_plugin_kit::figures::{self, Applicable, Line, cap_reason, kind_zh};
use gigmarket_plugin_kit::money::yuan;
use gigmarket_plugin_kit::subsidy::{PeriodFigures, SubsidyRequest, SubsidyResult};
use gigmarket_plugin_kit::types::{Reason, TenantKind};
use gigmarket_plugin_kit::{config, json, reason};
use serde_json::Value;

pub use gigmarket_plugin_kit::figures::KindCaps;

/// One entry of the rate table, in force from `effective` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub effective: Ymd,
    pub per_person_cents: i64,
    pub per_match_cents: i64,
    pub per_training_cents: i64,
    /// 0..=100.
    pub operating_cost_percent: i64,
    pub daily_cap_cents: KindCaps,
}

impl Effective for Rates {
    fn effective(&self) -> Ymd {
        self.effective
    }
}

/// The built-in table, in force from the plan's date (2025-04-27).
pub const DEFAULT_RATES: Rates = Rates {
    effective: Ymd { year: 2025, month: 4, day: 27 },
    per_person_cents: 300,
    per_match_cents: 1_000,
    per_training_cents: 20_000,
    operating_cost_percent: 15,
    daily_cap_cents: KindCaps {
        city: 200_000,
        county: 100_000,
        specialty: 50_000,
        station: 10_000,
    },
};

/// The rate table of a config text: its valid entries, or the built-in table when it has none.
pub fn rate_table(config: &str) -> Vec<Rates> {
    figures::rate_table(config, DEFAULT_RATES, rates_entry)
}

/// One table entry; values it lacks keep the built-in defaults.
fn rates_entry(v: &Value) -> Option<Rates> {
    let d = DEFAULT_RATES;
    let caps = v.get("daily_cap_cents").unwrap_or(&Value::Null);
    Some(Rates {
        effective: Ymd::parse(v.get("effective")?.as_str()?)?,
        per_person_cents: json::whole(v, "per_person_cents", d.per_person_cents),
        per_match_cents: json::whole(v, "per_match_cents", d.per_match_cents),
        per_training_cents: json::whole(v, "per_training_cents", d.per_training_cents),
        operating_cost_percent: percent(v, "operating_cost_percent", d.operating_cost_percent),
        daily_cap_cents: KindCaps::from_json(caps, d.daily_cap_cents),
    })
}

/// A whole percentage (0–100) at `key`, or `default`: a share above 100% would pay more than the cost.
fn percent(v: &Value, key: &str, default: i64) -> i64 {
    v.get(key).and_then(Value::as_i64).filter(|x| (0..=100).contains(x)).unwrap_or(default)
}

/// The subsidy a market earns for its period under `table`.
pub fn subsidy(request: &SubsidyRequest, table: &[Rates]) -> SubsidyResult {
    let f = &request.figures;
    let Applicable { days, rates, reason: rates_reason, .. } =
        match figures::applicable(request, table, "补助标准") {
            Ok(applicable) => applicable,
            Err(nothing) => return nothing,
        };
    let cap = figures::times(days, rates.daily_cap_cents.of(f.kind));
    let (lines, bit) = figures::settle(lines(f, rates), cap);
    let mut reasons = vec![rates_reason];
    reasons.extend(rules(rates));
    reasons.push(cap_rule(f.kind, rates, days, cap, bit));
    figures::settled(lines, reasons)
}

/// The four lines before the cap.
pub fn lines(f: &PeriodFigures, r: &Rates) -> Vec<Line> {
    let cost = f.operating_cost_cents.max(0);
    let per = |n: u32, rate: i64| figures::times(i64::from(n), rate);
    vec![
        Line::new(
            "subsidy.people-served",
            format!("服务{}人 × {}", f.people_served, yuan(r.per_person_cents)),
            per(f.people_served, r.per_person_cents),
        ),
        Line::new(
            "subsidy.matches",
            format!("确认就业{}人次 × {}", f.matches, yuan(r.per_match_cents)),
            per(f.matches, r.per_match_cents),
        ),
        Line::new(
            "subsidy.trainings",
            format!("培训{}场 × {}", f.trainings, yuan(r.per_training_cents)),
            per(f.trainings, r.per_training_cents),
        ),
        Line::new(
            "subsidy.operating-cost",
            format!("运营成本{} × {}%", yuan(cost), r.operating_cost_percent),
            figures::percent_of(cost, r.operating_cost_percent),
        ),
    ]
}

/// One reason per line, naming its rule and rate.
fn rules(r: &Rates) -> Vec<Reason> {
    vec![
        reason(
            "subsidy.people-served",
            format!("按服务人数补助:每服务1人{}", yuan(r.per_person_cents)),
        ),
        reason("subsidy.matches", format!("按成效补助:每确认就业1人次{}", yuan(r.per_match_cents))),
        reason("subsidy.trainings", format!("按技能培训补助:每场{}", yuan(r.per_training_cents))),
        reason(
            "subsidy.operating-cost",
            format!("按运营成本补助:申报成本的{}%", r.operating_cost_percent),
        ),
    ]
}

fn cap_rule(kind: TenantKind, r: &Rates, days: i64, cap: i64, bit: bool) -> Reason {
    let cap_per_day = yuan(r.daily_cap_cents.of(kind));
    cap_reason(
        format!("{}补助上限每天{cap_per_day} × {days}天 = {}", kind_zh(kind), yuan(cap)),
        bit,
    )
}

gigmarket_plugin_kit::subsidy!(|request| subsidy(&request, &rate_table(&config())));

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::samples::{date, june, subsidy_request as request};

    fn amounts(r: &SubsidyResult) -> Vec<i64> {
        r.items.iter().map(|i| i.amount_cents).collect()
    }

    fn assert_sound(r: &SubsidyResult) {
        assert!(r.items.iter().all(|i| i.amount_cents >= 0), "{:?}", r.items);
        assert_eq!(r.total_cents, r.items.iter().map(|i| i.amount_cents).sum::<i64>());
        assert!(r.total_cents >= 0);
    }

    fn codes(r: &SubsidyResult) -> Vec<&str> {
        r.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn a_government_run_market_earns_each_line_at_its_rate() {
        let r = subsidy(&request(june(TenantKind::County)), &[DEFAULT_RATES]);
        assert_eq!(amounts(&r), vec![360_000, 300_000, 80_000, 900_000]);
        assert_eq!(r.total_cents, 1_640_000);
        assert_sound(&r);
        assert_eq!(r.items[0].description, "服务1200人 × 3.00元 = 3600.00元");
        assert_eq!(r.reasons[1].message, "按服务人数补助:每服务1人3.00元");
        assert!(r.reasons.last().unwrap().message.contains("核定金额未超上限"));
    }

    #[test]
    fn a_contracted_market_earns_nothing_and_says_why() {
        let figures = PeriodFigures { is_government_run: false, ..june(TenantKind::County) };
        let r = subsidy(&request(figures), &[DEFAULT_RATES]);
        assert_eq!((r.total_cents, r.items.len()), (0, 0));
        assert_eq!(codes(&r), vec!["subsidy.not-government-run"]);
    }

    #[test]
    fn the_cap_depends_on_kind_and_cuts_every_line_in_proportion() {
        // A station's June cap: 100.00元 × 30 days = 3000.00元, far below 16400.00元 earned.
        let r = subsidy(&request(june(TenantKind::Station)), &[DEFAULT_RATES]);
        assert_eq!(r.total_cents, 300_000);
        assert_eq!(amounts(&r), vec![65_854, 54_878, 14_634, 164_634]);
        assert_sound(&r);
        assert!(r.items[0].description.ends_with("按上限比例核减为658.54元"));
        let cap = r.reasons.iter().find(|x| x.code == "subsidy.cap").unwrap();
        assert_eq!(
            cap.message,
            "零工驿站补助上限每天100.00元 × 30天 = 3000.00元;核定金额超过上限,各项按比例核减至上限"
        );
    }

    #[test]
    fn the_cap_scales_with_the_period_length() {
        let one_day = PeriodFigures { period_end: date(2026, 6, 1), ..june(TenantKind::County) };
        assert_eq!(subsidy(&request(one_day), &[DEFAULT_RATES]).total_cents, 100_000);
        let ten_days = PeriodFigures { period_end: date(2026, 6, 10), ..june(TenantKind::County) };
        assert_eq!(subsidy(&request(ten_days), &[DEFAULT_RATES]).total_cents, 1_000_000);
    }

    #[test]
    fn a_period_ending_before_it_starts_earns_nothing() {
        let figures = PeriodFigures { period_end: date(2026, 5, 31), ..june(TenantKind::City) };
        let r = subsidy(&request(figures), &[DEFAULT_RATES]);
        assert_eq!(r.total_cents, 0);
        assert_eq!(codes(&r), vec!["subsidy.invalid-period"]);
    }

    #[test]
    fn zero_figures_earn_zero_lines() {
        let figures = PeriodFigures {
            people_served: 0,
            matches: 0,
            trainings: 0,
            operating_cost_cents: -500,
            ..june(TenantKind::City)
        };
        let r = subsidy(&request(figures), &[DEFAULT_RATES]);
        assert_eq!(amounts(&r), vec![0, 0, 0, 0]);
        assert_sound(&r);
    }

    #[test]
    fn absurd_figures_and_rates_neither_overflow_nor_exceed_the_cap() {
        let figures = PeriodFigures {
            people_served: u32::MAX,
            matches: u32::MAX,
            trainings: u32::MAX,
            operating_cost_cents: i64::MAX,
            period_start: date(-200_000, 1, 1),
            period_end: date(200_000, 12, 31),
            ..june(TenantKind::City)
        };
        let rates = Rates {
            per_person_cents: i64::MAX,
            daily_cap_cents: KindCaps { city: i64::MAX, ..DEFAULT_RATES.daily_cap_cents },
            ..DEFAULT_RATES
        };
        let r = subsidy(&SubsidyRequest { today: date(200_001, 1, 1), figures }, &[rates]);
        assert_sound(&r);
        assert_eq!(r.total_cents, i64::MAX);
    }

    #[test]
    fn the_rate_in_force_on_the_last_day_of_the_period_applies() {
        let raised =
            Rates { effective: Ymd::new(2026, 6, 30), per_person_cents: 500, ..DEFAULT_RATES };
        let table = [DEFAULT_RATES, raised];
        let r = subsidy(&request(june(TenantKind::County)), &table);
        assert_eq!(r.items[0].amount_cents, 600_000);
        assert_eq!(r.reasons[0].message, "适用2026-06-30起施行的补助标准(以2026-06-30为准)");
        let may = PeriodFigures {
            period_start: date(2026, 5, 1),
            period_end: date(2026, 5, 31),
            ..june(TenantKind::County)
        };
        assert_eq!(subsidy(&request(may), &table).items[0].amount_cents, 360_000);
    }

    #[test]
    fn a_period_not_yet_over_uses_the_rates_of_today() {
        let raised =
            Rates { effective: Ymd::new(2026, 6, 30), per_person_cents: 500, ..DEFAULT_RATES };
        let early = SubsidyRequest { today: date(2026, 6, 20), figures: june(TenantKind::County) };
        assert_eq!(subsidy(&early, &[DEFAULT_RATES, raised]).items[0].amount_cents, 360_000);
    }

    #[test]
    fn no_rate_in_force_earns_nothing() {
        let later = Rates { effective: Ymd::new(2027, 1, 1), ..DEFAULT_RATES };
        let r = subsidy(&request(june(TenantKind::County)), &[later]);
        assert_eq!(r.total_cents, 0);
        assert_eq!(codes(&r), vec!["subsidy.no-rate-in-force"]);
    }

    #[test]
    fn config_sets_rates_and_caps_per_entry() {
        let table = rate_table(
            r#"{"rates": [{"effective": "2026-01-01", "per_match_cents": 1500, "operating_cost_percent": 10,
                           "daily_cap_cents": {"station": 20000}}]}"#,
        );
        assert_eq!(table.len(), 1);
        let r = &table[0];
        assert_eq!(
            (r.effective, r.per_match_cents, r.operating_cost_percent),
            (Ymd::new(2026, 1, 1), 1_500, 10)
        );
        assert_eq!(
            (r.per_person_cents, r.daily_cap_cents.station, r.daily_cap_cents.city),
            (300, 20_000, 200_000)
        );
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        assert_eq!(rate_table("not json"), vec![DEFAULT_RATES]);
        assert_eq!(rate_table("{}"), vec![DEFAULT_RATES]);
        assert_eq!(
            rate_table(r#"{"rates": [{"effective": "2026-13-01"}, {"per_person_cents": 1}]}"#),
            vec![DEFAULT_RATES]
        );
        let table = rate_table(
            r#"{"rates": [{"effective": "2025-04-27", "per_person_cents": -1, "per_match_cents": "10",
                           "operating_cost_percent": 150, "daily_cap_cents": {"city": 2.5}}]}"#,
        );
        assert_eq!(table, vec![DEFAULT_RATES]);
    }
}
