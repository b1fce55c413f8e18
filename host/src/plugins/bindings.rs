//! One typed binding per slot world, generated from `wit/` by `bindgen!`.
//!
//! The shared interfaces (`types`, `host`, `period-types`) are generated once, in the first
//! module that needs them, and reused by the others through `with:`, so there is one Rust type
//! for a `reason` or a `date` however many worlds mention it. Every generated type also derives
//! serde, so slot inputs and outputs travel as JSON in the API and in decision receipts.

pub mod naming {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "naming",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
    });
}

pub mod service_catalog {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "service-catalog",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        with: {
            "gigmarket:plugins/types": super::naming::gigmarket::plugins::types,
            "gigmarket:plugins/host": super::naming::gigmarket::plugins::host,
        },
    });
}

pub mod posting_review {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "posting-review",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        with: {
            "gigmarket:plugins/types": super::naming::gigmarket::plugins::types,
            "gigmarket:plugins/host": super::naming::gigmarket::plugins::host,
        },
    });
}

pub mod matching {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "matching",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        with: {
            "gigmarket:plugins/types": super::naming::gigmarket::plugins::types,
            "gigmarket:plugins/host": super::naming::gigmarket::plugins::host,
        },
    });
}

pub mod subsidy {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "subsidy",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        with: {
            "gigmarket:plugins/types": super::naming::gigmarket::plugins::types,
            "gigmarket:plugins/host": super::naming::gigmarket::plugins::host,
        },
    });
}

pub mod evaluation {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "evaluation",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        with: {
            "gigmarket:plugins/types": super::naming::gigmarket::plugins::types,
            "gigmarket:plugins/host": super::naming::gigmarket::plugins::host,
            "gigmarket:plugins/period-types": super::subsidy::gigmarket::plugins::period_types,
        },
    });
}

pub use naming::gigmarket::plugins::host;
pub use naming::gigmarket::plugins::types;

/// A calendar date as plugins receive it.
impl From<chrono::NaiveDate> for types::Date {
    fn from(d: chrono::NaiveDate) -> types::Date {
        use chrono::Datelike;
        types::Date { year: d.year(), month: d.month() as u8, day: d.day() as u8 }
    }
}
