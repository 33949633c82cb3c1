//! The register and its wire formats: region codes, bilingual field validation with field
//! paths, ages, and the serde shape of the monthly forms.

use konvergen_shared::anthro::Sex;
use konvergen_shared::api::FieldError;
use konvergen_shared::monitoring::{
    Answer, Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, PaudAttendance, YearMonth,
};
use konvergen_shared::region::{Level, RegionCode, RegionCodeProblem, VillageKind};
use konvergen_shared::register::{
    Child, Household, PaudAgeGroup, PaudChild, PregnancyStatus, PregnantWoman, age_days, age_months,
};
use konvergen_shared::validate::{NikSex, ValidationErrors, nik_sex};
use time::macros::date;
use uuid::Uuid;

fn code(text: &str) -> RegionCode {
    RegionCode::parse(text).expect("valid code")
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn codes(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.code.as_str()).collect()
}

/// Every problem speaks both languages, and they differ (no untranslated copy).
fn bilingual(errors: &[FieldError]) -> bool {
    errors.iter().all(|e| {
        !e.message_id.is_empty() && !e.message_en.is_empty() && e.message_id != e.message_en
    })
}

// ---- region codes ----

#[test]
fn region_codes_parse_at_every_level_and_undotted_villages_get_dots() {
    assert_eq!(code("63").level(), Level::Province);
    assert_eq!(code("63.03").level(), Level::Regency);
    assert_eq!(code("63.03.05").level(), Level::District);
    let village = code(" 6303052009 ");
    assert_eq!(village.as_str(), "63.03.05.2009");
    assert_eq!(village.digits(), "6303052009");
    assert_eq!(village.level(), Level::Village);
    let json = serde_json::to_string(&village).expect("json");
    assert_eq!(json, "\"63.03.05.2009\"");
    assert_eq!(
        serde_json::from_str::<RegionCode>(&json).expect("back"),
        village
    );
    assert!(serde_json::from_str::<RegionCode>("\"63.03.05.4009\"").is_err());
}

#[test]
fn malformed_region_codes_say_why_in_both_languages() {
    let cases = [
        ("", RegionCodeProblem::Empty),
        ("6", RegionCodeProblem::Format),
        ("630", RegionCodeProblem::Format),
        ("63.3", RegionCodeProblem::Format),
        ("63.03.05.209", RegionCodeProblem::Format),
        ("63.03.05.2009.1", RegionCodeProblem::Format),
        ("ab.cd", RegionCodeProblem::Format),
        ("63-03", RegionCodeProblem::Format),
        ("00", RegionCodeProblem::ZeroPart),
        ("63.00", RegionCodeProblem::ZeroPart),
        ("63.03.05.0000", RegionCodeProblem::ZeroPart),
        ("63.70", RegionCodeProblem::RegencyNumber),
        ("63.03.05.4009", RegionCodeProblem::VillageKind),
    ];
    for (text, problem) in cases {
        let err = RegionCode::parse(text).expect_err(text);
        assert_eq!(err.problem, problem, "{text:?}");
        let field = err.to_field_error("village_code");
        assert!(bilingual(&[field]), "{text:?}");
    }
}

#[test]
fn region_codes_know_their_parents_and_containment() {
    let village = code("63.03.05.2009");
    let chain: Vec<String> = std::iter::successors(Some(village.clone()), RegionCode::parent)
        .map(String::from)
        .collect();
    assert_eq!(chain, ["63.03.05.2009", "63.03.05", "63.03", "63"]);
    assert_eq!(village.province(), code("63"));
    assert_eq!(village.regency(), Some(code("63.03")));
    assert_eq!(village.district(), Some(code("63.03.05")));
    assert_eq!(code("63").regency(), None);
    assert_eq!(code("63.03").district(), None);
    assert!(village.is_within(&code("63.03")));
    assert!(village.is_within(&village));
    assert!(!village.is_within(&code("63.04")));
    // A prefix of the text is not a parent: 63.03.0 is not a code, 63.3 neither.
    assert!(!code("63.03.51").is_within(&code("63.03.05")));
    assert!(!code("63").is_within(&village));
}

#[test]
fn kelurahan_desa_and_kota_are_told_apart() {
    assert_eq!(
        code("63.03.05.1059").village_kind(),
        Some(VillageKind::Kelurahan)
    );
    assert_eq!(
        code("63.03.05.2009").village_kind(),
        Some(VillageKind::Desa)
    );
    assert_eq!(
        code("51.03.01.3001").village_kind(),
        Some(VillageKind::DesaAdat)
    );
    assert_eq!(code("63.03.05").village_kind(), None);
    assert_eq!(code("63.71").is_kabupaten(), Some(false));
    assert_eq!(code("63.03.05").is_kabupaten(), Some(true));
    assert_eq!(code("63").is_kabupaten(), None);
}

