//! "Butir bukti aksi": the year's evidence items as the team works on them. The coordinator
//! gives each item to one or more agencies (an `Assignment` record per item); an agency sees
//! the items given to it first and sends its part of each (a `Contribution` record per
//! agency and item: what it did, links, files, note, date done). Both are records of the
//! device database, edited in place, so the same item edited in two browsers offline meets
//! as a conflict in the coordinator's review queue.

use konvergen_shared::actions::Catalogue;
use konvergen_shared::actions::catalogue::EvidenceDef;
use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::api::FieldError;
use konvergen_shared::district::{
    Assignment, Contribution, assignment_id, contribution_id, items_of,
};
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::fields::{agency_field, input, records_of, save_record_as, sent_label, text_area};
use crate::AppCtx;
use crate::files::Files;
use crate::files::view::{FileCard, FilePicker};
use crate::forms;
use crate::i18n::{DeskKey, Lang, t, tr, use_lang};

type Stored<T> = (Uuid, T, bool);

/// Who is looking: an agency (its own name) or the coordinator (the whole list).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Viewer {
    pub(super) own_agency: Option<String>,
    pub(super) agencies: RwSignal<Vec<String>>,
}

impl Viewer {
    fn coordinator(&self) -> bool {
        self.own_agency.is_none()
    }
}

/// The year's assignments and contributions of the regency, as the device holds them.
#[derive(Clone, Copy)]
struct TeamRecords {
    assignments: Memo<Vec<Stored<Assignment>>>,
    contributions: Memo<Vec<Stored<Contribution>>>,
}

impl TeamRecords {
    fn read(ctx: AppCtx, regency: StoredValue<String>, year: RwSignal<i32>) -> Self {
        let in_view =
            move |code: &str, of_year: i32| code == regency.get_value() && of_year == year.get();
        let assignments = Memo::new(move |_| {
            records_of::<Assignment>(&ctx.state(), EntityKind::Assignment, |a| {
                in_view(&a.regency_code, a.year)
            })
        });
        let contributions = Memo::new(move |_| {
            records_of::<Contribution>(&ctx.state(), EntityKind::Contribution, |c| {
                in_view(&c.regency_code, c.year)
            })
        });
        Self {
            assignments,
            contributions,
        }
    }

    /// The item's assignment, once per item (the latest record wins if two were made).
    fn assignment_of(self, key: String) -> Memo<Option<Stored<Assignment>>> {
        Memo::new(move |_| {
            self.assignments.with(|all| {
                all.iter()
                    .filter(|(_, a, _)| a.item_key == key)
                    .max_by_key(|(id, ..)| *id)
                    .cloned()
            })
        })
    }

    fn contributions_to(self, key: String) -> Memo<Vec<Stored<Contribution>>> {
        Memo::new(move |_| {
            self.contributions.with(|all| {
                all.iter()
                    .filter(|(_, c, _)| c.item_key == key)
                    .cloned()
                    .collect()
            })
        })
    }
}

