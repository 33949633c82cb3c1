//! "Bahan paparan": the printable presentation material of a year, one A4 section per
//! action, as the coordinator takes it to the province's panel: the outcome figures from the
//! village data, each action's evidence items with the agencies' parts and photos, the
//! budget totals and the innovations. Printing uses the browser's own dialog (the print
//! stylesheet in `desk.css` hides everything but this page).

use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::actions::{Catalogue, Checklist};
use konvergen_shared::aggregates::{AggregateReport, AggregateRow};
use konvergen_shared::district::{
    BudgetLine, BudgetSum, Contribution, Innovation, budget_totals, format_rupiah,
};
use konvergen_shared::files::FileKind;
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::budget::{INTERVENTIONS, SOURCES};
use super::fields::records_of;
use crate::AppCtx;
use crate::desk::api;
use crate::files::Files;
use crate::files::view::photo_url;
use crate::i18n::{DeskKey, Lang, t, tr, use_lang};

/// The checklist answer, as far as the presentation needs it.
#[derive(Debug, Clone, Deserialize)]
struct ChecklistRead {
    catalogue: Catalogue,
    checklist: Checklist,
}

/// Where the page is about.
#[derive(Debug, Clone)]
pub(super) struct Subject {
    pub(super) regency: String,
    pub(super) regency_name: String,
    pub(super) year: i32,
    pub(super) current_year: i32,
}

impl Subject {
    /// The outcome figures of the year: its last quarter, or the current one this year.
    fn aggregates_path(&self) -> String {
        let quarter = if self.year < self.current_year {
            "&quarter=4"
        } else {
            ""
        };
        format!(
            "/api/v1/aggregates?year={}{quarter}&area={}",
            self.year, self.regency
        )
    }
}

