//! The checks a record body of each entity kind must pass before it is stored: one table
//! that the server runs on every pushed body ([`validate_record`]) and whose per-kind rules
//! ([`RecordBody::check`]) the phone runs on the typed record it is about to save, so both
//! refuse the same input with the same field messages.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::anthro::record::MeasurementRecord;
use crate::api::FieldError;
use crate::district::{Assignment, BudgetLine, Contribution, Deadline, Innovation};
use crate::ids::PersonId;
use crate::monitoring::{Form2a, Form2b, Form2c, YearMonth, monthly_record_id};
use crate::register::{Child, Household, PaudChild, PregnantWoman};
use crate::scorecard::{VillageFund, village_fund_id};
use crate::sync::EntityKind;
use crate::validate::ValidationErrors;

/// Largest accepted record body once serialised: a household or a form is a few hundred
/// bytes, so this only stops abuse.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What a body's checks depend on besides the body itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckContext {
    /// The record's id (monthly forms live at an id derived from person and month).
    pub record_id: Uuid,
    /// Today; the server adds a day of tolerance for phone clocks running ahead.
    pub today: Date,
    /// Whether this is the record's first version (a registration).
    pub is_new: bool,
}

/// The typed body of one entity kind.
pub trait RecordBody: Serialize + DeserializeOwned {
    /// The entity kind whose bodies have this type.
    const KIND: EntityKind;

    /// The problems of this body, field paths relative to the body (`birth_date`).
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>>;
}

/// Decodes `body` as the type of `kind` and checks it. Field paths start with `body.`.
pub fn validate_record(
    kind: EntityKind,
    body: &Value,
    at: &CheckContext,
) -> Result<(), Vec<FieldError>> {
    let encoded_len = body.to_string().len();
    judge_encoded_record(kind, body, encoded_len, at.record_id, at.today).for_record(at.is_new)
}

/// The verdicts on one body as a record's first version and as an edit of a stored one.
/// The server judges a pushed body before it takes the database (where it learns which of
/// the two the write is), so the decoding, the expensive part, is not done on the one
/// thread every push and pull waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    as_new: Result<(), Vec<FieldError>>,
    as_edit: Result<(), Vec<FieldError>>,
}

impl Verdicts {
    fn both(verdict: Result<(), Vec<FieldError>>) -> Self {
        Self {
            as_new: verdict.clone(),
            as_edit: verdict,
        }
    }

    /// The verdict for a write that is the record's first version (`is_new`) or an edit.
    pub fn for_record(&self, is_new: bool) -> Result<(), Vec<FieldError>> {
        if is_new {
            self.as_new.clone()
        } else {
            self.as_edit.clone()
        }
    }

    fn map_errors(self, f: impl Fn(FieldError) -> FieldError + Copy) -> Self {
        let map = |verdict: Result<(), Vec<FieldError>>| {
            verdict.map_err(|errors| errors.into_iter().map(f).collect())
        };
        Self {
            as_new: map(self.as_new),
            as_edit: map(self.as_edit),
        }
    }
}

/// Decodes `body` as the type of `kind` once and checks it both as a first version and as
/// an edit of record `record_id` on `today`. Field paths start with `body.`.
pub fn judge_encoded_record(
    kind: EntityKind,
    body: &Value,
    encoded_len: usize,
    record_id: Uuid,
    today: Date,
) -> Verdicts {
    if encoded_len > MAX_BODY_BYTES {
        return Verdicts::both(Err(vec![field_error(
            "body",
            "too_large",
            "Isi data terlalu besar",
            "The record body is too large",
        )]));
    }
    let at = |is_new| CheckContext {
        record_id,
        today,
        is_new,
    };
    let contexts = [at(true), at(false)];
    let verdicts = match kind {
        EntityKind::Household => decode_and_check::<Household>(body, contexts),
        EntityKind::PregnantWoman => decode_and_check::<PregnantWoman>(body, contexts),
        EntityKind::Child => decode_and_check::<Child>(body, contexts),
        EntityKind::PaudChild => decode_and_check::<PaudChild>(body, contexts),
        EntityKind::Form2a => decode_and_check::<Form2a>(body, contexts),
        EntityKind::Form2b => decode_and_check::<Form2b>(body, contexts),
        EntityKind::Form2c => decode_and_check::<Form2c>(body, contexts),
        EntityKind::Measurement => decode_and_check::<MeasurementRecord>(body, contexts),
        EntityKind::BudgetLine => decode_and_check::<BudgetLine>(body, contexts),
        EntityKind::Innovation => decode_and_check::<Innovation>(body, contexts),
        EntityKind::Deadline => decode_and_check::<Deadline>(body, contexts),
        EntityKind::Assignment => decode_and_check::<Assignment>(body, contexts),
        EntityKind::Contribution => decode_and_check::<Contribution>(body, contexts),
        EntityKind::VillageFund => decode_and_check::<VillageFund>(body, contexts),
    };
    verdicts.map_errors(under_body)
}

