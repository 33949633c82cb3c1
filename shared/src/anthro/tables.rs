//! The WHO 2006 LMS tables, compiled into the binary and parsed once on first use.
//!
//! Size: the five CSV files add about 117 KB gzipped to the wasm bundle (lhfa 28 KB,
//! wfa 36 KB, bfa 34 KB, wfl 10 KB, wfh 9 KB, measured with `gzip -9`). Compiling them in keeps
//! the z-score available offline from the first load with no second cache to manage; a
//! compact encoding is the next step if the first-load budget gets tight.

use std::sync::OnceLock;

use super::Sex;

/// One row of an LMS table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lms {
    /// Box-Cox power.
    pub l: f64,
    /// Median.
    pub m: f64,
    /// Coefficient of variation.
    pub s: f64,
}

/// The tables a z-score can be computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Length/height-for-age, by age in days (0-1826).
    LengthForAge,
    /// Weight-for-age, by age in days.
    WeightForAge,
    /// BMI-for-age, by age in days.
    BmiForAge,
    /// Weight-for-length, by length in tenths of a cm (450-1100).
    WeightForLength,
    /// Weight-for-height, by height in tenths of a cm (650-1200).
    WeightForHeight,
}

/// Rows of one table for one sex, indexed from `first_key`.
#[derive(Debug)]
struct Series {
    first_key: u32,
    rows: Vec<Lms>,
}

impl Series {
    fn get(&self, key: u32) -> Option<Lms> {
        let index = key.checked_sub(self.first_key)?;
        self.rows.get(usize::try_from(index).ok()?).copied()
    }
}

/// Both sexes of one table.
#[derive(Debug)]
struct Parsed {
    male: Series,
    female: Series,
}

impl Table {
    /// The row for `key` (age in days, or length in tenths of a cm), if the table has it.
    pub fn row(self, sex: Sex, key: u32) -> Option<Lms> {
        let parsed = self.parsed();
        match sex {
            Sex::Male => parsed.male.get(key),
            Sex::Female => parsed.female.get(key),
        }
    }

    fn parsed(self) -> &'static Parsed {
        static LHFA: OnceLock<Parsed> = OnceLock::new();
        static WFA: OnceLock<Parsed> = OnceLock::new();
        static BFA: OnceLock<Parsed> = OnceLock::new();
        static WFL: OnceLock<Parsed> = OnceLock::new();
        static WFH: OnceLock<Parsed> = OnceLock::new();
        let (cell, csv, key_in_tenths) = match self {
            Self::LengthForAge => (&LHFA, include_str!("../../data/who-growth/lhfa.csv"), false),
            Self::WeightForAge => (&WFA, include_str!("../../data/who-growth/wfa.csv"), false),
            Self::BmiForAge => (&BFA, include_str!("../../data/who-growth/bfa.csv"), false),
            Self::WeightForLength => (&WFL, include_str!("../../data/who-growth/wfl.csv"), true),
            Self::WeightForHeight => (&WFH, include_str!("../../data/who-growth/wfh.csv"), true),
        };
        cell.get_or_init(|| parse(csv, key_in_tenths))
    }
}

/// Parses `sex,key,L,M,S[,position]` rows. The files are part of the build, so a malformed
/// row is a build defect caught by the tests, not a runtime condition.
fn parse(csv: &str, key_in_tenths: bool) -> Parsed {
    let mut male = Series {
        first_key: u32::MAX,
        rows: Vec::new(),
    };
    let mut female = Series {
        first_key: u32::MAX,
        rows: Vec::new(),
    };
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (Some(sex), Some(key), Some(l), Some(m), Some(s)) = (
            fields.first(),
            fields.get(1).and_then(|k| parse_key(k, key_in_tenths)),
            fields.get(2).and_then(|v| v.parse().ok()),
            fields.get(3).and_then(|v| v.parse().ok()),
            fields.get(4).and_then(|v| v.parse().ok()),
        ) else {
            continue;
        };
        let series = if *sex == "M" { &mut male } else { &mut female };
        if series.rows.is_empty() {
            series.first_key = key;
        }
        series.rows.push(Lms { l, m, s });
    }
    Parsed { male, female }
}

/// Keys are whole days, or lengths like `45.0` read exactly as tenths of a cm.
fn parse_key(text: &str, in_tenths: bool) -> Option<u32> {
    if !in_tenths {
        return text.parse().ok();
    }
    let (whole, tenth) = text.split_once('.')?;
    Some(whole.parse::<u32>().ok()? * 10 + tenth.parse::<u32>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete() {
        for sex in [Sex::Male, Sex::Female] {
            assert!(Table::LengthForAge.row(sex, 0).is_some());
            assert!(Table::LengthForAge.row(sex, 1826).is_some());
            assert!(Table::LengthForAge.row(sex, 1827).is_none());
            assert!(Table::WeightForLength.row(sex, 450).is_some());
            assert!(Table::WeightForLength.row(sex, 1100).is_some());
            assert!(Table::WeightForLength.row(sex, 1101).is_none());
            assert!(Table::WeightForHeight.row(sex, 650).is_some());
            assert!(Table::WeightForHeight.row(sex, 1200).is_some());
        }
        let row = Table::LengthForAge.row(Sex::Female, 1000).expect("row");
        assert_eq!((row.m, row.s), (92.8178, 0.03949));
    }
}
