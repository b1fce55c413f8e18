//! Tenants' local rules as sandboxed WebAssembly components ("plugins").
//!
//! - [`bindings`]: the typed layer generated from `wit/`, one module per slot world;
//! - [`slots`]: the six slots, and for each the typed call and the invariants its output must keep;
//! - [`runtime`]: the one owner of the `wasmtime::Engine`: compiling (with an on-disk cache keyed
//!   by content hash), world detection, and sandboxed calls with fuel, deadline and memory limits;
//! - [`admission`]: a fair share of the runtime for each market, under one global limit;
//! - [`error`]: what can go wrong in a call, as stable codes.
//!
//! Which plugin serves which tenant, and the receipts of the decisions they make, live in
//! [`crate::rules`].

pub mod admission;
pub mod bindings;
pub mod error;
pub mod runtime;
pub mod slots;

pub use error::PluginError;
pub use runtime::{CallContext, Called, LoadedPlugin, Runtime, RuntimeStats};
pub use slots::{Slot, SlotLimits, SlotWorld};
