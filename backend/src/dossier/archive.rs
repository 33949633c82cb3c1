//! The evidence archive: every file the year's checklist items, contributions and
//! innovations name, each content once (by SHA-256) however many items name it, in folders
//! by action and item: `Aksi-1/a1.1-Peta-sebaran-stunting/sk-bupati.pdf`, an agency's part
//! one folder deeper, innovation photos under `Inovasi/`.
//!
//! The archive is planned first (pure, from the stored state) and then written entry by
//! entry, each file copied from the blob store through a small buffer, so its size does not
//! depend on memory. Files named but not (or no longer) on the server are listed in
//! `BELUM-TIBA.txt` rather than left out silently; `DAFTAR-ISI.txt` lists what is inside
//! and which other items name the same file.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use konvergen_shared::actions::{FileMeta, ItemPosition};
use time::OffsetDateTime;
use zip::result::ZipResult;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::blobs::BlobStore;
use crate::db::DistrictYear;

/// What is in the archive and where else each file is named.
pub const INDEX_NAME: &str = "DAFTAR-ISI.txt";
/// Files named whose content is not on the server.
pub const PENDING_NAME: &str = "BELUM-TIBA.txt";
/// Longest folder name taken from a label, agency or title.
const LABEL_CHARS: usize = 40;
/// Longest file name stem.
const NAME_CHARS: usize = 80;

/// One content of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it goes, e.g. `Aksi-1/a1.1-Peta-sebaran-stunting/sk.pdf` (unique, ignoring case).
    pub path: String,
    /// Its hash, lower case.
    pub sha256: String,
    /// Media type the record gives.
    pub media_type: String,
    /// Size the record gives, in bytes.
    pub size: u64,
    /// When the photo was taken or the file picked, if known.
    pub taken_at: Option<OffsetDateTime>,
    /// Whether the server holds the content.
    pub arrived: bool,
    /// The other places that name the same content (not written again).
    pub also_at: Vec<String>,
}

/// The archive's entries in order, each content once.
#[derive(Debug, Default)]
pub struct Plan {
    /// First line of the index, naming the regency and year.
    pub title: String,
    /// The entries, in catalogue order, then innovations.
    pub entries: Vec<Entry>,
    by_hash: HashMap<String, usize>,
    used: HashSet<String>,
}

/// The plan of `dossier`'s archive.
pub fn plan(dossier: &DistrictYear) -> Plan {
    let mut plan = Plan {
        title: format!(
            "Arsip bukti {} ({}) tahun {}",
            dossier.regency_name, dossier.regency_code, dossier.year
        ),
        ..Plan::default()
    };
    let present = &dossier.present;
    for position in dossier.catalogue.positions() {
        let folder = item_folder(position);
        if let Some(state) = dossier.checklist.item(&position.item.key) {
            plan.add_all(&folder, &state.files, present);
        }
        for part in dossier.contributions.iter() {
            if part.item_key == position.item.key {
                let folder = format!(
                    "{folder}/{}",
                    segment(&part.agency, LABEL_CHARS, "instansi")
                );
                plan.add_all(&folder, &part.files, present);
            }
        }
    }
    // Items a later catalogue dropped: their parts still belong in the archive.
    for part in &dossier.contributions {
        if dossier.catalogue.locate(&part.item_key).is_none() {
            let key = segment(&part.item_key, LABEL_CHARS, "butir");
            let agency = segment(&part.agency, LABEL_CHARS, "instansi");
            plan.add_all(&format!("Lainnya/{key}/{agency}"), &part.files, present);
        }
    }
    for idea in &dossier.innovations {
        let agency = segment(&idea.agency, LABEL_CHARS, "instansi");
        let title = segment(&idea.title, LABEL_CHARS, "inovasi");
        plan.add_all(&format!("Inovasi/{agency}-{title}"), &idea.photos, present);
    }
    plan
}

fn item_folder(position: ItemPosition<'_>) -> String {
    let key = segment(&position.item.key, LABEL_CHARS, "butir");
    let label = segment(&position.item.label_id, LABEL_CHARS, "bukti");
    format!("Aksi-{}/{key}-{label}", position.action.number)
}

