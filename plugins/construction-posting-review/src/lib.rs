//! 建筑业零工市场 posting review (slot `posting-review`).
//!
//! Everything the city review does (`gigmarket_plugin_kit::review`: required information,
//! discrimination, child labour, minimum wage, fees, fake recruitment, days over 8 hours held),
//! plus the construction site's own rules:
//!
//! - special trades (架子工 6-29-01-05, 电气设备安装工 6-29-03-02, 焊工 6-18-02-04, and any
//!   occupation or title naming 电工, 焊工, 架子工, 起重, 塔吊 or 信号司索) are 特种作业: the
//!   posting must require a 特种作业操作证 or 建筑施工特种作业操作资格证 (安全生产法 §30,
//!   建筑施工特种作业人员管理规定) and a minimum age of at least 18 (特种作业人员安全技术培训考核
//!   管理规定 §4), else it is rejected;
//! - every posting must state its safety provisions (安全帽, 安全带, 安全交底, 安全培训, 工伤保险 …
//!   in the description or requirements), else it is held.
//!
//! Config (JSON; the city review's keys, see `city-posting-review`, plus these, all optional;
//! the lists add to the built-in ones):
//!
//! ```json
//! {
//!   "minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560,
//!                     "note": "豫政〔2021〕33号 三类"}],
//!   "typical_day_wage_cents": 30000,
//!   "extra_special_trades": ["6-29-02-08", "高处作业"],
//!   "extra_certificates": ["高处作业操作证"],
//!   "extra_safety_words": ["防坠网"]
//! }
//! ```
//!
//! A special-trade entry equal to the occupation code matches it; any other entry matches when
//! the occupation name or title contains it.

use gigmarket_plugin_kit::json::{config_object, string_list};
use gigmarket_plugin_kit::posting_review::{ReviewRequest, ReviewVerdict};
use gigmarket_plugin_kit::review::{self, Context, Finding, ReviewConfig, Severity, to_verdict};
use gigmarket_plugin_kit::{config, warn};

/// Special trades by occupation code (职业分类大典 2022).
pub const SPECIAL_TRADE_CODES: &[(&str, &str)] =
    &[("6-29-01-05", "架子工"), ("6-29-03-02", "电气设备安装工"), ("6-18-02-04", "焊工")];

/// Words in an occupation name or title that make it a special trade.
pub const SPECIAL_TRADE_WORDS: &[&str] = &["电工", "焊工", "架子工", "起重", "塔吊", "信号司索"];

/// Certificates that allow special operations.
pub const CERTIFICATES: &[&str] = &["特种作业操作证", "建筑施工特种作业操作资格证"];

/// Words that show a posting states its safety provisions.
pub const SAFETY_WORDS: &[&str] = &[
    "安全帽",
    "安全带",
    "安全绳",
    "安全交底",
    "安全培训",
    "安全教育",
    "安全防护",
    "工伤保险",
    "意外险",
    "意外伤害保险",
    "劳保用品",
    "劳动防护用品",
    "防护用品",
];

/// "不提供安全帽", "安全帽自备" do not count as provisions: the employer must provide them
/// (安全生产法 §45).
const SAFETY_CONTEXT: Context = Context {
    negations: &["不", "无", "没有", "不提供", "不买", "不含", "不缴", "自备", "自带"],
    exemptions: &["自备", "自带", "自理", "自费", "不提供", "无"],
};

/// The construction rules' lists: the built-in ones plus the config's extras.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeConfig {
    pub special_trades: Vec<String>,
    pub certificates: Vec<String>,
    pub safety_words: Vec<String>,
}

impl Default for TradeConfig {
    fn default() -> TradeConfig {
        let owned = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let mut special_trades: Vec<String> =
            SPECIAL_TRADE_CODES.iter().map(|(code, _)| code.to_string()).collect();
        special_trades.extend(owned(SPECIAL_TRADE_WORDS));
        TradeConfig {
            special_trades,
            certificates: owned(CERTIFICATES),
            safety_words: owned(SAFETY_WORDS),
        }
    }
}

