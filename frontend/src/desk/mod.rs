//! The desk of district supervisors and the province: sync status, conflict review, area
//! figures with exports, and the 8-action checklist and assessment. These screens read the
//! server; offline they show the last answer they had, with its age.

mod actions;
mod aggregates;
pub mod api;
mod app;
mod conflicts;
mod drafts;
mod evidence;
mod overview;
mod panel;
mod review;
mod status;
mod team;

use konvergen_shared::api::Role;
use leptos::prelude::*;

use crate::i18n::{DeskKey, Key, Lang, locale_tag, t, tr, use_lang};
use crate::session::Session;

pub use app::DeskApp;

/// Desk tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Status,
    Conflicts,
    Aggregates,
    Actions,
    Team,
    Panel,
    Overview,
}

impl Tab {
    const ALL: [Self; 7] = [
        Self::Status,
        Self::Conflicts,
        Self::Aggregates,
        Self::Actions,
        Self::Team,
        Self::Panel,
        Self::Overview,
    ];

    /// The tab's name in the address (`/desk/?tab=aksi`).
    fn name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Conflicts => "konflik",
            Self::Aggregates => "capaian",
            Self::Actions => "aksi",
            Self::Team => "tim",
            Self::Panel => "penilaian",
            Self::Overview => "ikhtisar",
        }
    }

    /// The tab a role opens on.
    fn first_for(role: Role) -> Self {
        match role {
            Role::Province => Self::Overview,
            Role::Assessor => Self::Panel,
            Role::Agency => Self::Team,
            _ => Self::Status,
        }
    }

    /// Whether `role` has this tab.
    fn shown_to(self, role: Role) -> bool {
        let panel = matches!(role, Role::Province | Role::Assessor);
        match self {
            Self::Overview | Self::Panel => panel,
            Self::Status | Self::Conflicts => !matches!(role, Role::Agency | Role::Assessor),
            Self::Aggregates | Self::Actions => role != Role::Agency,
            Self::Team => matches!(role, Role::Supervisor | Role::Agency),
        }
    }
}

/// The address of a chosen tab (`None`: the role's first).
fn tab_path(tab: &Option<Tab>) -> String {
    tab.map_or_else(
        || "/desk/".to_owned(),
        |t| format!("/desk/?tab={}", t.name()),
    )
}

/// The tab an address names.
fn tab_from_path(path: &str) -> Option<Tab> {
    let name = path.split_once("tab=")?.1.split('&').next()?;
    Tab::ALL.into_iter().find(|t| t.name() == name)
}

/// The regency and year the province works on, kept across its tabs: a click on a regency
/// in the overview opens that regency's checklist of the same year.
#[derive(Debug, Clone, Copy)]
struct Focus {
    regency: RwSignal<String>,
    year: RwSignal<i32>,
}

/// The signed-in desk.
#[component]
pub fn Desk(session: Session) -> impl IntoView {
    let role = session.me.role;
    // The chosen tab lives in the address, so the browser's back returns to the previous tab
    // and a reload stays on this one; a tab the role does not have opens its first.
    let chosen = RwSignal::new(tab_from_path(&crate::history::current_path()));
    crate::history::bind(chosen, tab_path, tab_from_path);
    let tab = Tab::first_for(role);
    let tab = Signal::derive(move || chosen.get().filter(|t| t.shown_to(role)).unwrap_or(tab));
    // An agency sees its team's submissions only; the other tabs read what the coordinator
    // and the province read.
    let full_desk = !matches!(role, Role::Agency | Role::Assessor);
    let team = matches!(role, Role::Supervisor | Role::Agency);
    // The panel: the province runs it, its assessors score; they read checklists and figures.
    let panel = matches!(role, Role::Province | Role::Assessor);
    let assessor = role == Role::Assessor;
    let district = role == Role::Supervisor;
    // Signed in offline after a sign-out: no token until the next online sign-in.
    let tokenless = session.token.is_empty();
    if panel {
        let year = selectable_years(crate::forms::today().year())[0];
        let regency = actions::PROVINCE_FIRST_REGENCY.to_owned();
        provide_context(Focus {
            regency: RwSignal::new(regency),
            year: RwSignal::new(year),
        });
    }
    let open_checklist = Callback::new(move |()| chosen.set(Some(Tab::Actions)));
    let lang = use_lang();
    let session = StoredValue::new(session);
    let sign_out = crate::sign_out::SignOut::new();
    let button =
        move |which: Tab, key: Key, id: &'static str| tab_button(chosen, tab, which, key, id);
    view! {
        <nav class="tabs" aria-label=move || t(lang.get(), DeskKey::DeskTabs)>
            {panel.then(|| button(Tab::Overview, Key::DeskOverview, "nav-overview"))}
            {full_desk.then(|| view! {
                {button(Tab::Status, Key::DeskStatus, "nav-status")}
                {button(Tab::Conflicts, Key::DeskConflicts, "nav-conflicts")}
                {button(Tab::Aggregates, Key::DeskAggregates, "nav-aggregates")}
                {button(Tab::Actions, Key::DeskActions, "nav-actions")}
            })}
            {assessor.then(|| view! {
                {button(Tab::Aggregates, Key::DeskAggregates, "nav-aggregates")}
                {button(Tab::Actions, Key::DeskActions, "nav-actions")}
            })}
            {team.then(|| button(Tab::Team, Key::DeskTeam, "nav-team"))}
            {panel.then(|| tab_button(chosen, tab, Tab::Panel, DeskKey::DeskPanel, "nav-panel"))}
            {sign_out.button()}
        </nav>
        <crate::sign_out::SignOutPanel state=sign_out session=session />
        {tokenless.then(|| view! { <p class="warning" data-testid="session-note">{tr(Key::SyncErrorSession)}</p> })}
        {move || {
            let session = session.get_value();
            match tab.get() {
                Tab::Status => view! { <status::StatusView session=session /> }.into_any(),
                Tab::Conflicts => view! { <conflicts::ConflictsView session=session /> }.into_any(),
                Tab::Aggregates => view! { <aggregates::AggregatesView session=session /> }.into_any(),
                Tab::Actions => {
                    let result = district.then(|| {
                        let regency = session.me.areas.first().map(|a| a.code.clone()).unwrap_or_default();
                        let year = Signal::derive(|| selectable_years(crate::forms::today().year())[0]);
                        view! { <panel::ResultCard token=session.token.clone() regency=regency year=year /> }
                    });
                    view! { <actions::ActionsView session=session /> {result} }.into_any()
                }
                Tab::Team => view! { <team::TeamView session=session /> }.into_any(),
                Tab::Panel => view! { <panel::PanelView session=session /> }.into_any(),
                Tab::Overview => view! { <overview::OverviewView session=session open=open_checklist /> }.into_any(),
            }
        }}
    }
}

