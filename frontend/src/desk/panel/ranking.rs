//! The ranking: the province follows it as it forms, publishes it, downloads it as XLSX and
//! prints it as the annex of the governor's decree. [`ResultCard`] is what a district sees
//! of it: nothing before publication, then its score, rank and the panel's recommendations.

use konvergen_shared::actions::panel_views::{DistrictResult, RankingGroup, RankingView};
use konvergen_shared::actions::rubric::Rubric;
use konvergen_shared::actions::score_text::format_score;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{bilingual, confirmed, score_cells};
use crate::desk::api;
use crate::i18n::{DeskKey, desk_msg, t, tr, use_lang};

#[component]
pub(super) fn RankingCard(
    token: String,
    year: RwSignal<i32>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let token = StoredValue::new(token);
    let ranking = LocalResource::new(move || {
        reload.track();
        let (token, year) = (token.get_value(), year.get());
        async move {
            api::get::<RankingView>(&token, &format!("/api/v1/assessment/{year}/ranking")).await
        }
    });
    let message = RwSignal::new(None::<String>);
    let printing = RwSignal::new(false);
    let publish = move |_| {
        if !confirmed(t(lang.get_untracked(), DeskKey::PanelPublishConfirm)) {
            return;
        }
        let (token, year) = (token.get_value(), year.get_untracked());
        spawn_local(async move {
            let path = format!("/api/v1/assessment/{year}/publish");
            match api::send::<_, RankingView>(&token, "POST", &path, &serde_json::Value::Null).await
            {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(err) => message.set(Some(err.message)),
            }
        });
    };
    let download = move |_| {
        let (token, year) = (token.get_value(), year.get_untracked());
        spawn_local(async move {
            let path = format!("/api/v1/assessment/{year}/ranking.xlsx");
            if let Err(err) =
                api::download(&token, &path, &format!("peringkat-8-aksi-{year}.xlsx")).await
            {
                message.set(Some(err.message));
            }
        });
    };
    let print = move |_| {
        printing.set(true);
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let body = move || {
        let fetched = ranking.get()?.ok()?;
        let view = fetched.data;
        let published = view.publication.clone();
        Some(view! {
            {crate::desk::cache_note(fetched.cached_at_ms)}
            {match published {
                Some(p) => {
                    view! { <p class="done" data-testid="ranking-published">{move || desk_msg::panel_published(lang.get(), &crate::desk::when(lang.get(), Some(p.published_at_ms)), &p.published_by)}</p> }.into_any()
                }
                None => view! { <p class="warning" data-testid="ranking-provisional">{tr(DeskKey::PanelRankingProvisional)}</p> }.into_any(),
            }}
            <RankingTables view=view.clone() />
            <div class="actions no-print">
                {view.publication.is_none().then(|| view! { <button class="primary" data-testid="panel-publish" on:click=publish>{tr(DeskKey::PanelPublish)}</button> })}
                <button class="secondary" data-testid="ranking-xlsx" on:click=download>{tr(DeskKey::PanelDownloadXlsx)}</button>
                <button class="secondary" data-testid="ranking-print" on:click=print>{tr(DeskKey::PanelPrint)}</button>
            </div>
            {move || printing.get().then(|| view! { <Decree view=view.clone() close=Callback::new(move |()| printing.set(false)) /> })}
        })
    };
    view! {
        <div class="card ranking-card" class:printing=move || printing.get() data-testid="ranking-card">
            <h2>{tr(DeskKey::PanelRanking)}</h2>
            {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="ranking-error">{m}</p> })}
            {body}
        </div>
    }
}

/// One table per category: rank, district, each component, total, assessors.
#[component]
fn RankingTables(view: RankingView) -> impl IntoView {
    view.groups
        .into_iter()
        .map(|group| group_table(group, &view.rubric))
        .collect_view()
}