impl TradeConfig {
    /// The defaults extended by `extra_special_trades`, `extra_certificates` and
    /// `extra_safety_words`; bad entries are ignored and listed for the log.
    pub fn from_json(text: &str) -> (TradeConfig, Vec<String>) {
        let mut warnings = Vec::new();
        // The city review already warns when the text is not an object.
        let obj = config_object(text, &mut Vec::new());
        let mut c = TradeConfig::default();
        c.special_trades.extend(string_list(&obj, "extra_special_trades", &mut warnings));
        c.certificates.extend(string_list(&obj, "extra_certificates", &mut warnings));
        c.safety_words.extend(string_list(&obj, "extra_safety_words", &mut warnings));
        (c, warnings)
    }
}

/// The special trade a posting is for, named for the worker, if it is one.
pub fn special_trade(p: &review::Posting, c: &TradeConfig) -> Option<String> {
    let hit = c.special_trades.iter().find(|t| {
        **t == p.occupation_code
            || p.occupation_name.contains(t.as_str())
            || p.title.contains(t.as_str())
    })?;
    let known = SPECIAL_TRADE_CODES.iter().find(|(code, _)| code == hit).map(|(_, name)| *name);
    let name = if p.occupation_name.trim().is_empty() {
        known.unwrap_or(hit)
    } else {
        p.occupation_name.as_str()
    };
    Some(name.to_string())
}

/// Whether the posting requires a certificate that allows special operations.
pub fn has_certificate(p: &review::Posting, c: &TradeConfig) -> bool {
    let compact = |s: &str| s.chars().filter(|ch| !ch.is_whitespace()).collect::<String>();
    p.qualifications
        .iter()
        .any(|q| c.certificates.iter().any(|cert| compact(q).contains(&compact(cert))))
}

/// Special operations need a certificate and an adult: each missing one rejects.
pub fn special_trade_rules(p: &review::Posting, c: &TradeConfig) -> Vec<Finding> {
    let Some(trade) = special_trade(p, c) else { return Vec::new() };
    let mut out = Vec::new();
    if !has_certificate(p, c) {
        let msg = format!(
            "{trade}属于特种作业,资格要求中须注明持特种作业操作证或建筑施工特种作业操作资格证(安全生产法第30条)"
        );
        out.push(Finding::new("construction.certificate-missing", Severity::Reject, msg));
    }
    if p.min_age.is_none_or(|a| a < 18) {
        let msg = format!(
            "{trade}属于特种作业,从业人员须年满18周岁,请将最低年龄设为18岁及以上(特种作业人员安全技术培训考核管理规定第4条)"
        );
        out.push(Finding::new("construction.age-under-18", Severity::Reject, msg));
    }
    out
}

/// A construction posting must say how workers are kept safe; staff follow up when it does not.
pub fn safety_provisions(p: &review::Posting, c: &TradeConfig) -> Option<Finding> {
    let mut text = vec![p.description.as_str()];
    text.extend(p.requirements.iter().map(String::as_str));
    let chars = review::normalise(&text.join("\n"));
    let found = review::scan(&chars, c.safety_words.iter().map(String::as_str), &SAFETY_CONTEXT);
    found.is_none().then(|| {
        Finding::new("construction.safety-missing", Severity::Hold, "建筑施工招聘信息应写明安全保障措施(如提供安全帽、安全带,进行安全交底或安全培训,缴纳工伤保险),需人工核实")
    })
}

/// Review a construction posting: the city rules, then the trade rules.
pub fn review_posting(
    request: &ReviewRequest,
    config: &ReviewConfig,
    trades: &TradeConfig,
) -> ReviewVerdict {
    let p = review::Posting::from(&request.posting);
    let mut findings = review::review(&p, request.today.into(), config);
    findings.extend(special_trade_rules(&p, trades));
    findings.extend(safety_provisions(&p, trades));
    to_verdict(findings)
}

