//! The quarterly rules: properties over random villages, the OpenSID defects that the
//! built-in rules fix, windows, rule sets as JSON, and exact percentages.

use std::collections::BTreeMap;

use konvergen_shared::anthro::Sex;
use konvergen_shared::ids::PersonId;
use konvergen_shared::monitoring::{
    Answer, Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, PaudAttendance, YearMonth,
};
use konvergen_shared::recap::{
    Count, Indicator, Outcome, Quarter, Ratio, RuleSet, RuleSetError, Window,
};
use konvergen_shared::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::scorecard::{AreaData, recaps, scorecard};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

/// The quarter under test: April-June 2026, so January-March forms lie in its half-year.
fn quarter() -> Quarter {
    Quarter::new(2026, 2).expect("quarter")
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![Just(None), Just(Some(Answer::Y)), Just(Some(Answer::T))]
}

/// Months of 2026 with repeats (two phones filling the same month) and some outside the
/// quarter (earlier months of the half-year).
fn months() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(1_u8..=6, 0..6)
}

fn month(m: u8) -> YearMonth {
    YearMonth::new(2026, m).expect("month")
}

prop_compose! {
    fn woman_with_forms(n: u128)(
        days_pregnant in 10_i64..320,
        status in prop_oneof![Just(PregnancyStatus::Normal), Just(PregnancyStatus::Kek), Just(PregnancyStatus::Risti)],
        delivered_days_ago in proptest::option::of(0_i64..150),
        months in months(),
        answers in proptest::collection::vec(proptest::array::uniform8(answer()), 6),
    ) -> ((PersonId, PregnantWoman), Vec<Form2a>) {
        let end = quarter().last_day();
        let woman = PregnantWoman {
            household_id: Uuid::from_u128(n % 5).into(),
            name: "x".into(), nik: None, kia_register_no: String::new(),
            lmp_date: Some(end - Duration::days(days_pregnant)), expected_delivery_date: None,
            status, delivery_date: delivered_days_ago.map(|days| end - Duration::days(days)),
        };
        let id = PersonId(Uuid::from_u128(1000 + n));
        let forms = months.iter().zip(answers).map(|(m, a)| Form2a {
            person_id: id, month: month(*m),
            anc_visit: a[0], iron_tablet: a[1], postnatal_check: a[2], nutrition_counselling: a[3],
            home_visit: a[4], clean_water: a[5], latrine: a[6], health_insurance: a[7],
        }).collect();
        ((id, woman), forms)
    }
}

fn status() -> impl Strategy<Value = Option<NutritionStatus>> {
    proptest::option::of(prop_oneof![
        Just(NutritionStatus::N),
        Just(NutritionStatus::GK),
        Just(NutritionStatus::GB),
        Just(NutritionStatus::S)
    ])
}

prop_compose! {
    fn child_with_forms(n: u128)(
        age_days in 0_i64..800,
        months in months(),
        answers in proptest::collection::vec(proptest::array::uniform12(answer()), 6),
        statuses in proptest::collection::vec(status(), 6),
    ) -> ((PersonId, Child), Vec<Form2b>) {
        let child = Child {
            household_id: Uuid::from_u128(n % 5).into(), name: "x".into(), sex: Sex::Male,
            birth_date: quarter().last_day() - Duration::days(age_days),
            nik: None, kia_register_no: None, birth_certificate: false, health_insurance: false,
        };
        let id = PersonId(Uuid::from_u128(2000 + n));
        let forms = months.iter().zip(answers).zip(statuses).map(|((m, a), status)| Form2b {
            person_id: id, month: month(*m), nutrition_status: status, growth_mat: Some(GrowthMat::Green),
            basic_immunisation: a[0], measles_immunisation: a[1], weighed: a[2], length_measured: a[3],
            father_counselled: a[4], mother_counselled: a[5], home_visit: a[6], clean_water: a[7],
            latrine: a[8], birth_certificate: a[9], health_insurance: a[10], parenting_class: a[11],
        }).collect();
        ((id, child), forms)
    }
}

