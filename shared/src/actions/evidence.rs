//! The state of one evidence item: done flag, links, file metadata, note and dates, and the
//! checks applied before it is stored.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use crate::validate::ValidationErrors;

/// Longest link accepted; longer ones are almost always pasted by mistake.
pub const MAX_LINK_CHARS: usize = 2000;
/// Most links or files per item.
pub const MAX_ATTACHMENTS: usize = 20;
/// Longest note (per item or per action).
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest file name.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// Metadata of an uploaded evidence file; the content is stored elsewhere, by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMeta {
    /// File name as uploaded, without folders.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, 64 hex digits (stored lower case).
    pub sha256: String,
    /// Media type, e.g. `application/pdf`.
    pub media_type: String,
    /// When the photo was taken or the file picked on the device, if known (older clients
    /// leave it out).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub taken_at: Option<OffsetDateTime>,
    /// Set by the server when it answers: the record names this file but its content has not
    /// arrived yet (`PUT /api/v1/blobs/{sha256}` still to come), so the desk shows "file still
    /// on its way" rather than a broken link. Never stored: a client may send it back, and it
    /// is cleared before the record is saved. Absent means delivered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

/// The state of one evidence item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemState {
    /// Marked done by the district.
    #[serde(default)]
    pub done: bool,
    /// Links to the evidence (http or https).
    #[serde(default)]
    pub links: Vec<String>,
    /// Uploaded files.
    #[serde(default)]
    pub files: Vec<FileMeta>,
    /// Free note.
    #[serde(default)]
    pub note: String,
    /// Day the work was done (`yyyy-mm-dd`).
    #[serde(default)]
    pub done_on: Option<Date>,
    /// When the item was last saved; set by the model, not by the client.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

impl ItemState {
    /// Done and backed by at least one link or file.
    pub fn evidenced(&self) -> bool {
        self.done && self.has_evidence()
    }

    /// Whether at least one link or file is attached.
    pub fn has_evidence(&self) -> bool {
        !self.links.is_empty() || !self.files.is_empty()
    }

    /// The item as it is stored: links trimmed, hashes in lower case.
    pub fn normalised(mut self) -> Self {
        for link in &mut self.links {
            *link = link.trim().to_owned();
        }
        for file in &mut self.files {
            file.sha256 = file.sha256.trim().to_ascii_lowercase();
            file.media_type = file.media_type.trim().to_ascii_lowercase();
            file.pending = false;
        }
        self
    }
}

/// Whether `text` is an absolute `http://` or `https://` address with a host.
pub fn is_web_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    text.chars().count() <= MAX_LINK_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && is_host_and_port(host_and_port)
}

/// `host`, `host:port` or a bracketed IPv6 address (not checked further).
fn is_host_and_port(text: &str) -> bool {
    if let Some(ipv6) = text.strip_prefix('[') {
        return ipv6.contains(']');
    }
    match text.split_once(':') {
        Some((host, port)) => {
            is_host_name(host) && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        }
        None => is_host_name(text),
    }
}

/// Letters, digits, hyphens and dots, not starting or ending with a dot.
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// Whether `text` is 64 hexadecimal digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `text` looks like `type/subtype` (no parameters).
pub fn is_media_type(text: &str) -> bool {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    text.split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

/// Checks an item before it is stored; `path` is its field path, e.g. `actions[2].items[0]`.
///
/// `today` is the day of the save when known: `done_on` may not lie after it. One day of
/// slack absorbs the gap between a server clock in UTC and a district in WIT (UTC+9).
pub fn check_item(
    errors: &mut ValidationErrors,
    path: &str,
    item: &ItemState,
    today: Option<Date>,
) {
    if item.links.len() + item.files.len() > MAX_ATTACHMENTS {
        let id = format!("Maksimal {MAX_ATTACHMENTS} tautan dan berkas");
        let en = format!("At most {MAX_ATTACHMENTS} links and files");
        errors.push(path, "too_many", &id, &en);
    }
    check_links_and_files(errors, &format!("{path}."), &item.links, &item.files);
    errors.max_len(&format!("{path}.note"), &item.note, MAX_NOTE_CHARS);
    if let (Some(done_on), Some(today)) = (item.done_on, today) {
        errors.date_not_in_future(&format!("{path}.done_on"), done_on, today + Duration::DAY);
    }
}

/// Checks each link and file of an evidence record, naming them `{prefix}links[i]` and
/// `{prefix}files[i].name` and so on.
pub fn check_links_and_files(
    errors: &mut ValidationErrors,
    prefix: &str,
    links: &[String],
    files: &[FileMeta],
) {
    for (index, link) in links.iter().enumerate() {
        if !is_web_url(link) {
            let id = "Tautan harus alamat web lengkap (http:// atau https://)";
            let en = "A link must be a full web address (http:// or https://)";
            errors.push(&format!("{prefix}links[{index}]"), "invalid_url", id, en);
        }
    }
    check_files(errors, &format!("{prefix}files"), files);
}

/// Checks each file reference of the list `field` (`{field}[i].sha256` and so on).
pub fn check_files(errors: &mut ValidationErrors, field: &str, files: &[FileMeta]) {
    for (index, file) in files.iter().enumerate() {
        check_file(errors, &format!("{field}[{index}]"), file);
    }
}

fn check_file(errors: &mut ValidationErrors, path: &str, file: &FileMeta) {
    let name_path = format!("{path}.name");
    if errors.text(&name_path, &file.name, MAX_FILE_NAME_CHARS) && file.name.contains(['/', '\\']) {
        let (id, en) = ("Nama berkas tanpa folder", "A file name without folders");
        errors.push(&name_path, "invalid_format", id, en);
    }
    if file.size == 0 {
        let (id, en) = ("Berkas kosong", "The file is empty");
        errors.push(&format!("{path}.size"), "empty", id, en);
    }
    if !is_sha256_hex(file.sha256.trim()) {
        let (id, en) = (
            "SHA-256 harus 64 digit heksadesimal",
            "SHA-256 must be 64 hex digits",
        );
        errors.push(&format!("{path}.sha256"), "invalid_format", id, en);
    }
    if !is_media_type(file.media_type.trim()) {
        let (id, en) = (
            "Jenis berkas harus seperti application/pdf",
            "Media type must look like application/pdf",
        );
        errors.push(&format!("{path}.media_type"), "invalid_format", id, en);
    }
}
