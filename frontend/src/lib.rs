//! konvergen web app: the cadre's offline-first tool.

pub mod api;
pub mod components;
pub mod desk;
pub mod files;
pub mod forms;
pub mod i18n;
pub mod ids;
pub mod pages;
pub mod pwa;
pub mod session;
pub mod sign_out;
pub mod store;
pub mod sync;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::connection::ConnectionBadge;
use crate::i18n::{Key, t, tr, use_lang};
use crate::pages::Page;
use crate::session::Session;
use crate::store::DeviceDb;
use crate::sync::SyncHandle;

/// What every screen of a signed-in session needs.
#[derive(Debug, Clone, Copy)]
pub struct AppCtx {
    /// The device database (not `Send`: it lives on the browser's one thread).
    pub db: StoredValue<DeviceDb, LocalStorage>,
    /// Sync state and triggers.
    pub sync: SyncHandle,
    /// The current screen.
    pub page: RwSignal<Page>,
    /// The signed-in user.
    pub session: StoredValue<Session>,
}

impl AppCtx {
    /// The context of the signed-in session.
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// A snapshot of the device state, re-read whenever local data changes.
    pub fn state(&self) -> konvergen_shared::sync::outbox::DeviceState {
        self.sync.revision.track();
        self.db.with_value(DeviceDb::snapshot)
    }
}

/// Root component of the cadre module: sign-in, then the signed-in shell. Supervisors and
/// the province are sent to the desk module at `/desk/`, which phones never download.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    let ready = RwSignal::new(None::<AppCtx>);
    // Until the kept session is opened (or found absent), the sign-in form stays hidden, so a
    // reload of a signed-in phone does not flash it.
    let restoring = RwSignal::new(true);
    let start = move |session: Session| {
        if session.me.role == konvergen_shared::api::Role::Cadre {
            open_session(session, ready, restoring);
        } else {
            go_to("/desk/");
        }
    };
    let on_login = Callback::new(start);
    spawn_local(async move {
        // Databases of accounts removed at the last sign-out; none is open in this page yet.
        spawn_local(session::finish_wipes());
        match session::restore().await {
            Some(session) => start(session),
            None => restoring.set(false),
        }
    });
    pwa::register_service_worker();
    view! {
        <AppBar />
        <pwa::UpdatePrompt />
        <main class="content">
            {move || match ready.get() {
                None => view! {
                    <p class="tagline" data-testid="tagline">{tr(Key::Tagline)}</p>
                    {(!restoring.get()).then(|| view! { <pages::login::LoginPage on_login=on_login /> })}
                }
                .into_any(),
                Some(ctx) => {
                    provide_context(ctx);
                    view! { <SignedIn ctx=ctx /> }.into_any()
                }
            }}
        </main>
    }
}

/// The bar at the top of both modules: name, server reachability, language switch.
#[component]
pub fn AppBar() -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="app-bar">
            <h1 data-testid="app-name">"konvergen"</h1>
            <ConnectionBadge />
            <button class="link" data-testid="lang-switch" on:click=move |_| lang.update(|l| *l = l.other())>
                {move || t(lang.get(), Key::LanguageSwitch)}
            </button>
        </header>
    }
}

/// Loads another page of the app in place of this one (the desk module, or back to sign-in).
pub fn go_to(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
}

/// Opens the user's device database and starts syncing.
fn open_session(session: Session, ready: RwSignal<Option<AppCtx>>, restoring: RwSignal<bool>) {
    spawn_local(async move {
        match DeviceDb::open(&session.me.username).await {
            Ok(db) => {
                let sync = sync::start(db.clone(), &session);
                pwa::ask_persistent_storage();
                session::watch_other_tabs(&session.me.username);
                ready.set(Some(AppCtx {
                    db: StoredValue::new_local(db),
                    sync,
                    page: RwSignal::new(Page::Home),
                    session: StoredValue::new(session),
                }));
                sync.request();
            }
            Err(err) => leptos::logging::error!("opening the device database failed: {err}"),
        }
        restoring.set(false);
    });
}

/// The signed-in shell: navigation and the current screen.
#[component]
fn SignedIn(ctx: AppCtx) -> impl IntoView {
    let sign_out = sign_out::SignOut::new();
    let pending = move || ctx.state().outbox.len();
    view! {
        <nav class="tabs">
            <button data-testid="nav-home" class:active=move || ctx.page.get() == Page::Home
                on:click=move |_| ctx.page.set(Page::Home)>{tr(Key::Households)}</button>
            <button data-testid="nav-scorecard" class:active=move || ctx.page.get() == Page::Scorecard
                on:click=move |_| ctx.page.set(Page::Scorecard)>{tr(Key::Scorecard)}</button>
            <button data-testid="nav-sync" class:active=move || ctx.page.get() == Page::Sync
                on:click=move |_| ctx.page.set(Page::Sync)>
                {tr(Key::SyncPanel)}
                <span class="badge" data-testid="pending-count">{pending}</span>
            </button>
            {sign_out.button()}
        </nav>
        <sign_out::SignOutPanel state=sign_out session=ctx.session />
        {move || match ctx.page.get() {
            Page::Home => view! { <pages::home::HomePage /> }.into_any(),
            Page::Household(id) => view! { <pages::household::HouseholdPage id=id /> }.into_any(),
            Page::Pregnant { household, id } => {
                view! { <pages::member::PregnantPage household=household id=id /> }.into_any()
            }
            Page::Child { household, id } => {
                view! { <pages::member::ChildPage household=household id=id /> }.into_any()
            }
            Page::Paud { household, id } => {
                view! { <pages::member::PaudPage household=household id=id /> }.into_any()
            }
            Page::Measure(child) => view! { <pages::measure::MeasurePage child=child /> }.into_any(),
            Page::Monthly(person) => view! { <pages::monthly::MonthlyPage person=person /> }.into_any(),
            Page::Scorecard => view! { <pages::scorecard::ScorecardPage /> }.into_any(),
            Page::Sync => view! { <pages::sync_panel::SyncPanel /> }.into_any(),
        }}
    }
}
