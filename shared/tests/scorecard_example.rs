//! A hand-built village over the first quarter of 2026 (1 January - 31 March), with tables
//! 1-5 worked out by hand from the built-in rules (`kemendes-2018-v1`) and checked line by
//! line. Ages and gestational weeks are taken at the quarter's last day, 31 March 2026.
//!
//! Households H1-H6 (ids 1-6); pregnant women P1-P6 (ids 11-16); children 0-23 months
//! C1-C7 (ids 21-27); PAUD children K1-K4 (ids 31-34).

use konvergen_shared::anthro::Sex;
use konvergen_shared::ids::PersonId;
use konvergen_shared::monitoring::{
    Answer, Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, PaudAttendance, YearMonth,
};
use konvergen_shared::recap::{Indicator, Outcome, Quarter, RuleSet};
use konvergen_shared::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::scorecard::{
    AreaData, Bidang, DanaDesaLine, dana_desa_total, missed_by_indicator, scorecard,
};
use time::Date;
use time::macros::date;
use uuid::Uuid;

use GrowthMat::{Green, NotMeasured, Red, Yellow};
use NutritionStatus::{GB, GK, N, S};

const Y: Option<Answer> = Some(Answer::Y);
const T: Option<Answer> = Some(Answer::T);
const E: Option<Answer> = None;

fn id<I: From<Uuid>>(n: u128) -> I {
    I::from(Uuid::from_u128(n))
}

fn month(m: u8) -> YearMonth {
    YearMonth::new(2026, m).expect("month")
}

fn woman(
    household: u128,
    lmp: Date,
    status: PregnancyStatus,
    delivered: Option<Date>,
) -> PregnantWoman {
    PregnantWoman {
        household_id: id(household),
        name: "Ibu".into(),
        nik: None,
        kia_register_no: String::new(),
        lmp_date: Some(lmp),
        expected_delivery_date: None,
        status,
        delivery_date: delivered,
    }
}

/// Form 2A boxes in order: ANC, iron, postnatal, counselling, home visit, water, latrine,
/// insurance.
fn f2a(person: u128, m: u8, a: [Option<Answer>; 8]) -> Form2a {
    Form2a {
        person_id: id(person),
        month: month(m),
        anc_visit: a[0],
        iron_tablet: a[1],
        postnatal_check: a[2],
        nutrition_counselling: a[3],
        home_visit: a[4],
        clean_water: a[5],
        latrine: a[6],
        health_insurance: a[7],
    }
}

fn child(household: u128, born: Date) -> Child {
    Child {
        household_id: id(household),
        name: "Anak".into(),
        sex: Sex::Female,
        birth_date: born,
        nik: None,
        kia_register_no: None,
        birth_certificate: false,
        health_insurance: false,
    }
}

/// Form 2B boxes in order: basic immunisation, measles, weighed, length, father counselled,
/// mother counselled, home visit, water, latrine, certificate, insurance, parenting class.
fn f2b(
    person: u128,
    m: u8,
    status: NutritionStatus,
    mat: GrowthMat,
    a: [Option<Answer>; 12],
) -> Form2b {
    Form2b {
        person_id: id(person),
        month: month(m),
        nutrition_status: Some(status),
        growth_mat: Some(mat),
        basic_immunisation: a[0],
        measles_immunisation: a[1],
        weighed: a[2],
        length_measured: a[3],
        father_counselled: a[4],
        mother_counselled: a[5],
        home_visit: a[6],
        clean_water: a[7],
        latrine: a[8],
        birth_certificate: a[9],
        health_insurance: a[10],
        parenting_class: a[11],
    }
}

fn paud(household: u128, born: Date) -> PaudChild {
    PaudChild {
        household_id: id(household),
        name: "PAUD".into(),
        sex: Sex::Male,
        birth_date: born,
    }
}

fn f2c(person: u128, m: u8, attendance: PaudAttendance) -> Form2c {
    Form2c {
        person_id: id(person),
        month: month(m),
        attendance: Some(attendance),
    }
}

