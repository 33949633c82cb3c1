//! Register forms of the 1000-HPK members: pregnant women, children 0-23 months and PAUD
//! children. Each form reads its inputs into the shared record type, checks it with the rules
//! the server runs on the same body (`konvergen_shared::records`) and stores it as it is.

use konvergen_shared::anthro::Sex;
use konvergen_shared::api::FieldError;
use konvergen_shared::records::RecordBody;
use konvergen_shared::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use time::Date;
use uuid::Uuid;

use crate::AppCtx;
use crate::components::delete::DeleteButton;
use crate::components::field::{CheckField, ChoiceField, OtherErrors, RecordErrors, TextField};
use crate::forms;
use crate::i18n::{Key, tr};
use crate::pages::Page;

/// Checks `record` and saves it, or shows its problems under the inputs (which keep what
/// was typed: only the error list changes).
fn submit<T: RecordBody>(
    ctx: AppCtx,
    errors: RecordErrors,
    (id, is_new): (Uuid, bool),
    record: &T,
    problems: Vec<FieldError>,
    household: Uuid,
) {
    match forms::check(record, id, is_new, problems) {
        Ok(()) => {
            errors.set(Vec::new());
            forms::save_record(ctx, id, record, Some(Page::Household(household)));
        }
        Err(found) => errors.set(found),
    }
}

/// `yyyy-mm-dd` of an optional date, empty when there is none.
fn date_text(date: Option<Date>) -> String {
    date.map(forms::iso).unwrap_or_default()
}

/// The value of the sex choice.
fn sex_code(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "M",
        Sex::Female => "F",
    }
}

fn sex_of(code: &str) -> Sex {
    if code == "M" { Sex::Male } else { Sex::Female }
}

/// The value of the pregnancy status choice.
fn status_code(status: PregnancyStatus) -> &'static str {
    match status {
        PregnancyStatus::Normal => "normal",
        PregnancyStatus::Kek => "kek",
        PregnancyStatus::Risti => "risti",
    }
}

fn status_of(code: &str) -> PregnancyStatus {
    match code {
        "kek" => PregnancyStatus::Kek,
        "risti" => PregnancyStatus::Risti,
        _ => PregnancyStatus::Normal,
    }
}

fn text_signal<T>(stored: Option<&T>, value: impl Fn(&T) -> String) -> RwSignal<String> {
    RwSignal::new(stored.map(value).unwrap_or_default())
}

fn back_button(ctx: AppCtx, household: Uuid) -> impl IntoView {
    view! {
        <button class="link" data-testid="back" on:click=move |_| ctx.back_to(Page::Household(household))>"← "{tr(Key::Back)}</button>
    }
}

fn delete_button(
    ctx: AppCtx,
    entity: EntityKind,
    id: Option<Uuid>,
    household: Uuid,
) -> impl IntoView {
    id.map(|id| view! {
        <DeleteButton entity=entity id=id on_deleted=move |()| ctx.back_to(Page::Household(household)) />
    })
}

/// The inputs of the pregnant woman's form.
#[derive(Clone, Copy)]
struct PregnantInputs {
    name: RwSignal<String>,
    nik: RwSignal<String>,
    kia: RwSignal<String>,
    lmp: RwSignal<String>,
    hpl: RwSignal<String>,
    status: RwSignal<String>,
}