/// One decoding, then the checks as a first version and as an edit (`[new, edit]`).
fn decode_and_check<T: RecordBody>(body: &Value, [new, edit]: [CheckContext; 2]) -> Verdicts {
    match decode::<T>(body) {
        Ok(typed) => Verdicts {
            as_new: typed.check(&new),
            as_edit: typed.check(&edit),
        },
        Err(errors) => Verdicts::both(Err(errors)),
    }
}

fn field_error(field: &str, code: &str, message_id: &str, message_en: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message_id: message_id.to_owned(),
        message_en: message_en.to_owned(),
    }
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
    // Nearly every body is valid: the plain decoder, which tracks no path, comes first, and
    // only a refused body is decoded again to name its field (same decoder, same verdict).
    if let Ok(typed) = T::deserialize(body) {
        return Ok(typed);
    }
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

impl RecordBody for Household {
    const KIND: EntityKind = EntityKind::Household;
    fn check(&self, _: &CheckContext) -> Result<(), Vec<FieldError>> {
        self.validate()
    }
}

impl RecordBody for PregnantWoman {
    const KIND: EntityKind = EntityKind::PregnantWoman;
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        self.validate(at.today)
    }
}

// A new registration must fall in the target age range; later edits of a child who has
// since aged out stay possible.
impl RecordBody for Child {
    const KIND: EntityKind = EntityKind::Child;
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        if at.is_new {
            self.validate_registration(at.today)
        } else {
            self.validate(at.today)
        }
    }
}

impl RecordBody for PaudChild {
    const KIND: EntityKind = EntityKind::PaudChild;
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        if at.is_new {
            self.validate_registration(at.today)
        } else {
            self.validate(at.today)
        }
    }
}

macro_rules! monthly_form {
    ($form:ty, $kind:ident) => {
        impl RecordBody for $form {
            const KIND: EntityKind = EntityKind::$kind;
            fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
                monthly(at, self.person_id, self.month)
            }
        }
    };
}
monthly_form!(Form2a, Form2a);
monthly_form!(Form2b, Form2b);
monthly_form!(Form2c, Form2c);

/// A monthly form lives at the id derived from person and month, so two phones filling the
/// same month meet on one record; and a month cannot lie in the future.
fn monthly(at: &CheckContext, person: PersonId, month: YearMonth) -> Result<(), Vec<FieldError>> {
    let mut errors = ValidationErrors::default();
    if at.record_id != monthly_record_id(person, month) {
        errors.push(
            "record_id",
            "record_id_mismatch",
            "Id formulir bulanan harus diturunkan dari orang dan bulan",
            "A monthly form's id must be derived from the person and the month",
        );
    }
    if month > YearMonth::of(at.today) {
        errors.push(
            "month",
            "in_future",
            "Bulan tidak boleh di masa depan",
            "Month cannot be in the future",
        );
    }
    errors.into_result()
}

// The birth date lives on the child, which the server does not look up here; the phone,
// which has it, calls `validate` with it.
impl RecordBody for MeasurementRecord {
    const KIND: EntityKind = EntityKind::Measurement;
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        self.validate(None, at.today)
    }
}

macro_rules! yearly_plan {
    ($record:ty, $kind:ident) => {
        impl RecordBody for $record {
            const KIND: EntityKind = EntityKind::$kind;
            fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
                self.validate(at.today.year())
            }
        }
    };
}
yearly_plan!(BudgetLine, BudgetLine);
yearly_plan!(Innovation, Innovation);
yearly_plan!(Deadline, Deadline);
yearly_plan!(Assignment, Assignment);

impl RecordBody for Contribution {
    const KIND: EntityKind = EntityKind::Contribution;
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        self.validate(at.today.year(), at.today)
    }
}