gigmarket_plugin_kit::posting_review!(|request| {
    let text = config();
    let (config, mut warnings) = ReviewConfig::from_json(&text);
    let (trades, more) = TradeConfig::from_json(&text);
    warnings.extend(more);
    warnings.iter().for_each(|w| warn(w));
    review_posting(&request, &config, &trades)
});

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::posting_review::{Decision, Posting, Settlement, WageUnit};
    use gigmarket_plugin_kit::types::Date;

    const TODAY: Date = Date { year: 2026, month: 5, day: 10 };

    const CONFIG: &str = r#"{"minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560, "note": "豫政〔2021〕33号 三类"}],
        "typical_day_wage_cents": 30000}"#;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn posting() -> Posting {
        Posting {
            title: "住宅楼砌墙".into(),
            description: "砌筑内墙,包午餐,提供安全帽并进行安全交底".into(),
            occupation_code: "6-29-01-01".into(),
            occupation_name: "砌筑工".into(),
            headcount: 4,
            wage_cents: 28_000,
            wage_unit: WageUnit::Day,
            settlement: Settlement::Daily,
            daily_hours: 8.0,
            work_start: date(2026, 5, 12),
            work_end: date(2026, 6, 12),
            district: "祥符区".into(),
            address: "开封市祥符区某住宅项目工地".into(),
            min_age: Some(18),
            max_age: None,
            requirements: vec!["有砌筑经验".into()],
            qualifications: vec![],
            charges_worker_fee: false,
            employer_verified: true,
            employer_recent_postings: 5,
        }
    }

    fn scaffolder() -> Posting {
        Posting {
            title: "外墙脚手架搭设".into(),
            occupation_code: "6-29-01-05".into(),
            occupation_name: "架子工".into(),
            qualifications: vec!["建筑施工特种作业操作资格证书(架子工)".into()],
            ..posting()
        }
    }

    fn run(p: Posting, config: &str) -> ReviewVerdict {
        review_posting(
            &ReviewRequest { today: TODAY, posting: p },
            &ReviewConfig::from_json(config).0,
            &TradeConfig::from_json(config).0,
        )
    }

    fn codes(v: &ReviewVerdict) -> Vec<&str> {
        v.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn an_ordinary_trade_with_safety_provisions_is_accepted() {
        let v = run(posting(), CONFIG);
        assert_eq!((v.decision, codes(&v)), (Decision::Accept, vec!["review.ok"]));
    }

    #[test]
    fn a_certified_adult_special_trade_is_accepted() {
        assert_eq!(run(scaffolder(), CONFIG).decision, Decision::Accept);
        let welder = Posting {
            occupation_code: "".into(),
            occupation_name: "电焊工".into(),
            qualifications: vec!["特种作业操作证(焊接与热切割作业)".into()],
            ..posting()
        };
        assert_eq!(run(welder, CONFIG).decision, Decision::Accept);
    }

    #[test]
    fn special_trades_without_a_certificate_are_rejected() {
        let v = run(Posting { qualifications: vec!["健康证".into()], ..scaffolder() }, CONFIG);
        assert_eq!(
            (v.decision, codes(&v)),
            (Decision::Reject, vec!["construction.certificate-missing"])
        );
        assert!(v.reasons[0].message.starts_with("架子工属于特种作业"), "{}", v.reasons[0].message);
        for (code, name, title) in [
            ("6-29-03-02", "", "安装配电箱"),
            ("6-18-02-04", "", "钢结构焊接"),
            ("", "塔吊司机", "塔吊"),
            ("", "普工", "起重机信号司索"),
            ("", "建筑电工", "临电"),
        ] {
            let p = Posting {
                occupation_code: code.into(),
                occupation_name: name.into(),
                title: title.into(),
                ..posting()
            };
            assert_eq!(
                codes(&run(p, CONFIG)),
                ["construction.certificate-missing"],
                "{code} {name} {title}"
            );
        }
    }

    #[test]
    fn the_trade_is_named_from_its_code_when_no_name_is_given() {
        let p = review::Posting {
            occupation_name: "".into(),
            qualifications: vec![],
            ..review::Posting::from(&scaffolder())
        };
        assert_eq!(special_trade(&p, &TradeConfig::default()).as_deref(), Some("架子工"));
        assert_eq!(special_trade(&(&posting()).into(), &TradeConfig::default()), None);
    }

    #[test]
    fn special_trades_need_a_stated_minimum_age_of_18() {
        for min_age in [None, Some(16), Some(17)] {
            let v = run(Posting { min_age, ..scaffolder() }, CONFIG);
            assert_eq!(
                (v.decision, codes(&v)),
                (Decision::Reject, vec!["construction.age-under-18"]),
                "{min_age:?}"
            );
        }
        assert_eq!(
            run(Posting { min_age: None, ..posting() }, CONFIG).decision,
            Decision::Accept,
            "ordinary trades need no minimum age"
        );
    }

    #[test]
    fn a_posting_without_safety_provisions_is_held() {
        let v = run(Posting { description: "砌筑内墙,包午餐".into(), ..posting() }, CONFIG);
        assert_eq!((v.decision, codes(&v)), (Decision::Hold, vec!["construction.safety-missing"]));
        let insured = Posting {
            description: "砌筑内墙".into(),
            requirements: vec!["公司缴纳工伤保险".into()],
            ..posting()
        };
        assert_eq!(run(insured, CONFIG).decision, Decision::Accept);
    }

    #[test]
    fn denied_safety_provisions_do_not_count() {
        for text in ["不提供安全帽", "安全帽自备", "无工伤保险"] {
            let v = run(Posting { description: text.into(), ..posting() }, CONFIG);
            assert_eq!(codes(&v), ["construction.safety-missing"], "{text}");
        }
    }

    #[test]
    fn long_days_are_held() {
        let v = run(Posting { daily_hours: 10.0, ..posting() }, CONFIG);
        assert_eq!((v.decision, codes(&v)), (Decision::Hold, vec!["posting.hours-long"]));
    }

    #[test]
    fn the_city_rules_still_apply() {
        let v = run(
            Posting { requirements: vec!["限男性".into()], wage_cents: 10_000, ..scaffolder() },
            CONFIG,
        );
        assert_eq!(v.decision, Decision::Reject);
        assert_eq!(codes(&v), ["discrimination.gender", "wage.below-minimum"]);
        let mixed = run(
            Posting {
                qualifications: vec![],
                description: "搭设脚手架".into(),
                daily_hours: 9.0,
                ..scaffolder()
            },
            CONFIG,
        );
        assert_eq!(
            codes(&mixed),
            [
                "construction.certificate-missing",
                "posting.hours-long",
                "construction.safety-missing"
            ]
        );
    }

    #[test]
    fn config_adds_trades_certificates_and_safety_words() {
        let config = r#"{"minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560}],
            "extra_special_trades": ["6-29-02-08", "高处作业"], "extra_certificates": ["高处作业证"], "extra_safety_words": ["防坠网"]}"#;
        let waterproofer = Posting {
            occupation_code: "6-29-02-08".into(),
            occupation_name: "防水工".into(),
            ..posting()
        };
        assert_eq!(codes(&run(waterproofer.clone(), config)), ["construction.certificate-missing"]);
        assert_eq!(
            run(waterproofer.clone(), CONFIG).decision,
            Decision::Accept,
            "not special without the config"
        );
        let certified = Posting { qualifications: vec!["高处作业证".into()], ..waterproofer };
        assert_eq!(run(certified, config).decision, Decision::Accept);
        let netted = Posting { description: "外立面挂设防坠网".into(), ..posting() };
        assert_eq!(run(netted.clone(), config).decision, Decision::Accept);
        assert_eq!(codes(&run(netted, CONFIG)), ["construction.safety-missing"]);
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        let (c, warnings) = TradeConfig::from_json(
            r#"{"extra_special_trades": "焊", "extra_certificates": [1, ""]}"#,
        );
        assert_eq!(c, TradeConfig::default());
        assert_eq!(warnings.len(), 2);
        assert_eq!(TradeConfig::from_json("nonsense").0, TradeConfig::default());
        let v = run(Posting { qualifications: vec![], ..scaffolder() }, "nonsense");
        assert_eq!(codes(&v), ["construction.certificate-missing", "wage.no-minimum"]);
    }
}
