//! The 8 convergence actions: catalogue as data, district checklist and its workflow,
//! evidence checks, and the province's assessment arithmetic and ranking.
//!
//! A test crate root resolves modules beside itself, hence the explicit paths into
//! `actions/` (a `main.rs` there would make Cargo build it as a second test target).

#[path = "actions/assessment.rs"]
mod assessment;
#[path = "actions/catalogue.rs"]
mod catalogue;
#[path = "actions/evidence.rs"]
mod evidence;
#[path = "actions/panel.rs"]
mod panel;
#[path = "actions/review.rs"]
mod review;
#[path = "actions/support.rs"]
mod support;
#[path = "actions/workflow.rs"]
mod workflow;
