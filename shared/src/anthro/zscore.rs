//! The z-score computation of WHO `anthro` 1.1.0.

use super::tables::{Lms, Table};
use super::{Anthro, Measurement, Position, ZScore};

/// Days in a month, as WHO counts them.
pub(super) const DAYS_PER_MONTH: f64 = 30.4375;
/// Z-scores stop at 60 months, judged on the unrounded age (1826.25 days).
const MONTHS_LIMIT: f64 = 60.0;
/// First day of the "height" period of the tables.
const HEIGHT_FROM_DAY: u32 = 731;
/// 0.7 cm in the exact length unit below.
const CONVERSION: i64 = 700;
/// Lengths are handled as integers of 1/1000 cm (0.01 mm), so the 0.7 cm conversion and the
/// bracketing between 0.1 cm table rows are exact, unlike with `x - 0.7` in doubles.
const UNITS_PER_CM: f64 = 1000.0;
const UNITS_PER_ROW: i64 = 100;

/// Computes HAZ, WAZ, WHZ and BAZ for one measurement.
pub fn compute(m: &Measurement) -> Anthro {
    let weight = m.weight_kg.filter(|w| w.is_finite() && *w > 0.0);
    let length = m
        .length_cm
        .filter(|l| l.is_finite() && *l > 0.0)
        .map(|l| (l * UNITS_PER_CM).round() as i64);
    let Some(age) = m.age_days.filter(|a| a.is_finite() && *a >= 0.0) else {
        return Anthro {
            whz: whz_without_age(m, weight, length),
            ..Anthro::default()
        };
    };
    // WHO checks the limit on the unrounded age: 1826.3 days rounds to the table's last row
    // (1826) but is already past 60 months, so it gets no z-score.
    if age / DAYS_PER_MONTH >= MONTHS_LIMIT {
        return Anthro::default();
    }
    let day = table_day(age);
    let position = effective_position(m.position, age);
    let length_used = length.map(|units| convert(units, day, position));
    let weight_indices = weight.filter(|_| !m.oedema);
    Anthro {
        haz: length_used.and_then(|l| haz(m, day, l)),
        waz: weight_indices.and_then(|w| waz(m, day, w)),
        whz: weight_indices.zip(length_used).and_then(|(w, l)| {
            let table = if day < HEIGHT_FROM_DAY {
                Table::WeightForLength
            } else {
                Table::WeightForHeight
            };
            whz(m, table, w, l)
        }),
        baz: weight_indices
            .zip(length_used)
            .and_then(|(w, l)| baz(m, day, w, l)),
    }
}

/// The table row of an age: days rounded half up (x.5 goes up).
pub(super) fn table_day(age_days: f64) -> u32 {
    (age_days + 0.5).floor() as u32
}

/// Standing under 9 months is treated as unknown (WHO's `c9mo` rule): no conversion.
fn effective_position(position: Position, age_days: f64) -> Position {
    if position == Position::Standing && age_days / DAYS_PER_MONTH < 9.0 {
        Position::Unknown
    } else {
        position
    }
}

/// Standing before day 731 adds 0.7 cm; lying from day 731 subtracts it.
fn convert(units: i64, day: u32, position: Position) -> i64 {
    match position {
        Position::Standing if day < HEIGHT_FROM_DAY => units + CONVERSION,
        Position::Lying if day >= HEIGHT_FROM_DAY => units - CONVERSION,
        _ => units,
    }
}

fn haz(m: &Measurement, day: u32, length: i64) -> Option<ZScore> {
    let lms = Table::LengthForAge.row(m.sex, day)?;
    let z = lms_z(cm(length), lms);
    Some(rounded(z, |c| c.abs() > 600))
}

fn waz(m: &Measurement, day: u32, weight: f64) -> Option<ZScore> {
    let lms = Table::WeightForAge.row(m.sex, day)?;
    Some(rounded(restricted_z(weight, lms), |c| {
        !(-600..=500).contains(&c)
    }))
}

fn whz(m: &Measurement, table: Table, weight: f64, length: i64) -> Option<ZScore> {
    let lms = interpolated(table, m, length)?;
    Some(rounded(restricted_z(weight, lms), |c| c.abs() > 500))
}

fn baz(m: &Measurement, day: u32, weight: f64, length: i64) -> Option<ZScore> {
    let lms = Table::BmiForAge.row(m.sex, day)?;
    let metres = cm(length) / 100.0;
    Some(rounded(
        restricted_z(weight / (metres * metres), lms),
        |c| c.abs() > 500,
    ))
}