/// `yes` in the months listed, `no` in the others (1-3).
fn by_month(m: u8, months: &[u8], yes: Option<Answer>, no: Option<Answer>) -> Option<Answer> {
    if months.contains(&m) { yes } else { no }
}

fn pregnant_women(data: &mut AreaData) {
    data.pregnant = vec![
        // P1: 136 days = week 19 → trimester 2 (needs 1 ANC, 1 Fe, 1 counselling); normal.
        (
            id(11),
            woman(1, date!(2025 - 11 - 15), PregnancyStatus::Normal, None),
        ),
        // P2: 273 days = week 39 → trimester 3 (needs 2 ANC, 1 Fe, 2 counselling); KEK.
        (
            id(12),
            woman(2, date!(2025 - 07 - 01), PregnancyStatus::Kek, None),
        ),
        // P3: delivered 10 February; postnatal period to 24 March covers February and March.
        (
            id(13),
            woman(
                3,
                date!(2025 - 05 - 01),
                PregnancyStatus::Normal,
                Some(date!(2026 - 02 - 10)),
            ),
        ),
        // P4: 70 days = week 10 → trimester 1; high risk; registered in March.
        (
            id(14),
            woman(4, date!(2026 - 01 - 20), PregnancyStatus::Risti, None),
        ),
        // P5: delivered 15 October 2025; her postnatal period ended 26 November 2025.
        (
            id(15),
            woman(
                6,
                date!(2025 - 01 - 10),
                PregnancyStatus::Normal,
                Some(date!(2025 - 10 - 15)),
            ),
        ),
        // P6: registered, but no form this quarter.
        (
            id(16),
            woman(5, date!(2025 - 12 - 01), PregnancyStatus::Normal, None),
        ),
    ];
    for m in 1..=3 {
        let counselled = by_month(m, &[1], Y, T);
        data.form2a
            .push(f2a(11, m, [Y, Y, E, counselled, E, Y, T, Y]));
        let (anc, counselled, visit) = (
            by_month(m, &[1], Y, T),
            by_month(m, &[1, 2], Y, T),
            by_month(m, &[2], Y, T),
        );
        data.form2a
            .push(f2a(12, m, [anc, Y, E, counselled, visit, Y, Y, T]));
        data.form2a.push(f2a(
            13,
            m,
            [E, E, by_month(m, &[2, 3], Y, T), E, E, T, T, Y],
        ));
    }
    data.form2a.push(f2a(14, 3, [Y, Y, E, Y, Y, Y, Y, Y]));
    data.form2a.push(f2a(15, 1, [Y; 8]));
}

