//! A hand-built village over the first quarter of 2026, with tables 1-4 worked out by hand
//! from the rules (kemendes-2018-v1) and checked line by line.

use konvergen_shared::anthro::Sex;
use konvergen_shared::monitoring::{
    Answer, Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, PaudAttendance, YearMonth,
};
use konvergen_shared::recap::{Indicator, Quarter, RuleSet};
use konvergen_shared::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::scorecard::{AreaData, DanaDesaLine, scorecard};
use time::Date;
use time::macros::date;
use uuid::Uuid;

const Y: Option<Answer> = Some(Answer::Y);
const T: Option<Answer> = Some(Answer::T);
const E: Option<Answer> = None;

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
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

/// Form 2A: anc, iron, postnatal, counselling, home visit, water, latrine, insurance.
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

/// Form 2B answers in order: basic imm., measles, weighed, length, father, mother, home visit,
/// water, latrine, certificate, insurance, parenting.
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

fn paud(household: u128) -> PaudChild {
    PaudChild {
        household_id: id(household),
        name: "PAUD".into(),
        sex: Sex::Male,
        birth_date: date!(2022 - 01 - 01),
    }
}

fn f2c(person: u128, m: u8, attendance: PaudAttendance) -> Form2c {
    Form2c {
        person_id: id(person),
        month: month(m),
        attendance: Some(attendance),
    }
}

/// Households 1-5; pregnant women 11-14; children 21-25; PAUD children 31-33.
fn village() -> AreaData {
    use GrowthMat::{Green, Red, Yellow};
    use NutritionStatus::{GK, N, S};
    let mut data = AreaData {
        pregnant: vec![
            // P1: trimester 2 at 31 March (136 days), normal.
            (
                id(11),
                woman(1, date!(2025 - 11 - 15), PregnancyStatus::Normal, None),
            ),
            // P2: trimester 3 (273 days), KEK.
            (
                id(12),
                woman(2, date!(2025 - 07 - 01), PregnancyStatus::Kek, None),
            ),
            // P3: delivered on 10 February.
            (
                id(13),
                woman(
                    3,
                    date!(2025 - 05 - 01),
                    PregnancyStatus::Normal,
                    Some(date!(2026 - 02 - 10)),
                ),
            ),
            // P4: trimester 1 (70 days), high risk, registered in March.
            (
                id(14),
                woman(4, date!(2026 - 01 - 20), PregnancyStatus::Risti, None),
            ),
        ],
        ..AreaData::default()
    };
    for m in 1..=3 {
        data.form2a.push(f2a(
            11,
            m,
            [Y, Y, E, if m == 1 { Y } else { T }, E, Y, T, Y],
        ));
        data.form2a.push(f2a(
            12,
            m,
            [
                if m == 1 { Y } else { T },
                Y,
                E,
                if m < 3 { Y } else { T },
                if m == 2 { Y } else { T },
                Y,
                Y,
                T,
            ],
        ));
        data.form2a
            .push(f2a(13, m, [E, E, if m > 1 { Y } else { T }, E, E, T, T, Y]));
    }
    data.form2a.push(f2a(14, 3, [Y, Y, E, Y, Y, Y, Y, Y]));

    data.children = vec![
        (id(21), child(1, date!(2025 - 12 - 01))), // C1: 3 months
        (id(22), child(2, date!(2025 - 03 - 15))), // C2: 12 months
        (id(23), child(4, date!(2025 - 08 - 10))), // C3: 7 months
        (id(24), child(5, date!(2024 - 02 - 01))), // C4: 25 months, no longer 1000 HPK
        (id(25), child(5, date!(2025 - 06 - 05))), // C5: 9 months
    ];
    for m in 1..=3 {
        data.form2b.push(f2b(
            21,
            m,
            N,
            Green,
            [E, E, Y, if m == 2 { Y } else { E }, E, E, E, Y, T, Y, Y, E],
        ));
        let c2_status = if m == 1 { N } else { S };
        data.form2b.push(f2b(
            22,
            m,
            c2_status,
            Red,
            [
                Y,
                Y,
                Y,
                if m == 1 { Y } else { E },
                if m == 1 { Y } else { E },
                if m == 2 { Y } else { E },
                if m == 1 { T } else { Y },
                Y,
                Y,
                T,
                Y,
                Y,
            ],
        ));
        data.form2b.push(f2b(
            23,
            m,
            N,
            Green,
            [Y, E, Y, if m == 3 { Y } else { E }, E, Y, E, Y, Y, Y, Y, Y],
        ));
        data.form2b.push(f2b(24, m, N, Green, [Y; 12]));
        data.form2b.push(f2b(
            25,
            m,
            GK,
            Yellow,
            [
                Y,
                T,
                if m == 2 { E } else { Y },
                E,
                Y,
                E,
                Y,
                T,
                T,
                T,
                T,
                if m == 1 { Y } else { T },
            ],
        ));
    }

    data.paud = vec![(id(31), paud(3)), (id(32), paud(5)), (id(33), paud(1))];
    data.form2c.push(f2c(31, 1, PaudAttendance::Attending));
    data.form2c.push(f2c(31, 2, PaudAttendance::NotAttending));
    data.form2c.push(f2c(32, 1, PaudAttendance::NotYet));
    data.form2c.push(f2c(33, 2, PaudAttendance::NotAttending));
    data
}

