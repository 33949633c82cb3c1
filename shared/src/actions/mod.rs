//! The 8 convergence actions (8 Aksi Konvergensi): the yearly catalogue of actions and
//! evidence items, a district's checklist with its review workflow, and the province's
//! assessment (Penilaian Kinerja) with weights and ranking.
//!
//! Rules chosen where the domain notes leave room:
//! - submitting needs every required item done *and* backed by a link or file;
//! - the district edits only in draft or returned; verified is final;
//! - only a verified checklist can be scored.

pub mod assessment;
pub mod catalogue;
pub mod checklist;
mod default_catalogue;
pub mod evidence;
pub mod ranking;
pub mod score_text;
pub mod workflow;

pub use assessment::{
    AssessmentWeights, DistrictScores, MAX_SCORE, Scores, Weights, score_checklist,
};
pub use catalogue::{ActionDef, Bilingual, Catalogue, EvidenceDef, ItemPosition};
pub use checklist::Checklist;
pub use evidence::{FileMeta, ItemState, is_web_url};
pub use ranking::{Assessment, Ranked, assess, rank};
pub use score_text::{format_score, parse_score};
pub use workflow::{Actor, HistoryEntry, Status, Transition, WorkflowError, next_status};
