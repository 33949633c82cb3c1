//! Checks on record bodies before they are stored: the same typed decoding and rules the
//! app runs before saving (`konvergen_shared::records`), so both sides refuse the same input.

use konvergen_shared::api::FieldError;
use konvergen_shared::records::{CheckContext, Verdicts, judge_encoded_record, validate_record};
use konvergen_shared::sync::{EntityKind, Heartbeat, Mutation};
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::entities::field_error;

/// Longest `app_version` a device may report, in characters. It is the only free text of a
/// heartbeat (the other fields are fixed-width numbers and flags, the device id a UUID),
/// and every sync-status answer lists it per device: a release number with a build suffix
/// fits many times over, a 3 MB one made every such answer 3 MB.
pub const MAX_APP_VERSION_CHARS: usize = 64;

/// Checks a heartbeat sent on its own (`POST /sync/heartbeat`): an oversized field is
/// refused, naming it. Refusing costs nothing there, the report is telemetry only.
pub fn check_heartbeat(beat: &Heartbeat) -> Result<(), Vec<FieldError>> {
    match &beat.app_version {
        Some(version) if version.chars().count() > MAX_APP_VERSION_CHARS => Err(vec![field_error(
            "heartbeat.app_version",
            "too_long",
            &format!("Versi aplikasi terlalu panjang (maks. {MAX_APP_VERSION_CHARS} karakter)"),
            &format!("App version too long (max {MAX_APP_VERSION_CHARS} characters)"),
        )]),
        _ => Ok(()),
    }
}

/// The heartbeat as it is stored: text fields cut to their caps. A heartbeat inside a push
/// is cut rather than refused, because refusing the push would block the phone's outbox for
/// good over a report it cannot change (its app version); the mutations matter more.
pub fn capped_heartbeat(beat: &Heartbeat) -> Heartbeat {
    let mut capped = beat.clone();
    if let Some(version) = &mut capped.app_version
        && let Some((cut, _)) = version.char_indices().nth(MAX_APP_VERSION_CHARS)
    {
        version.truncate(cut);
    }
    capped
}

/// Validates a record body of `kind` with id `record_id` (`is_new`: a first version). `today` is the server's date plus
/// a day of tolerance for phone clocks running ahead. Field paths start with `body.`. The
/// rules per kind live in `konvergen_shared::records`, which the phone runs before saving.
pub fn validate_body(
    kind: EntityKind,
    record_id: Uuid,
    body: &Value,
    today: Date,
    is_new: bool,
) -> Result<(), Vec<FieldError>> {
    let at = CheckContext {
        record_id,
        today,
        is_new,
    };
    validate_record(kind, body, &at)
}

/// Judges an upsert's body, `text` its compact JSON, pushed at `now_ms`: before it is known
/// whether the record is stored, the verdicts as a first version and as an edit.
pub fn judge_upsert(mutation: &Mutation, text: &str, now_ms: i64) -> Verdicts {
    let latest_date = latest_accepted_date(now_ms);
    judge_encoded_record(
        mutation.entity,
        &mutation.body,
        text.len(),
        mutation.record_id,
        latest_date,
    )
}

/// The last date a record may carry when the server's clock reads `now_ms`: today in WITA
/// plus a day, for phone clocks running ahead.
fn latest_accepted_date(now_ms: i64) -> Date {
    crate::util::today_wita(now_ms)
        .next_day()
        .unwrap_or(Date::MAX)
}
