//! The team tab's building blocks: reading the team's records out of the device database,
//! labelled fields whose errors come from the shared validation, and saving a record into
//! the outbox.

use konvergen_shared::api::FieldError;
use konvergen_shared::sync::outbox::DeviceState;
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::AppCtx;
use crate::i18n::{DeskKey, Lang, t, tr, use_lang};

/// The team's records of one kind for `regency` and `year`, with whether each is still in
/// this browser's outbox.
pub(super) fn records_of<T: DeserializeOwned>(
    state: &DeviceState,
    kind: EntityKind,
    keep: impl Fn(&T) -> bool,
) -> Vec<(Uuid, T, bool)> {
    state
        .live(kind)
        .filter_map(|record| {
            let value: T = serde_json::from_value(record.body.clone()).ok()?;
            let waiting = state
                .outbox
                .iter()
                .any(|e| e.mutation.record_id == record.record_id);
            keep(&value).then_some((record.record_id, value, waiting))
        })
        .collect()
}

/// The message of `field` among `errors`, in the interface's language.
pub(super) fn message_of(
    errors: RwSignal<Vec<FieldError>>,
    field: &'static str,
    lang: Lang,
) -> Option<String> {
    errors.with(|errors| {
        errors.iter().find(|e| e.field == field).map(|e| {
            if lang == Lang::En {
                e.message_en.clone()
            } else {
                e.message_id.clone()
            }
        })
    })
}

/// A labelled input whose error (from the shared validation) shows under it.
pub(super) fn input(
    label: DeskKey,
    name: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
    inputmode: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || message_of(errors, name, lang.get());
    view! {
        <label class="field">
            <span class="label">{tr(label)}</span>
            <input inputmode=inputmode data-testid=format!("field-{name}") class:invalid=move || error().is_some()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            {move || error().map(|text| view! { <span class="error" role="alert" data-testid=format!("error-{name}")>{text}</span> })}
        </label>
    }
}

/// A labelled text area whose error shows under it.
pub(super) fn text_area(
    label: DeskKey,
    name: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || message_of(errors, name, lang.get());
    view! {
        <label class="field">
            <span class="label">{tr(label)}</span>
            <textarea rows="3" data-testid=format!("field-{name}") class:invalid=move || error().is_some()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            {move || error().map(|text| view! { <span class="error" role="alert" data-testid=format!("error-{name}")>{text}</span> })}
        </label>
    }
}

/// A labelled choice among `options` (value, label).
pub(super) fn select(
    label: DeskKey,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{tr(label)}</span>
            <select data-testid=format!("field-{name}") prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(option, text)| {
                    let chosen = option.clone();
                    view! { <option value=option selected=move || value.get() == chosen>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Stores a record in the device database and queues it; `Ok` once it is safe on the device.
pub(super) fn save_record(
    ctx: AppCtx,
    kind: EntityKind,
    body: serde_json::Value,
    done: impl FnOnce() + 'static,
) {
    save_record_as(ctx, kind, Uuid::now_v7(), body, done);
}

/// Stores a record under `record_id` (an existing record is edited: two devices editing the
/// same record offline meet as a conflict) and queues it.
pub(super) fn save_record_as(
    ctx: AppCtx,
    kind: EntityKind,
    record_id: Uuid,
    body: serde_json::Value,
    done: impl FnOnce() + 'static,
) {
    let db = ctx.db.get_value();
    spawn_local(async move {
        if db
            .edit(kind, record_id, Operation::Upsert, body)
            .await
            .is_ok()
        {
            ctx.sync.data_changed();
            done();
        }
    });
}

/// The agency field: fixed for an agency account, a choice of the list for the coordinator.
pub(super) fn agency_field(
    agency: RwSignal<String>,
    agencies: RwSignal<Vec<String>>,
) -> impl IntoView {
    move || {
        let list = agencies.get();
        if agency.get_untracked().is_empty()
            && let Some(first) = list.first()
        {
            agency.set(first.clone());
        }
        select(
            DeskKey::TeamAgency,
            "agency",
            agency,
            list.into_iter().map(|a| (a.clone(), a)).collect(),
        )
    }
}

pub(super) fn sent_label(waiting: bool, lang: Lang) -> &'static str {
    t(
        lang,
        if waiting {
            DeskKey::TeamNotSent
        } else {
            DeskKey::TeamSent
        },
    )
}

/// Why the server refused the last change of a record, if it did (a year closed meanwhile,
/// an agency taken off the list): the record stays on this device and says so, instead of
/// looking sent.
pub(super) fn refusal(record_id: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let reasons = move || {
        let state = ctx.state();
        let last = state
            .receipts
            .iter()
            .rev()
            .find(|r| r.record_id == record_id)?;
        if last.result.status != konvergen_shared::sync::MutationStatus::Rejected
            || state
                .outbox
                .iter()
                .any(|e| e.mutation.record_id == record_id)
        {
            return None;
        }
        let english = lang.get() == Lang::En;
        let texts: Vec<String> = last
            .result
            .errors
            .iter()
            .map(|e| {
                if english {
                    e.message_en.clone()
                } else {
                    e.message_id.clone()
                }
            })
            .collect();
        Some(texts.join("; "))
    };
    move || {
        reasons().map(|text| {
            view! {
                <span class="error" role="alert" data-testid="record-refused">
                    {move || t(lang.get(), DeskKey::TeamRefused)}" "{text}
                </span>
            }
        })
    }
}