fn group_table(group: RankingGroup, rubric: &Rubric) -> impl IntoView + use<> {
    let lang = use_lang();
    let keys: Vec<String> = rubric.components.iter().map(|c| c.key.clone()).collect();
    let heads = rubric
        .components
        .iter()
        .map(|c| {
            let (label, weight) = (c.label.clone(), c.weight);
            view! { <th class="number">{move || bilingual(lang.get(), &label).to_owned()}" ("{weight}"%)"</th> }
        })
        .collect_view();
    let label = group.label.clone();
    let region = group.label.clone();
    let lines = group
        .lines
        .into_iter()
        .map(|line| {
            let cells = score_cells(&line.score, &keys);
            view! {
                <tr data-testid="ranking-line" data-code=line.regency_code.clone() data-rank=line.rank.to_string()>
                    <td class="number" data-testid="ranking-rank">{line.rank}</td><th>{line.name}</th>{cells}<td class="number">{line.assessors}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3 data-testid="ranking-group" data-category=group.category.unwrap_or_default()>{move || bilingual(lang.get(), &label).to_owned()}</h3>
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || bilingual(lang.get(), &region).to_owned()>
            <table class="scores ranking">
                <thead><tr><th class="number">{tr(DeskKey::PanelRank)}</th><th>{tr(DeskKey::PanelDistrict)}</th>{heads}
                    <th class="number">{tr(DeskKey::PanelScore)}</th><th class="number">{tr(DeskKey::PanelAssessors)}</th></tr></thead>
                <tbody>{lines}</tbody>
            </table>
        </div>
    }
}

/// The annex of the governor's decree as printed: title, the rankings, nothing else on the page.
#[component]
fn Decree(view: RankingView, close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let (year, province) = (view.year, view.province.clone());
    view! {
        <article class="decree" data-testid="decree">
            <p class="decree-province">{move || desk_msg::panel_decree_province(lang.get(), &province)}</p>
            <h2>{move || desk_msg::panel_decree_title(lang.get(), &year)}</h2>
            <RankingTables view=view />
            <button class="secondary no-print" data-testid="decree-close" on:click=move |_| close.run(())>{tr(DeskKey::PanelPrintClose)}</button>
        </article>
    }
}

/// The district's own result, on its 8 Aksi tab.
#[component]
pub fn ResultCard(token: String, regency: String, year: Signal<i32>) -> impl IntoView {
    let token = StoredValue::new(token);
    let regency = StoredValue::new(regency);
    let result = LocalResource::new(move || {
        let (token, regency, year) = (token.get_value(), regency.get_value(), year.get());
        async move {
            api::get::<DistrictResult>(
                &token,
                &format!("/api/v1/assessment/{year}/result/{regency}"),
            )
            .await
        }
    });
    view! {
        <div class="card" data-testid="result-card">
            <h2>{tr(DeskKey::PanelResult)}</h2>
            {move || result.get().map(|read| match read {
                Ok(fetched) => view! { {crate::desk::cache_note(fetched.cached_at_ms)} <ResultBody result=fetched.data /> }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn ResultBody(result: DistrictResult) -> impl IntoView {
    let lang = use_lang();
    if result.publication.is_none() {
        return view! { <p class="muted" data-testid="result-waiting">{tr(DeskKey::PanelResultWaiting)}</p> }.into_any();
    }
    let (Some(score), Some(rubric)) = (result.score, result.rubric) else {
        return view! { <p class="muted" data-testid="result-none">{tr(DeskKey::PanelResultNone)}</p> }.into_any();
    };
    let (rank, of) = result.rank.unwrap_or((0, 0));
    let category = result.category.clone();
    let parts = rubric
        .components
        .iter()
        .map(|c| {
            let (label, weight) = (c.label.clone(), c.weight);
            let value = format_score(score.components.get(&c.key).copied().unwrap_or(0));
            view! { <div><dt>{move || bilingual(lang.get(), &label).to_owned()}" ("{weight}"%)"</dt><dd class="number">{value}</dd></div> }
        })
        .collect_view();
    let recommendations = result
        .recommendations
        .into_iter()
        .map(|r| view! { <li data-testid="result-recommendation">{r}</li> })
        .collect_view();
    view! {
        <p class="result-total"><strong data-testid="result-total">{format_score(score.total)}</strong>" · "
            <span data-testid="result-rank" data-rank=rank.to_string()>{move || desk_msg::panel_result_rank(lang.get(), &rank, &of)}</span>
            {category.map(|c| view! { " · "<span>{move || bilingual(lang.get(), &c).to_owned()}</span> })}</p>
        <dl class="result-parts">{parts}</dl>
        <h3>{tr(DeskKey::PanelResultRecommendations)}</h3>
        <ul class="list">{recommendations}</ul>
    }
    .into_any()
}
