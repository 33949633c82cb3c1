//! A household: its register form and its 1000-HPK members.

use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use uuid::Uuid;

use crate::AppCtx;
use crate::components::delete::DeleteButton;
use crate::components::field::{CheckField, FieldErrors, TextField};
use crate::forms;
use crate::i18n::{Key, tr};
use crate::pages::Page;
use crate::pages::home::text;

/// Household form (new when `id` is `None`) with its members below.
#[component]
pub fn HouseholdPage(id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let existing = id.and_then(|id| {
        ctx.db
            .with_value(|db| db.snapshot().records.get(&id).cloned())
    });
    let body = existing
        .as_ref()
        .map(|r| r.body.clone())
        .unwrap_or_default();
    let villages: Vec<String> = ctx
        .session
        .with_value(|s| s.me.areas.iter().map(|a| a.code.clone()).collect());
    let village = RwSignal::new(body["village_code"].as_str().map_or_else(
        || villages.first().cloned().unwrap_or_default(),
        str::to_owned,
    ));
    let head = RwSignal::new(text(&body, "head_name"));
    let dusun = RwSignal::new(text(&body, "dusun"));
    let rt = RwSignal::new(text(&body, "rt"));
    let rw = RwSignal::new(text(&body, "rw"));
    let address = RwSignal::new(text(&body, "address"));
    let kk = RwSignal::new(text(&body, "family_card_no"));
    let water = RwSignal::new(body["safe_water"].as_bool().unwrap_or(false));
    let latrine = RwSignal::new(body["proper_latrine"].as_bool().unwrap_or(false));
    let errors: FieldErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let head_name = forms::required(&mut problems, "head_name", &head.get_untracked());
        let rt_value = forms::rt_rw(&mut problems, "rt", &rt.get_untracked());
        let rw_value = forms::rt_rw(&mut problems, "rw", &rw.get_untracked());
        let kk_value = forms::sixteen_digits(&mut problems, "family_card_no", &kk.get_untracked());
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let body = json!({
            "village_code": village.get_untracked(),
            "head_name": head_name,
            "dusun": dusun.get_untracked().trim(),
            "rt": rt_value,
            "rw": rw_value,
            "address": address.get_untracked().trim(),
            "family_card_no": kk_value,
            "safe_water": water.get_untracked(),
            "proper_latrine": latrine.get_untracked(),
        });
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(EntityKind::Household, record_id, Operation::Upsert, body)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                ctx.page.set(Page::Household(Some(record_id)));
            }
        });
    };
    view! {
        <section>
            <button class="link" data-testid="back" on:click=move |_| ctx.page.set(Page::Home)>"← "{tr(Key::Back)}</button>
            <form class="card" on:submit=save data-testid="household-form">
                <TextField label=Key::HeadName name="head_name" value=head errors=errors />
                <TextField label=Key::Dusun name="dusun" value=dusun errors=errors />
                <div class="pair">
                    <TextField label=Key::Rt name="rt" value=rt errors=errors inputmode="numeric" />
                    <TextField label=Key::Rw name="rw" value=rw errors=errors inputmode="numeric" />
                </div>
                <TextField label=Key::Address name="address" value=address errors=errors />
                <TextField label=Key::FamilyCardNo name="family_card_no" value=kk errors=errors inputmode="numeric" />
                <CheckField label=Key::SafeWater name="safe_water" value=water />
                <CheckField label=Key::ProperLatrine name="proper_latrine" value=latrine />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
            {id.map(|household| view! { <Members household=household /> <HouseholdDelete household=household /> })}
        </section>
    }
}

/// Whether the household still has members on this phone (deleted ones do not count).
fn has_members(ctx: AppCtx, household: Uuid) -> bool {
    let household = household.to_string();
    ctx.state().records.values().any(|r| {
        !r.deleted
            && r.entity != EntityKind::Household
            && r.body["household_id"].as_str() == Some(household.as_str())
    })
}

/// Deleting a household: only once it has no members, so no child or monthly record is left
/// pointing at a household that is gone.
#[component]
fn HouseholdDelete(household: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let hint = move || view! { <p class="muted" data-testid="delete-members-first">{tr(Key::DeleteMembersFirst)}</p> };
    view! {
        <Show when=move || !has_members(ctx, household) fallback=hint>
            <DeleteButton entity=EntityKind::Household id=household on_deleted=move |()| ctx.page.set(Page::Home) />
        </Show>
    }
}

/// The household's pregnant women and children, with buttons to add more.
#[component]
fn Members(household: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let members = Memo::new(move |_| {
        let state = ctx.state();
        let mut members: Vec<(Uuid, EntityKind, String)> = state
            .records
            .values()
            .filter(|r| !r.deleted && r.body["household_id"] == household.to_string())
            .filter(|r| {
                matches!(
                    r.entity,
                    EntityKind::PregnantWoman | EntityKind::Child | EntityKind::PaudChild
                )
            })
            .map(|r| (r.record_id, r.entity, text(&r.body, "name")))
            .collect();
        konvergen_shared::sort::sort_by(&mut members, |a, b| a.2.cmp(&b.2));
        members
    });
    view! {
        <h2>{tr(Key::Members)}</h2>
        <ul class="list" data-testid="member-list">
            <For each=move || members.get() key=|m| m.clone() let:member>
                {member_row(ctx, household, member)}
            </For>
        </ul>
        <div class="actions">
            <button class="secondary" data-testid="add-pregnant" on:click=move |_| ctx.page.set(Page::Pregnant { household, id: None })>
                {tr(Key::AddPregnant)}
            </button>
            <button class="secondary" data-testid="add-child" on:click=move |_| ctx.page.set(Page::Child { household, id: None })>
                {tr(Key::AddChild)}
            </button>
            <button class="secondary" data-testid="add-paud" on:click=move |_| ctx.page.set(Page::Paud { household, id: None })>
                {tr(Key::AddPaud)}
            </button>
        </div>
    }
}

fn member_row(ctx: AppCtx, household: Uuid, member: (Uuid, EntityKind, String)) -> impl IntoView {
    let (id, kind, name) = member;
    let (page, label) = match kind {
        EntityKind::PregnantWoman => (
            Page::Pregnant {
                household,
                id: Some(id),
            },
            Key::PregnantWoman,
        ),
        EntityKind::PaudChild => (
            Page::Paud {
                household,
                id: Some(id),
            },
            Key::PaudChild,
        ),
        _ => (
            Page::Child {
                household,
                id: Some(id),
            },
            Key::Child0to23,
        ),
    };
    view! {
        <li class="member">
            <button class="row" data-testid="member-row" on:click=move |_| ctx.page.set(page)>
                <strong>{name}</strong>
                <span class="muted">{tr(label)}</span>
            </button>
            <button class="secondary" data-testid="monthly" on:click=move |_| ctx.page.set(Page::Monthly(id))>
                {tr(Key::Monthly)}
            </button>
            {(kind == EntityKind::Child).then(|| view! {
                <button class="secondary" data-testid="measure" on:click=move |_| ctx.page.set(Page::Measure(id))>
                    {tr(Key::Measure)}
                </button>
            })}
        </li>
    }
}
