//! WHO z-scores against the 400 sample cases computed by WHO's R `anthro` 1.1.0, the
//! README's worked examples, edge cases, and the batch mode.

use konvergen_shared::anthro::{self, Measurement, Position, Sex, batch};

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

#[test]
fn all_400_sample_cases_are_reproduced_exactly() {
    let mut output = Vec::new();
    let summary = batch::run(SAMPLES.as_bytes(), &mut output).expect("batch");
    assert_eq!(summary.rows, 400);
    assert_eq!(summary.errors, 0);
    let output = String::from_utf8(output).expect("utf8");
    let mismatches: Vec<String> = SAMPLES
        .lines()
        .zip(output.lines())
        .filter(|(expected, got)| expected != got)
        .map(|(expected, got)| format!("expected {expected}\n     got {got}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(
        SAMPLES == output,
        "output differs from the sample file byte for byte (line endings?)"
    );
}

#[test]
fn worked_example_girl_one_year() {
    let m = measurement(Sex::Female, 365.0, 7.0, 64.0, Position::Lying);
    assert_eq!(texts(&m), ["-3.89", "-2.05", "0.24", "0.49"]);
}

#[test]
fn worked_example_standing_girl_1000_days() {
    let m = measurement(Sex::Female, 1000.0, 11.5, 88.0, Position::Standing);
    let [haz, waz, whz, _] = texts(&m);
    assert_eq!(
        (haz.as_str(), waz.as_str(), whz.as_str()),
        ("-1.31", "-1.14", "-0.62")
    );
}

#[test]
fn worked_example_restricted_waz_above_three() {
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

#[test]
fn day_730_is_length_and_day_731_is_height() {
    // Same child measured standing: +0.7 cm at 730 days, unchanged at 731.
    let at_730 = anthro::compute(&measurement(
        Sex::Male,
        730.0,
        12.0,
        87.0,
        Position::Standing,
    ));
    let at_730_lying = anthro::compute(&measurement(Sex::Male, 730.0, 12.0, 87.7, Position::Lying));
    assert_eq!(at_730.haz, at_730_lying.haz);
    let at_731 = anthro::compute(&measurement(Sex::Male, 731.0, 12.0, 87.7, Position::Lying));
    let at_731_standing = anthro::compute(&measurement(
        Sex::Male,
        731.0,
        12.0,
        87.0,
        Position::Standing,
    ));
    assert_eq!(at_731.haz, at_731_standing.haz);
}

#[test]
fn standing_before_nine_months_is_not_converted() {
    let standing = anthro::compute(&measurement(
        Sex::Female,
        273.0,
        8.0,
        70.0,
        Position::Standing,
    ));
    let unknown = anthro::compute(&measurement(
        Sex::Female,
        273.0,
        8.0,
        70.0,
        Position::Unknown,
    ));
    assert_eq!(standing, unknown);
    let standing = anthro::compute(&measurement(
        Sex::Female,
        274.0,
        8.0,
        70.0,
        Position::Standing,
    ));
    let lying = anthro::compute(&measurement(Sex::Female, 274.0, 8.0, 70.7, Position::Lying));
    assert_eq!(standing.haz, lying.haz);
}

#[test]
fn nothing_from_sixty_months_on() {
    let last = anthro::compute(&measurement(
        Sex::Male,
        1826.0,
        18.0,
        110.0,
        Position::Standing,
    ));
    assert!(last.haz.is_some() && last.whz.is_some());
    let past = anthro::compute(&measurement(
        Sex::Male,
        1827.0,
        18.0,
        110.0,
        Position::Standing,
    ));
    assert_eq!(past, anthro::Anthro::default());
}

#[test]
fn oedema_leaves_only_haz() {
    let mut m = measurement(Sex::Female, 400.0, 7.0, 70.0, Position::Lying);
    m.oedema = true;
    let a = anthro::compute(&m);
    assert!(a.haz.is_some());
    assert!(a.waz.is_none() && a.whz.is_none() && a.baz.is_none());
}

#[test]
fn missing_values_give_only_what_can_be_computed() {
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.weight_kg = None;
    let a = anthro::compute(&m);
    assert!(a.haz.is_some() && a.waz.is_none() && a.whz.is_none() && a.baz.is_none());
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.length_cm = Some(0.0);
    let a = anthro::compute(&m);
    assert!(a.haz.is_none() && a.waz.is_some() && a.whz.is_none());
    let mut m = measurement(Sex::Female, 400.0, 9.0, 75.0, Position::Lying);
    m.age_days = None;
    let a = anthro::compute(&m);
    assert!(a.haz.is_none() && a.waz.is_none() && a.whz.is_some() && a.baz.is_none());
}

#[test]
fn lengths_outside_the_table_give_no_whz() {
    let short = anthro::compute(&measurement(Sex::Male, 10.0, 2.0, 44.9, Position::Lying));
    assert!(short.whz.is_none());
    let edge = anthro::compute(&measurement(Sex::Male, 10.0, 2.5, 45.0, Position::Lying));
    assert!(edge.whz.is_some());
    // 64.9 cm standing after two years is below the height table: no fall-back to length.
    let tiny = anthro::compute(&measurement(
        Sex::Male,
        800.0,
        6.0,
        64.9,
        Position::Standing,
    ));
    assert!(tiny.whz.is_none());
}

#[test]
fn converted_length_uses_the_exact_table_row() {
    // 103.1 cm lying at >= 731 days is 102.4 cm: the 102.4 row itself, not an
    // interpolation between 102.3 and 102.5 as R's double arithmetic does.
    let converted = anthro::compute(&measurement(
        Sex::Female,
        1500.0,
        16.0,
        103.1,
        Position::Lying,
    ));
    let direct = anthro::compute(&measurement(
        Sex::Female,
        1500.0,
        16.0,
        102.4,
        Position::Standing,
    ));
    assert_eq!(converted.whz, direct.whz);
}

#[test]
fn flags_are_decided_on_the_rounded_value() {
    let a = anthro::compute(&measurement(Sex::Male, 2.0, 3.11, 35.0, Position::Lying));
    let haz = a.haz.clone().expect("haz");
    assert_eq!(haz.text, "-8.03");
    assert!(haz.flagged);
    assert!(a.needs_remeasure());
    assert_eq!(a.stunting().map(|s| s.code()), Some("severely_stunted"));
}

#[test]
fn batch_reports_bad_rows_and_still_computes_the_rest() {
    let input = "id,sex,age_days,weight_kg,length_cm,measured,note\n\
                 1,X,365,7.0,64.0,lying,a\n\
                 2,F,365,heavy,64.0,lying,b\n\
                 3,F,-4,7.0,64.0,lying,c\n\
                 4,F,365,7.0,64.0,lying,\"note, with comma and \"\"quotes\"\"\"\n";
    let mut output = Vec::new();
    let summary = batch::run(input.as_bytes(), &mut output).expect("batch");
    assert_eq!(summary, batch::BatchSummary { rows: 4, errors: 3 });
    let output = String::from_utf8(output).expect("utf8");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines[0],
        "id,sex,age_days,weight_kg,length_cm,measured,note,haz,waz,whz,baz,flag_haz,flag_waz,flag_whz,flag_baz,stunting,underweight,wasting,error"
    );
    assert!(
        lines[1].ends_with(",,,,,,,,,,,\"sex: expected M or F, got \"\"X\"\"\""),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("weight_kg: not a number"), "{}", lines[2]);
    assert!(
        lines[3].contains("age_days: must be 0 or more"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4],
        "4,F,365,7.0,64.0,lying,\"note, with comma and \"\"quotes\"\"\",-3.89,-2.05,0.24,0.49,0,0,0,0,severely_stunted,underweight,normal,"
    );
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
