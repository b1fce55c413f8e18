//! Real-name identity (实名): validating the numbers people and organisations are known by, and
//! protecting them at rest.

pub mod idcard;
pub mod pii;
pub mod uscc;

/// A mobile number: `1[3-9]` and nine more digits.
pub fn is_mobile(phone: &str) -> bool {
    let b = phone.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    #[test]
    fn mobile_numbers_follow_the_numbering_plan() {
        assert!(super::is_mobile("13812345678"));
        assert!(!super::is_mobile("12812345678"));
        assert!(!super::is_mobile("1381234567"));
        assert!(!super::is_mobile("1381234567a"));
    }
}
