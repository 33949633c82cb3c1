//! The 8 convergence actions (8 Aksi Konvergensi): the yearly catalogue of actions and
//! evidence items, a district's checklist with its review workflow, and the province's
//! assessment (Penilaian Kinerja) with weights and ranking.
//!
//! Rules chosen where the domain notes leave room:
//! - submitting needs every required item done *and* backed by a link or file;
//! - the district edits only in draft or returned; verified is final;
//! - the province reviews a submitted checklist item by item, and cannot verify it while an
//!   item still needs revision;
//! - the panel scores a district once its checklist is submitted (or verified); each
//!   assessor keeps a sheet of their own ([`panel`]) against the year's [`rubric`].

pub mod assessment;
pub mod catalogue;
pub mod checklist;
mod default_catalogue;
pub mod evidence;
pub mod panel;
pub mod panel_views;
pub mod ranking;
pub mod review;
pub mod rubric;
pub mod score_text;
pub mod workflow;

pub use assessment::{
    AssessmentWeights, DistrictScores, MAX_SCORE, Scores, Weights, score_checklist,
};
pub use catalogue::{ActionDef, Bilingual, Catalogue, EvidenceDef, ItemPosition};
pub use checklist::Checklist;
pub use evidence::{FileMeta, ItemState, is_web_url};
pub use ranking::{Assessment, Ranked, assess, rank};
pub use review::{ItemReview, MAX_REVIEW_NOTE_CHARS, ReviewInput, Verdict};
pub use score_text::{format_score, parse_score};
pub use workflow::{
    Actor, HistoryEntry, Status, Transition, WorkflowError, next_status, time_of_ms,
};
