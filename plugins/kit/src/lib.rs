//! The plugin SDK: the WIT bindings of every slot, generated once, the helpers the plugins share,
//! and one macro per slot that turns a rule into a component.
//!
//! A plugin is its rule, a plain function of the slot's input:
//!
//! ```ignore
//! use gigmarket_plugin_kit::subsidy::{SubsidyRequest, SubsidyResult};
//!
//! pub fn compute(request: SubsidyRequest) -> SubsidyResult { /* the rule */ }
//!
//! gigmarket_plugin_kit::subsidy!(compute);
//! ```
//!
//! - [`naming`], [`service_catalog`], [`posting_review`], [`matching`], [`subsidy`],
//!   [`evaluation`]: one module per slot world, with its input and output types and its `Guest`
//!   trait and `export!` macro (the slot macros use them for you);
//! - [`types`], [`host`], [`period_types`]: the interfaces the worlds share, generated once, so
//!   there is one [`Date`](types::Date), [`Reason`](types::Reason),
//!   [`TenantKind`](types::TenantKind) and [`PeriodFigures`](period_types::PeriodFigures);
//! - the slot macros ([`naming!`], [`service_catalog!`], [`posting_review!`], [`matching!`],
//!   [`subsidy!`], [`evaluation!`]) implement the slot's export with the rule, install the panic
//!   hook ([`panic::install`]) first thing in every call, and export the component (in the Wasm
//!   build only: natively a plugin crate is a library whose rule its tests call);
//! - helpers: [`config()`] (the host's configuration text) and [`json`] (reading it leniently),
//!   [`reason()`], [`dates`] (a plain date, `From` the WIT one, effective-dated rules),
//!   [`money`] (fen as yuan), [`figures`] (period arithmetic, capping, subsidy lines),
//!   [`scoring`] (weighted candidate scoring), [`review`] (posting-review rules), [`samples`]
//!   (inputs for tests), [`panic`].

mod bindings;
mod slots;

pub mod dates;
pub mod figures;
pub mod json;
pub mod money;
pub mod panic;
pub mod review;
pub mod samples;
pub mod scoring;

pub use bindings::{evaluation, matching, naming, posting_review, service_catalog, subsidy};
pub use bindings::{host, period_types, types};

use types::Reason;

/// This plugin's configuration for the calling market, as JSON text (`{}` when it has none).
/// Read it in the rule and hand it to a plain parsing function, so tests can give any text.
pub fn config() -> String {
    host::config()
}

/// The configuration parsed as `T`, or `T::default()` when it does not parse: a bureau's typo
/// must not stop the slot. See [`json::parse_or_default`].
pub fn parsed_config<T: serde::de::DeserializeOwned + Default>() -> T {
    json::parse_or_default(&config())
}

/// Write a warning to the host's log (tagged there with the market, slot and plugin hash).
pub fn warn(message: &str) {
    host::log(host::LogLevel::Warn, message)
}

/// A reason: a stable code and a short Chinese explanation.
pub fn reason(code: &str, message: impl Into<String>) -> Reason {
    Reason { code: code.into(), message: message.into() }
}