#[test]
fn every_code_of_the_official_table_parses_and_keeps_its_level() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backend/data/wilayah/wilayah.csv"
    );
    let Ok(table) = std::fs::read_to_string(path) else {
        return; // the table lives with the server; a shared-only checkout skips this
    };
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let mut columns = line.split(',');
        let (text, level) = (
            columns.next().expect("code"),
            columns.next().expect("level"),
        );
        let parsed = RegionCode::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let expected = serde_json::from_value::<Level>(level.into()).expect("level");
        assert_eq!(parsed.level(), expected, "{text}");
        rows += 1;
    }
    assert!(rows > 90_000, "{rows} rows");
}

// ---- households ----

fn household() -> Household {
    Household {
        village_code: "63.03.05.2009".into(),
        dusun: "I".into(),
        rt: "001".into(),
        rw: "002".into(),
        address: String::new(),
        head_name: "Budi".into(),
        family_card_no: Some("6303051234567890".into()),
        safe_water: Some(true),
        proper_latrine: Some(false),
    }
}

#[test]
fn a_good_household_passes_and_a_bad_one_names_each_field() {
    assert_eq!(household().validate(), Ok(()));
    let undotted = Household {
        village_code: "6303052009".into(),
        family_card_no: None,
        ..household()
    };
    assert_eq!(undotted.validate(), Ok(()));
    let bad = Household {
        village_code: "63.03".into(),
        rt: "1234".into(),
        rw: "A".into(),
        head_name: " ".into(),
        dusun: "d".repeat(61),
        address: "a".repeat(201),
        family_card_no: Some("123".into()),
        ..household()
    };
    let errors = bad.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "village_code",
            "head_name",
            "dusun",
            "rt",
            "rw",
            "address",
            "family_card_no"
        ]
    );
    assert_eq!(
        codes(&errors),
        [
            "not_a_village",
            "required",
            "too_long",
            "invalid_format",
            "invalid_format",
            "too_long",
            "invalid_format"
        ]
    );
    assert!(bilingual(&errors));
    assert_eq!(
        (errors[1].message_id.as_str(), errors[1].message_en.as_str()),
        ("Wajib diisi", "Required")
    );
    assert_eq!(errors[2].message_id, "Maksimal 60 karakter");
    assert_eq!(errors[2].message_en, "At most 60 characters");
    assert_eq!(errors[6].message_id, "Harus 16 digit angka");
}

#[test]
fn household_names_and_codes_have_limits() {
    let long = Household {
        head_name: "é".repeat(100),
        ..household()
    };
    assert_eq!(long.validate(), Ok(()), "100 characters, 200 bytes");
    let longer = Household {
        head_name: "é".repeat(101),
        ..household()
    };
    assert_eq!(codes(&longer.validate().unwrap_err()), ["too_long"]);
    let kind = Household {
        village_code: "63.03.05.4009".into(),
        ..household()
    };
    let errors = kind.validate().unwrap_err();
    assert_eq!(
        (fields(&errors), codes(&errors)),
        (vec!["village_code"], vec!["invalid_format"])
    );
    assert_eq!(
        errors[0].message_en,
        "A village number starts with 1, 2 or 3"
    );
    let empty = Household {
        village_code: String::new(),
        ..household()
    };
    assert_eq!(codes(&empty.validate().unwrap_err()), ["required"]);
}

// ---- NIK ----

#[test]
fn a_nik_carries_a_birth_date_with_forty_added_for_women() {
    assert_eq!(nik_sex("6303051503250001"), Some(NikSex::Male));
    assert_eq!(nik_sex("6303055503250001"), Some(NikSex::Female));
    assert_eq!(nik_sex("6303053503250001"), None, "day 35");
    assert_eq!(nik_sex("6303051513250001"), None, "month 13");
    let mut errors = ValidationErrors::default();
    assert_eq!(errors.nik("nik", Some("6303059903250001")), None);
    assert_eq!(errors.nik("nik", None), None);
    assert_eq!(errors.nik("nik", Some("")), None);
    assert_eq!(codes(errors.errors()), ["invalid_nik"]);
    assert!(bilingual(errors.errors()));
}

// ---- pregnant women ----

