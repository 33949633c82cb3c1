//! Reading form inputs into typed records and checking them before anything is saved, so
//! the cadre sees each problem next to its field. The rules themselves are the shared
//! crate's (`konvergen_shared::records`); this only turns text into values for them.

use konvergen_shared::api::FieldError;
use konvergen_shared::records::{CheckContext, RecordBody};
use leptos::prelude::*;
use time::Date;
use uuid::Uuid;

use crate::i18n::{Key, Lang, t};

/// A problem reading an input, before the shared rules can judge it (no date, not a
/// number), in the shared crate's shape with the catalogue's texts in both languages.
pub fn input_error(field: &str, code: &str, key: Key) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message_id: t(Lang::Id, key).to_owned(),
        message_en: t(Lang::En, key).to_owned(),
    }
}

/// A date from a date input (`yyyy-mm-dd`); `None` when empty or unreadable, the latter
/// with a problem.
pub fn read_date(problems: &mut Vec<FieldError>, field: &str, value: &str) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let date = konvergen_shared::date::parse_iso(value);
    if date.is_none() {
        problems.push(input_error(field, "invalid_format", Key::NotADate));
    }
    date
}

/// A date the record cannot do without: as [`read_date`], and empty is a problem too.
pub fn read_required_date(
    problems: &mut Vec<FieldError>,
    field: &str,
    value: &str,
) -> Option<Date> {
    if value.trim().is_empty() {
        problems.push(input_error(field, "required", Key::Required));
    }
    read_date(problems, field, value)
}

/// An optional decimal number, written with a comma or a point.
pub fn read_decimal(problems: &mut Vec<FieldError>, field: &str, value: &str) -> Option<f64> {
    let value = value.trim().replace(',', ".");
    if value.is_empty() {
        return None;
    }
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
    if number.is_none() {
        problems.push(input_error(field, "invalid_format", Key::NotANumber));
    }
    number
}

/// An optional text: trimmed, `None` when empty.
pub fn optional_text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Runs the shared crate's rules for `record` (the ones the server runs on the body) and
/// adds their problems to those of reading the inputs, one per field: a field that could
/// not be read keeps that message, since a rule judged a stand-in value there.
pub fn check<T: RecordBody>(
    record: &T,
    record_id: Uuid,
    is_new: bool,
    mut problems: Vec<FieldError>,
) -> Result<(), Vec<FieldError>> {
    let at = CheckContext {
        record_id,
        today: today(),
        is_new,
    };
    merge(&mut problems, record.check(&at).err().unwrap_or_default());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Adds `found` to `problems`, skipping fields that already have one.
pub fn merge(problems: &mut Vec<FieldError>, found: Vec<FieldError>) {
    for error in found {
        if !problems.iter().any(|p| p.field == error.field) {
            problems.push(error);
        }
    }
}

/// An existing record of type `T`, decoded from its stored body for editing.
pub fn existing<T: RecordBody>(ctx: crate::AppCtx, id: Option<Uuid>) -> Option<T> {
    let body = ctx.db.with_value(|db| {
        let records = &db.snapshot().records;
        id.and_then(|id| records.get(&id).map(|r| r.body.clone()))
    })?;
    serde_json::from_value(body).ok()
}

/// Today by the phone's clock (local time).
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

/// `yyyy-mm-dd` of a date, for date inputs.
pub fn iso(date: Date) -> String {
    konvergen_shared::date::iso(date)
}

/// Stores `record` as the body of record `id` (queued for sync), then shows `then`.
pub fn save_record<T: RecordBody>(
    ctx: crate::AppCtx,
    id: Uuid,
    record: &T,
    then: Option<crate::pages::Page>,
) {
    let Ok(body) = serde_json::to_value(record) else {
        return;
    };
    let db = ctx.db.get_value();
    leptos::task::spawn_local(async move {
        let saved = db
            .edit(T::KIND, id, konvergen_shared::sync::Operation::Upsert, body)
            .await;
        if saved.is_ok() {
            ctx.sync.data_changed();
            // Saved: back to where the cadre came from (the task list or the household).
            if let Some(page) = then {
                ctx.back_to(page);
            }
        }
    });
}

/// "Desember 2026" (`style` "long") or "Des 2026" ("short"), from the browser's own calendar
/// names, so the app carries no tables of them.
pub fn month_name(
    lang: Lang,
    month: konvergen_shared::monitoring::YearMonth,
    style: &str,
) -> String {
    let date =
        js_sys::Date::new_with_year_month_day(month.year as u32, i32::from(month.month) - 1, 15);
    let options = js_sys::Object::new();
    for (key, value) in [("month", style), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let locale = if lang == Lang::Id { "id-ID" } else { "en-GB" };
    date.to_locale_date_string(locale, &options).into()
}
