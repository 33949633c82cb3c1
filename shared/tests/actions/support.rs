//! Builders shared by the action tests.

use konvergen_shared::actions::{Actor, Catalogue, Checklist, ItemState};
use time::OffsetDateTime;
use time::macros::datetime;

/// The built-in catalogue of the test year.
pub fn catalogue() -> Catalogue {
    Catalogue::default_for(2026)
}

/// A done item with one link.
pub fn evidenced() -> ItemState {
    ItemState {
        done: true,
        links: vec!["https://dokumen.example/bukti.pdf".into()],
        ..ItemState::default()
    }
}

/// Banjar's draft with every required item done with evidence.
pub fn complete(catalogue: &Catalogue) -> Checklist {
    let mut checklist = Checklist::new("63.03", 2026, catalogue);
    let keys: Vec<String> = catalogue
        .required_items()
        .map(|p| p.item.key.clone())
        .collect();
    for key in keys {
        checklist
            .set_item(catalogue, &key, evidenced())
            .expect("set");
    }
    checklist
}

/// The district reviewer.
pub fn district() -> Actor {
    Actor::new("17", "Supervisor Banjar")
}

/// The province reviewer.
pub fn province() -> Actor {
    Actor::new("3", "Bappeda Provinsi")
}

/// A fixed moment in WITA.
pub fn noon() -> OffsetDateTime {
    datetime!(2026-05-04 12:00 +08:00)
}
