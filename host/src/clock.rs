//! The platform's clock and calendar. Markets run on China Standard Time (UTC+8, no daylight
//! saving), so "today" is the date there, whatever the server's zone.
//!
//! [`Clock`] is the only source of "now": the store, the domain and the housekeeping sweep all
//! read the one in the application (`Store::clock`). Tests move it forward instead of waiting
//! or backdating rows, so time limits, expiry and escalation are tested as they happen.
//!
//! Dates and times that arrive as text are parsed here, and only here: one canonical form
//! (`YYYY-MM-DD`, RFC 3339), one plausible range ([`FIRST_DAY`]..=[`LAST_DAY`]), and compared as
//! dates, never as strings (`"+10000-01-01" < "2026-…"` as text).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::error::ApiError;

/// "Now" for the whole application: the system time, shifted by an offset that tests set.
/// Clones share the offset, so moving one moves every part of the running host.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_us: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The current time (UTC).
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::microseconds(self.offset_us.load(Ordering::Relaxed))
    }

    /// Today's date in China.
    pub fn today(&self) -> NaiveDate {
        china_date(self.now())
    }

    /// Move the clock forward (or back) by `by`; it keeps ticking from there.
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_us.fetch_add(by.num_microseconds().expect("a sane shift"), Ordering::Relaxed);
    }

    /// Set the clock to `at`; it keeps ticking from there.
    pub fn set(&self, at: DateTime<Utc>) {
        let shift = (at - Utc::now()).num_microseconds().expect("a sane time");
        self.offset_us.store(shift, Ordering::Relaxed);
    }
}

/// China Standard Time.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The earliest date the platform accepts anywhere.
pub const FIRST_DAY: NaiveDate = ymd(2000, 1, 1);
/// The latest date the platform accepts anywhere.
pub const LAST_DAY: NaiveDate = ymd(2100, 12, 31);

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("not a date"),
    }
}

/// The date in China at `at`.
pub fn china_date(at: chrono::DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// Whether a date lies in the plausible range.
pub fn day_in_range(day: NaiveDate) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&day)
}

/// Parse a date in its one canonical form `YYYY-MM-DD` (four-digit year, two-digit month and
/// day), within the plausible range. `None` otherwise.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let canonical = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !canonical {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| day_in_range(*d))
}

/// [`parse_date`] for an input field, with the error that names it.
pub fn parse_day(s: &str, field: &str) -> Result<NaiveDate, ApiError> {
    parse_date(s).ok_or_else(|| {
        let zh = format!("{field} 应为 {FIRST_DAY} 至 {LAST_DAY} 之间的日期,格式 YYYY-MM-DD");
        let en = format!("{field} must be a date YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}");
        ApiError::bad_request("invalid_date", &zh, &en).with_field(field)
    })
}

/// Parse an RFC 3339 time (e.g. `2026-12-01T18:00:00+08:00`) whose date lies in the plausible
/// range, as UTC.
pub fn parse_instant(s: &str, field: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc)).filter(|t| (FIRST_DAY.year()..=LAST_DAY.year()).contains(&t.year())).ok_or_else(|| {
        let zh = format!("{field} 应为 RFC 3339 时间(如 2026-12-01T18:00:00+08:00),日期在 {FIRST_DAY} 至 {LAST_DAY} 之间");
        let en = format!("{field} must be an RFC 3339 time (e.g. 2026-12-01T18:00:00+08:00) between {FIRST_DAY} and {LAST_DAY}");
        ApiError::bad_request("invalid_date", &zh, &en).with_field(field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_chinas() {
        assert_eq!(
            china_date("2026-03-07T17:00:00Z".parse().unwrap()),
            NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()
        );
        assert_eq!(
            china_date("2026-03-07T15:59:59Z".parse().unwrap()),
            NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()
        );
    }

    #[test]
    fn a_moved_clock_moves_every_clone_and_keeps_ticking() {
        let clock = Clock::system();
        let shared = clock.clone();
        let later = Utc::now() + chrono::Duration::days(3);
        clock.set(later);
        assert!((shared.now() - later).num_seconds().abs() < 5, "clones share the setting");
        clock.advance(chrono::Duration::hours(1));
        assert!(shared.now() >= later + chrono::Duration::hours(1));
        assert_eq!(shared.today(), china_date(shared.now()));
    }

    #[test]
    fn dates_have_one_canonical_form_and_a_plausible_range() {
        assert_eq!(parse_date("2026-12-01"), NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(parse_date("2000-01-01"), Some(FIRST_DAY));
        assert_eq!(parse_date("2100-12-31"), Some(LAST_DAY));
        for bad in [
            "+10000-01-01",
            "0000-01-01",
            "-0001-01-01",
            "1999-12-31",
            "2101-01-01",
            "2026-1-05",
            "2026-01-5",
            " 2026-01-05",
            "2026-02-30",
            "２０２６-01-05",
            "2026/01/05",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn times_are_rfc_3339_within_the_range() {
        let t = parse_instant("2026-12-01T18:00:00+08:00", "closes_at").unwrap();
        assert_eq!(t, "2026-12-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap());
        for bad in [
            "9999-12-31T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z",
            "2026-12-01",
            "tomorrow",
        ] {
            let err = parse_instant(bad, "closes_at").unwrap_err();
            assert_eq!(
                (err.code, err.field.as_deref()),
                ("invalid_date", Some("closes_at")),
                "{bad}"
            );
        }
    }
}
