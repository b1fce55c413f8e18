//! 开封市 posting review (slot `posting-review`): the platform's review before publication
//! (网络招聘服务管理规定 §17; plan §6 and §9).
//!
//! Rejects postings that lack the required information, come from unverified employers,
//! discriminate (就业促进法 §3, §26–31; 妇女权益保障法 §43; 网络招聘服务管理规定 §15), would hire
//! children (劳动法 §15), pay below the minimum wage in force, or charge workers fees (黑中介).
//! Holds for staff: days over 8 hours, age limits beyond the law, no minimum wage configured for
//! today, and signs of fake recruitment. Each rule that fires gives one reason; an accepted
//! posting carries `review.ok`. The rules live in `gigmarket_plugin_kit::review`.
//!
//! Config (JSON; every key optional, bad values fall back to the defaults and are logged):
//!
//! ```json
//! {
//!   "minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560,
//!                     "note": "豫政〔2021〕33号 三类"}],
//!   "typical_day_wage_cents": 20000,
//!   "suspicious_wage_multiple": 3,
//!   "max_recent_postings": 30,
//!   "extra_fee_words": [],
//!   "extra_fake_words": []
//! }
//! ```
//!
//! Without a `minimum_wage` entry in force on `today`, every posting paid by hour, day or month
//! is held: the minimum wage is never a constant in code.

use gigmarket_plugin_kit::posting_review::{ReviewRequest, ReviewVerdict};
use gigmarket_plugin_kit::review::{self, ReviewConfig, to_verdict};
use gigmarket_plugin_kit::{config, warn};

/// Review a posting with a parsed config.
pub fn review_posting(request: &ReviewRequest, config: &ReviewConfig) -> ReviewVerdict {
    to_verdict(review::review(&(&request.posting).into(), request.today.into(), config))
}

gigmarket_plugin_kit::posting_review!(|request| {
    let (rules, warnings) = ReviewConfig::from_json(&config());
    warnings.iter().for_each(|w| warn(w));
    review_posting(&request, &rules)
});

#[cfg(test)]
mod tests {
    use super::*;
    use gigmarket_plugin_kit::posting_review::{Decision, Posting, Settlement, WageUnit};
    use gigmarket_plugin_kit::types::Date;

    const TODAY: Date = Date { year: 2026, month: 5, day: 10 };

