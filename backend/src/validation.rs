//! Checks on record bodies before they are stored: the same typed decoding and rules the
//! app runs before saving (`konvergen_shared::register` and friends), so both sides refuse
//! the same input.

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::api::FieldError;
use konvergen_shared::district::{Assignment, BudgetLine, Contribution, Deadline, Innovation};
use konvergen_shared::ids::PersonId;
use konvergen_shared::monitoring::{Form2a, Form2b, Form2c, YearMonth, monthly_record_id};
use konvergen_shared::register::{Child, Household, PaudChild, PregnantWoman};
use konvergen_shared::scorecard::{VillageFund, village_fund_id};
use konvergen_shared::sync::{EntityKind, Heartbeat};
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::entities::field_error;

/// Largest accepted record body once serialised: a household or a form is a few hundred
/// bytes, so this only stops abuse.
const MAX_BODY_BYTES: usize = 64 * 1024;

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
/// a day of tolerance for phone clocks running ahead. Field paths start with `body.`.
pub fn validate_body(
    kind: EntityKind,
    record_id: Uuid,
    body: &Value,
    today: Date,
    is_new: bool,
) -> Result<(), Vec<FieldError>> {
    if body.to_string().len() > MAX_BODY_BYTES {
        return Err(vec![field_error(
            "body",
            "too_large",
            "Isi data terlalu besar",
            "The record body is too large",
        )]);
    }
    let result = match kind {
        EntityKind::Household => decode::<Household>(body).and_then(|h| h.validate()),
        EntityKind::PregnantWoman => decode::<PregnantWoman>(body).and_then(|w| w.validate(today)),
        // A new registration must fall in the target age range; later edits of a child who
        // has since aged out stay possible.
        EntityKind::Child if is_new => {
            decode::<Child>(body).and_then(|c| c.validate_registration(today))
        }
        EntityKind::Child => decode::<Child>(body).and_then(|c| c.validate(today)),
        EntityKind::PaudChild if is_new => {
            decode::<PaudChild>(body).and_then(|c| c.validate_registration(today))
        }
        EntityKind::PaudChild => decode::<PaudChild>(body).and_then(|c| c.validate(today)),
        EntityKind::Form2a => {
            decode::<Form2a>(body).and_then(|f| monthly(record_id, f.person_id, f.month, today))
        }
        EntityKind::Form2b => {
            decode::<Form2b>(body).and_then(|f| monthly(record_id, f.person_id, f.month, today))
        }
        EntityKind::Form2c => {
            decode::<Form2c>(body).and_then(|f| monthly(record_id, f.person_id, f.month, today))
        }
        EntityKind::Measurement => {
            decode::<MeasurementRecord>(body).and_then(|m| measurement(&m, today))
        }
        EntityKind::VillageFund => {
            decode::<VillageFund>(body).and_then(|f| village_fund(record_id, &f, today))
        }
        EntityKind::BudgetLine => decode::<BudgetLine>(body).and_then(|b| b.validate(today.year())),
        EntityKind::Innovation => decode::<Innovation>(body).and_then(|i| i.validate(today.year())),
        EntityKind::Deadline => decode::<Deadline>(body).and_then(|d| d.validate(today.year())),
        EntityKind::Assignment => decode::<Assignment>(body).and_then(|a| a.validate(today.year())),
        EntityKind::Contribution => {
            decode::<Contribution>(body).and_then(|c| c.validate(today.year(), today))
        }
    };
    result.map_err(|errors| errors.into_iter().map(under_body).collect())
}

fn under_body(mut error: FieldError) -> FieldError {
    if !error.field.starts_with("body") {
        error.field = format!("body.{}", error.field);
    }
    error
}

/// Typed decoding that keeps the path of the offending field (`weighed`, `month`); a
/// missing or unknown field is named by serde's message instead.
fn decode<T: DeserializeOwned>(body: &Value) -> Result<T, Vec<FieldError>> {
    serde_path_to_error::deserialize(body).map_err(|err| {
        let detail = err.inner().to_string();
        let path = err.path().to_string();
        let field = if path == "." {
            detail.split('`').nth(1).unwrap_or_default()
        } else {
            path.trim_end_matches('.')
        };
        // An empty key (`{"": 1}`) names nothing: point at the body as a whole.
        let field = if field.is_empty() { "body" } else { field };
        vec![field_error(
            field,
            "invalid",
            &format!("Isian tidak sesuai format: {detail}"),
            &detail,
        )]
    })
}

/// A monthly form lives at the id derived from person and month, so two phones filling the
/// same month meet on one record; and a month cannot lie in the future.
fn monthly(
    record_id: Uuid,
    person: PersonId,
    month: YearMonth,
    today: Date,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if record_id != monthly_record_id(person, month) {
        errors.push(field_error(
            "record_id",
            "record_id_mismatch",
            "Id formulir bulanan harus diturunkan dari orang dan bulan",
            "A monthly form's id must be derived from the person and the month",
        ));
    }
    if month > YearMonth::of(today) {
        errors.push(field_error(
            "month",
            "in_future",
            "Bulan tidak boleh di masa depan",
            "Month cannot be in the future",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A village's Dana Desa lives at the id derived from village and year, so two phones
/// entering the same year meet on one record; the amounts follow the shared rules.
fn village_fund(record_id: Uuid, fund: &VillageFund, today: Date) -> Result<(), Vec<FieldError>> {
    let mut errors = fund.validate(today.year()).err().unwrap_or_default();
    if record_id != village_fund_id(&fund.village_code, fund.year) {
        errors.push(field_error(
            "record_id",
            "record_id_mismatch",
            "Id Dana Desa harus diturunkan dari desa dan tahun",
            "A Dana Desa record's id must be derived from the village and the year",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn measurement(record: &MeasurementRecord, today: Date) -> Result<(), Vec<FieldError>> {
    // The birth date lives on the child; the server checks the values it can see here.
    let problems = record.problems(Date::MIN, today);
    if problems.is_empty() {
        return Ok(());
    }
    Err(problems
        .into_iter()
        .map(|(field, id, en)| field_error(field, "invalid", id, en))
        .collect())
}
