//! "Penilaian": the province's panel on the desk. Every regency of the province with its
//! checklist status and the panel's progress; an assessor opens a district and fills their
//! own sheet against the year's rubric; the province keeps the rubric, follows the sheets,
//! publishes and prints the ranking. Districts see their result in the 8 Aksi tab
//! ([`ResultCard`]) once published. Offline, each part shows what was last loaded, with its age.

mod ranking;
mod rubric;
mod sheet;

use konvergen_shared::actions::Status;
use konvergen_shared::actions::catalogue::Bilingual;
use konvergen_shared::actions::panel::SheetScore;
use konvergen_shared::actions::panel_views::PanelBoard;
use konvergen_shared::actions::score_text::format_score;
use konvergen_shared::api::Role;
use leptos::prelude::*;

use super::api;
use crate::forms;
use crate::i18n::{DeskKey, Lang, t, tr, use_lang};
use crate::session::Session;

pub(super) use ranking::ResultCard;

/// The panel tab of the province and its assessors.
#[component]
pub fn PanelView(session: Session) -> impl IntoView {
    let province = session.me.role == Role::Province;
    let token = StoredValue::new(session.token);
    let current_year = forms::today().year();
    let year = RwSignal::new(super::selectable_years(current_year)[0]);
    let reload = RwSignal::new(0_u32);
    let open = RwSignal::new(None::<String>);
    let board = LocalResource::new(move || {
        reload.track();
        let (token, year) = (token.get_value(), year.get());
        async move { api::get::<PanelBoard>(&token, &format!("/api/v1/assessment/{year}/panel")).await }
    });
    let regencies = Signal::derive(move || {
        board
            .get()
            .and_then(Result::ok)
            .map(|b| {
                b.data
                    .rows
                    .into_iter()
                    .map(|r| (r.regency_code, r.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let board_view = move || {
        board.get().map(|read| match read {
            Ok(fetched) => view! {
                {super::cache_note(fetched.cached_at_ms)}
                <BoardTable board=fetched.data open=open assessor=!province />
            }
            .into_any(),
            Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
        })
    };
    view! {
        <section class="panel" data-testid="panel-view">
            {super::year_picker(year, current_year)}
            {move || match open.get() {
                Some(regency) => view! {
                    <sheet::DistrictView token=token.get_value() path=sheet::district_path(year.get_untracked(), &regency)
                        province=province changed=reload close=Callback::new(move |()| open.set(None)) />
                }.into_any(),
                None => view! {
                    {board_view}
                    {province.then(|| view! {
                        <ranking::RankingCard token=token.get_value() year=year reload=reload />
                        <rubric::RubricCard token=token.get_value() year=year reload=reload regencies=regencies />
                    })}
                }.into_any(),
            }}
        </section>
    }
}

/// Every regency of the province: its checklist, the sheets in, the caller's own sheet
/// (assessors) and the score where the caller may see it; "Buka" opens the district.
#[component]
fn BoardTable(board: PanelBoard, open: RwSignal<Option<String>>, assessor: bool) -> impl IntoView {
    let lang = use_lang();
    let categories = board.rubric.categories.clone();
    let category_name = move |key: Option<String>| {
        key.and_then(|key| {
            categories
                .iter()
                .find(|c| c.key == key)
                .map(|c| bilingual(lang.get_untracked(), &c.label).to_owned())
        })
        .unwrap_or_else(|| t(lang.get_untracked(), DeskKey::PanelNoCategory).to_owned())
    };
    let rows = board
        .rows
        .into_iter()
        .map(|row| {
            let code = row.regency_code.clone();
            let open_code = code.clone();
            let mine = match row.mine_submitted {
                None => DeskKey::PanelMineNone,
                Some(false) => DeskKey::PanelMineDraft,
                Some(true) => DeskKey::PanelMineSubmitted,
            };
            let scorable = matches!(row.checklist_status, Status::Submitted | Status::Verified);
            view! {
                <tr data-testid="panel-row" data-code=code data-scorable=scorable.to_string()>
                    <td class="name">{row.name}</td>
                    <td><span class="cell-label">{tr(DeskKey::PanelChecklist)}": "</span>
                        <span data-status=row.checklist_status.as_str()>{tr(super::status_name(row.checklist_status))}</span></td>
                    <td><span class="cell-label">{tr(DeskKey::PanelCategory)}": "</span>{category_name(row.category)}</td>
                    <td class="number"><span class="cell-label">{tr(DeskKey::PanelSheets)}": "</span>
                        <span data-testid="panel-sheets">{row.sheets_submitted}</span></td>
                    {assessor.then(|| view! { <td><span class="cell-label">{tr(DeskKey::PanelMine)}": "</span>
                        <span data-testid="panel-mine" data-state=format!("{:?}", row.mine_submitted)>{tr(mine)}</span></td> })}
                    <td class="number"><span class="cell-label">{tr(DeskKey::PanelScore)}": "</span>
                        <span data-testid="panel-total">{row.result.map_or_else(|| "–".to_owned(), |r| format_score(r.total))}</span></td>
                    <td><button class="secondary" data-testid="panel-open" on:click=move |_| open.set(Some(open_code.clone()))>{tr(DeskKey::PanelOpen)}</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card">
            <h2>{tr(DeskKey::PanelBoard)}</h2>
            <table class="panel-board" data-testid="panel-board">
                <thead><tr>
                    <th class="name">{tr(DeskKey::PanelDistrict)}</th><th>{tr(DeskKey::PanelChecklist)}</th>
                    <th>{tr(DeskKey::PanelCategory)}</th><th class="number">{tr(DeskKey::PanelSheets)}</th>
                    {assessor.then(|| view! { <th>{tr(DeskKey::PanelMine)}</th> })}
                    <th class="number">{tr(DeskKey::PanelScore)}</th>
                    <th><span class="visually-hidden">{tr(DeskKey::PanelOpen)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A rubric text in the interface's language.
fn bilingual(lang: Lang, text: &Bilingual) -> &str {
    if lang == Lang::En && !text.en.is_empty() {
        &text.en
    } else {
        &text.id
    }
}

/// One line of scores: each component's, then the total.
fn score_cells(score: &SheetScore, components: &[String]) -> impl IntoView + use<> {
    let cells = components
        .iter()
        .map(|key| {
            let value = score.components.get(key).copied().unwrap_or(0);
            view! { <td class="number" data-component=key.clone()>{format_score(value)}</td> }
        })
        .collect_view();
    let total = format_score(score.total);
    view! { {cells}<td class="number total" data-testid="score-total">{total}</td> }
}

/// Asks before a step that cannot be undone.
fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
