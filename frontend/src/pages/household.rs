//! A household: its 1000-HPK members first, each with this month's state, and the
//! household's own details behind an edit button.

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::monitoring::YearMonth;
use konvergen_shared::register::{Child, Household};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::AppCtx;
use crate::components::delete::DeleteButton;
use crate::components::field::{ChoiceField, OtherErrors, RecordErrors, TextField};
use crate::forms;
use crate::history;
use crate::i18n::{Key, Lang, msg, t, tr, use_lang};
use crate::pages::Page;
use crate::register::{self, Member};

/// The household's page.
#[component]
pub fn HouseholdPage(id: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let household =
        Memo::new(move |_| register::get::<Household>(&ctx.state(), EntityKind::Household, id));
    view! {
        <section class="household">
            <button class="link" data-testid="back" on:click=move |_| history::back(ctx.page, Page::Home)>"← "{tr(Key::Back)}</button>
            <h2 data-testid="household-head">{move || household.get().map(|h| h.head_name).unwrap_or_default()}</h2>
            <Members household=id />
            <details class="card details" data-testid="household-details">
                <summary>{tr(Key::HouseholdDetails)}</summary>
                {move || household.get().map(|h| details(&h))}
            </details>
            <button class="secondary wide" data-testid="edit-household"
                on:click=move |_| ctx.page.set(Page::HouseholdEdit(Some(id)))>
                {tr(Key::EditHousehold)}
            </button>
            <HouseholdDelete household=id />
        </section>
    }
}

fn details(household: &Household) -> impl IntoView + use<> {
    let lang = use_lang();
    let yes_no = move |value: Option<bool>| {
        let key = match value {
            Some(true) => Key::Yes,
            Some(false) => Key::No,
            None => Key::Unknown,
        };
        move || t(lang.get(), key)
    };
    let rows = [
        (Key::Dusun, household.dusun.clone()),
        (Key::Rt, household.rt.clone()),
        (Key::Rw, household.rw.clone()),
        (Key::Address, household.address.clone()),
        (
            Key::FamilyCardNo,
            household.family_card_no.clone().unwrap_or_default(),
        ),
    ];
    view! {
        <dl class="facts">
            {rows.into_iter().map(|(key, value)| view! {
                <div><dt>{tr(key)}</dt><dd>{if value.is_empty() { "–".to_owned() } else { value }}</dd></div>
            }).collect_view()}
            <div><dt>{tr(Key::SafeWater)}</dt><dd>{yes_no(household.safe_water)}</dd></div>
            <div><dt>{tr(Key::ProperLatrine)}</dt><dd>{yes_no(household.proper_latrine)}</dd></div>
        </dl>
    }
}

