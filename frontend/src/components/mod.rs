//! Reusable view pieces.

pub mod connection;
pub mod field;