fn attendance() -> impl Strategy<Value = Option<PaudAttendance>> {
    proptest::option::of(prop_oneof![
        Just(PaudAttendance::NotYet),
        Just(PaudAttendance::Attending),
        Just(PaudAttendance::NotAttending)
    ])
}

prop_compose! {
    fn paud_with_forms(n: u128)(
        age_days in 600_i64..2700,
        months in months(),
        attendance in proptest::collection::vec(attendance(), 6),
    ) -> ((PersonId, PaudChild), Vec<Form2c>) {
        let child = PaudChild {
            household_id: Uuid::from_u128(n % 5).into(), name: "x".into(), sex: Sex::Female,
            birth_date: quarter().last_day() - Duration::days(age_days),
        };
        let id = PersonId(Uuid::from_u128(3000 + n));
        let forms = months.iter().zip(attendance)
            .map(|(m, attendance)| Form2c { person_id: id, month: month(*m), attendance })
            .collect();
        ((id, child), forms)
    }
}

fn village() -> impl Strategy<Value = AreaData> {
    let women = (0..5_u128).map(woman_with_forms).collect::<Vec<_>>();
    let children = (0..5_u128).map(child_with_forms).collect::<Vec<_>>();
    let paud = (0..3_u128).map(paud_with_forms).collect::<Vec<_>>();
    (women, children, paud).prop_map(|(women, children, paud)| {
        let mut data = AreaData::default();
        for (woman, forms) in women {
            data.pregnant.push(woman);
            data.form2a.extend(forms);
        }
        for (child, forms) in children {
            data.children.push(child);
            data.form2b.extend(forms);
        }
        for (child, forms) in paud {
            data.paud.push(child);
            data.form2c.extend(forms);
        }
        data
    })
}

