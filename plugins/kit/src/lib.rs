//! Plain-Rust helpers the plugins share. Nothing here knows about WIT: plugins convert their
//! generated types into these small structs, so that the rules stay testable natively and one
//! copy of each rule serves every plugin that uses it.

pub mod dates;
pub mod figures;
pub mod panic;
pub mod review;
pub mod scoring;