impl PregnantInputs {
    const FIELDS: &'static [&'static str] = &[
        "name",
        "nik",
        "kia_register_no",
        "lmp_date",
        "expected_delivery_date",
    ];

    fn new(stored: Option<&PregnantWoman>) -> Self {
        Self {
            name: text_signal(stored, |w| w.name.clone()),
            nik: text_signal(stored, |w| w.nik.clone().unwrap_or_default()),
            kia: text_signal(stored, |w| w.kia_register_no.clone()),
            lmp: text_signal(stored, |w| date_text(w.lmp_date)),
            hpl: text_signal(stored, |w| date_text(w.expected_delivery_date)),
            status: RwSignal::new(
                status_code(stored.map(|w| w.status).unwrap_or_default()).to_owned(),
            ),
        }
    }

    /// The woman as typed; what the form does not show (the delivery) stays as stored.
    fn read(
        self,
        household: Uuid,
        stored: Option<&PregnantWoman>,
        problems: &mut Vec<FieldError>,
    ) -> PregnantWoman {
        PregnantWoman {
            household_id: household.into(),
            name: self.name.get_untracked().trim().to_owned(),
            nik: forms::optional_text(&self.nik.get_untracked()),
            kia_register_no: self.kia.get_untracked().trim().to_owned(),
            lmp_date: forms::read_date(problems, "lmp_date", &self.lmp.get_untracked()),
            expected_delivery_date: forms::read_date(
                problems,
                "expected_delivery_date",
                &self.hpl.get_untracked(),
            ),
            status: status_of(&self.status.get_untracked()),
            delivery_date: stored.and_then(|w| w.delivery_date),
        }
    }
}

/// Form of a pregnant woman (form 2A register part).
#[component]
pub fn PregnantPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let stored = forms::existing::<PregnantWoman>(ctx, id);
    let inputs = PregnantInputs::new(stored.as_ref());
    let errors: RecordErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let woman = inputs.read(household, stored.as_ref(), &mut problems);
        submit(
            ctx,
            errors,
            (record_id, id.is_none()),
            &woman,
            problems,
            household,
        );
    };
    view! {
        <section>
            {back_button(ctx, household)}
            <h2>{tr(Key::PregnantWoman)}</h2>
            <form class="card" on:submit=save data-testid="pregnant-form">
                <TextField label=Key::Name name="name" value=inputs.name errors=errors />
                <TextField label=Key::Nik name="nik" value=inputs.nik errors=errors inputmode="numeric" />
                <TextField label=Key::KiaNo name="kia_register_no" value=inputs.kia errors=errors />
                <TextField label=Key::Lmp name="lmp_date" value=inputs.lmp errors=errors kind="date" />
                <TextField label=Key::Hpl name="expected_delivery_date" value=inputs.hpl errors=errors kind="date" />
                <ChoiceField label=Key::Status name="status" value=inputs.status
                    options=vec![("normal", Key::StatusNormal), ("kek", Key::StatusKek), ("risti", Key::StatusRisti)] />
                <OtherErrors errors=errors fields=PregnantInputs::FIELDS />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {delete_button(ctx, EntityKind::PregnantWoman, id, household)}
        </section>
    }
}

/// The inputs of the child's form.
#[derive(Clone, Copy)]
struct ChildInputs {
    name: RwSignal<String>,
    sex: RwSignal<String>,
    birth: RwSignal<String>,
    nik: RwSignal<String>,
    certificate: RwSignal<bool>,
    insurance: RwSignal<bool>,
}

impl ChildInputs {
    const FIELDS: &'static [&'static str] = &["name", "sex", "birth_date", "nik"];

    fn new(stored: Option<&Child>) -> Self {
        Self {
            name: text_signal(stored, |c| c.name.clone()),
            sex: RwSignal::new(sex_code(stored.map_or(Sex::Female, |c| c.sex)).to_owned()),
            birth: text_signal(stored, |c| forms::iso(c.birth_date)),
            nik: text_signal(stored, |c| c.nik.clone().unwrap_or_default()),
            certificate: RwSignal::new(stored.is_some_and(|c| c.birth_certificate)),
            insurance: RwSignal::new(stored.is_some_and(|c| c.health_insurance)),
        }
    }

    /// The child as typed; what the form does not show (the KIA number) stays as stored.
    /// Without a readable birth date, today stands in so the other rules still run.
    fn read(
        self,
        household: Uuid,
        stored: Option<&Child>,
        problems: &mut Vec<FieldError>,
    ) -> Child {
        let birth = forms::read_required_date(problems, "birth_date", &self.birth.get_untracked());
        Child {
            household_id: household.into(),
            name: self.name.get_untracked().trim().to_owned(),
            sex: sex_of(&self.sex.get_untracked()),
            birth_date: birth.unwrap_or_else(forms::today),
            nik: forms::optional_text(&self.nik.get_untracked()),
            kia_register_no: stored.and_then(|c| c.kia_register_no.clone()),
            birth_certificate: self.certificate.get_untracked(),
            health_insurance: self.insurance.get_untracked(),
        }
    }
}

