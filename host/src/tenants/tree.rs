//! Checking a set of tenant definitions as one tree.
//!
//! Invariants that hold for every tree this module accepts (and so for every tree in the
//! database, since nothing else writes one):
//! - codes and names are unique;
//! - there is exactly one city, and it has no parent;
//! - counties are under the city; stations under a county; specialty markets under the city or
//!   a county; so there are no cycles and every market reaches the city;
//! - every name was accepted by the naming rule that governs it (the naming plugin of the
//!   parent, or the city's own for the city), given to [`check`] as a function;
//! - region codes are well formed; a county's names a real division; a station's lies inside
//!   its county's.

use std::collections::{HashMap, HashSet};

use super::files::SourcedTenant;
use super::{DefinitionError, Tenant, TenantKind};
use crate::regions::{self, RegionStatus};

/// The naming rule: `Err` carries the reasons a definition's name was refused.
pub type NameRule<'a> = &'a dyn Fn(&SourcedTenant) -> Result<(), String>;

/// Check the definitions; on success return the tenants ordered parents before children
/// (the city first), ready to be stored in that order.
pub fn check(
    defs: &[SourcedTenant],
    naming: NameRule<'_>,
) -> Result<Vec<Tenant>, Vec<DefinitionError>> {
    let mut errors = Vec::new();
    for def in defs {
        check_fields(def, &mut errors);
        if let Err(reason) = naming(def) {
            errors.push(DefinitionError {
                source: def.source.clone(),
                field: Some("name".into()),
                message: reason,
            });
        }
    }
    let by_code = unique_codes(defs, &mut errors);
    unique_names(defs, &mut errors);
    single_city(defs, &mut errors);
    let in_cycle = cycles(defs, &by_code, &mut errors);
    for def in defs.iter().filter(|d| !in_cycle.contains(d.tenant.code.as_str())) {
        check_parent(def, &by_code, &mut errors);
    }
    if errors.is_empty() { Ok(parents_first(defs)) } else { Err(errors) }
}

/// Checks of one definition on its own: code shape, hotline, region code.
fn check_fields(def: &SourcedTenant, errors: &mut Vec<DefinitionError>) {
    let t = &def.tenant;
    let mut err = |field: &str, zh: &str, en: &str| {
        errors.push(DefinitionError::new(&def.source, Some(field), zh, en))
    };
    if !is_valid_code(&t.code) {
        err(
            "code",
            "编码只能由小写字母、数字和连字符组成,以字母开头,2–40位",
            "must be 2-40 lower-case ASCII letters, digits or '-', starting with a letter",
        );
    } else if RESERVED_CODES.contains(&t.code.as_str()) {
        err(
            "code",
            &format!("编码 `{}` 是市级后台页面的保留字,不能用作市场编码", t.code),
            &format!("`{}` is reserved for a page of the city console", t.code),
        );
    }
    if !is_valid_hotline(&t.hotline) {
        err(
            "hotline",
            "服务热线应为固定电话(如 0371-12345678)、手机号或 12333",
            "must be a landline (e.g. 0371-12345678), a mobile number, or 12333",
        );
    }
    check_public_texts(t, &mut err);
    let region = regions::find(&t.region_code);
    if !regions::is_well_formed(&t.region_code) {
        err(
            "region_code",
            "行政区划代码应为6、9或12位数字(本地代码为4位数字+L+1位数字)",
            "must be 6, 9 or 12 digits (local codes: 4 digits, L, 1 digit)",
        );
    } else if matches!(t.kind, TenantKind::City | TenantKind::County) {
        match region {
            None => err(
                "region_code",
                "不是开封市的县级行政区划代码",
                "is not a county-level division of Kaifeng",
            ),
            Some(r) if r.status == RegionStatus::Retired => err(
                "region_code",
                &format!("{}的代码已停用", r.name),
                "this division code is retired; use the current one",
            ),
            Some(r) if (t.kind == TenantKind::City) != (r.code == regions::CITY_CODE) => err(
                "region_code",
                "市级市场应使用市级代码,县级市场应使用县级代码",
                "the city uses the city's code, a county a county's",
            ),
            Some(_) => {}
        }
    }
}