/// A full Fisher-Yates permutation from a seed (splitmix64), so any order can come up.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn all_yes(data: &mut AreaData) {
    for form in &mut data.form2a {
        for field in [
            &mut form.anc_visit,
            &mut form.iron_tablet,
            &mut form.postnatal_check,
            &mut form.nutrition_counselling,
            &mut form.home_visit,
            &mut form.clean_water,
            &mut form.latrine,
            &mut form.health_insurance,
        ] {
            *field = Some(Answer::Y);
        }
    }
    for form in &mut data.form2b {
        for field in [
            &mut form.basic_immunisation,
            &mut form.measles_immunisation,
            &mut form.weighed,
            &mut form.length_measured,
            &mut form.father_counselled,
            &mut form.mother_counselled,
            &mut form.home_visit,
            &mut form.clean_water,
            &mut form.latrine,
            &mut form.birth_certificate,
            &mut form.health_insurance,
            &mut form.parenting_class,
        ] {
            *field = Some(Answer::Y);
        }
    }
    for form in &mut data.form2c {
        form.attendance = Some(PaudAttendance::Attending);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn coverage_stays_between_0_and_100_and_ts_is_never_in_a_denominator(data in village()) {
        let card = scorecard(&RuleSet::default(), quarter(), &data, Vec::new());
        for line in &card.coverage {
            prop_assert!(line.ratio().per_mille().is_none_or(|p| p <= 1000));
            prop_assert!(line.received <= line.applicable);
            let with = |wanted: &[Outcome]| card.persons.iter()
                .filter(|p| p.outcome(line.indicator).is_some_and(|o| wanted.contains(&o)))
                .count() as u64;
            prop_assert_eq!(line.applicable, with(&[Outcome::Y, Outcome::T]));
            prop_assert_eq!(line.not_applicable, with(&[Outcome::TS]));
            prop_assert_eq!(line.ratio().per_mille().is_none(), line.applicable == 0);
        }
        let yes_or_no = |p: &konvergen_shared::recap::PersonRecap| {
            p.outcomes.values().filter(|o| **o != Outcome::TS).count() as u64
        };
        let in_1000hpk: u64 = card.persons.iter().filter(|p| p.group.is_1000hpk()).map(yes_or_no).sum();
        prop_assert_eq!(card.convergence.total.den, in_1000hpk);
        for ratio in [card.convergence.pregnant, card.convergence.children, card.convergence.total, card.households_complete] {
            prop_assert!(ratio.num <= ratio.den);
        }
    }

    #[test]
    fn the_order_of_records_does_not_matter(data in village(), seed in any::<u64>()) {
        let before = scorecard(&RuleSet::default(), quarter(), &data, Vec::new());
        let mut shuffled = data;
        shuffle(&mut shuffled.form2a, seed);
        shuffle(&mut shuffled.form2b, seed.rotate_left(13));
        shuffle(&mut shuffled.form2c, seed.rotate_left(29));
        shuffle(&mut shuffled.pregnant, seed.rotate_left(41));
        shuffle(&mut shuffled.children, seed.rotate_left(53));
        shuffle(&mut shuffled.paud, seed ^ 0xFF);
        prop_assert_eq!(before, scorecard(&RuleSet::default(), quarter(), &shuffled, Vec::new()));
    }

    #[test]
    fn recomputing_gives_the_same_result(data in village()) {
        let rules = RuleSet::default();
        let first = scorecard(&rules, quarter(), &data, Vec::new());
        prop_assert_eq!(&first, &scorecard(&rules, quarter(), &data, Vec::new()));
        let json = serde_json::to_string(&first).expect("json");
        prop_assert_eq!(serde_json::from_str::<konvergen_shared::scorecard::Scorecard>(&json).expect("back"), first);
    }

    #[test]
    fn months_that_all_say_yes_never_give_a_no(data in village()) {
        let mut yes = data;
        all_yes(&mut yes);
        for person in recaps(&RuleSet::default(), quarter(), &yes) {
            prop_assert!(person.outcomes.values().all(|o| *o != Outcome::T), "{:?}", person);
        }
    }

    #[test]
    fn percentages_round_half_up_exactly(num in 0_u64..1_000_000, extra in 0_u64..1_000_000) {
        let ratio = Ratio::new(num, num + extra);
        if let Some(per_mille) = ratio.per_mille() {
            // Half up: per_mille = floor(x + 1/2) for x = 1000·num/den, i.e.
            // per_mille ≤ x + 1/2 < per_mille + 1, written in integers (an exact half goes up).
            let (n, d, p) = (u128::from(num) * 1000, u128::from(num + extra), u128::from(per_mille));
            prop_assert!(2 * p * d <= 2 * n + d && 2 * n + d < 2 * p * d + 2 * d);
            let text = ratio.percent_1dp().expect("text");
            prop_assert_eq!(text, format!("{}.{}", per_mille / 10, per_mille % 10));
        }
    }
}

// ---- the rules one by one ----

fn woman(status: PregnancyStatus, lmp: Date, delivered: Option<Date>) -> PregnantWoman {
    PregnantWoman {
        household_id: Uuid::from_u128(1).into(),
        name: "Ibu".into(),
        nik: None,
        kia_register_no: String::new(),
        lmp_date: Some(lmp),
        expected_delivery_date: None,
        status,
        delivery_date: delivered,
    }
}

fn form2a(m: YearMonth, boxes: Option<Answer>) -> Form2a {
    Form2a {
        person_id: PersonId(Uuid::from_u128(11)),
        month: m,
        anc_visit: boxes,
        iron_tablet: boxes,
        postnatal_check: boxes,
        nutrition_counselling: boxes,
        home_visit: boxes,
        clean_water: boxes,
        latrine: boxes,
        health_insurance: boxes,
    }
}

fn recap_woman(w: &PregnantWoman, forms: &[Form2a]) -> Option<BTreeMap<Indicator, Outcome>> {
    let refs: Vec<&Form2a> = forms.iter().collect();
    konvergen_shared::recap::person::pregnancy(
        &RuleSet::default(),
        quarter(),
        PersonId(Uuid::from_u128(11)),
        w,
        &refs,
    )
    .map(|r| r.outcomes)
}

