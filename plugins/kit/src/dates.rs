//! Calendar dates without a clock: plugins get "today" in their input.
//!
//! [`Ymd`] is the plain date the rules compute with (ordered, with day counts); it converts
//! `From` and into the WIT [`Date`] both ways, and shows as `YYYY-MM-DD`.

use crate::types::Date;
use serde::Deserialize;
use std::fmt;

/// A calendar date, ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Ymd {
    pub fn new(year: i32, month: u8, day: u8) -> Ymd {
        Ymd { year, month, day }
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Ymd> {
        let mut parts = s.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Ymd { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between dates.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Ymd) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl TryFrom<String> for Ymd {
    type Error = String;
    fn try_from(s: String) -> Result<Ymd, String> {
        Ymd::parse(&s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s}"))
    }
}

impl From<Date> for Ymd {
    fn from(d: Date) -> Ymd {
        Ymd::new(d.year, d.month, d.day)
    }
}

impl From<Ymd> for Date {
    fn from(d: Ymd) -> Date {
        Date { year: d.year, month: d.month, day: d.day }
    }
}

/// `YYYY-MM-DD`, as dates are written in explanations and config.
impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Something that takes effect on a date, like a legal minimum wage.
pub trait Effective {
    fn effective(&self) -> Ymd;
}

/// The rule in force on `today`: the one with the latest effective date not after today.
pub fn in_force<T: Effective>(rules: &[T], today: Ymd) -> Option<&T> {
    rules.iter().filter(|r| r.effective() <= today).max_by_key(|r| r.effective())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_cross_months_and_leap_years() {
        assert_eq!(Ymd::new(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(Ymd::new(2024, 2, 28).days_until(Ymd::new(2024, 3, 1)), 2);
        assert_eq!(Ymd::new(2025, 12, 31).days_until(Ymd::new(2025, 1, 1)), -364);
    }

    #[test]
    fn parsing_rejects_impossible_fields() {
        assert_eq!(Ymd::parse("2025-04-27"), Some(Ymd::new(2025, 4, 27)));
        assert_eq!(Ymd::parse("2025-13-01"), None);
        assert_eq!(Ymd::parse("2025/04/27"), None);
    }

    #[test]
    fn dates_convert_both_ways_and_show_as_iso() {
        let wit = Date { year: 2026, month: 7, day: 5 };
        assert_eq!(Ymd::from(wit), Ymd::new(2026, 7, 5));
        let back = Date::from(Ymd::new(2026, 7, 5));
        assert_eq!((back.year, back.month, back.day), (2026, 7, 5));
        assert_eq!(Ymd::new(2026, 7, 5).to_string(), "2026-07-05");
        assert_eq!(Ymd::new(-200_000, 1, 1).to_string(), "-200000-01-01");
    }

    struct Rule(Ymd, u32);
    impl Effective for Rule {
        fn effective(&self) -> Ymd {
            self.0
        }
    }

    #[test]
    fn the_latest_rule_not_after_today_is_in_force() {
        let rules = [Rule(Ymd::new(2022, 1, 1), 1), Rule(Ymd::new(2026, 7, 1), 2)];
        assert_eq!(in_force(&rules, Ymd::new(2026, 6, 30)).unwrap().1, 1);
        assert_eq!(in_force(&rules, Ymd::new(2026, 7, 1)).unwrap().1, 2);
        assert!(in_force(&rules, Ymd::new(2021, 12, 31)).is_none());
    }
}