impl Plan {
    fn add_all(&mut self, folder: &str, files: &[FileMeta], present: &HashSet<String>) {
        for file in files {
            self.add(folder, file, present);
        }
    }

    fn add(&mut self, folder: &str, file: &FileMeta, present: &HashSet<String>) {
        let sha256 = file.sha256.to_ascii_lowercase();
        let path = format!("{folder}/{}", file_name(&file.name));
        if let Some(&index) = self.by_hash.get(&sha256) {
            self.entries[index].also_at.push(path);
            return;
        }
        let path = self.unique(path);
        self.by_hash.insert(sha256.clone(), self.entries.len());
        self.entries.push(Entry {
            path,
            arrived: present.contains(&sha256),
            sha256,
            media_type: file.media_type.clone(),
            size: file.size,
            taken_at: file.taken_at,
            also_at: Vec::new(),
        });
    }

    /// `path`, or with `-2`, `-3`… before the extension when taken. Compared without case:
    /// Windows and macOS would unpack `SK.pdf` and `sk.pdf` into one file.
    fn unique(&mut self, path: String) -> String {
        if self.used.insert(path.to_ascii_lowercase()) {
            return path;
        }
        let (stem, extension) = split_extension(&path);
        let mut number = 2;
        loop {
            let candidate = format!("{stem}-{number}{extension}");
            if self.used.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
            number += 1;
        }
    }
}

/// `a/b/name.pdf` → (`a/b/name`, `.pdf`); no extension → (`path`, ``).
fn split_extension(path: &str) -> (&str, &str) {
    let name_start = path.rfind('/').map_or(0, |slash| slash + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => path.split_at(name_start + dot),
        _ => (path, ""),
    }
}

/// `text` as one path segment any unzip tool and file system takes: ASCII letters, digits,
/// `_` and single dots kept; anything else (spaces, slashes, backslashes, colons, letters
/// outside ASCII) becomes `-`, runs collapsed; no dot or dash at either end, so never `.`
/// or `..`; at most `max` characters; `fallback` when nothing is left.
pub fn segment(text: &str, max: usize, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            c
        } else {
            '-'
        };
        if !((c == '-' || c == '.') && out.ends_with(c)) {
            out.push(c);
        }
    }
    let short: String = out.trim_matches(['-', '.']).chars().take(max).collect();
    let short = short.trim_end_matches(['-', '.']);
    if short.is_empty() {
        fallback.to_owned()
    } else if is_reserved_on_windows(short) {
        format!("_{short}")
    } else {
        short.to_owned()
    }
}

/// `CON`, `nul.txt` and the like cannot be created on Windows, whatever the extension.
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// A file name made safe by [`segment`], its extension kept when the stem is shortened.
pub fn file_name(name: &str) -> String {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension))
            if !stem.trim().is_empty() && (1..=8).contains(&extension.len()) =>
        {
            (stem, segment(extension, 8, ""))
        }
        _ => (name, String::new()),
    };
    let stem = segment(stem, NAME_CHARS, "berkas");
    if extension.is_empty() {
        stem
    } else {
        format!("{stem}.{extension}")
    }
}

