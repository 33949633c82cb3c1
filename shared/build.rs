//! Packs the WHO LMS tables into a compact binary for the app (see `src/anthro/tables.rs`).
//!
//! Every L, M and S is an exact decimal with at most 4 (L, M) or 5 (S) places, so it is
//! stored as an integer in those units; rows change slowly, so each value is written as a
//! zig-zag varint of its difference from the row before. Dividing the integer by the power
//! of ten at run time gives the same double as parsing the decimal text (IEEE division is
//! correctly rounded), so nothing changes in the z-scores.

use std::env;
use std::fs;
use std::path::Path;

const TABLES: [&str; 5] = ["lhfa", "wfa", "bfa", "wfl", "wfh"];

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    for table in TABLES {
        let source = format!("data/who-growth/{table}.csv");
        println!("cargo::rerun-if-changed={source}");
        let csv = fs::read_to_string(&source).expect("WHO table");
        fs::write(Path::new(&out).join(format!("{table}.bin")), pack(&csv)).expect("write table");
    }
}

fn pack(csv: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for sex in ["M", "F"] {
        let rows: Vec<(i64, [i64; 3])> = csv
            .lines()
            .skip(1)
            .filter(|line| line.starts_with(sex) && line.as_bytes().get(1) == Some(&b','))
            .map(row)
            .collect();
        write_varint(&mut bytes, rows.len() as u64);
        write_varint(&mut bytes, rows[0].0 as u64);
        let mut previous = [0_i64; 3];
        for (index, (key, values)) in rows.iter().enumerate() {
            assert_eq!(*key, rows[0].0 + index as i64, "keys must be contiguous");
            for column in 0..3 {
                write_varint(&mut bytes, zigzag(values[column] - previous[column]));
            }
            previous = *values;
        }
    }
    bytes
}

fn row(line: &str) -> (i64, [i64; 3]) {
    let fields: Vec<&str> = line.split(',').collect();
    // Ages are whole days; lengths have one decimal and are kept in tenths of a cm.
    let key = scaled(fields[1], usize::from(fields[1].contains('.')));
    (
        key,
        [
            scaled(fields[2], 4),
            scaled(fields[3], 4),
            scaled(fields[4], 5),
        ],
    )
}

/// `"-0.3521"` at 4 places → -3521; `"45.0"` at 1 place → 450.
fn scaled(text: &str, places: usize) -> i64 {
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches('-');
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(
        fraction.len() <= places,
        "{text} has more than {places} decimals"
    );
    let padded = format!("{whole}{fraction:0<places$}");
    let value: i64 = padded.parse().expect("number");
    if negative { -value } else { value }
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn write_varint(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}
