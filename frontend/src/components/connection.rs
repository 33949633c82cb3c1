//! Online/offline badge driven by real requests to the health endpoint.
//!
//! `navigator.onLine` only says a network interface is up; on poor 3G or a captive portal it
//! is often wrong, so the badge trusts a successful answer from our own server instead.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{Key, Lang, t};

/// How often the server is probed while the app is open.
const PROBE_INTERVAL: Duration = Duration::from_secs(15);

/// Reachability of the server as last observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reachability {
    /// No probe has finished yet.
    Unknown,
    /// The last probe got a healthy answer.
    Online,
    /// The last probe failed.
    Offline,
}

/// The badge in the app bar.
#[component]
pub fn ConnectionBadge() -> impl IntoView {
    let lang = use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Id));
    let state = RwSignal::new(Reachability::Unknown);
    let probe = move || {
        spawn_local(async move {
            let healthy = api::health().await.is_ok_and(|h| h.database_ok);
            state.set(if healthy {
                Reachability::Online
            } else {
                Reachability::Offline
            });
        });
    };
    probe();
    if let Ok(handle) = set_interval_with_handle(probe, PROBE_INTERVAL) {
        on_cleanup(move || handle.clear());
    }
    let label = move || match state.get() {
        Reachability::Unknown => t(lang.get(), Key::Checking),
        Reachability::Online => t(lang.get(), Key::Online),
        Reachability::Offline => t(lang.get(), Key::Offline),
    };
    let status = move || match state.get() {
        Reachability::Unknown => "unknown",
        Reachability::Online => "online",
        Reachability::Offline => "offline",
    };
    view! {
        <span class="connection" data-testid="connection" data-status=status role="status">
            {label}
        </span>
    }
}
