//! A district's checklist for one year: the state of every evidence item, notes per action,
//! and the review status with its history (the steps are in [`super::workflow`]).
//!
//! Item states are keyed by the catalogue's item keys rather than by position, so a checklist
//! survives a catalogue variant that adds or reorders items. Field paths in errors are
//! positional (`actions[2].items[0].links[1]`, indices from 0 in catalogue order) because
//! that is how a form shows them; messages also name the action and the item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::catalogue::Catalogue;
use super::evidence::{ItemState, MAX_NOTE_CHARS, check_item};
use super::review::ItemReview;
use super::workflow::{HistoryEntry, Status, WorkflowError};
use crate::api::FieldError;
use crate::region::{Level, RegionCode};
use crate::validate::ValidationErrors;

/// A district's checklist for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// Regency code, e.g. `63.03`.
    pub regency_code: String,
    /// Year.
    pub year: i32,
    /// Version of the catalogue it was last edited or submitted against.
    pub catalogue_version: String,
    /// Item states by evidence key; items never touched are absent.
    #[serde(default)]
    pub items: BTreeMap<String, ItemState>,
    /// Notes per action number.
    #[serde(default)]
    pub action_notes: BTreeMap<u8, String>,
    /// Review status.
    #[serde(default)]
    pub status: Status,
    /// Every workflow step so far, oldest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The province's review of each item it looked at, by evidence key ([`super::review`]).
    #[serde(default)]
    pub reviews: BTreeMap<String, ItemReview>,
}

impl Checklist {
    /// An empty draft of `regency_code` for `year`, filled against `catalogue`.
    pub fn new(regency_code: &str, year: i32, catalogue: &Catalogue) -> Self {
        Self {
            regency_code: regency_code.to_owned(),
            year,
            catalogue_version: catalogue.version_id.clone(),
            items: BTreeMap::new(),
            action_notes: BTreeMap::new(),
            status: Status::Draft,
            history: Vec::new(),
            reviews: BTreeMap::new(),
        }
    }

    /// The state of an item; `None` when it was never saved.
    pub fn item(&self, key: &str) -> Option<&ItemState> {
        self.items.get(key)
    }

    /// Checks an item and stores it, stamping `updated_at` with `at`.
    pub fn update_item(
        &mut self,
        catalogue: &Catalogue,
        key: &str,
        state: ItemState,
        at: OffsetDateTime,
    ) -> Result<(), WorkflowError> {
        let state = ItemState {
            updated_at: Some(at),
            ..state
        };
        self.store_item(catalogue, key, state, Some(at))
    }

    /// Checks an item and stores it as given, for callers without a clock; `done_on` is then
    /// not checked against today.
    pub fn set_item(
        &mut self,
        catalogue: &Catalogue,
        key: &str,
        state: ItemState,
    ) -> Result<(), WorkflowError> {
        self.store_item(catalogue, key, state, None)
    }

    fn store_item(
        &mut self,
        catalogue: &Catalogue,
        key: &str,
        state: ItemState,
        at: Option<OffsetDateTime>,
    ) -> Result<(), WorkflowError> {
        self.ensure_editable()?;
        let mut errors = ValidationErrors::default();
        check_catalogue_year(&mut errors, self.year, catalogue);
        let state = state.normalised();
        match catalogue.locate(key) {
            Some(position) => {
                check_item(
                    &mut errors,
                    &position.path(),
                    &state,
                    at.map(|at| at.date()),
                );
            }
            None => unknown_item(&mut errors, "key"),
        }
        errors.into_result().map_err(WorkflowError::Invalid)?;
        let before = self.items.insert(key.to_owned(), state);
        self.note_change_after_review(key, before.as_ref());
        self.catalogue_version.clone_from(&catalogue.version_id);
        Ok(())
    }

