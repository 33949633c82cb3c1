//! Reusable view pieces.

pub mod connection;
pub mod field;
pub mod growth_chart;
