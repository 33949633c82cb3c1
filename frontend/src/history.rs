//! Screens in the browser's history, for the cadre app and the desk alike.
//!
//! Each screen has its own address, so Android's back gesture returns to the previous screen
//! instead of closing the app, and a reload (offline too: the service worker answers every
//! navigation with the app's shell) opens the screen the user was on. A few dozen lines over
//! `history.pushState` do what a router would, without its weight in the phone's first load.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    /// Set by [`replace_next`]: the next screen change replaces the current entry.
    static REPLACE_NEXT: Cell<bool> = const { Cell::new(false) };
}

/// The address of the page: path and query.
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| {
            let location = w.location();
            Some(location.pathname().ok()? + &location.search().ok()?)
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// How many screens of this app lie behind the current one in the history (0 when the app
/// was opened here), kept in each entry's state.
fn depth() -> u32 {
    web_sys::window()
        .and_then(|w| w.history().ok()?.state().ok()?.as_f64())
        .map_or(0, |d| d as u32)
}

fn write(path: &str, replace: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let depth = if replace { depth() } else { depth() + 1 };
    let state = wasm_bindgen::JsValue::from_f64(f64::from(depth));
    let _ = if replace {
        history.replace_state_with_url(&state, "", Some(path))
    } else {
        history.push_state_with_url(&state, "", Some(path))
    };
}

/// The next screen change replaces the current history entry instead of adding one: after a
/// form is saved, back should not reopen the form.
pub fn replace_next() {
    REPLACE_NEXT.with(|flag| flag.set(true));
}

/// Goes back one screen when an earlier screen of the app is in the history; otherwise
/// (opened from a bookmark or after a reload at depth 0) shows `fallback` in place.
pub fn back<T: Send + Sync + 'static>(screen: RwSignal<T>, fallback: T) {
    if depth() > 0
        && let Some(history) = web_sys::window().and_then(|w| w.history().ok())
    {
        let _ = history.back();
        return;
    }
    replace_next();
    screen.set(fallback);
}

/// Keeps `screen` and the address in step: a change of the screen writes its address (a new
/// entry, or the current one after [`replace_next`]); the browser's back and forward set the
/// screen the address names. The caller creates the signal from [`current_path`].
pub fn bind<T>(screen: RwSignal<T>, to_path: fn(&T) -> String, from_path: fn(&str) -> T)
where
    T: Send + Sync + 'static,
{
    Effect::new(move |previous: Option<()>| {
        let path = screen.with(to_path);
        let replace = REPLACE_NEXT.with(|flag| flag.replace(false)) || previous.is_none();
        if path != current_path() || previous.is_none() {
            write(&path, replace);
        }
    });
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_pop = Closure::<dyn Fn()>::new(move || screen.set(from_path(&current_path())));
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_pop.forget();
}