impl RecordBody for VillageFund {
    const KIND: EntityKind = EntityKind::VillageFund;
    /// Table 5 of one village and year lives at the id derived from both, so two phones
    /// entering the same year meet on one record.
    fn check(&self, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        let mut errors = self.validate(at.today.year()).err().unwrap_or_default();
        if at.record_id != village_fund_id(&self.village_code, self.year) {
            errors.push(FieldError {
                field: "record_id".into(),
                code: "record_id_mismatch".into(),
                message_id: "Id Dana Desa harus diturunkan dari desa dan tahun".into(),
                message_en: "A Dana Desa record's id must be derived from the village and the year"
                    .into(),
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anthro::Sex;
    use crate::ids::HouseholdId;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 15);

    fn registration() -> CheckContext {
        CheckContext {
            record_id: Uuid::from_u128(7),
            today: TODAY,
            is_new: true,
        }
    }

    fn child_born(birth_date: Date) -> Child {
        Child {
            household_id: HouseholdId(Uuid::from_u128(1)),
            name: "Ani".to_owned(),
            sex: Sex::Female,
            birth_date,
            nik: None,
            kia_register_no: None,
            birth_certificate: false,
            health_insurance: false,
        }
    }

    /// The server's answer for the body the phone would send, with `body.` taken off.
    fn as_server_sees<T: RecordBody>(record: &T, at: &CheckContext) -> Result<(), Vec<FieldError>> {
        let body = serde_json::to_value(record).expect("serialisable");
        validate_record(T::KIND, &body, at).map_err(|errors| {
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = e.field.trim_start_matches("body.").to_owned();
                    e
                })
                .collect()
        })
    }

    #[test]
    fn a_child_of_24_months_is_refused_at_registration() {
        let child = child_born(date!(2024 - 06 - 15));
        let errors = child.check(&registration()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "birth_date");
        assert_eq!(errors[0].code, "age_out_of_range");
        assert_eq!(
            errors[0].message_id,
            "Saat didaftarkan umur harus 0-23 bulan"
        );
    }

    #[test]
    fn a_child_of_23_months_is_registered_and_an_aged_out_child_stays_editable() {
        assert_eq!(
            child_born(date!(2024 - 06 - 16)).check(&registration()),
            Ok(())
        );
        let edit = CheckContext {
            is_new: false,
            ..registration()
        };
        assert_eq!(child_born(date!(2024 - 06 - 15)).check(&edit), Ok(()));
    }

    /// The server judges a body once, before it knows whether the record is stored: the
    /// verdict it then picks is the one the phone's check gives in that context.
    #[test]
    fn one_judgement_holds_the_verdicts_as_a_registration_and_as_an_edit() {
        let aged_out = serde_json::to_value(child_born(date!(2024 - 06 - 15))).expect("json");
        let len = aged_out.to_string().len();
        let verdicts =
            judge_encoded_record(EntityKind::Child, &aged_out, len, Uuid::from_u128(7), TODAY);
        let as_new = verdicts.for_record(true).unwrap_err();
        assert_eq!(as_new.len(), 1);
        assert_eq!(
            (as_new[0].field.as_str(), as_new[0].code.as_str()),
            ("body.birth_date", "age_out_of_range")
        );
        assert_eq!(verdicts.for_record(false), Ok(()));

        let mut shapeless = aged_out;
        shapeless["sex"] = serde_json::json!(3);
        let refused = judge_encoded_record(
            EntityKind::Child,
            &shapeless,
            len,
            Uuid::from_u128(7),
            TODAY,
        );
        assert_eq!(refused.for_record(true), refused.for_record(false));
        let errors = validate_record(EntityKind::Child, &shapeless, &registration()).unwrap_err();
        assert_eq!(
            errors[0].field, "body.sex",
            "the second decoding names the field"
        );
    }

    #[test]
    fn the_phone_and_the_server_give_the_same_errors_for_the_same_body() {
        let mut child = child_born(date!(2023 - 01 - 01));
        child.name = " ".to_owned();
        child.nik = Some("123".to_owned());
        let at = registration();
        let phone = child.check(&at);
        assert!(phone.as_ref().is_err_and(|e| e.len() == 3), "{phone:?}");
        assert_eq!(as_server_sees(&child, &at), phone);

        let woman = PregnantWoman {
            household_id: HouseholdId(Uuid::from_u128(1)),
            name: "Siti".to_owned(),
            nik: None,
            kia_register_no: String::new(),
            lmp_date: Some(date!(2026 - 07 - 01)),
            expected_delivery_date: None,
            status: Default::default(),
            delivery_date: None,
        };
        assert!(woman.check(&at).is_err());
        assert_eq!(as_server_sees(&woman, &at), woman.check(&at));
    }

    #[test]
    fn server_paths_are_under_body() {
        let body = serde_json::to_value(child_born(date!(2020 - 01 - 01))).unwrap();
        let errors = validate_record(EntityKind::Child, &body, &registration()).unwrap_err();
        assert_eq!(errors[0].field, "body.birth_date");
    }

    #[test]
    fn an_undecodable_body_names_its_field() {
        let body = serde_json::json!({"household_id": Uuid::nil(), "name": "A", "sex": "X", "birth_date": "2026-01-01"});
        let errors = validate_record(EntityKind::Child, &body, &registration()).unwrap_err();
        assert_eq!(errors[0].field, "body.sex");
        assert_eq!(errors[0].code, "invalid");
    }
}
