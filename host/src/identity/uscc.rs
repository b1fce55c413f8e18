//! Unified social credit codes (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters from the 31-character set `0-9A-Z` without `I O Z S V`: the registering
//! authority (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他), the organisation type, a 6-digit region
//! code, the 9-character organisation code, and a check character (weights 3^i mod 31).

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const AUTHORITIES: &str = "123456789ANY";

/// Why a code is not valid, in Chinese then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsccError(pub String);

fn fail(zh: &str, en: &str) -> UsccError {
    UsccError(crate::error::bilingual(zh, en))
}

/// Validate a code; returns it upper-cased.
pub fn parse(raw: &str) -> Result<String, UsccError> {
    let code = raw.trim().to_uppercase();
    if code.chars().count() != 18 {
        return Err(fail(
            "统一社会信用代码应为18位",
            "a unified social credit code has 18 characters",
        ));
    }
    let values: Option<Vec<u32>> =
        code.chars().map(|c| CHARSET.find(c).map(|i| i as u32)).collect();
    let Some(values) = values else {
        return Err(fail(
            "统一社会信用代码含有不允许的字符(不使用 I、O、Z、S、V)",
            "the code has characters outside 0-9 and A-Z without I, O, Z, S, V",
        ));
    };
    if !AUTHORITIES.contains(&code[..1]) {
        return Err(fail(
            "统一社会信用代码的登记管理部门代码无效",
            "the first character is not a registering authority code",
        ));
    }
    if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(
            "统一社会信用代码第3至8位应为行政区划代码",
            "characters 3 to 8 must be a region code",
        ));
    }
    if values[17] != check_value(&values[..17]) {
        return Err(fail(
            "统一社会信用代码校验位不正确",
            "the check character does not match (GB 32100)",
        ));
    }
    Ok(code)
}

fn check_value(first17: &[u32]) -> u32 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// The check character for 17 characters (for tests and demo data).
pub fn check_char(first17: &str) -> char {
    let values: Vec<u32> =
        first17.chars().map(|c| CHARSET.find(c).expect("valid charset") as u32).collect();
    CHARSET.as_bytes()[check_value(&values) as usize] as char
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_code_is_valid() {
        // 91350100M000100Y43: the standard's example.
        assert_eq!(parse("91350100m000100y43").unwrap(), "91350100M000100Y43");
    }

    #[test]
    fn generated_codes_validate_and_a_changed_character_does_not() {
        let body = "91410200MA9XYW123";
        let code = format!("{body}{}", check_char(body));
        assert!(parse(&code).is_ok());
        let tampered = format!("91410200MA9XYW124{}", check_char(body));
        assert!(parse(&tampered).unwrap_err().0.contains("校验位"));
    }

    #[test]
    fn malformed_codes_are_explained() {
        assert!(parse("9141020").unwrap_err().0.contains("18位"));
        assert!(parse("91410200MA9XYW12IO").unwrap_err().0.contains("不允许的字符"));
        assert!(parse("Z1410200MA9XYW1230").is_err());
        assert!(parse("914102X0MA9XYW1230").unwrap_err().0.contains("行政区划"));
    }
}
