//! Weighing and measuring a child: z-scores and the Permenkes category appear while typing,
//! and implausible values ask for a re-measure before saving.

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::anthro::{Anthro, Position, Sex, ZScore};
use konvergen_shared::api::FieldError;
use konvergen_shared::register::Child;
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use time::Date;
use uuid::Uuid;

use crate::AppCtx;
use crate::components::field::{
    CheckField, ChoiceField, OtherErrors, RecordErrors, TextField, field_of,
};
use crate::components::growth_chart::{GrowthChart, Indicator as ChartIndicator};
use crate::forms;
use crate::i18n::{Key, Lang, t, tr, use_lang};
use crate::pages::Page;

/// The inputs of the measuring form.
#[derive(Clone, Copy)]
struct MeasureInputs {
    measured_on: RwSignal<String>,
    weight: RwSignal<String>,
    length: RwSignal<String>,
    position: RwSignal<String>,
    oedema: RwSignal<bool>,
}

impl MeasureInputs {
    const FIELDS: &'static [&'static str] = &["measured_on", "weight_kg", "length_cm"];

    fn new() -> Self {
        Self {
            measured_on: RwSignal::new(forms::iso(forms::today())),
            weight: RwSignal::new(String::new()),
            length: RwSignal::new(String::new()),
            position: RwSignal::new("lying".to_owned()),
            oedema: RwSignal::new(false),
        }
    }

    /// The measurement as typed (tracked, so the result follows the typing), with the
    /// problems of reading it; an unreadable day reads as today.
    fn read(self, child: Uuid, problems: &mut Vec<FieldError>) -> MeasurementRecord {
        let day = forms::read_required_date(problems, "measured_on", &self.measured_on.get());
        MeasurementRecord {
            child_id: child.into(),
            measured_on: day.unwrap_or_else(forms::today),
            weight_kg: forms::read_decimal(problems, "weight_kg", &self.weight.get()),
            length_cm: forms::read_decimal(problems, "length_cm", &self.length.get()),
            position: if self.position.get() == "standing" {
                Position::Standing
            } else {
                Position::Lying
            },
            oedema: self.oedema.get(),
        }
    }
}

/// The problems of `record`: those of reading it, then the shared rules the server runs on
/// the body, here also against the child's birth date, which the phone knows.
fn problems_of(
    record: &MeasurementRecord,
    birth: Option<Date>,
    mut problems: Vec<FieldError>,
) -> Vec<FieldError> {
    let found = record.validate(birth, forms::today()).err();
    forms::merge(&mut problems, found.unwrap_or_default());
    problems
}

/// The z-scores of the values that pass the checks, while typing.
fn live_result(inputs: MeasureInputs, child: Uuid, sex: Sex, birth: Date) -> Option<Anthro> {
    let mut read = Vec::new();
    let mut record = inputs.read(child, &mut read);
    let problems = problems_of(&record, Some(birth), read);
    let has_problem = |field: &str| problems.iter().any(|p| field_of(p) == field);
    if has_problem("measured_on") {
        return None;
    }
    if has_problem("weight_kg") {
        record.weight_kg = None;
    }
    if has_problem("length_cm") {
        record.length_cm = None;
    }
    Some(record.anthro(sex, birth))
}

/// The measuring screen of one child.
#[component]
pub fn MeasurePage(child: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let registered = forms::existing::<Child>(ctx, Some(child));
    let household = registered.as_ref().map(|c| c.household_id.uuid());
    let sex = registered.as_ref().map_or(Sex::Female, |c| c.sex);
    let birth = registered.as_ref().map(|c| c.birth_date);
    let name = registered.map(|c| c.name).unwrap_or_default();
    let inputs = MeasureInputs::new();
    let errors: RecordErrors = RwSignal::new(Vec::new());
    let result = Memo::new(move |_| live_result(inputs, child, sex, birth?));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut read = Vec::new();
        let record = inputs.read(child, &mut read);
        let problems = problems_of(&record, birth, read);
        errors.set(problems.clone());
        if problems.is_empty() {
            let then = household.map(Page::Household);
            forms::save_record(ctx, crate::ids::new_id(), &record, then);
        }
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| {
                ctx.back_to(household.map_or(Page::Home, Page::Household));
            }>"← "{tr(Key::Back)}</button>
            <h2>{name}</h2>
            <form class="card" on:submit=save data-testid="measure-form">
                <TextField label=Key::MeasuredOn name="measured_on" value=inputs.measured_on errors=errors kind="date" />
                <TextField label=Key::Weight name="weight_kg" value=inputs.weight errors=errors inputmode="decimal" />
                <TextField label=Key::Length name="length_cm" value=inputs.length errors=errors inputmode="decimal" />
                <ChoiceField label=Key::Position name="position" value=inputs.position
                    options=vec![("lying", Key::Lying), ("standing", Key::Standing)] />
                <CheckField label=Key::Oedema name="oedema" value=inputs.oedema />
                <div class="result" data-testid="zscore-result">
                    <h3>{tr(Key::Result)}</h3>
                    {move || result.get().map(|anthro| result_view(&anthro, lang.get()))}
                </div>
                <OtherErrors errors=errors fields=MeasureInputs::FIELDS />
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
