//! The team's stunting budget: the lines of both fiscal years with their totals, and the
//! form that adds one.

use konvergen_shared::api::FieldError;
use konvergen_shared::district::{
    BudgetLine, FundingSource, Intervention, format_rupiah, parse_rupiah, totals_by_fiscal_year,
};
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use uuid::Uuid;

use super::fields::{agency_field, input, save_record, select, sent_label};
use crate::AppCtx;
use crate::i18n::{DeskKey, Key, Lang, desk_msg, t, tr, use_lang};

pub(super) fn budget_table(lines: Vec<(Uuid, BudgetLine, bool)>, lang: Lang) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="empty">{t(lang, DeskKey::TeamNothingYet)}</p> }.into_any();
    }
    let totals = totals_by_fiscal_year(lines.iter().map(|(_, line, _)| line));
    view! {
        <ul class="list budget-lines" data-testid="budget-table">
            {lines.into_iter().map(|(id, line, waiting)| view! {
                <li class="budget-line" data-testid="budget-row" data-id=id.to_string() data-waiting=waiting.to_string()>
                    <span class="budget-agency">{line.agency.clone()}</span>
                    <span>{line.programme.clone()}" · "{line.activity.clone()}</span>
                    {(!line.actions.is_empty()).then(|| {
                        let numbers: Vec<String> = line.actions.iter().map(u8::to_string).collect();
                        view! { <span class="muted" data-testid="budget-actions">{desk_msg::action_numbers(lang, &numbers.join(", "))}</span> }
                    })}
                    <span class="budget-figures">
                        <span class="muted">{t(lang, DeskKey::TeamFiscalYear)}" "{line.fiscal_year}" · "{sent_label(waiting, lang)}</span>
                        <strong class="number" data-testid="budget-allocation">{crate::desk::figure(lang, &format_rupiah(line.allocation_rp))}</strong>
                    </span>
                    {super::fields::refusal(id)}
                </li>
            }).collect_view()}
        </ul>
        <dl class="budget-totals">
            {totals.into_iter().map(|(fiscal_year, sum)| view! {
                <div data-testid="budget-total" data-fiscal-year=fiscal_year.to_string()>
                    <dt>{t(lang, DeskKey::TeamTotal)}" "{fiscal_year}" ("{sum.lines}")"</dt>
                    <dd class="number">{crate::desk::figure(lang, &format_rupiah(sum.allocation_rp))}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

pub(super) const INTERVENTIONS: [(Intervention, &str, DeskKey); 3] = [
    (
        Intervention::Specific,
        "specific",
        DeskKey::InterventionSpecific,
    ),
    (
        Intervention::Sensitive,
        "sensitive",
        DeskKey::InterventionSensitive,
    ),
    (
        Intervention::Coordination,
        "coordination",
        DeskKey::InterventionCoordination,
    ),
];

pub(super) const SOURCES: [(FundingSource, &str, DeskKey); 6] = [
    (FundingSource::Apbd, "apbd", DeskKey::SourceApbd),
    (FundingSource::Dak, "dak", DeskKey::SourceDak),
    (
        FundingSource::DanaDesa,
        "dana_desa",
        DeskKey::SourceDanaDesa,
    ),
    (FundingSource::Apbn, "apbn", DeskKey::SourceApbn),
    (FundingSource::Csr, "csr", DeskKey::SourceCsr),
    (FundingSource::Other, "other", DeskKey::SourceOther),
];

pub(super) fn labelled<T: Copy>(
    options: &[(T, &str, DeskKey)],
    lang: Lang,
) -> Vec<(String, String)> {
    options
        .iter()
        .map(|(_, value, key)| ((*value).to_owned(), t(lang, *key).to_owned()))
        .collect()
}

pub(super) fn chosen<T: Copy>(options: &[(T, &str, DeskKey)], value: &str) -> T {
    options
        .iter()
        .find(|(_, v, _)| *v == value)
        .map_or(options[0].0, |(kind, ..)| *kind)
}

/// "Tambah baris anggaran".
#[component]
pub(super) fn BudgetForm(
    ctx: AppCtx,
    regency: String,
    year: RwSignal<i32>,
    agencies: RwSignal<Vec<String>>,
    current_year: i32,
) -> impl IntoView {
    let lang = use_lang();
    let served = RwSignal::new(Vec::<u8>::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let [
        agency,
        fiscal_year,
        programme,
        activity,
        sub_activity,
        intervention,
        source,
        allocation,
        realisation,
    ] = std::array::from_fn(|_| RwSignal::new(String::new()));
    intervention.set("specific".into());
    source.set("apbd".into());
    let regency = StoredValue::new(regency);
    let fiscal_years = move || {
        let y = year.get();
        if fiscal_year
            .get_untracked()
            .parse::<i32>()
            .map_or(true, |f| f != y && f != y + 1)
        {
            fiscal_year.set(y.to_string());
        }
        select(
            DeskKey::TeamFiscalYear,
            "fiscal_year",
            fiscal_year,
            vec![
                (y.to_string(), y.to_string()),
                ((y + 1).to_string(), (y + 1).to_string()),
            ],
        )
    };
    let save = move |_| {
        let amount = |text: RwSignal<String>| parse_rupiah(&text.get_untracked());
        let line = BudgetLine {
            regency_code: regency.get_value(),
            year: year.get_untracked(),
            agency: agency.get_untracked(),
            fiscal_year: fiscal_year.get_untracked().parse().unwrap_or_default(),
            programme: programme.get_untracked().trim().to_owned(),
            activity: activity.get_untracked().trim().to_owned(),
            sub_activity: sub_activity.get_untracked().trim().to_owned(),
            intervention: chosen(&INTERVENTIONS, &intervention.get_untracked()),
            source: chosen(&SOURCES, &source.get_untracked()),
            allocation_rp: amount(allocation).unwrap_or(-1),
            realisation_rp: amount(realisation),
            actions: served.get_untracked(),
        };
        match line.validate(current_year) {
            Err(found) => errors.set(found),
            Ok(()) => {
                errors.set(Vec::new());
                let body = serde_json::to_value(&line).unwrap_or_default();
                save_record(ctx, EntityKind::BudgetLine, body, move || {
                    for field in [programme, activity, sub_activity, allocation, realisation] {
                        field.set(String::new());
                    }
                    served.set(Vec::new());
                });
            }
        }
    };
    view! {
        <details class="card" data-testid="budget-form">
            <summary>{tr(DeskKey::TeamAddBudget)}</summary>
            {agency_field(agency, agencies)}
            {fiscal_years}
            {input(DeskKey::TeamProgramme, "programme", programme, errors, "text")}
            {input(DeskKey::TeamActivity, "activity", activity, errors, "text")}
            {input(DeskKey::TeamSubActivity, "sub_activity", sub_activity, errors, "text")}
            {move || select(DeskKey::TeamIntervention, "intervention", intervention, labelled(&INTERVENTIONS, lang.get()))}
            {move || select(DeskKey::TeamSource, "source", source, labelled(&SOURCES, lang.get()))}
            {input(DeskKey::TeamAllocation, "allocation_rp", allocation, errors, "numeric")}
            {input(DeskKey::TeamRealisation, "realisation_rp", realisation, errors, "numeric")}
            {actions_served(served)}
            <button class="primary" data-testid="budget-save" on:click=save>{tr(Key::Save)}</button>
        </details>
    }
}

/// "Aksi yang didukung": the actions (1-8) a budget line serves, ticked.
fn actions_served(served: RwSignal<Vec<u8>>) -> impl IntoView {
    let lang = use_lang();
    let toggle = move |number: u8, on: bool| {
        served.update(|list| {
            list.retain(|n| *n != number);
            if on {
                list.push(number);
                list.sort_unstable();
            }
        });
    };
    view! {
        <fieldset class="actions-served">
            <legend class="label">{tr(DeskKey::TeamActionsServed)}</legend>
            {(1_u8..=8).map(|number| view! {
                <label class="check">
                    <input type="checkbox" data-testid="served-action" data-number=number
                        prop:checked=move || served.with(|list| list.contains(&number))
                        on:change=move |ev| toggle(number, event_target_checked(&ev)) />
                    {move || desk_msg::action_numbers(lang.get(), &number)}
                </label>
            }).collect_view()}
        </fieldset>
    }
}
