//! The six extension slots, the typed call of each, and the invariants each output must keep.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasmtime::Store;
use wasmtime::component::InstancePre;

use super::bindings::{evaluation, matching, naming, posting_review, service_catalog, subsidy};
use super::runtime::HostState;

/// An extension point tenants fill with a plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    Naming,
    ServiceCatalog,
    PostingReview,
    Matching,
    Subsidy,
    Evaluation,
}

impl Slot {
    pub const ALL: [Slot; 6] = [Slot::Naming, Slot::ServiceCatalog, Slot::PostingReview, Slot::Matching, Slot::Subsidy, Slot::Evaluation];

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
            Slot::Matching => SlotLimits { fuel: 2_000_000_000, deadline_ms: 2_000, memory_bytes: 128 << 20, output_bytes: 16 << 20 },
            _ => SlotLimits { fuel: 100_000_000, deadline_ms: 500, memory_bytes: 32 << 20, output_bytes: 1 << 20 },
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
    Naming(naming::NamingPre<HostState>),
    ServiceCatalog(service_catalog::ServiceCatalogPre<HostState>),
    PostingReview(posting_review::PostingReviewPre<HostState>),
    Matching(matching::MatchingPre<HostState>),
    Subsidy(subsidy::SubsidyPre<HostState>),
    Evaluation(evaluation::EvaluationPre<HostState>),
}

impl SlotPre {
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
        found.extend(ServiceCatalogWorld::make_pre(pre.clone()).ok().map(ServiceCatalogWorld::wrap));
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
    const SLOT: Slot;
    type Input: Serialize + DeserializeOwned + Clone + Send + Sync + 'static;
    type Output: Serialize + DeserializeOwned + PartialEq + Send + 'static;
    type Pre: Send + Sync + 'static;

    fn make_pre(pre: InstancePre<HostState>) -> wasmtime::Result<Self::Pre>;
    fn wrap(pre: Self::Pre) -> SlotPre;
    fn unwrap(pre: &SlotPre) -> Option<&Self::Pre>;
    fn run(pre: &Self::Pre, store: &mut Store<HostState>, input: &Self::Input) -> wasmtime::Result<Self::Output>;
    /// `Err` names the broken invariant.
    fn check(input: &Self::Input, output: &Self::Output) -> Result<(), String>;
}

macro_rules! slot_world {
    // `$pass` turns `&Input` into what the generated call takes: records of plain fields are
    // passed by value (`Clone::clone`), records with lists or strings by reference (`identity`).
    ($world:ident, $slot:ident, $module:ident, $bindings:ident, $pre:ident, $input:ty, $output:ty, $call:ident, $pass:path, $check:path) => {
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
            fn run(pre: &Self::Pre, store: &mut Store<HostState>, input: &Self::Input) -> wasmtime::Result<Self::Output> {
                let instance: $module::$bindings = pre.instantiate(&mut *store)?;
                instance.$call(store, $pass(input))
            }
            fn check(input: &Self::Input, output: &Self::Output) -> Result<(), String> {
                $check(input, output)
            }
        }
    };
}

slot_world!(NamingWorld, Naming, naming, Naming, NamingPre, naming::NameRequest, naming::NameVerdict, call_check_name, std::convert::identity, check_naming);
slot_world!(ServiceCatalogWorld, ServiceCatalog, service_catalog, ServiceCatalog, ServiceCatalogPre, service_catalog::CatalogRequest, service_catalog::Catalog, call_service_catalog, Clone::clone, check_catalog);
slot_world!(PostingReviewWorld, PostingReview, posting_review, PostingReview, PostingReviewPre, posting_review::ReviewRequest, posting_review::ReviewVerdict, call_review_posting, std::convert::identity, check_review);
slot_world!(MatchingWorld, Matching, matching, Matching, MatchingPre, matching::MatchRequest, matching::MatchResult, call_score_candidates, std::convert::identity, check_matching);
slot_world!(SubsidyWorld, Subsidy, subsidy, Subsidy, SubsidyPre, subsidy::SubsidyRequest, subsidy::SubsidyResult, call_compute_subsidy, Clone::clone, check_subsidy);
slot_world!(EvaluationWorld, Evaluation, evaluation, Evaluation, EvaluationPre, evaluation::EvaluationRequest, evaluation::EvaluationResult, call_evaluate_market, Clone::clone, check_evaluation);