fn children(data: &mut AreaData) {
    data.children = vec![
        (id(21), child(1, date!(2025 - 12 - 01))), // C1: 3 months
        (id(22), child(2, date!(2025 - 03 - 15))), // C2: 12 months
        (id(23), child(4, date!(2025 - 08 - 10))), // C3: 7 months
        (id(24), child(5, date!(2024 - 02 - 01))), // C4: 25 months, no longer 1000 HPK
        (id(25), child(5, date!(2025 - 06 - 05))), // C5: 9 months
        (id(26), child(6, date!(2025 - 10 - 15))), // C6: 5 months, P5's baby
        (id(27), child(3, date!(2026 - 02 - 10))), // C7: 1 month, P3's baby
    ];
    for m in 1..=3 {
        let length = by_month(m, &[2], Y, E);
        data.form2b.push(f2b(
            21,
            m,
            N,
            Green,
            [E, E, Y, length, E, E, E, Y, T, Y, Y, E],
        ));
        let (status, mat) = if m == 1 { (N, Yellow) } else { (S, Red) };
        let (length, father, mother) = (
            by_month(m, &[1], Y, E),
            by_month(m, &[1], Y, E),
            by_month(m, &[2], Y, E),
        );
        let visit = by_month(m, &[1], T, Y);
        data.form2b.push(f2b(
            22,
            m,
            status,
            mat,
            [Y, Y, Y, length, father, mother, visit, Y, Y, T, Y, Y],
        ));
        let (basic, length) = (by_month(m, &[1], Y, E), by_month(m, &[3], Y, E));
        data.form2b.push(f2b(
            23,
            m,
            N,
            Green,
            [basic, E, Y, length, E, Y, E, Y, Y, Y, Y, Y],
        ));
        data.form2b.push(f2b(24, m, N, Green, [Y; 12]));
        let (weighed, father, mother) = (
            by_month(m, &[2], E, Y),
            by_month(m, &[1, 3], Y, E),
            by_month(m, &[2], Y, E),
        );
        let parenting = by_month(m, &[1], Y, T);
        data.form2b.push(f2b(
            25,
            m,
            GK,
            Yellow,
            [Y, T, weighed, E, father, mother, Y, T, T, T, T, parenting],
        ));
        let (status, length) = (if m == 3 { GB } else { N }, by_month(m, &[1], Y, E));
        let visit = by_month(m, &[3], Y, E);
        data.form2b.push(f2b(
            26,
            m,
            status,
            by_month_mat(m),
            [E, E, Y, length, E, E, visit, Y, Y, E, Y, E],
        ));
    }
    // Two phones filled C6's March form: the other one says normal, green and no visit. The
    // more severe status and mat win, and a Y on either form counts.
    data.form2b
        .push(f2b(26, 3, N, Green, [E, E, Y, E, E, E, E, Y, Y, E, Y, E]));
    data.form2b.push(f2b(
        27,
        2,
        N,
        NotMeasured,
        [E, E, Y, E, E, E, E, T, T, E, T, E],
    ));
    data.form2b
        .push(f2b(27, 3, N, Green, [E, E, Y, E, E, E, E, T, T, Y, T, E]));
}

fn by_month_mat(m: u8) -> GrowthMat {
    if m == 3 { Red } else { Green }
}

fn paud_children(data: &mut AreaData) {
    data.paud = vec![
        (id(31), paud(3, date!(2022 - 01 - 01))), // K1: 50 months
        (id(32), paud(5, date!(2023 - 09 - 01))), // K2: 30 months
        (id(33), paud(1, date!(2021 - 05 - 01))), // K3: 58 months
        (id(34), paud(2, date!(2019 - 01 - 01))), // K4: 86 months, past PAUD age
    ];
    data.form2c.push(f2c(31, 1, PaudAttendance::Attending));
    data.form2c.push(f2c(31, 2, PaudAttendance::NotAttending));
    data.form2c.push(f2c(32, 1, PaudAttendance::NotYet));
    data.form2c.push(f2c(33, 2, PaudAttendance::NotAttending));
    data.form2c.push(f2c(34, 1, PaudAttendance::Attending));
}

fn village() -> AreaData {
    let mut data = AreaData::default();
    pregnant_women(&mut data);
    children(&mut data);
    paud_children(&mut data);
    data
}

fn dana_desa() -> Vec<DanaDesaLine> {
    vec![
        DanaDesaLine {
            field: Bidang::Development,
            total_rupiah: 500_000_000,
            stunting_rupiah: 75_000_000,
        },
        DanaDesaLine {
            field: Bidang::Empowerment,
            total_rupiah: 200_000_000,
            stunting_rupiah: 50_000_000,
        },
    ]
}

fn quarter() -> Quarter {
    Quarter::new(2026, 1).expect("quarter")
}

#[test]
fn tabel_1_counts_the_assessed_targets() {
    let t1 = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new()).targets;
    // H1 (P1, C1), H2 (P2, C2), H3 (P3, C7), H4 (P4, C3), H5 (C5; P6 has no form and C4 is
    // 25 months), H6 (C6; P5's postnatal period is over).
    assert_eq!(t1.households_1000hpk, 6);
    // P1-P4; P2 is KEK and P4 high-risk.
    assert_eq!((t1.pregnant, t1.pregnant_kek_risti), (4, 2));
    // C1, C2, C3, C5, C6, C7. Latest status: C5 GK, C6 GB (March, the severer of two
    // forms), C2 S (February and March).
    assert_eq!(t1.children, 6);
    let statuses = (
        t1.children_undernourished,
        t1.children_severely_undernourished,
        t1.children_stunted,
    );
    assert_eq!(statuses, (1, 1, 1));
}

