//! Monthly checklist of one person (forms 2A, 2B, 2C) for this month or a missed month of
//! the follow-up period, with the previous months visible for reference.

use konvergen_shared::monitoring::{Form2a, Form2b, Form2c, YearMonth, monthly_record_id};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::AppCtx;
use crate::forms;
use crate::history;
use crate::i18n::{Key, t, tr, use_lang};
use crate::pages::Page;
use crate::pages::home::text;
use crate::register;

/// A Y/T item: (field, label).
type Item = (&'static str, Key);

const FORM_2A: &[Item] = &[
    ("anc_visit", Key::AncVisit),
    ("iron_tablet", Key::IronTablet),
    ("postnatal_check", Key::PostnatalCheck),
    ("nutrition_counselling", Key::NutritionCounselling),
    ("home_visit", Key::HomeVisit),
    ("clean_water", Key::CleanWater),
    ("latrine", Key::Latrine),
    ("health_insurance", Key::Insurance),
];

const FORM_2B: &[Item] = &[
    ("basic_immunisation", Key::BasicImmunisation),
    ("measles_immunisation", Key::MeaslesImmunisation),
    ("weighed", Key::Weighed),
    ("length_measured", Key::LengthMeasured),
    ("father_counselled", Key::FatherCounselled),
    ("mother_counselled", Key::MotherCounselled),
    ("home_visit", Key::HomeVisit),
    ("clean_water", Key::CleanWater),
    ("latrine", Key::Latrine),
    ("birth_certificate", Key::BirthCertificateItem),
    ("health_insurance", Key::Insurance),
    ("parenting_class", Key::ParentingClass),
];

/// A single-choice field: (field, label, options as (value, label)).
type Choice = (&'static str, Key, &'static [(&'static str, Key)]);

/// Single-choice fields of form 2B.
const FORM_2B_CHOICES: &[Choice] = &[
    (
        "nutrition_status",
        Key::NutritionStatusLabel,
        &[
            ("N", Key::StatusN),
            ("GK", Key::StatusGK),
            ("GB", Key::StatusGB),
            ("S", Key::StatusS),
        ],
    ),
    (
        "growth_mat",
        Key::GrowthMatLabel,
        &[
            ("green", Key::MatGreen),
            ("yellow", Key::MatYellow),
            ("red", Key::MatRed),
        ],
    ),
];

/// The one field of form 2C.
const FORM_2C_CHOICES: &[Choice] = &[(
    "attendance",
    Key::Attendance,
    &[
        ("not_yet", Key::NotYet),
        ("attending", Key::Attending),
        ("not_attending", Key::NotAttending),
    ],
)];

/// The checklist of `person` (a pregnant woman, a child 0-23 months or a PAUD child) for
/// `month` (this month when `None`).
#[component]
pub fn MonthlyPage(person: Uuid, month: Option<YearMonth>) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let state = ctx.db.with_value(|db| db.snapshot());
    let member = register::member(&state, person);
    let (form_kind, items, choices): (EntityKind, &[Item], &[Choice]) =
        match member.as_ref().map(register::Member::form_kind) {
            Some(EntityKind::Form2a) => (EntityKind::Form2a, FORM_2A, &[]),
            Some(EntityKind::Form2c) => (EntityKind::Form2c, &[], FORM_2C_CHOICES),
            _ => (EntityKind::Form2b, FORM_2B, FORM_2B_CHOICES),
        };
    let household = member.as_ref().map(|m| m.household().uuid());
    let name = member
        .as_ref()
        .map(|m| m.name().to_owned())
        .unwrap_or_default();
    let today = forms::today();
    let this_month = YearMonth::of(today);
    let fillable = member
        .as_ref()
        .map(|m| m.followed().fillable_months(today))
        .unwrap_or_default();
    // A month outside the follow-up period (an old link, a typed address) opens this month.
    let month = month.filter(|m| fillable.contains(m)).unwrap_or(this_month);
    let record_id = monthly_record_id(person.into(), month);
    let current = state
        .records
        .get(&record_id)
        .filter(|r| !r.deleted)
        .map(|r| r.body.clone())
        .unwrap_or_default();
    let answers = RwSignal::new(current.as_object().cloned().unwrap_or_default());
    let mut history: Vec<Value> = state
        .records
        .values()
        .filter(|r| {
            r.entity == form_kind
                && !r.deleted
                && r.body["person_id"] == person.to_string()
                && r.record_id != record_id
        })
        .map(|r| r.body.clone())
        .collect();
    konvergen_shared::sort::sort_by(&mut history, |a, b| {
        b["month"].as_str().cmp(&a["month"].as_str())
    });
    history.truncate(3);
    let leave = move || ctx.back_to(household.map_or(Page::Home, Page::Household));
    let save = move |_| {
        let mut body = answers.get_untracked();
        body.insert("person_id".into(), Value::String(person.to_string()));
        body.insert("month".into(), Value::String(month.to_string()));
        body.retain(|_, v| !v.is_null());
        let Some(body) = typed_body(form_kind, body) else {
            return;
        };
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(form_kind, record_id, Operation::Upsert, body)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                leave();
            }
        });
    };
    let pick_month = move |ev: leptos::ev::Event| {
        let chosen = YearMonth::try_from(event_target_value(&ev)).ok();
        // Choosing another month replaces this screen: back still leads out of the form.
        history::replace_next();
        ctx.page.set(Page::Monthly {
            person,
            month: chosen,
        });
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| leave()>
                "← "{tr(Key::Back)}
            </button>
            <h2>{name}</h2>
            <p class="muted">{tr(Key::Monthly)}" · "{tr(Key::MonthLabel)}" "<span data-testid="monthly-month">{month.to_string()}</span></p>
            <label class="field">
                <span class="label">{tr(Key::FillMonth)}</span>
                <select data-testid="month-picker" on:change=pick_month>
                    {fillable.iter().copied().map(|m| view! {
                        <option value=m.to_string() selected=m == month>{move || forms::month_name(lang.get(), m, "long")}</option>
                    }).collect_view()}
                </select>
            </label>
            {(month != this_month).then(|| view! { <p class="notice" data-testid="backfill-note">{tr(Key::BackfillNote)}</p> })}
            <div class="card" data-testid="monthly-form">
                {choices.iter().map(|(field, label, options)| choice_row(answers, field, *label, options)).collect_view()}
                {items.iter().map(|(field, label)| yes_no_row(answers, field, *label, lang)).collect_view()}
                <button class="primary wide" data-testid="save" on:click=save>{tr(Key::Save)}</button>
            </div>
            <h3>{tr(Key::PreviousMonths)}</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label=move || t(lang.get(), Key::PreviousMonths)>
                <table class="history" data-testid="monthly-history">
                    <tr><th scope="col">{tr(Key::MonthLabel)}</th>{history.iter().map(|h| {
                        let shown = YearMonth::try_from(text(h, "month")).ok();
                        view! { <th scope="col">{move || shown.map(|m| forms::month_name(lang.get(), m, "short")).unwrap_or_default()}</th> }
                    }).collect_view()}</tr>
                    {choices.iter().map(|(field, label, _)| (*field, *label)).chain(items.iter().copied()).map(|(field, label)| {
                        let cells: Vec<String> = history.iter().map(|h| h[field].as_str().unwrap_or("–").to_owned()).collect();
                        view! { <tr><th scope="row">{move || t(lang.get(), label)}</th>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }
                    }).collect_view()}
                </table>
            </div>
        </section>
    }
}

