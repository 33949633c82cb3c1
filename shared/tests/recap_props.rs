//! Properties of the quarterly rules over random villages.

use konvergen_shared::anthro::Sex;
use konvergen_shared::ids::PersonId;
use konvergen_shared::monitoring::{Answer, Form2a, Form2b, GrowthMat, NutritionStatus, YearMonth};
use konvergen_shared::recap::{Outcome, Quarter, RuleSet};
use konvergen_shared::register::{Child, PregnancyStatus, PregnantWoman};
use konvergen_shared::scorecard::{AreaData, recaps, scorecard};
use proptest::prelude::*;
use time::Duration;
use uuid::Uuid;

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![Just(None), Just(Some(Answer::Y)), Just(Some(Answer::T))]
}

fn quarter() -> Quarter {
    Quarter::new(2026, 2).expect("quarter")
}

prop_compose! {
    fn woman_with_forms(n: u128)(
        days_pregnant in 10_i64..300,
        status in prop_oneof![Just(PregnancyStatus::Normal), Just(PregnancyStatus::Kek), Just(PregnancyStatus::Risti)],
        delivered in any::<bool>(),
        months in proptest::sample::subsequence(vec![4_u8, 5, 6], 0..=3),
        answers in proptest::collection::vec(proptest::array::uniform8(answer()), 3),
    ) -> ((PersonId, PregnantWoman), Vec<Form2a>) {
        let end = quarter().last_day();
        let woman = PregnantWoman {
            household_id: Uuid::from_u128(n % 4).into(),
            name: "x".into(), nik: None, kia_register_no: String::new(),
            lmp_date: Some(end - Duration::days(days_pregnant)), expected_delivery_date: None,
            status, delivery_date: delivered.then(|| end - Duration::days(20)),
        };
        let id = PersonId(Uuid::from_u128(1000 + n));
        let forms = months.iter().zip(answers).map(|(m, a)| Form2a {
            person_id: id, month: YearMonth::new(2026, *m).expect("month"),
            anc_visit: a[0], iron_tablet: a[1], postnatal_check: a[2], nutrition_counselling: a[3],
            home_visit: a[4], clean_water: a[5], latrine: a[6], health_insurance: a[7],
        }).collect();
        ((id, woman), forms)
    }
}

prop_compose! {
    fn child_with_forms(n: u128)(
        age_days in 0_i64..800,
        months in proptest::sample::subsequence(vec![4_u8, 5, 6], 0..=3),
        answers in proptest::collection::vec(proptest::array::uniform12(answer()), 3),
        status in prop_oneof![Just(NutritionStatus::N), Just(NutritionStatus::GK), Just(NutritionStatus::S)],
    ) -> ((PersonId, Child), Vec<Form2b>) {
        let child = Child {
            household_id: Uuid::from_u128(n % 4).into(), name: "x".into(), sex: Sex::Male,
            birth_date: quarter().last_day() - Duration::days(age_days),
            nik: None, kia_register_no: None, birth_certificate: false, health_insurance: false,
        };
        let id = PersonId(Uuid::from_u128(2000 + n));
        let forms = months.iter().zip(answers).map(|(m, a)| Form2b {
            person_id: id, month: YearMonth::new(2026, *m).expect("month"),
            nutrition_status: Some(status), growth_mat: Some(GrowthMat::Green),
            basic_immunisation: a[0], measles_immunisation: a[1], weighed: a[2], length_measured: a[3],
            father_counselled: a[4], mother_counselled: a[5], home_visit: a[6], clean_water: a[7],
            latrine: a[8], birth_certificate: a[9], health_insurance: a[10], parenting_class: a[11],
        }).collect();
        ((id, child), forms)
    }
}

fn village() -> impl Strategy<Value = AreaData> {
    let women = (0..6_u128).map(woman_with_forms).collect::<Vec<_>>();
    let children = (0..6_u128).map(child_with_forms).collect::<Vec<_>>();
    (women, children).prop_map(|(women, children)| {
        let mut data = AreaData::default();
        for (woman, forms) in women {
            data.pregnant.push(woman);
            data.form2a.extend(forms);
        }
        for (child, forms) in children {
            data.children.push(child);
            data.form2b.extend(forms);
        }
        data
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn coverage_stays_between_0_and_100_and_ts_is_never_counted(data in village()) {
        let card = scorecard(&RuleSet::default(), quarter(), &data, Vec::new());
        for line in &card.coverage {
            let percent = line.ratio().percent().unwrap_or(0.0);
            prop_assert!((0.0..=100.0).contains(&percent));
            let applicable = card.persons.iter()
                .filter(|p| matches!(p.outcomes.get(&line.indicator), Some(Outcome::Y | Outcome::T)))
                .count() as u64;
            prop_assert_eq!(line.applicable, applicable);
            prop_assert!(line.received <= line.applicable);
        }
        for ratio in [card.convergence.pregnant, card.convergence.children, card.convergence.total] {
            prop_assert!(ratio.num <= ratio.den);
        }
    }

    #[test]
    fn the_order_of_monthly_records_does_not_matter(data in village(), seed in any::<u64>()) {
        let before = scorecard(&RuleSet::default(), quarter(), &data, Vec::new());
        let mut shuffled = data;
        shuffled.form2a.reverse();
        let turn = (seed as usize) % shuffled.form2b.len().max(1);
        shuffled.form2b.rotate_left(turn);
        shuffled.pregnant.reverse();
        let after = scorecard(&RuleSet::default(), quarter(), &shuffled, Vec::new());
        prop_assert_eq!(before, after);
    }

    #[test]
    fn recomputing_gives_the_same_result(data in village()) {
        let rules = RuleSet::default();
        prop_assert_eq!(recaps(&rules, quarter(), &data), recaps(&rules, quarter(), &data));
    }

    #[test]
    fn months_that_all_say_yes_never_give_a_no(data in village()) {
        let mut all_yes = data;
        for form in &mut all_yes.form2a {
            for field in [&mut form.anc_visit, &mut form.iron_tablet, &mut form.postnatal_check,
                          &mut form.nutrition_counselling, &mut form.home_visit, &mut form.clean_water,
                          &mut form.latrine, &mut form.health_insurance] {
                *field = Some(Answer::Y);
            }
        }
        for form in &mut all_yes.form2b {
            for field in [&mut form.basic_immunisation, &mut form.measles_immunisation, &mut form.weighed,
                          &mut form.length_measured, &mut form.father_counselled, &mut form.mother_counselled,
                          &mut form.home_visit, &mut form.clean_water, &mut form.latrine,
                          &mut form.birth_certificate, &mut form.health_insurance, &mut form.parenting_class] {
                *field = Some(Answer::Y);
            }
        }
        for person in recaps(&RuleSet::default(), quarter(), &all_yes) {
            prop_assert!(person.outcomes.values().all(|o| *o != Outcome::T), "{:?}", person);
        }
    }
}

#[test]
fn rule_sets_round_trip_through_json() {
    let rules = RuleSet::default();
    let json = serde_json::to_string_pretty(&rules).expect("json");
    assert_eq!(serde_json::from_str::<RuleSet>(&json).expect("back"), rules);
    assert!(json.contains("kemendes-2018-v1"));
}
