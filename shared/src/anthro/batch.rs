//! Batch mode for nutrition officers: a CSV of measurements in, the same CSV with z-scores,
//! flags and categories out, computed by exactly the code the phone uses.
//!
//! Input columns `sex,age_days,weight_kg,length_cm,measured` (any order, optional `oedema`);
//! every other column passes through unchanged. Output columns that already exist (e.g. when
//! a previous output is fed back in) are overwritten in place instead of being added twice.
//! A row that cannot be read keeps its computed columns empty and gets the reason in an
//! `error` column, which is added only when some row needs it.

use std::io::{self, BufRead, Write};

use super::{Anthro, Measurement, Position, Sex, ZScore, compute};

/// Columns the batch appends, in this order.
pub const OUTPUT_COLUMNS: [&str; 11] = [
    "haz",
    "waz",
    "whz",
    "baz",
    "flag_haz",
    "flag_waz",
    "flag_whz",
    "flag_baz",
    "stunting",
    "underweight",
    "wasting",
];

/// What a batch run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Data rows read.
    pub rows: usize,
    /// Rows that could not be read (they carry an `error`).
    pub errors: usize,
}

/// Reads a CSV from `input` and writes the completed CSV to `output`.
pub fn run(mut input: impl BufRead, mut output: impl Write) -> io::Result<BatchSummary> {
    let mut text = String::new();
    input.read_to_string(&mut text)?;
    // Keep the file's own line ending, so a spreadsheet export round-trips unchanged.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let records = parse_csv(&text);
    let Some((header, rows)) = records.split_first() else {
        return Ok(BatchSummary::default());
    };
    let columns =
        Columns::locate(header).map_err(|msg| io::Error::new(io::ErrorKind::InvalidData, msg))?;
    let mut header = header.clone();
    let output_at = columns.output_positions(&mut header);
    let results: Vec<Result<Anthro, String>> = rows
        .iter()
        .map(|row| columns.measurement(row).map(|m| compute(&m)))
        .collect();
    let errors = results.iter().filter(|r| r.is_err()).count();
    let error_at = error_column(&mut header, errors > 0);
    write_record(&mut output, &header, newline)?;
    for (row, result) in rows.iter().zip(&results) {
        let mut row = row.clone();
        row.resize(header.len(), String::new());
        let values = result
            .as_ref()
            .map(output_values)
            .unwrap_or_else(|_| vec![String::new(); OUTPUT_COLUMNS.len()]);
        for (at, value) in output_at.iter().zip(values) {
            row[*at] = value;
        }
        if let Some(at) = error_at {
            row[at] = result.as_ref().err().cloned().unwrap_or_default();
        }
        write_record(&mut output, &row, newline)?;
    }
    output.flush()?;
    Ok(BatchSummary {
        rows: rows.len(),
        errors,
    })
}

/// Positions of the input columns.
struct Columns {
    sex: usize,
    age: usize,
    weight: usize,
    length: usize,
    measured: usize,
    oedema: Option<usize>,
}

impl Columns {
    fn locate(header: &[String]) -> Result<Self, String> {
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let need = |name: &str| find(name).ok_or_else(|| format!("missing column {name}"));
        Ok(Self {
            sex: need("sex")?,
            age: need("age_days")?,
            weight: need("weight_kg")?,
            length: need("length_cm")?,
            measured: need("measured")?,
            oedema: find("oedema"),
        })
    }

    /// Where each output column goes: its existing position, or a new one at the end.
    fn output_positions(&self, header: &mut Vec<String>) -> Vec<usize> {
        OUTPUT_COLUMNS
            .iter()
            .map(|name| {
                header.iter().position(|h| h == name).unwrap_or_else(|| {
                    header.push((*name).to_owned());
                    header.len() - 1
                })
            })
            .collect()
    }

    fn measurement(&self, row: &[String]) -> Result<Measurement, String> {
        let cell = |at: usize| row.get(at).map_or("", |v| v.trim());
        Ok(Measurement {
            sex: parse_sex(cell(self.sex))?,
            age_days: parse_number("age_days", cell(self.age), true)?,
            weight_kg: parse_number("weight_kg", cell(self.weight), false)?,
            length_cm: parse_number("length_cm", cell(self.length), false)?,
            position: parse_position(cell(self.measured))?,
            oedema: match self.oedema.map(cell) {
                None | Some("" | "n" | "N") => false,
                Some("y" | "Y") => true,
                Some(other) => return Err(format!("oedema: expected y or n, got {other:?}")),
            },
        })
    }
}

fn error_column(header: &mut Vec<String>, needed: bool) -> Option<usize> {
    if let Some(at) = header.iter().position(|h| h == "error") {
        return Some(at);
    }
    needed.then(|| {
        header.push("error".to_owned());
        header.len() - 1
    })
}

fn parse_sex(text: &str) -> Result<Sex, String> {
    match text {
        "M" | "m" | "1" => Ok(Sex::Male),
        "F" | "f" | "2" => Ok(Sex::Female),
        other => Err(format!("sex: expected M or F, got {other:?}")),
    }
}

fn parse_position(text: &str) -> Result<Position, String> {
    match text.to_ascii_lowercase().as_str() {
        "lying" | "l" => Ok(Position::Lying),
        "standing" | "h" => Ok(Position::Standing),
        "" => Ok(Position::Unknown),
        _ => Err(format!(
            "measured: expected lying, standing or empty, got {text:?}"
        )),
    }
}

/// Empty means missing; anything else must be a finite number (> 0, or ≥ 0 for an age).
fn parse_number(column: &str, text: &str, zero_allowed: bool) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{column}: not a number: {text:?}"))?;
    let acceptable = value.is_finite() && (value > 0.0 || (zero_allowed && value == 0.0));
    if acceptable {
        Ok(Some(value))
    } else {
        let bound = if zero_allowed {
            "0 or more"
        } else {
            "more than 0"
        };
        Err(format!("{column}: must be {bound}, got {text}"))
    }
}

fn output_values(anthro: &Anthro) -> Vec<String> {
    let z = |score: &Option<ZScore>| score.as_ref().map(|z| z.text.clone()).unwrap_or_default();
    let flag = |score: &Option<ZScore>| {
        score
            .as_ref()
            .map(|z| if z.flagged { "1" } else { "0" }.to_owned())
            .unwrap_or_default()
    };
    vec![
        z(&anthro.haz),
        z(&anthro.waz),
        z(&anthro.whz),
        z(&anthro.baz),
        flag(&anthro.haz),
        flag(&anthro.waz),
        flag(&anthro.whz),
        flag(&anthro.baz),
        anthro
            .stunting()
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        anthro
            .underweight()
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        anthro
            .wasting()
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
    ]
}

/// Splits CSV text into records: commas separate fields, double quotes enclose fields that
/// contain commas, quotes or line breaks, and `""` inside quotes is one quote.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (other, _) => field.push(other),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Writes one CSV record, quoting only the fields that need it.
fn write_record(output: &mut impl Write, record: &[String], newline: &str) -> io::Result<()> {
    let line: Vec<String> = record
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.clone()
            }
        })
        .collect();
    write!(output, "{}{newline}", line.join(","))
}