#[test]
fn home_visits_do_not_apply_to_normal_pregnancies() {
    let forms = [form2a(month(4), Some(Answer::T))];
    let lmp = date!(2026 - 02 - 01);
    let normal = recap_woman(&woman(PregnancyStatus::Normal, lmp, None), &forms).expect("assessed");
    assert_eq!(normal[&Indicator::Ih5], Outcome::TS, "OpenSID says T here");
    let kek = recap_woman(&woman(PregnancyStatus::Kek, lmp, None), &forms).expect("assessed");
    assert_eq!(kek[&Indicator::Ih5], Outcome::T);
}

#[test]
fn a_woman_followed_one_month_in_trimester_3_is_not_failed_for_the_second_visit() {
    // OpenSID #10263: every box Y, yet recapped "not received" (2 visits asked, 1 possible).
    let forms = [form2a(month(6), Some(Answer::Y))];
    let late = recap_woman(
        &woman(PregnancyStatus::Normal, date!(2025 - 10 - 01), None),
        &forms,
    )
    .expect("assessed");
    assert_eq!(late[&Indicator::Ih1], Outcome::Y);
    assert_eq!(late[&Indicator::Ih4], Outcome::Y);
    // Followed three months with one visit: two were possible, so T.
    let three = [
        form2a(month(4), Some(Answer::Y)),
        form2a(month(5), Some(Answer::T)),
        form2a(month(6), None),
    ];
    let outcomes = recap_woman(
        &woman(PregnancyStatus::Normal, date!(2025 - 10 - 01), None),
        &three,
    )
    .expect("assessed");
    assert_eq!(outcomes[&Indicator::Ih1], Outcome::T);
}

#[test]
fn postnatal_checks_count_only_in_the_postnatal_period() {
    let delivered = woman(
        PregnancyStatus::Normal,
        date!(2025 - 08 - 20),
        Some(date!(2026 - 05 - 20)),
    );
    let forms = [
        form2a(month(4), Some(Answer::T)), // still pregnant: no postnatal check possible
        form2a(month(5), Some(Answer::Y)),
        form2a(month(6), Some(Answer::Y)),
    ];
    let outcomes = recap_woman(&delivered, &forms).expect("assessed");
    assert_eq!(outcomes[&Indicator::Ih3], Outcome::Y);
    for pregnancy_only in [
        Indicator::Ih1,
        Indicator::Ih2,
        Indicator::Ih4,
        Indicator::Ih5,
    ] {
        assert_eq!(outcomes[&pregnancy_only], Outcome::TS);
    }
    // Delivered in January: the period ended in March, before the quarter.
    let long_ago = woman(
        PregnancyStatus::Normal,
        date!(2025 - 04 - 20),
        Some(date!(2026 - 01 - 20)),
    );
    assert_eq!(recap_woman(&long_ago, &forms), None);
}

fn form2b(m: YearMonth, status: Option<NutritionStatus>) -> Form2b {
    Form2b {
        person_id: PersonId(Uuid::from_u128(21)),
        month: m,
        nutrition_status: status,
        growth_mat: None,
        basic_immunisation: None,
        measles_immunisation: None,
        weighed: None,
        length_measured: None,
        father_counselled: None,
        mother_counselled: None,
        home_visit: None,
        clean_water: None,
        latrine: None,
        birth_certificate: None,
        health_insurance: None,
        parenting_class: None,
    }
}

fn recap_child(born: Date, forms: &[Form2b], rules: &RuleSet) -> BTreeMap<Indicator, Outcome> {
    let child = Child {
        household_id: Uuid::from_u128(1).into(),
        name: "Anak".into(),
        sex: Sex::Female,
        birth_date: born,
        nik: None,
        kia_register_no: None,
        birth_certificate: false,
        health_insurance: false,
    };
    let refs: Vec<&Form2b> = forms.iter().collect();
    konvergen_shared::recap::person::child(
        rules,
        quarter(),
        PersonId(Uuid::from_u128(21)),
        &child,
        &refs,
    )
    .expect("assessed")
    .outcomes
}