/// The page, with "Cetak" and "Tutup".
#[component]
pub(super) fn Paparan(
    ctx: AppCtx,
    token: String,
    subject: Subject,
    close: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let token = StoredValue::new(token);
    let aggregates_path = subject.aggregates_path();
    let Subject {
        regency,
        regency_name,
        year,
        ..
    } = subject;
    let checklist_path = format!("/api/v1/actions/checklists/{regency}/{year}");
    let title = format!("{regency_name} · {year}");
    let checklist = LocalResource::new(move || {
        let (token, path) = (token.get_value(), checklist_path.clone());
        async move { api::get::<ChecklistRead>(&token, &path).await }
    });
    let outcomes = LocalResource::new(move || {
        let (token, path) = (token.get_value(), aggregates_path.clone());
        async move { api::get::<AggregateReport>(&token, &path).await }
    });
    let of_subject = move |code: &str, of_year: i32| code == regency && of_year == year;
    let state = ctx.state();
    let contributions = records_of::<Contribution>(&state, EntityKind::Contribution, |c| {
        of_subject(&c.regency_code, c.year)
    });
    let lines: Vec<BudgetLine> = records_of::<BudgetLine>(&state, EntityKind::BudgetLine, |l| {
        of_subject(&l.regency_code, l.year)
    })
    .into_iter()
    .map(|(_, line, _)| line)
    .collect();
    let innovations: Vec<Innovation> =
        records_of::<Innovation>(&state, EntityKind::Innovation, |i| {
            of_subject(&i.regency_code, i.year)
        })
        .into_iter()
        .map(|(_, innovation, _)| innovation)
        .collect();
    let contributions: Vec<Contribution> = contributions.into_iter().map(|(_, c, _)| c).collect();
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <article class="paparan" data-testid="paparan">
            <div class="actions no-print">
                <button class="primary" data-testid="paparan-print" on:click=print>{tr(DeskKey::PaparanPrint)}</button>
                <button class="secondary" data-testid="paparan-close" on:click=move |_| close.run(())>{tr(DeskKey::PaparanClose)}</button>
            </div>
            <header class="paparan-cover">
                <h2>{tr(DeskKey::PaparanTitle)}</h2>
                <p class="paparan-subject">{title}</p>
            </header>
            <section class="paparan-section" data-testid="paparan-outcomes">
                <h3>{tr(DeskKey::PaparanOutcomes)}</h3>
                {move || outcomes.get().map(|read| match read {
                    Ok(fetched) => outcome_table(&fetched.data.area, lang.get()).into_any(),
                    Err(err) => view! { <p class="error">{err.message}</p> }.into_any(),
                })}
            </section>
            {move || checklist.get().map(|read| match read {
                Ok(fetched) => action_sections(fetched.data, &contributions, lang.get()).into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
            {budget_section(&lines)}
            {innovation_section(innovations)}
        </article>
    }
}

fn percent(lang: Lang, ratio: konvergen_shared::recap::Ratio) -> String {
    ratio.percent_1dp().map_or_else(
        || "–".to_owned(),
        |p| crate::desk::figure(lang, &format!("{} %", p.replace('.', ","))),
    )
}

fn outcome_table(area: &AggregateRow, lang: Lang) -> impl IntoView + use<> {
    let stunting = area.anthropometry.stunting;
    let measured = stunting.measured - stunting.flagged_excluded;
    let rows = [
        (DeskKey::PaparanVillages, area.villages.to_string()),
        (
            DeskKey::PaparanHouseholds,
            area.households_1000hpk.to_string(),
        ),
        (
            DeskKey::PaparanComplete,
            percent(lang, area.households_complete),
        ),
        (DeskKey::PaparanConvergence, percent(lang, area.tkd_total)),
        (
            DeskKey::PaparanStunting,
            format!("{} (n = {measured})", percent(lang, stunting.ratio())),
        ),
    ];
    view! {
        <table class="paparan-figures">
            {rows.into_iter().map(|(key, value)| view! {
                <tr><th scope="row">{t(lang, key)}</th><td class="number">{value}</td></tr>
            }).collect_view()}
        </table>
    }
}

/// One section per action: its items, whether each is evidenced, the agencies' parts and
/// the photos.
fn action_sections(
    read: ChecklistRead,
    contributions: &[Contribution],
    lang: Lang,
) -> impl IntoView + use<> {
    let ChecklistRead {
        catalogue,
        checklist,
    } = read;
    catalogue
        .actions
        .into_iter()
        .map(|action| {
            let name = if lang == Lang::En { action.name_en.clone() } else { action.name_id.clone() };
            let items = action
                .evidence
                .into_iter()
                .map(|def| {
                    let state = checklist.items.get(&def.key).cloned().unwrap_or_default();
                    let parts: Vec<&Contribution> =
                        contributions.iter().filter(|c| c.item_key == def.key).collect();
                    let mut photos: Vec<FileMeta> = state.files.clone();
                    photos.extend(parts.iter().flat_map(|c| c.files.iter().cloned()));
                    photos.retain(|f| FileKind::of(&f.media_type) == Some(FileKind::Photo));
                    photos.dedup_by(|a, b| a.sha256 == b.sha256);
                    let done = state.evidenced();
                    let label = if lang == Lang::En { def.label_en } else { def.label_id };
                    view! {
                        <li class="paparan-item" data-done=done.to_string()>
                            <strong>{if done { "✓ " } else { "✗ " }}{label}</strong>
                            {state.links.into_iter().map(|link| view! { <span class="paparan-link">{link}</span> }).collect_view()}
                            {state.files.iter().filter(|f| FileKind::of(&f.media_type) != Some(FileKind::Photo)).map(|f| view! {
                                <span class="muted">{f.name.clone()}</span>
                            }).collect_view()}
                            {parts.into_iter().map(|part| view! {
                                <p class="paparan-part"><strong>{part.agency.clone()}": "</strong>{part.account.clone()}</p>
                            }).collect_view()}
                            {photo_grid(photos)}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="paparan-section" data-testid="paparan-action" data-number=action.number>
                    <h3>{crate::i18n::msg::action_heading(lang, &action.number, &name)}</h3>
                    <ul class="paparan-items">{items}</ul>
                </section>
            }
        })
        .collect_view()
}

fn photo_grid(photos: Vec<FileMeta>) -> impl IntoView {
    (!photos.is_empty()).then(|| {
        view! {
            <div class="paparan-photos">
                {photos.into_iter().map(|meta| view! { <PrintPhoto meta=meta /> }).collect_view()}
            </div>
        }
    })
}

/// A photo at print size, read from this device or fetched once.
#[component]
fn PrintPhoto(meta: FileMeta) -> impl IntoView {
    let files = Files::get();
    let url = RwSignal::new(None::<String>);
    let (name, caption) = (meta.name.clone(), meta.name.clone());
    spawn_local(async move {
        if let Some(files) = files {
            url.set(photo_url(files, &meta).await);
        }
    });
    on_cleanup(move || {
        if let Some(url) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <figure class="paparan-photo" data-testid="paparan-photo" data-loaded=move || url.get().is_some().to_string()>
            {move || url.get().map(|src| view! { <img src=src alt=name.clone() /> })}
            <figcaption class="muted">{caption}</figcaption>
        </figure>
    }
}

fn sum_rows<K>(
    lang: Lang,
    rows: impl IntoIterator<Item = (K, BudgetSum)>,
    label: impl Fn(&K) -> String,
) -> impl IntoView {
    rows.into_iter()
        .map(|(key, sum)| {
            view! {
                <tr>
                    <th scope="row">{label(&key)}</th>
                    <td class="number">{sum.lines}</td>
                    <td class="number">{crate::desk::figure(lang, &format_rupiah(sum.allocation_rp))}</td>
                    <td class="number">{crate::desk::figure(lang, &format_rupiah(sum.realisation_rp))}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The interface's name of a choice in one of the team form's option lists.
fn label_in<T: PartialEq + Copy>(options: &[(T, &str, DeskKey)], value: T, lang: Lang) -> String {
    options
        .iter()
        .find(|(option, ..)| *option == value)
        .map_or_else(String::new, |(.., key)| t(lang, *key).to_owned())
}

fn budget_section(lines: &[BudgetLine]) -> impl IntoView + use<> {
    let lang = use_lang().get_untracked();
    let totals = budget_totals(lines);
    let source_name =
        move |source: &konvergen_shared::district::FundingSource| label_in(&SOURCES, *source, lang);
    let kind_name = move |kind: &konvergen_shared::district::Intervention| {
        label_in(&INTERVENTIONS, *kind, lang)
    };
    let head = move |first: DeskKey| {
        view! {
            <tr><th>{t(lang, first)}</th><th>{t(lang, DeskKey::PaparanLines)}</th><th>{t(lang, DeskKey::TeamAllocation)}</th><th>{t(lang, DeskKey::TeamRealisation)}</th></tr>
        }
    };
    view! {
        <section class="paparan-section" data-testid="paparan-budget">
            <h3>{tr(DeskKey::TeamBudget)}</h3>
            {scrolling(lang, DeskKey::TeamBudget, view! {
                <table class="paparan-figures">
                    {head(DeskKey::TeamFiscalYear)}
                    {sum_rows(lang, totals.by_fiscal_year, move |y| format!("{} {y}", t(lang, DeskKey::TeamFiscalYear)))}
                    {sum_rows(lang, [((), totals.all)], move |()| t(lang, DeskKey::TeamTotal).to_owned())}
                </table>
            })}
            <h4>{tr(DeskKey::TeamAgency)}</h4>
            {scrolling(lang, DeskKey::TeamAgency, view! { <table class="paparan-figures">{head(DeskKey::TeamAgency)}{sum_rows(lang, totals.by_agency, String::clone)}</table> })}
            <h4>{tr(DeskKey::TeamSource)}</h4>
            {scrolling(lang, DeskKey::TeamSource, view! { <table class="paparan-figures">{head(DeskKey::TeamSource)}{sum_rows(lang, totals.by_source, source_name)}</table> })}
            <h4>{tr(DeskKey::TeamIntervention)}</h4>
            {scrolling(lang, DeskKey::TeamIntervention, view! { <table class="paparan-figures">{head(DeskKey::TeamIntervention)}{sum_rows(lang, totals.by_intervention, kind_name)}</table> })}
        </section>
    }
}

/// A budget table in a box of its own that scrolls sideways on a phone (large sums do not
/// fit 360 px); on paper it prints whole.
fn scrolling(lang: Lang, label: DeskKey, table: impl IntoView) -> impl IntoView {
    view! { <div class="table-scroll wraps" tabindex="0" role="region" aria-label=t(lang, label)>{table}</div> }
}

fn innovation_section(innovations: Vec<Innovation>) -> impl IntoView {
    let empty = innovations.is_empty();
    view! {
        <section class="paparan-section" data-testid="paparan-innovations">
            <h3>{tr(DeskKey::TeamInnovations)}</h3>
            {empty.then(|| view! { <p class="empty">{tr(DeskKey::TeamNothingYet)}</p> })}
            {innovations.into_iter().map(|item| view! {
                <div class="paparan-innovation">
                    <h4>{item.title}</h4>
                    <p class="muted">{item.agency}" · "{item.year_started}" · "{item.target_group}</p>
                    <p>{item.description}</p>
                    {(!item.results.is_empty()).then(|| view! { <p>{item.results}</p> })}
                    {photo_grid(item.photos)}
                </div>
            }).collect_view()}
        </section>
    }
}
