//! Arithmetic on a market's period figures, shared by the subsidy and evaluation plugins, and
//! the steps every subsidy rule takes: which rates apply, lines capped in proportion, the result.
//!
//! The host passes raw counts that may be zero, inconsistent (more ledger days than open days)
//! or absurd (a period that ends before it starts). Every helper here is total: it never
//! panics, never overflows, never yields NaN, and amounts in fen never go negative, so the
//! plugins can apply their rules without re-checking each input.

use crate::dates::{Effective, Ymd, in_force};
use crate::json;
use crate::money::yuan;
use crate::reason;
use crate::subsidy::{LineItem, PeriodFigures, SubsidyRequest, SubsidyResult};
use crate::types::{Reason, TenantKind};
use serde_json::Value;
use std::fmt::Display;

/// Days in the period counting both ends (1 January to 31 January is 31 days); 0 when the
/// period ends before it starts, so a broken period earns nothing rather than a negative cap.
pub fn period_days(start: Ymd, end: Ymd) -> i64 {
    (start.days_until(end) + 1).max(0)
}

/// Days in a market's period, counting both ends; 0 when it ends before it starts.
pub fn days_of(f: &PeriodFigures) -> i64 {
    period_days(f.period_start.into(), f.period_end.into())
}

/// `part / whole` clamped to 0..=1, or `when_empty` when `whole` is 0. The caller decides what
/// "nothing to measure" means: no rights cases counts as all closed in time, no open days as
/// no ledgers kept.
pub fn ratio(part: u32, whole: u32, when_empty: f64) -> f64 {
    if whole == 0 { when_empty } else { (f64::from(part) / f64::from(whole)).clamp(0.0, 1.0) }
}

/// `count` per 100 of `base` (e.g. trainings per 100 people served); 0 when `base` is 0, since
/// a rate over nobody says nothing.
pub fn per_hundred(count: u32, base: u32) -> f64 {
    if base == 0 { 0.0 } else { f64::from(count) * 100.0 / f64::from(base) }
}

/// `count × rate` in fen, saturating at `i64::MAX`; negative inputs count as 0.
pub fn times(count: i64, rate_cents: i64) -> i64 {
    clamp_cents(i128::from(count.max(0)) * i128::from(rate_cents.max(0)))
}

/// `percent` % of `amount`, rounded down to the fen; negative amounts count as 0 and the
/// percentage is clamped to 0..=100 so a share can never exceed the amount.
pub fn percent_of(amount_cents: i64, percent: i64) -> i64 {
    clamp_cents(i128::from(amount_cents.max(0)) * i128::from(percent.clamp(0, 100)) / 100)
}

/// The sum of `amounts` (negatives as 0), saturating.
pub fn sum(amounts: &[i64]) -> i64 {
    clamp_cents(amounts.iter().map(|a| i128::from((*a).max(0))).sum())
}

/// Scale `amounts` down so that they sum to exactly `cap` when their sum exceeds it, keeping
/// their proportions (largest-remainder rounding, ties to the earlier item). Amounts at or
/// under the cap are returned unchanged; negatives become 0 either way.
pub fn cap_proportionally(amounts: &[i64], cap: i64) -> Vec<i64> {
    let clean: Vec<i128> = amounts.iter().map(|a| i128::from((*a).max(0))).collect();
    let total: i128 = clean.iter().sum();
    let cap = i128::from(cap.max(0));
    if total <= cap {
        return clean.into_iter().map(clamp_cents).collect();
    }
    let mut shares: Vec<i128> = clean.iter().map(|a| a * cap / total).collect();
    let mut order: Vec<usize> = (0..clean.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(clean[*i] * cap % total));
    let left = cap - shares.iter().sum::<i128>();
    for i in order.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares.into_iter().map(clamp_cents).collect()
}

/// One subsidy line before the cap: a stable code, how it was computed (shown to officials)
/// and its amount in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub code: &'static str,
    pub basis: String,
    pub amount_cents: i64,
}

impl Line {
    /// A line whose basis ends with what it came to: `"服务1200人 × 3.00元 = 3600.00元"`.
    pub fn new(code: &'static str, basis: impl Display, amount_cents: i64) -> Line {
        Line { code, basis: format!("{basis} = {}", yuan(amount_cents)), amount_cents }
    }
}