/// The section of the team tab.
#[component]
pub(super) fn ItemsView(
    ctx: AppCtx,
    regency: String,
    year: RwSignal<i32>,
    viewer: Viewer,
    current_year: i32,
    /// The year has been handed to the province: parts are shown, not edited.
    closed: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let regency = StoredValue::new(regency);
    let records = TeamRecords::read(ctx, regency, year);
    let catalogue = Memo::new(move |_| Catalogue::default_for(year.get()));
    let viewer = StoredValue::new(viewer);
    // The agency's own items, in catalogue order.
    let mine = Memo::new(move |_| {
        let Some(own) = viewer.with_value(|v| v.own_agency.clone()) else {
            return Vec::new();
        };
        let given: Vec<Assignment> = records
            .assignments
            .with(|all| all.iter().map(|(_, a, _)| a.clone()).collect());
        catalogue.with(|c| {
            let keys: Vec<&str> = c.positions().map(|p| p.item.key.as_str()).collect();
            items_of(&own, &given, keys.iter().copied())
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        })
    });
    let card = move |def: EvidenceDef, number: u8| {
        let setup = CardSetup {
            ctx,
            regency: regency.get_value(),
            year: year.get_untracked(),
            viewer: viewer.get_value(),
            current_year,
            closed,
        };
        view! { <ItemCard def=def number=number records=records setup=setup /> }
    };
    let own_items = move || {
        let keys = mine.get();
        let cards = catalogue.with(|c| {
            c.positions()
                .filter(|p| keys.contains(&p.item.key))
                .map(|p| card(p.item.clone(), p.action.number))
                .collect_view()
        });
        let empty = keys.is_empty();
        view! {
            <h3>{tr(DeskKey::ItemsMine)}</h3>
            {empty.then(|| view! { <p class="empty" data-testid="no-items-mine">{move || t(lang.get(), DeskKey::ItemsNoneMine)}</p> })}
            <ul class="list items" data-testid="items-mine">{cards}</ul>
        }
    };
    // Every item by action: for the coordinator all of them, for an agency the others.
    let by_action = move || {
        let keys = mine.get();
        catalogue
            .get()
            .actions
            .into_iter()
            .map(|action| {
                let heading = move || {
                    let name = if lang.get() == Lang::En {
                        &action.name_en
                    } else {
                        &action.name_id
                    };
                    crate::i18n::msg::action_heading(lang.get(), &action.number, name)
                };
                let cards = action
                    .evidence
                    .iter()
                    .filter(|def| !keys.contains(&def.key))
                    .map(|def| card(def.clone(), action.number))
                    .collect_view();
                view! { <h3>{heading}</h3><ul class="list items">{cards}</ul> }
            })
            .collect_view()
    };
    let coordinator = viewer.with_value(Viewer::coordinator);
    view! {
        <section class="items" data-testid="items-view">
            <h2>{tr(DeskKey::ItemsTitle)}</h2>
            {if coordinator {
                by_action.into_any()
            } else {
                view! {
                    {own_items}
                    <details class="card" data-testid="items-others">
                        <summary>{tr(DeskKey::ItemsOthers)}</summary>
                        {by_action}
                    </details>
                }
                .into_any()
            }}
        </section>
    }
}

/// What every item card needs besides its item.
#[derive(Clone)]
struct CardSetup {
    ctx: AppCtx,
    regency: String,
    year: i32,
    viewer: Viewer,
    current_year: i32,
    closed: Signal<bool>,
}

/// One evidence item: who it was given to, what each agency sent, and the forms.
#[component]
fn ItemCard(def: EvidenceDef, number: u8, records: TeamRecords, setup: CardSetup) -> impl IntoView {
    let lang = use_lang();
    let assignment = records.assignment_of(def.key.clone());
    let contributions = records.contributions_to(def.key.clone());
    let labels = StoredValue::new((def.label_id.clone(), def.label_en.clone()));
    let label = move || {
        labels.with_value(|(id, en)| {
            if lang.get() == Lang::En {
                en.clone()
            } else {
                id.clone()
            }
        })
    };
    let given_to = move || {
        assignment
            .get()
            .map(|(_, a, _)| a.agencies)
            .filter(|list| !list.is_empty())
    };
    let coordinator = setup.viewer.coordinator();
    let closed = setup.closed;
    let key = def.key.clone();
    let (assign_key, form_key) = (key.clone(), key.clone());
    view! {
        <li class="item-card" data-testid="item-card" data-key=key>
            <span class="item-label"><strong>{format!("{number}.")}</strong>" "{label}{def.required.then_some(" *")}</span>
            <span class="muted" data-testid="item-assigned">{move || match given_to() {
                Some(list) => format!("{}: {}", t(lang.get(), DeskKey::ItemAssigned), list.join(", ")),
                None => t(lang.get(), DeskKey::ItemUnassigned).to_owned(),
            }}</span>
            {move || contributions.get().into_iter().map(|(id, contribution, waiting)| contribution_view(id, contribution, waiting)).collect_view()}
            <Show when=move || !closed.get()>
                {coordinator.then(|| view! { <AssignForm setup=setup.clone() key=assign_key.clone() assignment=assignment /> })}
                <ContributionForm setup=setup.clone() key=form_key.clone() contributions=contributions />
            </Show>
        </li>
    }
}

