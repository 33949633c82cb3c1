//! Wire types of `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.
//!
//! Every mutation is numbered per device (`device_id`, `seq`), so a retried batch is
//! recognised and answered with the first answer instead of being applied twice.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::api::FieldError;

/// Kinds of records that travel through sync.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A 1000-HPK household (register).
    Household,
    /// A pregnant woman (register).
    PregnantWoman,
    /// A child 0-23 months (register).
    Child,
    /// A child 2-6 years followed for PAUD (register).
    PaudChild,
    /// Monthly form 2A answers of one pregnant woman for one month.
    Form2a,
    /// Monthly form 2B answers of one child for one month.
    Form2b,
    /// Monthly form 2C answers of one PAUD child for one month.
    Form2c,
    /// One anthropometric measurement of a child.
    Measurement,
    /// A village's Dana Desa for one budget year (scorecard Tabel 5,
    /// `scorecard::VillageFund`), at the id `scorecard::village_fund_id` gives.
    VillageFund,
    /// A budget line of an agency of a regency's team (`district::BudgetLine`).
    BudgetLine,
    /// An agency's flagship innovation (`district::Innovation`).
    Innovation,
    /// An agency's part of one evidence item (`district::Contribution`).
    Contribution,
    /// The coordinator's deadline for a year's submissions (`district::Deadline`).
    Deadline,
    /// The agencies the coordinator gave an evidence item to (`district::Assignment`).
    Assignment,
}

impl EntityKind {
    /// Every kind, in dependency order (a household before its members, members before
    /// forms); the district's kinds last.
    pub const ALL: [Self; 14] = [
        Self::Household,
        Self::PregnantWoman,
        Self::Child,
        Self::PaudChild,
        Self::Form2a,
        Self::Form2b,
        Self::Form2c,
        Self::Measurement,
        Self::VillageFund,
        Self::BudgetLine,
        Self::Innovation,
        Self::Contribution,
        Self::Deadline,
        Self::Assignment,
    ];

    /// The kinds a regency's team writes, placed at the regency's code rather than a
    /// village's.
    pub const DISTRICT: [Self; 5] = [
        Self::BudgetLine,
        Self::Innovation,
        Self::Contribution,
        Self::Deadline,
        Self::Assignment,
    ];

    /// Whether this is one of the [`Self::DISTRICT`] kinds.
    pub fn is_district(self) -> bool {
        Self::DISTRICT.contains(&self)
    }

    /// The stable snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Household => "household",
            Self::PregnantWoman => "pregnant_woman",
            Self::Child => "child",
            Self::PaudChild => "paud_child",
            Self::Form2a => "form2a",
            Self::Form2b => "form2b",
            Self::Form2c => "form2c",
            Self::Measurement => "measurement",
            Self::VillageFund => "village_fund",
            Self::BudgetLine => "budget_line",
            Self::Innovation => "innovation",
            Self::Contribution => "contribution",
            Self::Deadline => "deadline",
            Self::Assignment => "assignment",
        }
    }

    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// What a mutation does to its record.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Create the record, or update it from `base_version`.
    #[default]
    Upsert,
    /// Soft-delete the record (a tombstone that still syncs).
    Delete,
}

/// One change made on a device.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Per-device sequence number, starting at 1, strictly increasing without gaps.
    pub seq: u64,
    /// Kind of record.
    pub entity: EntityKind,
    /// Client-generated id of the record.
    pub record_id: Uuid,
    /// Version of the record the edit was based on (0 for a new record).
    pub base_version: u64,
    /// Upsert (default) or delete.
    #[serde(default)]
    pub op: Operation,
    /// The whole record as the device sees it after the edit.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: Value,
    /// When the cadre saved it, by the device clock (milliseconds since the epoch).
    #[serde(default)]
    pub client_time_ms: Option<i64>,
}