/// Form of a child 0-23 months (form 2B register part).
#[component]
pub fn ChildPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let stored = forms::existing::<Child>(ctx, id);
    let inputs = ChildInputs::new(stored.as_ref());
    let errors: RecordErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let child = inputs.read(household, stored.as_ref(), &mut problems);
        submit(
            ctx,
            errors,
            (record_id, id.is_none()),
            &child,
            problems,
            household,
        );
    };
    view! {
        <section>
            {back_button(ctx, household)}
            <h2>{tr(Key::Child0to23)}</h2>
            <form class="card" on:submit=save data-testid="child-form">
                <TextField label=Key::Name name="name" value=inputs.name errors=errors />
                <ChoiceField label=Key::Sex name="sex" value=inputs.sex options=vec![("F", Key::Female), ("M", Key::Male)] />
                <TextField label=Key::BirthDate name="birth_date" value=inputs.birth errors=errors kind="date" />
                <TextField label=Key::Nik name="nik" value=inputs.nik errors=errors inputmode="numeric" />
                <CheckField label=Key::BirthCertificate name="birth_certificate" value=inputs.certificate />
                <CheckField label=Key::HealthInsurance name="health_insurance" value=inputs.insurance />
                <OtherErrors errors=errors fields=ChildInputs::FIELDS />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {delete_button(ctx, EntityKind::Child, id, household)}
        </section>
    }
}

/// The inputs of the PAUD child's form.
#[derive(Clone, Copy)]
struct PaudInputs {
    name: RwSignal<String>,
    sex: RwSignal<String>,
    birth: RwSignal<String>,
}

impl PaudInputs {
    const FIELDS: &'static [&'static str] = &["name", "sex", "birth_date"];

    fn new(stored: Option<&PaudChild>) -> Self {
        Self {
            name: text_signal(stored, |c| c.name.clone()),
            sex: RwSignal::new(sex_code(stored.map_or(Sex::Female, |c| c.sex)).to_owned()),
            birth: text_signal(stored, |c| forms::iso(c.birth_date)),
        }
    }

    /// The child as typed (today stands in for a missing birth date, as for [`Child`]).
    fn read(self, household: Uuid, problems: &mut Vec<FieldError>) -> PaudChild {
        let birth = forms::read_required_date(problems, "birth_date", &self.birth.get_untracked());
        PaudChild {
            household_id: household.into(),
            name: self.name.get_untracked().trim().to_owned(),
            sex: sex_of(&self.sex.get_untracked()),
            birth_date: birth.unwrap_or_else(forms::today),
        }
    }
}

/// Form of a child 2-6 years followed for PAUD (form 2C register part).
#[component]
pub fn PaudPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let inputs = PaudInputs::new(forms::existing::<PaudChild>(ctx, id).as_ref());
    let errors: RecordErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let child = inputs.read(household, &mut problems);
        submit(
            ctx,
            errors,
            (record_id, id.is_none()),
            &child,
            problems,
            household,
        );
    };
    view! {
        <section>
            {back_button(ctx, household)}
            <h2>{tr(Key::PaudChild)}</h2>
            <form class="card" on:submit=save data-testid="paud-form">
                <TextField label=Key::Name name="name" value=inputs.name errors=errors />
                <ChoiceField label=Key::Sex name="sex" value=inputs.sex options=vec![("F", Key::Female), ("M", Key::Male)] />
                <TextField label=Key::BirthDate name="birth_date" value=inputs.birth errors=errors kind="date" />
                <OtherErrors errors=errors fields=PaudInputs::FIELDS />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {delete_button(ctx, EntityKind::PaudChild, id, household)}
        </section>
    }
}
