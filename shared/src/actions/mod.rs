//! The 8 convergence actions (8 Aksi Konvergensi): catalogue, district checklists with their
//! review workflow, and the province's assessment.

pub mod assessment;
pub mod catalogue;
pub mod checklist;

pub use assessment::{Scores, Weights, rank};
pub use catalogue::Catalogue;
pub use checklist::{Checklist, ItemState, Status, Transition, WorkflowError};
