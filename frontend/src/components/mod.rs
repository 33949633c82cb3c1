//! Reusable view pieces.

pub mod connection;
pub mod delete;
pub mod field;
pub mod growth_chart;
