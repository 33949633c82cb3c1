//! Typed record ids: a household id cannot be passed where a person id is expected, and
//! both sides of the wire read the same UUID text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps an existing UUID (from storage or the wire).
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// A fresh time-ordered id from the caller's clock and randomness (see [`new_v7`]).
            pub fn new_v7(unix_millis: u64, random: [u8; 10]) -> Self {
                Self(new_v7(unix_millis, random))
            }

            /// The underlying UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text).map(Self)
            }
        }
    };
}

typed_id!(HouseholdId, "Id of a household.");
typed_id!(
    PersonId,
    "Id of a registered person: a pregnant woman, a child 0-23 months or a PAUD child."
);

typed_id!(
    ObservationId,
    "Id of one observation: a monthly form (2A/2B/2C) or a measurement."
);

/// A UUIDv7 from a Unix time in milliseconds and ten random bytes. The caller supplies the
/// clock and the randomness (the browser's or the server's), so this stays platform-free.
pub fn new_v7(unix_millis: u64, random: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_serialise_as_plain_uuids() {
        let id = new_v7(1_767_225_600_000, [7; 10]);
        assert_eq!(id.get_version_num(), 7);
        let household = HouseholdId(id);
        let json = serde_json::to_string(&household).expect("json");
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(
            serde_json::from_str::<HouseholdId>(&json).expect("back"),
            household
        );
        assert_eq!(
            household.to_string().parse::<HouseholdId>().expect("parse"),
            household
        );
    }

    #[test]
    fn typed_constructors_keep_the_uuid() {
        let person = PersonId::new_v7(1_767_225_600_000, [1; 10]);
        assert_eq!(person.uuid().get_version_num(), 7);
        assert_eq!(PersonId::from_uuid(person.uuid()), person);
        assert!("not-a-uuid".parse::<ObservationId>().is_err());
    }

    #[test]
    fn later_ids_sort_later() {
        assert!(new_v7(1_000, [255; 10]) < new_v7(1_001, [0; 10]));
    }
}