#[test]
fn tabel_2_counts_the_latest_measured_growth_mat() {
    let t2 = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new()).growth_mat;
    // Green: C1, C3, C7 (March; February was "not measured"). Yellow: C5. Red: C2 (February
    // and March), C6 (March, the severer of two forms).
    assert_eq!((t2.green, t2.yellow, t2.red), (3, 1, 2));
}

#[test]
fn tabel_3_gives_each_indicator_received_applicable_and_percent() {
    let card = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new());
    let expected: [(Indicator, u64, u64, u64, &str); 19] = [
        // P1 Y (1 of 1), P2 T (1 ANC, trimester 3 needs 2), P3 delivered: TS, P4 Y.
        (Indicator::Ih1, 2, 3, 1, "66.7"),
        // P1, P2, P4 took Fe; P3 TS.
        (Indicator::Ih2, 3, 3, 1, "100.0"),
        // Only P3 applies: Y in February and March, the only months of her postnatal period,
        // so "3 checks" is capped at the 2 months she could have had them.
        (Indicator::Ih3, 1, 1, 3, "100.0"),
        // P1 (1 of 1), P2 (2 of 2), P4 (1 of 1 in March).
        (Indicator::Ih4, 3, 3, 1, "100.0"),
        // Only KEK P2 (visited in February) and risti P4 apply; normal P1 and P3 are TS.
        (Indicator::Ih5, 2, 2, 2, "100.0"),
        (Indicator::Ih6, 3, 4, 0, "75.0"), // P3's household has no safe water
        (Indicator::Ih7, 2, 4, 0, "50.0"), // P1 and P3 without latrine
        (Indicator::Ih8, 3, 4, 0, "75.0"), // P2 without insurance
        // C1, C6, C7 under 6 months: TS. C5 at 9 months needs no measles yet (from 10).
        (Indicator::An1, 3, 3, 3, "100.0"),
        // C2, C3 every month; C5's February box is empty.
        (Indicator::An2, 2, 3, 3, "66.7"),
        // Measured at least once in January-March: all but C5 and C7.
        (Indicator::An3, 4, 6, 0, "66.7"),
        // C3 (mother every month) and C5 (father, mother, father); C2's parents missed March.
        (Indicator::An4, 2, 3, 3, "66.7"),
        // C2 (stunted from February, visited February and March), C5 (GK, visited every
        // month), C6 (GB in March, visited in March); the normal C1, C3, C7 are TS.
        (Indicator::An5, 3, 3, 3, "100.0"),
        (Indicator::An6, 4, 6, 0, "66.7"), // C5 and C7 without safe water
        (Indicator::An7, 3, 6, 0, "50.0"), // C1, C5, C7 without latrine
        (Indicator::An8, 3, 6, 0, "50.0"), // C1, C3, C7 have a certificate
        (Indicator::An9, 4, 6, 0, "66.7"), // C5 and C7 uninsured
        // C2 and C3 every month; C5 only in January; under 6 months TS.
        (Indicator::An10, 2, 3, 3, "66.7"),
        // K1 attended in January; K2 only "not yet": TS; K3 not attending; K4 is 7.
        (Indicator::Pa1, 1, 2, 1, "50.0"),
    ];
    assert_eq!(card.coverage.len(), 19);
    for (line, (indicator, received, applicable, ts, percent)) in card.coverage.iter().zip(expected)
    {
        let code = indicator.code();
        assert_eq!(line.indicator, indicator);
        assert_eq!(
            (line.received, line.applicable, line.not_applicable),
            (received, applicable, ts),
            "{code}"
        );
        assert_eq!(
            line.ratio().percent_1dp().as_deref(),
            Some(percent),
            "{code}"
        );
    }
}