fn woman() -> PregnantWoman {
    PregnantWoman {
        household_id: Uuid::nil().into(),
        name: "Siti".into(),
        nik: Some("6303055505950001".into()),
        kia_register_no: "KIA-1".into(),
        lmp_date: Some(date!(2026 - 01 - 01)),
        expected_delivery_date: None,
        status: PregnancyStatus::Normal,
        delivery_date: None,
    }
}

fn woman_errors(woman: &PregnantWoman) -> Vec<(String, String)> {
    let errors = woman.validate(date!(2026 - 03 - 01)).unwrap_err();
    assert!(bilingual(&errors));
    errors.into_iter().map(|e| (e.field, e.code)).collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

#[test]
fn a_pregnancy_needs_a_name_a_female_nik_and_a_date() {
    assert_eq!(woman().validate(date!(2026 - 03 - 01)), Ok(()));
    let nameless = PregnantWoman {
        name: String::new(),
        ..woman()
    };
    assert_eq!(woman_errors(&nameless), [pair("name", "required")]);
    let male_nik = PregnantWoman {
        nik: Some("6303051505950001".into()),
        ..woman()
    };
    assert_eq!(woman_errors(&male_nik), [pair("nik", "nik_sex_mismatch")]);
    let short_nik = PregnantWoman {
        nik: Some("63030515".into()),
        ..woman()
    };
    assert_eq!(woman_errors(&short_nik), [pair("nik", "invalid_format")]);
    let neither = PregnantWoman {
        lmp_date: None,
        ..woman()
    };
    assert_eq!(woman_errors(&neither), [pair("lmp_date", "required")]);
    let long_kia = PregnantWoman {
        kia_register_no: "K".repeat(31),
        ..woman()
    };
    assert_eq!(
        woman_errors(&long_kia),
        [pair("kia_register_no", "too_long")]
    );
}

#[test]
fn pregnancy_dates_must_be_plausible() {
    let future = PregnantWoman {
        lmp_date: Some(date!(2026 - 04 - 01)),
        ..woman()
    };
    assert_eq!(woman_errors(&future), [pair("lmp_date", "in_future")]);
    // 2025-04-01 is 48 weeks before 1 March 2026.
    let too_long = PregnantWoman {
        lmp_date: Some(date!(2025 - 04 - 01)),
        ..woman()
    };
    assert_eq!(woman_errors(&too_long), [pair("lmp_date", "implausible")]);
    let delivered = PregnantWoman {
        delivery_date: Some(date!(2026 - 01 - 20)),
        ..too_long
    };
    assert_eq!(
        delivered.validate(date!(2026 - 03 - 01)),
        Ok(()),
        "delivered: no longer pregnant"
    );
    let by_hpl = PregnantWoman {
        lmp_date: None,
        expected_delivery_date: Some(date!(2026 - 09 - 01)),
        ..woman()
    };
    assert_eq!(by_hpl.validate(date!(2026 - 03 - 01)), Ok(()));
    let far_hpl = PregnantWoman {
        expected_delivery_date: Some(date!(2027 - 02 - 01)),
        ..by_hpl.clone()
    };
    assert_eq!(
        woman_errors(&far_hpl),
        [pair("expected_delivery_date", "implausible")]
    );
    let old_hpl = PregnantWoman {
        expected_delivery_date: Some(date!(2025 - 12 - 01)),
        ..by_hpl
    };
    assert_eq!(
        woman_errors(&old_hpl),
        [pair("expected_delivery_date", "implausible")]
    );
    // LMP 1 Jan gives HPL 8 Oct; 1 Dec is off by more than four weeks.
    let both = PregnantWoman {
        expected_delivery_date: Some(date!(2026 - 10 - 20)),
        ..woman()
    };
    assert_eq!(both.validate(date!(2026 - 03 - 01)), Ok(()));
    let clash = PregnantWoman {
        expected_delivery_date: Some(date!(2026 - 12 - 01)),
        ..woman()
    };
    assert_eq!(
        woman_errors(&clash),
        [pair("expected_delivery_date", "inconsistent")]
    );
}

#[test]
fn a_delivery_lies_after_the_lmp_and_not_in_the_future() {
    let early = PregnantWoman {
        delivery_date: Some(date!(2025 - 12 - 01)),
        ..woman()
    };
    assert_eq!(woman_errors(&early), [pair("delivery_date", "before_lmp")]);
    let future = PregnantWoman {
        delivery_date: Some(date!(2026 - 03 - 02)),
        ..woman()
    };
    assert_eq!(woman_errors(&future), [pair("delivery_date", "in_future")]);
    let late = PregnantWoman {
        lmp_date: Some(date!(2025 - 01 - 01)),
        delivery_date: Some(date!(2026 - 01 - 01)),
        ..woman()
    };
    assert_eq!(woman_errors(&late), [pair("delivery_date", "implausible")]);
}

#[test]
fn gestational_age_counts_weeks_months_and_trimesters() {
    let w = woman(); // LMP 1 January 2026
    assert_eq!(w.gestational_age_days(date!(2026 - 04 - 01)), Some(90));
    assert_eq!(w.gestational_weeks(date!(2026 - 04 - 01)), Some(12));
    assert_eq!(w.gestational_months(date!(2026 - 04 - 01)), Some(3));
    assert_eq!(
        w.trimester(date!(2026 - 04 - 09)),
        Some(2),
        "week 14 starts trimester 2"
    );
    assert_eq!(w.trimester(date!(2026 - 04 - 08)), Some(1));
    assert_eq!(w.trimester(date!(2026 - 07 - 16)), Some(3), "week 28");
    assert_eq!(w.trimester(date!(2026 - 07 - 15)), Some(2));
    let by_hpl = PregnantWoman {
        lmp_date: None,
        expected_delivery_date: Some(date!(2026 - 10 - 08)),
        ..w
    };
    assert_eq!(by_hpl.effective_lmp(), Some(date!(2026 - 01 - 01)));
    assert!(!by_hpl.delivered_by(date!(2026 - 10 - 08)));
}

// ---- children ----

fn child() -> Child {
    Child {
        household_id: Uuid::nil().into(),
        name: "Ani".into(),
        sex: Sex::Female,
        birth_date: date!(2025 - 03 - 15),
        nik: Some("6303055503250001".into()),
        kia_register_no: None,
        birth_certificate: true,
        health_insurance: true,
    }
}

#[test]
fn children_have_a_past_plausible_birth_date_and_a_matching_nik() {
    let today = date!(2026 - 01 - 01);
    assert_eq!(child().validate(today), Ok(()));
    let boy_nik = Child {
        nik: Some("6303051503250001".into()),
        ..child()
    };
    assert_eq!(
        codes(&boy_nik.validate(today).unwrap_err()),
        ["nik_sex_mismatch"]
    );
    let as_boy = Child {
        sex: Sex::Male,
        ..boy_nik
    };
    assert_eq!(as_boy.validate(today), Ok(()));
    let unborn = Child {
        birth_date: date!(2999 - 01 - 01),
        ..child()
    };
    let errors = unborn.validate(today).unwrap_err();
    assert_eq!(
        (fields(&errors), codes(&errors)),
        (vec!["birth_date"], vec!["in_future"])
    );
    assert_eq!(errors[0].message_id, "Tanggal tidak boleh di masa depan");
    let typo = Child {
        birth_date: date!(2015 - 03 - 15),
        ..child()
    };
    assert_eq!(codes(&typo.validate(today).unwrap_err()), ["implausible"]);
}

#[test]
fn children_register_only_under_two_but_stay_editable_as_they_grow() {
    let today = date!(2027 - 03 - 15); // exactly 24 months old
    assert_eq!(child().validate(today), Ok(()));
    let errors = child().validate_registration(today).unwrap_err();
    assert_eq!(
        (fields(&errors), codes(&errors)),
        (vec!["birth_date"], vec!["age_out_of_range"])
    );
    assert!(bilingual(&errors));
    assert_eq!(child().validate_registration(date!(2027 - 03 - 14)), Ok(()));
    let unborn = Child {
        birth_date: date!(2028 - 01 - 01),
        ..child()
    };
    assert_eq!(
        codes(&unborn.validate_registration(today).unwrap_err()),
        ["in_future"]
    );
}

#[test]
fn paud_children_register_from_two_to_six_years() {
    let kid = PaudChild {
        household_id: Uuid::nil().into(),
        name: "Budi".into(),
        sex: Sex::Male,
        birth_date: date!(2023 - 06 - 10),
    };
    let today = date!(2026 - 01 - 01);
    assert_eq!(kid.validate_registration(today), Ok(()));
    assert_eq!(kid.age_group(today), Some(PaudAgeGroup::From2To3));
    assert_eq!(
        kid.age_group(date!(2026 - 06 - 10)),
        Some(PaudAgeGroup::From3To6)
    );
    assert_eq!(
        kid.age_group(date!(2025 - 07 - 01)),
        Some(PaudAgeGroup::From2To3)
    );
    assert_eq!(kid.age_group(date!(2025 - 06 - 09)), None);
    let baby = PaudChild {
        birth_date: date!(2025 - 01 - 01),
        ..kid.clone()
    };
    assert_eq!(baby.validate(today), Ok(()));
    assert_eq!(
        codes(&baby.validate_registration(today).unwrap_err()),
        ["age_out_of_range"]
    );
    let nameless = PaudChild {
        name: String::new(),
        ..kid
    };
    assert_eq!(fields(&nameless.validate(today).unwrap_err()), ["name"]);
}

#[test]
fn ages_count_completed_days_and_months() {
    let c = child();
    assert_eq!(c.age_months(date!(2026 - 03 - 14)), 11);
    assert_eq!(c.age_months(date!(2026 - 03 - 15)), 12);
    assert_eq!(c.age_days(date!(2025 - 03 - 25)), 10);
    assert_eq!(age_days(date!(2025 - 03 - 15), date!(2025 - 03 - 14)), -1);
    // A child born on the 31st has its monthly birthday on the last day of short months.
    assert_eq!(age_months(date!(2025 - 01 - 31), date!(2025 - 02 - 27)), 0);
    assert_eq!(age_months(date!(2025 - 01 - 31), date!(2025 - 02 - 28)), 1);
    assert_eq!(age_months(date!(2024 - 02 - 29), date!(2025 - 02 - 28)), 12);
}

#[test]
fn bodies_from_the_app_decode_strictly() {
    let json = r#"{"household_id":"00000000-0000-0000-0000-000000000000","name":"Ani","sex":"F","birth_date":"2025-03-15","nik":null,"birth_certificate":true,"health_insurance":false}"#;
    let child: Child = serde_json::from_str(json).expect("decodes");
    assert_eq!(child.birth_date, date!(2025 - 03 - 15));
    let unknown = json.replace("\"name\"", "\"nama\"");
    assert!(serde_json::from_str::<Child>(&unknown).is_err());
    let status: PregnancyStatus = serde_json::from_str("\"kek\"").expect("status");
    assert_eq!(status, PregnancyStatus::Kek);
}

// ---- monthly forms on the wire ----

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> String {
    let json = serde_json::to_string(value).expect("json");
    assert_eq!(
        &serde_json::from_str::<T>(&json).expect("back"),
        value,
        "{json}"
    );
    json
}

#[test]
fn monthly_forms_round_trip_with_y_t_and_empty() {
    let person = Uuid::from_u128(7).into();
    let month = YearMonth::new(2026, 2).expect("month");
    let a = Form2a {
        person_id: person,
        month,
        anc_visit: Some(Answer::Y),
        iron_tablet: Some(Answer::T),
        postnatal_check: None,
        nutrition_counselling: Some(Answer::Y),
        home_visit: None,
        clean_water: Some(Answer::Y),
        latrine: Some(Answer::T),
        health_insurance: None,
    };
    let json = round_trip(&a);
    assert!(
        json.contains(r#""anc_visit":"Y","iron_tablet":"T","postnatal_check":null"#),
        "{json}"
    );
    assert!(json.contains(r#""month":"2026-02""#));
    let b = Form2b {
        person_id: person,
        month,
        nutrition_status: Some(NutritionStatus::GB),
        growth_mat: Some(GrowthMat::NotMeasured),
        basic_immunisation: Some(Answer::Y),
        measles_immunisation: None,
        weighed: Some(Answer::Y),
        length_measured: Some(Answer::T),
        father_counselled: None,
        mother_counselled: Some(Answer::Y),
        home_visit: None,
        clean_water: None,
        latrine: None,
        birth_certificate: Some(Answer::T),
        health_insurance: None,
        parenting_class: Some(Answer::Y),
    };
    let json = round_trip(&b);
    assert!(
        json.contains(r#""nutrition_status":"GB","growth_mat":"not_measured""#),
        "{json}"
    );
    let c = Form2c {
        person_id: person,
        month,
        attendance: Some(PaudAttendance::NotAttending),
    };
    assert!(round_trip(&c).contains(r#""attendance":"not_attending""#));
    // A box left empty may be omitted altogether.
    let sparse: Form2c = serde_json::from_str(
        r#"{"person_id":"00000000-0000-0000-0000-000000000007","month":"2026-02"}"#,
    )
    .expect("sparse");
    assert_eq!(sparse.attendance, None);
    assert!(serde_json::from_str::<Answer>("\"maybe\"").is_err());
}
