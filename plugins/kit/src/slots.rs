//! One macro per slot: `gigmarket_plugin_kit::<slot>!(rule)` makes a plugin crate the slot's
//! component, where `rule` is a function (or closure) from the slot's input to its output:
//!
//! | macro | rule |
//! |---|---|
//! | [`naming!`](crate::naming!) | `fn(NameRequest) -> NameVerdict` |
//! | [`service_catalog!`](crate::service_catalog!) | `fn(CatalogRequest) -> Catalog` |
//! | [`posting_review!`](crate::posting_review!) | `fn(ReviewRequest) -> ReviewVerdict` |
//! | [`matching!`](crate::matching!) | `fn(MatchRequest) -> MatchResult` |
//! | [`subsidy!`](crate::subsidy!) | `fn(SubsidyRequest) -> SubsidyResult` |
//! | [`evaluation!`](crate::evaluation!) | `fn(EvaluationRequest) -> EvaluationResult` |
//!
//! The macro implements the world's `Guest` trait with the rule, installs the panic hook
//! ([`panic::install`](crate::panic::install)) first thing in every call, and exports the
//! component. The export exists only in the Wasm build: natively the crate is a plain library
//! (its tests call the rule, and several plugin crates can be linked into one test binary).

/// The implementation behind the slot macros: `$world` is the slot's module in this crate,
/// `$export` its exported function, `$input` and `$output` its types.
#[doc(hidden)]
#[macro_export]
#[rustfmt::skip] // rustfmt would move the `export!` line to the wrong indentation
macro_rules! __slot {
    ($world:ident, $export:ident, $input:ident, $output:ident, $rule:expr) => {
        // An anonymous constant: the plugin's own names cannot clash with these, and its value,
        // the rule, keeps the rule in use in a native build too (where nothing is exported).
        #[allow(clippy::too_many_arguments)]
        const _: fn($crate::$world::$input) -> $crate::$world::$output = {
            const RULE: fn($crate::$world::$input) -> $crate::$world::$output = $rule;

            // Nothing constructs it: the export calls the trait's functions on the type.
            #[allow(dead_code)]
            struct Plugin;

            impl $crate::$world::Guest for Plugin {
                fn $export(request: $crate::$world::$input) -> $crate::$world::$output {
                    $crate::panic::install();
                    RULE(request)
                }
            }

            #[cfg(target_arch = "wasm32")]
            $crate::$world::export!(Plugin with_types_in $crate::$world);

            RULE
        };
    };
}

/// Export `rule: fn(NameRequest) -> NameVerdict` as a `naming` plugin.
#[macro_export]
macro_rules! naming {
    ($rule:expr $(,)?) => {
        $crate::__slot!(naming, check_name, NameRequest, NameVerdict, $rule);
    };
}

/// Export `rule: fn(CatalogRequest) -> Catalog` as a `service-catalog` plugin.
#[macro_export]
macro_rules! service_catalog {
    ($rule:expr $(,)?) => {
        $crate::__slot!(service_catalog, service_catalog, CatalogRequest, Catalog, $rule);
    };
}

/// Export `rule: fn(ReviewRequest) -> ReviewVerdict` as a `posting-review` plugin.
#[macro_export]
macro_rules! posting_review {
    ($rule:expr $(,)?) => {
        $crate::__slot!(posting_review, review_posting, ReviewRequest, ReviewVerdict, $rule);
    };
}

/// Export `rule: fn(MatchRequest) -> MatchResult` as a `matching` plugin.
#[macro_export]
macro_rules! matching {
    ($rule:expr $(,)?) => {
        $crate::__slot!(matching, score_candidates, MatchRequest, MatchResult, $rule);
    };
}

/// Export `rule: fn(SubsidyRequest) -> SubsidyResult` as a `subsidy` plugin.
#[macro_export]
macro_rules! subsidy {
    ($rule:expr $(,)?) => {
        $crate::__slot!(subsidy, compute_subsidy, SubsidyRequest, SubsidyResult, $rule);
    };
}

/// Export `rule: fn(EvaluationRequest) -> EvaluationResult` as an `evaluation` plugin.
#[macro_export]
macro_rules! evaluation {
    ($rule:expr $(,)?) => {
        $crate::__slot!(evaluation, evaluate_market, EvaluationRequest, EvaluationResult, $rule);
    };
}