/// The household's register form (new when `id` is `None`).
#[component]
pub fn HouseholdEditPage(id: Option<Uuid>) -> impl IntoView {
    let ctx = AppCtx::get();
    let existing = id.and_then(|id| {
        ctx.db
            .with_value(|db| register::get::<Household>(&db.snapshot(), EntityKind::Household, id))
    });
    let village_default = ctx.session.with_value(|s| {
        s.me.areas
            .first()
            .map(|a| a.code.clone())
            .unwrap_or_default()
    });
    let village = existing
        .as_ref()
        .map_or(village_default, |h| h.village_code.clone());
    let field = |value: fn(&Household) -> String| {
        RwSignal::new(existing.as_ref().map(value).unwrap_or_default())
    };
    let head = field(|h| h.head_name.clone());
    let dusun = field(|h| h.dusun.clone());
    let rt = field(|h| h.rt.clone());
    let rw = field(|h| h.rw.clone());
    let address = field(|h| h.address.clone());
    let kk = field(|h| h.family_card_no.clone().unwrap_or_default());
    let water = field(|h| tri_state(h.safe_water).to_owned());
    let latrine = field(|h| tri_state(h.proper_latrine).to_owned());
    let errors: RecordErrors = RwSignal::new(Vec::new());
    let record_id = id.unwrap_or_else(crate::ids::new_id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let household = Household {
            village_code: village.clone(),
            head_name: head.get_untracked().trim().to_owned(),
            dusun: dusun.get_untracked().trim().to_owned(),
            rt: padded(&rt.get_untracked()),
            rw: padded(&rw.get_untracked()),
            address: address.get_untracked().trim().to_owned(),
            family_card_no: forms::optional_text(&kk.get_untracked()),
            safe_water: from_tri_state(&water.get_untracked()),
            proper_latrine: from_tri_state(&latrine.get_untracked()),
        };
        // The shared rules, the same the server runs on this body.
        if let Err(found) = forms::check(&household, record_id, id.is_none(), Vec::new()) {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let Ok(body) = serde_json::to_value(&household) else {
            return;
        };
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(EntityKind::Household, record_id, Operation::Upsert, body)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                if id.is_some() {
                    ctx.back_to(Page::Household(record_id));
                } else {
                    // Back from the new household must not reopen the empty form.
                    history::replace_next();
                    ctx.page.set(Page::Household(record_id));
                }
            }
        });
    };
    let back = move |_| match id {
        Some(id) => history::back(ctx.page, Page::Household(id)),
        None => history::back(ctx.page, Page::Home),
    };
    let choices = || vec![("Y", Key::Yes), ("T", Key::No), ("unknown", Key::Unknown)];
    view! {
        <section>
            <button class="link" data-testid="back" on:click=back>"← "{tr(Key::Back)}</button>
            <form class="card" on:submit=save data-testid="household-form">
                <TextField label=Key::HeadName name="head_name" value=head errors=errors />
                <TextField label=Key::Dusun name="dusun" value=dusun errors=errors />
                <div class="pair">
                    <TextField label=Key::Rt name="rt" value=rt errors=errors inputmode="numeric" />
                    <TextField label=Key::Rw name="rw" value=rw errors=errors inputmode="numeric" />
                </div>
                <TextField label=Key::Address name="address" value=address errors=errors />
                <TextField label=Key::FamilyCardNo name="family_card_no" value=kk errors=errors inputmode="numeric" />
                <ChoiceField label=Key::SafeWater name="safe_water" value=water options=choices() />
                <ChoiceField label=Key::ProperLatrine name="proper_latrine" value=latrine options=choices() />
                <OtherErrors errors=errors fields=&["head_name", "dusun", "rt", "rw", "address", "family_card_no"] />
                <button type="submit" class="primary wide" data-testid="save">{tr(Key::Save)}</button>
            </form>
        </section>
    }
}

/// RT and RW are written with three digits ("3" becomes "003"); anything else is left for
/// the shared rule to name.
fn padded(value: &str) -> String {
    let value = value.trim();
    match value.parse::<u16>() {
        Ok(n) if n < 1000 => format!("{n:03}"),
        _ => value.to_owned(),
    }
}

fn tri_state(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "Y",
        Some(false) => "T",
        None => "unknown",
    }
}

fn from_tri_state(value: &str) -> Option<bool> {
    match value {
        "Y" => Some(true),
        "T" => Some(false),
        _ => None,
    }
}

/// Deleting a household: only once it has no members, so no child or monthly record is left
/// pointing at a household that is gone.
#[component]
fn HouseholdDelete(household: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let has_members = move || !register::members(&ctx.state(), household).is_empty();
    let hint = move || view! { <p class="muted" data-testid="delete-members-first">{tr(Key::DeleteMembersFirst)}</p> };
    view! {
        <Show when=move || !has_members() fallback=hint>
            <DeleteButton entity=EntityKind::Household id=household on_deleted=move |()| {
                history::replace_next();
                ctx.page.set(Page::Home);
            } />
        </Show>
    }
}

/// What a member's row shows about this month.
#[derive(Debug, Clone, PartialEq)]
struct MemberState {
    id: Uuid,
    member: Member,
    /// `None` when the person is not on a form this month.
    form_done: Option<bool>,
    measurements: Vec<MeasurementRecord>,
}

