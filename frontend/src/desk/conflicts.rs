//! The conflict review queue: both versions side by side, the changed fields marked, and a
//! choice with a reason: keep the server's version, take the incoming one, or merge them
//! field by field (either side or an edited value), with a preview of the merged record.

use konvergen_shared::supervision::{ConflictView, FieldDiff, Resolution, ResolveRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::api::{self, Fetched};
use super::cache_note;
use crate::i18n::{DeskKey, Key, msg, t, tr, use_lang};
use crate::session::Session;
use konvergen_shared::sync::EntityKind;

/// Open conflicts of the area.
#[component]
pub fn ConflictsView(session: Session) -> impl IntoView {
    let token = StoredValue::new(session.token);
    let reload = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        reload.track();
        let token = token.get_value();
        async move { api::get::<Vec<ConflictView>>(&token, "/api/v1/supervision/conflicts").await }
    });
    view! {
        <section data-testid="conflicts-view">
            {move || list.get().map(|result| match result {
                Ok(Fetched { data, cached_at_ms }) => {
                    let empty = data.is_empty();
                    view! {
                        {cache_note(cached_at_ms)}
                        {empty.then(|| view! { <p data-testid="no-conflicts">{tr(Key::NoConflicts)}</p> })}
                        {data.into_iter().map(|c| view! { <ConflictCard conflict=c token=token reload=reload /> }).collect_view()}
                    }.into_any()
                }
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

/// A record kind as the reviewer reads it ("Bagian instansi", not `contribution`).
fn kind_name(entity: &str, lang: RwSignal<crate::i18n::Lang>) -> impl Fn() -> String + use<> {
    use konvergen_shared::sync::EntityKind as K;
    let key = EntityKind::parse(entity).map(|kind| match kind {
        K::Household => DeskKey::KindHousehold,
        K::PregnantWoman => DeskKey::KindPregnantWoman,
        K::Child => DeskKey::KindChild,
        K::PaudChild => DeskKey::KindPaudChild,
        K::Form2a => DeskKey::KindForm2a,
        K::Form2b => DeskKey::KindForm2b,
        K::Form2c => DeskKey::KindForm2c,
        K::Measurement => DeskKey::KindMeasurement,
        K::VillageFund => DeskKey::KindVillageFund,
        K::BudgetLine => DeskKey::KindBudgetLine,
        K::Innovation => DeskKey::KindInnovation,
        K::Contribution => DeskKey::KindContribution,
        K::Deadline => DeskKey::KindDeadline,
        K::Assignment => DeskKey::KindAssignment,
    });
    let raw = entity.to_owned();
    move || {
        key.map_or_else(
            || raw.clone(),
            |key| crate::i18n::t(lang.get(), key).to_owned(),
        )
    }
}

/// The reviewer's choice for one changed field of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Server,
    Incoming,
    Edited,
}

/// One changed field in the merge: the choice and the value it gives (as JSON text).
#[derive(Debug, Clone, Copy)]
struct FieldChoice {
    side: RwSignal<Side>,
    text: RwSignal<String>,
}

/// A value as the reviewer reads and edits it: strings bare, everything else as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The inverse of [`show`]: JSON when it parses as a number, boolean, array or object,
/// otherwise the text itself; empty means "no value".
fn parse(text: &str) -> Value {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value) if !value.is_string() => value,
        _ => Value::String(text.to_owned()),
    }
}

/// The server's body with every changed field set as chosen (absent when empty).
fn merged(server_body: &Value, diff: &[FieldDiff], choices: &[FieldChoice]) -> Value {
    let mut body = server_body.as_object().cloned().unwrap_or_default();
    for (field, choice) in diff.iter().zip(choices) {
        match parse(&choice.text.get()) {
            Value::Null => body.remove(&field.field),
            value => body.insert(field.field.clone(), value),
        };
    }
    Value::Object(body)
}

#[component]
fn ConflictCard(
    conflict: ConflictView,
    token: StoredValue<String>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let merging = RwSignal::new(false);
    let id = conflict.id;
    let choices: Vec<FieldChoice> = conflict
        .diff
        .iter()
        .map(|d| FieldChoice {
            side: RwSignal::new(Side::Server),
            text: RwSignal::new(show(&d.server)),
        })
        .collect();
    let diff = StoredValue::new(conflict.diff.clone());
    let server_body = StoredValue::new(conflict.server_body.clone());
    let all_choices = StoredValue::new(choices.clone());
    let preview = move || {
        all_choices.with_value(|choices| {
            diff.with_value(|diff| server_body.with_value(|body| merged(body, diff, choices)))
        })
    };
    let resolve = move |resolution: Resolution| {
        let merged_body = (resolution == Resolution::Merge).then(preview);
        let request = ResolveRequest {
            resolution,
            merged_body,
            reason: reason.get_untracked(),
        };
        let token = token.get_value();
        spawn_local(async move {
            let path = format!("/api/v1/supervision/conflicts/{id}/resolve");
            match api::send::<_, ConflictView>(&token, "POST", &path, &request).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let rows = conflict
        .diff
        .iter()
        .zip(choices)
        .map(|(d, choice)| diff_row(d, choice, merging))
        .collect_view();
    view! {
        <div class="card conflict" data-testid="conflict">
            <strong data-testid="conflict-kind" data-entity=conflict.entity.clone()>{kind_name(&conflict.entity, lang)}" · "{conflict.username.clone()}</strong>
            {(conflict.count > 1).then(|| {
                let count = conflict.count;
                view! { <p class="muted" data-testid="conflict-repeats">{move || msg::conflict_repeats(lang.get(), &count)}</p> }
            })}
            <div class="table-scroll wraps" tabindex="0" role="region" aria-label=kind_name(&conflict.entity, lang)>
            <table>
                <tr>
                    <th>{tr(DeskKey::ConflictField)}</th><th>{tr(Key::ServerVersion)}</th><th>{tr(Key::IncomingVersion)}</th>
                    <th style:display=move || (!merging.get()).then_some("none")>{tr(Key::MergedVersion)}</th>
                </tr>
                {rows}
            </table>
            </div>
            {move || merging.get().then(|| view! {
                <h2>{tr(Key::MergePreview)}</h2>
                <pre class="preview" data-testid="merge-preview">{move || serde_json::to_string_pretty(&preview()).unwrap_or_default()}</pre>
            })}
            <label class="field"><span class="label">{tr(Key::Reason)}</span>
                <input data-testid="conflict-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="conflict-error">{message}</p> })}
            <div class="actions">
                <button class="secondary" data-testid="keep-server" on:click=move |_| resolve(Resolution::KeepServer)>{tr(Key::KeepServer)}</button>
                <button class="primary" data-testid="take-incoming" on:click=move |_| resolve(Resolution::TakeIncoming)>{tr(Key::TakeIncoming)}</button>
                {move || if merging.get() {
                    view! { <button class="primary" data-testid="save-merge" on:click=move |_| resolve(Resolution::Merge)>{tr(Key::SaveMerge)}</button> }.into_any()
                } else {
                    view! { <button class="secondary" data-testid="start-merge" on:click=move |_| merging.set(true)>{tr(Key::Merge)}</button> }.into_any()
                }}
            </div>
        </div>
    }
}

/// One changed field: both versions and, while merging, the choice and the resulting value.
fn diff_row(d: &FieldDiff, choice: FieldChoice, merging: RwSignal<bool>) -> impl IntoView + use<> {
    let (server, incoming) = (show(&d.server), show(&d.incoming));
    let pick = move |side: Side, text: &str| {
        let text = text.to_owned();
        move |_| {
            choice.side.set(side);
            choice.text.set(text.clone());
        }
    };
    let side_button = move |side: Side, key: Key, id: &'static str, text: &str| {
        view! {
            <button class="link" data-testid=id class:active=move || choice.side.get() == side
                on:click=pick(side, text)>{tr(key)}</button>
        }
    };
    let (server_pick, incoming_pick) = (
        side_button(Side::Server, Key::UseServer, "use-server", &server),
        side_button(Side::Incoming, Key::UseIncoming, "use-incoming", &incoming),
    );
    let hidden = move || (!merging.get()).then_some("none");
    let (lang, field) = (use_lang(), d.field.clone());
    view! {
        <tr class="changed" data-testid="diff-row" data-field=d.field.clone()>
            <td>{d.field.clone()}</td><td>{server}</td><td>{incoming}</td>
            <td style:display=hidden>
            {server_pick}" · "{incoming_pick}
            <input data-testid="merge-value" aria-label=move || format!("{field}: {}", t(lang.get(), Key::MergedVersion)) prop:value=move || choice.text.get()
                on:input=move |ev| {
                    choice.side.set(Side::Edited);
                    choice.text.set(event_target_value(&ev));
                } />
            </td>
        </tr>
    }
}