/// Writes the archive of `plan` to `out`, the files read from `blobs`, and gives `out` back.
pub fn write<W: Write>(plan: &Plan, blobs: &dyn BlobStore, out: W) -> ZipResult<W> {
    let wita = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let now = zip_time(OffsetDateTime::now_utc().to_offset(wita)).unwrap_or_default();
    let mut zip = ZipWriter::new_stream(out);
    let mut missing: Vec<&Entry> = plan.entries.iter().filter(|e| !e.arrived).collect();
    let mut written = Vec::new();
    for entry in plan.entries.iter().filter(|e| e.arrived) {
        // Gone since the plan was made (swept, or a disk fault): listed, not dropped.
        let Some(mut content) = blobs.open(&entry.sha256)? else {
            missing.push(entry);
            continue;
        };
        zip.start_file(entry.path.as_str(), file_options(entry, now))?;
        io::copy(&mut content, &mut zip)?;
        written.push(entry);
    }
    let text = SimpleFileOptions::default().last_modified_time(now);
    zip.start_file(INDEX_NAME, text)?;
    zip.write_all(index_text(&plan.title, &written).as_bytes())?;
    if !missing.is_empty() {
        zip.start_file(PENDING_NAME, text)?;
        zip.write_all(pending_text(&missing).as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// How an entry is stored; dated when the photo was taken or the file picked, else (older
/// clients) when the archive was made, which reads better than the format's 1980.
fn file_options(entry: &Entry, now: DateTime) -> SimpleFileOptions {
    // Photos are compressed already: deflating them again costs CPU and saves nothing.
    let method = if entry.media_type.starts_with("image/") {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .large_file(entry.size >= u64::from(u32::MAX))
        .last_modified_time(entry.taken_at.and_then(zip_time).unwrap_or(now))
}

/// The time as a ZIP stores it: local time of `at`'s own offset, the device's.
fn zip_time(at: OffsetDateTime) -> Option<DateTime> {
    let year = u16::try_from(at.year()).ok()?;
    let (month, day) = (at.month().into(), at.day());
    DateTime::from_date_and_time(year, month, day, at.hour(), at.minute(), at.second()).ok()
}

/// Windows line ends: the coordinator's office opens these in Notepad.
fn lines(lines: &[String]) -> String {
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text
}

fn described(entry: &Entry) -> String {
    format!(
        "{}  (SHA-256 {}, {} bita)",
        entry.path, entry.sha256, entry.size
    )
}

fn index_text(title: &str, written: &[&Entry]) -> String {
    let head = [
        title,
        "Setiap berkas disimpan sekali; butir lain yang memakai berkas yang sama disebut di bawahnya.",
    ];
    listing(&head, written)
}

fn pending_text(missing: &[&Entry]) -> String {
    let head = [
        "Berkas berikut disebut dalam data, tetapi isinya belum tiba di server.",
        "Buka aplikasi di perangkat pengirim saat ada jaringan agar terkirim, lalu unduh arsip ini lagi.",
    ];
    listing(&head, missing)
}

/// A text file of the archive: its heading, a blank line, then each entry with the other
/// places that name the same file.
fn listing(head: &[&str], entries: &[&Entry]) -> String {
    let mut out: Vec<String> = head.iter().map(|line| (*line).to_owned()).collect();
    out.push(String::new());
    for entry in entries {
        out.push(described(entry));
        out.extend(
            entry
                .also_at
                .iter()
                .map(|place| format!("    juga untuk: {place}")),
        );
    }
    lines(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_their_folder_and_ascii() {
        assert_eq!(segment("../../etc/passwd", 40, "x"), "etc-passwd");
        assert_eq!(segment("..", 40, "x"), "x");
        assert_eq!(
            segment("Peta sebaran: stunting/cakupan", 40, "x"),
            "Peta-sebaran-stunting-cakupan"
        );
        assert_eq!(segment("Café  Ñusa", 40, "x"), "Caf-usa");
        assert_eq!(segment("a..b", 40, "x"), "a.b");
        assert_eq!(segment("nul", 40, "x"), "_nul");
        assert_eq!(segment("abcdef ghij", 7, "x"), "abcdef");
        assert_eq!(file_name("..\\..\\SK Bupati.PDF"), "SK-Bupati.PDF");
        assert_eq!(file_name(".pdf"), "pdf");
        assert_eq!(file_name(&format!("{}.pdf", "x".repeat(300))).len(), 84);
        assert_eq!(file_name("laporan"), "laporan");
    }

    #[test]
    fn a_taken_name_gets_a_number_before_its_extension() {
        let mut plan = Plan::default();
        assert_eq!(plan.unique("A/sk.pdf".into()), "A/sk.pdf");
        assert_eq!(plan.unique("A/SK.pdf".into()), "A/SK-2.pdf");
        assert_eq!(plan.unique("A/sk.pdf".into()), "A/sk-3.pdf");
        assert_eq!(plan.unique("A.b/foto".into()), "A.b/foto");
        assert_eq!(plan.unique("A.b/foto".into()), "A.b/foto-2");
    }
}
