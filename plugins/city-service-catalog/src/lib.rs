//! 开封市 service catalog (slot `service-catalog`), plan §4 (基本功能标准化) and §7 (限时办结、
//! 一次性告知).
//!
//! - Every market offers the three basic services 即时快招 (`instant-hiring`), 技能提升
//!   (`skill-training`) and 劳动维权 (`rights-protection`), always `mandatory`.
//! - City and county markets (县级以上) also offer 人岗供求信息撮合 (`info-matching`), 职业指导
//!   (`career-guidance`) and 创业培训 (`entrepreneurship-training`).
//! - Convenience services 车辆即停即走 (`vehicle-parking`), 工具借用寄存 (`tool-lending`) and
//!   候工休息 (`waiting-rest`) are offered "有条件的地方", so only when the config lists them.
//! - Each complaint kind has a time limit and the materials the complainant must bring, told
//!   once and in full (一次性告知).
//!
//! Config (JSON; every key optional, bad values fall back to the defaults with a reason):
//!
//! ```json
//! {
//!   "opening_hours": "周一至周日 06:00—18:00;线上平台24小时服务",
//!   "convenience": ["vehicle-parking", "tool-lending", "waiting-rest"],
//!   "item_time_limits_hours": {"instant-hiring": 24, "skill-training": 72},
//!   "case_time_limits_hours": {"wage-arrears": 72, "safety": 24}
//! }
//! ```
//!
//! Time limits are whole hours from 1 to [`MAX_LIMIT_HOURS`]. Reasons say where each limit and
//! the opening hours came from (platform default or the market's config).

use gigmarket_plugin_kit::service_catalog::{CaseRule, Catalog, ServiceItem};
use gigmarket_plugin_kit::types::{Reason, TenantKind};
use gigmarket_plugin_kit::{config, reason};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The longest time limit a config may set: 30 days.
pub const MAX_LIMIT_HOURS: u32 = 720;

/// When no opening hours are configured: gig markets open early, the online platform never closes.
pub const DEFAULT_OPENING_HOURS: &str = "周一至周日 06:00—18:00;线上平台24小时服务";

/// Which markets offer a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// Every market (三大基本服务功能).
    Basic,
    /// City and county markets (县级以上零工市场).
    CountyAndAbove,
    /// Only where the config asks for it (有条件的地方).
    Convenience,
}

struct ItemDef {
    code: &'static str,
    name: &'static str,
    description: &'static str,
    tier: Tier,
    default_limit_hours: Option<u32>,
}

const ITEMS: &[ItemDef] = &[
    ItemDef {
        code: "instant-hiring",
        name: "即时快招",
        description: "用工需求即时发布、快速匹配、现场对接,零工当天找活",
        tier: Tier::Basic,
        default_limit_hours: Some(24),
    },
    ItemDef {
        code: "skill-training",
        name: "技能提升",
        description: "技能培训报名、职业技能等级评价和培训补贴政策咨询",
        tier: Tier::Basic,
        default_limit_hours: Some(72),
    },
    ItemDef {
        code: "rights-protection",
        name: "劳动维权",
        description: "欠薪、就业歧视、虚假招聘、违规收费等投诉受理和维权指引,对接调解仲裁",
        tier: Tier::Basic,
        default_limit_hours: Some(24),
    },
    ItemDef {
        code: "info-matching",
        name: "人岗供求信息撮合",
        description: "归集发布用工和求职信息,人岗精准撮合",
        tier: Tier::CountyAndAbove,
        default_limit_hours: Some(24),
    },
    ItemDef {
        code: "career-guidance",
        name: "职业指导",
        description: "求职指导、职业规划和就业政策咨询",
        tier: Tier::CountyAndAbove,
        default_limit_hours: Some(72),
    },
    ItemDef {
        code: "entrepreneurship-training",
        name: "创业培训",
        description: "创业培训报名和创业扶持政策咨询",
        tier: Tier::CountyAndAbove,
        default_limit_hours: Some(120),
    },
    ItemDef {
        code: "vehicle-parking",
        name: "车辆即停即走",
        description: "求职人员车辆即停即走,方便找活离场",
        tier: Tier::Convenience,
        default_limit_hours: None,
    },
    ItemDef {
        code: "tool-lending",
        name: "工具借用寄存",
        description: "常用工具借用和随身工具寄存",
        tier: Tier::Convenience,
        default_limit_hours: None,
    },
    ItemDef {
        code: "waiting-rest",
        name: "候工休息",
        description: "候工休息区,提供饮水、避暑取暖等便利",
        tier: Tier::Convenience,
        default_limit_hours: None,
    },
];

