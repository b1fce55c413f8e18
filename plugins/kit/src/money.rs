//! Money: amounts are whole fen (1/100 yuan) in `i64` everywhere; this shows them to people.

/// An amount in fen as yuan with two decimals, for explanations: `123456` → `1234.56元`.
pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}元", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_shows_two_decimals() {
        assert_eq!(yuan(123_456), "1234.56元");
        assert_eq!(yuan(5), "0.05元");
        assert_eq!(yuan(-250), "-2.50元");
        assert_eq!(yuan(i64::MIN), "-92233720368547758.08元");
    }
}