fn require(ok: bool, broken: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(broken()) }
}

fn check_naming(_: &naming::NameRequest, out: &naming::NameVerdict) -> Result<(), String> {
    require(!out.reasons.is_empty(), || "a naming verdict must give at least one reason".into())?;
    require(out.canonical_name.as_ref().is_none_or(|n| !n.trim().is_empty() && n.chars().count() <= 60), || "the canonical name must be 1 to 60 characters".into())
}

/// The three basic services of plan §4 every market must offer.
pub const MANDATORY_SERVICES: [&str; 3] = ["instant-hiring", "skill-training", "rights-protection"];

fn check_catalog(_: &service_catalog::CatalogRequest, out: &service_catalog::Catalog) -> Result<(), String> {
    for code in MANDATORY_SERVICES {
        require(out.items.iter().any(|i| i.code == code && i.mandatory), || format!("the mandatory service `{code}` is missing or not marked mandatory"))?;
    }
    let mut codes: Vec<&str> = out.items.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    require(codes.windows(2).all(|w| w[0] != w[1]), || "service codes must be unique".into())?;
    require(out.items.iter().all(|i| i.time_limit_hours != Some(0)), || "a service time limit must be at least one hour".into())?;
    require(out.case_rules.iter().all(|r| r.time_limit_hours > 0), || "a case time limit must be at least one hour".into())
}

fn check_review(_: &posting_review::ReviewRequest, out: &posting_review::ReviewVerdict) -> Result<(), String> {
    require(!out.reasons.is_empty(), || "a review verdict must give at least one reason".into())
}

fn check_matching(input: &matching::MatchRequest, out: &matching::MatchResult) -> Result<(), String> {
    let n = input.candidates.len();
    require(out.scores.len() <= n, || format!("{} scores for {n} candidates", out.scores.len()))?;
    let mut seen = vec![false; n];
    for s in &out.scores {
        let i = s.candidate as usize;
        require(i < n, || format!("score for candidate {i}, but there are only {n}"))?;
        require(!std::mem::replace(&mut seen[i], true), || format!("candidate {i} scored twice"))?;
        require(s.score.is_finite() && (0.0..=100.0).contains(&s.score), || format!("candidate {i}'s score {} is not within 0..=100", s.score))?;
        for c in &s.contributions {
            require((c.reason as usize) < out.reasons.len(), || format!("contribution refers to reason {} of {}", c.reason, out.reasons.len()))?;
            require(c.points.is_finite(), || "a contribution's points are not finite".into())?;
        }
    }
    Ok(())
}

fn check_subsidy(_: &subsidy::SubsidyRequest, out: &subsidy::SubsidyResult) -> Result<(), String> {
    require(out.total_cents >= 0, || format!("negative subsidy total {}", out.total_cents))?;
    require(out.items.iter().all(|i| i.amount_cents >= 0), || "a negative line item".into())?;
    let sum = out.items.iter().try_fold(0i64, |acc, i| acc.checked_add(i.amount_cents));
    require(sum == Some(out.total_cents), || format!("total {} is not the sum of the line items {sum:?}", out.total_cents))
}

fn check_evaluation(_: &evaluation::EvaluationRequest, out: &evaluation::EvaluationResult) -> Result<(), String> {
    require(out.score.is_finite() && (0.0..=100.0).contains(&out.score), || format!("score {} is not within 0..=100", out.score))?;
    require(!out.reasons.is_empty(), || "an evaluation must give at least one reason".into())
}
