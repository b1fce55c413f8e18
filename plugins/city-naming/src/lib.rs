//! 开封市 naming standard (slot `naming`), plan §5 (场所名称标准化).
//!
//! - comprehensive markets: "XX市(县、区)零工市场"; when the division is known, XX is its name,
//!   optionally preceded by the city's (开封市龙亭区零工市场);
//! - stations: "XX街道(乡镇)、社区(村)零工驿站", or the "…家门口就业服务站" form the plan also names;
//! - specialty markets: "<行业>零工市场" (a trade, not a place);
//! - any name: no whitespace, at most 40 characters.
//!
//! Every problem found is one reason; an accepted name carries `naming.ok`. Where the standard
//! form can be worked out (the division's name, or the place a wrong suffix follows) it is
//! proposed as `canonical-name`. The plugin takes no configuration; `parent-name` is not needed
//! by the rule.

use gigmarket_plugin_kit::naming::{NameRequest, NameVerdict};
use gigmarket_plugin_kit::reason;
use gigmarket_plugin_kit::types::{Reason, TenantKind};

/// The longest name the standard allows, in characters.
pub const MAX_CHARS: usize = 40;

const MARKET: &str = "零工市场";
const STATION_SUFFIXES: [&str; 2] = ["零工驿站", "家门口就业服务站"];
/// A station names the street, township, community or village it serves.
const STATION_UNITS: [&str; 5] = ["街道", "乡", "镇", "社区", "村"];

/// What the shape of a name (its kind's pattern) says: the problem, if any, and the standard
/// form when it can be worked out.
struct Shape {
    problem: Option<Reason>,
    proposal: Option<String>,
}

impl Shape {
    fn ok(name: &str) -> Shape {
        Shape { problem: None, proposal: Some(name.to_string()) }
    }

    fn bad(problem: Reason, proposal: Option<String>) -> Shape {
        Shape { problem: Some(problem), proposal }
    }
}

/// Check a proposed name against the standard for its kind.
pub fn check(request: &NameRequest) -> NameVerdict {
    let compact: String = request.name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut reasons = Vec::new();
    if compact != request.name {
        reasons.push(reason("naming.whitespace", "名称中不能有空白字符"));
    }
    if compact.chars().count() > MAX_CHARS {
        reasons.push(reason("naming.too-long", format!("名称不能超过{MAX_CHARS}个字")));
    }
    let region = request.region_name.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let shape = match request.kind {
        TenantKind::City => comprehensive(&compact, region, &['市']),
        TenantKind::County => comprehensive(&compact, region, &['县', '区']),
        TenantKind::Specialty => specialty(&compact),
        TenantKind::Station => station(&compact),
    };
    reasons.extend(shape.problem);
    let canonical_name = shape.proposal.filter(|p| p.chars().count() <= MAX_CHARS);
    let accepted = reasons.is_empty();
    if accepted {
        reasons.push(reason("naming.ok", "名称符合场所名称标准化要求"));
    }
    NameVerdict { accepted, canonical_name, reasons }
}

/// "XX市零工市场" / "XX县零工市场" / "XX区零工市场", where XX ends in one of `units`; when the
/// division is known, XX must be its name (optionally preceded by the city's, as in
/// 开封市龙亭区零工市场).
fn comprehensive(name: &str, region: Option<&str>, units: &[char]) -> Shape {
    let place = name.strip_suffix(MARKET);
    if let Some(region) = region {
        return comprehensive_in(name, place, region);
    }
    match place {
        Some(p) if p.ends_with(units) && p.chars().count() > 1 => Shape::ok(name),
        Some(_) => Shape::bad(reason("naming.place", place_message(units)), None),
        None => Shape::bad(
            suffix_reason(TenantKind::City),
            place_prefix(name, units).map(|p| format!("{p}{MARKET}")),
        ),
    }
}

/// The comprehensive rule when the division's name is known: the standard name is fixed.
fn comprehensive_in(name: &str, place: Option<&str>, region: &str) -> Shape {
    let standard = format!("{region}{MARKET}");
    match place {
        Some(p)
            if p == region || p.strip_suffix(region).is_some_and(|city| city.ends_with('市')) =>
        {
            Shape::ok(name)
        }
        Some(_) => Shape::bad(
            reason(
                "naming.region-mismatch",
                format!("所在行政区划为{region},名称应为“{standard}”"),
            ),
            Some(standard),
        ),
        None => Shape::bad(suffix_reason(TenantKind::City), Some(standard)),
    }
}

fn place_message(units: &[char]) -> &'static str {
    if units.contains(&'市') {
        "市级综合性零工市场名称应以市名开头,如“开封市零工市场”"
    } else {
        "县级综合性零工市场名称应以县(区)名开头,如“兰考县零工市场”"
    }
}

