//! Reusable view pieces.

pub mod connection;
