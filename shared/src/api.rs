//! Wire types of the HTTP API that are not tied to one resource.

use serde::{Deserialize, Serialize};

/// Body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the server can serve requests, `"degraded"` when the database fails.
    pub status: String,
    /// Server version (the workspace version).
    pub version: String,
    /// Whether a trivial query against the database succeeded.
    pub database_ok: bool,
    /// Version of the database schema (number of applied migrations).
    pub schema_version: u32,
}

/// One problem with one field of a request, for showing next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, e.g. `households[0].head_name` or `body.village_code`.
    pub field: String,
    /// Machine-readable code, e.g. `required`, `too_long`, `invalid_format`.
    pub code: String,
    /// Message in Bahasa Indonesia.
    pub message_id: String,
    /// Message in English.
    pub message_en: String,
}

/// The one JSON shape of every error response of the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable error kind, e.g. `validation`, `not_found`, `unauthorized`.
    pub error: String,
    /// Human-readable summary in Bahasa Indonesia.
    pub message: String,
    /// Human-readable summary in English.
    pub message_en: String,
    /// Problems with individual fields, empty when the error is not about fields.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}
