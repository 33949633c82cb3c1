//! The upload queue: one file at a time, oldest first; a file leaves the queue only when
//! the server confirms it holds the hash (a HEAD that finds it, or a PUT answered 200/201).
//! Failures wait with backoff and jitter; when the browser reports the network back, the
//! waiting files are due at once.

use std::time::Duration;

use konvergen_shared::files::{FileState, LocalFile, UploadAnswer, next_due};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::{Files, now_ms, transfer};

/// How often the queue looks for due files (it reads memory only; requests go when due).
const TICK: Duration = Duration::from_secs(1);

/// Runs the queue of `files` for as long as the page lives.
pub fn start(files: Files) {
    when_back_online(files);
    spawn_local(async move {
        loop {
            gloo_timers::future::sleep(TICK).await;
            let due = files
                .entries
                .with_untracked(|entries| next_due(entries, now_ms()).cloned());
            if let Some(entry) = due {
                send(files, entry).await;
            }
        }
    });
}

async fn send(files: Files, mut entry: LocalFile) {
    let db = files.db();
    let Ok(Some(content)) = db.content(&entry.meta.sha256).await else {
        // The content is gone (the browser cleared it): nothing can be sent.
        entry.has_content = false;
        let _ = db.update(&entry).await;
        let _ = files.refresh().await;
        return;
    };
    // From the database, not the snapshot the tick took: a record saved with this file in
    // between must not have its note undone by a stale write.
    if let Ok(Some(fresh)) = db.entry(&entry.meta.sha256).await {
        entry = fresh;
    }
    entry.state = FileState::Sending;
    let _ = db.update(&entry).await;
    let _ = files.refresh().await;
    let token = files.token.get_value();
    let answer = if transfer::server_has(&token, &entry.meta.sha256).await {
        UploadAnswer::Stored
    } else {
        transfer::upload(&token, &entry.meta.sha256, &entry.meta.media_type, &content).await
    };
    // Re-read: the entry may have gained a target while it was being sent.
    let mut current = db
        .entry(&entry.meta.sha256)
        .await
        .ok()
        .flatten()
        .unwrap_or(entry);
    current.answered(answer, now_ms(), js_sys::Math::random());
    let _ = db.update(&current).await;
    let _ = files.evict_copies().await;
    let _ = files.refresh().await;
}

/// On the browser's `online` event, every waiting file is due now.
fn when_back_online(files: Files) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_online = Closure::<dyn Fn()>::new(move || {
        spawn_local(async move {
            let db = files.db();
            let Ok(entries) = db.entries().await else {
                return;
            };
            for mut entry in entries
                .into_iter()
                .filter(|e| e.state == FileState::Waiting)
            {
                entry.next_try_ms = now_ms();
                let _ = db.update(&entry).await;
            }
            let _ = files.refresh().await;
        });
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_online.forget();
}
