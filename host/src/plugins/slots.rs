//! The six extension slots, the typed call of each, and the invariants each output must keep.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasmtime::Store;
use wasmtime::component::InstancePre;

use chrono::NaiveDate;

use super::bindings::subsidy::gigmarket::plugins::period_types;
use super::bindings::{
    evaluation, matching, naming, posting_review, service_catalog, subsidy, types,
};
use super::runtime::HostState;

/// An extension point tenants fill with a plugin.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    /// Checks proposed market and station names against the naming standard (plan §5).
    Naming,
    /// A market's service items, opening hours and case time limits (限时办结, 一次性告知).
    ServiceCatalog,
    /// Reviews a job post before it is published: accept, reject or hold for staff.
    PostingReview,
    /// Scores candidate workers for a job (recommendations and batch assignment).
    Matching,
    /// Computes the subsidy (补助) a market earns for a period.
    Subsidy,
    /// Evaluates a market's performance and demonstration-market eligibility.
    Evaluation,
}

impl Slot {
    /// Every slot, in the order of the enum.
    pub const ALL: [Slot; 6] = [
        Slot::Naming,
        Slot::ServiceCatalog,
        Slot::PostingReview,
        Slot::Matching,
        Slot::Subsidy,
        Slot::Evaluation,
    ];

    /// The slot's name in the API, the database and WIT (kebab-case: `posting-review`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Naming => "naming",
            Slot::ServiceCatalog => "service-catalog",
            Slot::PostingReview => "posting-review",
            Slot::Matching => "matching",
            Slot::Subsidy => "subsidy",
            Slot::Evaluation => "evaluation",
        }
    }

    /// The slot named `s` (as [`Slot::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether calls of this slot are consequential decisions that get a receipt.
    pub fn keeps_receipts(self) -> bool {
        matches!(self, Slot::PostingReview | Slot::Matching | Slot::Subsidy | Slot::Evaluation)
    }

    /// Default limits: matching scores thousands of candidates per call, the others are small.
    pub fn default_limits(self) -> SlotLimits {
        match self {
            Slot::Matching => SlotLimits {
                fuel: 2_000_000_000,
                deadline_ms: 2_000,
                memory_bytes: 128 << 20,
                output_bytes: 16 << 20,
            },
            _ => SlotLimits {
                fuel: 100_000_000,
                deadline_ms: 500,
                memory_bytes: 32 << 20,
                output_bytes: 1 << 20,
            },
        }
    }
}

/// What one call of a slot may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotLimits {
    /// Wasm fuel (roughly, instructions).
    pub fuel: u64,
    /// Wall-clock deadline, enforced by epoch interruption.
    pub deadline_ms: u64,
    /// Linear memory a call may grow to.
    pub memory_bytes: usize,
    /// Largest output, measured as its JSON size.
    pub output_bytes: usize,
}

/// The compiled, import-checked entry point of one plugin, for the slot it implements.
pub enum SlotPre {
    /// A `naming` component.
    Naming(naming::NamingPre<HostState>),
    /// A `service-catalog` component.
    ServiceCatalog(service_catalog::ServiceCatalogPre<HostState>),
    /// A `posting-review` component.
    PostingReview(posting_review::PostingReviewPre<HostState>),
    /// A `matching` component.
    Matching(matching::MatchingPre<HostState>),
    /// A `subsidy` component.
    Subsidy(subsidy::SubsidyPre<HostState>),
    /// An `evaluation` component.
    Evaluation(evaluation::EvaluationPre<HostState>),
}

impl SlotPre {
    /// The slot this component implements.
    pub fn slot(&self) -> Slot {
        match self {
            SlotPre::Naming(_) => Slot::Naming,
            SlotPre::ServiceCatalog(_) => Slot::ServiceCatalog,
            SlotPre::PostingReview(_) => Slot::PostingReview,
            SlotPre::Matching(_) => Slot::Matching,
            SlotPre::Subsidy(_) => Slot::Subsidy,
            SlotPre::Evaluation(_) => Slot::Evaluation,
        }
    }

