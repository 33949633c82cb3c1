//! How each synced kind of record hangs together: a household names its village, every
//! other record names its parent, and the village is inherited from the parent. Checking
//! the links here lets the server refuse orphans and enforce area scopes on every write.

use konvergen_shared::api::FieldError;
use konvergen_shared::sync::EntityKind;
use serde_json::Value;
use uuid::Uuid;

/// Where a record sits: its own village (households, a village's Dana Desa) or its parent
/// record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A household names its village directly.
    Village(String),
    /// A record of the regency's team names its regency directly.
    Regency(String),
    /// Every other record names the record it belongs to, of one of these kinds.
    Parent {
        /// Id of the parent record.
        id: Uuid,
        /// The field that named it (for error messages).
        field: &'static str,
        /// Kinds the parent may have.
        kinds: &'static [EntityKind],
    },
}

/// The field that links `kind` to its parent, and the parent's possible kinds.
fn parent_field(kind: EntityKind) -> Option<(&'static str, &'static [EntityKind])> {
    use EntityKind as K;
    match kind {
        K::Household
        | K::VillageFund
        | K::BudgetLine
        | K::Innovation
        | K::Contribution
        | K::Deadline
        | K::Assignment => None,
        K::PregnantWoman | K::Child | K::PaudChild => Some(("household_id", &[K::Household])),
        K::Form2a => Some(("person_id", &[K::PregnantWoman])),
        K::Form2b => Some(("person_id", &[K::Child])),
        K::Form2c => Some(("person_id", &[K::PaudChild])),
        K::Measurement => Some(("child_id", &[K::Child])),
    }
}

/// Reads the link out of a record body, or says which field is wrong.
pub fn link_of(kind: EntityKind, body: &Value) -> Result<Link, Vec<FieldError>> {
    let Some(object) = body.as_object() else {
        return Err(vec![field_error(
            "body",
            "invalid_type",
            "Isi data harus berupa objek JSON",
            "The body must be a JSON object",
        )]);
    };
    if kind.is_district() {
        return match object.get("regency_code").and_then(Value::as_str) {
            Some(code) => Ok(Link::Regency(code.to_owned())),
            None => Err(vec![field_error(
                "body.regency_code",
                "required",
                "Kode kabupaten/kota wajib diisi",
                "Regency code is required",
            )]),
        };
    }
    match parent_field(kind) {
        None => match object.get("village_code").and_then(Value::as_str) {
            Some(code) => Ok(Link::Village(code.to_owned())),
            None => Err(vec![field_error(
                "body.village_code",
                "required",
                "Kode desa wajib diisi",
                "Village code is required",
            )]),
        },
        Some((field, kinds)) => object
            .get(field)
            .and_then(Value::as_str)
            .and_then(|text| Uuid::parse_str(text).ok())
            .map(|id| Link::Parent { id, field, kinds })
            .ok_or_else(|| {
                vec![field_error(
                    &format!("body.{field}"),
                    "required",
                    "Rujukan ke data induk wajib diisi (UUID)",
                    "A reference to the parent record (UUID) is required",
                )]
            }),
    }
}

/// Builds one field error.
pub fn field_error(field: &str, code: &str, message_id: &str, message_en: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message_id: message_id.to_owned(),
        message_en: message_en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn households_link_to_their_village() {
        let link = link_of(
            EntityKind::Household,
            &json!({"village_code": "63.03.05.2009"}),
        );
        assert_eq!(link, Ok(Link::Village("63.03.05.2009".into())));
    }

    #[test]
    fn a_village_fund_links_to_its_village() {
        let link = link_of(
            EntityKind::VillageFund,
            &json!({"village_code": "63.03.05.2009", "year": 2026}),
        );
        assert_eq!(link, Ok(Link::Village("63.03.05.2009".into())));
        let errors = link_of(EntityKind::VillageFund, &json!({"year": 2026})).unwrap_err();
        assert_eq!(errors[0].field, "body.village_code");
    }

    #[test]
    fn members_need_a_household() {
        let errors = link_of(EntityKind::Child, &json!({"name": "Ani"})).unwrap_err();
        assert_eq!(errors[0].field, "body.household_id");
        let errors = link_of(EntityKind::Child, &json!([1, 2])).unwrap_err();
        assert_eq!(errors[0].field, "body");
    }
}
