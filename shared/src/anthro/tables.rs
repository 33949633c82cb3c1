//! The WHO 2006 LMS tables, compiled into the binary and decoded once on first use.
//!
//! `build.rs` packs the CSV files as delta-coded integers (see there for why that is exact),
//! which is what the wasm module carries: about 14 KB gzipped instead of 117 KB for the CSV
//! text. The measurement and the reasoning are in the module documentation of `anthro`.

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

impl Lms {
    /// The measurement value at `k` SD: M·(1 + L·S·k)^(1/L).
    pub fn at_sd(self, k: f64) -> f64 {
        self.m * (1.0 + self.l * self.s * k).powf(1.0 / self.l)
    }
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
        let (cell, packed): (_, &[u8]) = match self {
            Self::LengthForAge => (&LHFA, include_bytes!(concat!(env!("OUT_DIR"), "/lhfa.bin"))),
            Self::WeightForAge => (&WFA, include_bytes!(concat!(env!("OUT_DIR"), "/wfa.bin"))),
            Self::BmiForAge => (&BFA, include_bytes!(concat!(env!("OUT_DIR"), "/bfa.bin"))),
            Self::WeightForLength => (&WFL, include_bytes!(concat!(env!("OUT_DIR"), "/wfl.bin"))),
            Self::WeightForHeight => (&WFH, include_bytes!(concat!(env!("OUT_DIR"), "/wfh.bin"))),
        };
        cell.get_or_init(|| unpack(packed))
    }
}

/// Decodes what `build.rs` packed: per sex, the row count, the first key, then zig-zag
/// varint deltas of L (1/10,000), M (1/10,000) and S (1/100,000).
fn unpack(mut bytes: &[u8]) -> Parsed {
    let mut series = || {
        let rows = read_varint(&mut bytes) as usize;
        let first_key = read_varint(&mut bytes) as u32;
        let mut values = [0_i64; 3];
        let rows = (0..rows)
            .map(|_| {
                for value in &mut values {
                    *value += unzigzag(read_varint(&mut bytes));
                }
                Lms {
                    l: values[0] as f64 / 10_000.0,
                    m: values[1] as f64 / 10_000.0,
                    s: values[2] as f64 / 100_000.0,
                }
            })
            .collect();
        Series { first_key, rows }
    };
    let male = series();
    let female = series();
    Parsed { male, female }
}

fn read_varint(bytes: &mut &[u8]) -> u64 {
    let mut value = 0_u64;
    let mut shift = 0;
    while let Some((&byte, rest)) = bytes.split_first() {
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
        shift += 7;
    }
    value
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
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

    /// Every packed value decodes to exactly the double that parsing the CSV text gives.
    #[test]
    fn packed_tables_equal_the_csv_files() {
        let sources = [
            (
                Table::LengthForAge,
                include_str!("../../data/who-growth/lhfa.csv"),
            ),
            (
                Table::WeightForAge,
                include_str!("../../data/who-growth/wfa.csv"),
            ),
            (
                Table::BmiForAge,
                include_str!("../../data/who-growth/bfa.csv"),
            ),
            (
                Table::WeightForLength,
                include_str!("../../data/who-growth/wfl.csv"),
            ),
            (
                Table::WeightForHeight,
                include_str!("../../data/who-growth/wfh.csv"),
            ),
        ];
        for (table, csv) in sources {
            let mut rows = 0;
            for line in csv.lines().skip(1) {
                let fields: Vec<&str> = line.split(',').collect();
                let sex = if fields[0] == "M" {
                    Sex::Male
                } else {
                    Sex::Female
                };
                // Lengths have one decimal: the key is in tenths of a cm.
                let key: u32 = fields[1].replace('.', "").parse().expect("key");
                let number = |at: usize| fields[at].parse::<f64>().expect("number");
                let expected = Lms {
                    l: number(2),
                    m: number(3),
                    s: number(4),
                };
                assert_eq!(table.row(sex, key), Some(expected), "{table:?} {line}");
                rows += 1;
            }
            assert!(rows > 1000, "{table:?}: {rows} rows");
        }
    }
}
