//! A district's checklist for one year: evidence per item, and the workflow
//! draft → submitted → verified, or returned with a reason and submitted again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalogue::Catalogue;
use crate::api::FieldError;
use crate::validate::Problems;

/// Metadata of an uploaded evidence file (the file itself is stored elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMeta {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Media type.
    pub media_type: String,
}

/// The state of one evidence item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemState {
    /// Marked done.
    #[serde(default)]
    pub done: bool,
    /// Links to the evidence (http or https).
    #[serde(default)]
    pub links: Vec<String>,
    /// Uploaded files.
    #[serde(default)]
    pub files: Vec<FileMeta>,
    /// Note.
    #[serde(default)]
    pub note: String,
    /// Day it was done (yyyy-mm-dd).
    #[serde(default)]
    pub done_on: Option<String>,
}

impl ItemState {
    /// Done and backed by at least one link or file.
    pub fn evidenced(&self) -> bool {
        self.done && (!self.links.is_empty() || !self.files.is_empty())
    }
}

/// Where the checklist is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being filled in by the district.
    #[default]
    Draft,
    /// Sent to the province.
    Submitted,
    /// Sent back by the province with a reason.
    Returned,
    /// Accepted by the province.
    Verified,
}

/// A step of the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Transition {
    /// District sends it (from draft or returned).
    Submit,
    /// Province accepts it.
    Verify,
    /// Province sends it back.
    Return {
        /// Why (required).
        reason: String,
    },
}

/// One entry of the workflow history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Status after the step.
    pub status: Status,
    /// Who (account name).
    pub by: String,
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// Reason of a return.
    pub reason: Option<String>,
}

/// A district's checklist for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// Regency code (`63.03`).
    pub regency_code: String,
    /// Year.
    pub year: i32,
    /// Catalogue version it was filled against.
    pub catalogue_version: String,
    /// Item states by evidence key.
    pub items: BTreeMap<String, ItemState>,
    /// Notes per action number.
    pub action_notes: BTreeMap<u8, String>,
    /// Workflow status.
    pub status: Status,
    /// Every step so far.
    pub history: Vec<HistoryEntry>,
}

/// Why a workflow step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowError {
    /// Not allowed from the current status.
    NotAllowed(Status),
    /// Field problems (missing evidence, missing reason).
    Invalid(Vec<FieldError>),
}

impl Checklist {
    /// An empty draft.
    pub fn new(regency_code: &str, year: i32, catalogue: &Catalogue) -> Self {
        Self {
            regency_code: regency_code.to_owned(),
            year,
            catalogue_version: catalogue.version_id.clone(),
            items: BTreeMap::new(),
            action_notes: BTreeMap::new(),
            status: Status::Draft,
            history: Vec::new(),
        }
    }

    /// Whether the district may edit it now.
    pub fn editable(&self) -> bool {
        matches!(self.status, Status::Draft | Status::Returned)
    }

    /// Replaces one item's state after checking keys and links.
    pub fn set_item(
        &mut self,
        catalogue: &Catalogue,
        key: &str,
        state: ItemState,
    ) -> Result<(), WorkflowError> {
        if !self.editable() {
            return Err(WorkflowError::NotAllowed(self.status));
        }
        let mut problems = Problems::default();
        if catalogue.evidence(key).is_none() {
            problems.push(
                "key",
                "unknown_item",
                "Butir bukti tidak dikenal",
                "Unknown evidence item",
            );
        }
        for (index, link) in state.links.iter().enumerate() {
            if !(link.starts_with("https://") || link.starts_with("http://"))
                || link.contains(char::is_whitespace)
                || link.len() > 2000
            {
                problems.push(
                    &format!("links[{index}]"),
                    "invalid_url",
                    "Tautan harus diawali http:// atau https://",
                    "Links must start with http:// or https://",
                );
            }
        }
        problems.into_result().map_err(WorkflowError::Invalid)?;
        self.items.insert(key.to_owned(), state);
        Ok(())
    }

    /// Applies a workflow step by `by` at `at_ms`.
    pub fn transition(
        &mut self,
        catalogue: &Catalogue,
        step: &Transition,
        by: &str,
        at_ms: i64,
    ) -> Result<(), WorkflowError> {
        let (next, reason) = match (step, self.status) {
            (Transition::Submit, Status::Draft | Status::Returned) => {
                self.missing_required(catalogue)
                    .map_err(WorkflowError::Invalid)?;
                (Status::Submitted, None)
            }
            (Transition::Verify, Status::Submitted) => (Status::Verified, None),
            (Transition::Return { reason }, Status::Submitted) => {
                if reason.trim().is_empty() {
                    let mut problems = Problems::default();
                    problems.push(
                        "reason",
                        "required",
                        "Alasan pengembalian wajib diisi",
                        "A reason is required",
                    );
                    return Err(WorkflowError::Invalid(problems.0));
                }
                (Status::Returned, Some(reason.trim().to_owned()))
            }
            (_, status) => return Err(WorkflowError::NotAllowed(status)),
        };
        self.status = next;
        self.history.push(HistoryEntry {
            status: next,
            by: by.to_owned(),
            at_ms,
            reason,
        });
        Ok(())
    }

    /// Every required item must be done with evidence before submitting.
    fn missing_required(&self, catalogue: &Catalogue) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        for action in &catalogue.actions {
            for item in action.evidence.iter().filter(|e| e.required) {
                if !self.items.get(&item.key).is_some_and(ItemState::evidenced) {
                    problems.push(
                        &format!("items.{}", item.key),
                        "missing_evidence",
                        &format!(
                            "Aksi {}: {} belum ada buktinya",
                            action.number, item.label_id
                        ),
                        &format!(
                            "Action {}: {} has no evidence yet",
                            action.number, item.label_en
                        ),
                    );
                }
            }
        }
        problems.into_result()
    }

    /// The last return reason, if the checklist is returned.
    pub fn return_reason(&self) -> Option<&str> {
        (self.status == Status::Returned)
            .then(|| self.history.last().and_then(|h| h.reason.as_deref()))
            .flatten()
    }
}
