//! Installable, offline app: service worker registration, the "update available" prompt,
//! and persistent storage.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Key, tr};

/// Storage use as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageInfo {
    /// Bytes used by this origin.
    pub usage: f64,
    /// Bytes allowed.
    pub quota: f64,
    /// Whether the browser promised not to evict the data.
    pub persisted: bool,
}

thread_local! {
    static UPDATE_READY: RwSignal<bool> = RwSignal::new(false);
    // The first install also takes control (clients.claim); only a swap the user asked for
    // may reload the page.
    static UPDATE_ACCEPTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Registers `/sw.js`; when a new version is installed and waiting, the prompt appears.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let promise = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(promise).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if registration.waiting().is_some() {
            UPDATE_READY.with(|ready| ready.set(true));
        }
        watch_for_updates(&registration);
    });
}

fn watch_for_updates(registration: &web_sys::ServiceWorkerRegistration) {
    let reg = registration.clone();
    let on_update = Closure::<dyn Fn()>::new(move || {
        let Some(installing) = reg.installing() else {
            return;
        };
        let reg = reg.clone();
        let worker = installing.clone();
        let on_state = Closure::<dyn Fn()>::new(move || {
            // "installed" with a controller present means a new version waits behind the
            // running one: ask the cadre, never swap the app under her hands.
            let controlled = web_sys::window()
                .is_some_and(|w| w.navigator().service_worker().controller().is_some());
            if worker.state() == web_sys::ServiceWorkerState::Installed
                && controlled
                && reg.waiting().is_some()
            {
                UPDATE_READY.with(|ready| ready.set(true));
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
    on_update.forget();
    let reload = Closure::<dyn Fn()>::new(|| {
        if !UPDATE_ACCEPTED.with(std::cell::Cell::get) {
            return;
        }
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    if let Some(window) = web_sys::window() {
        window
            .navigator()
            .service_worker()
            .set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    }
    reload.forget();
}

/// Tells the waiting worker to take over; the page reloads when it does.
fn apply_update() {
    UPDATE_ACCEPTED.with(|accepted| accepted.set(true));
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
            return;
        };
        if let Some(waiting) = registration.waiting() {
            let _ = waiting.post_message(&wasm_bindgen::JsValue::from_str("skip-waiting"));
        }
    });
}

/// The banner offering a new version.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let ready = UPDATE_READY.with(|ready| *ready);
    view! {
        <Show when=move || ready.get()>
            <div class="update" role="status" data-testid="update-prompt">
                <span>{tr(Key::UpdateAvailable)}</span>
                <button class="primary" data-testid="update-now" on:click=move |_| apply_update()>{tr(Key::UpdateNow)}</button>
            </div>
        </Show>
    }
}

/// Asks the browser to keep the data even under storage pressure.
pub fn ask_persistent_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(promise) = window.navigator().storage().persist() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

/// Usage, quota and persistence of this origin's storage.
pub async fn storage_info() -> StorageInfo {
    let mut info = StorageInfo {
        usage: 0.0,
        quota: 0.0,
        persisted: false,
    };
    let Some(window) = web_sys::window() else {
        return info;
    };
    let manager = window.navigator().storage();
    let estimate = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if let Some(estimate) = estimate {
        let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
        info.usage = estimate.get_usage().unwrap_or(0.0);
        info.quota = estimate.get_quota().unwrap_or(0.0);
    }
    if let Ok(promise) = manager.persisted() {
        info.persisted = JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
    }
    info
}

/// The full module's page in the service worker's cache (`sw.js` keeps it under this name).
const FULL_MODULE_PAGE: &str = "/scorecard/index.html";
/// In sessionStorage: when this tab last went to the server for the full module.
const FULL_MODULE_TRIED: &str = "konvergen.full-module-tried";
/// A trip to the server for the full module that came back here within this time failed
/// (the worker answers an unreachable server with this module): it is not repeated by itself.
const FULL_MODULE_RETRY_AFTER_MS: f64 = 30_000.0;

/// Whether the full module (`crate::Screens`) can be opened now: kept in the cache, or the
/// phone is online and has not just failed to fetch it (`retry` is the cadre asking again).
pub async fn full_module_reachable(retry: bool) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if full_module_kept(&window).await {
        return true;
    }
    if !window.navigator().on_line() {
        return false;
    }
    let storage = window.session_storage().ok().flatten();
    let now = js_sys::Date::now();
    let tried = storage
        .as_ref()
        .and_then(|storage| storage.get_item(FULL_MODULE_TRIED).ok().flatten())
        .and_then(|at| at.parse::<f64>().ok());
    if !retry && tried.is_some_and(|at| now - at < FULL_MODULE_RETRY_AFTER_MS) {
        return false;
    }
    if let Some(storage) = storage {
        let _ = storage.set_item(FULL_MODULE_TRIED, &now.to_string());
    }
    true
}

async fn full_module_kept(window: &web_sys::Window) -> bool {
    let Ok(caches) = window.caches() else {
        return false;
    };
    JsFuture::from(caches.match_with_str(FULL_MODULE_PAGE))
        .await
        .is_ok_and(|found| !found.is_undefined())
}

/// After the first sync that reaches "up to date", asks the service worker to keep the full
/// module for offline use. Not at install: on 3G it would compete with the first sync, and a
/// phone that never syncs has no scorecard to show.
pub fn keep_full_module_after_sync(sync: crate::sync::SyncHandle) {
    let asked = std::cell::Cell::new(false);
    Effect::new(move |_| {
        if sync.last_synced_ms.get().is_none() || asked.replace(true) {
            return;
        }
        wasm_bindgen_futures::spawn_local(post_to_active_worker("keep-full-module"));
    });
}

async fn post_to_active_worker(message: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(ready) = window.navigator().service_worker().ready() else {
        return;
    };
    let Ok(registration) = JsFuture::from(ready).await else {
        return;
    };
    let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
    if let Some(worker) = registration.active() {
        let _ = worker.post_message(&wasm_bindgen::JsValue::from_str(message));
    }
}
