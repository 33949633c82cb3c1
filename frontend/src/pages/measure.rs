//! Weighing and measuring a child: z-scores and the Permenkes category appear while typing,
//! and implausible values ask for a re-measure before saving.

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::anthro::{Anthro, Position, Sex, ZScore};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use time::Date;
use uuid::Uuid;

use crate::AppCtx;
use crate::components::field::{CheckField, ChoiceField, FieldErrors, TextField};
use crate::components::growth_chart::{GrowthChart, Indicator as ChartIndicator};
use crate::forms;
use crate::i18n::{Key, Lang, t, tr, use_lang};
use crate::pages::Page;
use crate::pages::home::text;

/// The measuring screen of one child.
#[component]
pub fn MeasurePage(child: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let record = ctx
        .db
        .with_value(|db| db.snapshot().records.get(&child).cloned());
    let body = record.map(|r| r.body).unwrap_or_default();
    let household = body["household_id"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok());
    let sex = if body["sex"] == "M" {
        Sex::Male
    } else {
        Sex::Female
    };
    let birth = konvergen_shared::date::parse_iso(&text(&body, "birth_date"));
    let measured_on = RwSignal::new(forms::iso(forms::today()));
    let weight = RwSignal::new(String::new());
    let length = RwSignal::new(String::new());
    let position = RwSignal::new("lying".to_owned());
    let oedema = RwSignal::new(false);
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let entered = move || {
        let mut problems = Vec::new();
        let day = forms::past_date(
            &mut problems,
            "measured_on",
            &measured_on.get(),
            forms::today(),
        )?;
        let record = MeasurementRecord {
            child_id: child.into(),
            measured_on: day,
            weight_kg: forms::decimal(&mut problems, "weight_kg", &weight.get(), 0.5..=40.0),
            length_cm: forms::decimal(&mut problems, "length_cm", &length.get(), 35.0..=130.0),
            position: if position.get() == "standing" {
                Position::Standing
            } else {
                Position::Lying
            },
            oedema: oedema.get(),
        };
        Some((record, problems))
    };
    let result = Memo::new(move |_| {
        let (record, _) = entered()?;
        birth.map(|b| record.anthro(sex, b))
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((record, mut problems)) = entered() else {
            errors.set(vec![("measured_on", Key::Required)]);
            return;
        };
        if record.weight_kg.is_none() && record.length_cm.is_none() {
            problems.push(("weight_kg", Key::Required));
        }
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let Ok(body) = serde_json::to_value(&record) else {
            return;
        };
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(
                    EntityKind::Measurement,
                    crate::ids::new_id(),
                    Operation::Upsert,
                    body,
                )
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                if let Some(household) = household {
                    ctx.back_to(Page::Household(household));
                }
            }
        });
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| {
                ctx.back_to(household.map_or(Page::Home, Page::Household));
            }>"← "{tr(Key::Back)}</button>
            <h2>{text(&body, "name")}</h2>
            <form class="card" on:submit=save data-testid="measure-form">
                <TextField label=Key::MeasuredOn name="measured_on" value=measured_on errors=errors kind="date" />
                <TextField label=Key::Weight name="weight_kg" value=weight errors=errors inputmode="decimal" />
                <TextField label=Key::Length name="length_cm" value=length errors=errors inputmode="decimal" />
                <ChoiceField label=Key::Position name="position" value=position
                    options=vec![("lying", Key::Lying), ("standing", Key::Standing)] />
                <CheckField label=Key::Oedema name="oedema" value=oedema />
                <div class="result" data-testid="zscore-result">
                    <h3>{tr(Key::Result)}</h3>
                    {move || result.get().map(|anthro| result_view(&anthro, lang.get()))}
                </div>
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {birth.map(|born| charts(ctx, child, sex, born))}
        </section>
    }
}

/// Length-for-age and weight-for-age charts with the child's saved measurements.
fn charts(ctx: AppCtx, child: Uuid, sex: Sex, born: Date) -> impl IntoView {
    let measurements: Vec<MeasurementRecord> = ctx
        .state()
        .live(EntityKind::Measurement)
        .filter_map(|r| serde_json::from_value::<MeasurementRecord>(r.body.clone()).ok())
        .filter(|m| m.child_id.uuid() == child)
        .collect();
    let points = |value: fn(&MeasurementRecord) -> Option<f64>| {
        measurements
            .iter()
            .filter_map(|m| Some(((m.measured_on - born).whole_days() as f64, value(m)?)))
            .filter(|(days, _)| (0.0..=731.0).contains(days))
            .collect::<Vec<_>>()
    };
    view! {
        <GrowthChart indicator=ChartIndicator::LengthForAge sex=sex points=points(|m| m.length_cm) />
        <GrowthChart indicator=ChartIndicator::WeightForAge sex=sex points=points(|m| m.weight_kg) />
    }
}

fn result_view(anthro: &Anthro, lang: Lang) -> impl IntoView + use<> {
    let rows = [
        (
            Key::Haz,
            "haz",
            anthro.haz.clone(),
            anthro.stunting().map(|c| (c.label_id(), c.label_en())),
        ),
        (
            Key::Waz,
            "waz",
            anthro.waz.clone(),
            anthro.underweight().map(|c| (c.label_id(), c.label_en())),
        ),
        (
            Key::Whz,
            "whz",
            anthro.whz.clone(),
            anthro.wasting().map(|c| (c.label_id(), c.label_en())),
        ),
    ];
    let remeasure = anthro.needs_remeasure();
    view! {
        <dl>
            {rows
                .into_iter()
                .map(|(key, name, z, category)| z_row(lang, key, name, z, category))
                .collect_view()}
        </dl>
        {remeasure.then(|| view! { <p class="warning" role="alert" data-testid="remeasure">{t(lang, Key::Remeasure)}</p> })}
    }
}

fn z_row(
    lang: Lang,
    key: Key,
    name: &'static str,
    z: Option<ZScore>,
    category: Option<(&'static str, &'static str)>,
) -> impl IntoView + use<> {
    let label = category
        .map(|(id, en)| if lang == Lang::Id { id } else { en })
        .unwrap_or("–");
    let flagged = z.as_ref().is_some_and(|z| z.flagged);
    let value = z.map(|z| z.text).unwrap_or_else(|| "–".to_owned());
    view! {
        <dt>{t(lang, key)}</dt>
        <dd data-testid=format!("z-{name}") class:flagged=flagged>
            <span class="z">{value}</span>" "<span class="category" data-testid=format!("category-{name}")>{label}</span>
            {flagged.then(|| view! { " (" {t(lang, Key::Flagged)} ")" })}
        </dd>
    }
}