    /// Every slot whose world the component implements (normally exactly one).
    pub fn detect(pre: &InstancePre<HostState>) -> Vec<SlotPre> {
        let mut found = Vec::new();
        found.extend(NamingWorld::make_pre(pre.clone()).ok().map(NamingWorld::wrap));
        found
            .extend(ServiceCatalogWorld::make_pre(pre.clone()).ok().map(ServiceCatalogWorld::wrap));
        found.extend(PostingReviewWorld::make_pre(pre.clone()).ok().map(PostingReviewWorld::wrap));
        found.extend(MatchingWorld::make_pre(pre.clone()).ok().map(MatchingWorld::wrap));
        found.extend(SubsidyWorld::make_pre(pre.clone()).ok().map(SubsidyWorld::wrap));
        found.extend(EvaluationWorld::make_pre(pre.clone()).ok().map(EvaluationWorld::wrap));
        found
    }
}

/// The typed face of one slot world: its input and output types, how to call it, and what its
/// output must satisfy before the host believes it.
pub trait SlotWorld: 'static {
    /// The slot this world fills.
    const SLOT: Slot;
    /// What the plugin's exported function takes (the generated WIT record).
    type Input: Serialize + DeserializeOwned + Clone + Send + Sync + 'static;
    /// What it returns (the generated WIT record).
    type Output: Serialize + DeserializeOwned + PartialEq + Send + 'static;
    /// The world's pre-instantiated, import-checked entry point (`bindgen!`'s `…Pre`).
    type Pre: Send + Sync + 'static;

    /// This world's entry point into a linked component; `Err` when the component does not
    /// export this world.
    fn make_pre(pre: InstancePre<HostState>) -> wasmtime::Result<Self::Pre>;
    /// Put this world's entry point into the slot-agnostic [`SlotPre`].
    fn wrap(pre: Self::Pre) -> SlotPre;
    /// This world's entry point, if `pre` is one of this world's; `None` otherwise.
    fn unwrap(pre: &SlotPre) -> Option<&Self::Pre>;
    /// Call the world's exported function once in `store` (the runtime makes a fresh one for
    /// every call).
    fn run(
        pre: &Self::Pre,
        store: &mut Store<HostState>,
        input: &Self::Input,
    ) -> wasmtime::Result<Self::Output>;
    /// Whether an input may be given to a plugin at all (dates that exist, within the plausible
    /// range, periods that end after they start). `Err((field, message))`.
    fn check_input(input: &Self::Input) -> Result<(), (String, String)>;
    /// `Err` names the broken invariant. `config` is the binding's configuration (`Null` when it
    /// is not JSON): host-known keys such as a subsidy's `max_total_cents` bound the output.
    fn check(
        input: &Self::Input,
        output: &Self::Output,
        config: &serde_json::Value,
    ) -> Result<(), String>;
}

macro_rules! slot_world {
    // `$pass` turns `&Input` into what the generated call takes: records of plain fields are
    // passed by value (`Clone::clone`), records with lists or strings by reference (`identity`).
    ($world:ident, $slot:ident, $module:ident, $bindings:ident, $pre:ident, $input:ty, $output:ty, $call:ident, $pass:path, $check_input:path, $check:path) => {
        #[doc = concat!("The `", stringify!($module), "` slot world.")]
        pub struct $world;

        impl SlotWorld for $world {
            const SLOT: Slot = Slot::$slot;
            type Input = $input;
            type Output = $output;
            type Pre = $module::$pre<HostState>;

            fn make_pre(pre: InstancePre<HostState>) -> wasmtime::Result<Self::Pre> {
                $module::$pre::new(pre)
            }
            fn wrap(pre: Self::Pre) -> SlotPre {
                SlotPre::$slot(pre)
            }
            fn unwrap(pre: &SlotPre) -> Option<&Self::Pre> {
                match pre {
                    SlotPre::$slot(p) => Some(p),
                    _ => None,
                }
            }
            fn run(
                pre: &Self::Pre,
                store: &mut Store<HostState>,
                input: &Self::Input,
            ) -> wasmtime::Result<Self::Output> {
                let instance: $module::$bindings = pre.instantiate(&mut *store)?;
                instance.$call(store, $pass(input))
            }
            fn check_input(input: &Self::Input) -> Result<(), (String, String)> {
                $check_input(input)
            }
            fn check(
                input: &Self::Input,
                output: &Self::Output,
                config: &serde_json::Value,
            ) -> Result<(), String> {
                $check(input, output, config)
            }
        }
    };
}