impl From<Line> for LineItem {
    fn from(l: Line) -> LineItem {
        LineItem { code: l.code.into(), description: l.basis, amount_cents: l.amount_cents }
    }
}

/// Apply a period's cap to subsidy lines. Lines keep their amounts when their sum fits;
/// otherwise each is cut in proportion and its basis says so, so that the lines always add up
/// to the total paid and an official can see what was cut. Returns whether the cap bit.
pub fn settle(lines: Vec<Line>, cap_cents: i64) -> (Vec<Line>, bool) {
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount_cents).collect();
    let capped = cap_proportionally(&amounts, cap_cents);
    let bit = sum(&amounts) > cap_cents.max(0);
    let lines = lines
        .into_iter()
        .zip(capped)
        .map(|(l, c)| {
            let basis = if c < l.amount_cents {
                format!("{};按上限比例核减为{}", l.basis, yuan(c))
            } else {
                l.basis
            };
            Line { basis, amount_cents: c, ..l }
        })
        .collect();
    (lines, bit)
}

// ---------------------------------------------------------------------------------------------
// Subsidy rules

/// An amount in fen for each kind of market, such as a cap per day.
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

    /// The amounts in `{"city": …, "county": …, "specialty": …, "station": …}`; each one missing,
    /// mistyped or negative keeps its default.
    pub fn from_json(v: &Value, defaults: KindCaps) -> KindCaps {
        KindCaps {
            city: json::whole(v, "city", defaults.city),
            county: json::whole(v, "county", defaults.county),
            specialty: json::whole(v, "specialty", defaults.specialty),
            station: json::whole(v, "station", defaults.station),
        }
    }
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

/// The rate table of a config text (`{"rates": [entry, …]}`): the entries `entry` accepts, or
/// `[default]` when it accepts none.
pub fn rate_table<R>(config: &str, default: R, entry: impl Fn(&Value) -> Option<R>) -> Vec<R> {
    let config = json::value(config);
    let entries = config.get("rates").and_then(Value::as_array);
    let table: Vec<R> = entries.map(|e| e.iter().filter_map(entry).collect()).unwrap_or_default();
    if table.is_empty() { vec![default] } else { table }
}

/// What a subsidy rule applies to a request: the period's length in days, the day whose rates
/// apply, those rates, and the reason saying so (`subsidy.rates`).
#[derive(Debug)]
pub struct Applicable<'t, R> {
    pub days: i64,
    pub on: Ymd,
    pub rates: &'t R,
    pub reason: Reason,
}

/// The start every subsidy rule shares. Only government-run markets earn a subsidy (a market
/// run by a contracted agency is paid under its purchase-of-service contract), a period that
/// ends before it starts earns nothing, and the rates that apply are those in force on the
/// period's last day, or today for a period not yet over, so that a change of rates never
/// reaches back into a closed period. `Err` is the result when nothing is earned (with its
/// reason); `standard` names the table in explanations (e.g. "补助标准").
pub fn applicable<'t, R: Effective>(
    request: &SubsidyRequest,
    table: &'t [R],
    standard: &str,
) -> Result<Applicable<'t, R>, SubsidyResult> {
    let f = &request.figures;
    if !f.is_government_run {
        return Err(nothing(reason(
            "subsidy.not-government-run",
            "非政府设立的零工市场按政府购买服务合同结算,不享受服务补助(0元)",
        )));
    }
    let (start, end) = (Ymd::from(f.period_start), Ymd::from(f.period_end));
    let days = period_days(start, end);
    if days == 0 {
        return Err(nothing(reason(
            "subsidy.invalid-period",
            format!("统计期{start}至{end}无效(结束早于开始),不予补助"),
        )));
    }
    let on = end.min(request.today.into());
    let Some(rates) = in_force(table, on) else {
        return Err(nothing(reason(
            "subsidy.no-rate-in-force",
            format!("{on}没有施行中的{standard},不予补助"),
        )));
    };
    let reason =
        reason("subsidy.rates", format!("适用{}起施行的{standard}(以{on}为准)", rates.effective()));
    Ok(Applicable { days, on, rates, reason })
}

