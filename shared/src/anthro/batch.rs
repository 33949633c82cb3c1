//! Batch mode for nutrition officers: a CSV of measurements in, the same CSV with z-scores,
//! flags and categories out, computed by exactly the code the phone uses.
//!
//! Input columns `sex,age_days,weight_kg,length_cm,measured` (any order, optional `oedema`);
//! every other column passes through unchanged. Output columns that already exist (e.g. when
//! a previous output is fed back in) are overwritten in place instead of being added twice, so
//! running a file through twice gives the same file.
//!
//! A row that cannot be read keeps its computed columns empty and gets the reason in an
//! `error` column (e.g. `sex: expected M or F, got "X"`); the other rows are still computed.
//! The `error` column is appended last, and only when some row needs it (or the input already
//! has one, whose stale messages are then replaced): a clean file comes back with exactly the
//! eleven computed columns added.
//!
//! CSV dialect: comma separated, fields with commas, quotes or line breaks in double quotes,
//! `""` for a quote inside them. The line ending (`\n` or `\r\n`) and a leading UTF-8 byte
//! order mark (spreadsheet exports) are kept; blank lines are skipped.

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
    let (bom, text) = match text.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", text.as_str()),
    };
    // Keep the file's own line ending, so a spreadsheet export round-trips unchanged.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut records = parse_csv(text);
    records.retain(|record| !is_blank(record));
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
    output.write_all(bom.as_bytes())?;
    write_record(&mut output, &header, newline)?;
    for (row, result) in rows.iter().zip(&results) {
        let mut row = row.clone();
        // A too-long row is an error row; its surplus fields cannot be placed under a header.
        row.truncate(columns.width);
        row.resize(header.len(), String::new());
        fill_row(&mut row, result, &output_at, error_at);
        write_record(&mut output, &row, newline)?;
    }
    output.flush()?;
    Ok(BatchSummary {
        rows: rows.len(),
        errors,
    })
}

/// Puts the computed values (empty for an error row) and the error message into place.
fn fill_row(
    row: &mut [String],
    result: &Result<Anthro, String>,
    output_at: &[usize],
    error_at: Option<usize>,
) {
    let values = match result {
        Ok(anthro) => output_values(anthro),
        Err(_) => vec![String::new(); OUTPUT_COLUMNS.len()],
    };
    for (&at, value) in output_at.iter().zip(values) {
        row[at] = value;
    }
    if let Some(at) = error_at {
        row[at] = result.as_ref().err().cloned().unwrap_or_default();
    }
}

/// UTF-8 byte order mark, which spreadsheet programs put before the header.
const BOM: &str = "\u{feff}";

/// A blank line reads as one empty field; it is no data row.
fn is_blank(record: &[String]) -> bool {
    matches!(record, [only] if only.trim().is_empty())
}

/// Positions of the input columns.
struct Columns {
    /// Number of columns of the input header.
    width: usize,
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
            width: header.len(),
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
        if row.len() > self.width {
            // Usually an unquoted comma, e.g. a decimal comma; guessing would shift columns.
            return Err(format!(
                "row has {} fields but the header has {}: quote values that contain a comma",
                row.len(),
                self.width
            ));
        }
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

/// `M`/`F` (also lower case, and WHO's codes 1/2); without a sex no z-score exists.
fn parse_sex(text: &str) -> Result<Sex, String> {
    match text {
        "M" | "m" | "1" => Ok(Sex::Male),
        "F" | "f" | "2" => Ok(Sex::Female),
        "" => Err("sex: missing, expected M or F".to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(records: &[Vec<String>], newline: &str) -> String {
        let mut bytes = Vec::new();
        for record in records {
            write_record(&mut bytes, record, newline).expect("write");
        }
        String::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn quoted_fields_round_trip() {
        let text = "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",\n\"\",x,,\"\"\"\",y\n";
        let records = parse_csv(text);
        assert_eq!(records[0][1], "with, comma");
        assert_eq!(records[0][2], "say \"hi\"");
        assert_eq!(records[0][3], "two\nlines");
        assert_eq!(records[1][3], "\"");
        // Only `""` (an empty quoted field) loses its quotes: it means the same as nothing.
        assert_eq!(written(&records, "\n"), text.replacen("\n\"\",", "\n,", 1));
    }

    #[test]
    fn last_line_without_newline_and_crlf_are_read() {
        assert_eq!(
            parse_csv("a,b\r\nc,d"),
            vec![vec!["a", "b"], vec!["c", "d"]]
        );
        assert_eq!(parse_csv("a,\n"), vec![vec!["a", ""]]);
    }

    #[test]
    fn blank_lines_are_not_rows() {
        assert!(is_blank(&[String::new()]));
        assert!(!is_blank(&[String::new(), String::new()]));
    }
}
