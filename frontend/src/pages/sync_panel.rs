//! The sync panel: what waits, what the server acknowledged, and what to do about errors.

use konvergen_shared::sync::MutationStatus;
use leptos::prelude::*;

use crate::AppCtx;
use crate::i18n::{Key, t, tr, use_lang};
use crate::pages::home::phase_name;
use crate::pwa::StorageInfo;
use crate::sync::Phase;

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
                    .to_locale_string("id-ID", &wasm_bindgen::JsValue::UNDEFINED)
                    .into()
            },
        )
    };
    let outbox = move || ctx.state().outbox;
    let receipts = move || {
        let mut receipts = ctx.state().receipts;
        receipts.reverse();
        receipts.truncate(50);
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
            <h3>{tr(Key::Outbox)}" ("<span data-testid="outbox-count">{move || outbox().len()}</span>")"</h3>
            <ul class="list small">
                {move || outbox().into_iter().map(|entry| view! {
                    <li>{format!("#{} {}", entry.mutation.seq, entry.mutation.entity.as_str())}</li>
                }).collect_view()}
            </ul>
            <h3>{tr(Key::Receipts)}</h3>
            <ul class="list small" data-testid="receipts">
                {move || receipts().into_iter().map(|receipt| {
                    let key = match receipt.result.status {
                        MutationStatus::Applied => Key::Applied,
                        MutationStatus::Duplicate => Key::Duplicate,
                        MutationStatus::Conflict => Key::Conflict,
                        MutationStatus::Rejected => Key::Rejected,
                    };
                    let reasons: Vec<String> = receipt.result.errors.iter().map(|e| e.message_id.clone()).collect();
                    view! {
                        <li data-testid="receipt" data-status=format!("{:?}", receipt.result.status).to_lowercase()>
                            {format!("#{} {} ", receipt.result.seq, receipt.entity.as_str())}
                            <strong>{move || t(lang.get(), key)}</strong>
                            {receipt.result.change_seq.map(|seq| format!(" · server #{seq}"))}
                            {(!reasons.is_empty()).then(|| format!(" — {}", reasons.join("; ")))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{tr(Key::Storage)}</h3>
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