    /// Sets the note of an action; an empty note removes it.
    pub fn set_action_note(
        &mut self,
        catalogue: &Catalogue,
        number: u8,
        note: &str,
    ) -> Result<(), WorkflowError> {
        self.ensure_editable()?;
        let mut errors = ValidationErrors::default();
        let note = note.trim();
        match catalogue.actions.iter().position(|a| a.number == number) {
            Some(index) => {
                errors.max_len(&format!("actions[{index}].note"), note, MAX_NOTE_CHARS);
            }
            None => {
                let (id, en) = ("Aksi tidak dikenal", "Unknown action");
                errors.push("number", "unknown_action", id, en);
            }
        }
        errors.into_result().map_err(WorkflowError::Invalid)?;
        if note.is_empty() {
            self.action_notes.remove(&number);
        } else {
            self.action_notes.insert(number, note.to_owned());
        }
        Ok(())
    }

    /// Checks a whole checklist (e.g. one received from a device): regency code, year, and
    /// every stored item and note against `catalogue`.
    pub fn validate(&self, catalogue: &Catalogue) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        match RegionCode::parse(&self.regency_code) {
            Ok(code) if code.level() == Level::Regency => {}
            Ok(_) => {
                let (id, en) = ("Harus kode kabupaten/kota", "Must be a regency code");
                errors.push("regency_code", "invalid_level", id, en);
            }
            Err(err) => errors.add(err.to_field_error("regency_code")),
        }
        check_catalogue_year(&mut errors, self.year, catalogue);
        for (key, state) in &self.items {
            match catalogue.locate(key) {
                Some(position) => check_item(&mut errors, &position.path(), state, None),
                None => unknown_item(&mut errors, &format!("items.{key}")),
            }
        }
        for (number, note) in &self.action_notes {
            let path = format!("action_notes.{number}");
            if catalogue.action(*number).is_none() {
                let (id, en) = ("Aksi tidak dikenal", "Unknown action");
                errors.push(&path, "unknown_action", id, en);
            }
            errors.max_len(&path, note, MAX_NOTE_CHARS);
        }
        self.check_reviews(&mut errors, catalogue);
        errors.into_result()
    }

    /// Required items that are not done with evidence, one field error each, in catalogue order.
    pub fn missing_evidence(&self, catalogue: &Catalogue) -> Vec<FieldError> {
        let mut errors = ValidationErrors::default();
        for position in catalogue.required_items() {
            let state = self.items.get(&position.item.key);
            let (action, item) = (position.action.number, position.item);
            if !state.is_some_and(|s| s.done) {
                let id = format!("Aksi {action}: {} belum ditandai selesai", item.label_id);
                let en = format!("Action {action}: {} is not marked done", item.label_en);
                errors.push(&position.path(), "not_done", &id, &en);
            } else if !state.is_some_and(ItemState::has_evidence) {
                let id = format!(
                    "Aksi {action}: {} belum ada tautan atau berkas",
                    item.label_id
                );
                let en = format!("Action {action}: {} has no link or file", item.label_en);
                errors.push(&position.path(), "missing_evidence", &id, &en);
            }
        }
        errors.0
    }

    /// Whether the checklist can be submitted: valid, and every required item evidenced.
    pub fn readiness(&self, catalogue: &Catalogue) -> Result<(), Vec<FieldError>> {
        let mut errors = self.validate(catalogue).err().unwrap_or_default();
        errors.extend(self.missing_evidence(catalogue));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn ensure_editable(&self) -> Result<(), WorkflowError> {
        if self.editable() {
            Ok(())
        } else {
            Err(WorkflowError::NotAllowed(self.status))
        }
    }
}

/// A checklist of one year must be filled against that year's catalogue.
fn check_catalogue_year(errors: &mut ValidationErrors, year: i32, catalogue: &Catalogue) {
    if catalogue.year != year {
        let id = format!("Katalog tahun {} untuk daftar tahun {year}", catalogue.year);
        let en = format!("Catalogue of {} for a checklist of {year}", catalogue.year);
        errors.push("year", "catalogue_year_mismatch", &id, &en);
    }
}

fn unknown_item(errors: &mut ValidationErrors, path: &str) {
    let (id, en) = ("Butir bukti tidak dikenal", "Unknown evidence item");
    errors.push(path, "unknown_item", id, en);
}
