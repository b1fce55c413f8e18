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

// wit-bindgen's generated glue flattens records into many parameters.
#![allow(clippy::too_many_arguments)]

wit_bindgen::generate!({ path: "../../wit", world: "subsidy" });

use gigmarket::plugins::period_types::PeriodFigures;
use gigmarket::plugins::subsidy_types::LineItem;
use gigmarket::plugins::types::{Date, Reason, TenantKind};
use gigmarket_plugin_kit::dates::{Effective, Ymd, in_force};
use gigmarket_plugin_kit::figures::{self, Line, yuan};
use serde_json::Value;

/// A cap per open day in fen for each kind of market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindCaps {
    pub city: i64,
    pub county: i64,
    pub specialty: i64,
    pub station: i64,
}

impl KindCaps {
    pub fn of(&self, kind: TenantKind) -> i64 {
        match kind {
            TenantKind::City => self.city,
            TenantKind::County => self.county,
            TenantKind::Specialty => self.specialty,
            TenantKind::Station => self.station,
        }
    }
}

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
    let config: Value = serde_json::from_str(config).unwrap_or(Value::Null);
    let entries = config.get("rates").and_then(Value::as_array);
    let table: Vec<Rates> =
        entries.map(|e| e.iter().filter_map(rates_entry).collect()).unwrap_or_default();
    if table.is_empty() { vec![DEFAULT_RATES] } else { table }
}

/// One table entry; values it lacks keep the built-in defaults.
fn rates_entry(v: &Value) -> Option<Rates> {
    let d = DEFAULT_RATES;
    let caps = v.get("cap_per_open_day_cents").unwrap_or(&Value::Null);
    let dc = d.cap_per_open_day_cents;
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
        cap_per_open_day_cents: KindCaps {
            city: whole(caps, "city", dc.city),
            county: whole(caps, "county", dc.county),
            specialty: whole(caps, "specialty", dc.specialty),
            station: whole(caps, "station", dc.station),
        },
    })
}

/// A non-negative whole number at `key`, or `default`.
fn whole(v: &Value, key: &str, default: i64) -> i64 {
    v.get(key).and_then(Value::as_i64).filter(|x| *x >= 0).unwrap_or(default)
}

/// The subsidy a market earns for its period under `table`.
pub fn subsidy(request: &SubsidyRequest, table: &[Rates]) -> SubsidyResult {
    let f = &request.figures;
    if !f.is_government_run {
        return nothing(reason(
            "subsidy.not-government-run",
            "非政府设立的零工市场按政府购买服务合同结算,不享受服务补助(0元)".into(),
        ));
    }
    let days = figures::period_days(ymd(f.period_start), ymd(f.period_end));
    if days == 0 {
        return nothing(reason(
            "subsidy.invalid-period",
            format!(
                "统计期{}至{}无效(结束早于开始),不予补助",
                show(f.period_start),
                show(f.period_end)
            ),
        ));
    }
    let on = ymd(f.period_end).min(ymd(request.today));
    let Some(rates) = in_force(table, on) else {
        return nothing(reason(
            "subsidy.no-rate-in-force",
            format!("{}没有施行中的兰考县补助标准,不予补助", show_ymd(on)),
        ));
    };
    let open = open_days(f, days);
    let cap = figures::times(open, rates.cap_per_open_day_cents.of(f.kind));
    let (lines, bit) = figures::settle(lines(f, rates, open), cap);
    let mut reasons = vec![reason(
        "subsidy.rates",
        format!("适用{}起施行的兰考县补助标准(以{}为准)", show_ymd(rates.effective), show_ymd(on)),
    )];
    reasons.extend(rules(f.kind, rates));
    reasons.push(cap_reason(f.kind, rates, open, cap, bit));
    settled(lines, reasons)
}

/// Open days, no more than the period has: a count beyond it is an input error, not service.
pub fn open_days(f: &PeriodFigures, period_days: i64) -> i64 {
    i64::from(f.open_days).min(period_days)
}