struct CaseDef {
    kind: &'static str,
    name: &'static str,
    default_limit_hours: u32,
    materials: &'static [&'static str],
}

const CASES: &[CaseDef] = &[
    CaseDef {
        kind: "wage-arrears",
        name: "欠薪",
        default_limit_hours: 72,
        materials: &[
            "身份证件",
            "用工证明(聊天记录、考勤、派工单、工资条等)",
            "欠薪金额及期间说明",
            "用工单位或雇主的名称、地址和联系方式",
            "平台岗位信息或订单截图(如有)",
        ],
    },
    CaseDef {
        kind: "discrimination",
        name: "就业歧视",
        default_limit_hours: 120,
        materials: &[
            "身份证件",
            "招聘信息截图或链接",
            "被拒绝录用或区别对待的经过说明(时间、地点、人员)",
            "聊天记录、录音等证据(如有)",
        ],
    },
    CaseDef {
        kind: "fake-recruitment",
        name: "虚假招聘",
        default_limit_hours: 72,
        materials: &[
            "身份证件",
            "招聘信息截图或链接",
            "与招聘方的聊天记录或通话记录",
            "实际情况与招聘信息不符的说明及证据",
            "付款凭证(如被收取费用)",
        ],
    },
    CaseDef {
        kind: "fee-charging",
        name: "违规收费",
        default_limit_hours: 48,
        materials: &[
            "身份证件",
            "收费凭证(收据、转账记录等)",
            "收费单位或个人的名称和联系方式",
            "招聘信息截图或链接",
            "收费经过说明",
        ],
    },
    CaseDef {
        kind: "safety",
        name: "安全生产",
        default_limit_hours: 24,
        materials: &[
            "身份证件",
            "安全隐患或事故经过说明(时间、地点、经过)",
            "现场照片或视频(如有)",
            "用工单位名称和地址",
            "就医记录(如有受伤)",
        ],
    },
    CaseDef {
        kind: "other",
        name: "其他",
        default_limit_hours: 120,
        materials: &["身份证件", "投诉事项和诉求说明", "相关证据材料(如有)"],
    },
];

/// A market's choices, read from its config text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub opening_hours: Option<String>,
    pub convenience: Vec<String>,
    pub item_limits: BTreeMap<String, u32>,
    pub case_limits: BTreeMap<String, u32>,
    /// What was ignored, in Chinese, for the reasons.
    pub ignored: Vec<String>,
}

/// Read the config text leniently: a bad value is dropped (and said so), the rest still counts.
pub fn settings(config: &str) -> Settings {
    let mut s = Settings::default();
    let obj = match serde_json::from_str::<Value>(config) {
        Ok(Value::Object(obj)) => obj,
        _ => {
            s.ignored.push("配置不是JSON对象,全部使用默认值".into());
            return s;
        }
    };
    s.opening_hours = opening_hours(&obj, &mut s.ignored);
    s.convenience = convenience(&obj, &mut s.ignored);
    s.item_limits = limits(
        &obj,
        "item_time_limits_hours",
        |c| ITEMS.iter().any(|i| i.code == c),
        &mut s.ignored,
    );
    s.case_limits = limits(
        &obj,
        "case_time_limits_hours",
        |c| CASES.iter().any(|k| k.kind == c),
        &mut s.ignored,
    );
    s
}

fn opening_hours(obj: &Map<String, Value>, ignored: &mut Vec<String>) -> Option<String> {
    let v = obj.get("opening_hours")?;
    let text = v.as_str().map(str::trim).filter(|t| !t.is_empty() && t.chars().count() <= 200);
    if text.is_none() {
        ignored.push("opening_hours 应为不超过200字的文字".into());
    }
    text.map(String::from)
}

