//! Register forms of the 1000-HPK members: pregnant women and children 0-23 months.

use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppCtx;
use crate::components::delete::DeleteButton;
use crate::components::field::{CheckField, ChoiceField, FieldErrors, TextField};
use crate::forms;
use crate::i18n::{Key, tr};
use crate::pages::Page;
use crate::pages::home::text;

fn existing_body(ctx: AppCtx, id: Option<Uuid>) -> Value {
    id.and_then(|id| {
        ctx.db
            .with_value(|db| db.snapshot().records.get(&id).map(|r| r.body.clone()))
    })
    .unwrap_or_default()
}

fn save_member(ctx: AppCtx, entity: EntityKind, id: Uuid, household: Uuid, body: Value) {
    let db = ctx.db.get_value();
    spawn_local(async move {
        if db.edit(entity, id, Operation::Upsert, body).await.is_ok() {
            ctx.sync.data_changed();
            ctx.back_to(Page::Household(household));
        }
    });
}

/// Form of a pregnant woman (form 2A register part).
#[component]
pub fn PregnantPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let body = existing_body(ctx, id);
    let name = RwSignal::new(text(&body, "name"));
    let nik = RwSignal::new(text(&body, "nik"));
    let kia = RwSignal::new(text(&body, "kia_register_no"));
    let lmp = RwSignal::new(text(&body, "lmp_date"));
    let status = RwSignal::new(body["status"].as_str().unwrap_or("normal").to_owned());
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let name_value = forms::required(&mut problems, "name", &name.get_untracked());
        let nik_value = forms::sixteen_digits(&mut problems, "nik", &nik.get_untracked());
        let lmp_value = forms::past_date(
            &mut problems,
            "lmp_date",
            &lmp.get_untracked(),
            forms::today(),
        );
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let body = json!({
            "household_id": household,
            "name": name_value,
            "nik": nik_value,
            "kia_register_no": kia.get_untracked().trim(),
            "lmp_date": lmp_value.map(forms::iso),
            "status": status.get_untracked(),
        });
        save_member(ctx, EntityKind::PregnantWoman, record_id, household, body);
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| ctx.back_to(Page::Household(household))>"← "{tr(Key::Back)}</button>
            <h2>{tr(Key::PregnantWoman)}</h2>
            <form class="card" on:submit=save data-testid="pregnant-form">
                <TextField label=Key::Name name="name" value=name errors=errors />
                <TextField label=Key::Nik name="nik" value=nik errors=errors inputmode="numeric" />
                <TextField label=Key::KiaNo name="kia_register_no" value=kia errors=errors />
                <TextField label=Key::Lmp name="lmp_date" value=lmp errors=errors kind="date" />
                <ChoiceField label=Key::Status name="status" value=status
                    options=vec![("normal", Key::StatusNormal), ("kek", Key::StatusKek), ("risti", Key::StatusRisti)] />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {id.map(|id| view! {
                <DeleteButton entity=EntityKind::PregnantWoman id=id on_deleted=move |()| ctx.back_to(Page::Household(household)) />
            })}
        </section>
    }
}

/// Form of a child 0-23 months (form 2B register part).
#[component]
pub fn ChildPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let body = existing_body(ctx, id);
    let name = RwSignal::new(text(&body, "name"));
    let sex = RwSignal::new(body["sex"].as_str().unwrap_or("F").to_owned());
    let birth = RwSignal::new(text(&body, "birth_date"));
    let nik = RwSignal::new(text(&body, "nik"));
    let certificate = RwSignal::new(body["birth_certificate"].as_bool().unwrap_or(false));
    let insurance = RwSignal::new(body["health_insurance"].as_bool().unwrap_or(false));
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let today = forms::today();
        let name_value = forms::required(&mut problems, "name", &name.get_untracked());
        let nik_value = forms::sixteen_digits(&mut problems, "nik", &nik.get_untracked());
        let birth_value =
            forms::past_date(&mut problems, "birth_date", &birth.get_untracked(), today);
        if birth_value.is_some_and(|b| (today - b).whole_days() > 731) {
            problems.push(("birth_date", Key::OutOfRange));
        }
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let body = json!({
            "household_id": household,
            "name": name_value,
            "sex": sex.get_untracked(),
            "birth_date": birth_value.map(forms::iso),
            "nik": nik_value,
            "birth_certificate": certificate.get_untracked(),
            "health_insurance": insurance.get_untracked(),
        });
        save_member(ctx, EntityKind::Child, record_id, household, body);
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| ctx.back_to(Page::Household(household))>"← "{tr(Key::Back)}</button>
            <h2>{tr(Key::Child0to23)}</h2>
            <form class="card" on:submit=save data-testid="child-form">
                <TextField label=Key::Name name="name" value=name errors=errors />
                <ChoiceField label=Key::Sex name="sex" value=sex options=vec![("F", Key::Female), ("M", Key::Male)] />
                <TextField label=Key::BirthDate name="birth_date" value=birth errors=errors kind="date" />
                <TextField label=Key::Nik name="nik" value=nik errors=errors inputmode="numeric" />
                <CheckField label=Key::BirthCertificate name="birth_certificate" value=certificate />
                <CheckField label=Key::HealthInsurance name="health_insurance" value=insurance />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {id.map(|id| view! {
                <DeleteButton entity=EntityKind::Child id=id on_deleted=move |()| ctx.back_to(Page::Household(household)) />
            })}
        </section>
    }
}

/// Form of a child 2-6 years followed for PAUD (form 2C register part).
#[component]
pub fn PaudPage(household: Uuid, id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let body = existing_body(ctx, id);
    let name = RwSignal::new(text(&body, "name"));
    let sex = RwSignal::new(body["sex"].as_str().unwrap_or("F").to_owned());
    let birth = RwSignal::new(text(&body, "birth_date"));
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let name_value = forms::required(&mut problems, "name", &name.get_untracked());
        let birth_value = forms::past_date(
            &mut problems,
            "birth_date",
            &birth.get_untracked(),
            forms::today(),
        );
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let body = json!({
            "household_id": household,
            "name": name_value,
            "sex": sex.get_untracked(),
            "birth_date": birth_value.map(forms::iso),
        });
        save_member(ctx, EntityKind::PaudChild, record_id, household, body);
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| ctx.back_to(Page::Household(household))>"← "{tr(Key::Back)}</button>
            <h2>{tr(Key::PaudChild)}</h2>
            <form class="card" on:submit=save data-testid="paud-form">
                <TextField label=Key::Name name="name" value=name errors=errors />
                <ChoiceField label=Key::Sex name="sex" value=sex options=vec![("F", Key::Female), ("M", Key::Male)] />
                <TextField label=Key::BirthDate name="birth_date" value=birth errors=errors kind="date" />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {id.map(|id| view! {
                <DeleteButton entity=EntityKind::PaudChild id=id on_deleted=move |()| ctx.back_to(Page::Household(household)) />
            })}
        </section>
    }
}