#[test]
fn child_home_visits_apply_only_in_months_of_undernutrition_or_stunting() {
    let born = date!(2025 - 06 - 01);
    let visited = |m: u8, status, visit| Form2b {
        home_visit: visit,
        ..form2b(month(m), status)
    };
    let normal = [visited(4, Some(NutritionStatus::N), Some(Answer::T))];
    assert_eq!(
        recap_child(born, &normal, &RuleSet::default())[&Indicator::An5],
        Outcome::TS
    );
    // Normal in April (no visit needed), stunted from May; the June form has no status, so
    // May's carries on.
    let became_stunted = [
        visited(4, Some(NutritionStatus::N), Some(Answer::T)),
        visited(5, Some(NutritionStatus::S), Some(Answer::Y)),
        visited(6, None, Some(Answer::Y)),
    ];
    assert_eq!(
        recap_child(born, &became_stunted, &RuleSet::default())[&Indicator::An5],
        Outcome::Y
    );
    let missed_june = [
        visited(5, Some(NutritionStatus::S), Some(Answer::Y)),
        visited(6, None, Some(Answer::T)),
    ];
    assert_eq!(
        recap_child(born, &missed_june, &RuleSet::default())[&Indicator::An5],
        Outcome::T
    );
    // A status from March (before the quarter) carries into April.
    let from_march = [
        visited(3, Some(NutritionStatus::GK), None),
        visited(4, None, Some(Answer::T)),
    ];
    assert_eq!(
        recap_child(born, &from_march, &RuleSet::default())[&Indicator::An5],
        Outcome::T
    );
}

#[test]
fn counselling_counts_the_father_or_the_mother() {
    let born = date!(2025 - 06 - 01);
    let forms = [
        Form2b {
            father_counselled: Some(Answer::Y),
            mother_counselled: Some(Answer::T),
            ..form2b(month(4), None)
        },
        Form2b {
            mother_counselled: Some(Answer::Y),
            ..form2b(month(5), None)
        },
        Form2b {
            father_counselled: Some(Answer::Y),
            ..form2b(month(6), None)
        },
    ];
    assert_eq!(
        recap_child(born, &forms, &RuleSet::default())[&Indicator::An4],
        Outcome::Y
    );
}

#[test]
fn counts_stay_inside_their_window() {
    let born = date!(2025 - 06 - 01);
    let weighed = |year: i32, m: u8| Form2b {
        weighed: Some(Answer::Y),
        length_measured: Some(Answer::Y),
        ..form2b(YearMonth::new(year, m).expect("month"), None)
    };
    let plain = |m: u8| Form2b {
        weighed: Some(Answer::T),
        ..form2b(month(m), None)
    };
    // Weighed all of last year and in the first quarter, never in this one: T, not carried.
    let mut forms: Vec<Form2b> = (1..=12).map(|m| weighed(2025, m)).collect();
    forms.extend((1..=3).map(|m| weighed(2026, m)));
    forms.extend((4..=6).map(plain));
    let outcomes = recap_child(born, &forms, &RuleSet::default());
    assert_eq!(outcomes[&Indicator::An2], Outcome::T);
    // Length is asked twice a year: February's measurement covers the half-year to June.
    assert_eq!(outcomes[&Indicator::An3], Outcome::Y);
    let mut quarterly = RuleSet::default();
    quarterly.child.length_window = Window::Quarter;
    assert_eq!(
        recap_child(born, &forms, &quarterly)[&Indicator::An3],
        Outcome::T
    );
}

#[test]
fn measles_is_asked_from_ten_months() {
    let forms = [Form2b {
        basic_immunisation: Some(Answer::Y),
        measles_immunisation: Some(Answer::T),
        ..form2b(month(6), None)
    }];
    let nine_months = date!(2025 - 09 - 30);
    let ten_months = date!(2025 - 08 - 30);
    assert_eq!(
        recap_child(nine_months, &forms, &RuleSet::default())[&Indicator::An1],
        Outcome::Y
    );
    assert_eq!(
        recap_child(ten_months, &forms, &RuleSet::default())[&Indicator::An1],
        Outcome::T
    );
    let under_six = date!(2026 - 01 - 15);
    assert_eq!(
        recap_child(under_six, &forms, &RuleSet::default())[&Indicator::An1],
        Outcome::TS
    );
}