/// The texts a market shows the public (主动公开): present and of a length a page can show.
/// The guide may be empty (not written yet); the others may not.
fn check_public_texts(t: &Tenant, err: &mut impl FnMut(&str, &str, &str)) {
    // (field, label, text, at most so many characters, required)
    let texts = [
        ("address", "地址", t.address.as_str(), 200, true),
        ("opening_hours", "运营时间", t.opening_hours.as_str(), 100, true),
        ("complaint_channel", "投诉渠道", t.complaint_channel.as_str(), 300, true),
        ("guide", "办事指南", t.guide.as_str(), GUIDE_MAX_CHARS, false),
    ];
    for (field, label, text, max, required) in texts {
        let chars = text.chars().count();
        if required && text.trim().is_empty() {
            err(field, &format!("{label}不能为空"), "must not be empty");
        } else if chars > max {
            err(
                field,
                &format!("{label}最多 {max} 个字(现有 {chars} 个)"),
                &format!("at most {max} characters (has {chars})"),
            );
        }
    }
}

/// The longest 办事指南 a market may publish, in characters.
pub const GUIDE_MAX_CHARS: usize = 2000;

/// Codes no market may have: the city console's own pages live at `/console/<word>`, beside the
/// market consoles at `/console/{code}`, so a market with one of these codes could never be
/// reached.
pub const RESERVED_CODES: &[&str] = &["tenants", "permissions", "audit", "dashboard", "ledgers"];

/// Lower-case ASCII letters, digits and '-', starting with a letter, 2 to 40 long.
pub fn is_valid_code(code: &str) -> bool {
    let b = code.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// A landline with area code (0371-12345678, 037112345678), a mobile number, or a short
/// government hotline such as 12333.
pub fn is_valid_hotline(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let all_digits = digits.chars().all(|c| c.is_ascii_digit());
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let short = digits.len() == 5 && digits.starts_with("123");
    all_digits && s.matches('-').count() <= 1 && (landline || mobile || short)
}

fn unique_codes<'a>(
    defs: &'a [SourcedTenant],
    errors: &mut Vec<DefinitionError>,
) -> HashMap<&'a str, &'a SourcedTenant> {
    let mut by_code: HashMap<&str, &SourcedTenant> = HashMap::new();
    for def in defs {
        if let Some(first) = by_code.get(def.tenant.code.as_str()) {
            let en =
                format!("duplicate code `{}`, already used by {}", def.tenant.code, first.source);
            errors.push(DefinitionError::new(
                &def.source,
                Some("code"),
                &format!("编码重复(已被 {} 使用)", first.source),
                &en,
            ));
        } else {
            by_code.insert(&def.tenant.code, def);
        }
    }
    by_code
}

fn unique_names(defs: &[SourcedTenant], errors: &mut Vec<DefinitionError>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for def in defs {
        if let Some(first) = seen.insert(&def.tenant.name, &def.source) {
            let en = format!("duplicate name, already used by {first}");
            errors.push(DefinitionError::new(
                &def.source,
                Some("name"),
                &format!("名称重复(已被 {first} 使用)"),
                &en,
            ));
        }
    }
}

fn single_city(defs: &[SourcedTenant], errors: &mut Vec<DefinitionError>) {
    let cities: Vec<&SourcedTenant> =
        defs.iter().filter(|d| d.tenant.kind == TenantKind::City).collect();
    match cities.as_slice() {
        [] => errors.push(DefinitionError::new(
            "tenants",
            Some("kind"),
            "必须有且只有一个市级零工市场,现在没有",
            "there must be exactly one city market, found none",
        )),
        [_] => {}
        [first, rest @ ..] => {
            for extra in rest {
                let en = format!(
                    "there must be exactly one city market; {} is already the city",
                    first.source
                );
                errors.push(DefinitionError::new(
                    &extra.source,
                    Some("kind"),
                    &format!("只能有一个市级零工市场({} 已是市级)", first.source),
                    &en,
                ));
            }
        }
    }
}

/// Report every parent chain that loops; return the codes on loops.
fn cycles<'a>(
    defs: &'a [SourcedTenant],
    by_code: &HashMap<&'a str, &'a SourcedTenant>,
    errors: &mut Vec<DefinitionError>,
) -> HashSet<&'a str> {
    let mut on_cycle: HashSet<&str> = HashSet::new();
    for def in defs {
        let start = def.tenant.code.as_str();
        if on_cycle.contains(start) {
            continue;
        }
        let mut path = vec![start];
        let mut current = def;
        while let Some(parent) = current.tenant.parent.as_deref().and_then(|p| by_code.get(p)) {
            let code = parent.tenant.code.as_str();
            if code == start {
                path.push(code);
                let chain = path.join(" → ");
                errors.push(DefinitionError::new(
                    &def.source,
                    Some("parent"),
                    &format!("上级关系形成循环:{chain}"),
                    &format!("the parent chain loops: {chain}"),
                ));
                on_cycle.extend(path.iter().copied());
                break;
            }
            if path.contains(&code) || path.len() > defs.len() {
                break; // a loop further up; reported when its own member is the start
            }
            path.push(code);
            current = parent;
        }
    }
    on_cycle
}