/// What a device reports about itself with every push (and alone).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// Mutations waiting in the outbox.
    pub outbox_size: u64,
    /// Age of the oldest waiting mutation, in seconds.
    #[serde(default)]
    pub oldest_pending_secs: Option<u64>,
    /// When the last pull reached "up to date" (device clock, ms since the epoch).
    #[serde(default)]
    pub last_pull_ms: Option<i64>,
    /// Bytes of storage used by the app.
    #[serde(default)]
    pub storage_used: Option<u64>,
    /// Storage quota granted to the app, in bytes.
    #[serde(default)]
    pub storage_quota: Option<u64>,
    /// Whether the browser granted persistent storage.
    #[serde(default)]
    pub persisted: Option<bool>,
    /// Version of the app on the device.
    #[serde(default)]
    pub app_version: Option<String>,
    /// The device clock when it sent this (ms since the epoch); the server derives the offset.
    #[serde(default)]
    pub device_time_ms: Option<i64>,
}

/// Body of `POST /api/v1/sync/push`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// Client-generated id of the device (one per browser profile and user).
    pub device_id: Uuid,
    /// The mutations, in sequence order.
    pub mutations: Vec<Mutation>,
    /// Device telemetry.
    #[serde(default)]
    pub heartbeat: Option<Heartbeat>,
}

/// Outcome of one mutation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    /// Applied now.
    Applied,
    /// Already applied earlier; the result is the one given then.
    Duplicate,
    /// The record changed on the server since `base_version`: both versions kept for review.
    Conflict,
    /// Refused (invalid, out of scope, or a reused sequence number with another payload).
    /// Still acknowledged so it never blocks the queue.
    Rejected,
}

/// The server's receipt for one mutation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    /// The mutation's sequence number.
    pub seq: u64,
    /// The record it concerned.
    pub record_id: Uuid,
    /// What happened.
    pub status: MutationStatus,
    /// Version of the record on the server after this mutation (applied), or the
    /// server's current version (conflict).
    pub version: Option<u64>,
    /// Server change sequence that carries the record (applied).
    pub change_seq: Option<u64>,
    /// When the server first processed it (ms since the epoch).
    pub server_time_ms: i64,
    /// Why it was rejected, field by field.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// Body of the answer to a push.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per mutation, in request order.
    pub results: Vec<MutationResult>,
    /// Highest sequence of this device the server has processed; the device may drop
    /// every outbox entry up to it.
    pub last_seq: u64,
    /// Server clock (ms since the epoch), for clock-offset display.
    pub server_time_ms: i64,
}

/// Query of `GET /api/v1/sync/pull`.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// Opaque cursor from the previous page; absent for a first pull.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Page size (default 1,000, at most 5,000).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The pulling device, so the supervisor sees when it last pulled.
    #[serde(default)]
    pub device_id: Option<Uuid>,
}

/// One record as the server holds it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordChange {
    /// Kind of record.
    pub entity: EntityKind,
    /// Id of the record.
    pub record_id: Uuid,
    /// Version on the server.
    pub version: u64,
    /// Village the record belongs to (dotted Kemendagri code).
    pub village_code: String,
    /// Soft-deleted: remove it locally.
    pub deleted: bool,
    /// The record (null when deleted).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: Value,
    /// Server change sequence of this version.
    pub change_seq: u64,
}

/// Body of the answer to a pull.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// The scope or schema changed: drop synced data (never the outbox) and pull again
    /// without a cursor.
    pub reset: bool,
    /// Changed records, in change order.
    pub changes: Vec<RecordChange>,
    /// Cursor to send next time.
    pub cursor: String,
    /// More pages follow right now.
    pub has_more: bool,
    /// On the last page: the checksum of everything in the caller's scope, to compare with
    /// the device's own.
    pub checksum: Option<ScopeChecksum>,
    /// Server clock (ms since the epoch).
    pub server_time_ms: i64,
}

pub use super::checksum::ScopeChecksum;