#[test]
fn tabel_4_pools_the_indicators_of_each_group() {
    let card = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new());
    let tkd = card.convergence;
    // Pregnant women: P1 5 of 6, P2 5 of 7, P3 2 of 4, P4 7 of 7 → 19 of 24.
    assert_eq!((tkd.pregnant.num, tkd.pregnant.den), (19, 24));
    assert_eq!(tkd.pregnant.percent_1dp().as_deref(), Some("79.2"));
    // Children: C1 4 of 5, C2 8 of 10, C3 9 of 9, C5 3 of 10, C6 5 of 6, C7 1 of 5 → 30 of 45.
    assert_eq!((tkd.children.num, tkd.children.den), (30, 45));
    assert_eq!(tkd.children.percent_1dp().as_deref(), Some("66.7"));
    // Total: 49 of 69, pooled (the mean of 79.2 and 66.7 would be 72.9).
    assert_eq!((tkd.total.num, tkd.total.den), (49, 69));
    assert_eq!(tkd.total.percent_1dp().as_deref(), Some("71.0"));
    // Complete package: only H4 (P4 and C3 received everything that applied) of six.
    assert_eq!(
        (card.households_complete.num, card.households_complete.den),
        (1, 6)
    );
    assert_eq!(
        card.households_complete.percent_1dp().as_deref(),
        Some("16.7")
    );
}

#[test]
fn tabel_5_shows_the_stunting_share_of_dana_desa() {
    let card = scorecard(&RuleSet::default(), quarter(), &village(), dana_desa());
    let shares: Vec<_> = card
        .dana_desa
        .iter()
        .map(|l| l.share().percent_1dp())
        .collect();
    assert_eq!(shares, [Some("15.0".to_owned()), Some("25.0".to_owned())]);
    // 125 of 700 million.
    assert_eq!(
        dana_desa_total(&card.dana_desa).percent_1dp().as_deref(),
        Some("17.9")
    );
}

#[test]
fn person_results_carry_the_rule_set_and_quarter() {
    let card = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new());
    assert_eq!(card.rule_set_id, "kemendes-2018-v1");
    assert_eq!(card.persons.len(), 4 + 6 + 3);
    assert!(
        card.persons
            .iter()
            .all(|p| p.rule_set_id == "kemendes-2018-v1" && p.quarter == quarter())
    );
    let person = |n: u128| {
        let wanted: PersonId = id(n);
        card.persons
            .iter()
            .find(|p| p.person_id == wanted)
            .expect("assessed")
    };
    assert_eq!(person(13).outcome(Indicator::Ih3), Some(Outcome::Y));
    assert_eq!(person(11).outcome(Indicator::Ih5), Some(Outcome::TS));
    assert_eq!(person(22).outcome(Indicator::An5), Some(Outcome::Y));
    assert_eq!(person(22).outcome(Indicator::Pa1), None);
    assert!(person(14).complete() && person(23).complete());
    for missing in [15, 16, 24, 34] {
        let wanted: PersonId = id(missing);
        assert!(
            card.persons.iter().all(|p| p.person_id != wanted),
            "{missing} is not a target"
        );
    }
}

#[test]
fn the_persons_who_missed_an_indicator_are_the_gap_of_tabel_3() {
    let card = scorecard(&RuleSet::default(), quarter(), &village(), Vec::new());
    let missed = missed_by_indicator(&card.persons);
    for coverage in &card.coverage {
        let names = missed.get(&coverage.indicator).map_or(0, Vec::len) as u64;
        assert_eq!(
            names,
            coverage.applicable - coverage.received,
            "{}",
            coverage.indicator.code()
        );
    }
    // The example misses something: the test is not vacuous.
    assert!(missed.values().any(|ids| !ids.is_empty()));
    for (indicator, ids) in &missed {
        for id in ids {
            let person = card
                .persons
                .iter()
                .find(|p| p.person_id == *id)
                .expect("recap");
            assert_eq!(person.group, indicator.group());
        }
    }
}