/// The place a wrongly suffixed name starts with: everything up to the last of `units` that is
/// not part of "市场" (兰考县人力资源市场 → 兰考县).
fn place_prefix(name: &str, units: &[char]) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let end = (1..chars.len())
        .rev()
        .find(|&i| units.contains(&chars[i]) && chars.get(i + 1) != Some(&'场'))?;
    Some(chars[..=end].iter().collect())
}

fn suffix_reason(kind: TenantKind) -> Reason {
    let message = match kind {
        TenantKind::City | TenantKind::County => "综合性零工市场应按“XX市(县、区)零工市场”格式命名",
        TenantKind::Specialty => "专业性零工市场应按“行业+零工市场”格式命名,如“建筑业零工市场”",
        TenantKind::Station => {
            "零工驿站应按“XX街道(乡镇)、社区(村)零工驿站”格式命名,或称“XX家门口就业服务站”"
        }
    };
    reason("naming.suffix", message)
}

/// "<行业>零工市场": some trade before 零工市场, and not a place name that would pass for a
/// comprehensive market.
fn specialty(name: &str) -> Shape {
    let Some(trade) = name.strip_suffix(MARKET) else {
        return Shape::bad(suffix_reason(TenantKind::Specialty), None);
    };
    if trade.is_empty() || ['市', '县', '区'].iter().any(|u| trade.ends_with(*u)) {
        Shape::bad(
            reason(
                "naming.specialty-trade",
                "专业性零工市场名称应写明行业而不是地名,如“建筑业零工市场”",
            ),
            None,
        )
    } else {
        Shape::ok(name)
    }
}

/// "XX街道(乡镇)、社区(村)零工驿站", or "…家门口就业服务站".
fn station(name: &str) -> Shape {
    let Some(place) = STATION_SUFFIXES.iter().find_map(|s| name.strip_suffix(s)) else {
        return Shape::bad(
            suffix_reason(TenantKind::Station),
            unit_prefix(name).map(|p| format!("{p}零工驿站")),
        );
    };
    if STATION_UNITS.iter().any(|u| place.contains(u)) {
        Shape::ok(name)
    } else {
        Shape::bad(
            reason("naming.station-place", "零工驿站名称应包含所在街道(乡镇)或社区(村)"),
            None,
        )
    }
}

/// Everything up to the last street, township, community or village unit, if something names
/// it (兰阳街道服务点 → 兰阳街道).
fn unit_prefix(name: &str) -> Option<&str> {
    let end = STATION_UNITS
        .iter()
        .filter_map(|u| name.rfind(u).map(|i| (i, i + u.len())))
        .filter(|(start, _)| *start > 0)
        .map(|(_, end)| end)
        .max()?;
    Some(&name[..end])
}

