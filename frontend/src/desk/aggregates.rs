//! Area figures for a quarter, one row per sub-area, with CSV and XLSX downloads.

use konvergen_shared::aggregates::{AggregateReport, AggregateRow};
use konvergen_shared::recap::Ratio;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api::{self, Fetched};
use super::cache_note;
use crate::forms;
use crate::i18n::{Key, tr};
use crate::session::Session;

fn pct(ratio: Ratio) -> String {
    ratio
        .percent_1dp()
        .map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

/// The aggregates table.
#[component]
pub fn AggregatesView(session: Session) -> impl IntoView {
    let token = StoredValue::new(session.token);
    let today = forms::today();
    let year = RwSignal::new(today.year());
    let quarter = RwSignal::new((today.month() as u8 - 1) / 3 + 1);
    let query = move || format!("year={}&quarter={}", year.get(), quarter.get());
    let report = LocalResource::new(move || {
        let (token, query) = (token.get_value(), query());
        async move { api::get::<AggregateReport>(&token, &format!("/api/v1/aggregates?{query}")).await }
    });
    let download = move |extension: &'static str| {
        let (token, query) = (token.get_value(), query());
        spawn_local(async move {
            let path = format!("/api/v1/aggregates/export.{extension}?{query}");
            let _ = api::download(&token, &path, &format!("konvergen-rekap.{extension}")).await;
        });
    };
    view! {
        <section data-testid="aggregates-view">
            <div class="quarter">
                <select data-testid="quarter-select" on:change=move |ev| quarter.set(event_target_value(&ev).parse().unwrap_or(1))>
                    {(1..=4_u8).map(|q| view! { <option value=q.to_string() selected=move || quarter.get() == q>{format!("T{q}")}</option> }).collect_view()}
                </select>
                <input type="number" data-testid="year" prop:value=move || year.get().to_string()
                    on:change=move |ev| year.set(event_target_value(&ev).parse().unwrap_or(today.year())) />
                <button class="secondary" data-testid="download-csv" on:click=move |_| download("csv")>{tr(Key::Download)}" CSV"</button>
                <button class="secondary" data-testid="download-xlsx" on:click=move |_| download("xlsx")>{tr(Key::Download)}" XLSX"</button>
            </div>
            {move || report.get().map(|result| match result {
                Ok(Fetched { data, cached_at_ms }) => view! { {cache_note(cached_at_ms)} {table(&data)} }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

fn row(r: &AggregateRow, total: bool) -> impl IntoView + use<> {
    let stunting = r.anthropometry.stunting;
    view! {
        <tr data-testid=if total { "aggregate-total" } else { "aggregate-row" } data-code=r.code.clone() class:total=total>
            <td>{r.name.clone()}</td>
            <td>{r.households_1000hpk}</td>
            <td data-testid="cell-tkd">{pct(r.tkd_total)}</td>
            <td>{pct(r.households_complete)}</td>
            <td data-testid="cell-stunting">{pct(stunting.ratio())}<span class="muted">{format!(" n={}", stunting.measured - stunting.flagged_excluded)}</span></td>
            <td class="muted">{format!("{}/{}", r.freshness.synced_since_quarter_end, r.freshness.devices)}</td>
        </tr>
    }
}

/// Horizontal bars of one figure per sub-area: easier to compare than a column of numbers.
fn bars(
    report: &AggregateReport,
    title: &'static str,
    figure: fn(&AggregateRow) -> Ratio,
) -> impl IntoView + use<> {
    const WIDTH: f64 = 320.0;
    const ROW: f64 = 22.0;
    let rows: Vec<(String, Option<f64>)> = report
        .rows
        .iter()
        .map(|r| (r.name.clone(), figure(r).percent()))
        .collect();
    let height = ROW * rows.len() as f64 + 20.0;
    view! {
        <svg class="bar-chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title data-testid="bar-chart">
            <text x="0" y="12" font-size="11">{title}</text>
            {rows.into_iter().enumerate().map(|(i, (name, percent))| {
                let y = 18.0 + i as f64 * ROW;
                let width = percent.unwrap_or(0.0) / 100.0 * (WIDTH - 150.0);
                let label = percent.map_or_else(|| "–".to_owned(), |p| format!("{p:.1}%"));
                view! {
                    <text x="0" y=y + 13.0 font-size="10">{name.chars().take(22).collect::<String>()}</text>
                    <rect data-testid="bar" x="110" y=y width=width height=ROW - 6.0 fill="#0f6b4f" />
                    <text x=114.0 + width y=y + 13.0 font-size="10">{label}</text>
                }
            }).collect_view()}
        </svg>
    }
}

fn table(report: &AggregateReport) -> impl IntoView + use<> {
    view! {
        {bars(report, "TKD total (%)", |r| r.tkd_total)}
        {bars(report, "Stunting (%)", |r| r.anthropometry.stunting.ratio())}
        <h3>{report.area.name.clone()}</h3>
        <table data-testid="aggregate-table">
            <tr><th>{tr(Key::Area)}</th><th>"RT"</th><th>"TKD"</th><th>{tr(Key::CompletePackage)}</th><th>{tr(Key::Stunting)}</th><th>{tr(Key::Devices)}</th></tr>
            {report.rows.iter().map(|r| row(r, false)).collect_view()}
            {row(&report.area, true)}
        </table>
        <p class="muted">{format!("rule set: {}", report.rule_set_id)}</p>
    }
}