/// The parent exists and is of a kind this kind may sit under.
fn check_parent(
    def: &SourcedTenant,
    by_code: &HashMap<&str, &SourcedTenant>,
    errors: &mut Vec<DefinitionError>,
) {
    let t = &def.tenant;
    let mut err =
        |zh: &str, en: &str| errors.push(DefinitionError::new(&def.source, Some("parent"), zh, en));
    let parent = match (&t.parent, t.kind) {
        (None, TenantKind::City) => return,
        (Some(_), TenantKind::City) => {
            return err("市级零工市场不能有上级", "the city market has no parent");
        }
        (None, _) => {
            return err("缺少上级市场", "missing parent: every market but the city has one");
        }
        (Some(code), _) => match by_code.get(code.as_str()) {
            Some(parent) => parent,
            None => {
                return err(
                    &format!("上级市场 `{code}` 不存在"),
                    &format!("parent `{code}` does not exist"),
                );
            }
        },
    };
    let allowed: &[TenantKind] = match t.kind {
        TenantKind::City => &[],
        TenantKind::County => &[TenantKind::City],
        TenantKind::Specialty => &[TenantKind::City, TenantKind::County],
        TenantKind::Station => &[TenantKind::County],
    };
    let pk = parent.tenant.kind;
    if !allowed.contains(&pk) {
        let wanted: Vec<&str> = allowed.iter().map(|k| k.zh()).collect();
        let wanted_en: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
        let zh = format!(
            "{}的上级必须是{},而 `{}` 是{}",
            t.kind.zh(),
            wanted.join("或"),
            parent.tenant.code,
            pk.zh()
        );
        let en = format!(
            "a {} must be under a {}, but `{}` is a {}",
            t.kind.as_str(),
            wanted_en.join(" or "),
            parent.tenant.code,
            pk.as_str()
        );
        return err(&zh, &en);
    }
    if t.kind == TenantKind::Station
        && regions::find(&parent.tenant.region_code)
            .is_some_and(|r| r.status != RegionStatus::Local)
        && !t.region_code.starts_with(&parent.tenant.region_code)
    {
        let en = format!("region_code must lie inside the county's {}", parent.tenant.region_code);
        errors.push(DefinitionError::new(
            &def.source,
            Some("region_code"),
            &format!("驿站的行政区划代码应在所属县(区) {} 之内", parent.tenant.region_code),
            &en,
        ));
    }
}