/// The lines before the cap; the station base only for stations.
pub fn lines(f: &PeriodFigures, r: &Rates, open: i64) -> Vec<Line> {
    let line = |code, basis: String, amount: i64| Line {
        code,
        basis: format!("{basis} = {}", yuan(amount)),
        amount_cents: amount,
    };
    let mut lines = Vec::new();
    if f.kind == TenantKind::Station {
        let base = figures::times(open, r.station_base_per_open_day_cents);
        lines.push(line(
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
    lines.push(line("subsidy.matches", tiers, matches));
    let trainings = i64::from(f.trainings);
    lines.push(line(
        "subsidy.trainings",
        format!("培训{trainings}场 × {}", yuan(r.per_training_cents)),
        figures::times(trainings, r.per_training_cents),
    ));
    let bonus = if trainings >= r.training_bonus_threshold { r.training_bonus_cents } else { 0 };
    lines.push(line(
        "subsidy.training-bonus",
        format!("本期培训{trainings}场,奖励门槛{}场", r.training_bonus_threshold),
        bonus,
    ));
    let in_time = i64::from(f.rights_cases_closed_in_time.min(f.rights_cases));
    let rights = figures::times(in_time, r.per_rights_case_in_time_cents);
    lines.push(line(
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

fn cap_reason(kind: TenantKind, r: &Rates, open: i64, cap: i64, bit: bool) -> Reason {
    let rule = format!(
        "{}补助上限每开放日{} × 开放{}天 = {}",
        kind_zh(kind),
        yuan(r.cap_per_open_day_cents.of(kind)),
        open,
        yuan(cap)
    );
    let outcome = if bit {
        "核定金额超过上限,各项按比例核减至上限"
    } else {
        "核定金额未超上限"
    };
    reason("subsidy.cap", format!("{rule};{outcome}"))
}

/// Chinese name of a market kind, for explanations.
pub fn kind_zh(kind: TenantKind) -> &'static str {
    match kind {
        TenantKind::City => "市级综合性零工市场",
        TenantKind::County => "县级综合性零工市场",
        TenantKind::Specialty => "专业性零工市场",
        TenantKind::Station => "零工驿站",
    }
}

fn settled(lines: Vec<Line>, reasons: Vec<Reason>) -> SubsidyResult {
    let total_cents = figures::sum(&lines.iter().map(|l| l.amount_cents).collect::<Vec<_>>());
    let items = lines
        .into_iter()
        .map(|l| LineItem {
            code: l.code.into(),
            description: l.basis,
            amount_cents: l.amount_cents,
        })
        .collect();
    SubsidyResult { total_cents, items, reasons }
}

fn nothing(why: Reason) -> SubsidyResult {
    SubsidyResult { total_cents: 0, items: Vec::new(), reasons: vec![why] }
}

fn reason(code: &str, message: String) -> Reason {
    Reason { code: code.into(), message }
}

fn ymd(d: Date) -> Ymd {
    Ymd::new(d.year, d.month, d.day)
}

fn show(d: Date) -> String {
    show_ymd(ymd(d))
}

fn show_ymd(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

struct Plugin;

impl Guest for Plugin {
    fn compute_subsidy(request: SubsidyRequest) -> SubsidyResult {
        gigmarket_plugin_kit::report_panics!();
        subsidy(&request, &rate_table(&gigmarket::plugins::host::config()))
    }
}

export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// A market's June 2026 (30 days), the same figures the city-subsidy tests use.
    fn june(kind: TenantKind) -> PeriodFigures {
        PeriodFigures {
            kind,
            period_start: date(2026, 6, 1),
            period_end: date(2026, 6, 30),
            people_served: 1_200,
            matches: 300,
            trainings: 4,
            rights_cases: 5,
            rights_cases_closed_in_time: 5,
            ledger_days: 28,
            open_days: 30,
            satisfaction: 4.6,
            operating_cost_cents: 6_000_000,
            is_government_run: true,
        }
    }

    fn request(figures: PeriodFigures) -> SubsidyRequest {
        SubsidyRequest { today: date(2026, 7, 5), figures }
    }

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
            &city_subsidy::SubsidyRequest {
                today: city_subsidy::gigmarket::plugins::types::Date {
                    year: 2026,
                    month: 7,
                    day: 5,
                },
                figures: city_june(),
            },
            &[city_subsidy::DEFAULT_RATES],
        );
        let lankao = run(june(TenantKind::County));
        assert_eq!((city.total_cents, lankao.total_cents), (1_640_000, 550_000));
        assert!(city.items.iter().any(|i| i.code == "subsidy.people-served"));
        assert!(lankao.items.iter().all(|i| i.code != "subsidy.people-served"));
    }

    /// The same June, built with city-subsidy's generated types.
    fn city_june() -> city_subsidy::gigmarket::plugins::period_types::PeriodFigures {
        use city_subsidy::gigmarket::plugins::types::{Date as D, TenantKind as K};
        let f = june(TenantKind::County);
        let d = |x: Date| D { year: x.year, month: x.month, day: x.day };
        city_subsidy::gigmarket::plugins::period_types::PeriodFigures {
            kind: K::County,
            period_start: d(f.period_start),
            period_end: d(f.period_end),
            people_served: f.people_served,
            matches: f.matches,
            trainings: f.trainings,
            rights_cases: f.rights_cases,
            rights_cases_closed_in_time: f.rights_cases_closed_in_time,
            ledger_days: f.ledger_days,
            open_days: f.open_days,
            satisfaction: f.satisfaction,
            operating_cost_cents: f.operating_cost_cents,
            is_government_run: f.is_government_run,
        }
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
