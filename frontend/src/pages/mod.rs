//! The screens of the app.

pub mod home;
pub mod household;
pub mod login;
pub mod measure;
pub mod member;
pub mod monthly;
pub mod scorecard;
pub mod sync_panel;

use uuid::Uuid;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Household list of the village.
    Home,
    /// One household (new when `None`).
    Household(Option<Uuid>),
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
    /// The monthly checklist of a person.
    Monthly(Uuid),
    /// The village scorecard.
    Scorecard,
    /// The sync panel.
    Sync,
}
