//! What a regency's dossier for one assessed year is made of, read in one database call so
//! the workbook and the archive see one consistent state: the year's catalogue and
//! checklist, the team's records of that year, and which named files the server holds.

use std::collections::HashSet;

use konvergen_shared::actions::{Catalogue, Checklist};
use konvergen_shared::district::{BudgetLine, Contribution, Head, Innovation};
use konvergen_shared::sync::EntityKind;
use rusqlite::Connection;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{DbError, DbResult, Store, actions, blobs, district, regions};

/// A regency's assessed year as stored.
#[derive(Debug, Clone)]
pub struct DistrictYear {
    /// Regency code, e.g. `63.03`.
    pub regency_code: String,
    /// Its name, e.g. `Kabupaten Banjar`.
    pub regency_name: String,
    /// The assessed year.
    pub year: i32,
    /// The year's catalogue of actions and evidence items.
    pub catalogue: Catalogue,
    /// The checklist (an empty draft when nothing was saved yet).
    pub checklist: Checklist,
    /// Budget lines, by agency, fiscal year and nomenclature.
    pub budget_lines: Vec<BudgetLine>,
    /// Innovations, by agency and title.
    pub innovations: Vec<Innovation>,
    /// Contributions, by item and agency.
    pub contributions: Vec<Contribution>,
    /// Hashes (lower case) of the named files whose content has arrived.
    pub present: HashSet<String>,
}

impl DistrictYear {
    /// Every file hash the checklist, the contributions and the innovations name.
    pub fn named_hashes(&self) -> Vec<String> {
        let items = self.checklist.items.values().flat_map(|item| &item.files);
        let parts = self.contributions.iter().flat_map(|part| &part.files);
        let photos = self.innovations.iter().flat_map(|idea| &idea.photos);
        let mut hashes: Vec<String> = items
            .chain(parts)
            .chain(photos)
            .map(|file| file.sha256.to_ascii_lowercase())
            .collect();
        hashes.sort();
        hashes.dedup();
        hashes
    }

    /// Files one stored record of the regency under its kind, if it belongs to the year.
    /// Bodies were validated on the way in; one that no longer decodes (an older schema)
    /// is left out rather than failing the whole dossier.
    fn add(&mut self, kind: EntityKind, body: serde_json::Value) {
        let of_year = Head::deserialize(&body).is_ok_and(|head| head.year == self.year);
        if !of_year {
            return;
        }
        match kind {
            EntityKind::BudgetLine => self.budget_lines.extend(decoded(body)),
            EntityKind::Innovation => self.innovations.extend(decoded(body)),
            EntityKind::Contribution => self.contributions.extend(decoded(body)),
            _ => {}
        }
    }

    /// A stable order: two downloads of the same state list it the same way.
    fn sort(&mut self) {
        self.budget_lines.sort_by(|a, b| {
            (
                &a.agency,
                a.fiscal_year,
                &a.programme,
                &a.activity,
                &a.sub_activity,
            )
                .cmp(&(
                    &b.agency,
                    b.fiscal_year,
                    &b.programme,
                    &b.activity,
                    &b.sub_activity,
                ))
        });
        self.innovations
            .sort_by(|a, b| (&a.agency, &a.title).cmp(&(&b.agency, &b.title)));
        self.contributions
            .sort_by(|a, b| (&a.item_key, &a.agency).cmp(&(&b.item_key, &b.agency)));
    }
}

fn decoded<T: DeserializeOwned>(body: serde_json::Value) -> Option<T> {
    serde_json::from_value(body).ok()
}

impl Store {
    /// The stored state of `regency`'s assessed `year`; [`DbError::NotFound`] when the code
    /// is not a known regency.
    pub async fn district_year(&self, regency: String, year: i32) -> DbResult<DistrictYear> {
        self.call(move |conn| read(conn, &regency, year)).await
    }
}

fn read(conn: &Connection, regency: &str, year: i32) -> DbResult<DistrictYear> {
    if regions::level_of(conn, regency)?.as_deref() != Some("regency") {
        return Err(DbError::NotFound);
    }
    let catalogue = Catalogue::default_for(year);
    let checklist = actions::checklist(conn, regency, year)?.map_or_else(
        || Checklist::new(regency, year, &catalogue),
        |stored| stored.checklist,
    );
    let mut found = DistrictYear {
        regency_code: regency.to_owned(),
        regency_name: regions::name_of(conn, regency)?.unwrap_or_default(),
        year,
        catalogue,
        checklist,
        budget_lines: Vec::new(),
        innovations: Vec::new(),
        contributions: Vec::new(),
        present: HashSet::new(),
    };
    for (kind, body, _) in district::live_records(conn, regency)? {
        found.add(kind, body);
    }
    found.sort();
    found.present = blobs::present(conn, &found.named_hashes())?;
    Ok(found)
}
