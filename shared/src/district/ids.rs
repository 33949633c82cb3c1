//! Record ids of the team's one-per-subject records. An agency's part of an item, an item's
//! assignment and a year's deadline each exist once; their ids follow from what they are
//! about, so two browsers creating the same one offline write the same record and meet as a
//! conflict in the review queue, instead of leaving two records that both look current.

use uuid::Uuid;

/// The namespace of these ids (fixed: changing it would orphan every record made so far).
const NAMESPACE: Uuid = Uuid::from_u128(0xd749_3038_74ae_4b86_aa1f_59b2_fe2c_44e9);

fn named(name: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, name.as_bytes())
}

/// The record of `agency`'s part of item `item_key`.
pub fn contribution_id(regency: &str, year: i32, agency: &str, item_key: &str) -> Uuid {
    named(&format!(
        "contribution/{regency}/{year}/{agency}/{item_key}"
    ))
}

/// The record of who answers for item `item_key`.
pub fn assignment_id(regency: &str, year: i32, item_key: &str) -> Uuid {
    named(&format!("assignment/{regency}/{year}/{item_key}"))
}

/// The record of the year's deadline.
pub fn deadline_id(regency: &str, year: i32) -> Uuid {
    named(&format!("deadline/{regency}/{year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_id_per_subject_and_different_subjects_differ() {
        let dinkes = contribution_id("63.03", 2025, "Dinas Kesehatan", "a1.1");
        assert_eq!(
            dinkes,
            contribution_id("63.03", 2025, "Dinas Kesehatan", "a1.1")
        );
        assert_ne!(
            dinkes,
            contribution_id("63.03", 2025, "Dinas Kesehatan", "a1.2")
        );
        assert_ne!(
            dinkes,
            contribution_id("63.05", 2025, "Dinas Kesehatan", "a1.1")
        );
        assert_ne!(
            assignment_id("63.03", 2025, "a1.1"),
            assignment_id("63.03", 2026, "a1.1")
        );
        assert_ne!(deadline_id("63.03", 2025), deadline_id("63.05", 2025));
        // Stored records name these ids: they must never change.
        assert_eq!(
            deadline_id("63.03", 2025).to_string(),
            Uuid::new_v5(&NAMESPACE, b"deadline/63.03/2025").to_string()
        );
    }
}
