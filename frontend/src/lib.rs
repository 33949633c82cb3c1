//! konvergen web app: the cadre's offline-first tool.

pub mod api;
pub mod components;
pub mod desk;
pub mod files;
pub mod forms;
pub mod history;
pub mod i18n;
pub mod ids;
pub mod pages;
pub mod pwa;
pub mod register;
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
    /// The current screen, kept in step with the address (`history::bind`).
    pub page: RwSignal<Page>,
    /// The signed-in user.
    pub session: StoredValue<Session>,
}

impl AppCtx {
    /// The context of the signed-in session.
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Leaves the current screen: back in the history when the app brought the cadre here,
    /// otherwise to `parent` (after a reload, or from a shared address).
    pub fn back_to(&self, parent: Page) {
        history::back(self.page, parent);
    }

    /// A snapshot of the device state, re-read whenever local data changes.
    pub fn state(&self) -> konvergen_shared::sync::outbox::DeviceState {
        self.sync.revision.track();
        self.db.with_value(DeviceDb::snapshot)
    }
}

/// The screens a build of the cadre app carries itself. The module a phone loads first
/// leaves out what a cadre does not need on day one; the full module (`/scorecard/`, the same
/// app with every screen) is loaded when she opens one of those screens, and kept for offline
/// use after the first sync (docs/benchmarks.md, "First load").
#[derive(Debug, Clone, Copy)]
pub struct Screens {
    /// The village scorecard: the real page, or the way to the module that has it.
    pub scorecard: fn() -> AnyView,
}

impl Screens {
    /// The first-load module: the scorecard lives in the full module.
    pub const FIRST_LOAD: Self = Self {
        scorecard: pages::elsewhere::scorecard,
    };

    /// The full module: every screen.
    pub const FULL: Self = Self {
        scorecard: || view! { <pages::scorecard::ScorecardPage /> }.into_any(),
    };
}

/// Root component of the cadre app: sign-in, then the signed-in shell. Supervisors and
/// the province are sent to the desk module at `/desk/`, which phones never download.
#[component]
pub fn App(
    /// Which screens this module carries.
    screens: Screens,
) -> impl IntoView {
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
    let sign_out = sign_out::SignOut::new();
    let signed_in = Signal::derive(move || ready.get().is_some());
    view! {
        <AppBar sign_out=sign_out signed_in=signed_in />
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
                    view! { <SignedIn ctx=ctx sign_out=sign_out screens=screens /> }.into_any()
                }
            }}
        </main>
    }
}

/// The bar at the top of both modules: name, server reachability, language switch, and once
/// signed in (cadre module) the sign-out button.
#[component]
pub fn AppBar(
    /// The sign-out dialog the button opens.
    #[prop(optional)]
    sign_out: Option<sign_out::SignOut>,
    /// Whether to show the sign-out button.
    #[prop(optional, into)]
    signed_in: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="app-bar">
            <h1 data-testid="app-name">"konvergen"</h1>
            <ConnectionBadge />
            <button class="link" data-testid="lang-switch" on:click=move |_| lang.update(|l| *l = l.other())>
                {move || t(lang.get(), Key::LanguageSwitch)}
            </button>
            {move || sign_out.filter(|_| signed_in.get()).map(sign_out::SignOut::button)}
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
                    page: RwSignal::new(Page::from_path(&history::current_path())),
                    session: StoredValue::new(session),
                }));
                sync.request();
            }
            Err(err) => leptos::logging::error!("opening the device database failed: {err}"),
        }
        restoring.set(false);
    });
}

/// The signed-in shell: the current screen, and the navigation (a bar at the bottom of a
/// phone's screen, where the thumb is).
#[component]
fn SignedIn(ctx: AppCtx, sign_out: sign_out::SignOut, screens: Screens) -> impl IntoView {
    history::bind(ctx.page, Page::path, Page::from_path);
    pwa::keep_full_module_after_sync(ctx.sync);
    let pending = move || ctx.state().outbox.len();
    let tab = move |page: Page, label: Key, id: &'static str| {
        view! {
            <button data-testid=id class:active=move || ctx.page.get().tab() == page
                aria-current=move || (ctx.page.get().tab() == page).then_some("page")
                on:click=move |_| ctx.page.set(page)>
                <span>{tr(label)}</span>
                {(page == Page::Sync).then(|| view! { <span class="badge" data-testid="pending-count">{pending}</span> })}
            </button>
        }
    };
    view! {
        <sign_out::SignOutPanel state=sign_out session=ctx.session />
        {move || match ctx.page.get() {
            Page::Tasks => view! { <pages::tasks::TasksPage /> }.into_any(),
            Page::Home => view! { <pages::home::HomePage /> }.into_any(),
            Page::Household(id) => view! { <pages::household::HouseholdPage id=id /> }.into_any(),
            Page::HouseholdEdit(id) => view! { <pages::household::HouseholdEditPage id=id /> }.into_any(),
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
            Page::Monthly { person, month } => {
                view! { <pages::monthly::MonthlyPage person=person month=month /> }.into_any()
            }
            Page::Scorecard => (screens.scorecard)(),
            Page::Sync => view! { <pages::sync_panel::SyncPanel /> }.into_any(),
        }}
        <nav class="tabs bottom-nav">
            {tab(Page::Tasks, Key::NavTasks, "nav-tasks")}
            {tab(Page::Home, Key::NavHouseholds, "nav-home")}
            {tab(Page::Scorecard, Key::NavScorecard, "nav-scorecard")}
            {tab(Page::Sync, Key::NavSync, "nav-sync")}
        </nav>
    }
}