/// The cap's reason (`subsidy.cap`): how the cap was worked out, then whether it bit.
pub fn cap_reason(rule: impl Display, bit: bool) -> Reason {
    let outcome = if bit {
        "核定金额超过上限,各项按比例核减至上限"
    } else {
        "核定金额未超上限"
    };
    reason("subsidy.cap", format!("{rule};{outcome}"))
}

/// The result of settled lines: their total, the lines as items, and the reasons.
pub fn settled(lines: Vec<Line>, reasons: Vec<Reason>) -> SubsidyResult {
    let total_cents = sum(&lines.iter().map(|l| l.amount_cents).collect::<Vec<_>>());
    SubsidyResult { total_cents, items: lines.into_iter().map(LineItem::from).collect(), reasons }
}

/// A result that pays nothing, for one reason.
pub fn nothing(why: Reason) -> SubsidyResult {
    SubsidyResult { total_cents: 0, items: Vec::new(), reasons: vec![why] }
}

fn clamp_cents(v: i128) -> i64 {
    i64::try_from(v.max(0)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn period_days_count_both_ends_and_never_go_negative() {
        assert_eq!(period_days(Ymd::new(2026, 1, 1), Ymd::new(2026, 1, 31)), 31);
        assert_eq!(period_days(Ymd::new(2026, 1, 1), Ymd::new(2026, 1, 1)), 1);
        assert_eq!(period_days(Ymd::new(2026, 2, 1), Ymd::new(2026, 1, 1)), 0);
        assert_eq!(period_days(Ymd::new(2024, 1, 1), Ymd::new(2024, 12, 31)), 366);
    }

    #[test]
    fn ratios_clamp_and_use_the_empty_value() {
        assert_eq!(ratio(3, 4, 0.0), 0.75);
        assert_eq!(ratio(9, 4, 0.0), 1.0);
        assert_eq!(ratio(0, 0, 1.0), 1.0);
        assert_eq!(ratio(5, 0, 0.0), 0.0);
        assert_eq!(per_hundred(3, 150), 2.0);
        assert_eq!(per_hundred(3, 0), 0.0);
    }

    #[test]
    fn amounts_saturate_and_never_go_negative() {
        assert_eq!(times(3, 250), 750);
        assert_eq!(times(-3, 250), 0);
        assert_eq!(times(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(percent_of(1_001, 30), 300);
        assert_eq!(percent_of(1_000, 250), 1_000);
        assert_eq!(percent_of(-1_000, 30), 0);
        assert_eq!(sum(&[i64::MAX, i64::MAX, -5]), i64::MAX);
    }

    #[test]
    fn capping_keeps_proportions_and_hits_the_cap_exactly() {
        let capped = cap_proportionally(&[300, 100, 0], 200);
        assert_eq!(capped, vec![150, 50, 0]);
        let odd = cap_proportionally(&[1, 1, 1], 2);
        assert_eq!(odd.iter().sum::<i64>(), 2);
        assert_eq!(odd, vec![1, 1, 0], "ties go to the earlier item");
        let huge = cap_proportionally(&[i64::MAX, i64::MAX], 10);
        assert_eq!(huge, vec![5, 5]);
    }

    #[test]
    fn capping_leaves_amounts_under_the_cap_alone() {
        assert_eq!(cap_proportionally(&[300, 100], 400), vec![300, 100]);
        assert_eq!(cap_proportionally(&[300, -100], 1_000), vec![300, 0]);
        assert_eq!(cap_proportionally(&[300, 100], -5), vec![0, 0]);
    }

    #[test]
    fn settling_marks_the_lines_the_cap_cut() {
        let lines = vec![
            Line { code: "a", basis: "A".into(), amount_cents: 300 },
            Line { code: "b", basis: "B".into(), amount_cents: 0 },
        ];
        let (under, bit) = settle(lines.clone(), 300);
        assert!(!bit);
        assert_eq!(under, lines);
        let (over, bit) = settle(lines, 100);
        assert!(bit);
        assert_eq!(over[0].amount_cents, 100);
        assert_eq!(over[0].basis, "A;按上限比例核减为1.00元");
        assert_eq!(over[1].basis, "B");
    }

    #[derive(Debug)]
    struct Rate(Ymd);
    impl Effective for Rate {
        fn effective(&self) -> Ymd {
            self.0
        }
    }

    #[test]
    fn the_rates_in_force_at_the_period_end_or_today_apply() {
        let table = [Rate(Ymd::new(2025, 1, 1)), Rate(Ymd::new(2026, 6, 30))];
        let june = samples::subsidy_request(samples::june(TenantKind::County));
        let a = applicable(&june, &table, "补助标准").unwrap();
        assert_eq!((a.days, a.on, a.rates.0), (30, Ymd::new(2026, 6, 30), Ymd::new(2026, 6, 30)));
        assert_eq!(a.reason.code, "subsidy.rates");
        assert_eq!(a.reason.message, "适用2026-06-30起施行的补助标准(以2026-06-30为准)");
        let early = SubsidyRequest { today: samples::date(2026, 6, 20), ..june };
        assert_eq!(applicable(&early, &table, "补助标准").unwrap().rates.0, Ymd::new(2025, 1, 1));
    }

    #[test]
    fn contracted_markets_broken_periods_and_missing_rates_earn_nothing() {
        let why = |f: PeriodFigures, effective: Ymd| {
            let request = samples::subsidy_request(f);
            let r = applicable(&request, &[Rate(effective)], "某县补助标准").unwrap_err();
            assert_eq!((r.total_cents, r.items.len(), r.reasons.len()), (0, 0, 1));
            (r.reasons[0].code.clone(), r.reasons[0].message.clone())
        };
        let june = samples::june(TenantKind::Station);
        let old = Ymd::new(2025, 1, 1);
        let contracted = PeriodFigures { is_government_run: false, ..june };
        assert_eq!(why(contracted, old).0, "subsidy.not-government-run");
        let broken = PeriodFigures { period_end: samples::date(2026, 5, 31), ..june };
        assert_eq!(
            why(broken, old),
            (
                "subsidy.invalid-period".into(),
                "统计期2026-06-01至2026-05-31无效(结束早于开始),不予补助".into()
            )
        );
        assert_eq!(
            why(june, Ymd::new(2027, 1, 1)),
            (
                "subsidy.no-rate-in-force".into(),
                "2026-06-30没有施行中的某县补助标准,不予补助".into()
            )
        );
    }

    #[test]
    fn a_rate_table_keeps_the_entries_accepted_or_else_the_default() {
        let entry = |v: &Value| v.get("n").and_then(Value::as_i64);
        assert_eq!(rate_table(r#"{"rates": [{"n": 1}, {"m": 2}, {"n": 3}]}"#, 0, entry), [1, 3]);
        assert_eq!(rate_table(r#"{"rates": [{"m": 2}]}"#, 0, entry), [0]);
        assert_eq!(rate_table("not json", 0, entry), [0]);
    }

    #[test]
    fn caps_per_kind_read_from_json_keep_defaults_for_bad_values() {
        let d = KindCaps { city: 4, county: 3, specialty: 2, station: 1 };
        let caps =
            KindCaps::from_json(&json::value(r#"{"city": 40, "county": -3, "station": "x"}"#), d);
        assert_eq!(caps, KindCaps { city: 40, ..d });
        assert_eq!((caps.of(TenantKind::City), caps.of(TenantKind::Station)), (40, 1));
        assert_eq!(KindCaps::from_json(&Value::Null, d), d);
    }

    #[test]
    fn settled_lines_become_items_that_add_up() {
        let lines = vec![Line::new("a", "2 × 1.50元", 300), Line::new("b", "无", 0)];
        assert_eq!(lines[0].basis, "2 × 1.50元 = 3.00元");
        let r = settled(lines, vec![cap_reason("上限5.00元", false)]);
        assert_eq!(r.total_cents, 300);
        assert_eq!(
            (r.items[0].code.as_str(), r.items[0].description.as_str()),
            ("a", "2 × 1.50元 = 3.00元")
        );
        assert_eq!(r.items[1].amount_cents, 0);
        assert_eq!(r.reasons[0].message, "上限5.00元;核定金额未超上限");
        assert_eq!(cap_reason("上限", true).message, "上限;核定金额超过上限,各项按比例核减至上限");
        assert_eq!(days_of(&samples::june(TenantKind::City)), 30);
    }
}
