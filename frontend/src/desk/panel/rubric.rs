//! The province's rubric card: the year's components with their weights, indicators and
//! grade scales, the district categories, and the saved versions. Each save makes a new
//! version; the card says when it can no longer change (a sheet was submitted with it, or
//! the year is published) and then only shows it.

use konvergen_shared::actions::panel_views::RubricView;
use konvergen_shared::actions::rubric::{Component, Rubric};
use konvergen_shared::actions::score_text::format_score;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::bilingual;
use crate::desk::api;
use crate::i18n::{DeskKey, desk_msg, tr, use_lang};

#[component]
pub(super) fn RubricCard(
    token: String,
    year: RwSignal<i32>,
    reload: RwSignal<u32>,
    /// The province's regencies, code and name, for the categories.
    regencies: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let view_data = LocalResource::new(move || {
        reload.track();
        let (token, year) = (token.get_value(), year.get());
        async move { api::get::<RubricView>(&token, &format!("/api/v1/assessment/{year}/rubric")).await }
    });
    let draft = RwSignal::new(None::<Rubric>);
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(fetched)) = view_data.get() {
            draft.set(Some(fetched.data.rubric));
        }
    });
    let save = move |_| {
        let Some(rubric) = draft.get_untracked() else {
            return;
        };
        let (token, year) = (token.get_value(), year.get_untracked());
        spawn_local(async move {
            let path = format!("/api/v1/assessment/{year}/rubric");
            match api::send::<_, RubricView>(&token, "PUT", &path, &rubric).await {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(err) => message.set(Some(err.message)),
            }
        });
    };
    let body = move || {
        let fetched = view_data.get()?.ok()?;
        let info = fetched.data;
        let locked = info.publication.is_some() || info.sheets_submitted > 0;
        Some(view! {
            {crate::desk::cache_note(fetched.cached_at_ms)}
            <RubricState info=info />
            {move || draft.get().map(|rubric| view! { <RubricEditor rubric=rubric draft=draft locked=locked regencies=regencies /> })}
            {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="rubric-error">{m}</p> })}
            {(!locked).then(|| view! {
                <div class="actions">
                    <button class="secondary" data-testid="rubric-aspects" on:click=move |_| draft.set(Some(Rubric::aspects_for(year.get_untracked())))>{tr(DeskKey::PanelRubricAspects)}</button>
                    <button class="secondary" data-testid="rubric-stages" on:click=move |_| draft.set(Some(Rubric::default_for(year.get_untracked())))>{tr(DeskKey::PanelRubricStages)}</button>
                    <button class="primary" data-testid="rubric-save" on:click=save>{tr(DeskKey::PanelRubricSave)}</button>
                </div>
            })}
        })
    };
    view! {
        <details class="card" data-testid="rubric-card">
            <summary>{tr(DeskKey::PanelRubric)}</summary>
            {body}
        </details>
    }
}

/// Which version is in force, its history, and why it is locked.
#[component]
fn RubricState(info: RubricView) -> impl IntoView {
    let lang = use_lang();
    let version = info.version;
    let heading = move || {
        if version == 0 {
            crate::i18n::t(lang.get(), DeskKey::PanelRubricDefault).to_owned()
        } else {
            desk_msg::panel_rubric_version(lang.get(), &version)
        }
    };
    let lock = if info.publication.is_some() {
        Some(DeskKey::PanelRubricFrozen)
    } else if info.sheets_submitted > 0 {
        Some(DeskKey::PanelRubricLocked)
    } else {
        None
    };
    let history = info
        .history
        .into_iter()
        .map(|entry| {
            view! { <li>{move || desk_msg::panel_rubric_saved_by(lang.get(), &entry.version, &entry.saved_by, &crate::desk::when(lang.get(), Some(entry.saved_at_ms)))}</li> }
        })
        .collect_view();
    view! {
        <p data-testid="rubric-version" data-version=version.to_string()><strong>{heading}</strong></p>
        {lock.map(|key| view! { <p class="warning" data-testid="rubric-locked">{tr(key)}</p> })}
        <details><summary>{tr(DeskKey::PanelRubricHistory)}</summary><ul class="list small">{history}</ul></details>
    }
}