/// Without an age only WHZ exists; the table follows the position, or the length when the
/// position is unknown.
fn whz_without_age(m: &Measurement, weight: Option<f64>, length: Option<i64>) -> Option<ZScore> {
    let (weight, length) = (weight?, length?);
    if m.oedema {
        return None;
    }
    let table = match m.position {
        Position::Lying => Table::WeightForLength,
        Position::Standing => Table::WeightForHeight,
        Position::Unknown if length < 87 * 1000 => Table::WeightForLength,
        Position::Unknown => Table::WeightForHeight,
    };
    whz(m, table, weight, length)
}

/// L, M and S at `length`, interpolated between the 0.1 cm rows around it. Outside the
/// table's range there is no value (never a fall-back to the other table).
fn interpolated(table: Table, m: &Measurement, length: i64) -> Option<Lms> {
    let row = u32::try_from(length.div_euclid(UNITS_PER_ROW)).ok()?;
    let rest = length.rem_euclid(UNITS_PER_ROW);
    let low = table.row(m.sex, row)?;
    if rest == 0 {
        return Some(low);
    }
    let high = table.row(m.sex, row + 1)?;
    let f = rest as f64 / UNITS_PER_ROW as f64;
    Some(Lms {
        l: low.l + f * (high.l - low.l),
        m: low.m + f * (high.m - low.m),
        s: low.s + f * (high.s - low.s),
    })
}

fn cm(units: i64) -> f64 {
    units as f64 / UNITS_PER_CM
}

/// z = ((y/M)^L − 1) / (L·S).
fn lms_z(y: f64, lms: Lms) -> f64 {
    ((y / lms.m).powf(lms.l) - 1.0) / (lms.l * lms.s)
}

/// Beyond ±3 SD, distance is measured in units of the gap between the 2 and 3 SD lines.
fn restricted_z(y: f64, lms: Lms) -> f64 {
    let z = lms_z(y, lms);
    if z > 3.0 {
        let (sd2, sd3) = (lms.at_sd(2.0), lms.at_sd(3.0));
        3.0 + (y - sd3) / (sd3 - sd2)
    } else if z < -3.0 {
        let (sd2, sd3) = (lms.at_sd(-2.0), lms.at_sd(-3.0));
        -3.0 + (y - sd3) / (sd2 - sd3)
    } else {
        z
    }
}

/// Rounds once to two decimals as WHO prints it; the flag is decided on the rounded value.
fn rounded(z: f64, implausible: impl Fn(i32) -> bool) -> ZScore {
    // A value that rounds to zero from below is zero: WHO's anthro writes `0.00`, never
    // `-0.00` (data/who-growth README §3.8).
    let text = match format!("{z:.2}") {
        text if text == "-0.00" => "0.00".to_owned(),
        text => text,
    };
    let centi = centi_of(&text);
    ZScore {
        flagged: implausible(centi),
        text,
        centi,
    }
}

/// `-2.05` → −205, read from the printed text so categories use exactly what is shown.
fn centi_of(text: &str) -> i32 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let magnitude: i32 = digits.parse().unwrap_or(i32::MAX);
    if negative { -magnitude } else { magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn haz_flag(centi: i32) -> bool {
        centi.abs() > 600
    }

    #[test]
    fn rounds_once_so_values_just_short_of_a_tie_round_down() {
        // Rounding to 4 decimals first would turn -2.0049996 into -2.0050 and then -2.01.
        assert_eq!(rounded(-2.004_999_6, haz_flag).text, "-2.00");
        assert_eq!(rounded(-2.005_000_4, haz_flag).text, "-2.01");
        assert_eq!(rounded(-0.894_999_2, haz_flag).text, "-0.89");
    }

    #[test]
    fn flags_use_the_rounded_value() {
        let just_inside = rounded(-6.000_8, haz_flag);
        assert_eq!(
            (just_inside.text.as_str(), just_inside.centi),
            ("-6.00", -600)
        );
        assert!(!just_inside.flagged);
        let just_outside = rounded(-6.005_01, haz_flag);
        assert_eq!(
            (just_outside.text.as_str(), just_outside.flagged),
            ("-6.01", true)
        );
    }

    #[test]
    fn a_value_that_rounds_to_zero_from_below_is_written_as_zero() {
        let z = rounded(-0.001, haz_flag);
        assert_eq!((z.text.as_str(), z.centi), ("0.00", 0));
        assert_eq!(rounded(-0.005, haz_flag).text, "-0.01");
    }

    #[test]
    fn table_day_rounds_half_up() {
        assert_eq!(table_day(730.49), 730);
        assert_eq!(table_day(730.5), 731);
        assert_eq!(table_day(0.0), 0);
    }
}
