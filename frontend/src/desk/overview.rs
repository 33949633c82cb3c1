//! "Ikhtisar": the province's table of every regency and city for an assessed year, sorted
//! by a click on a column header; a click on a regency opens its 8-action checklist.
//! Offline it shows the last answer loaded, with its age.

use konvergen_shared::actions::Status;
use konvergen_shared::district::{Column, Overview, OverviewRow, format_rupiah, sort_rows};
use konvergen_shared::recap::Ratio;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Focus, api};
use crate::forms;
use crate::i18n::{DeskKey, Key, Lang, desk_msg, t, tr, use_lang};
use crate::session::Session;

/// The column sorted by and whether largest first.
type Sorting = RwSignal<(Column, bool)>;

/// The overview with its year picker.
#[component]
pub fn OverviewView(session: Session, open: Callback<()>) -> impl IntoView {
    let current_year = forms::today().year();
    // The desk provides the focus for the province, the only role with this tab.
    let focus = use_context::<Focus>().unwrap_or(Focus {
        regency: RwSignal::new(String::new()),
        year: RwSignal::new(super::selectable_years(current_year)[0]),
    });
    let token = StoredValue::new(session.token);
    let sorting: Sorting = RwSignal::new((Column::Name, false));
    let answer = LocalResource::new(move || {
        let (token, year) = (token.get_value(), focus.year.get());
        async move {
            let path = format!("/api/v1/province/{year}/overview");
            api::get::<Overview>(&token, &path).await
        }
    });
    let download = move |_| {
        let (token, year) = (token.get_value(), focus.year.get_untracked());
        spawn_local(async move {
            let path = format!("/api/v1/province/{year}/overview.xlsx");
            let name = format!("konvergen-ikhtisar-{year}.xlsx");
            let _ = api::download(&token, &path, &name).await;
        });
    };
    let choose = Callback::new(move |code: String| {
        focus.regency.set(code);
        open.run(());
    });
    view! {
        <section class="overview" data-testid="overview-view">
            <div class="team-head">
                {super::year_picker(focus.year, current_year)}
                <button class="secondary" data-testid="overview-download" on:click=download>{tr(Key::Download)}" XLSX"</button>
            </div>
            {move || answer.get().map(|read| match read {
                Ok(fetched) => view! {
                    {super::cache_note(fetched.cached_at_ms)}
                    {overview_table(fetched.data, sorting, choose)}
                }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

fn overview_table(overview: Overview, sorting: Sorting, choose: Callback<String>) -> impl IntoView {
    let lang = use_lang();
    let year = overview.year;
    let (quarter, before) = (overview.quarter, overview.quarter_before);
    let rows = StoredValue::new(overview.rows);
    let sorted = move || {
        let (column, descending) = sorting.get();
        let mut rows = rows.get_value();
        sort_rows(&mut rows, column, descending);
        rows
    };
    let figures = move || {
        desk_msg::overview_figures(lang.get(), &quarter.quarter, &quarter.year, &before.year)
    };
    view! {
        <h2>{move || desk_msg::overview_title(lang.get(), &year)}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || desk_msg::overview_title(lang.get(), &year) data-testid="overview-scroll">
            <table class="overview-table" data-testid="overview-table">
                <thead><tr>{Column::ALL.into_iter().map(|column| header(column, year, sorting)).collect_view()}</tr></thead>
                <tbody>
                    {move || sorted().into_iter().map(|row| row_view(row, choose)).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="muted">{figures}</p>
        <p class="muted">{tr(DeskKey::OverviewOpenHint)}</p>
    }
}

/// The label of a column; the budget columns name their fiscal year.
fn label(lang: Lang, column: Column, year: i32) -> String {
    let key = match column {
        Column::Name => DeskKey::OverviewRegency,
        Column::Status => DeskKey::OverviewStatus,
        Column::Completeness => DeskKey::OverviewCompleteness,
        Column::Evidence => DeskKey::OverviewEvidence,
        Column::Late => DeskKey::OverviewLate,
        Column::Budget => return desk_msg::overview_budget(lang, &year),
        Column::BudgetNext => return desk_msg::overview_budget(lang, &(year + 1)),
        Column::Innovations => DeskKey::OverviewInnovations,
        Column::Complete => DeskKey::OverviewComplete,
        Column::Tkd => DeskKey::OverviewTkd,
        Column::Stunting => DeskKey::OverviewStunting,
        Column::Change => DeskKey::OverviewChange,
    };
    t(lang, key).to_owned()
}

/// A header that sorts by its column: the first click in the column's natural direction,
/// the next one the other way.
fn header(column: Column, year: i32, sorting: Sorting) -> impl IntoView {
    let lang = use_lang();
    let aria_sort = move || match sorting.get() {
        (shown, true) if shown == column => "descending",
        (shown, false) if shown == column => "ascending",
        _ => "none",
    };
    let arrow = move || match aria_sort() {
        "descending" => " ▼",
        "ascending" => " ▲",
        _ => "",
    };
    let click = move |_| {
        sorting.update(|(shown, descending)| {
            if *shown == column {
                *descending = !*descending;
            } else {
                *shown = column;
                *descending = column.first_descending();
            }
        });
    };
    let title = move || desk_msg::overview_sort_by(lang.get(), &label(lang.get(), column, year));
    view! {
        <th scope="col" aria-sort=aria_sort class:number=column != Column::Name && column != Column::Status>
            <button class="sort" data-testid=format!("overview-sort-{}", column.key()) title=title on:click=click>
                {move || label(lang.get(), column, year)}{arrow}
            </button>
        </th>
    }
}

fn row_view(row: OverviewRow, choose: Callback<String>) -> impl IntoView {
    let lang = use_lang();
    let code = row.regency_code.clone();
    let status = row.status;
    let status_text = move || match status {
        Status::Draft => t(lang.get(), DeskKey::OverviewNotYet),
        other => t(lang.get(), super::status_name(other)),
    };
    let owing = row.agencies_owing;
    let stunting = row.stunting.ratio();
    let measured = stunting.den;
    // Figures are formatted once, the Indonesian way; each cell writes them in the language shown.
    let shown = move |indonesian: String| move || super::figure(lang.get(), &indonesian);
    view! {
        <tr data-testid=format!("overview-row-{code}") data-code=code.clone() class="clickable"
            on:click=move |_| choose.run(code.clone())>
            <th scope="row"><button class="link" data-testid="overview-open">{row.name}</button></th>
            <td data-testid="overview-status" data-status=super::actions::status_key(status)>
                <span class="status-badge" data-status=super::actions::status_key(status)>{status_text}</span>
            </td>
            <td class="number" data-testid="overview-completeness">
                {shown(percent(row.completeness))}
                {action_strip(&row.actions)}
            </td>
            <td class="number" data-testid="overview-evidence">{row.evidence}</td>
            <td class="number" data-testid="overview-late">
                {row.late_parts}
                {(owing > 0).then(|| view! { <span class="cell-note">{move || desk_msg::overview_owing(lang.get(), &owing)}</span> })}
            </td>
            <td class="number" data-testid="overview-budget">{shown(format_rupiah(row.budget_year.allocation_rp))}</td>
            <td class="number" data-testid="overview-budget-next">{shown(format_rupiah(row.budget_next_year.allocation_rp))}</td>
            <td class="number" data-testid="overview-innovations">{row.innovations}</td>
            <td class="number">{shown(percent(row.households_complete))}</td>
            <td class="number">{shown(percent(row.tkd_total))}</td>
            <td class="number" data-testid="overview-stunting">
                {shown(percent(stunting))}
                {(measured > 0).then(|| view! { <span class="cell-note">{format!("n = {measured}")}</span> })}
            </td>
            <td class="number" data-testid="overview-change">{shown(change(row.stunting_change_per_mille))}</td>
        </tr>
    }
}

/// Eight small boxes, one per action: its required items evidenced, shaded by how many.
fn action_strip(actions: &[konvergen_shared::district::ActionProgress]) -> impl IntoView + use<> {
    let lang = use_lang();
    let boxes = actions
        .iter()
        .map(|action| {
            let Ratio { num, den } = action.evidenced;
            let level = match (num, den) {
                (_, 0) => "none-required",
                (0, _) => "none",
                (n, d) if n == d => "full",
                _ => "part",
            };
            let number = action.number;
            let title = move || desk_msg::overview_action(lang.get(), &number, &num, &den);
            view! {
                <span class="action-box" data-testid=format!("overview-action-{number}") data-level=level
                    data-done=num data-required=den title=title>{number}</span>
            }
        })
        .collect_view();
    view! { <span class="action-strip">{boxes}</span> }
}

/// A percentage as Indonesians write it, `62,5 %`; `–` without a denominator.
fn percent(ratio: Ratio) -> String {
    ratio
        .percent_1dp()
        .map_or_else(|| "–".to_owned(), |p| format!("{} %", p.replace('.', ",")))
}

/// Tenths of a percentage point with their sign, `−2,5` or `+0,4`; `–` without both years.
fn change(per_mille: Option<i64>) -> String {
    let Some(value) = per_mille else {
        return "–".to_owned();
    };
    let sign = match value.signum() {
        -1 => "−",
        1 => "+",
        _ => "",
    };
    let magnitude = value.unsigned_abs();
    format!("{sign}{},{}", magnitude / 10, magnitude % 10)
}