/// The configured convenience services that exist; unknown codes are reported.
fn convenience(obj: &Map<String, Value>, ignored: &mut Vec<String>) -> Vec<String> {
    let Some(v) = obj.get("convenience") else { return Vec::new() };
    let Some(list) = v.as_array() else {
        ignored.push("convenience 应为便利服务代码列表".into());
        return Vec::new();
    };
    let known = |c: &str| ITEMS.iter().any(|i| i.tier == Tier::Convenience && i.code == c);
    let mut out = Vec::new();
    for item in list {
        match item.as_str() {
            Some(c) if known(c) => out.push(c.to_string()),
            _ => ignored.push(format!(
                "convenience 中的{item}不是便利服务代码(vehicle-parking、tool-lending、waiting-rest)"
            )),
        }
    }
    out
}

/// A map of code → hours, keeping whole numbers from 1 to [`MAX_LIMIT_HOURS`] for known codes.
fn limits(
    obj: &Map<String, Value>,
    key: &str,
    known: impl Fn(&str) -> bool,
    ignored: &mut Vec<String>,
) -> BTreeMap<String, u32> {
    let Some(v) = obj.get(key) else { return BTreeMap::new() };
    let Some(map) = v.as_object() else {
        ignored.push(format!("{key} 应为“代码: 小时数”的对象"));
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (code, hours) in map {
        match hours.as_u64().filter(|h| (1..=u64::from(MAX_LIMIT_HOURS)).contains(h)) {
            Some(h) if known(code) => {
                out.insert(code.clone(), h as u32);
            }
            Some(_) => ignored.push(format!("{key} 中的代码“{code}”不存在")),
            None => ignored
                .push(format!("{key}.{code} 应为1至{MAX_LIMIT_HOURS}的整数小时,已使用默认值")),
        }
    }
    out
}

/// The catalog for a market of `kind` with these settings.
pub fn catalog(kind: TenantKind, s: &Settings) -> Catalog {
    let mut reasons = vec![reason(
        "catalog.basic-services",
        "即时快招、技能提升、劳动维权为零工市场三大基本服务(实施方案第4条)",
    )];
    if county_or_above(kind) {
        reasons.push(reason(
            "catalog.county-services",
            "县级以上零工市场提供人岗供求信息撮合、职业指导、创业培训服务(实施方案第4条)",
        ));
    }
    let chosen: Vec<&ItemDef> = ITEMS.iter().filter(|i| offered(i, kind, s)).collect();
    reasons.extend(convenience_reason(&chosen));
    let items = chosen.iter().map(|i| item(i, s, &mut reasons)).collect();
    let opening_hours = s.opening_hours.clone().unwrap_or_else(|| DEFAULT_OPENING_HOURS.into());
    reasons.push(match s.opening_hours {
        Some(_) => {
            reason("catalog.opening-hours-config", format!("运营时间按本市场配置:{opening_hours}"))
        }
        None => {
            reason("catalog.opening-hours-default", format!("运营时间按平台默认:{opening_hours}"))
        }
    });
    let case_rules = CASES.iter().map(|c| case_rule(c, s, &mut reasons)).collect();
    reasons.extend(
        s.ignored.iter().map(|m| reason("catalog.config-ignored", format!("配置无效已忽略:{m}"))),
    );
    Catalog { items, opening_hours, case_rules, reasons }
}

fn county_or_above(kind: TenantKind) -> bool {
    matches!(kind, TenantKind::City | TenantKind::County)
}

fn offered(item: &ItemDef, kind: TenantKind, s: &Settings) -> bool {
    match item.tier {
        Tier::Basic => true,
        Tier::CountyAndAbove => county_or_above(kind),
        Tier::Convenience => s.convenience.iter().any(|c| c == item.code),
    }
}

fn convenience_reason(chosen: &[&ItemDef]) -> Option<Reason> {
    let names: Vec<&str> =
        chosen.iter().filter(|i| i.tier == Tier::Convenience).map(|i| i.name).collect();
    (!names.is_empty()).then(|| {
        reason("catalog.convenience", format!("本市场按配置提供便利服务:{}", names.join("、")))
    })
}

/// Where a limit came from, as a reason code suffix and a Chinese word.
fn source(configured: bool) -> (&'static str, &'static str) {
    if configured { ("config", "本市场配置") } else { ("default", "平台默认") }
}

fn item(def: &ItemDef, s: &Settings, reasons: &mut Vec<Reason>) -> ServiceItem {
    let configured = s.item_limits.get(def.code).copied();
    let limit = configured.or(def.default_limit_hours);
    if let Some(h) = limit {
        let (code, word) = source(configured.is_some());
        reasons.push(reason(
            &format!("catalog.time-limit-{code}"),
            format!("{}:{h}小时内办结({word})", def.name),
        ));
    }
    ServiceItem {
        code: def.code.into(),
        name: def.name.into(),
        description: def.description.into(),
        mandatory: def.tier == Tier::Basic,
        time_limit_hours: limit,
    }
}

fn case_rule(def: &CaseDef, s: &Settings, reasons: &mut Vec<Reason>) -> CaseRule {
    let configured = s.case_limits.get(def.kind).copied();
    let hours = configured.unwrap_or(def.default_limit_hours);
    let (code, word) = source(configured.is_some());
    let materials = def.materials.join("、");
    reasons.push(reason(
        &format!("catalog.case-limit-{code}"),
        format!("{}投诉:{hours}小时内办结({word});一次性告知需携带:{materials}", def.name),
    ));
    CaseRule {
        case_kind: def.kind.into(),
        time_limit_hours: hours,
        required_materials: def.materials.iter().map(|m| m.to_string()).collect(),
    }
}

gigmarket_plugin_kit::service_catalog!(|request| catalog(request.kind, &settings(&config())));

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: &Catalog) -> Vec<&str> {
        c.items.iter().map(|i| i.code.as_str()).collect()
    }

    fn reason_codes(c: &Catalog) -> Vec<&str> {
        c.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    fn item<'a>(c: &'a Catalog, code: &str) -> &'a ServiceItem {
        c.items.iter().find(|i| i.code == code).unwrap()
    }

    fn case<'a>(c: &'a Catalog, kind: &str) -> &'a CaseRule {
        c.case_rules.iter().find(|r| r.case_kind == kind).unwrap()
    }

    #[test]
    fn every_market_has_the_three_mandatory_services() {
        for kind in
            [TenantKind::City, TenantKind::County, TenantKind::Specialty, TenantKind::Station]
        {
            let c = catalog(kind, &settings("{}"));
            for code in ["instant-hiring", "skill-training", "rights-protection"] {
                assert!(item(&c, code).mandatory, "{kind:?} {code}");
            }
            assert!(c.items.iter().filter(|i| i.mandatory).count() == 3);
        }
    }

    #[test]
    fn county_level_markets_add_matching_guidance_and_entrepreneurship() {
        let extended = [
            "instant-hiring",
            "skill-training",
            "rights-protection",
            "info-matching",
            "career-guidance",
            "entrepreneurship-training",
        ];
        assert_eq!(codes(&catalog(TenantKind::City, &settings("{}"))), extended);
        assert_eq!(codes(&catalog(TenantKind::County, &settings("{}"))), extended);
        assert_eq!(codes(&catalog(TenantKind::Station, &settings("{}"))), extended[..3]);
        assert_eq!(codes(&catalog(TenantKind::Specialty, &settings("{}"))), extended[..3]);
        assert!(!item(&catalog(TenantKind::County, &settings("{}")), "career-guidance").mandatory);
        assert!(
            reason_codes(&catalog(TenantKind::County, &settings("{}")))
                .contains(&"catalog.county-services")
        );
        assert!(
            !reason_codes(&catalog(TenantKind::Station, &settings("{}")))
                .contains(&"catalog.county-services")
        );
    }

    #[test]
    fn convenience_services_only_when_configured() {
        let c = catalog(
            TenantKind::Station,
            &settings(r#"{"convenience": ["waiting-rest", "tool-lending", "karaoke"]}"#),
        );
        assert_eq!(
            codes(&c),
            [
                "instant-hiring",
                "skill-training",
                "rights-protection",
                "tool-lending",
                "waiting-rest"
            ]
        );
        assert_eq!(item(&c, "waiting-rest").time_limit_hours, None);
        assert!(!item(&c, "waiting-rest").mandatory);
        let r = c.reasons.iter().find(|r| r.code == "catalog.convenience").unwrap();
        assert_eq!(r.message, "本市场按配置提供便利服务:工具借用寄存、候工休息");
        let ignored = c.reasons.iter().find(|r| r.code == "catalog.config-ignored").unwrap();
        assert!(ignored.message.contains("karaoke"), "{}", ignored.message);
        assert!(
            !reason_codes(&catalog(TenantKind::City, &settings("{}")))
                .contains(&"catalog.convenience")
        );
    }

    #[test]
    fn item_limits_say_whether_they_are_default_or_configured() {
        let c = catalog(
            TenantKind::County,
            &settings(r#"{"item_time_limits_hours": {"instant-hiring": 12}}"#),
        );
        assert_eq!(item(&c, "instant-hiring").time_limit_hours, Some(12));
        assert_eq!(item(&c, "skill-training").time_limit_hours, Some(72));
        let msgs: Vec<(&str, &str)> =
            c.reasons.iter().map(|r| (r.code.as_str(), r.message.as_str())).collect();
        assert!(
            msgs.contains(&("catalog.time-limit-config", "即时快招:12小时内办结(本市场配置)")),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&("catalog.time-limit-default", "技能提升:72小时内办结(平台默认)")),
            "{msgs:?}"
        );
    }

    #[test]
    fn every_case_kind_has_a_limit_and_materials() {
        let c = catalog(TenantKind::Station, &settings("{}"));
        let kinds: Vec<&str> = c.case_rules.iter().map(|r| r.case_kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "wage-arrears",
                "discrimination",
                "fake-recruitment",
                "fee-charging",
                "safety",
                "other"
            ]
        );
        for rule in &c.case_rules {
            assert!(
                rule.time_limit_hours > 0
                    && rule.required_materials.first().map(String::as_str) == Some("身份证件"),
                "{}",
                rule.case_kind
            );
        }
        let wages = case(&c, "wage-arrears");
        assert!(wages.required_materials.contains(&"欠薪金额及期间说明".to_string()));
        assert!(wages.required_materials.iter().any(|m| m.starts_with("用工证明(聊天记录")));
    }

    #[test]
    fn case_limits_come_from_config_when_valid() {
        let c = catalog(
            TenantKind::City,
            &settings(
                r#"{"case_time_limits_hours": {"wage-arrears": 48, "safety": 0, "gambling": 5}}"#,
            ),
        );
        assert_eq!(case(&c, "wage-arrears").time_limit_hours, 48);
        assert_eq!(case(&c, "safety").time_limit_hours, 24, "0 hours is refused, default kept");
        let configured = c.reasons.iter().find(|r| r.code == "catalog.case-limit-config").unwrap();
        assert!(
            configured
                .message
                .starts_with("欠薪投诉:48小时内办结(本市场配置);一次性告知需携带:身份证件、"),
            "{}",
            configured.message
        );
        assert_eq!(c.reasons.iter().filter(|r| r.code == "catalog.case-limit-default").count(), 5);
        assert_eq!(c.reasons.iter().filter(|r| r.code == "catalog.config-ignored").count(), 2);
    }

    #[test]
    fn opening_hours_default_or_configured() {
        let d = catalog(TenantKind::City, &settings("{}"));
        assert_eq!(d.opening_hours, DEFAULT_OPENING_HOURS);
        assert!(reason_codes(&d).contains(&"catalog.opening-hours-default"));
        let c = catalog(TenantKind::City, &settings(r#"{"opening_hours": " 每日 05:30—12:00 "}"#));
        assert_eq!(c.opening_hours, "每日 05:30—12:00");
        assert!(reason_codes(&c).contains(&"catalog.opening-hours-config"));
        let blank = catalog(TenantKind::City, &settings(r#"{"opening_hours": ""}"#));
        assert_eq!(blank.opening_hours, DEFAULT_OPENING_HOURS);
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        let defaults = catalog(TenantKind::County, &settings("{}"));
        for text in [
            "not json",
            "[]",
            r#"{"convenience": "all", "item_time_limits_hours": [1], "case_time_limits_hours": {"other": "soon"}, "opening_hours": 7}"#,
        ] {
            let c = catalog(TenantKind::County, &settings(text));
            assert_eq!(format!("{:?}", c.items), format!("{:?}", defaults.items), "{text}");
            assert_eq!(
                format!("{:?}", c.case_rules),
                format!("{:?}", defaults.case_rules),
                "{text}"
            );
            assert_eq!(c.opening_hours, defaults.opening_hours, "{text}");
            assert!(reason_codes(&c).contains(&"catalog.config-ignored"), "{text}");
        }
        assert!(!reason_codes(&defaults).contains(&"catalog.config-ignored"));
    }
}
