//! The coordinator's assignments: which agencies of the team answer for an evidence item of
//! a year. One record per item (`EntityKind::Assignment`), edited in place, so two
//! coordinators changing the same item meet as a conflict instead of one undoing the other.

use serde::{Deserialize, Serialize};

use super::{MAX_AGENCY_CHARS, check_regency, year_in_range};
use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// Most agencies one item can be given to (a regency's list has about a dozen).
pub const MAX_AGENCIES_PER_ITEM: usize = 30;

/// The agencies that answer for one evidence item of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// The regency or city, e.g. `63.03`.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The evidence item of the year's catalogue, e.g. `a1.1`.
    pub item_key: String,
    /// The agencies, by name as on the regency's list; empty when taken back from everyone.
    #[serde(default)]
    pub agencies: Vec<String>,
}

impl Assignment {
    /// Checks the placement and the agency names (whether they are on the regency's list
    /// and the item in the year's catalogue is the server's check, which holds both).
    pub fn validate(&self, current_year: i32) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        check_regency(&mut errors, &self.regency_code);
        year_in_range(&mut errors, "year", self.year, current_year);
        errors.text("item_key", &self.item_key, 40);
        if self.agencies.len() > MAX_AGENCIES_PER_ITEM {
            let id = format!("Paling banyak {MAX_AGENCIES_PER_ITEM} instansi per butir");
            let en = format!("At most {MAX_AGENCIES_PER_ITEM} agencies per item");
            errors.push("agencies", "too_many", &id, &en);
        }
        for (i, agency) in self.agencies.iter().enumerate() {
            errors.text(&format!("agencies[{i}]"), agency, MAX_AGENCY_CHARS);
        }
        let mut names: Vec<&String> = self.agencies.iter().collect();
        names.sort();
        if names.windows(2).any(|pair| pair[0] == pair[1]) {
            errors.push(
                "agencies",
                "duplicate",
                "Setiap instansi cukup sekali",
                "Each agency once",
            );
        }
        errors.into_result()
    }

    /// Whether `agency` answers for the item.
    pub fn includes(&self, agency: &str) -> bool {
        self.agencies.iter().any(|a| a == agency)
    }
}

/// The item keys given to `agency` among `assignments`, in catalogue order of `keys`.
pub fn items_of<'a>(
    agency: &str,
    assignments: &[Assignment],
    keys: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    keys.into_iter()
        .filter(|key| {
            assignments
                .iter()
                .any(|a| a.item_key == *key && a.includes(agency))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(item: &str, agencies: &[&str]) -> Assignment {
        Assignment {
            regency_code: "63.03".into(),
            year: 2025,
            item_key: item.into(),
            agencies: agencies.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn an_agency_gets_its_items_in_catalogue_order() {
        let all = [
            given("a2.1", &["Dinas Kesehatan"]),
            given("a1.1", &["Dinas Kesehatan", "DPMD"]),
            given("a1.2", &["DPMD"]),
        ];
        let keys = ["a1.1", "a1.2", "a2.1"];
        assert_eq!(
            items_of("Dinas Kesehatan", &all, keys),
            vec!["a1.1", "a2.1"]
        );
        assert_eq!(items_of("PUPR", &all, keys), Vec::<&str>::new());
    }

    #[test]
    fn names_are_checked_once_each_and_bounded() {
        assert!(given("a1.1", &["DPMD"]).validate(2026).is_ok());
        let twice = given("a1.1", &["DPMD", "DPMD"]).validate(2026).unwrap_err();
        assert_eq!(twice[0].code, "duplicate");
        let names: Vec<String> = (0..=MAX_AGENCIES_PER_ITEM)
            .map(|i| format!("Dinas {i}"))
            .collect();
        let many = Assignment {
            agencies: names,
            ..given("a1.1", &[])
        };
        assert_eq!(many.validate(2026).unwrap_err()[0].code, "too_many");
        let early = Assignment {
            year: 2017,
            ..given("a1.1", &[])
        };
        assert_eq!(early.validate(2026).unwrap_err()[0].field, "year");
    }
}