// ---- rule sets as data ----

#[test]
fn rule_sets_round_trip_through_json() {
    let rules = RuleSet::default();
    let json = serde_json::to_string_pretty(&rules).expect("json");
    assert_eq!(RuleSet::from_json(&json).expect("back"), rules);
    assert!(json.contains(r#""id": "kemendes-2018-v1""#));
    assert!(json.contains(r#""kind": "at_least","#));
    assert!(json.contains(r#""length_window": "half_year""#));
}

#[test]
fn a_provincial_variant_loads_with_defaults_for_what_it_leaves_out() {
    let mut value = serde_json::to_value(RuleSet::default()).expect("json");
    value["id"] = "kalsel-2026-v1".into();
    value["pregnancy"]["anc"] = serde_json::json!([{"kind": "at_least", "min": 1}, {"kind": "at_least", "min": 2}, {"kind": "at_least", "min": 2}]);
    for field in [
        "trimester_from_weeks",
        "postnatal_days",
        "home_visit_for",
        "standing",
    ] {
        value["pregnancy"]
            .as_object_mut()
            .expect("object")
            .remove(field);
    }
    value.as_object_mut().expect("object").remove("paud");
    let variant = RuleSet::from_json(&value.to_string()).expect("variant");
    assert_eq!(variant.id, "kalsel-2026-v1");
    assert_eq!(variant.pregnancy.anc[1], Count::AtLeast(2));
    assert_eq!(
        variant.pregnancy.home_visit_for,
        RuleSet::default().pregnancy.home_visit_for
    );
    assert_eq!(variant.pregnancy.postnatal_days, 42);
    assert_eq!(variant.paud, RuleSet::default().paud);
    let woman = woman(PregnancyStatus::Normal, date!(2026 - 01 - 01), None);
    let refs = [form2a(month(4), Some(Answer::Y))];
    let recap = konvergen_shared::recap::person::pregnancy(
        &variant,
        quarter(),
        PersonId(Uuid::nil()),
        &woman,
        &[&refs[0]],
    )
    .expect("assessed");
    assert_eq!(recap.rule_set_id, "kalsel-2026-v1");
}

#[test]
fn contradictory_rule_sets_are_refused() {
    let mut overlapping = RuleSet::default();
    overlapping.child.bands[1].from_months = 3;
    let json = serde_json::to_string(&overlapping).expect("json");
    assert!(matches!(
        RuleSet::from_json(&json),
        Err(RuleSetError::Invalid { .. })
    ));
    let nameless = RuleSet {
        id: " ".into(),
        ..RuleSet::default()
    };
    assert!(nameless.check().is_err());
    let mut trimesters = RuleSet::default();
    trimesters.pregnancy.trimester_from_weeks = [28, 14];
    assert!(trimesters.check().is_err());
    assert!(matches!(
        RuleSet::from_json("{}"),
        Err(RuleSetError::Json(_))
    ));
}

// ---- percentages ----

#[test]
fn percentages_format_with_one_decimal_rounded_half_up() {
    let text = |num, den| Ratio::new(num, den).percent_1dp();
    assert_eq!(text(2, 3).as_deref(), Some("66.7"));
    assert_eq!(text(1, 3).as_deref(), Some("33.3"));
    assert_eq!(text(1, 16).as_deref(), Some("6.3"), "6.25 rounds up");
    assert_eq!(text(1, 2000).as_deref(), Some("0.1"), "0.05 rounds up");
    assert_eq!(
        text(605_360, 1_030_400).as_deref(),
        Some("58.8"),
        "58.75 exactly rounds up (found by the property test)"
    );
    assert_eq!(text(0, 5).as_deref(), Some("0.0"));
    assert_eq!(text(5, 5).as_deref(), Some("100.0"));
    assert_eq!(text(0, 0), None);
    assert_eq!(
        Ratio::new(u64::MAX, u64::MAX).per_mille(),
        Some(1000),
        "no overflow"
    );
    assert_eq!(Ratio::new(1, 3).basis_points(), Some(3333));
}
