//! Register validation: every rule names its field and speaks both languages.

use konvergen_shared::anthro::Sex;
use konvergen_shared::register::{Child, Household, PregnancyStatus, PregnantWoman, age_months};
use time::macros::date;
use uuid::Uuid;

fn household() -> Household {
    Household {
        village_code: "63.03.05.2009".into(),
        dusun: "I".into(),
        rt: "001".into(),
        rw: "002".into(),
        address: String::new(),
        head_name: "Budi".into(),
        family_card_no: Some("6303051234567890".into()),
        safe_water: true,
        proper_latrine: false,
    }
}

fn fields(errors: &[konvergen_shared::api::FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_good_household_passes_and_a_bad_one_names_each_field() {
    assert_eq!(household().validate(), Ok(()));
    let bad = Household {
        village_code: "63.03".into(),
        rt: "1234".into(),
        head_name: " ".into(),
        family_card_no: Some("123".into()),
        ..household()
    };
    let errors = bad.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        ["village_code", "head_name", "rt", "family_card_no"]
    );
    assert!(
        errors
            .iter()
            .all(|e| !e.message_id.is_empty() && !e.message_en.is_empty())
    );
    assert_eq!(errors[1].message_id, "Wajib diisi");
    assert_eq!(errors[3].message_id, "Harus 16 digit angka");
}

fn woman() -> PregnantWoman {
    PregnantWoman {
        household_id: Uuid::nil().into(),
        name: "Siti".into(),
        nik: None,
        kia_register_no: "KIA-1".into(),
        lmp_date: Some(date!(2026 - 01 - 01)),
        expected_delivery_date: None,
        status: PregnancyStatus::Normal,
        delivery_date: None,
    }
}

#[test]
fn pregnancy_dates_must_be_plausible() {
    let today = date!(2026 - 03 - 01);
    assert_eq!(woman().validate(today), Ok(()));
    let future = PregnantWoman {
        lmp_date: Some(date!(2026 - 04 - 01)),
        ..woman()
    };
    assert_eq!(fields(&future.validate(today).unwrap_err()), ["lmp_date"]);
    let too_long = PregnantWoman {
        lmp_date: Some(date!(2025 - 01 - 01)),
        ..woman()
    };
    assert_eq!(too_long.validate(today).unwrap_err()[0].code, "implausible");
    let neither = PregnantWoman {
        lmp_date: None,
        ..woman()
    };
    assert_eq!(neither.validate(today).unwrap_err()[0].code, "required");
    let by_hpl = PregnantWoman {
        lmp_date: None,
        expected_delivery_date: Some(date!(2026 - 09 - 01)),
        ..woman()
    };
    assert_eq!(by_hpl.validate(today), Ok(()));
    assert_eq!(by_hpl.trimester(today), Some(1));
    assert_eq!(woman().trimester(date!(2026 - 08 - 15)), Some(3));
}

#[test]
fn children_have_a_past_birth_date_and_ages_count_completed_months() {
    let child = Child {
        household_id: Uuid::nil().into(),
        name: "Ani".into(),
        sex: Sex::Female,
        birth_date: date!(2025 - 03 - 15),
        nik: Some("12345".into()),
        kia_register_no: None,
        birth_certificate: true,
        health_insurance: true,
    };
    assert_eq!(
        fields(&child.validate(date!(2026 - 01 - 01)).unwrap_err()),
        ["nik"]
    );
    assert_eq!(child.age_months(date!(2026 - 03 - 14)), 11);
    assert_eq!(child.age_months(date!(2026 - 03 - 15)), 12);
    assert_eq!(age_months(date!(2025 - 01 - 31), date!(2025 - 02 - 28)), 0);
}

#[test]
fn bodies_from_the_app_decode_strictly() {
    let json = r#"{"household_id":"00000000-0000-0000-0000-000000000000","name":"Ani","sex":"F","birth_date":"2025-03-15","nik":null,"birth_certificate":true,"health_insurance":false}"#;
    let child: Child = serde_json::from_str(json).expect("decodes");
    assert_eq!(child.birth_date, date!(2025 - 03 - 15));
    let unknown = json.replace("\"name\"", "\"nama\"");
    assert!(serde_json::from_str::<Child>(&unknown).is_err());
}