/// An agency's part as sent (or still waiting on this device).
fn contribution_view(id: Uuid, contribution: Contribution, waiting: bool) -> impl IntoView {
    let lang = use_lang();
    let Contribution {
        agency,
        account,
        links,
        files,
        note,
        done_on,
        ..
    } = contribution;
    let name = agency.clone();
    view! {
        <div class="contribution" data-testid="contribution" data-agency=agency data-waiting=waiting.to_string()>
            <strong>{name}</strong>
            <span class="muted">{done_on.map(forms::iso)}" · "{move || sent_label(waiting, lang.get())}</span>
            {(!account.is_empty()).then(|| view! { <span data-testid="contribution-account">{account}</span> })}
            {links.into_iter().map(|href| {
                let text = href.clone();
                view! { <a class="evidence-link" href=href target="_blank" rel="noopener noreferrer">{text}</a> }
            }).collect_view()}
            {(!note.is_empty()).then(|| view! { <span class="muted">{note}</span> })}
            <div class="file-cards">{files.into_iter().map(|meta| view! { <FileCard meta=meta /> }).collect_view()}</div>
            {super::fields::refusal(id)}
        </div>
    }
}

/// "Bagikan ke instansi": the coordinator ticks the agencies that answer for the item.
#[component]
fn AssignForm(
    setup: CardSetup,
    key: String,
    assignment: Memo<Option<Stored<Assignment>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(
        assignment
            .get_untracked()
            .map(|(_, a, _)| a.agencies)
            .unwrap_or_default(),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let lang = use_lang();
    let CardSetup {
        ctx,
        regency,
        year,
        viewer,
        current_year,
        ..
    } = setup;
    let agencies = viewer.agencies;
    let key = StoredValue::new(key);
    let toggle = move |agency: String, on: bool| {
        chosen.update(|list| {
            list.retain(|a| *a != agency);
            if on {
                list.push(agency);
            }
        });
    };
    let save = move |_| {
        // In the list's order, so the record reads the same whoever ticked first.
        let ticked = chosen.get_untracked();
        let ordered: Vec<String> = agencies
            .get_untracked()
            .into_iter()
            .filter(|a| ticked.contains(a))
            .collect();
        let given = Assignment {
            regency_code: regency.clone(),
            year,
            item_key: key.get_value(),
            agencies: ordered,
        };
        if let Err(found) = given.validate(current_year) {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let id = assignment.get_untracked().map_or_else(
            || assignment_id(&given.regency_code, year, &given.item_key),
            |(id, ..)| id,
        );
        let body = serde_json::to_value(&given).unwrap_or_default();
        save_record_as(ctx, EntityKind::Assignment, id, body, || {});
    };
    view! {
        <details class="assign" data-testid="assign-form">
            <summary>{tr(DeskKey::ItemAssign)}</summary>
            <div class="checks">
                {move || agencies.get().into_iter().map(|agency| {
                    let name = agency.clone();
                    let ticked = {
                        let agency = agency.clone();
                        move || chosen.with(|list| list.contains(&agency))
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" data-testid="assign-agency" data-agency=agency.clone() prop:checked=ticked
                                on:change=move |ev| toggle(agency.clone(), event_target_checked(&ev)) />
                            {name}
                        </label>
                    }
                }).collect_view()}
            </div>
            {move || errors.get().first().map(|e| {
                let text = if lang.get() == Lang::En { e.message_en.clone() } else { e.message_id.clone() };
                view! { <span class="error" role="alert">{text}</span> }
            })}
            <button class="primary" data-testid="assign-save" on:click=save>{tr(crate::i18n::Key::Save)}</button>
        </details>
    }
}

/// The files database's name for a contribution's files.
fn contribution_target(regency: &str, year: i32, key: &str, agency: &str) -> String {
    format!("contribution/{regency}/{year}/{key}/{agency}")
}

/// "Isi bagian instansi": an agency's part of the item, edited in place.
#[component]
fn ContributionForm(
    setup: CardSetup,
    key: String,
    contributions: Memo<Vec<Stored<Contribution>>>,
) -> impl IntoView {
    let CardSetup {
        ctx,
        regency,
        year,
        viewer,
        current_year,
        ..
    } = setup;
    let agency = RwSignal::new(viewer.own_agency.clone().unwrap_or_default());
    let stored = move || {
        let agency = agency.get();
        contributions.with(|all| all.iter().find(|(_, c, _)| c.agency == agency).cloned())
    };
    let existing = stored().map(|(_, c, _)| c);
    let pick = |f: fn(&Contribution) -> String| existing.as_ref().map(f).unwrap_or_default();
    let account = RwSignal::new(pick(|c| c.account.clone()));
    let link = RwSignal::new(pick(|c| c.links.first().cloned().unwrap_or_default()));
    let note = RwSignal::new(pick(|c| c.note.clone()));
    let done_on = RwSignal::new(pick(|c| c.done_on.map(forms::iso).unwrap_or_default()));
    let files = RwSignal::new(existing.map(|c| c.files).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    // Taken here: the save finishes outside the component's reactive owner.
    let device_files = Files::get();
    let regency = StoredValue::new(regency);
    let key = StoredValue::new(key);
    let target =
        move || contribution_target(&regency.get_value(), year, &key.get_value(), &agency.get());
    let save = move |_| {
        let contribution = Contribution {
            regency_code: regency.get_value(),
            year,
            agency: agency.get_untracked(),
            item_key: key.get_value(),
            account: account.get_untracked().trim().to_owned(),
            links: Some(link.get_untracked().trim().to_owned())
                .filter(|l| !l.is_empty())
                .into_iter()
                .collect(),
            files: files.get_untracked(),
            note: note.get_untracked().trim().to_owned(),
            done_on: konvergen_shared::date::parse_iso(done_on.get_untracked().trim()),
        };
        if let Err(found) = contribution.validate(current_year, forms::today()) {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let id = stored().map_or_else(
            || {
                let c = &contribution;
                contribution_id(&c.regency_code, year, &c.agency, &c.item_key)
            },
            |(id, ..)| id,
        );
        let sent = contribution.files.clone();
        let target = target();
        let body = serde_json::to_value(&contribution).unwrap_or_default();
        save_record_as(ctx, EntityKind::Contribution, id, body, move || {
            saved.set(true);
            forget_attachments(device_files, sent, target);
        });
    };
    let add_file = Callback::new(move |meta: FileMeta| {
        saved.set(false);
        files.update(|list| {
            if !list.iter().any(|f| f.sha256 == meta.sha256) {
                list.push(meta);
            }
        });
    });
    let remove_file = Callback::new(move |sha256: String| {
        files.update(|list| list.retain(|f| f.sha256 != sha256));
    });
    let coordinator = viewer.coordinator();
    let agencies = viewer.agencies;
    view! {
        <details class="contribution-form" data-testid="contribution-form">
            <summary>{tr(DeskKey::ItemFill)}</summary>
            {coordinator.then(|| agency_field(agency, agencies))}
            {text_area(DeskKey::ItemAccount, "account", account, errors)}
            {input(DeskKey::ItemLink, "links", link, errors, "url")}
            {input(DeskKey::ItemNote, "note", note, errors, "text")}
            <label class="field"><span class="label">{tr(DeskKey::ItemDoneOn)}</span>
                <input type="date" data-testid="field-done_on" prop:value=move || done_on.get() on:input=move |ev| done_on.set(event_target_value(&ev)) /></label>
            <div class="file-cards">
                <For each=move || files.get() key=|meta| meta.sha256.clone() let(meta)>
                    <FileCard meta=meta remove=Some(remove_file) />
                </For>
            </div>
            {move || view! { <FilePicker target=target() on_attached=add_file /> }}
            {move || saved.get().then(|| view! { <p class="muted" role="status" data-testid="contribution-saved">{tr(DeskKey::ItemSaved)}</p> })}
            <button class="primary" data-testid="contribution-save" on:click=save>{tr(crate::i18n::Key::Save)}</button>
        </details>
    }
}

/// The files are named by the saved record now; the files database can stop keeping them
/// as "attached, not saved".
fn forget_attachments(files: Option<Files>, sent: Vec<FileMeta>, target: String) {
    let Some(files) = files else { return };
    spawn_local(async move {
        for file in sent {
            let _ = files.saved_in(&file.sha256, &target).await;
        }
    });
}
