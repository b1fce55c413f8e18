//! Resident identity card numbers (公民身份号码), GB 11643-1999.
//!
//! 18 characters: a 6-digit region code (行政区划代码 where the number was first issued — it may
//! have been retired since, and stays valid), the birth date `YYYYMMDD`, a 3-digit sequence whose
//! last digit is odd for men and even for women, and a check character (ISO 7064 MOD 11-2,
//! `X` for 10). Legacy 15-digit numbers (issued before 1999) have a 2-digit year (19YY) and no
//! check character; they are upgraded to 18 digits.

use chrono::{Datelike, NaiveDate};

/// Weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level codes (first two digits) in use since 1999, plus 71/81/82 for Taiwan, Hong Kong, Macao.
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// The holder's sex as the sequence number encodes it (odd: male, even: female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男 (the sequence number's last digit is odd).
    Male,
    /// 女 (the sequence number's last digit is even).
    Female,
}

/// What a valid number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// The 18-character form (legacy numbers upgraded), upper-case `X`.
    pub normalized: String,
    /// The 6-digit region code where the number was first issued (it may have been retired since).
    pub region_code: String,
    /// The birth date the number encodes (not after `today` when parsed).
    pub birth_date: NaiveDate,
    /// The holder's sex, from the sequence number.
    pub sex: Sex,
}

/// Why a number is not valid, in Chinese then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdError(pub String);

fn fail(zh: &str, en: &str) -> IdError {
    IdError(crate::error::bilingual(zh, en))
}

/// Validate an 18- or 15-digit number; `today` bounds the birth date.
pub fn parse(raw: &str, today: NaiveDate) -> Result<IdNumber, IdError> {
    let s: String = raw.trim().to_uppercase();
    let normalized = match s.len() {
        18 => s,
        15 if s.bytes().all(|b| b.is_ascii_digit()) => upgrade(&s),
        15 => {
            return Err(fail(
                "15位身份证号码只能由数字组成",
                "a 15-digit ID number has digits only",
            ));
        }
        _ => {
            return Err(fail(
                "身份证号码应为18位(或旧式15位)",
                "an ID number has 18 characters (or 15 for old cards)",
            ));
        }
    };
    let body = &normalized[..17];
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("身份证号码前17位只能是数字", "the first 17 characters must be digits"));
    }
    let last = normalized.chars().last().expect("18 chars");
    if last != check_char(body) {
        return Err(fail(
            "身份证号码校验位不正确",
            "the check character does not match (GB 11643)",
        ));
    }
    if !PROVINCES.contains(&&normalized[..2]) {
        return Err(fail("身份证号码的地区码不存在", "the region code names no province"));
    }
    let birth_date = birth(&normalized[6..14], today)?;
    let sex = if (normalized.as_bytes()[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(IdNumber { region_code: normalized[..6].to_string(), normalized, birth_date, sex })
}

/// The check character of 17 digits.
pub fn check_char(body17: &str) -> char {
    let sum: u32 = body17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK[(sum % 11) as usize]
}

/// 15 digits → 18: insert the century and append the check character.
fn upgrade(old: &str) -> String {
    let body = format!("{}19{}", &old[..6], &old[6..]);
    let check = check_char(&body);
    format!("{body}{check}")
}

fn birth(yyyymmdd: &str, today: NaiveDate) -> Result<NaiveDate, IdError> {
    let date = NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d").map_err(|_| {
        fail("身份证号码中的出生日期不存在", "the birth date in the number is not a real date")
    })?;
    if date > today {
        return Err(fail(
            "身份证号码中的出生日期晚于今天",
            "the birth date in the number is in the future",
        ));
    }
    if date.year() < 1900 {
        return Err(fail(
            "身份证号码中的出生年份早于1900年",
            "the birth year in the number is before 1900",
        ));
    }
    Ok(date)
}

/// Age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    /// Build a valid number from 17 digits.
    fn with_check(body: &str) -> String {
        format!("{body}{}", check_char(body))
    }

    #[test]
    fn a_valid_number_gives_birth_sex_and_region() {
        let n = parse(&with_check("41022519900307123"), today()).unwrap();
        assert_eq!(n.region_code, "410225");
        assert_eq!(n.birth_date, NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        assert_eq!(n.sex, Sex::Male);
        let f = parse(&with_check("41020219851231002"), today()).unwrap();
        assert_eq!(f.sex, Sex::Female);
    }

    #[test]
    fn the_published_example_with_x_is_valid() {
        // GB 11643's own example: 11010519491231002X.
        let n = parse("11010519491231002x", today()).unwrap();
        assert_eq!(n.normalized, "11010519491231002X");
        assert_eq!(n.sex, Sex::Female);
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        let good = with_check("41022519900307123");
        let wrong_last = if good.ends_with('0') { '1' } else { '0' };
        let bad = format!("{}{wrong_last}", &good[..17]);
        assert!(parse(&bad, today()).unwrap_err().0.contains("校验位"));
    }

    #[test]
    fn impossible_and_future_birth_dates_are_refused() {
        assert!(parse(&with_check("41022519900230123"), today()).unwrap_err().0.contains("不存在"));
        assert!(
            parse(&with_check("41022520300101123"), today()).unwrap_err().0.contains("晚于今天")
        );
    }

    #[test]
    fn legacy_15_digit_numbers_are_upgraded() {
        let n = parse("410224750815123", today()).unwrap();
        assert_eq!(n.normalized.len(), 18);
        assert!(n.normalized.starts_with("41022419750815123"));
        assert_eq!(n.region_code, "410224", "the retired 开封县 code stays valid");
        assert_eq!(n.sex, Sex::Male);
    }

    #[test]
    fn shapes_and_regions_are_checked() {
        assert!(parse("12345", today()).is_err());
        assert!(parse("41022519900307A23", today()).is_err());
        assert!(parse(&with_check("99022519900307123"), today()).unwrap_err().0.contains("地区码"));
    }

    #[test]
    fn ages_count_whole_years() {
        let birth = NaiveDate::from_ymd_opt(2010, 11, 29).unwrap();
        assert_eq!(age_on(birth, today()), 15);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()), 16);
    }
}
