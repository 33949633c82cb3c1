//! WHO z-scores against the 400 sample cases computed by WHO's R `anthro` 1.1.0, the
//! README's worked examples, edge cases, the plausibility prompt, chart lines and batch mode.

use konvergen_shared::anthro::chart::Indicator;
use konvergen_shared::anthro::tables::{Lms, Table};
use konvergen_shared::anthro::{
    self, Anthro, Index, Measurement, Plausibility, Position, Sex, Stunting, Underweight, Wasting,
    batch,
};

const SAMPLES: &str = include_str!("data/who-sample-cases.csv");

fn measurement(sex: Sex, age: f64, weight: f64, length: f64, position: Position) -> Measurement {
    Measurement {
        sex,
        age_days: Some(age),
        weight_kg: Some(weight),
        length_cm: Some(length),
        position,
        oedema: false,
    }
}

fn texts(m: &Measurement) -> [String; 4] {
    let a = anthro::compute(m);
    [&a.haz, &a.waz, &a.whz, &a.baz].map(|z| z.as_ref().map(|z| z.text.clone()).unwrap_or_default())
}

fn run_batch(input: &str) -> (batch::BatchSummary, String) {
    let mut output = Vec::new();
    let summary = batch::run(input.as_bytes(), &mut output).expect("batch");
    (summary, String::from_utf8(output).expect("utf8"))
}

fn row(table: Table, sex: Sex, key: u32) -> Lms {
    table.row(sex, key).expect("table row")
}

// ---------------------------------------------------------------------------------------
// The 400 WHO sample cases

/// The eleven computed columns of one result, formatted as in the sample file.
fn computed_columns(a: &Anthro) -> [String; 11] {
    let z = |s: &Option<anthro::ZScore>| s.as_ref().map(ToString::to_string).unwrap_or_default();
    let flag = |s: &Option<anthro::ZScore>| {
        s.as_ref()
            .map(|z| if z.flagged { "1" } else { "0" }.to_owned())
            .unwrap_or_default()
    };
    [
        z(&a.haz),
        z(&a.waz),
        z(&a.whz),
        z(&a.baz),
        flag(&a.haz),
        flag(&a.waz),
        flag(&a.whz),
        flag(&a.baz),
        a.stunting()
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        a.underweight()
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        a.wasting().map(|c| c.code().to_owned()).unwrap_or_default(),
    ]
}

fn sample_measurement(fields: &[&str]) -> Measurement {
    let number = |text: &str| (!text.is_empty()).then(|| text.parse::<f64>().expect("number"));
    Measurement {
        sex: if fields[0] == "M" {
            Sex::Male
        } else {
            Sex::Female
        },
        age_days: number(fields[1]),
        weight_kg: number(fields[2]),
        length_cm: number(fields[3]),
        position: match fields[4] {
            "lying" => Position::Lying,
            "standing" => Position::Standing,
            _ => Position::Unknown,
        },
        oedema: false,
    }
}

