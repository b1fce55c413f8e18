//! The naming standard of plan §5 (场所名称标准化), as one replaceable function.
//!
//! - comprehensive markets: "XX市(县、区)零工市场";
//! - stations: "XX街道(乡镇)、社区(村)零工驿站" (or the 家门口就业服务站 form the plan also names);
//! - specialty markets run by agencies or organisations: "<行业>零工市场".
//!
//! The naming slot's plugin replaces this function; until then every tree check calls [`check`].

use super::TenantKind;

/// What the naming rule needs to know about a market besides its name.
#[derive(Debug, Clone, Copy)]
pub struct NameContext<'a> {
    pub kind: TenantKind,
    /// Name of the administrative division the market serves (e.g. 兰考县), if known.
    pub region_name: Option<&'a str>,
}

/// Check a name against the standard. `Err` carries the reason, Chinese then English.
pub fn check(name: &str, ctx: NameContext<'_>) -> Result<(), String> {
    if name.chars().any(char::is_whitespace) {
        return Err(reason("名称中不能有空白字符", "the name must not contain whitespace"));
    }
    if name.chars().count() > 40 {
        return Err(reason("名称不能超过40个字", "the name must be at most 40 characters"));
    }
    match ctx.kind {
        TenantKind::City => comprehensive(name, ctx.region_name, &["市"]),
        TenantKind::County => comprehensive(name, ctx.region_name, &["县", "区"]),
        TenantKind::Specialty => specialty(name),
        TenantKind::Station => station(name),
    }
}

const MARKET: &str = "零工市场";

fn reason(zh: &str, en: &str) -> String {
    crate::error::bilingual(zh, en)
}

/// "XX市零工市场" / "XX县零工市场" / "XX区零工市场"; when the division is known, XX must be it
/// (optionally preceded by the city's name, as in 开封市龙亭区零工市场).
fn comprehensive(name: &str, region_name: Option<&str>, suffixes: &[&str]) -> Result<(), String> {
    let Some(place) = name.strip_suffix(MARKET) else {
        return Err(reason("综合性零工市场应命名为“XX市(县、区)零工市场”", "a comprehensive market must be named \"<place>零工市场\""));
    };
    if let Some(region) = region_name {
        let matches = place == region || place.strip_suffix(region).is_some_and(|city| city.ends_with('市'));
        return if matches {
            Ok(())
        } else {
            Err(format!("名称应为“{region}零工市场” / the name must be \"{region}零工市场\" for this division"))
        };
    }
    if suffixes.iter().any(|s| place.ends_with(s)) && place.chars().count() > 1 {
        Ok(())
    } else {
        Err(reason("综合性零工市场应命名为“XX市(县、区)零工市场”", "a comprehensive market must be named \"<city|county|district>零工市场\""))
    }
}

/// "<行业>零工市场": some trade before 零工市场, and not a place name that would pass for a
/// comprehensive market.
fn specialty(name: &str) -> Result<(), String> {
    let trade = name.strip_suffix(MARKET).unwrap_or("");
    let looks_like_place = ["市", "县", "区"].iter().any(|s| trade.ends_with(s));
    if trade.is_empty() || looks_like_place {
        Err(reason("专业性零工市场应命名为“行业+零工市场”,如“建筑业零工市场”", "a specialty market must be named \"<trade>零工市场\", e.g. 建筑业零工市场"))
    } else {
        Ok(())
    }
}

/// "XX街道(乡镇)、社区(村)零工驿站", or "…家门口就业服务站".
fn station(name: &str) -> Result<(), String> {
    let place = name.strip_suffix("零工驿站").or_else(|| name.strip_suffix("家门口就业服务站"));
    let Some(place) = place else {
        return Err(reason("零工驿站应命名为“XX街道(乡镇)、社区(村)零工驿站”", "a station must be named \"<street|town>、<community|village>零工驿站\""));
    };
    if ["街道", "乡", "镇", "社区", "村"].iter().any(|unit| place.contains(unit)) {
        Ok(())
    } else {
        Err(reason("零工驿站名称应包含所在街道(乡镇)或社区(村)", "a station's name must include its street, township, community or village"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(kind: TenantKind, region_name: Option<&'static str>) -> NameContext<'static> {
        NameContext { kind, region_name }
    }

    #[test]
    fn comprehensive_markets_carry_their_division() {
        assert!(check("开封市零工市场", ctx(TenantKind::City, Some("开封市"))).is_ok());
        assert!(check("兰考县零工市场", ctx(TenantKind::County, Some("兰考县"))).is_ok());
        assert!(check("开封市龙亭区零工市场", ctx(TenantKind::County, Some("龙亭区"))).is_ok());
        let err = check("杞县零工市场", ctx(TenantKind::County, Some("兰考县"))).unwrap_err();
        assert!(err.contains("兰考县零工市场"), "{err}");
        assert!(check("兰考县人力市场", ctx(TenantKind::County, Some("兰考县"))).is_err());
        assert!(check("某某区零工市场", ctx(TenantKind::County, None)).is_ok());
        assert!(check("某某零工市场", ctx(TenantKind::County, None)).is_err());
    }

    #[test]
    fn specialty_markets_name_a_trade() {
        assert!(check("建筑业零工市场", ctx(TenantKind::Specialty, None)).is_ok());
        assert!(check("开封市家政服务零工市场", ctx(TenantKind::Specialty, None)).is_ok());
        assert!(check("零工市场", ctx(TenantKind::Specialty, None)).is_err());
        assert!(check("杞县零工市场", ctx(TenantKind::Specialty, None)).is_err());
        assert!(check("建筑业劳务中心", ctx(TenantKind::Specialty, None)).is_err());
    }

    #[test]
    fn stations_name_their_street_or_village() {
        assert!(check("兰阳街道零工驿站", ctx(TenantKind::Station, None)).is_ok());
        assert!(check("东坝头镇张庄村零工驿站", ctx(TenantKind::Station, None)).is_ok());
        assert!(check("北书店街道家门口就业服务站", ctx(TenantKind::Station, None)).is_ok());
        assert!(check("兰考零工驿站", ctx(TenantKind::Station, None)).is_err());
        assert!(check("兰阳街道服务点", ctx(TenantKind::Station, None)).is_err());
    }

    #[test]
    fn whitespace_and_overlong_names_are_refused() {
        assert!(check("兰阳街道 零工驿站", ctx(TenantKind::Station, None)).is_err());
        let long = format!("{}街道零工驿站", "很".repeat(40));
        assert!(check(&long, ctx(TenantKind::Station, None)).is_err());
    }
}
