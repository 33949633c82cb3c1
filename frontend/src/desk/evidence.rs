//! One evidence item of the 8-action checklist: its label, links and files; for the district
//! also the link field, the file picker and "Selesai".
//!
//! Files attached offline wait in the files database with the item named as their target
//! ([`konvergen_shared::files::LocalFile::attached_to`]); the next online read of the
//! checklist saves them into their items ([`save_waiting_attachments`]), and the upload queue
//! sends their content on its own. Until the content arrives the server marks the reference
//! pending, so other readers see "file still on its way".

use konvergen_shared::actions::catalogue::EvidenceDef;
use konvergen_shared::actions::checklist::Checklist;
use konvergen_shared::actions::evidence::{FileMeta, ItemState};
use konvergen_shared::files::{FileState, LocalFile};
use leptos::prelude::*;

use super::api::{self, DeskError};
use super::drafts::Draft;
use crate::files::Files;
use crate::files::view::{FileCard, FilePicker};
use crate::i18n::{DeskKey, Key, Lang, tr, use_lang};

/// The files database's name for an item: `checklist/<regency>/<year>/<key>`.
pub fn item_target(regency: &str, year: i32, key: &str) -> String {
    format!("checklist/{regency}/{year}/{key}")
}

fn item_path(regency: &str, year: i32, key: &str) -> String {
    format!("/api/v1/actions/checklists/{regency}/{year}/items/{key}")
}

/// `state` with `added` files appended (each once) and, if given, the link set.
pub fn with_attachments(
    mut state: ItemState,
    added: &[FileMeta],
    link: Option<String>,
) -> ItemState {
    for file in added {
        if !state.files.iter().any(|f| f.sha256 == file.sha256) {
            state.files.push(file.clone());
        }
    }
    if let Some(link) = link.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()) {
        state.links = vec![link];
    }
    state
}

/// Files attached to `target` on this device that `state` does not name yet (tracked).
fn attached_here(files: Option<Files>, target: &str, state: &ItemState) -> Vec<LocalFile> {
    files
        .map(|files| files.attached_to(target))
        .unwrap_or_default()
        .into_iter()
        .filter(|local| !state.files.iter().any(|f| f.sha256 == local.meta.sha256))
        .collect()
}

/// Of those, the ones to save into the record: not the ones the server refused, which would
/// stay "on their way" for ever.
fn to_save(files: Option<Files>, target: &str, state: &ItemState) -> Vec<FileMeta> {
    attached_here(files, target, state)
        .into_iter()
        .filter(|local| local.state != FileState::Refused)
        .map(|local| local.meta)
        .collect()
}

/// Saves every item that has files attached on this device but not yet saved, one after the
/// other (each save raises the checklist's version, which the next one sends back). Returns
/// whether anything was saved.
pub async fn save_waiting_attachments(
    files: Files,
    token: &str,
    regency: &str,
    checklist: &Checklist,
    mut version: u64,
) -> Result<bool, DeskError> {
    // One run at a time: two reads of the checklist close together (the network back, a
    // file attached) would otherwise both save the same files from the same version.
    let Some(_running) = SavingAttachments::start() else {
        return Ok(false);
    };
    let mut saved = false;
    for (key, state) in items_with_waiting_files(files, regency, checklist) {
        let target = item_target(regency, checklist.year, &key);
        let added = to_save(Some(files), &target, &state);
        if added.is_empty() {
            continue;
        }
        let body = with_attachments(state, &added, None);
        let path = format!(
            "{}?expected_version={version}",
            item_path(regency, checklist.year, &key)
        );
        let view: super::actions::View = api::send(token, "PUT", &path, &body).await?;
        version = view.version;
        for meta in &added {
            let _ = files.saved_in(&meta.sha256, &target).await;
        }
        saved = true;
    }
    Ok(saved)
}

