//! The 8 convergence actions and the evidence a district uploads for each, as data that a
//! province can replace per year (the official list of *data dukung* changes and is not
//! fully known, domain notes §1.2).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// A text in Bahasa Indonesia and in English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// Bahasa Indonesia.
    pub id: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// Builds a text from its two languages.
    pub fn new(id: &str, en: &str) -> Self {
        Self {
            id: id.to_owned(),
            en: en.to_owned(),
        }
    }
}

/// One evidence item (data dukung) of an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDef {
    /// Key that stays the same across catalogue versions, e.g. `a1.1`.
    pub key: String,
    /// Label in Bahasa Indonesia.
    pub label_id: String,
    /// Label in English.
    pub label_en: String,
    /// Whether it must be done with evidence before the checklist can be submitted.
    pub required: bool,
}

/// One of the convergence actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDef {
    /// Number of the action, 1-8.
    pub number: u8,
    /// Name in Bahasa Indonesia.
    pub name_id: String,
    /// Name in English.
    pub name_en: String,
    /// Why the action exists.
    #[serde(default)]
    pub purpose: Bilingual,
    /// Main outputs or documents.
    #[serde(default)]
    pub outputs: Vec<Bilingual>,
    /// Typical lead office (OPD), by its Indonesian name.
    #[serde(default)]
    pub lead: String,
    /// Typical timing in the annual cycle.
    #[serde(default)]
    pub timing: Bilingual,
    /// Evidence items, in display order.
    pub evidence: Vec<EvidenceDef>,
}

/// The catalogue of one year; its `version_id` is stored with every checklist filled against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Year it applies to.
    pub year: i32,
    /// Identifies this variant, e.g. `konvergen-2026-v2`; change it whenever items change.
    pub version_id: String,
    /// The actions, in display order.
    pub actions: Vec<ActionDef>,
}

/// Where an evidence item sits in the catalogue, for field paths and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemPosition<'a> {
    /// Index of the action in `actions`.
    pub action_index: usize,
    /// Index of the item in that action's `evidence`.
    pub item_index: usize,
    /// The action.
    pub action: &'a ActionDef,
    /// The item.
    pub item: &'a EvidenceDef,
}

impl ItemPosition<'_> {
    /// Field path of the item, e.g. `actions[2].items[0]`.
    pub fn path(&self) -> String {
        item_path(self.action_index, self.item_index)
    }
}

/// Field path of an item by position, e.g. `actions[2].items[0]`.
pub fn item_path(action_index: usize, item_index: usize) -> String {
    format!("actions[{action_index}].items[{item_index}]")
}

impl Catalogue {
    /// The built-in catalogue of `year` (domain notes §1.1-1.2).
    pub fn default_for(year: i32) -> Self {
        super::default_catalogue::build(year)
    }

    /// Reads a catalogue a province supplies as JSON and checks it.
    pub fn from_json(text: &str) -> Result<Self, Vec<FieldError>> {
        let catalogue: Self = serde_json::from_str(text).map_err(|err| {
            let mut errors = ValidationErrors::default();
            let en = format!("Not a valid catalogue: {err}");
            errors.push("catalogue", "invalid_json", "Katalog tidak valid", &en);
            errors.0
        })?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    /// Checks the shape: a version, numbered actions with names, and unique item keys.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        errors.required("version_id", &self.version_id);
        if self.actions.is_empty() {
            let (id, en) = ("Katalog tanpa aksi", "The catalogue has no actions");
            errors.push("actions", "required", id, en);
        }
        let mut numbers = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (index, action) in self.actions.iter().enumerate() {
            let path = format!("actions[{index}]");
            if action.number == 0 || !numbers.insert(action.number) {
                let (id, en) = (
                    "Nomor aksi kosong atau ganda",
                    "Missing or repeated action number",
                );
                errors.push(&format!("{path}.number"), "invalid_number", id, en);
            }
            errors.required(&format!("{path}.name_id"), &action.name_id);
            errors.required(&format!("{path}.name_en"), &action.name_en);
            for (item_index, item) in action.evidence.iter().enumerate() {
                let item_path = format!("{path}.evidence[{item_index}]");
                if errors.required(&format!("{item_path}.key"), &item.key)
                    && !keys.insert(item.key.as_str())
                {
                    let (id, en) = ("Kunci butir bukti ganda", "Repeated evidence key");
                    errors.push(&format!("{item_path}.key"), "duplicate", id, en);
                }
                errors.required(&format!("{item_path}.label_id"), &item.label_id);
                errors.required(&format!("{item_path}.label_en"), &item.label_en);
            }
        }
        errors.into_result()
    }

    /// An evidence item by key.
    pub fn evidence(&self, key: &str) -> Option<&EvidenceDef> {
        self.locate(key).map(|position| position.item)
    }

    /// An action by its number.
    pub fn action(&self, number: u8) -> Option<&ActionDef> {
        self.actions.iter().find(|action| action.number == number)
    }

    /// Every evidence item with its position, in display order.
    pub fn positions(&self) -> impl Iterator<Item = ItemPosition<'_>> {
        self.actions
            .iter()
            .enumerate()
            .flat_map(|(action_index, action)| {
                action
                    .evidence
                    .iter()
                    .enumerate()
                    .map(move |(item_index, item)| ItemPosition {
                        action_index,
                        item_index,
                        action,
                        item,
                    })
            })
    }

    /// Where the item with `key` sits.
    pub fn locate(&self, key: &str) -> Option<ItemPosition<'_>> {
        self.positions().find(|position| position.item.key == key)
    }

    /// The required items with their positions.
    pub fn required_items(&self) -> impl Iterator<Item = ItemPosition<'_>> {
        self.positions().filter(|position| position.item.required)
    }
}