    const KAIFENG: &str = r#"{"minimum_wage": [
        {"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560, "note": "豫政〔2021〕33号 三类"},
        {"effective": "2026-07-01", "monthly_cents": 180000, "hourly_cents": 1760, "note": "假设的调整"}]}"#;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn posting() -> Posting {
        Posting {
            title: "物流园装卸工".into(),
            description: "负责货物装卸,日结,提供午餐和安全培训".into(),
            occupation_code: "4-02-05-01".into(),
            occupation_name: "装卸搬运工".into(),
            headcount: 6,
            wage_cents: 18_000,
            wage_unit: WageUnit::Day,
            settlement: Settlement::Daily,
            daily_hours: 8.0,
            work_start: date(2026, 5, 11),
            work_end: date(2026, 5, 31),
            district: "祥符区".into(),
            address: "开封市祥符区城关镇某物流园".into(),
            min_age: Some(18),
            max_age: None,
            requirements: vec!["能吃苦耐劳".into()],
            qualifications: vec![],
            charges_worker_fee: false,
            employer_verified: true,
            employer_recent_postings: 2,
        }
    }

    fn run(p: Posting, config: &str) -> ReviewVerdict {
        run_on(p, TODAY, config)
    }

    fn run_on(p: Posting, today: Date, config: &str) -> ReviewVerdict {
        review_posting(&ReviewRequest { today, posting: p }, &ReviewConfig::from_json(config).0)
    }

    fn codes(v: &ReviewVerdict) -> Vec<&str> {
        v.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn a_lawful_posting_is_accepted_with_review_ok() {
        let v = run(posting(), KAIFENG);
        assert_eq!(v.decision, Decision::Accept);
        assert_eq!(codes(&v), ["review.ok"]);
    }

    #[test]
    fn missing_information_is_rejected() {
        let v = run(
            Posting { title: "".into(), district: "".into(), headcount: 0, ..posting() },
            KAIFENG,
        );
        assert_eq!(v.decision, Decision::Reject);
        assert_eq!(codes(&v), ["posting.missing-fields", "posting.headcount"]);
        assert!(v.reasons[0].message.contains("标题、工作区域"));
    }

    #[test]
    fn a_start_date_before_today_is_rejected() {
        let v = run(Posting { work_start: date(2026, 5, 9), ..posting() }, KAIFENG);
        assert_eq!((v.decision, codes(&v)), (Decision::Reject, vec!["posting.start-past"]));
    }

    #[test]
    fn long_days_are_held_and_overlong_days_rejected() {
        let held = run(Posting { daily_hours: 10.0, ..posting() }, KAIFENG);
        assert_eq!((held.decision, codes(&held)), (Decision::Hold, vec!["posting.hours-long"]));
        let rejected = run(Posting { daily_hours: 13.0, ..posting() }, KAIFENG);
        assert_eq!(rejected.decision, Decision::Reject);
    }

    #[test]
    fn unverified_employers_are_rejected() {
        let v = run(Posting { employer_verified: false, ..posting() }, KAIFENG);
        assert_eq!((v.decision, codes(&v)), (Decision::Reject, vec!["employer.unverified"]));
    }

    #[test]
    fn each_kind_of_discrimination_is_rejected_with_its_code() {
        let cases = [
            ("仅限男性", "discrimination.gender"),
            ("汉族优先", "discrimination.ethnicity"),
            ("本地人优先", "discrimination.household-registration"),
            ("要求未婚", "discrimination.marital-childbearing"),
            ("大三阳勿扰", "discrimination.pathogen-carrier"),
            ("信教者勿扰", "discrimination.religion"),
            ("残疾人勿扰", "discrimination.disability"),
        ];
        for (text, code) in cases {
            let v = run(Posting { requirements: vec![text.into()], ..posting() }, KAIFENG);
            assert_eq!((v.decision, codes(&v)), (Decision::Reject, vec![code]), "{text}");
        }
        let in_title = run(Posting { title: "招聘女工,限女性".into(), ..posting() }, KAIFENG);
        assert_eq!(codes(&in_title), ["discrimination.gender"]);
    }

    #[test]
    fn child_labour_is_rejected_and_age_limits_held() {
        let child = run(Posting { min_age: Some(14), ..posting() }, KAIFENG);
        assert_eq!((child.decision, codes(&child)), (Decision::Reject, vec!["age.child-labour"]));
        let capped = run(Posting { max_age: Some(50), ..posting() }, KAIFENG);
        assert_eq!(
            (capped.decision, codes(&capped)),
            (Decision::Hold, vec!["age.limit-needs-reason"])
        );
    }

    #[test]
    fn the_minimum_wage_in_force_decides_at_the_boundary() {
        let day = |cents: i64, today: Date| {
            run_on(
                Posting {
                    wage_cents: cents,
                    work_start: today,
                    work_end: date(2026, 12, 31),
                    ..posting()
                },
                today,
                KAIFENG,
            )
        };
        let before = date(2026, 6, 30);
        let after = date(2026, 7, 1);
        assert_eq!(day(12_480, before).decision, Decision::Accept, "15.60 × 8 at the old rule");
        assert_eq!(codes(&day(12_479, before)), ["wage.below-minimum"]);
        assert_eq!(day(12_480, after).decision, Decision::Reject, "the new rule asks 17.60 × 8");
        assert_eq!(day(14_080, after).decision, Decision::Accept);
        assert_eq!(day(14_081, after).decision, Decision::Accept);
        assert_eq!(codes(&day(14_079, after)), ["wage.below-minimum"]);
    }

    #[test]
    fn hourly_and_monthly_wages_use_their_own_minimum() {
        let v = |unit: WageUnit, cents: i64| {
            run(Posting { wage_unit: unit, wage_cents: cents, ..posting() }, KAIFENG).decision
        };
        assert_eq!(v(WageUnit::Hour, 1_560), Decision::Accept);
        assert_eq!(v(WageUnit::Hour, 1_559), Decision::Reject);
        assert_eq!(v(WageUnit::Month, 160_000), Decision::Accept);
        assert_eq!(v(WageUnit::Month, 159_999), Decision::Reject);
    }

    #[test]
    fn piece_rates_are_accepted_with_a_note() {
        let v = run(Posting { wage_unit: WageUnit::Piece, wage_cents: 30, ..posting() }, KAIFENG);
        assert_eq!(
            (v.decision, codes(&v)),
            (Decision::Accept, vec!["review.ok", "wage.piece-rate"])
        );
    }

    #[test]
    fn without_a_minimum_wage_in_force_the_posting_is_held() {
        let v = run(posting(), "{}");
        assert_eq!((v.decision, codes(&v)), (Decision::Hold, vec!["wage.no-minimum"]));
        let early = run_on(
            Posting { work_start: date(2021, 6, 1), work_end: date(2021, 6, 2), ..posting() },
            date(2021, 6, 1),
            KAIFENG,
        );
        assert_eq!(codes(&early), ["wage.no-minimum"]);
    }

    #[test]
    fn fees_are_rejected() {
        let flag = run(Posting { charges_worker_fee: true, ..posting() }, KAIFENG);
        assert_eq!((flag.decision, codes(&flag)), (Decision::Reject, vec!["fee.charges-worker"]));
        let words =
            run(Posting { description: "上岗前先交保证金300元".into(), ..posting() }, KAIFENG);
        assert_eq!((words.decision, codes(&words)), (Decision::Reject, vec!["fee.wording"]));
    }

    #[test]
    fn signs_of_fake_recruitment_are_held() {
        let bait = run(Posting { title: "轻松日入800".into(), ..posting() }, KAIFENG);
        assert_eq!((bait.decision, codes(&bait)), (Decision::Hold, vec!["fake.wording"]));
        let rich = run(Posting { wage_cents: 70_000, ..posting() }, KAIFENG);
        assert_eq!(codes(&rich), ["fake.wage-too-high"]);
        let tuned = r#"{"minimum_wage": [{"effective": "2022-01-01", "monthly_cents": 160000, "hourly_cents": 1560}], "typical_day_wage_cents": 30000}"#;
        assert_eq!(
            run(Posting { wage_cents: 70_000, ..posting() }, tuned).decision,
            Decision::Accept
        );
        let mill = run(Posting { employer_recent_postings: 31, ..posting() }, KAIFENG);
        assert_eq!(codes(&mill), ["fake.employer-volume"]);
    }

    #[test]
    fn reject_outranks_hold_and_every_rule_that_fired_is_listed() {
        let v = run(
            Posting {
                employer_recent_postings: 100,
                charges_worker_fee: true,
                daily_hours: 9.0,
                ..posting()
            },
            KAIFENG,
        );
        assert_eq!(v.decision, Decision::Reject);
        assert_eq!(codes(&v), ["fee.charges-worker", "posting.hours-long", "fake.employer-volume"]);
    }

    #[test]
    fn bad_config_falls_back_to_defaults() {
        for text in ["garbage", r#"{"minimum_wage": "1560", "max_recent_postings": -4}"#] {
            let v = run(Posting { employer_recent_postings: 31, ..posting() }, text);
            assert_eq!(codes(&v), ["wage.no-minimum", "fake.employer-volume"], "{text}");
        }
    }
}