#[test]
fn all_400_sample_cases_are_reproduced_exactly() {
    let mut lines = SAMPLES.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let mut cases = 0;
    let mut mismatches = Vec::new();
    for (number, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let got = computed_columns(&anthro::compute(&sample_measurement(&fields)));
        cases += 1;
        for (column, (expected, got)) in fields[5..].iter().zip(&got).enumerate() {
            if expected != got {
                mismatches.push(format!(
                    "line {} ({}): {} expected {expected:?}, got {got:?}",
                    number + 2,
                    fields[..5].join(","),
                    header[column + 5]
                ));
            }
        }
    }
    assert_eq!(cases, 400);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn batch_reproduces_the_sample_file_byte_for_byte() {
    // The file already has the output columns: they are recomputed in place, not duplicated.
    let (summary, output) = run_batch(SAMPLES);
    assert_eq!(
        summary,
        batch::BatchSummary {
            rows: 400,
            errors: 0
        }
    );
    let mismatches: Vec<String> = SAMPLES
        .lines()
        .zip(output.lines())
        .enumerate()
        .filter(|(_, (expected, got))| expected != got)
        .map(|(number, (expected, got))| {
            format!("line {}:\nexpected {expected}\n     got {got}", number + 1)
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(
        SAMPLES == output,
        "output differs from the sample file (line endings?)"
    );
}

#[test]
fn batch_appends_the_computed_columns_to_input_only_columns() {
    // The sample file has CRLF line endings (its README says LF); batch keeps either.
    let newline = if SAMPLES.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let input: String = SAMPLES
        .lines()
        .map(|line| line.split(',').take(5).collect::<Vec<_>>().join(",") + newline)
        .collect();
    let (_, output) = run_batch(&input);
    assert!(
        SAMPLES == output,
        "appending to the five input columns must give the sample file"
    );
}

// ---------------------------------------------------------------------------------------
// README §3.9 worked examples

#[test]
fn worked_example_girl_one_year() {
    let m = measurement(Sex::Female, 365.0, 7.0, 64.0, Position::Lying);
    assert_eq!(texts(&m), ["-3.89", "-2.05", "0.24", "0.49"]);
}

#[test]
fn worked_example_standing_girl_1000_days() {
    let lms = row(Table::LengthForAge, Sex::Female, 1000);
    assert_eq!((lms.m, lms.s), (92.8178, 0.03949));
    let m = measurement(Sex::Female, 1000.0, 11.5, 88.0, Position::Standing);
    let [haz, waz, whz, _] = texts(&m);
    assert_eq!(
        (haz.as_str(), waz.as_str(), whz.as_str()),
        ("-1.31", "-1.14", "-0.62")
    );
}

#[test]
fn worked_example_restricted_waz_above_three() {
    let lms = row(Table::WeightForAge, Sex::Male, 200);
    assert!((lms.at_sd(3.0) - 11.2359).abs() < 1e-4);
    assert!((lms.at_sd(2.0) - 10.1081).abs() < 1e-4);
    let m = measurement(Sex::Male, 200.0, 11.9, 70.0, Position::Lying);
    let [_, waz, whz, _] = texts(&m);
    assert_eq!((waz.as_str(), whz.as_str()), ("3.59", "4.08"));
}

#[test]
fn worked_example_lying_after_two_years_interpolates_exactly() {
    let m = measurement(Sex::Male, 800.0, 8.2, 86.05, Position::Lying);
    let [haz, waz, whz, _] = texts(&m);
    assert_eq!(
        (haz.as_str(), waz.as_str(), whz.as_str()),
        ("-1.16", "-3.67", "-4.50")
    );
}

// ---------------------------------------------------------------------------------------
// Age, position and the 0.7 cm conversion

#[test]
fn day_730_is_length_and_day_731_is_height() {
    // Standing at 730 days adds 0.7 cm; lying at 731 days subtracts it.
    let standing_730 = measurement(Sex::Male, 730.0, 12.0, 87.0, Position::Standing);
    let lying_730 = measurement(Sex::Male, 730.0, 12.0, 87.7, Position::Lying);
    assert_eq!(texts(&standing_730), texts(&lying_730));
    let lying_731 = measurement(Sex::Male, 731.0, 12.0, 87.7, Position::Lying);
    let standing_731 = measurement(Sex::Male, 731.0, 12.0, 87.0, Position::Standing);
    assert_eq!(texts(&lying_731), texts(&standing_731));
    // The same lying board reading scores differently on either side of the switch.
    assert_ne!(texts(&lying_730)[0], texts(&lying_731)[0]);
}

#[test]
fn half_a_day_before_731_rounds_into_the_height_period() {
    let fractional = measurement(Sex::Female, 730.5, 11.0, 85.0, Position::Lying);
    let whole = measurement(Sex::Female, 731.0, 11.0, 85.0, Position::Lying);
    assert_eq!(texts(&fractional), texts(&whole));
}

#[test]
fn standing_before_nine_months_is_not_converted() {
    let standing = measurement(Sex::Female, 273.0, 8.0, 70.0, Position::Standing);
    let unknown = measurement(Sex::Female, 273.0, 8.0, 70.0, Position::Unknown);
    assert_eq!(anthro::compute(&standing), anthro::compute(&unknown));
    let standing = measurement(Sex::Female, 274.0, 8.0, 70.0, Position::Standing);
    let lying = measurement(Sex::Female, 274.0, 8.0, 70.7, Position::Lying);
    assert_eq!(texts(&standing), texts(&lying));
}

#[test]
fn nothing_from_sixty_months_on() {
    let at = |age: f64| {
        anthro::compute(&measurement(
            Sex::Male,
            age,
            18.0,
            110.0,
            Position::Standing,
        ))
    };
    let last = at(1826.0);
    assert!(last.haz.is_some() && last.waz.is_some() && last.whz.is_some() && last.baz.is_some());
    assert_eq!(at(1827.0), Anthro::default());
    // The limit is on the unrounded age (60 months = 1826.25 days), although 1826.3 days
    // would round to the table's last row.
    assert!(at(1826.2).haz.is_some());
    assert_eq!(at(1826.3), Anthro::default());
}

// ---------------------------------------------------------------------------------------
// Missing and invalid values, oedema

#[test]
fn oedema_leaves_only_haz() {
    let mut m = measurement(Sex::Female, 400.0, 7.0, 70.0, Position::Lying);
    m.oedema = true;
    let a = anthro::compute(&m);
    assert!(a.haz.is_some());
    assert!(a.waz.is_none() && a.whz.is_none() && a.baz.is_none());
    m.age_days = None;
    assert_eq!(anthro::compute(&m), Anthro::default());
}

#[test]
fn missing_weight_gives_only_haz() {
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.weight_kg = None;
    let a = anthro::compute(&m);
    assert!(a.haz.is_some() && a.waz.is_none() && a.whz.is_none() && a.baz.is_none());
}

#[test]
fn missing_length_gives_only_waz() {
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.length_cm = None;
    let a = anthro::compute(&m);
    assert!(a.haz.is_none() && a.waz.is_some() && a.whz.is_none() && a.baz.is_none());
}

#[test]
fn missing_age_gives_only_whz() {
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.age_days = None;
    let a = anthro::compute(&m);
    assert!(a.haz.is_none() && a.waz.is_none() && a.whz.is_some() && a.baz.is_none());
}

#[test]
fn without_age_the_weight_for_length_table_follows_position_then_87_cm() {
    let without_age = |length: f64, position: Position| {
        let mut m = measurement(Sex::Male, 0.0, 11.0, length, position);
        m.age_days = None;
        texts(&m)[2].clone()
    };
    // With an age, < 731 days reads weight-for-length and >= 731 days weight-for-height; a
    // standing child at 800 days and a lying one at 400 days need no conversion.
    let on_wfl = |length: f64| {
        texts(&measurement(
            Sex::Male,
            400.0,
            11.0,
            length,
            Position::Lying,
        ))[2]
            .clone()
    };
    let on_wfh = |length: f64| {
        texts(&measurement(
            Sex::Male,
            800.0,
            11.0,
            length,
            Position::Standing,
        ))[2]
            .clone()
    };
    assert_ne!(on_wfl(90.0), on_wfh(90.0));
    assert_eq!(without_age(90.0, Position::Lying), on_wfl(90.0));
    assert_eq!(without_age(80.0, Position::Standing), on_wfh(80.0));
    assert_eq!(without_age(86.9, Position::Unknown), on_wfl(86.9));
    assert_eq!(without_age(87.0, Position::Unknown), on_wfh(87.0));
}

#[test]
fn weight_of_zero_or_less_is_rejected() {
    for weight in [0.0, -1.5, f64::NAN] {
        let a = anthro::compute(&measurement(
            Sex::Male,
            300.0,
            weight,
            70.0,
            Position::Lying,
        ));
        assert!(a.haz.is_some(), "weight {weight}");
        assert!(
            a.waz.is_none() && a.whz.is_none() && a.baz.is_none(),
            "weight {weight}"
        );
    }
}

#[test]
fn length_of_zero_or_less_is_rejected() {
    for length in [0.0, -70.0] {
        let a = anthro::compute(&measurement(Sex::Male, 300.0, 8.0, length, Position::Lying));
        assert!(a.waz.is_some(), "length {length}");
        assert!(
            a.haz.is_none() && a.whz.is_none() && a.baz.is_none(),
            "length {length}"
        );
    }
}

#[test]
fn negative_age_gives_no_age_based_index() {
    let a = anthro::compute(&measurement(Sex::Male, -3.0, 3.0, 50.0, Position::Lying));
    assert!(a.haz.is_none() && a.waz.is_none() && a.baz.is_none());
}

#[test]
fn lengths_outside_the_table_give_no_whz() {
    let whz = |age: f64, weight: f64, length: f64, position: Position| {
        anthro::compute(&measurement(Sex::Male, age, weight, length, position)).whz
    };
    // Weight-for-length covers 45.0-110.0 cm, weight-for-height 65.0-120.0 cm, inclusive.
    assert!(whz(10.0, 2.0, 44.9, Position::Lying).is_none());
    assert!(whz(10.0, 2.5, 45.0, Position::Lying).is_some());
    assert!(whz(700.0, 18.0, 110.0, Position::Lying).is_some());
    assert!(whz(700.0, 18.0, 110.1, Position::Lying).is_none());
    // Standing at 700 days: 109.4 + 0.7 = 110.1 cm, past the length table.
    assert!(whz(700.0, 18.0, 109.4, Position::Standing).is_none());
    assert!(whz(1500.0, 22.0, 120.0, Position::Standing).is_some());
    assert!(whz(1500.0, 22.0, 120.01, Position::Standing).is_none());
    // 64.9 cm standing after two years is below the height table: no fall-back to length.
    assert!(whz(800.0, 6.0, 64.9, Position::Standing).is_none());
    // 65.6 cm lying after two years is 64.9 cm of height: also out.
    assert!(whz(800.0, 6.0, 65.6, Position::Lying).is_none());
}

#[test]
fn converted_length_uses_the_exact_table_row() {
    // In doubles, 103.1 - 0.7 is 102.39999999999999, which brackets between the 102.3 row and
    // the next one (R's artefact). Exact decimals make it the 102.4 row itself.
    assert_eq!(((103.1_f64 - 0.7) * 10.0).trunc(), 1023.0);
    let converted = anthro::compute(&measurement(
        Sex::Female,
        1500.0,
        16.0,
        103.1,
        Position::Lying,
    ));
    let on_row = anthro::compute(&measurement(
        Sex::Female,
        1500.0,
        16.0,
        102.4,
        Position::Standing,
    ));
    assert_eq!(converted.whz, on_row.whz);
    let lms = row(Table::WeightForHeight, Sex::Female, 1024);
    let expected = ((16.0 / lms.m).powf(lms.l) - 1.0) / (lms.l * lms.s);
    assert_eq!(converted.whz.expect("whz").text, format!("{expected:.2}"));
    let below = anthro::compute(&measurement(
        Sex::Female,
        1500.0,
        16.0,
        102.3,
        Position::Standing,
    ));
    assert_ne!(
        below.whz, on_row.whz,
        "the test must tell neighbouring rows apart"
    );
}

// ---------------------------------------------------------------------------------------
// Rounding once, flags and categories on the rounded value

/// A length on the 0.001 cm grid where HAZ is as close to `z` as the grid allows, checked to
/// lie strictly between `low` and `high`.
fn length_for_haz(sex: Sex, day: u32, z: f64, (low, high): (f64, f64)) -> f64 {
    let lms = row(Table::LengthForAge, sex, day);
    let length = (lms.m * (1.0 + lms.s * z) * 1000.0).round() / 1000.0;
    let raw = (length / lms.m - 1.0) / lms.s;
    assert!(
        low < raw && raw < high,
        "raw HAZ {raw} not in ({low}, {high})"
    );
    length
}

fn haz_at(length: f64) -> anthro::ZScore {
    let a = anthro::compute(&measurement(
        Sex::Female,
        365.0,
        8.0,
        length,
        Position::Lying,
    ));
    a.haz.expect("haz")
}

#[test]
fn haz_just_above_minus_2_005_is_not_stunted() {
    let haz = haz_at(length_for_haz(Sex::Female, 365, -2.0047, (-2.005, -2.004)));
    assert_eq!(haz.text, "-2.00");
    assert_eq!(Stunting::of(haz.centi), Stunting::Normal);
}

#[test]
fn haz_just_below_minus_2_005_is_stunted() {
    let haz = haz_at(length_for_haz(Sex::Female, 365, -2.0053, (-2.006, -2.005)));
    assert_eq!(haz.text, "-2.01");
    assert_eq!(Stunting::of(haz.centi), Stunting::Stunted);
}

#[test]
fn haz_rounding_to_minus_6_00_is_not_flagged() {
    let haz = haz_at(length_for_haz(Sex::Female, 365, -6.0047, (-6.005, -6.004)));
    assert_eq!((haz.text.as_str(), haz.flagged), ("-6.00", false));
    let haz = haz_at(length_for_haz(Sex::Female, 365, -6.0053, (-6.006, -6.005)));
    assert_eq!((haz.text.as_str(), haz.flagged), ("-6.01", true));
}

/// The weight with restricted WAZ `z` (beyond ±3 SD) for a girl of 365 days.
fn weight_for_restricted_waz(z: f64) -> f64 {
    let lms = row(Table::WeightForAge, Sex::Female, 365);
    if z < -3.0 {
        let (sd2, sd3) = (lms.at_sd(-2.0), lms.at_sd(-3.0));
        sd3 + (z + 3.0) * (sd2 - sd3)
    } else {
        let (sd2, sd3) = (lms.at_sd(2.0), lms.at_sd(3.0));
        sd3 + (z - 3.0) * (sd3 - sd2)
    }
}

#[test]
fn waz_flag_limits_are_minus_6_and_plus_5_after_rounding() {
    let waz = |z: f64| {
        let m = measurement(
            Sex::Female,
            365.0,
            weight_for_restricted_waz(z),
            74.0,
            Position::Lying,
        );
        let waz = anthro::compute(&m).waz.expect("waz");
        (waz.text, waz.flagged)
    };
    assert_eq!(waz(-6.004), ("-6.00".to_owned(), false));
    assert_eq!(waz(-6.006), ("-6.01".to_owned(), true));
    assert_eq!(waz(5.004), ("5.00".to_owned(), false));
    assert_eq!(waz(5.006), ("5.01".to_owned(), true));
}

#[test]
fn whz_near_minus_2_is_categorised_on_the_rounded_value() {
    let lms = row(Table::WeightForLength, Sex::Male, 700);
    let whz = |z: f64| {
        let m = measurement(Sex::Male, 300.0, lms.at_sd(z), 70.0, Position::Lying);
        anthro::compute(&m).whz.expect("whz")
    };
    let normal = whz(-2.0047);
    assert_eq!(
        (normal.text.as_str(), Wasting::of(normal.centi)),
        ("-2.00", Wasting::Normal)
    );
    let wasted = whz(-2.0053);
    assert_eq!(
        (wasted.text.as_str(), Wasting::of(wasted.centi)),
        ("-2.01", Wasting::Wasted)
    );
}

#[test]
fn a_real_near_tie_is_rounded_once() {
    // Sample case: raw WAZ -0.894999199; rounding to 4 decimals first would give -0.90.
    let m = measurement(Sex::Female, 663.0, 9.88, 80.0, Position::Lying);
    assert_eq!(texts(&m)[1], "-0.89");
}

#[test]
fn flags_are_decided_on_the_rounded_value() {
    let a = anthro::compute(&measurement(Sex::Male, 2.0, 3.11, 35.0, Position::Lying));
    let haz = a.haz.clone().expect("haz");
    assert_eq!(haz.text, "-8.03");
    assert!(haz.flagged);
    assert_eq!(a.stunting(), Some(Stunting::SeverelyStunted));
}

#[test]
fn zscore_formats_and_converts() {
    let a = anthro::compute(&measurement(Sex::Female, 365.0, 7.0, 64.0, Position::Lying));
    let waz = a.waz.expect("waz");
    assert_eq!(
        (waz.to_string(), waz.centi, waz.value()),
        ("-2.05".to_owned(), -205, -2.05)
    );
}

#[test]
fn categories_have_codes_and_labels_in_both_languages() {
    assert_eq!(Stunting::of(-250).code(), "stunted");
    assert_eq!(Stunting::of(-250).label_id(), "Pendek");
    assert_eq!(Underweight::of(150).code(), "risk_of_overweight");
    assert_eq!(Underweight::of(150).label_en(), "Risk of overweight");
    assert_eq!(Wasting::of(-350).label_id(), "Gizi buruk");
    assert_eq!(Wasting::of(250).code(), "overweight");
    // BMI-for-age uses the weight-for-length cut-offs.
    let a = anthro::compute(&measurement(Sex::Female, 155.0, 8.3, 60.0, Position::Lying));
    assert_eq!(a.bmi_category(), Some(Wasting::Obese));
}

// ---------------------------------------------------------------------------------------
// Plausibility and charts

#[test]
fn any_flag_means_remeasure() {
    let implausible = anthro::compute(&measurement(Sex::Male, 2.0, 3.11, 35.0, Position::Lying));
    let verdict = anthro::plausibility(&implausible);
    assert_eq!(
        verdict,
        Plausibility::Remeasure(vec![Index::Haz, Index::Baz])
    );
    assert!(implausible.needs_remeasure());
    assert!(verdict.message_id().is_some() && verdict.message_en().is_some());
    let fine = anthro::compute(&measurement(Sex::Female, 365.0, 7.0, 64.0, Position::Lying));
    assert_eq!(anthro::plausibility(&fine), Plausibility::Plausible);
    assert_eq!(
        anthro::plausibility(&Anthro::default()),
        Plausibility::Plausible
    );
}

#[test]
fn chart_lines_put_a_child_at_minus_2_on_the_minus_2_line() {
    let lines = anthro::sd_lines(Indicator::LengthForAge, Sex::Female);
    let (months, sd) = lines[12];
    let age = months * 30.4375;
    assert_eq!(age.round(), 365.0);
    let on_line = measurement(Sex::Female, age.round(), 8.0, sd[1], Position::Lying);
    assert_eq!(texts(&on_line)[0], "-2.00");
    assert_eq!(
        anthro::sd_lines(Indicator::WeightForAge, Sex::Male).len(),
        61
    );
}

// ---------------------------------------------------------------------------------------
// Batch mode

#[test]
fn batch_reports_bad_rows_and_still_computes_the_rest() {
    let input = "id,sex,age_days,weight_kg,length_cm,measured,note\n\
                 1,X,365,7.0,64.0,lying,a\n\
                 2,F,365,heavy,64.0,lying,b\n\
                 3,F,-4,7.0,64.0,lying,c\n\
                 4,F,365,7.0,64.0,lying,\"note, with comma and \"\"quotes\"\"\"\n\
                 5,,365,7.0,64.0,lying,e\n\
                 6,F,365,7.0,64.0,sitting,f\n\
                 7,F,365,7,0,64.0,lying,g\n";
    let (summary, output) = run_batch(input);
    assert_eq!(summary, batch::BatchSummary { rows: 7, errors: 6 });
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines[0],
        "id,sex,age_days,weight_kg,length_cm,measured,note,haz,waz,whz,baz,flag_haz,flag_waz,flag_whz,flag_baz,stunting,underweight,wasting,error"
    );
    assert_eq!(
        lines[1],
        "1,X,365,7.0,64.0,lying,a,,,,,,,,,,,,\"sex: expected M or F, got \"\"X\"\"\""
    );
    assert_eq!(
        lines[4],
        "4,F,365,7.0,64.0,lying,\"note, with comma and \"\"quotes\"\"\",-3.89,-2.05,0.24,0.49,0,0,0,0,severely_stunted,underweight,normal,"
    );
    let records = batch::parse_csv(&output);
    let error_of = |id: &str| {
        let record = records.iter().find(|r| r[0] == id).expect("row");
        assert_eq!(record.len(), 19, "row {id} keeps the header's width");
        assert!(
            record[7..18].iter().all(String::is_empty),
            "row {id}: {record:?}"
        );
        record[18].clone()
    };
    assert_eq!(error_of("2"), "weight_kg: not a number: \"heavy\"");
    assert_eq!(error_of("3"), "age_days: must be 0 or more, got -4");
    assert_eq!(error_of("5"), "sex: missing, expected M or F");
    assert_eq!(
        error_of("6"),
        "measured: expected lying, standing or empty, got \"sitting\""
    );
    assert_eq!(
        error_of("7"),
        "row has 8 fields but the header has 7: quote values that contain a comma"
    );
    assert_eq!(lines.len(), 8);
}

#[test]
fn batch_passes_other_columns_through_in_any_order() {
    let input = "measured,posyandu,length_cm,oedema,weight_kg,age_days,sex,kader\n\
                 lying,Melati 1,64.0,n,7.0,365,F,Ani\n\
                 lying,Melati 1,64.0,y,7.0,365,F,Ani\n\
                 ,\"Mawar, RW 2\",88.0,,11.5,1000,F,\n";
    let (summary, output) = run_batch(input);
    assert_eq!(summary.errors, 0);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines[0],
        "measured,posyandu,length_cm,oedema,weight_kg,age_days,sex,kader,haz,waz,whz,baz,flag_haz,flag_waz,flag_whz,flag_baz,stunting,underweight,wasting"
    );
    assert_eq!(
        lines[1],
        "lying,Melati 1,64.0,n,7.0,365,F,Ani,-3.89,-2.05,0.24,0.49,0,0,0,0,severely_stunted,underweight,normal"
    );
    // Oedema: only HAZ.
    assert_eq!(
        lines[2],
        "lying,Melati 1,64.0,y,7.0,365,F,Ani,-3.89,,,,0,,,,severely_stunted,,"
    );
    // Unknown position at 1000 days: 88.0 cm taken as height, as in the worked example.
    assert!(
        lines[3].starts_with(",\"Mawar, RW 2\",88.0,,11.5,1000,F,,-1.31,-1.14,-0.62,"),
        "{}",
        lines[3]
    );
}

#[test]
fn batch_output_fed_back_in_is_unchanged() {
    let input =
        "sex,age_days,weight_kg,length_cm,measured,haz\nF,365,7.0,64.0,lying,9.99\nQ,1,1,1,,\n";
    let (_, first) = run_batch(input);
    let (_, second) = run_batch(&first);
    assert_eq!(first, second);
    assert!(first.starts_with(
        "sex,age_days,weight_kg,length_cm,measured,haz,waz,whz,baz,flag_haz,flag_waz,flag_whz,flag_baz,stunting,underweight,wasting,error\n"
    ));
    assert!(
        first.contains("\nF,365,7.0,64.0,lying,-3.89,-2.05,"),
        "stale value replaced: {first}"
    );
    // A corrected file clears the old messages but keeps its error column.
    let fixed = second.replace("Q,1,1,1", "M,1,3.5,50");
    let (summary, third) = run_batch(&fixed);
    assert_eq!(summary.errors, 0);
    assert!(
        third
            .lines()
            .all(|line| line.ends_with(",error") || line.ends_with(','))
    );
}

#[test]
fn batch_keeps_crlf_and_byte_order_mark_and_skips_blank_lines() {
    let input = "\u{feff}sex,age_days,weight_kg,length_cm,measured\r\nF,365,7.0,64.0,lying\r\n\r\n";
    let (summary, output) = run_batch(input);
    assert_eq!(summary.rows, 1);
    assert!(output.starts_with("\u{feff}sex,"), "{output:?}");
    assert!(
        output.ends_with(",severely_stunted,underweight,normal\r\n"),
        "{output:?}"
    );
    assert_eq!(output.matches("\r\n").count(), 2);
}

#[test]
fn batch_refuses_a_file_without_the_needed_columns() {
    let error = batch::run("sex,age\nM,3\n".as_bytes(), Vec::new()).expect_err("missing columns");
    assert!(error.to_string().contains("age_days"));
}

#[test]
fn csv_reader_handles_quotes_and_line_breaks() {
    let records = batch::parse_csv("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x\n");
    assert_eq!(
        records,
        vec![vec!["a", "b,c", "d\"e"], vec!["multi\nline", "x"]]
    );
}