slot_world!(
    NamingWorld,
    Naming,
    naming,
    Naming,
    NamingPre,
    naming::NameRequest,
    naming::NameVerdict,
    call_check_name,
    std::convert::identity,
    no_dates,
    check_naming
);
slot_world!(
    ServiceCatalogWorld,
    ServiceCatalog,
    service_catalog,
    ServiceCatalog,
    ServiceCatalogPre,
    service_catalog::CatalogRequest,
    service_catalog::Catalog,
    call_service_catalog,
    Clone::clone,
    catalog_input,
    check_catalog
);
slot_world!(
    PostingReviewWorld,
    PostingReview,
    posting_review,
    PostingReview,
    PostingReviewPre,
    posting_review::ReviewRequest,
    posting_review::ReviewVerdict,
    call_review_posting,
    std::convert::identity,
    review_input,
    check_review
);
slot_world!(
    MatchingWorld,
    Matching,
    matching,
    Matching,
    MatchingPre,
    matching::MatchRequest,
    matching::MatchResult,
    call_score_candidates,
    std::convert::identity,
    matching_input,
    check_matching
);
slot_world!(
    SubsidyWorld,
    Subsidy,
    subsidy,
    Subsidy,
    SubsidyPre,
    subsidy::SubsidyRequest,
    subsidy::SubsidyResult,
    call_compute_subsidy,
    Clone::clone,
    subsidy_input,
    check_subsidy
);
slot_world!(
    EvaluationWorld,
    Evaluation,
    evaluation,
    Evaluation,
    EvaluationPre,
    evaluation::EvaluationRequest,
    evaluation::EvaluationResult,
    call_evaluate_market,
    Clone::clone,
    evaluation_input,
    check_evaluation
);

fn require(ok: bool, broken: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(broken()) }
}

/// A WIT date that exists and lies in the platform's plausible range ([`crate::clock::day_in_range`]).
fn date(d: &types::Date, field: &str) -> Result<NaiveDate, (String, String)> {
    NaiveDate::from_ymd_opt(d.year, u32::from(d.month), u32::from(d.day))
        .filter(|day| crate::clock::day_in_range(*day))
        .ok_or_else(|| {
            (
                field.to_string(),
                format!(
                    "{field} must be a real date between {} and {}",
                    crate::clock::FIRST_DAY,
                    crate::clock::LAST_DAY
                ),
            )
        })
}

fn no_dates(_: &naming::NameRequest) -> Result<(), (String, String)> {
    Ok(())
}

fn catalog_input(input: &service_catalog::CatalogRequest) -> Result<(), (String, String)> {
    date(&input.today, "today").map(drop)
}

fn review_input(input: &posting_review::ReviewRequest) -> Result<(), (String, String)> {
    date(&input.today, "today")?;
    let start = date(&input.posting.work_start, "posting.work_start")?;
    let end = date(&input.posting.work_end, "posting.work_end")?;
    if end < start {
        return Err((
            "posting.work_end".into(),
            "posting.work_end is before posting.work_start".into(),
        ));
    }
    Ok(())
}

fn matching_input(input: &matching::MatchRequest) -> Result<(), (String, String)> {
    date(&input.today, "today").map(drop)
}

/// The days a period covers, after checking its dates.
fn period_days(
    today: &types::Date,
    f: &period_types::PeriodFigures,
) -> Result<i64, (String, String)> {
    date(today, "today")?;
    let start = date(&f.period_start, "figures.period_start")?;
    let end = date(&f.period_end, "figures.period_end")?;
    if end < start {
        return Err((
            "figures.period_end".into(),
            "figures.period_end is before figures.period_start".into(),
        ));
    }
    Ok((end - start).num_days() + 1)
}

fn subsidy_input(input: &subsidy::SubsidyRequest) -> Result<(), (String, String)> {
    period_days(&input.today, &input.figures).map(drop)
}

fn evaluation_input(input: &evaluation::EvaluationRequest) -> Result<(), (String, String)> {
    period_days(&input.today, &input.figures).map(drop)
}

fn check_naming(
    _: &naming::NameRequest,
    out: &naming::NameVerdict,
    _: &serde_json::Value,
) -> Result<(), String> {
    require(!out.reasons.is_empty(), || "a naming verdict must give at least one reason".into())?;
    require(
        out.canonical_name.as_ref().is_none_or(|n| !n.trim().is_empty() && n.chars().count() <= 60),
        || "the canonical name must be 1 to 60 characters".into(),
    )
}

/// The three basic services of plan §4 every market must offer.
pub const MANDATORY_SERVICES: [&str; 3] = ["instant-hiring", "skill-training", "rights-protection"];

