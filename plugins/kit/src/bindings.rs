//! The WIT bindings, generated once per slot world from `wit/`.
//!
//! The subsidy world is the one that uses every shared interface (`types`, `host`,
//! `period-types`), so its bindings generate them; every other world reuses them through
//! wit-bindgen's `with`, which gives all worlds the same Rust `Date`, `Reason`, `TenantKind` and
//! `PeriodFigures`. Each world's `export!` macro is public (`pub_export_macro`) so that a plugin
//! crate can export through it; the world's full type information (the custom section the
//! component is made from) is emitted where that macro is expanded, in the plugin.
//!
//! The kit itself keeps each world's imports in a custom section too, and every plugin links
//! all six. wit-component drops the imported interfaces a plugin does not use, but keeps the
//! types a world names at its top level (`use review-types.{review-request, review-verdict}`),
//! so every plugin's component also imports the other slots' request and result types, and
//! their type-only interfaces. They are types, never functions: nothing is linked for them and
//! the host detects the slot by the component's one export, as before.

/// One slot world's bindings in module `$module`, reusing the shared interfaces named after it,
/// with the types of the world's own interface re-exported next to its input and output.
macro_rules! world {
    (
        $(#[$doc:meta])* $module:ident, $world:literal, $bindings_module:literal,
        with { $($with:tt)* } uses { $($uses:path),* $(,)? }
    ) => {
        $(#[$doc])*
        #[allow(clippy::too_many_arguments)]
        pub mod $module {
            wit_bindgen::generate!({
                path: "../../wit",
                world: $world,
                with: { $($with)* },
                pub_export_macro: true,
                default_bindings_module: $bindings_module,
            });
            $(pub use $uses;)*
        }
    };
}

world!(
    /// The `subsidy` slot: `SubsidyRequest` → `SubsidyResult` (`compute-subsidy`). Its bindings
    /// also generate the shared interfaces.
    subsidy, "subsidy", "gigmarket_plugin_kit::subsidy",
    with {} uses { self::gigmarket::plugins::subsidy_types::LineItem, crate::period_types::PeriodFigures }
);

pub use subsidy::gigmarket::plugins::{host, period_types, types};

world!(
    /// The `naming` slot: `NameRequest` → `NameVerdict` (`check-name`).
    naming, "naming", "gigmarket_plugin_kit::naming",
    with {
        "gigmarket:plugins/types@0.1.0": crate::types,
        "gigmarket:plugins/host@0.1.0": crate::host,
    } uses {}
);

world!(
    /// The `service-catalog` slot: `CatalogRequest` → `Catalog` (`service-catalog`).
    service_catalog, "service-catalog", "gigmarket_plugin_kit::service_catalog",
    with {
        "gigmarket:plugins/types@0.1.0": crate::types,
        "gigmarket:plugins/host@0.1.0": crate::host,
    } uses {
        self::gigmarket::plugins::catalog_types::CaseRule,
        self::gigmarket::plugins::catalog_types::ServiceItem,
    }
);

world!(
    /// The `posting-review` slot: `ReviewRequest` → `ReviewVerdict` (`review-posting`).
    posting_review, "posting-review", "gigmarket_plugin_kit::posting_review",
    with {
        "gigmarket:plugins/types@0.1.0": crate::types,
        "gigmarket:plugins/host@0.1.0": crate::host,
    } uses {
        self::gigmarket::plugins::review_types::Decision,
        self::gigmarket::plugins::review_types::Posting,
        self::gigmarket::plugins::review_types::Settlement,
        self::gigmarket::plugins::review_types::WageUnit,
    }
);

world!(
    /// The `matching` slot: `MatchRequest` → `MatchResult` (`score-candidates`).
    matching, "matching", "gigmarket_plugin_kit::matching",
    with {
        "gigmarket:plugins/types@0.1.0": crate::types,
        "gigmarket:plugins/host@0.1.0": crate::host,
    } uses {
        self::gigmarket::plugins::matching_types::Candidate,
        self::gigmarket::plugins::matching_types::Contribution,
        self::gigmarket::plugins::matching_types::JobFeatures,
        self::gigmarket::plugins::matching_types::Scored,
    }
);

world!(
    /// The `evaluation` slot: `EvaluationRequest` → `EvaluationResult` (`evaluate-market`).
    evaluation, "evaluation", "gigmarket_plugin_kit::evaluation",
    with {
        "gigmarket:plugins/types@0.1.0": crate::types,
        "gigmarket:plugins/host@0.1.0": crate::host,
        "gigmarket:plugins/period-types@0.1.0": crate::period_types,
    } uses { self::gigmarket::plugins::evaluation_types::Grade, crate::period_types::PeriodFigures }
);
