//! Checks on record bodies before they are stored, shared with the app through
//! `konvergen_shared` so both sides refuse the same input.

use konvergen_shared::api::FieldError;
use konvergen_shared::sync::EntityKind;
use serde_json::Value;

use crate::entities::field_error;

/// Largest accepted record body once serialised: a household or a form is a few hundred
/// bytes, so this only stops abuse.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Validates a record body of `kind`; each problem names its field.
pub fn validate_body(kind: EntityKind, body: &Value) -> Result<(), Vec<FieldError>> {
    if body.to_string().len() > MAX_BODY_BYTES {
        return Err(vec![field_error(
            "body",
            "too_large",
            "Isi data terlalu besar",
            "The record body is too large",
        )]);
    }
    let _ = kind;
    Ok(())
}
