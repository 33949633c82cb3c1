//! When and how the app syncs: at start, when the network comes back, every few minutes
//! while open, and on "Sinkronkan sekarang"; retries back off with jitter. Only one tab of
//! the app syncs at a time, so two tabs never race on the outbox: each run holds the Web Lock
//! `konvergen-sync` (`navigator.locks`, requested with `ifAvailable`, so a tab that finds it
//! taken skips the run instead of queueing). Browsers without Web Locks fall back to a lease
//! in localStorage.

use std::time::Duration;

use konvergen_shared::sync::engine::{
    SyncEngine, SyncError, SyncReport, TransportError, backoff_ms,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::BrowserTransport;
use crate::i18n::Key;
use crate::session::Session;
use crate::store::DeviceDb;

/// Sync while the app is open, this often.
const PERIOD: Duration = Duration::from_secs(180);
/// How long a tab's claim to sync lasts without renewal (fallback without Web Locks).
const LEASE_MS: f64 = 60_000.0;
const LEASE_KEY: &str = "konvergen.sync-lease";
/// The Web Lock held for the duration of one sync run.
const LOCK_NAME: &str = "konvergen-sync";

/// What the sync panel and the header show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing running yet.
    Idle,
    /// A run is in progress.
    Running,
    /// Outbox empty and pull up to date with matching checksums.
    UpToDate,
    /// Something waits; the key says why in plain words.
    Behind(Key),
}

/// Reactive sync state shared through context.
#[derive(Debug, Clone, Copy)]
pub struct SyncHandle {
    /// Current phase.
    pub phase: RwSignal<Phase>,
    /// When the last run reached "up to date" (ms since the epoch).
    pub last_synced_ms: RwSignal<Option<f64>>,
    /// The last run's report.
    pub last_report: RwSignal<Option<SyncReport>>,
    /// Bumped whenever local data changed (views re-read the store).
    pub revision: RwSignal<u64>,
    trigger: RwSignal<u64>,
}

impl SyncHandle {
    /// Asks for a sync run now.
    pub fn request(&self) {
        self.trigger.update(|n| *n += 1);
    }

    /// Tells views that local data changed, and schedules a sync.
    pub fn data_changed(&self) {
        self.revision.update(|n| *n += 1);
        self.request();
    }
}

/// Starts the sync machinery for a signed-in session.
pub fn start(db: DeviceDb, session: &Session) -> SyncHandle {
    let handle = SyncHandle {
        phase: RwSignal::new(Phase::Idle),
        last_synced_ms: RwSignal::new(None),
        last_report: RwSignal::new(None),
        revision: RwSignal::new(0),
        trigger: RwSignal::new(0),
    };
    let transport = BrowserTransport {
        token: session.token.clone(),
        device_id: session.device_id.to_string(),
    };
    let device_id = session.device_id;
    let attempt = StoredValue::new(0_u32);
    Effect::new(move |_| {
        handle.trigger.track();
        if handle.phase.get_untracked() == Phase::Running {
            return;
        }
        let (db, transport) = (db.clone(), transport.clone());
        let run = move || async move {
            handle.phase.set(Phase::Running);
            let outcome = SyncEngine::new(db, transport, device_id).sync().await;
            finish(handle, attempt, outcome);
        };
        match lock_manager() {
            Some(locks) => request_lock(&locks, run),
            None if take_lease() => spawn_local(run()),
            None => {}
        }
    });
    if let Ok(interval) = set_interval_with_handle(move || handle.request(), PERIOD) {
        on_cleanup(move || interval.clear());
    }
    on_online(move || handle.request());
    handle
}

fn finish(handle: SyncHandle, attempt: StoredValue<u32>, outcome: Result<SyncReport, SyncError>) {
    handle.revision.update(|n| *n += 1);
    match outcome {
        Ok(report) => {
            attempt.set_value(0);
            let done = report.up_to_date;
            handle.last_report.set(Some(report));
            if done {
                handle.last_synced_ms.set(Some(js_sys::Date::now()));
                handle.phase.set(Phase::UpToDate);
            } else {
                handle.phase.set(Phase::Behind(Key::NotSynced));
            }
        }
        Err(error) => {
            let key = match &error {
                SyncError::Transport(TransportError::Unauthorized) => Key::SyncErrorSession,
                SyncError::Transport(TransportError::Refused(..)) => Key::SyncErrorRefused,
                _ => Key::SyncErrorOffline,
            };
            handle.phase.set(Phase::Behind(key));
            let tries = attempt.get_value();
            attempt.set_value(tries.saturating_add(1));
            let delay = backoff_ms(tries, js_sys::Math::random());
            set_timeout(move || handle.request(), Duration::from_millis(delay));
        }
    }
}

/// `navigator.locks`, where the browser has Web Locks (web-sys exposes them only behind
/// `web_sys_unstable_apis`, hence the reflection).
fn lock_manager() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Runs `run` while holding the sync lock, or not at all when another tab holds it: the lock
/// is released when the promise returned to `locks.request` settles, i.e. after the run.
fn request_lock<F>(locks: &JsValue, run: impl FnOnce() -> F + 'static)
where
    F: std::future::Future<Output = ()> + 'static,
{
    let Ok(request) = js_sys::Reflect::get(locks, &JsValue::from_str("request")) else {
        return;
    };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let callback = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            // Another tab is syncing; its result reaches this tab through the next run.
            return js_sys::Promise::resolve(&JsValue::FALSE);
        }
        wasm_bindgen_futures::future_to_promise(async move {
            run().await;
            Ok(JsValue::TRUE)
        })
    });
    if let Err(err) = request.call3(locks, &JsValue::from_str(LOCK_NAME), &options, &callback) {
        leptos::logging::error!("navigator.locks.request failed: {err:?}");
    }
}

/// Claims (or renews) the right to sync for this tab (browsers without Web Locks).
fn take_lease() -> bool {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return true;
    };
    let now = js_sys::Date::now();
    let mine = tab_id();
    let current = storage
        .get_item(LEASE_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut parts = current.splitn(2, '|');
    let holder = parts.next().unwrap_or_default().to_owned();
    let until: f64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0.0);
    if holder != mine && until > now {
        return false;
    }
    storage
        .set_item(LEASE_KEY, &format!("{mine}|{}", now + LEASE_MS))
        .is_ok()
}

/// This tab's id, kept in sessionStorage so a reload of the same tab keeps its lease.
fn tab_id() -> String {
    const KEY: &str = "konvergen.tab";
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
    {
        return id;
    }
    let id = crate::ids::new_id().to_string();
    if let Some(storage) = storage {
        let _ = storage.set_item(KEY, &id);
    }
    id
}

fn on_online(callback: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure = Closure::<dyn Fn()>::new(callback);
    let _ = window.add_event_listener_with_callback("online", closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}
