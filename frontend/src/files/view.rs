//! File screens: the picker (a file or a photo from the camera), a card per attached file
//! (thumbnail, name, size, where it stands) that opens it full size, and the line saying how
//! much the files take on this device.

use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::files::{self as rules, FileKind, FileState, LocalFile};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlInputElement, Url};

use super::{FileError, Files};
use crate::i18n::{DeskKey, desk_msg, t, tr, use_lang};

/// "Lampirkan berkas" and "Ambil foto": each picked file is stored and queued, then handed to
/// `on_attached` (which adds it to the record).
#[component]
pub fn FilePicker(
    /// The record the files are for, e.g. `checklist/63.03/2026/a1-perbup`.
    target: String,
    /// Called with each stored file.
    on_attached: Callback<FileMeta>,
) -> impl IntoView {
    let lang = use_lang();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FileError>);
    // The space warning shows where a file was just picked (and above the list), not under
    // every picker on the page.
    let picked_here = RwSignal::new(false);
    let target = StoredValue::new(target);
    let files = Files::get();
    let picked = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else {
            return;
        };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // The same file can be picked again later (the input only fires on a change).
        input.set_value("");
        let Some(files) = files else {
            return;
        };
        busy.set(true);
        picked_here.set(true);
        error.set(None);
        spawn_local(async move {
            for file in chosen {
                match files.attach(&file, &target.get_value()).await {
                    Ok(meta) => on_attached.run(meta),
                    Err(err) => error.set(Some(err)),
                }
            }
            busy.set(false);
        });
    };
    let low_space = move || {
        files
            .and_then(|f| f.low_space.get())
            .filter(|_| picked_here.get())
    };
    view! {
        <div class="file-picker">
            <label class="button secondary">
                {tr(DeskKey::AttachFile)}
                <input type="file" class="visually-hidden" data-testid="file-input" multiple
                    accept=rules::ACCEPTED_MEDIA_TYPES on:change=picked />
            </label>
            <label class="button secondary">
                {tr(DeskKey::TakePhoto)}
                <input type="file" class="visually-hidden" data-testid="photo-input"
                    accept="image/*" capture="environment" on:change=picked />
            </label>
            {move || busy.get().then(|| view! { <p class="muted" role="status">{tr(DeskKey::FilePreparing)}</p> })}
            {move || error.get().map(|err| view! { <p class="error" role="alert" data-testid="file-error">{move || err.message(lang.get())}</p> })}
            {move || low_space().map(|left| view! {
                <p class="warning" role="alert" data-testid="storage-low">{move || desk_msg::file_space_low(lang.get(), &rules::human_size(left))}</p>
            })}
        </div>
    }
}

/// Where a file stands, as the card shows it: the device's queue knows best; otherwise the
/// server's `pending` flag (sent from another device, not arrived yet).
fn state_of(meta: &FileMeta, local: Option<&LocalFile>) -> (&'static str, DeskKey) {
    match local.map(|l| l.state) {
        Some(FileState::Waiting) => ("waiting", DeskKey::FileWaiting),
        Some(FileState::Sending) => ("sending", DeskKey::FileSending),
        Some(FileState::Refused) => ("refused", DeskKey::FileRefused),
        Some(FileState::OnServer) => ("on-server", DeskKey::FileOnServer),
        None if meta.pending => ("on-its-way", DeskKey::FileOnItsWay),
        None => ("on-server", DeskKey::FileOnServer),
    }
}

/// One attached file: thumbnail (photos), name, size and state; a tap opens it.
#[component]
pub fn FileCard(
    meta: FileMeta,
    /// Attached on this device, not yet saved in the record.
    #[prop(optional)]
    not_saved: bool,
    /// Offered to whoever may change the record: called with the file's hash.
    #[prop(optional_no_strip)]
    remove: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_lang();
    // Taken here: async blocks run outside the component's reactive owner.
    let files = Files::get();
    let photo = FileKind::of(&meta.media_type) == Some(FileKind::Photo);
    let sha = meta.sha256.clone();
    let local = move || files.and_then(|f| f.entry(&sha));
    let meta = StoredValue::new(meta);
    let state = Memo::new(move |_| {
        let (id, key) = state_of(&meta.get_value(), local().as_ref());
        let error = local().and_then(|l| l.error);
        (id, key, error)
    });
    let thumb = RwSignal::new(None::<String>);
    if photo {
        spawn_local(async move {
            if let Some(files) = files {
                thumb.set(thumbnail_url(files, &meta.get_value()).await);
            }
        });
    }
    on_cleanup(move || {
        if let Some(url) = thumb.get_untracked() {
            let _ = Url::revoke_object_url(&url);
        }
    });
    let viewer = RwSignal::new(None::<Viewer>);
    let open_error = RwSignal::new(None::<FileError>);
    let open = move |_| {
        open_error.set(None);
        spawn_local(async move {
            match open_full(files, &meta.get_value()).await {
                Ok(opened) => viewer.set(Some(opened)),
                Err(err) => open_error.set(Some(err)),
            }
        });
    };
    view! {
        <div class="file-card" data-testid="file-card" data-sha256=meta.get_value().sha256
            data-state=move || state.get().0 data-not-saved=not_saved.to_string()>
            <button class="file-open" data-testid="file-open" on:click=open
                aria-label=move || format!("{} {}", t(lang.get(), DeskKey::FileOpen), meta.get_value().name)>
                {move || match thumb.get() {
                    Some(url) => view! { <img class="thumb" src=url alt="" /> }.into_any(),
                    None => view! { <span class="thumb file-type" aria-hidden="true">{if photo { "IMG" } else { "PDF" }}</span> }.into_any(),
                }}
            </button>
            <div class="file-text">
                <span class="file-name">{meta.get_value().name}</span>
                <span class="muted">{rules::human_size(meta.get_value().size)}" · "
                    <span data-testid="file-state">{move || t(lang.get(), state.get().1)}</span></span>
                {move || state.get().2.map(|e| view! { <span class="error">{e}</span> })}
                {not_saved.then(|| view! { <span class="muted" data-testid="file-not-saved">{tr(DeskKey::FileNotSavedYet)}</span> })}
                {move || open_error.get().map(|err| view! { <span class="error" role="alert" data-testid="open-error">{move || err.message(lang.get())}</span> })}
            </div>
            {remove.map(|remove| {
                let sha256 = meta.get_value().sha256;
                view! {
                    <button class="link" data-testid="file-remove" on:click=move |_| remove.run(sha256.clone())
                        aria-label=move || format!("{} {}", t(lang.get(), DeskKey::FileRemove), meta.get_value().name)>{tr(DeskKey::FileRemove)}</button>
                }
            })}
            {move || viewer.get().map(|opened| opened.view(viewer))}
        </div>
    }
}