/// Breadth-first from the city, so every parent is listed before its children.
fn parents_first(defs: &[SourcedTenant]) -> Vec<Tenant> {
    let mut ordered: Vec<Tenant> =
        defs.iter().filter(|d| d.tenant.parent.is_none()).map(|d| d.tenant.clone()).collect();
    let mut i = 0;
    while i < ordered.len() {
        let code = ordered[i].code.clone();
        ordered.extend(
            defs.iter()
                .filter(|d| d.tenant.parent.as_deref() == Some(&code))
                .map(|d| d.tenant.clone()),
        );
        i += 1;
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::TenantStatus;

    fn def(
        code: &str,
        kind: TenantKind,
        parent: Option<&str>,
        name: &str,
        region: &str,
    ) -> SourcedTenant {
        SourcedTenant {
            source: format!("{code}.toml"),
            plugins: Vec::new(),
            tenant: Tenant {
                code: code.into(),
                kind,
                parent: parent.map(Into::into),
                name: name.into(),
                region_code: region.into(),
                address: "地址".into(),
                location: None,
                opening_hours: "每日 06:00-18:00".into(),
                hotline: "0371-12345678".into(),
                complaint_channel: "12333".into(),
                guide: String::new(),
                status: TenantStatus::Active,
                operator: None,
            },
        }
    }

    fn good() -> Vec<SourcedTenant> {
        vec![
            def("lanyang", TenantKind::Station, Some("lankao"), "兰阳街道零工驿站", "410225001"),
            def("kaifeng", TenantKind::City, None, "开封市零工市场", "410200"),
            def("lankao", TenantKind::County, Some("kaifeng"), "兰考县零工市场", "410225"),
            def("build", TenantKind::Specialty, Some("kaifeng"), "建筑业零工市场", "410200"),
        ]
    }

    /// A stand-in naming rule: refuses names containing 坏, so the wiring can be tested.
    fn naming(def: &SourcedTenant) -> Result<(), String> {
        if def.tenant.name.contains('坏') {
            Err("名称不规范 / bad name".into())
        } else {
            Ok(())
        }
    }

    fn errors_of(defs: &[SourcedTenant]) -> Vec<String> {
        check(defs, &naming).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_tree_comes_back_parents_first() {
        let order: Vec<String> =
            check(&good(), &naming).unwrap().into_iter().map(|t| t.code).collect();
        assert_eq!(order, ["kaifeng", "lankao", "build", "lanyang"]);
    }

    #[test]
    fn a_station_under_the_city_is_refused() {
        let mut defs = good();
        defs[0].tenant.parent = Some("kaifeng".into());
        let errs = errors_of(&defs);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("lanyang.toml: parent: 零工驿站的上级必须是县(区)级零工市场"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn a_cycle_is_named_with_its_chain() {
        let mut defs = good();
        defs.push(def("qa", TenantKind::County, Some("qb"), "杞县零工市场", "410221"));
        defs.push(def("qb", TenantKind::County, Some("qa"), "通许县零工市场", "410222"));
        let errs = errors_of(&defs);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("qa → qb → qa"), "{}", errs[0]);
    }

    #[test]
    fn two_cities_duplicate_codes_and_missing_parents_are_each_reported() {
        let mut defs = good();
        defs.push(def("kaifeng2", TenantKind::City, None, "郑州市零工市场", "410200"));
        defs.push(def("lankao", TenantKind::County, Some("kaifeng"), "杞县零工市场", "410221"));
        defs.push(def(
            "ghost",
            TenantKind::Station,
            Some("nowhere"),
            "桐乡街道零工驿站",
            "410225002",
        ));
        let errs = errors_of(&defs);
        assert!(
            errs.iter().any(|e| e.starts_with("kaifeng2.toml: kind: 只能有一个市级零工市场")),
            "{errs:?}"
        );
        assert!(errs.iter().any(|e| e.starts_with("lankao.toml: code: 编码重复")), "{errs:?}");
        assert!(
            errs.iter().any(|e| e.starts_with("ghost.toml: parent: 上级市场 `nowhere` 不存在")),
            "{errs:?}"
        );
    }

    #[test]
    fn the_naming_rule_refusal_names_the_file_and_field() {
        let mut defs = good();
        defs[3].tenant.name = "坏名字零工市场".into();
        assert_eq!(errors_of(&defs), ["build.toml: name: 名称不规范 / bad name"]);
    }

    #[test]
    fn region_codes_are_checked_against_the_divisions() {
        let mut defs = good();
        defs[2].tenant.region_code = "410224".into(); // 开封县, retired
        defs[0].tenant.region_code = "410221001".into(); // a 杞县 township under 兰考县
        let errs = errors_of(&defs);
        assert!(
            errs.iter().any(|e| e.starts_with("lankao.toml: region_code: 开封县的代码已停用")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e
                    .starts_with("lanyang.toml: region_code: 驿站的行政区划代码应在所属县(区)")),
            "{errs:?}"
        );
    }

    #[test]
    fn codes_and_hotlines_have_a_shape() {
        assert!(is_valid_code("lankao-lanyang"));
        assert!(!is_valid_code("Lankao"));
        assert!(!is_valid_code("兰考"));
        assert!(is_valid_hotline("0371-23456789"));
        assert!(is_valid_hotline("12333"));
        assert!(is_valid_hotline("13812345678"));
        assert!(!is_valid_hotline("110"));
        assert!(!is_valid_hotline("0371-2345-6789"));
    }

    #[test]
    fn the_city_console_words_are_not_market_codes() {
        let mut defs = good();
        defs[3].tenant.code = "audit".into();
        let errs = errors_of(&defs);
        assert!(
            errs.iter().any(|e| e.contains("code: 编码 `audit` 是市级后台页面的保留字")),
            "{errs:?}"
        );
    }
}