/// The answers, if they read as the typed form of `kind` (the shape the server decodes, no
/// unknown field, every answer a known value); otherwise nothing is saved. The body is kept
/// as it was typed rather than serialised again, so the form types need no encoder here.
fn typed_body(kind: EntityKind, answers: Map<String, Value>) -> Option<Value> {
    let answers = Value::Object(answers);
    let reads = match kind {
        EntityKind::Form2a => Form2a::deserialize(&answers).is_ok(),
        EntityKind::Form2c => Form2c::deserialize(&answers).is_ok(),
        _ => Form2b::deserialize(&answers).is_ok(),
    };
    reads.then_some(answers)
}

fn set_answer(
    answers: RwSignal<Map<String, Value>>,
    field: &'static str,
    value: Option<&'static str>,
) {
    answers.update(|map| {
        match value {
            Some(v) => map.insert(field.to_owned(), Value::String(v.to_owned())),
            None => map.remove(field),
        };
    });
}

fn yes_no_row(
    answers: RwSignal<Map<String, Value>>,
    field: &'static str,
    label: Key,
    lang: RwSignal<crate::i18n::Lang>,
) -> impl IntoView {
    let value = move || {
        answers
            .get()
            .get(field)
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    let button = move |choice: &'static str, text: Key| {
        view! {
            <button
                class="toggle"
                data-testid=format!("item-{field}-{choice}")
                class:on=move || value().as_deref() == Some(choice)
                on:click=move |_| {
                    let again = value().as_deref() == Some(choice);
                    set_answer(answers, field, if again { None } else { Some(choice) });
                }
            >{move || t(lang.get(), text)}</button>
        }
    };
    view! {
        <div class="yes-no">
            <span>{move || t(lang.get(), label)}</span>
            <span class="buttons">{button("Y", Key::Yes)}{button("T", Key::No)}</span>
        </div>
    }
}

fn choice_row(
    answers: RwSignal<Map<String, Value>>,
    field: &'static str,
    label: Key,
    options: &'static [(&'static str, Key)],
) -> impl IntoView {
    let lang = use_lang();
    let value = move || {
        answers
            .get()
            .get(field)
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    view! {
        <div class="yes-no">
            <span>{move || t(lang.get(), label)}</span>
            <span class="buttons">
                {options.iter().map(|(option, text)| view! {
                    <button class="toggle" data-testid=format!("item-{field}-{option}")
                        class:on=move || value().as_deref() == Some(*option)
                        on:click=move |_| set_answer(answers, field, Some(option))>
                        {move || t(lang.get(), *text)}
                    </button>
                }).collect_view()}
            </span>
        </div>
    }
}
