//! The province's technical review of a submitted checklist, item by item: each evidence
//! item is accepted or needs revision (with a note saying what to fix). A checklist is
//! returned with those notes as its reasons, and cannot be verified while any item still
//! needs revision.
//!
//! Reviews stay on the checklist after a return and a new submission, so the province sees
//! what it asked for. An item the district saves with different content after its review is
//! flagged [`ItemReview::changed_since`] by the model itself rather than judged by comparing
//! `ItemState::updated_at` with the review's time: item saves from the desk are stored as the
//! client sends them (its clock, or no time at all for saves queued offline), so those two
//! times come from different clocks and cannot be compared.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::catalogue::Catalogue;
use super::checklist::Checklist;
use super::evidence::ItemState;
use super::workflow::{Status, WorkflowError};
use crate::validate::ValidationErrors;

/// Longest note of an item review.
pub const MAX_REVIEW_NOTE_CHARS: usize = 1000;

/// The province's judgement of one evidence item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The evidence is enough.
    Accepted,
    /// The district must fix it; the note says what.
    NeedsRevision,
}

impl Verdict {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::NeedsRevision => "needs_revision",
        }
    }
}

/// What the province sends for one item: `{"verdict": "needs_revision", "note": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Accepted or needs revision.
    pub verdict: Verdict,
    /// What to fix: required when the item needs revision, optional otherwise.
    #[serde(default)]
    pub note: String,
}

/// The review of one item as stored on the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemReview {
    /// Accepted or needs revision.
    pub verdict: Verdict,
    /// What to fix (trimmed; may be empty when accepted).
    #[serde(default)]
    pub note: String,
    /// Account of the reviewer.
    pub reviewer: String,
    /// When the review was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The district saved the item with different content after this review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_since: bool,
}

impl ItemReview {
    /// Whether the item still needs revision.
    pub fn needs_revision(&self) -> bool {
        self.verdict == Verdict::NeedsRevision
    }
}

impl Checklist {
    /// Records the province's review of item `key` by `reviewer` at `at`, replacing an
    /// earlier one. Only while the checklist is submitted: the province reviews what was
    /// sent, not a draft that is still changing.
    pub fn review_item(
        &mut self,
        catalogue: &Catalogue,
        key: &str,
        input: &ReviewInput,
        reviewer: &str,
        at: OffsetDateTime,
    ) -> Result<(), WorkflowError> {
        if self.status != Status::Submitted {
            return Err(WorkflowError::NotAllowed(self.status));
        }
        let note = input.note.trim().to_owned();
        let mut errors = ValidationErrors::default();
        if catalogue.locate(key).is_none() {
            let (id, en) = ("Butir bukti tidak dikenal", "Unknown evidence item");
            errors.push("key", "unknown_item", id, en);
        }
        check_note(&mut errors, "note", input.verdict, &note);
        errors.into_result().map_err(WorkflowError::Invalid)?;
        let review = ItemReview {
            verdict: input.verdict,
            note,
            reviewer: reviewer.to_owned(),
            at,
            changed_since: false,
        };
        self.reviews.insert(key.to_owned(), review);
        Ok(())
    }

    /// The review of item `key`, if the province recorded one.
    pub fn review(&self, key: &str) -> Option<&ItemReview> {
        self.reviews.get(key)
    }

    /// Whether at least one item is marked as needing revision.
    pub fn has_revisions(&self) -> bool {
        self.reviews.values().any(ItemReview::needs_revision)
    }

    /// One field error `reviews` naming every item that still needs revision, in catalogue
    /// order (keys the catalogue does not know come last); `None` when there is none.
    pub(super) fn revisions_pending(&self, catalogue: &Catalogue) -> Option<(String, String)> {
        let mut named_id = Vec::new();
        let mut named_en = Vec::new();
        for position in catalogue.positions() {
            let (action, item) = (position.action.number, position.item);
            if self
                .review(&item.key)
                .is_some_and(ItemReview::needs_revision)
            {
                named_id.push(format!("Aksi {action} ({})", item.label_id));
                named_en.push(format!("Action {action} ({})", item.label_en));
            }
        }
        for (key, _) in self
            .reviews
            .iter()
            .filter(|(key, review)| review.needs_revision() && catalogue.locate(key).is_none())
        {
            named_id.push(key.clone());
            named_en.push(key.clone());
        }
        if named_id.is_empty() {
            return None;
        }
        Some((
            format!(
                "Belum dapat diverifikasi, butir masih perlu perbaikan: {}",
                named_id.join("; ")
            ),
            format!(
                "Cannot be verified yet, items still need revision: {}",
                named_en.join("; ")
            ),
        ))
    }

    /// Flags the review of `key` when the district stores content different from what was
    /// reviewed (a save of the same content, e.g. a queued offline save sent again, does not).
    pub(super) fn note_change_after_review(&mut self, key: &str, before: Option<&ItemState>) {
        let after = self.items.get(key);
        if let Some(review) = self.reviews.get_mut(key)
            && !same_content(before, after)
        {
            review.changed_since = true;
        }
    }

    /// Checks the stored reviews (of a checklist received whole): known items, notes.
    pub(super) fn check_reviews(&self, errors: &mut ValidationErrors, catalogue: &Catalogue) {
        for (key, review) in &self.reviews {
            let path = format!("reviews.{key}");
            if catalogue.locate(key).is_none() {
                let (id, en) = ("Butir bukti tidak dikenal", "Unknown evidence item");
                errors.push(&path, "unknown_item", id, en);
            }
            check_note(
                errors,
                &format!("{path}.note"),
                review.verdict,
                &review.note,
            );
        }
    }
}

/// A note is required when the item needs revision, and never longer than the limit.
fn check_note(errors: &mut ValidationErrors, field: &str, verdict: Verdict, note: &str) {
    if verdict == Verdict::NeedsRevision && note.is_empty() {
        let id = "Tuliskan apa yang perlu diperbaiki";
        let en = "Say what needs to be revised";
        errors.push(field, "required", id, en);
    } else {
        errors.max_len(field, note, MAX_REVIEW_NOTE_CHARS);
    }
}

/// Whether two states of an item hold the same evidence, ignoring when they were saved.
fn same_content(before: Option<&ItemState>, after: Option<&ItemState>) -> bool {
    let content = |state: Option<&ItemState>| {
        state.cloned().map(|state| ItemState {
            updated_at: None,
            ..state
        })
    };
    content(before) == content(after)
}