gigmarket_plugin_kit::naming!(|request| check(&request));

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(kind: TenantKind, name: &str, region: Option<&str>) -> NameVerdict {
        check(&NameRequest {
            kind,
            name: name.into(),
            region_name: region.map(String::from),
            parent_name: None,
        })
    }

    fn codes(v: &NameVerdict) -> Vec<&str> {
        v.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    fn accepted(kind: TenantKind, name: &str, region: Option<&str>) -> bool {
        verdict(kind, name, region).accepted
    }

    #[test]
    fn an_accepted_name_carries_naming_ok_and_itself_as_canonical() {
        let v = verdict(TenantKind::County, "兰考县零工市场", Some("兰考县"));
        assert!(v.accepted);
        assert_eq!(codes(&v), ["naming.ok"]);
        assert_eq!(v.canonical_name.as_deref(), Some("兰考县零工市场"));
    }

    #[test]
    fn comprehensive_markets_carry_their_division() {
        assert!(accepted(TenantKind::City, "开封市零工市场", Some("开封市")));
        assert!(accepted(TenantKind::County, "开封市龙亭区零工市场", Some("龙亭区")));
        assert!(accepted(TenantKind::County, "某某区零工市场", None));
        assert!(accepted(TenantKind::County, "杞县零工市场", None));
        assert!(accepted(TenantKind::City, "开封市零工市场", None));
    }

    #[test]
    fn the_wrong_division_is_a_mismatch_with_the_standard_name_proposed() {
        let v = verdict(TenantKind::County, "杞县零工市场", Some("兰考县"));
        assert!(!v.accepted);
        assert_eq!(codes(&v), ["naming.region-mismatch"]);
        assert!(v.reasons[0].message.contains("兰考县零工市场"));
        assert_eq!(v.canonical_name.as_deref(), Some("兰考县零工市场"));
        assert_eq!(
            codes(&verdict(TenantKind::County, "郑州市龙亭区零工市场", Some("龙亭区"))),
            ["naming.ok"]
        );
        assert_eq!(
            codes(&verdict(TenantKind::County, "开封龙亭区零工市场", Some("龙亭区"))),
            ["naming.region-mismatch"],
            "a prefix must be a city"
        );
    }

    #[test]
    fn a_wrong_suffix_is_refused_and_the_place_kept() {
        let v = verdict(TenantKind::County, "兰考县人力资源市场", Some("兰考县"));
        assert_eq!(codes(&v), ["naming.suffix"]);
        assert_eq!(v.canonical_name.as_deref(), Some("兰考县零工市场"));
        let guessed = verdict(TenantKind::County, "开封市龙亭区劳务市场", None);
        assert_eq!(codes(&guessed), ["naming.suffix"]);
        assert_eq!(guessed.canonical_name.as_deref(), Some("开封市龙亭区零工市场"));
        assert_eq!(
            verdict(TenantKind::City, "开封市人力市场", None).canonical_name.as_deref(),
            Some("开封市零工市场")
        );
        assert_eq!(verdict(TenantKind::County, "劳务市场", None).canonical_name, None);
    }

    #[test]
    fn without_a_division_the_place_must_be_of_the_right_level() {
        let v = verdict(TenantKind::County, "某某零工市场", None);
        assert_eq!(codes(&v), ["naming.place"]);
        assert_eq!(v.canonical_name, None);
        assert_eq!(codes(&verdict(TenantKind::County, "开封市零工市场", None)), ["naming.place"]);
        assert_eq!(codes(&verdict(TenantKind::City, "兰考县零工市场", None)), ["naming.place"]);
        assert_eq!(codes(&verdict(TenantKind::County, "县零工市场", None)), ["naming.place"]);
    }

    #[test]
    fn specialty_markets_name_a_trade() {
        assert!(accepted(TenantKind::Specialty, "建筑业零工市场", None));
        assert!(accepted(TenantKind::Specialty, "开封市家政服务零工市场", None));
        assert_eq!(
            codes(&verdict(TenantKind::Specialty, "零工市场", None)),
            ["naming.specialty-trade"]
        );
        assert_eq!(
            codes(&verdict(TenantKind::Specialty, "杞县零工市场", None)),
            ["naming.specialty-trade"]
        );
        assert_eq!(
            codes(&verdict(TenantKind::Specialty, "建筑业劳务中心", None)),
            ["naming.suffix"]
        );
    }

    #[test]
    fn stations_name_their_street_or_village() {
        assert!(accepted(TenantKind::Station, "兰阳街道零工驿站", None));
        assert!(accepted(TenantKind::Station, "东坝头镇张庄村零工驿站", None));
        assert!(accepted(TenantKind::Station, "北书店街道家门口就业服务站", None));
        assert_eq!(
            codes(&verdict(TenantKind::Station, "兰考零工驿站", None)),
            ["naming.station-place"]
        );
    }

    #[test]
    fn a_station_with_the_wrong_suffix_gets_the_standard_form() {
        let v = verdict(TenantKind::Station, "兰阳街道服务点", None);
        assert_eq!(codes(&v), ["naming.suffix"]);
        assert_eq!(v.canonical_name.as_deref(), Some("兰阳街道零工驿站"));
        let village = verdict(TenantKind::Station, "东坝头镇张庄村劳务站", None);
        assert_eq!(village.canonical_name.as_deref(), Some("东坝头镇张庄村零工驿站"));
        assert_eq!(verdict(TenantKind::Station, "街道服务站", None).canonical_name, None);
    }

    #[test]
    fn whitespace_is_refused_but_the_compact_name_proposed() {
        let v = verdict(TenantKind::Station, "兰阳街道 零工驿站", None);
        assert!(!v.accepted);
        assert_eq!(codes(&v), ["naming.whitespace"]);
        assert_eq!(v.canonical_name.as_deref(), Some("兰阳街道零工驿站"));
    }

    #[test]
    fn overlong_names_are_refused_with_every_problem_listed() {
        let long = format!("{}街道零工驿站", "很".repeat(40));
        let v = verdict(TenantKind::Station, &long, None);
        assert_eq!(codes(&v), ["naming.too-long"]);
        assert_eq!(v.canonical_name, None, "the standard form would be too long too");
        let both = verdict(TenantKind::Station, &format!("{} 服务点", "很".repeat(40)), None);
        assert_eq!(codes(&both), ["naming.whitespace", "naming.too-long", "naming.suffix"]);
        assert!(
            accepted(TenantKind::Station, &format!("{}街道零工驿站", "很".repeat(34)), None),
            "exactly 40 characters"
        );
    }

    #[test]
    fn a_blank_region_is_as_good_as_none() {
        assert!(accepted(TenantKind::County, "杞县零工市场", Some(" ")));
    }
}