thread_local! {
    static SAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Held while [`save_waiting_attachments`] runs.
struct SavingAttachments;

impl SavingAttachments {
    fn start() -> Option<Self> {
        (!SAVING.replace(true)).then_some(Self)
    }
}

impl Drop for SavingAttachments {
    fn drop(&mut self) {
        SAVING.set(false);
    }
}

fn items_with_waiting_files(
    files: Files,
    regency: &str,
    checklist: &Checklist,
) -> Vec<(String, ItemState)> {
    let prefix = item_target(regency, checklist.year, "");
    let keys: Vec<String> = files.entries.with_untracked(|entries| {
        let mut keys: Vec<String> = entries
            .iter()
            .flat_map(|e| e.attached_to.iter())
            .filter_map(|t| t.strip_prefix(&prefix).map(str::to_owned))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    });
    keys.into_iter()
        .map(|key| {
            let state = checklist.items.get(&key).cloned().unwrap_or_default();
            (key, state)
        })
        .collect()
}

/// An evidence item as a list row. It stays drawn while the checklist is read again; only
/// what changed in its own state is redrawn.
#[component]
pub fn EvidenceRow(
    def: EvidenceDef,
    /// The item as last read.
    state: Memo<ItemState>,
    /// A save of it made offline, not on the server yet.
    draft: Memo<Option<Draft>>,
    /// The district may still change it.
    editable: bool,
    /// Its name in the files database ([`item_target`]).
    target: String,
    /// Saves the item (the checklist view adds the version).
    save: Callback<ItemState>,
    /// Drops the offline save.
    discard: Callback<()>,
    /// Asks the view to read the checklist again (after a file was attached).
    attached: Callback<()>,
    /// Shown under the item's evidence: the province's review of it.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let files = Files::get();
    // What the row shows and builds on: the offline save if there is one.
    let server_state = state;
    let state = Memo::new(move |_| draft.get().map_or_else(|| server_state.get(), |d| d.item));
    let link = link_field(state);
    let target = StoredValue::new(target);
    let local = Memo::new(move |_| state.with(|s| attached_here(files, &target.get_value(), s)));
    let EvidenceDef {
        key,
        label_id,
        label_en,
        required,
    } = def;
    let labels = StoredValue::new((label_id, label_en));
    let label = move || {
        labels.with_value(|(id, en)| {
            if lang.get() == Lang::En {
                en.clone()
            } else {
                id.clone()
            }
        })
    };
    let done = move |_| {
        let current = state.get_untracked();
        let added = to_save(files, &target.get_value(), &current);
        let body = with_attachments(current, &added, Some(link.get_untracked()));
        save.run(ItemState { done: true, ..body });
    };
    let remove_saved = editable.then(|| {
        Callback::new(move |sha256: String| {
            let mut kept = state.get_untracked();
            kept.files.retain(|f| f.sha256 != sha256);
            save.run(kept);
        })
    });
    view! {
        <li data-testid="evidence-item" data-key=key data-done=move || state.with(ItemState::evidenced).to_string()>
            <span>{label}{required.then_some(" *")}</span>
            {(!editable).then_some(move || state.get().links.into_iter().map(|href| {
                let text = href.clone();
                view! { <a class="evidence-link" href=href target="_blank" rel="noopener noreferrer">{text}</a> }
            }).collect_view())}
            <div class="file-cards">
                <For each=move || state.get().files key=|meta| meta.sha256.clone() let(meta)>
                    <FileCard meta=meta remove=remove_saved />
                </For>
                <For each=move || local.get() key=|local| local.meta.sha256.clone() let(local)>
                    // Attached here only: removing it just forgets the attachment.
                    <FileCard meta=local.meta not_saved=true remove=Some(forget_attachment(files, target)) />
                </For>
            </div>
            {children.map(|children| children())}
            {move || draft.get().map(|d| draft_note(d.stale, discard, server_state))}
            {editable.then(|| view! {
                <input data-testid="evidence-link" placeholder="https://" aria-label=move || format!("{} (https://)", label())
                    prop:value=move || link.get() on:input=move |ev| link.set(event_target_value(&ev)) />
                <FilePicker target=target.get_value() on_attached=Callback::new(move |_| attached.run(())) />
                <button class="secondary" data-testid="evidence-save" on:click=done>{tr(Key::Done)}</button>
            })}
        </li>
    }
}

/// "Saved on this device" under an item saved offline. When somebody changed the item on
/// the server since, the server's version is shown beside the coordinator's: "Selesai" sends
/// the coordinator's over it, "Buang" keeps the server's.
fn draft_note(stale: bool, discard: Callback<()>, server_state: Memo<ItemState>) -> impl IntoView {
    if !stale {
        return view! { <p class="warning" data-testid="item-draft" data-stale="false">{tr(DeskKey::DraftWaiting)}</p> }.into_any();
    }
    let on_server = move || {
        let links = server_state.with(|s| s.links.join(", "));
        if links.is_empty() {
            "–".to_owned()
        } else {
            links
        }
    };
    view! {
        <div class="warning" data-testid="item-draft" data-stale="true">
            <p>{tr(DeskKey::DraftStale)}</p>
            <p class="muted" data-testid="draft-server-version">{tr(DeskKey::DraftOnServer)}": "{on_server}</p>
            <button class="secondary" data-testid="draft-discard" on:click=move |_| discard.run(())>{tr(DeskKey::DraftDiscard)}</button>
        </div>
    }
    .into_any()
}

/// The link being typed: it starts as the stored link and follows it when a read brings a
/// different one, but a read that leaves the link as it was keeps what is being typed.
fn link_field(state: Memo<ItemState>) -> RwSignal<String> {
    let stored = Memo::new(move |_| state.with(|s| s.links.first().cloned().unwrap_or_default()));
    let link = RwSignal::new(stored.get_untracked());
    Effect::new(move |first: Option<()>| {
        let stored = stored.get();
        if first.is_some() {
            link.set(stored);
        }
    });
    link
}

/// Forgets that a file attached on this device belongs to the item `target`.
fn forget_attachment(files: Option<Files>, target: StoredValue<String>) -> Callback<String> {
    Callback::new(move |sha256: String| {
        let Some(files) = files else { return };
        let target = target.get_value();
        leptos::task::spawn_local(async move {
            let _ = files.saved_in(&sha256, &target).await;
        });
    })
}

#[cfg(test)]
mod tests {
    use konvergen_shared::actions::evidence::{FileMeta, ItemState};

    use super::{item_target, with_attachments};

    fn file(sha: char) -> FileMeta {
        FileMeta {
            name: format!("{sha}.pdf"),
            size: 1,
            sha256: sha.to_string().repeat(64),
            media_type: "application/pdf".into(),
            taken_at: None,
            pending: false,
        }
    }

    #[test]
    fn attaching_keeps_what_the_item_had_and_adds_each_file_once() {
        let before = ItemState {
            done: true,
            links: vec!["https://jdih.example/perbup".into()],
            files: vec![file('a')],
            note: "ditandatangani".into(),
            ..ItemState::default()
        };
        let after = with_attachments(before.clone(), &[file('a'), file('b'), file('b')], None);
        assert_eq!(after.files, vec![file('a'), file('b')]);
        assert_eq!(
            (after.done, &after.links, &after.note),
            (true, &before.links, &before.note)
        );
        let relinked = with_attachments(after, &[], Some("  ".into()));
        assert_eq!(
            relinked.links, before.links,
            "an empty link field keeps the link"
        );
    }

    #[test]
    fn targets_name_regency_year_and_item() {
        assert_eq!(
            item_target("63.03", 2026, "a1.1"),
            "checklist/63.03/2026/a1.1"
        );
    }
}
