//! The catalogue: eight actions, stable keys, JSON variants a province can load.

use konvergen_shared::actions::Catalogue;

use super::support::catalogue;

#[test]
fn the_default_catalogue_has_the_eight_actions_in_order() {
    let catalogue = catalogue();
    assert_eq!(catalogue.year, 2026);
    assert_eq!(catalogue.version_id, "konvergen-2026-v2");
    let numbers: Vec<u8> = catalogue.actions.iter().map(|a| a.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
    for action in &catalogue.actions {
        let texts = [
            &action.name_id,
            &action.name_en,
            &action.purpose.id,
            &action.purpose.en,
        ];
        assert!(
            texts.iter().all(|t| !t.is_empty()),
            "aksi {}",
            action.number
        );
        assert!(
            !action.outputs.is_empty() && !action.lead.is_empty() && !action.timing.en.is_empty()
        );
        assert!(
            action.evidence.iter().any(|e| e.required),
            "aksi {}",
            action.number
        );
        for item in &action.evidence {
            assert!(item.key.starts_with(&format!("a{}.", action.number)));
            assert!(!item.label_id.is_empty() && !item.label_en.is_empty());
        }
    }
    assert_eq!(catalogue.actions[6].lead, "Dinas Kesehatan");
    assert_eq!(catalogue.validate(), Ok(()));
}

#[test]
fn required_items_follow_the_documented_rule() {
    let catalogue = catalogue();
    let required: Vec<&str> = catalogue
        .required_items()
        .map(|p| p.item.key.as_str())
        .collect();
    assert_eq!(required.len(), 20);
    for optional in ["a1.3", "a3.2", "a3.5", "a4.2", "a5.4"] {
        assert_eq!(
            catalogue.evidence(optional).map(|e| e.required),
            Some(false),
            "{optional}"
        );
    }
    assert!(
        required.contains(&"a2.2"),
        "the DPRD consultation is a verified output"
    );
}

#[test]
fn the_catalogue_round_trips_through_json_and_loads_as_a_variant() {
    let catalogue = catalogue();
    let json = serde_json::to_string(&catalogue).expect("json");
    assert_eq!(
        serde_json::from_str::<Catalogue>(&json).expect("back"),
        catalogue
    );

    let mut variant = Catalogue::default_for(2027);
    variant.version_id = "kalsel-2027-v1".into();
    variant.actions.truncate(4);
    let loaded =
        Catalogue::from_json(&serde_json::to_string(&variant).expect("json")).expect("load");
    assert_eq!(loaded, variant);
    assert_eq!(
        loaded.locate("a4.1").map(|p| p.path()),
        Some("actions[3].items[0]".into())
    );
    assert!(loaded.evidence("a5.1").is_none());
}

#[test]
fn a_broken_variant_is_refused_with_field_paths() {
    let mut variant = catalogue();
    variant.version_id = " ".into();
    variant.actions[1].number = 1;
    variant.actions[2].name_en.clear();
    variant.actions[3].evidence[0].key = "a1.1".into();
    let errors = variant.validate().expect_err("broken");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "version_id",
            "actions[1].number",
            "actions[2].name_en",
            "actions[3].evidence[0].key"
        ]
    );
    let not_json = Catalogue::from_json("{\"year\": 2026").expect_err("json");
    assert_eq!(not_json[0].code, "invalid_json");
    let empty = Catalogue {
        actions: Vec::new(),
        ..catalogue()
    };
    assert_eq!(empty.validate().expect_err("empty")[0].field, "actions");
}

#[test]
fn actions_4_and_5_carry_the_names_of_their_year() {
    let name = |year: i32, number: u8| {
        Catalogue::default_for(year)
            .actions
            .into_iter()
            .find(|a| a.number == number)
            .map(|a| a.name_id)
            .expect("action")
    };
    assert_eq!(
        name(2021, 4),
        "Peraturan Bupati/Walikota tentang Peran Desa"
    );
    assert_eq!(name(2021, 5), "Pembinaan Kader Pembangunan Manusia");
    assert_eq!(
        name(2022, 4),
        "Perbup/Perwali Percepatan Penurunan Stunting"
    );
    assert_eq!(
        name(2025, 5),
        "Pembinaan Pelaku dan Pemerintahan Desa/Kelurahan"
    );
    // The items (and their keys) stay the same: stored checklists keep working.
    let keys = |year: i32| {
        Catalogue::default_for(year)
            .positions()
            .map(|p| p.item.key.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(2021), keys(2022));
}