/// A file opened full size: a photo over the page, a PDF in the browser's own viewer (with a
/// link in case the browser blocked the new tab).
#[derive(Debug, Clone, PartialEq)]
struct Viewer {
    url: String,
    name: String,
    photo: bool,
}

impl Viewer {
    fn view(self, slot: RwSignal<Option<Viewer>>) -> impl IntoView {
        let close = move |_| {
            if let Some(open) = slot.get_untracked() {
                let _ = Url::revoke_object_url(&open.url);
            }
            slot.set(None);
        };
        let body = if self.photo {
            view! { <img class="full" data-testid="viewer-image" src=self.url.clone() alt=self.name.clone() /> }.into_any()
        } else {
            view! {
                <a class="button primary" data-testid="viewer-pdf" href=self.url.clone() target="_blank" rel="noopener">{self.name.clone()}</a>
                <a class="button secondary" data-testid="viewer-pdf-download" href=self.url.clone() download=self.name.clone()>"PDF ↓"</a>
            }
            .into_any()
        };
        view! {
            <div class="viewer" role="dialog" aria-modal="true" aria-label=self.name data-testid="viewer">
                {body}
                <button class="secondary" data-testid="viewer-close" on:click=close>{tr(DeskKey::FileClose)}</button>
            </div>
        }
    }
}

async fn open_full(files: Option<Files>, meta: &FileMeta) -> Result<Viewer, FileError> {
    let files = files.ok_or(FileError::NotHere)?;
    let content = files.content(meta).await?;
    let url = object_url(&content).ok_or_else(FileError::unreadable)?;
    let photo = FileKind::of(&meta.media_type) == Some(FileKind::Photo);
    if !photo {
        // Still inside the tap's user activation on a quick read; the link remains otherwise.
        if let Some(window) = web_sys::window() {
            let _ = window.open_with_url_and_target(&url, "_blank");
        }
    }
    Ok(Viewer {
        url,
        name: meta.name.clone(),
        photo,
    })
}

/// The local thumbnail, or the photo itself (fetched once, then kept for offline).
async fn thumbnail_url(files: Files, meta: &FileMeta) -> Option<String> {
    let blob = match files.thumbnail(&meta.sha256).await {
        Some(thumb) => thumb,
        None if meta.pending => return None,
        None => files.content(meta).await.ok()?,
    };
    object_url(&blob)
}

/// The photo itself as an object URL (from this device, else fetched once and kept), for
/// pages that show photos large, such as the printable presentation.
pub async fn photo_url(files: Files, meta: &FileMeta) -> Option<String> {
    if meta.pending {
        return None;
    }
    object_url(&files.content(meta).await.ok()?)
}

fn object_url(blob: &Blob) -> Option<String> {
    Url::create_object_url_with_blob(blob).ok()
}

/// "Berkas di perangkat ini: 3 (1.2 MB)".
#[component]
pub fn FilesOnDevice() -> impl IntoView {
    let lang = use_lang();
    let files = Files::get();
    let summary = move || {
        let files = files?;
        files.entries.with(|entries| {
            let here: Vec<&LocalFile> = entries.iter().filter(|e| e.has_content).collect();
            (!here.is_empty()).then(|| {
                let bytes = here.iter().map(|e| e.meta.size).sum();
                desk_msg::files_on_device(lang.get(), &here.len(), &rules::human_size(bytes))
            })
        })
    };
    let low_space = move || files.and_then(|f| f.low_space.get());
    view! {
        {move || summary().map(|text| view! { <p class="muted" data-testid="files-on-device">{text}</p> })}
        {move || low_space().map(|left| view! {
            <p class="warning" data-testid="storage-low-summary">{move || desk_msg::file_space_low(lang.get(), &rules::human_size(left))}</p>
        })}
    }
}
