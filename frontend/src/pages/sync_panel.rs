//! The sync panel: what waits, what the server acknowledged, and what to do about errors.

use konvergen_shared::sync::MutationStatus;
use konvergen_shared::sync::outbox::{DeviceState, Receipt};
use leptos::prelude::*;

use crate::AppCtx;
use crate::i18n::{Key, Lang, locale_tag, t, tr, use_lang};
use crate::pages::home::phase_name;
use crate::pwa::StorageInfo;
use crate::sync::Phase;

/// A record created and deleted on this phone before it was ever sent reaches the server as
/// a delete of something it never had, which it refuses as "not found". For the cadre that is
/// not an error: what she wanted (no such record) is what happened.
fn deleted_before_sent(state: &DeviceState, receipt: &Receipt) -> bool {
    let not_found = receipt
        .result
        .errors
        .iter()
        .any(|e| e.field == "record_id" && e.code == "not_found");
    let deleted_here = state
        .records
        .get(&receipt.record_id)
        .is_some_and(|r| r.deleted && r.server_version == 0);
    receipt.result.status == MutationStatus::Rejected && not_found && deleted_here
}

/// The sync panel.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let storage = LocalResource::new(crate::pwa::storage_info);
    let phase_text = move || match ctx.sync.phase.get() {
        Phase::UpToDate => t(lang.get(), Key::Synced),
        Phase::Running => t(lang.get(), Key::Syncing),
        Phase::Idle => t(lang.get(), Key::NotSynced),
        Phase::Behind(key) => t(lang.get(), key),
    };
    let last = move || {
        ctx.sync.last_synced_ms.get().map_or_else(
            || t(lang.get(), Key::Never).to_owned(),
            |ms| {
                js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
                    .to_locale_string(locale_tag(lang.get()), &wasm_bindgen::JsValue::UNDEFINED)
                    .into()
            },
        )
    };
    let outbox = move || ctx.state().outbox;
    let receipts = move || {
        let state = ctx.state();
        let receipts: Vec<(Receipt, bool)> = state
            .receipts
            .iter()
            .rev()
            .take(50)
            .map(|receipt| (receipt.clone(), deleted_before_sent(&state, receipt)))
            .collect();
        receipts
    };
    view! {
        <section class="sync-panel">
            <p class="sync-line" data-testid="sync-status" data-phase=move || phase_name(ctx.sync.phase.get())>{phase_text}</p>
            <p>{tr(Key::LastSync)}": "<span data-testid="last-sync">{last}</span></p>
            <button class="primary wide" data-testid="sync-now" on:click=move |_| ctx.sync.request()
                disabled=move || ctx.sync.phase.get() == Phase::Running>
                {tr(Key::SyncNow)}
            </button>
            <h2>{tr(Key::Outbox)}" ("<span data-testid="outbox-count">{move || outbox().len()}</span>")"</h2>
            <ul class="list small">
                {move || outbox().into_iter().map(|entry| view! {
                    <li>{format!("#{} {}", entry.mutation.seq, entry.mutation.entity.as_str())}</li>
                }).collect_view()}
            </ul>
            <h2>{tr(Key::Receipts)}</h2>
            <ul class="list small" data-testid="receipts">
                {move || receipts().into_iter().map(|(receipt, deleted_early)| {
                    let key = match receipt.result.status {
                        MutationStatus::Applied => Key::Applied,
                        MutationStatus::Duplicate => Key::Duplicate,
                        MutationStatus::Conflict => Key::Conflict,
                        MutationStatus::Rejected if deleted_early => Key::DeletedBeforeSent,
                        MutationStatus::Rejected => Key::Rejected,
                    };
                    let errors = if deleted_early { Vec::new() } else { receipt.result.errors.clone() };
                    let reasons = move || {
                        let english = lang.get() == Lang::En;
                        let texts: Vec<&str> = errors.iter().map(|e| if english { e.message_en.as_str() } else { e.message_id.as_str() }).collect();
                        (!texts.is_empty()).then(|| format!(" — {}", texts.join("; ")))
                    };
                    view! {
                        <li data-testid="receipt" data-status=format!("{:?}", receipt.result.status).to_lowercase()>
                            {format!("#{} {} ", receipt.result.seq, receipt.entity.as_str())}
                            <strong>{move || t(lang.get(), key)}</strong>
                            {receipt.result.change_seq.map(|seq| format!(" · server #{seq}"))}
                            {reasons}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{tr(Key::Storage)}</h2>
            {move || storage.get().map(|info| storage_view(info, lang.get()))}
        </section>
    }
}

fn storage_view(info: StorageInfo, lang: crate::i18n::Lang) -> impl IntoView {
    let mb = |bytes: f64| format!("{:.1} MB", bytes / 1_048_576.0);
    let low = info.quota > 0.0 && info.usage / info.quota > 0.9;
    view! {
        <p data-testid="storage">{format!("{} / {}", mb(info.usage), mb(info.quota))}</p>
        <p data-testid="storage-persisted">
            {t(lang, if info.persisted { Key::StoragePersisted } else { Key::StorageNotPersisted })}
        </p>
        {low.then(|| view! { <p class="warning" role="alert">{t(lang, Key::StorageLow)}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use konvergen_shared::api::FieldError;
    use konvergen_shared::sync::outbox::{DeviceState, Receipt};
    use konvergen_shared::sync::{EntityKind, MutationResult, MutationStatus, Operation};
    use serde_json::json;
    use uuid::Uuid;

    use super::deleted_before_sent;

    fn refused(record_id: Uuid, field: &str, code: &str) -> Receipt {
        Receipt {
            record_id,
            entity: EntityKind::Household,
            result: MutationResult {
                seq: 1,
                record_id,
                status: MutationStatus::Rejected,
                version: None,
                change_seq: None,
                server_time_ms: 0,
                errors: vec![FieldError {
                    field: field.to_owned(),
                    code: code.to_owned(),
                    message_id: String::new(),
                    message_en: String::new(),
                }],
            },
        }
    }

    #[test]
    fn only_a_refused_delete_of_a_record_the_server_never_had_is_reworded() {
        let id = Uuid::from_u128(1);
        let mut state = DeviceState::default();
        state.edit(
            EntityKind::Household,
            id,
            Operation::Upsert,
            json!({"head_name": "Sementara"}),
            0,
        );
        state.edit(
            EntityKind::Household,
            id,
            Operation::Delete,
            serde_json::Value::Null,
            1,
        );
        assert!(deleted_before_sent(
            &state,
            &refused(id, "record_id", "not_found")
        ));
        // Any other refusal stays a refusal.
        assert!(!deleted_before_sent(
            &state,
            &refused(id, "body.head_name", "required")
        ));
        // A record the phone still has alive was refused for a real reason.
        let kept = Uuid::from_u128(2);
        state.edit(
            EntityKind::Household,
            kept,
            Operation::Upsert,
            json!({"head_name": "Tetap"}),
            2,
        );
        assert!(!deleted_before_sent(
            &state,
            &refused(kept, "record_id", "not_found")
        ));
    }
}
