//! SD lines for the growth charts the app draws (length/height-for-age, weight-for-age).
//!
//! The lines are sampled from the same day tables that the z-scores use, at each whole month
//! (day = month × 30.4375, rounded half up). This adds no bytes to the app, and a child whose
//! z-score is exactly −2 sits exactly on the −2 line. WHO's printed monthly tables are taken at
//! the exact month age instead of the whole day, and they differ from these values by less
//! than 0.1 cm or 0.03 kg, which cannot be seen at chart scale.

use super::Sex;
use super::tables::Table;
use super::zscore::{DAYS_PER_MONTH, table_day};

/// The SD levels of a growth chart, in the order of the values in [`SdPoint`].
pub const SD_LEVELS: [f64; 5] = [-3.0, -2.0, 0.0, 2.0, 3.0];

/// Months covered by the charts (0–60 months).
pub const LAST_MONTH: u32 = 60;

/// Last day of the "length" period; the length-for-age line steps down 0.7 cm after it.
const LAST_LENGTH_DAY: u32 = 730;

/// One point of the SD lines: (age in months, values at −3, −2, 0, +2 and +3 SD).
pub type SdPoint = (f64, [f64; 5]);

/// Which growth chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    /// Length/height-for-age, in cm (PB/U, TB/U).
    LengthForAge,
    /// Weight-for-age, in kg (BB/U).
    WeightForAge,
}

impl Indicator {
    fn table(self) -> Table {
        match self {
            Self::LengthForAge => Table::LengthForAge,
            Self::WeightForAge => Table::WeightForAge,
        }
    }
}

/// The SD lines of a chart from 0 to 60 months, in order of age.
///
/// The age of each point is the age of the table row it was taken from (day / 30.4375), so it
/// is a few hundredths off the whole month; plot the child's points the same way
/// (`age_days / 30.4375`). Length-for-age has one extra point at day 730 (23.98 months), the
/// last day measured lying, so the line shows WHO's 0.7 cm step down to standing height at 24
/// months instead of a slope.
pub fn sd_lines(indicator: Indicator, sex: Sex) -> Vec<SdPoint> {
    let table = indicator.table();
    sample_days(indicator)
        .into_iter()
        .filter_map(|day| {
            let lms = table.row(sex, day)?;
            Some((
                f64::from(day) / DAYS_PER_MONTH,
                SD_LEVELS.map(|k| lms.at_sd(k)),
            ))
        })
        .collect()
}

/// The whole-month days, plus the last lying day for length-for-age.
fn sample_days(indicator: Indicator) -> Vec<u32> {
    let mut days: Vec<u32> = (0..=LAST_MONTH)
        .map(|month| table_day(f64::from(month) * DAYS_PER_MONTH))
        .collect();
    if indicator == Indicator::LengthForAge {
        let at = days.partition_point(|&day| day < LAST_LENGTH_DAY);
        days.insert(at, LAST_LENGTH_DAY);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_for_age_has_one_point_per_month() {
        let lines = sd_lines(Indicator::WeightForAge, Sex::Female);
        assert_eq!(lines.len(), 61);
        assert_eq!(lines[0].0, 0.0);
        assert!((lines[60].0 - 60.0).abs() < 0.02, "{}", lines[60].0);
        // Birth weight median of girls, WHO: 3.2322 kg.
        assert_eq!(lines[0].1[2], 3.2322);
    }

    #[test]
    fn length_for_age_steps_down_at_two_years() {
        let lines = sd_lines(Indicator::LengthForAge, Sex::Male);
        assert_eq!(lines.len(), 62);
        let lying = lines
            .iter()
            .find(|(months, _)| (*months - 730.0 / DAYS_PER_MONTH).abs() < 1e-9);
        let standing = lines
            .iter()
            .find(|(months, _)| (*months - 731.0 / DAYS_PER_MONTH).abs() < 1e-9);
        let (lying, standing) = (lying.expect("day 730"), standing.expect("day 731"));
        let step = lying.1[2] - standing.1[2];
        assert!((0.6..0.8).contains(&step), "step {step}");
    }

    #[test]
    fn points_are_in_age_order_and_lines_do_not_cross() {
        for indicator in [Indicator::LengthForAge, Indicator::WeightForAge] {
            for sex in [Sex::Male, Sex::Female] {
                let lines = sd_lines(indicator, sex);
                assert!(lines.windows(2).all(|pair| pair[0].0 < pair[1].0));
                assert!(
                    lines
                        .iter()
                        .all(|(_, sd)| sd.windows(2).all(|w| w[0] < w[1]))
                );
            }
        }
    }

    #[test]
    fn matches_the_printed_who_table_to_chart_precision() {
        // WHO length-for-age, boys, 12 months: -2 SD 71.0 cm, median 75.7 cm, +2 SD 80.5 cm.
        let lines = sd_lines(Indicator::LengthForAge, Sex::Male);
        let (_, sd) = lines[12];
        for (value, printed) in [(sd[1], 71.0), (sd[2], 75.7), (sd[3], 80.5)] {
            assert!((value - printed).abs() < 0.06, "{value} vs {printed}");
        }
    }
}