#[test]
fn tables_one_to_five_match_the_hand_computation() {
    let quarter = Quarter::new(2026, 1).expect("quarter");
    let dana_desa = vec![
        DanaDesaLine {
            field: "Bidang Pembangunan Desa".into(),
            total_rupiah: 500_000_000,
            stunting_rupiah: 75_000_000,
        },
        DanaDesaLine {
            field: "Bidang Pemberdayaan Masyarakat Desa".into(),
            total_rupiah: 200_000_000,
            stunting_rupiah: 50_000_000,
        },
    ];
    let card = scorecard(&RuleSet::default(), quarter, &village(), dana_desa);
    assert_eq!(card.rule_set_id, "kemendes-2018-v1");

    // Tabel 1. Households 1-5 each have an assessed pregnant woman or child 0-23 m; C4 is
    // 25 months old and no longer counted. KEK: P2; risti: P4. Latest status: C5 GK, C2 S.
    let t1 = card.targets;
    assert_eq!(t1.households_1000hpk, 5);
    assert_eq!((t1.pregnant, t1.pregnant_kek_risti), (4, 2));
    assert_eq!(t1.children, 4);
    assert_eq!(
        (
            t1.children_undernourished,
            t1.children_severely_undernourished,
            t1.children_stunted
        ),
        (1, 0, 1)
    );

    // Tabel 2: C1 green, C2 red, C3 green, C5 yellow.
    assert_eq!(
        (
            card.growth_mat.green,
            card.growth_mat.yellow,
            card.growth_mat.red
        ),
        (2, 1, 1)
    );

    // Tabel 3: received / applicable and the percentage, indicator by indicator.
    let expected: [(Indicator, u64, u64, &str); 19] = [
        (Indicator::Ih1, 2, 3, "66.7"), // P1 Y (T2 needs 1), P2 T (T3 needs 2, had 1), P3 TS, P4 Y
        (Indicator::Ih2, 3, 3, "100.0"), // P1, P2, P4 Y; P3 delivered: TS
        (Indicator::Ih3, 0, 1, "0.0"),  // only P3 applies: 2 postnatal checks of 3 months
        (Indicator::Ih4, 3, 3, "100.0"), // P1 (1 of 1), P2 (2 of 2 in T3), P4
        (Indicator::Ih5, 2, 2, "100.0"), // only KEK P2 and risti P4 apply
        (Indicator::Ih6, 3, 4, "75.0"), // P3's household has no safe water
        (Indicator::Ih7, 2, 4, "50.0"), // P1 and P3 without latrine
        (Indicator::Ih8, 3, 4, "75.0"), // P2 without insurance
        (Indicator::An1, 2, 3, "66.7"), // C1 under 6 m: TS; C5 at 9 m lacks measles
        (Indicator::An2, 2, 3, "66.7"), // C5 not weighed in February
        (Indicator::An3, 3, 4, "75.0"), // C5 never measured
        (Indicator::An4, 2, 3, "66.7"), // C2's parents missed March
        (Indicator::An5, 1, 2, "50.0"), // only C2 (S) and C5 (GK) apply; C2 missed January
        (Indicator::An6, 3, 4, "75.0"),
        (Indicator::An7, 2, 4, "50.0"),
        (Indicator::An8, 2, 4, "50.0"),
        (Indicator::An9, 3, 4, "75.0"),
        (Indicator::An10, 2, 3, "66.7"), // C5 attended parenting class in January only
        (Indicator::Pa1, 1, 2, "50.0"),  // K1 attended; K2 not yet (TS); K3 not attending
    ];
    assert_eq!(card.coverage.len(), 19);
    for (line, (indicator, received, applicable, percent)) in card.coverage.iter().zip(expected) {
        assert_eq!(line.indicator, indicator);
        assert_eq!(
            (line.received, line.applicable),
            (received, applicable),
            "{}",
            indicator.code()
        );
        assert_eq!(
            line.ratio().percent_1dp().as_deref(),
            Some(percent),
            "{}",
            indicator.code()
        );
    }

    // Tabel 4: pregnant 18 of 24, children 22 of 34, total 40 of 58.
    let tkd = card.convergence;
    assert_eq!((tkd.pregnant.num, tkd.pregnant.den), (18, 24));
    assert_eq!(tkd.pregnant.percent_1dp().as_deref(), Some("75.0"));
    assert_eq!((tkd.children.num, tkd.children.den), (22, 34));
    assert_eq!(tkd.children.percent_1dp().as_deref(), Some("64.7"));
    assert_eq!((tkd.total.num, tkd.total.den), (40, 58));
    assert_eq!(tkd.total.percent_1dp().as_deref(), Some("69.0"));

    // Complete package: only household 4 (P4 and C3, every applicable indicator Y).
    assert_eq!(
        (card.households_complete.num, card.households_complete.den),
        (1, 5)
    );

    // Tabel 5.
    let shares: Vec<_> = card
        .dana_desa
        .iter()
        .map(|l| l.share().percent_1dp())
        .collect();
    assert_eq!(shares, [Some("15.0".to_owned()), Some("25.0".to_owned())]);
}
