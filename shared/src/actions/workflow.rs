//! The review workflow of a checklist: draft → submitted → verified, or submitted → returned
//! (with a reason, or with items marked as needing revision) → submitted again. Every step is
//! recorded with who, when and why; verifying waits until no item needs revision.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::catalogue::Catalogue;
use super::checklist::Checklist;
use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// Longest reason for returning a checklist.
pub const MAX_REASON_CHARS: usize = 1000;

/// Where the checklist is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being filled in by the district.
    #[default]
    Draft,
    /// Sent to the province; frozen for the district.
    Submitted,
    /// Sent back by the province with a reason; the district edits and submits again.
    Returned,
    /// Accepted by the province; final, and the only status that can be scored.
    Verified,
}

impl Status {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Verified => "verified",
        }
    }

    /// The name in Bahasa Indonesia, in the words of the checklist screen.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Draft => "Draf",
            Self::Submitted => "Dikirim ke provinsi",
            Self::Returned => "Dikembalikan provinsi",
            Self::Verified => "Terverifikasi",
        }
    }
}

/// A step of the workflow, as a client sends it: `{"action": "return", "reason": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Transition {
    /// The district sends the checklist (from draft or returned).
    Submit,
    /// The province accepts it.
    Verify,
    /// The province sends it back.
    Return {
        /// Why, shown to the district; required unless an item is marked as needing
        /// revision, whose note then says why.
        reason: String,
    },
}

/// The status a step leads to from `from`, or `None` when the step is not allowed there.
pub fn next_status(from: Status, step: &Transition) -> Option<Status> {
    match (from, step) {
        (Status::Draft | Status::Returned, Transition::Submit) => Some(Status::Submitted),
        (Status::Submitted, Transition::Verify) => Some(Status::Verified),
        (Status::Submitted, Transition::Return { .. }) => Some(Status::Returned),
        _ => None,
    }
}

/// Who took a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable user id (or account name when that is the id).
    pub id: String,
    /// Name to show.
    pub name: String,
}

impl Actor {
    /// An actor from an id and a display name.
    pub fn new(id: &str, name: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Status before the step.
    pub from: Status,
    /// Status after the step.
    pub to: Status,
    /// Who took it.
    pub actor: Actor,
    /// When (as passed in by the caller).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Reason of a return (trimmed).
    #[serde(default)]
    pub reason: Option<String>,
    /// Catalogue version a submission was checked against.
    #[serde(default)]
    pub catalogue_version: Option<String>,
}

/// A millisecond clock reading (the server's) as a moment.
pub fn time_of_ms(at_ms: i64) -> Result<OffsetDateTime, WorkflowError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000).map_err(|_| {
        let mut errors = ValidationErrors::default();
        let (id, en) = ("Waktu di luar jangkauan", "Time out of range");
        errors.push("at", "out_of_range", id, en);
        WorkflowError::Invalid(errors.0)
    })
}

/// Why a step or an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// Not allowed in the current status (maps to HTTP 409).
    #[error("not allowed while the checklist is {}", .0.as_str())]
    NotAllowed(Status),
    /// Field problems such as missing evidence or a missing reason (maps to HTTP 422).
    #[error("{} field problem(s)", .0.len())]
    Invalid(Vec<FieldError>),
}

impl WorkflowError {
    /// The error as field errors, for clients that show every error next to a field.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::NotAllowed(status) => vec![FieldError {
                field: "status".to_owned(),
                code: "not_allowed".to_owned(),
                message_id: format!("Tidak dapat dilakukan pada status {}", status.as_str()),
                message_en: format!("Not allowed while {}", status.as_str()),
            }],
            Self::Invalid(errors) => errors.clone(),
        }
    }
}

impl Checklist {
    /// Applies a step by `actor` at `at`; on success the status changes and the step is
    /// appended to the history, on failure nothing changes.
    ///
    /// Submitting checks the whole checklist against `catalogue` and refuses with one field
    /// error per required item that is not done with a link or file.
    pub fn transition_at(
        &mut self,
        catalogue: &Catalogue,
        step: &Transition,
        actor: &Actor,
        at: OffsetDateTime,
    ) -> Result<(), WorkflowError> {
        let to = next_status(self.status, step).ok_or(WorkflowError::NotAllowed(self.status))?;
        let mut errors = ValidationErrors::default();
        errors.required("actor.id", &actor.id);
        let reason = match step {
            Transition::Submit => {
                errors
                    .0
                    .extend(self.readiness(catalogue).err().unwrap_or_default());
                None
            }
            Transition::Verify => {
                if let Some((id, en)) = self.revisions_pending(catalogue) {
                    errors.push("reviews", "needs_revision", &id, &en);
                }
                None
            }
            Transition::Return { reason } => self.return_reason_checked(&mut errors, reason),
        };
        errors.into_result().map_err(WorkflowError::Invalid)?;
        let catalogue_version = (to == Status::Submitted).then(|| catalogue.version_id.clone());
        if let Some(version) = &catalogue_version {
            self.catalogue_version.clone_from(version);
        }
        self.history.push(HistoryEntry {
            from: self.status,
            to,
            actor: actor.clone(),
            at,
            reason,
            catalogue_version,
        });
        self.status = to;
        Ok(())
    }

    /// The trimmed reason of a return, checked: required unless an item is marked as needing
    /// revision (its note then says why), and never too long. A blank reason is kept as none.
    fn return_reason_checked(&self, errors: &mut ValidationErrors, reason: &str) -> Option<String> {
        let reason = reason.trim();
        if self.has_revisions() {
            errors.max_len("reason", reason, MAX_REASON_CHARS);
        } else {
            errors.text("reason", reason, MAX_REASON_CHARS);
        }
        (!reason.is_empty()).then(|| reason.to_owned())
    }

    /// [`Checklist::transition_at`] for callers holding an account name and a millisecond
    /// clock (the server); the name serves as both id and display name.
    pub fn transition(
        &mut self,
        catalogue: &Catalogue,
        step: &Transition,
        account: &str,
        at_ms: i64,
    ) -> Result<(), WorkflowError> {
        let at = time_of_ms(at_ms)?;
        self.transition_at(catalogue, step, &Actor::new(account, account), at)
    }

    /// Whether the district may edit it now (draft or returned).
    pub fn editable(&self) -> bool {
        matches!(self.status, Status::Draft | Status::Returned)
    }

    /// The reason of the last return, while the checklist is returned.
    pub fn return_reason(&self) -> Option<&str> {
        if self.status != Status::Returned {
            return None;
        }
        self.history
            .last()
            .and_then(|entry| entry.reason.as_deref())
    }
}