/// The household's pregnant women and children, with buttons to add more.
#[component]
fn Members(household: Uuid) -> impl IntoView {
    let ctx = AppCtx::get();
    let members = Memo::new(move |_| {
        let state = ctx.state();
        let month = YearMonth::of(forms::today());
        let forms = register::form_months(&state);
        register::members(&state, household)
            .into_iter()
            .map(|(id, member)| MemberState {
                form_done: member
                    .followed()
                    .in_month(month)
                    .then(|| forms.contains(&(id.into(), month))),
                measurements: match member {
                    Member::Child(_) => register::measurements(&state, id),
                    _ => Vec::new(),
                },
                id,
                member,
            })
            .collect::<Vec<_>>()
    });
    view! {
        <h3>{tr(Key::Members)}</h3>
        <ul class="list" data-testid="member-list">
            <For each=move || members.get() key=|m| (m.id, m.form_done, m.measurements.len(), m.member.name().to_owned()) let:member>
                {member_row(ctx, household, &member)}
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

fn member_row(ctx: AppCtx, household: Uuid, state: &MemberState) -> impl IntoView + use<> {
    let lang = use_lang();
    let id = state.id;
    let (page, label) = match &state.member {
        Member::Pregnant(_) => (
            Page::Pregnant {
                household,
                id: Some(id),
            },
            Key::PregnantWoman,
        ),
        Member::Paud(_) => (
            Page::Paud {
                household,
                id: Some(id),
            },
            Key::PaudChild,
        ),
        Member::Child(_) => (
            Page::Child {
                household,
                id: Some(id),
            },
            Key::Child0to23,
        ),
    };
    let form_chip = match state.form_done {
        Some(true) => ("chip ok", Key::FormDone, "done"),
        Some(false) => ("chip due", Key::FormDue, "due"),
        None => ("chip", Key::NotFollowed, "none"),
    };
    let growth = match &state.member {
        Member::Child(child) => Some(growth_chips(child, &state.measurements)),
        _ => None,
    };
    let is_child = matches!(state.member, Member::Child(_));
    view! {
        <li class="member">
            <button class="row" data-testid="member-row" on:click=move |_| ctx.page.set(page)>
                <strong>{state.member.name().to_owned()}</strong>
                <span class="muted">{tr(label)}</span>
            </button>
            <div class="chips">
                <span class=form_chip.0 data-testid="chip-form" data-state=form_chip.2>{tr(form_chip.1)}</span>
                {growth.map(|chips| chips.into_iter().map(|(class, text, test)| view! {
                    <span class=class data-testid=test>{move || text(lang.get())}</span>
                }).collect_view())}
            </div>
            <div class="member-actions">
                <button class="secondary" data-testid="monthly" on:click=move |_| ctx.page.set(Page::Monthly { person: id, month: None })>
                    {tr(Key::Monthly)}
                </button>
                {is_child.then(|| view! {
                    <button class="secondary" data-testid="measure" on:click=move |_| ctx.page.set(Page::Measure(id))>
                        {tr(Key::Measure)}
                    </button>
                })}
            </div>
        </li>
    }
}

type Chip = (
    &'static str,
    Box<dyn Fn(Lang) -> String + Send + Sync>,
    &'static str,
);

/// The last measurement's length-for-age category and date, and whether the weight went up
/// since the one before (the KMS "naik / tidak naik").
fn growth_chips(child: &Child, measurements: &[MeasurementRecord]) -> Vec<Chip> {
    let Some(last) = measurements.last() else {
        return vec![(
            "chip",
            Box::new(|lang| t(lang, Key::NeverMeasured).to_owned()),
            "chip-measured",
        )];
    };
    let anthro = last.anthro(child.sex, child.birth_date);
    let date = konvergen_shared::date::iso(last.measured_on);
    let mut chips: Vec<Chip> = vec![(
        "chip",
        Box::new(move |lang| msg::last_measured(lang, &date)),
        "chip-measured",
    )];
    if let Some(category) = anthro.stunting() {
        let class = if category.is_stunted() {
            "chip due"
        } else {
            "chip ok"
        };
        chips.push((
            class,
            Box::new(move |lang| {
                if lang == Lang::Id {
                    category.label_id()
                } else {
                    category.label_en()
                }
                .to_owned()
            }),
            "chip-category",
        ));
    }
    let weights: Vec<f64> = measurements.iter().filter_map(|m| m.weight_kg).collect();
    if let [.., before, latest] = weights[..] {
        let up = latest > before;
        chips.push((
            if up { "chip ok" } else { "chip due" },
            Box::new(move |lang| {
                t(lang, if up { Key::WeightUp } else { Key::WeightNotUp }).to_owned()
            }),
            "chip-trend",
        ));
    }
    chips
}
