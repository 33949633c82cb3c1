//! The heart of konvergen, shared by the browser app and the sync server.
//!
//! Everything here is pure Rust without platform dependencies, so it compiles both for
//! `wasm32-unknown-unknown` (the cadre app) and natively (the server and the tests).

pub mod actions;
pub mod aggregates;
pub mod anthro;
pub mod api;
pub mod date;
pub mod district;
pub mod files;
pub mod ids;
pub mod monitoring;
pub mod recap;
pub mod records;
pub mod region;
pub mod register;
pub mod scorecard;
pub mod sort;
pub mod supervision;
pub mod sync;
pub mod tasks;
pub mod validate;

/// Version of the application, the same on both sides of the wire.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