/// The components (weights editable while unlocked), their indicators and scales, and the
/// category of each district when the rubric has categories.
#[component]
fn RubricEditor(
    rubric: Rubric,
    draft: RwSignal<Option<Rubric>>,
    locked: bool,
    regencies: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let sum: u32 = rubric.components.iter().map(|c| c.weight).sum();
    let components = rubric
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| component_view(index, component.clone(), draft, locked))
        .collect_view();
    let categories = (!rubric.categories.is_empty()).then(|| {
        let options = rubric.categories.clone();
        view! {
            <h3>{tr(DeskKey::PanelCategories)}</h3>
            <div class="category-list">
                {move || regencies.get().into_iter().map(|(code, name)| category_choice(code, name, options.clone(), draft, locked)).collect_view()}
            </div>
        }
    });
    view! {
        {components}
        <p class=if sum == 100 { "muted" } else { "error" } data-testid="rubric-sum">{move || desk_msg::panel_weights_sum(lang.get(), &sum)}</p>
        {categories}
    }
}

fn component_view(
    index: usize,
    component: Component,
    draft: RwSignal<Option<Rubric>>,
    locked: bool,
) -> impl IntoView {
    let lang = use_lang();
    let label = component.label.clone();
    let set_weight = move |ev| {
        let Ok(weight) = event_target_value(&ev).trim().parse::<u32>() else {
            return;
        };
        draft.update(|d| {
            if let Some(c) = d.as_mut().and_then(|r| r.components.get_mut(index)) {
                c.weight = weight;
            }
        });
    };
    let indicators = component
        .indicators
        .into_iter()
        .map(|indicator| {
            let label = indicator.label.clone();
            let scale = indicator.grades.iter().map(|g| format!("{} {}", g.code, format_score(g.points))).collect::<Vec<_>>().join(" · ");
            view! { <li><span>{move || bilingual(lang.get(), &label).to_owned()}</span><br/><span class="muted">{scale}</span></li> }
        })
        .collect_view();
    view! {
        <fieldset class="component" data-testid="rubric-component" data-key=component.key>
            <legend>{move || bilingual(lang.get(), &label).to_owned()}</legend>
            <label class="field weight"><span class="label">{move || desk_msg::panel_weight(lang.get(), &component.weight)}</span>
                <input type="number" min="0" max="100" inputmode="numeric" data-testid=format!("rubric-weight-{}", component.key)
                    prop:value=component.weight.to_string() disabled=locked on:change=set_weight /></label>
            <ul class="list small">{indicators}</ul>
        </fieldset>
    }
}

fn category_choice(
    code: String,
    name: String,
    options: Vec<konvergen_shared::actions::rubric::Category>,
    draft: RwSignal<Option<Rubric>>,
    locked: bool,
) -> impl IntoView {
    let lang = use_lang();
    let current = draft
        .with_untracked(|d| {
            d.as_ref()
                .and_then(|r| r.district_categories.get(&code).cloned())
        })
        .unwrap_or_default();
    let testid = format!("rubric-category-{code}");
    let target = code;
    let choose = move |ev| {
        let key = event_target_value(&ev);
        draft.update(|d| {
            if let Some(rubric) = d.as_mut() {
                if key.is_empty() {
                    rubric.district_categories.remove(&target);
                } else {
                    rubric.district_categories.insert(target.clone(), key);
                }
            }
        });
    };
    let choices = options
        .into_iter()
        .map(|c| {
            let selected = c.key == current;
            let label = c.label.clone();
            view! { <option value=c.key selected=selected>{move || bilingual(lang.get(), &label).to_owned()}</option> }
        })
        .collect_view();
    view! {
        <label class="field category-choice"><span class="label">{name}</span>
            <select data-testid=testid disabled=locked on:change=choose>
                <option value="" selected=current.is_empty()>{tr(DeskKey::PanelNoCategory)}</option>
                {choices}
            </select></label>
    }
}
