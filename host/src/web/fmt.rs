//! How numbers, money and dates read on a page: yuan not fen, China's dates as 12月3日 周四.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::clock::{china, parse_date};

/// Fen as yuan: `18000` → `180元`, `18050` → `180.50元`.
pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    if c.is_multiple_of(100) {
        format!("{sign}{}元", c / 100)
    } else {
        format!("{sign}{}.{:02}元", c / 100, c % 100)
    }
}

/// A wage with its unit: `180元/天`.
pub fn wage(cents: i64, unit: &str) -> String {
    let per = match unit {
        "hour" => "小时",
        "day" => "天",
        "piece" => "件",
        "month" => "月",
        other => other,
    };
    format!("{}/{per}", yuan(cents))
}

/// When the wage is paid, in words.
pub fn settlement(s: &str) -> &'static str {
    match s {
        "daily" => "日结",
        "weekly" => "周结",
        "monthly" => "月结",
        "on_completion" => "完工结",
        _ => "其他",
    }
}

/// A day: `12月3日 周四`.
pub fn day(d: NaiveDate) -> String {
    format!("{}月{}日 {}", d.month(), d.day(), weekday(d.weekday()))
}

/// A stored `YYYY-MM-DD` day as [`day`] shows it (the text itself if it is not a day).
pub fn day_text(s: &str) -> String {
    parse_date(s).map_or_else(|| s.to_string(), day)
}

/// A span of days: `12月3日 周四` or `12月3日 周四 至 12月5日 周六`.
pub fn days(start: &str, end: &str) -> String {
    if start == end {
        day_text(start)
    } else {
        format!("{} 至 {}", day_text(start), day_text(end))
    }
}

/// A stored UTC instant in China's time: `12月3日 18:00`.
pub fn instant(stamp: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => {
            let t = t.with_timezone(&china());
            format!("{}月{}日 {}", t.month(), t.day(), t.format("%H:%M"))
        }
        Err(_) => stamp.to_string(),
    }
}

/// A distance: `800米`, `3.2公里`.
pub fn distance(km: f64) -> String {
    if km < 1.0 { format!("{}米", (km * 1000.0).round() as i64) } else { format!("{km:.1}公里") }
}

fn weekday(w: Weekday) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][w.num_days_from_monday() as usize]
}

/// Yuan typed into a form (`180`, `180.5`, `180.50`) as fen; `None` for anything else.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('元');
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 9 || frac.len() > 2 {
        return None;
    }
    if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = format!("{frac:0<2}");
    Some(whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

/// A time typed into a form in China's time (`2026-12-03T18:00`, as a `datetime-local` input
/// sends it) as RFC 3339 with China's offset; anything else is passed on as typed, for the domain
/// to name the field.
pub fn china_time(s: &str) -> String {
    let s = s.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|t| t.and_local_timezone(china()).single())
        .map_or_else(|| s.to_string(), |t| t.to_rfc3339())
}

/// A post's status in words.
pub fn job_status(status: &str) -> &'static str {
    match status {
        "open" => "招聘中",
        "held" => "待人工审核",
        "rejected" => "审核未通过",
        "closed" => "已停止招聘",
        "expired" => "已截止",
        _ => "其他",
    }
}

/// How a wage was paid, in words.
pub fn payment_method(method: &str) -> &'static str {
    match method {
        "cash" => "现金",
        "bank_transfer" => "银行转账",
        "wechat" => "微信",
        "alipay" => "支付宝",
        _ => "其他",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_in_yuan() {
        assert_eq!(yuan(18000), "180元");
        assert_eq!(yuan(18050), "180.50元");
        assert_eq!(yuan(5), "0.05元");
        assert_eq!(yuan(-250), "-2.50元");
        assert_eq!(wage(2500, "hour"), "25元/小时");
        assert_eq!(parse_yuan("180"), Some(18000));
        assert_eq!(parse_yuan("180.5"), Some(18050));
        assert_eq!(parse_yuan(" 99.99元"), Some(9999));
        for bad in ["", "1.234", "-5", "1e3", "abc", "１８０", "9999999999"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_read_the_chinese_way() {
        assert_eq!(day_text("2026-12-03"), "12月3日 周四");
        assert_eq!(days("2026-12-03", "2026-12-05"), "12月3日 周四 至 12月5日 周六");
        assert_eq!(days("2026-12-03", "2026-12-03"), "12月3日 周四");
        assert_eq!(instant("2026-12-03T10:00:00.000000Z"), "12月3日 18:00");
        assert_eq!(instant("2026-12-03T16:30:00Z"), "12月4日 00:30");
        assert_eq!(distance(0.8), "800米");
        assert_eq!(distance(3.24), "3.2公里");
        assert_eq!(china_time("2026-12-03T18:00"), "2026-12-03T18:00:00+08:00");
        assert_eq!(china_time(" soon "), "soon");
    }
}
