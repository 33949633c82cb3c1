//! The screens of the app and their addresses.

pub mod elsewhere;
pub mod home;
pub mod household;
pub mod login;
pub mod measure;
pub mod member;
pub mod monthly;
pub mod scorecard;
pub mod sync_panel;
pub mod tasks;

use konvergen_shared::monitoring::YearMonth;
use uuid::Uuid;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// This month's tasks: the cadre's home.
    Tasks,
    /// Household list of the village.
    Home,
    /// One household: its members first.
    Household(Uuid),
    /// The household's own details (new when `None`).
    HouseholdEdit(Option<Uuid>),
    /// A pregnant woman of a household (new when `id` is `None`).
    Pregnant {
        /// The household.
        household: Uuid,
        /// The person.
        id: Option<Uuid>,
    },
    /// A child 0-23 months of a household.
    Child {
        /// The household.
        household: Uuid,
        /// The child.
        id: Option<Uuid>,
    },
    /// A child 2-6 years (PAUD) of a household.
    Paud {
        /// The household.
        household: Uuid,
        /// The child.
        id: Option<Uuid>,
    },
    /// Measuring a child.
    Measure(Uuid),
    /// The monthly checklist of a person for a month (this month when `None`).
    Monthly {
        /// The person.
        person: Uuid,
        /// The month being filled.
        month: Option<YearMonth>,
    },
    /// The village scorecard.
    Scorecard,
    /// The sync panel.
    Sync,
}

const HOUSEHOLDS: &str = "rumah-tangga";
const NEW: &str = "baru";

fn id_or_new(id: Option<Uuid>) -> String {
    id.map_or_else(|| NEW.to_owned(), |id| id.to_string())
}

impl Page {
    /// The screen's address.
    pub fn path(&self) -> String {
        match *self {
            Self::Tasks => "/".to_owned(),
            Self::Home => format!("/{HOUSEHOLDS}"),
            Self::Household(id) => format!("/{HOUSEHOLDS}/{id}"),
            Self::HouseholdEdit(None) => format!("/{HOUSEHOLDS}/{NEW}"),
            Self::HouseholdEdit(Some(id)) => format!("/{HOUSEHOLDS}/{id}/ubah"),
            Self::Pregnant { household, id } => {
                format!("/{HOUSEHOLDS}/{household}/ibu-hamil/{}", id_or_new(id))
            }
            Self::Child { household, id } => {
                format!("/{HOUSEHOLDS}/{household}/anak/{}", id_or_new(id))
            }
            Self::Paud { household, id } => {
                format!("/{HOUSEHOLDS}/{household}/paud/{}", id_or_new(id))
            }
            Self::Measure(child) => format!("/ukur/{child}"),
            Self::Monthly { person, month } => match month {
                Some(month) => format!("/bulanan/{person}/{month}"),
                None => format!("/bulanan/{person}"),
            },
            // The directory of the full module (`Screens`), so a reload there loads it directly.
            Self::Scorecard => "/scorecard/".to_owned(),
            Self::Sync => "/sinkron".to_owned(),
        }
    }

    /// The screen an address names; the tasks for any address the app does not know.
    pub fn from_path(path: &str) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        Self::parse(&parts).unwrap_or(Self::Tasks)
    }

    fn parse(parts: &[&str]) -> Option<Self> {
        let id = |text: &str| Uuid::parse_str(text).ok();
        let id_or_new = |text: &str| {
            (text != NEW)
                .then(|| id(text))
                .map_or(Some(None), |id| id.map(Some))
        };
        Some(match parts {
            [] => Self::Tasks,
            [HOUSEHOLDS] => Self::Home,
            [HOUSEHOLDS, NEW] => Self::HouseholdEdit(None),
            [HOUSEHOLDS, household] => Self::Household(id(household)?),
            [HOUSEHOLDS, household, "ubah"] => Self::HouseholdEdit(Some(id(household)?)),
            [HOUSEHOLDS, household, kind, person] => {
                let household = id(household)?;
                let id = id_or_new(person)?;
                match *kind {
                    "ibu-hamil" => Self::Pregnant { household, id },
                    "anak" => Self::Child { household, id },
                    "paud" => Self::Paud { household, id },
                    _ => return None,
                }
            }
            ["ukur", child] => Self::Measure(id(child)?),
            ["bulanan", person] => Self::Monthly {
                person: id(person)?,
                month: None,
            },
            ["bulanan", person, month] => Self::Monthly {
                person: id(person)?,
                month: Some(YearMonth::try_from((*month).to_owned()).ok()?),
            },
            ["scorecard"] => Self::Scorecard,
            ["sinkron"] => Self::Sync,
            _ => return None,
        })
    }

    /// Which tab of the navigation the screen belongs to.
    pub fn tab(&self) -> Self {
        match self {
            Self::Tasks => Self::Tasks,
            Self::Scorecard => Self::Scorecard,
            Self::Sync => Self::Sync,
            _ => Self::Home,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_survives_its_address() {
        let a = Uuid::from_u128(7);
        let b = Uuid::from_u128(9);
        let month = YearMonth::new(2026, 3);
        let screens = [
            Page::Tasks,
            Page::Home,
            Page::Household(a),
            Page::HouseholdEdit(None),
            Page::HouseholdEdit(Some(a)),
            Page::Pregnant {
                household: a,
                id: None,
            },
            Page::Child {
                household: a,
                id: Some(b),
            },
            Page::Paud {
                household: a,
                id: Some(b),
            },
            Page::Measure(b),
            Page::Monthly {
                person: b,
                month: None,
            },
            Page::Monthly { person: b, month },
            Page::Scorecard,
            Page::Sync,
        ];
        for screen in screens {
            assert_eq!(Page::from_path(&screen.path()), screen, "{}", screen.path());
        }
    }

    #[test]
    fn an_unknown_address_opens_the_tasks() {
        for path in [
            "/nope",
            "/rumah-tangga/not-an-id",
            "/bulanan/x/2026-13",
            "/ukur",
        ] {
            assert_eq!(Page::from_path(path), Page::Tasks, "{path}");
        }
    }
}
