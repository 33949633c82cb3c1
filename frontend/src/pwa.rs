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