/// A tab's button.
fn tab_button(
    chosen: RwSignal<Option<Tab>>,
    shown: Signal<Tab>,
    which: Tab,
    label: impl crate::i18n::Text,
    id: &'static str,
) -> impl IntoView {
    view! {
        <button data-testid=id class:active=move || shown.get() == which
            aria-current=move || (shown.get() == which).then_some("page")
            on:click=move |_| chosen.set(Some(which))>{tr(label)}</button>
    }
}

/// The years a desk works on: the one assessed this year (last year's work) first, then the
/// current one and the one before (a district may hand over two years at once).
fn selectable_years(current: i32) -> [i32; 3] {
    [current - 1, current, current - 2]
}

/// "Tahun penilaian": a choice among [`selectable_years`].
fn year_picker(year: RwSignal<i32>, current: i32) -> impl IntoView {
    view! {
        <label class="field year-picker">
            <span class="label">{tr(crate::i18n::DeskKey::TeamYear)}</span>
            <select data-testid="field-year" prop:value=move || year.get().to_string()
                on:change=move |ev| if let Ok(chosen) = event_target_value(&ev).parse() { year.set(chosen) }>
                {selectable_years(current).into_iter().map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A checklist status as the interface names it.
fn status_name(status: konvergen_shared::actions::Status) -> crate::i18n::DeskKey {
    use crate::i18n::DeskKey;
    use konvergen_shared::actions::Status;
    match status {
        Status::Draft => DeskKey::StatusDraft,
        Status::Submitted => DeskKey::StatusSubmitted,
        Status::Returned => DeskKey::StatusReturned,
        Status::Verified => DeskKey::StatusVerified,
    }
}

/// "Saved data from <time>" when an answer came from the cache.
fn cache_note(cached_at_ms: Option<f64>) -> impl IntoView {
    let lang = use_lang();
    cached_at_ms.map(|at| {
        view! { <p class="warning" data-testid="cached-note">{move || t(lang.get(), Key::CachedData)}" "{move || date_time(lang.get(), at)}</p> }
    })
}

/// Formats ms since the epoch as a local date and time in `lang`, "–" when absent.
fn when(lang: Lang, ms: Option<i64>) -> String {
    ms.map_or_else(|| "–".to_owned(), |ms| date_time(lang, ms as f64))
}

/// A local date and time as `lang` writes it.
fn date_time(lang: Lang, ms: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
        .to_locale_string(locale_tag(lang), &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// A figure formatted the Indonesian way ("Rp 1.250.000", "87,5 %") as `lang` writes it:
/// English swaps the thousands dot and the decimal comma.
fn figure(lang: Lang, indonesian: &str) -> String {
    match lang {
        Lang::Id => indonesian.to_owned(),
        Lang::En => indonesian
            .chars()
            .map(|c| match c {
                '.' => ',',
                ',' => '.',
                other => other,
            })
            .collect(),
    }
}

/// A desk setting kept in this browser.
fn load_local(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Remembers a desk setting in this browser.
fn store_local(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_figures_swap_the_thousands_dot_and_the_decimal_comma() {
        assert_eq!(figure(Lang::Id, "Rp 1.250.000"), "Rp 1.250.000");
        assert_eq!(figure(Lang::En, "Rp 1.250.000"), "Rp 1,250,000");
        assert_eq!(figure(Lang::En, "87,5 %"), "87.5 %");
        assert_eq!(figure(Lang::En, "−2,5"), "−2.5");
    }
}
