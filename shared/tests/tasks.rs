//! This month's tasks of a cadre: each kind appears when its record is missing and goes as
//! soon as the record is there.

use konvergen_shared::anthro::Sex;
use konvergen_shared::ids::{HouseholdId, PersonId};
use konvergen_shared::monitoring::YearMonth;
use konvergen_shared::register::{Child, Household, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::tasks::{
    BACKFILL_MONTHS, Followed, HouseholdFact, TaskInput, TaskKind, month_tasks,
};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

const TODAY: Date = date!(2026 - 08 - 15);
const VILLAGE: &str = "63.03.05.2009";

fn new_household(n: u128) -> (HouseholdId, Household) {
    let household = Household {
        village_code: VILLAGE.into(),
        dusun: String::new(),
        rt: "001".into(),
        rw: "002".into(),
        address: String::new(),
        head_name: format!("KK {n}"),
        family_card_no: Some("6303050101010001".into()),
        safe_water: Some(true),
        proper_latrine: Some(false),
    };
    (HouseholdId(Uuid::from_u128(n)), household)
}

fn person(n: u128) -> PersonId {
    PersonId(Uuid::from_u128(1000 + n))
}

fn woman(household: HouseholdId, name: &str, lmp: Date) -> PregnantWoman {
    PregnantWoman {
        household_id: household,
        name: name.into(),
        nik: None,
        kia_register_no: String::new(),
        lmp_date: Some(lmp),
        expected_delivery_date: None,
        status: PregnancyStatus::Normal,
        delivery_date: None,
    }
}

fn child(household: HouseholdId, name: &str, birth: Date) -> Child {
    Child {
        household_id: household,
        name: name.into(),
        sex: Sex::Female,
        birth_date: birth,
        nik: None,
        kia_register_no: None,
        birth_certificate: false,
        health_insurance: false,
    }
}

fn names(input: &TaskInput, kind: TaskKind) -> Vec<String> {
    month_tasks(input, TODAY)
        .of(kind)
        .map(|t| t.name.clone())
        .collect()
}

fn this_month() -> YearMonth {
    YearMonth::of(TODAY)
}

#[test]
fn a_monthly_form_is_due_until_this_months_record_exists() {
    let (hh, household) = new_household(1);
    let mut input = TaskInput {
        households: vec![(hh, household)],
        pregnant: vec![(person(1), woman(hh, "Siti", date!(2026 - 03 - 01)))],
        children: vec![(person(2), child(hh, "Ani", date!(2025 - 10 - 01)))],
        ..TaskInput::default()
    };
    assert_eq!(names(&input, TaskKind::Form2a), ["Siti"]);
    assert_eq!(names(&input, TaskKind::Form2b), ["Ani"]);
    assert_eq!(names(&input, TaskKind::Measure), ["Ani"]);
    // Last month's form does not count for this month.
    input.forms.insert((person(1), this_month().previous()));
    assert_eq!(names(&input, TaskKind::Form2a), ["Siti"]);
    input.forms.insert((person(1), this_month()));
    input.forms.insert((person(2), this_month()));
    input.measured.insert((person(2), this_month()));
    let tasks = month_tasks(&input, TODAY);
    assert_eq!(tasks.tasks, []);
    assert!(tasks.weighing_month, "August is a national weighing month");
}

#[test]
fn an_overdue_pregnancy_asks_for_the_birth_then_for_the_baby() {
    let (hh, household) = new_household(1);
    let lmp = TODAY - Duration::days(290);
    let mut input = TaskInput {
        households: vec![(hh, household)],
        pregnant: vec![(person(1), woman(hh, "Rina", lmp))],
        ..TaskInput::default()
    };
    assert_eq!(names(&input, TaskKind::RecordBirth), ["Rina"]);
    assert!(names(&input, TaskKind::RegisterBaby).is_empty());

    let delivered = TODAY - Duration::days(5);
    input.pregnant[0].1.delivery_date = Some(delivered);
    assert!(names(&input, TaskKind::RecordBirth).is_empty());
    assert_eq!(names(&input, TaskKind::RegisterBaby), ["Rina"]);
    // Still on form 2A in her postnatal period.
    assert_eq!(names(&input, TaskKind::Form2a), ["Rina"]);

    // A baby in another household is not hers.
    let (other, _) = new_household(2);
    input
        .children
        .push((person(3), child(other, "Bayi lain", delivered)));
    assert_eq!(names(&input, TaskKind::RegisterBaby), ["Rina"]);
    input.children.push((
        person(2),
        child(hh, "Bayi Rina", delivered - Duration::days(1)),
    ));
    assert!(names(&input, TaskKind::RegisterBaby).is_empty());
}

#[test]
fn a_child_who_turned_two_continues_as_paud_and_leaves_form_2b() {
    let (hh, household) = new_household(1);
    let birth = date!(2024 - 07 - 20);
    let mut input = TaskInput {
        households: vec![(hh, household)],
        children: vec![(person(1), child(hh, "Budi", birth))],
        ..TaskInput::default()
    };
    assert_eq!(names(&input, TaskKind::ContinuePaud), ["Budi"]);
    assert!(names(&input, TaskKind::Form2b).is_empty());
    assert!(names(&input, TaskKind::Measure).is_empty());
    input.paud.push((
        person(2),
        PaudChild {
            household_id: hh,
            name: "Budi".into(),
            sex: Sex::Male,
            birth_date: birth,
        },
    ));
    assert!(names(&input, TaskKind::ContinuePaud).is_empty());
    assert_eq!(names(&input, TaskKind::Form2c), ["Budi"]);
}

#[test]
fn a_household_lists_the_facts_it_lacks() {
    let (hh, mut household) = new_household(1);
    household.family_card_no = None;
    household.proper_latrine = None;
    let input = TaskInput {
        households: vec![(hh, household)],
        ..TaskInput::default()
    };
    let tasks = month_tasks(&input, TODAY);
    let task = tasks.of(TaskKind::HouseholdFacts).next().expect("a task");
    assert_eq!(
        task.missing,
        [HouseholdFact::FamilyCard, HouseholdFact::Latrine]
    );
    assert_eq!(task.village_code, VILLAGE);
    assert_eq!(tasks.count(TaskKind::HouseholdFacts), 1);
}

#[test]
fn a_missed_month_can_be_filled_within_the_follow_up_period_only() {
    let (hh, _) = new_household(1);
    let baby = child(hh, "Ani", date!(2026 - 05 - 10));
    let months = Followed::Child(&baby).fillable_months(TODAY);
    let text: Vec<String> = months.iter().map(ToString::to_string).collect();
    assert_eq!(text, ["2026-08", "2026-07", "2026-06", "2026-05"]);

    let older = child(hh, "Dewi", date!(2023 - 01 - 01));
    let paud = PaudChild {
        household_id: hh,
        name: "Dewi".into(),
        sex: Sex::Female,
        birth_date: older.birth_date,
    };
    assert!(Followed::Child(&older).fillable_months(TODAY).is_empty());
    assert_eq!(
        Followed::Paud(&paud).fillable_months(TODAY).len(),
        BACKFILL_MONTHS
    );
    // A mother stays followed through the postnatal period, then leaves form 2A.
    let mut mother = woman(hh, "Siti", date!(2025 - 10 - 01));
    mother.delivery_date = Some(date!(2026 - 06 - 01));
    let months: Vec<String> = Followed::Pregnant(&mother)
        .fillable_months(TODAY)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(months.first().map(String::as_str), Some("2026-07"));
    assert_eq!(months.last().map(String::as_str), Some("2025-10"));
}
