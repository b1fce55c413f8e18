//! The platform's calendar. Markets run on China Standard Time (UTC+8, no daylight saving), so
//! "today" is the date there, whatever the server's zone.

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in China.
pub fn today() -> NaiveDate {
    china_date(Utc::now())
}

/// The date in China at `at`.
pub fn china_date(at: chrono::DateTime<Utc>) -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    at.with_timezone(&china).date_naive()
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_chinas() {
        assert_eq!(china_date("2026-03-07T17:00:00Z".parse().unwrap()), NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(china_date("2026-03-07T15:59:59Z".parse().unwrap()), NaiveDate::from_ymd_opt(2026, 3, 7).unwrap());
    }
}
