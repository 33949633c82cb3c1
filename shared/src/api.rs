//! Wire types of the HTTP API that are not tied to one resource.

use serde::{Deserialize, Serialize};

/// Body of `GET /api/v1/health`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Roles of accounts; each role sees one kind of area.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Village cadre (KPM, posyandu cadre): one or more villages.
    Cadre,
    /// District coordinator (Bappeda) and supervisor: one regency.
    Supervisor,
    /// Staff of one agency (OPD) of a regency's team: sends that agency's part of the
    /// 8 actions, its budget lines and its innovations.
    Agency,
    /// Province (Bappeda Provinsi): one province.
    Province,
    /// Member of the province's assessment panel: reads what the province reads and scores
    /// each district on a sheet of their own; one province.
    Assessor,
    /// Manages accounts; sees no field data.
    Admin,
}

impl Role {
    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cadre => "cadre",
            Self::Supervisor => "supervisor",
            Self::Agency => "agency",
            Self::Province => "province",
            Self::Assessor => "assessor",
            Self::Admin => "admin",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Cadre,
            Self::Supervisor,
            Self::Agency,
            Self::Province,
            Self::Assessor,
            Self::Admin,
        ]
        .into_iter()
        .find(|role| role.as_str() == name)
    }
}

/// Body of `POST /api/v1/auth/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Account name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// An area a user works in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Dotted Kemendagri code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// `province`, `regency`, `district` or `village`.
    pub level: String,
}

/// The signed-in user, as `GET /api/v1/auth/me` and login return it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// Account id.
    pub id: i64,
    /// Account name.
    pub username: String,
    /// Name to show.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Areas the user works in.
    pub areas: Vec<Area>,
    /// The agency of an `agency` account (its name on the regency's list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// Answer to a successful login.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Opaque bearer token; send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working (ms since the epoch).
    pub expires_at_ms: i64,
    /// The user.
    pub user: Me,
}

/// Answer to `PUT /api/v1/blobs/{sha256}`: 201 when the content is new, 200 when the
/// server already held it (nothing stored twice). Either way the server now holds the hash
/// and the device may drop its local copy.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobReceipt {
    /// SHA-256 of the content, 64 lower-case hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type found from the content's first bytes (`image/jpeg`, `image/png`,
    /// `image/webp` or `application/pdf`), whatever the upload claimed.
    pub media_type: String,
    /// Whether this upload stored the content (false: it was already there).
    pub stored: bool,
}
