//! One district for the panel: an assessor's own sheet (a grade per indicator, the
//! recommendation, the score as it forms), then, once that sheet is submitted, the other
//! assessors' sheets and the panel's combined score. The province sees every submitted sheet.

use std::collections::BTreeMap;

use konvergen_shared::actions::Status;
use konvergen_shared::actions::panel::Sheet;
use konvergen_shared::actions::panel_views::{DistrictPanel, PanelSheet};
use konvergen_shared::actions::rubric::{Indicator, Rubric};
use konvergen_shared::actions::score_text::format_score;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{bilingual, confirmed, score_cells};
use crate::desk::api;
use crate::i18n::{DeskKey, t, tr, use_lang};

/// A district opened from the board.
#[component]
pub(super) fn DistrictView(
    token: String,
    /// `/api/v1/assessment/<year>/districts/<regency>` ([`district_path`]).
    path: String,
    province: bool,
    /// Bumped after a save, so the board reads again.
    changed: RwSignal<u32>,
    close: Callback<()>,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let path = StoredValue::new(path);
    let reload = RwSignal::new(0_u32);
    let panel = LocalResource::new(move || {
        reload.track();
        let (token, path) = (token.get_value(), path.get_value());
        async move { api::get::<DistrictPanel>(&token, &path).await }
    });
    let saved = Callback::new(move |()| {
        reload.update(|n| *n += 1);
        changed.update(|n| *n += 1);
    });
    view! {
        <div class="card district-panel" data-testid="district-panel">
            <div class="actions"><button class="link" data-testid="panel-close" on:click=move |_| close.run(())>{tr(DeskKey::PanelClose)}</button></div>
            {move || panel.get().map(|read| match read {
                Ok(fetched) => view! {
                    {crate::desk::cache_note(fetched.cached_at_ms)}
                    <DistrictBody panel=fetched.data province=province token=token.get_value() path=path.get_value() saved=saved />
                }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </div>
    }
}

pub(super) fn district_path(year: i32, regency: &str) -> String {
    format!("/api/v1/assessment/{year}/districts/{regency}")
}

#[component]
fn DistrictBody(
    panel: DistrictPanel,
    province: bool,
    token: String,
    path: String,
    saved: Callback<()>,
) -> impl IntoView {
    let scorable = matches!(panel.checklist_status, Status::Submitted | Status::Verified);
    let open_sheet = !province
        && scorable
        && panel.publication.is_none()
        && panel
            .mine
            .as_ref()
            .is_none_or(|m| m.submitted_at_ms.is_none());
    let components: Vec<String> = panel
        .rubric
        .components
        .iter()
        .map(|c| c.key.clone())
        .collect();
    let submitted_mine = panel
        .mine
        .as_ref()
        .and_then(|m| m.submitted_at_ms.map(|at| (at, m.score.clone())));
    let rubric = panel.rubric.clone();
    view! {
        <h2 data-testid="district-name">{panel.name.clone()}</h2>
        <p><span data-testid="district-status" data-status=panel.checklist_status.as_str()>{tr(crate::desk::status_name(panel.checklist_status))}</span></p>
        {(!scorable).then(|| view! { <p class="warning" data-testid="panel-not-submitted">{tr(DeskKey::PanelNotSubmitted)}</p> })}
        {open_sheet.then(|| view! { <SheetForm rubric=rubric.clone() start=panel.mine.as_ref().map(|m| m.sheet.clone()).unwrap_or_default() token=token path=path saved=saved /> })}
        {submitted_mine.map(|(at, score)| {
            let lang = use_lang();
            let cells = score_cells(&score, &components);
            view! {
                <p class="done" data-testid="panel-submitted">{move || crate::i18n::desk_msg::panel_submitted_at(lang.get(), &crate::desk::when(lang.get(), Some(at)))}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label=tr(DeskKey::PanelMine)><table class="scores"><thead><tr>{component_heads(&rubric)}<th class="number">{tr(DeskKey::PanelScore)}</th></tr></thead>
                    <tbody><tr data-testid="my-score">{cells}</tr></tbody></table></div>
            }
        })}
        <Others panel=panel province=province />
    }
}

/// The others' sheets and the combined score, or why they are not shown yet.
#[component]
fn Others(panel: DistrictPanel, province: bool) -> impl IntoView {
    let lang = use_lang();
    let components: Vec<String> = panel
        .rubric
        .components
        .iter()
        .map(|c| c.key.clone())
        .collect();
    let Some(others) = panel.others else {
        let shown = panel.checklist_status != Status::Draft || province;
        return shown.then(|| view! { <p class="muted" data-testid="panel-hidden">{tr(DeskKey::PanelHidden)}</p> }).into_any();
    };
    let heads = component_heads(&panel.rubric);
    let lines = others
        .into_iter()
        .map(|sheet| other_line(sheet, &components))
        .collect_view();
    let combined = panel.result.map(|score| {
        let cells = score_cells(&score, &components);
        view! { <tr class="combined" data-testid="panel-combined"><th>{tr(DeskKey::PanelCombined)}</th>{cells}</tr> }
    });
    view! {
        <h3>{tr(DeskKey::PanelOthers)}</h3>
        <div class="table-scroll" tabindex="0" role="region" aria-label=tr(DeskKey::PanelOthers)>
            <table class="scores" data-testid="panel-others">
                <thead><tr><th>{tr(DeskKey::PanelAssessor)}</th>{heads}<th class="number">{move || t(lang.get(), DeskKey::PanelScore)}</th></tr></thead>
                <tbody>{lines}{combined}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn other_line(sheet: PanelSheet, components: &[String]) -> impl IntoView + use<> {
    let cells = score_cells(&sheet.score, components);
    let recommendation =
        (!sheet.sheet.recommendation.is_empty()).then(|| sheet.sheet.recommendation.clone());
    view! {
        <tr data-testid="panel-other"><th>{sheet.assessor}</th>{cells}</tr>
        {recommendation.map(|text| view! { <tr class="recommendation"><td colspan="99">{text}</td></tr> })}
    }
}

/// The assessor's own sheet: a grade per indicator, the recommendation, the score as it
/// forms (worked out by the same rule the server uses), a draft save and the submission.
#[component]
fn SheetForm(
    rubric: Rubric,
    start: Sheet,
    token: String,
    path: String,
    saved: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let grades = RwSignal::new(start.grades);
    let recommendation = RwSignal::new(start.recommendation);
    let message = RwSignal::new(None::<(bool, String)>);
    let rubric = StoredValue::new(rubric);
    let sheet = move || Sheet {
        grades: grades.get(),
        recommendation: recommendation.get(),
    };
    let (token, path) = (StoredValue::new(token), StoredValue::new(path));
    let send = move |submit: bool| {
        if submit && !confirmed(t(lang.get_untracked(), DeskKey::PanelSubmitConfirm)) {
            return;
        }
        let body = Sheet {
            grades: grades.get_untracked(),
            recommendation: recommendation.get_untracked(),
        };
        let (method, target) = if submit {
            ("POST", format!("{}/sheet/submit", path.get_value()))
        } else {
            ("PUT", format!("{}/sheet", path.get_value()))
        };
        let token = token.get_value();
        spawn_local(async move {
            match api::send::<_, DistrictPanel>(&token, method, &target, &body).await {
                Ok(_) => {
                    message.set(Some((
                        true,
                        t(lang.get_untracked(), DeskKey::PanelSaved).to_owned(),
                    )));
                    saved.run(());
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        });
    };
    let components = rubric.with_value(|r| r.components.clone());
    let keys: Vec<String> = components.iter().map(|c| c.key.clone()).collect();
    let fieldsets = components
        .into_iter()
        .map(|component| {
            let label = component.label.clone();
            let weight = component.weight;
            let indicators = component.indicators.into_iter().map(|i| view! { <IndicatorGrades indicator=i grades=grades /> }).collect_view();
            view! {
                <fieldset class="component" data-component=component.key>
                    <legend>{move || bilingual(lang.get(), &label).to_owned()}" · "{move || crate::i18n::desk_msg::panel_weight(lang.get(), &weight)}</legend>
                    {indicators}
                </fieldset>
            }
        })
        .collect_view();
    let heads = rubric.with_value(component_heads);
    let preview = move || {
        let score = rubric.with_value(|r| sheet().score(r));
        score_cells(&score, &keys)
    };
    view! {
        <form class="sheet" data-testid="sheet-form" on:submit=|ev| ev.prevent_default()>
            {fieldsets}
            <label class="field"><span class="label">{tr(DeskKey::PanelRecommendation)}</span>
                <textarea rows="4" data-testid="sheet-recommendation" prop:value=move || recommendation.get()
                    on:input=move |ev| recommendation.set(event_target_value(&ev))></textarea></label>
            <p class="label">{tr(DeskKey::PanelPreview)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=tr(DeskKey::PanelPreview)><table class="scores"><thead><tr>{heads}<th class="number">{tr(DeskKey::PanelScore)}</th></tr></thead>
                <tbody><tr data-testid="sheet-preview">{preview}</tr></tbody></table></div>
            {move || message.get().map(|(ok, text)| view! { <p class=if ok { "done" } else { "error" } role="status" data-testid="sheet-message">{text}</p> })}
            <div class="actions">
                <button type="button" class="secondary" data-testid="sheet-save" on:click=move |_| send(false)>{tr(DeskKey::PanelSaveDraft)}</button>
                <button type="button" class="primary" data-testid="sheet-submit" on:click=move |_| send(true)>{tr(DeskKey::PanelSubmit)}</button>
            </div>
        </form>
    }
}

/// One indicator: its grades as buttons (the criterion of each in its title and under the
/// row once picked).
#[component]
fn IndicatorGrades(
    indicator: Indicator,
    grades: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let lang = use_lang();
    let key = StoredValue::new(indicator.key.clone());
    let label = indicator.label.clone();
    let scale = StoredValue::new(indicator.grades.clone());
    let picked = move || grades.with(|g| g.get(&key.get_value()).cloned());
    let buttons = indicator
        .grades
        .into_iter()
        .map(|grade| {
            let code = grade.code.clone();
            let criterion = grade.criterion.clone();
            let is_on = {
                let code = code.clone();
                move || picked().as_deref() == Some(code.as_str())
            };
            let pick = {
                let code = code.clone();
                move |_| grades.update(|g| { g.insert(key.get_value(), code.clone()); })
            };
            view! {
                <button type="button" class="grade" class:on=is_on.clone() aria-pressed=move || is_on().to_string()
                    title=move || bilingual(lang.get(), &criterion).to_owned()
                    data-testid=format!("grade-{}-{}", key.get_value(), code) on:click=pick>
                    <strong>{code.clone()}</strong><small>{format_score(grade.points)}</small>
                </button>
            }
        })
        .collect_view();
    let criterion = move || {
        let code = picked()?;
        scale.with_value(|s| {
            s.iter()
                .find(|g| g.code == code)
                .map(|g| bilingual(lang.get(), &g.criterion).to_owned())
        })
    };
    view! {
        <div class="indicator" data-testid="indicator" data-key=key.get_value() data-picked=move || picked().unwrap_or_default()>
            <p class="indicator-label">{move || bilingual(lang.get(), &label).to_owned()}</p>
            <div class="grades" role="group">{buttons}</div>
            <p class="muted criterion">{criterion}</p>
        </div>
    }
}

/// A header cell per component, in the interface's language.
fn component_heads(rubric: &Rubric) -> impl IntoView + use<> {
    let lang = use_lang();
    rubric
        .components
        .iter()
        .map(|c| {
            let label = c.label.clone();
            view! { <th class="number">{move || bilingual(lang.get(), &label).to_owned()}</th> }
        })
        .collect_view()
}