fn check_catalog(
    _: &service_catalog::CatalogRequest,
    out: &service_catalog::Catalog,
    _: &serde_json::Value,
) -> Result<(), String> {
    for code in MANDATORY_SERVICES {
        require(out.items.iter().any(|i| i.code == code && i.mandatory), || {
            format!("the mandatory service `{code}` is missing or not marked mandatory")
        })?;
    }
    let mut codes: Vec<&str> = out.items.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    require(codes.windows(2).all(|w| w[0] != w[1]), || "service codes must be unique".into())?;
    require(out.items.iter().all(|i| i.time_limit_hours != Some(0)), || {
        "a service time limit must be at least one hour".into()
    })?;
    require(out.case_rules.iter().all(|r| r.time_limit_hours > 0), || {
        "a case time limit must be at least one hour".into()
    })
}

fn check_review(
    _: &posting_review::ReviewRequest,
    out: &posting_review::ReviewVerdict,
    _: &serde_json::Value,
) -> Result<(), String> {
    require(!out.reasons.is_empty(), || "a review verdict must give at least one reason".into())
}

fn check_matching(
    input: &matching::MatchRequest,
    out: &matching::MatchResult,
    _: &serde_json::Value,
) -> Result<(), String> {
    let n = input.candidates.len();
    require(out.scores.len() <= n, || format!("{} scores for {n} candidates", out.scores.len()))?;
    let mut seen = vec![false; n];
    for s in &out.scores {
        let i = s.candidate as usize;
        require(i < n, || format!("score for candidate {i}, but there are only {n}"))?;
        require(!std::mem::replace(&mut seen[i], true), || format!("candidate {i} scored twice"))?;
        require(s.score.is_finite() && (0.0..=100.0).contains(&s.score), || {
            format!("candidate {i}'s score {} is not within 0..=100", s.score)
        })?;
        for c in &s.contributions {
            require((c.reason as usize) < out.reasons.len(), || {
                format!("contribution refers to reason {} of {}", c.reason, out.reasons.len())
            })?;
            require(c.points.is_finite(), || "a contribution's points are not finite".into())?;
        }
    }
    Ok(())
}

/// The most any market's subsidy may come to per day of its period, whatever a plugin computes:
/// 10,000 元 a day (the city's own default cap is 2,000 元 a day; docs/plugins.md, "Bounds").
pub const SUBSIDY_CEILING_CENTS_PER_DAY: i64 = 1_000_000;

/// At most this many line items in a subsidy.
pub const SUBSIDY_MAX_ITEMS: usize = 100;

fn check_subsidy(
    input: &subsidy::SubsidyRequest,
    out: &subsidy::SubsidyResult,
    config: &serde_json::Value,
) -> Result<(), String> {
    require(out.total_cents >= 0, || format!("negative subsidy total {}", out.total_cents))?;
    require(out.items.len() <= SUBSIDY_MAX_ITEMS, || {
        format!("{} line items (at most {SUBSIDY_MAX_ITEMS})", out.items.len())
    })?;
    require(out.items.iter().all(|i| i.amount_cents >= 0), || "a negative line item".into())?;
    let sum = out.items.iter().try_fold(0i64, |acc, i| acc.checked_add(i.amount_cents));
    require(sum == Some(out.total_cents), || {
        format!("total {} is not the sum of the line items {sum:?}", out.total_cents)
    })?;
    let days = period_days(&input.today, &input.figures).map_err(|(_, m)| m)?;
    let ceiling = days.saturating_mul(SUBSIDY_CEILING_CENTS_PER_DAY);
    require(out.total_cents <= ceiling, || {
        format!(
            "total {} fen is above the slot's ceiling of {ceiling} fen ({days} days × {SUBSIDY_CEILING_CENTS_PER_DAY})",
            out.total_cents
        )
    })?;
    match config.get("max_total_cents") {
        None => Ok(()),
        Some(cap) => {
            let cap = cap.as_i64().filter(|c| *c >= 0).ok_or_else(|| {
                "the binding's max_total_cents is not a non-negative whole number of fen"
                    .to_string()
            })?;
            require(out.total_cents <= cap, || {
                format!(
                    "total {} fen is above the binding's max_total_cents {cap}",
                    out.total_cents
                )
            })
        }
    }
}

fn check_evaluation(
    _: &evaluation::EvaluationRequest,
    out: &evaluation::EvaluationResult,
    _: &serde_json::Value,
) -> Result<(), String> {
    require(out.score.is_finite() && (0.0..=100.0).contains(&out.score), || {
        format!("score {} is not within 0..=100", out.score)
    })?;
    require(!out.reasons.is_empty(), || "an evaluation must give at least one reason".into())
}
