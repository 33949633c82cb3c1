//! Wire types of the supervisors' views: sync status and the conflict review queue.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One device as the supervisor sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceStatus {
    /// Device id.
    pub device_id: String,
    /// Account name of the cadre.
    pub username: String,
    /// Display name of the cadre.
    pub display_name: String,
    /// The cadre's villages.
    pub villages: Vec<String>,
    /// Last push received (server time, ms).
    pub last_push_ms: Option<i64>,
    /// Last pull served (server time, ms).
    pub last_pull_ms: Option<i64>,
    /// Outbox size at the last heartbeat.
    pub outbox_size: Option<i64>,
    /// Age of the oldest pending mutation at the last heartbeat, in seconds.
    pub oldest_pending_secs: Option<i64>,
    /// Storage used (bytes) at the last heartbeat.
    pub storage_used: Option<i64>,
    /// Storage quota (bytes) at the last heartbeat.
    pub storage_quota: Option<i64>,
    /// Whether persistent storage was granted.
    pub persisted: Option<bool>,
    /// App version on the device.
    pub app_version: Option<String>,
    /// Device clock minus server clock at the last heartbeat, in ms.
    pub clock_offset_ms: Option<i64>,
    /// Last heartbeat received (server time, ms).
    pub heartbeat_ms: Option<i64>,
    /// Sequence numbers the device numbered but never delivered (wiped browser etc.).
    pub known_lost_mutations: i64,
    /// No push or pull for more than the requested number of days.
    pub silent: bool,
    /// Pending mutations reported (a backlog waiting on the phone).
    pub backlog: bool,
}

/// One village of the supervisor's area.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageStatus {
    /// Village code.
    pub code: String,
    /// Village name.
    pub name: String,
    /// District (kecamatan) code.
    pub district_code: String,
    /// District name.
    pub district_name: String,
    /// Cadres assigned.
    pub cadres: i64,
    /// Records held on the server.
    pub records: i64,
    /// Latest push from any device of the village's cadres (ms).
    pub last_push_ms: Option<i64>,
    /// Whether anything was received this calendar month (server time).
    pub synced_this_month: bool,
    /// Pending mutations reported by the village's devices.
    pub pending_reported: i64,
    /// Open conflicts.
    pub open_conflicts: i64,
}

/// Answer of `GET /api/v1/supervision/sync-status`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Server time of the report (ms).
    pub generated_ms: i64,
    /// Threshold used for `silent`, in days.
    pub silent_days: u32,
    /// Devices of cadres in the area.
    pub devices: Vec<DeviceStatus>,
    /// Villages of the area that have cadres or records.
    pub villages: Vec<VillageStatus>,
}

/// One field that differs between the two versions of a conflict.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// Top-level field name.
    pub field: String,
    /// Value on the server (null when absent).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub server: Value,
    /// Value in the incoming edit (null when absent).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub incoming: Value,
}

/// A conflict for review.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictView {
    /// Conflict id.
    pub id: i64,
    /// Record id.
    pub record_id: String,
    /// Record kind.
    pub entity: String,
    /// Village code.
    pub village_code: String,
    /// Cadre who sent the stale edit.
    pub username: String,
    /// Device that sent it.
    pub device_id: String,
    /// Version the edit was based on.
    pub base_version: i64,
    /// Server version when it arrived.
    pub server_version: i64,
    /// Server body when it arrived (null when deleted).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub server_body: Value,
    /// The incoming body (null for a delete).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub incoming_body: Value,
    /// Fields that differ.
    pub diff: Vec<FieldDiff>,
    /// When it arrived (ms).
    pub created_ms: i64,
    /// When it was resolved (ms), if it was.
    pub resolved_ms: Option<i64>,
    /// How it was resolved.
    pub resolution: Option<Resolution>,
    /// The reviewer's reason.
    pub reason: Option<String>,
    /// How many stale edits of this record from this device the conflict stands for.
    /// Repeats merge into the one open conflict of the device and record, which keeps the
    /// newest body (each edit carries the whole record, so the newest supersedes the
    /// others); 1 when it arrived once, and from servers older than the field.
    #[serde(default = "one")]
    pub count: i64,
    /// When the newest of them arrived (ms); `None` from servers older than the field.
    #[serde(default)]
    pub last_ms: Option<i64>,
}

fn one() -> i64 {
    1
}

/// How a conflict is settled.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep the server's version.
    KeepServer,
    /// Take the incoming version.
    TakeIncoming,
    /// Store a merged body given by the reviewer.
    Merge,
}

/// Body of `POST /api/v1/supervision/conflicts/{id}/resolve`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// The choice.
    pub resolution: Resolution,
    /// The merged body (only with `merge`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub merged_body: Option<Value>,
    /// Why (required, for the audit trail).
    pub reason: String,
}

/// Top-level fields whose values differ between two JSON objects, sorted by name.
pub fn diff_fields(server: &Value, incoming: &Value) -> Vec<FieldDiff> {
    let empty = serde_json::Map::new();
    let left = server.as_object().unwrap_or(&empty);
    let right = incoming.as_object().unwrap_or(&empty);
    let mut names: Vec<&String> = left.keys().chain(right.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| left.get(*name) != right.get(*name))
        .map(|name| FieldDiff {
            field: name.clone(),
            server: left.get(name).cloned().unwrap_or(Value::Null),
            incoming: right.get(name).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_only_changed_fields() {
        let diff = diff_fields(
            &json!({"a": 1, "b": "x", "c": true}),
            &json!({"a": 1, "b": "y", "d": 2}),
        );
        let names: Vec<_> = diff.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(names, ["b", "c", "d"]);
        assert_eq!(diff[1].incoming, Value::Null);
    }
}
