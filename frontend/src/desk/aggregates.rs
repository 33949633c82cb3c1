//! Area figures for a quarter, one row per sub-area, with CSV and XLSX downloads; a click on
//! a row goes one level down (regency → kecamatan → village → households), and a trend chart
//! shows TKD and stunting over the last quarters of the area shown.

use konvergen_shared::aggregates::{AggregateReport, AggregateRow, HouseholdReport, TrendReport};
use konvergen_shared::recap::Ratio;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api::{self, Fetched};
use super::cache_note;
use crate::forms;
use crate::i18n::{DeskKey, Key, msg, t, tr, use_lang};
use crate::session::Session;

/// Quarters shown in the trend chart.
const TREND_QUARTERS: u8 = 8;

fn pct(ratio: Ratio) -> String {
    ratio
        .percent_1dp()
        .map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

/// A village code has four parts (`63.03.05.2009`); its rows are households.
fn is_village(code: &str) -> bool {
    code.split('.').count() >= 4
}

/// The areas clicked through, top first: `(code, name)`.
type Trail = RwSignal<Vec<(String, String)>>;

/// The aggregates view with its drill-down.
#[component]
pub fn AggregatesView(session: Session) -> impl IntoView {
    let lang = use_lang();
    let token = StoredValue::new(session.token);
    let today = forms::today();
    let year = RwSignal::new(today.year());
    let quarter = RwSignal::new((today.month() as u8 - 1) / 3 + 1);
    let trail: Trail = RwSignal::new(Vec::new());
    let area = move || trail.with(|t| t.last().map(|(code, _)| code.clone()));
    let query = move || {
        let area = area()
            .map(|code| format!("&area={code}"))
            .unwrap_or_default();
        format!("year={}&quarter={}{area}", year.get(), quarter.get())
    };
    let report = LocalResource::new(move || {
        let (token, area, query) = (token.get_value(), area(), query());
        async move {
            match area.filter(|code| is_village(code)) {
                Some(village) => {
                    let path = format!(
                        "/api/v1/aggregates/households?village={village}&year={}&quarter={}",
                        year.get_untracked(),
                        quarter.get_untracked()
                    );
                    api::get::<HouseholdReport>(&token, &path)
                        .await
                        .map(|f| f.map(Level::Households))
                }
                None => api::get::<AggregateReport>(&token, &format!("/api/v1/aggregates?{query}"))
                    .await
                    .map(|f| f.map(|report| Level::Areas(Box::new(report)))),
            }
        }
    });
    let trend = LocalResource::new(move || {
        let (token, query) = (token.get_value(), query());
        async move {
            let path = format!("/api/v1/aggregates/trend?{query}&quarters={TREND_QUARTERS}");
            api::get::<TrendReport>(&token, &path).await
        }
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
                <label class="field"><span class="label">{tr(DeskKey::FiguresQuarter)}</span>
                <select data-testid="quarter-select" on:change=move |ev| quarter.set(event_target_value(&ev).parse().unwrap_or(1))>
                    {(1..=4_u8).map(|q| view! { <option value=q.to_string() selected=move || quarter.get() == q>{move || msg::quarter_short(lang.get(), &q)}</option> }).collect_view()}
                </select></label>
                <label class="field"><span class="label">{tr(DeskKey::FiguresYear)}</span>
                <input type="number" data-testid="year" prop:value=move || year.get().to_string()
                    on:change=move |ev| year.set(event_target_value(&ev).parse().unwrap_or(today.year())) /></label>
                <button class="secondary" data-testid="download-csv" on:click=move |_| download("csv")>{tr(Key::Download)}" CSV"</button>
                <button class="secondary" data-testid="download-xlsx" on:click=move |_| download("xlsx")>{tr(Key::Download)}" XLSX"</button>
            </div>
            {move || breadcrumb(trail)}
            {move || trend.get().map(|result| match result {
                Ok(Fetched { data, .. }) => trend_chart(&data).into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
            {move || report.get().map(|result| match result {
                Ok(Fetched { data: Level::Areas(data), cached_at_ms }) => view! { {cache_note(cached_at_ms)} {table(&data, trail)} }.into_any(),
                Ok(Fetched { data: Level::Households(data), cached_at_ms }) => view! { {cache_note(cached_at_ms)} {households(&data)} }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

/// What the level shown lists: sub-areas, or the households of a village.
#[derive(Debug, Clone)]
enum Level {
    Areas(Box<AggregateReport>),
    Households(HouseholdReport),
}

/// "Your area › Kecamatan › Village": each crumb goes back to that level.
fn breadcrumb(trail: Trail) -> impl IntoView {
    let crumbs = trail.get();
    let depth = crumbs.len();
    view! {
        <nav class="breadcrumb" data-testid="breadcrumb" aria-label=tr(DeskKey::AreaLevels)>
            <button class="link" data-testid="crumb" on:click=move |_| trail.set(Vec::new())>{tr(Key::MyArea)}</button>
            {crumbs.into_iter().enumerate().map(|(i, (_, name))| {
                let last = i + 1 == depth;
                view! {
                    " › "
                    <button class="link" data-testid="crumb" disabled=last
                        on:click=move |_| trail.update(|t| t.truncate(i + 1))>{name}</button>
                }
            }).collect_view()}
        </nav>
    }
}

fn row(r: &AggregateRow, total: bool, trail: Trail) -> impl IntoView + use<> {
    let stunting = r.anthropometry.stunting;
    let (code, name) = (r.code.clone(), r.name.clone());
    let open = move |_| {
        if !total {
            trail.update(|t| t.push((code.clone(), name.clone())));
        }
    };
    view! {
        <tr data-testid=if total { "aggregate-total" } else { "aggregate-row" } data-code=r.code.clone()
            class:total=total class:clickable=!total on:click=open>
            <td>{r.name.clone()}</td>
            <td>{r.households_1000hpk}</td>
            <td data-testid="cell-tkd">{pct(r.tkd_total)}</td>
            <td>{pct(r.households_complete)}</td>
            <td data-testid="cell-stunting">{pct(stunting.ratio())}<span class="muted">{format!(" n={}", stunting.measured - stunting.flagged_excluded)}</span></td>
            <td data-testid="cell-dana-desa">{pct(r.dana_desa)}</td>
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

fn table(report: &AggregateReport, trail: Trail) -> impl IntoView + use<> {
    let lang = use_lang().get();
    view! {
        {bars(report, t(lang, Key::BarTkdTitle), |r| r.tkd_total)}
        {bars(report, t(lang, Key::BarStuntingTitle), |r| r.anthropometry.stunting.ratio())}
        <h2>{report.area.name.clone()}</h2>
        <div class="table-scroll wraps" tabindex="0" role="region" aria-label=report.area.name.clone()>
        <table data-testid="aggregate-table">
            <tr><th>{tr(Key::Area)}</th><th>"RT"</th><th>"TKD"</th><th>{tr(Key::CompletePackage)}</th><th>{tr(Key::Stunting)}</th><th>{tr(DeskKey::DanaDesaShare)}</th><th>{tr(Key::Devices)}</th></tr>
            {report.rows.iter().map(|r| row(r, false, trail)).collect_view()}
            {row(&report.area, true, trail)}
        </table>
        </div>
        <p class="muted">{msg::rule_set(lang, &report.rule_set_id)}</p>
    }
}

/// The households of a village with each followed person's completeness and what is missing.
fn households(report: &HouseholdReport) -> impl IntoView + use<> {
    let empty = report.households.is_empty();
    view! {
        <h2>{report.village_name.clone()}</h2>
        {empty.then(|| view! { <p data-testid="no-households">{tr(Key::NoHouseholds)}</p> })}
        <ul class="list" data-testid="household-list">
            {report.households.iter().map(|h| view! {
                <li data-testid="drill-household" data-complete=h.complete.to_string()>
                    <strong>{h.head_name.clone()}</strong>
                    <span class="muted">{format!(" · {} RT {}/RW {}", h.dusun, h.rt, h.rw)}</span>
                    {if h.complete {
                        view! { <span class="badge ok">{tr(Key::Complete)}</span> }.into_any()
                    } else {
                        view! { <span class="badge">{tr(Key::Incomplete)}</span> }.into_any()
                    }}
                    <ul class="list small">
                        {h.members.iter().map(|m| view! {
                            <li data-testid="drill-member">
                                {m.name.clone()}" · "{pct(m.completeness)}
                                {(!m.missing.is_empty()).then(|| view! {
                                    <span class="muted" data-testid="drill-missing">{tr(Key::Missing)}": "{m.missing.join(", ")}</span>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// TKD and stunting prevalence per quarter as two lines (0-100 %), oldest quarter left.
fn trend_chart(report: &TrendReport) -> impl IntoView + use<> {
    let lang = use_lang().get();
    const WIDTH: f64 = 320.0;
    const HEIGHT: f64 = 140.0;
    const LEFT: f64 = 28.0;
    const TOP: f64 = 16.0;
    const PLOT: f64 = 100.0;
    let count = report.points.len().max(2) as f64;
    let step = (WIDTH - LEFT - 10.0) / (count - 1.0);
    let x = move |i: usize| LEFT + i as f64 * step;
    let y = |percent: f64| TOP + PLOT - percent.clamp(0.0, 100.0) / 100.0 * PLOT;
    let series = |figure: fn(&konvergen_shared::aggregates::TrendPoint) -> Option<f64>| {
        report
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| figure(p).map(|v| (x(i), y(v), v)))
            .collect::<Vec<_>>()
    };
    let tkd = series(|p| p.tkd_total.percent());
    let stunting = series(|p| p.stunting.ratio().percent());
    let line = |points: &[(f64, f64, f64)]| {
        points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let dots = |points: Vec<(f64, f64, f64)>, series: &'static str, color: &'static str| {
        points
            .into_iter()
            .map(|(cx, cy, v)| view! {
                <circle data-testid="trend-point" data-series=series data-value=format!("{v:.1}") cx=cx cy=cy r="3" fill=color />
            })
            .collect_view()
    };
    let labels = report
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let label = format!("{}/{}", p.quarter.quarter, p.quarter.year % 100);
            view! { <text x=x(i) - 8.0 y=TOP + PLOT + 14.0 font-size="9">{label}</text> }
        })
        .collect_view();
    view! {
        <svg class="trend-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" data-testid="trend-chart"
            aria-label=format!("{} TKD / stunting", report.area_name)>
            <text x="0" y="10" font-size="10">{msg::trend_title(lang, &report.area_name)}</text>
            <line x1=LEFT y1=TOP x2=LEFT y2=TOP + PLOT stroke="#999" />
            <line x1=LEFT y1=TOP + PLOT x2=WIDTH - 10.0 y2=TOP + PLOT stroke="#999" />
            <text x="0" y=TOP + 4.0 font-size="9">"100"</text>
            <text x="10" y=TOP + PLOT font-size="9">"0"</text>
            <polyline data-testid="trend-tkd" points=line(&tkd) fill="none" stroke="#0f6b4f" stroke-width="2" />
            <polyline data-testid="trend-stunting" points=line(&stunting) fill="none" stroke="#b5462f" stroke-width="2" />
            {dots(tkd, "tkd", "#0f6b4f")}
            {dots(stunting, "stunting", "#b5462f")}
            {labels}
        </svg>
    }
}
