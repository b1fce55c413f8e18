//! The platform's calendar. Markets run on China Standard Time (UTC+8, no daylight saving), so
//! "today" is the date there, whatever the server's zone.

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in China.
pub fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&china).date_naive()
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
