//! "Kiriman instansi": what the agencies of a regency's team send for an assessed year,
//! their stunting budget lines and flagship innovations (with photos). Entries are records
//! of the device database and go through the same outbox and sync as a cadre's forms, so an
//! agency offline for days loses nothing; each list says what has not left this browser yet.
//! An agency account writes in its own name; the coordinator (`supervisor`) sees the whole
//! team and may write for any agency on the regency's list.

use konvergen_shared::actions::Status;
use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::api::{FieldError, Role};
use konvergen_shared::district::{BudgetLine, Innovation};
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::api;
use crate::AppCtx;
use crate::files::view::{FileCard, FilePicker};
use crate::i18n::{DeskKey, Key, desk_msg, t, tr, use_lang};
use crate::session::Session;

mod accounts;
mod board;
mod budget;
mod fields;
mod items;
mod paparan;

use fields::{agency_field, input, records_of, save_record, sent_label};

/// The tab.
#[component]
pub fn TeamView(session: Session) -> impl IntoView {
    let Some(ctx) = use_context::<AppCtx>() else {
        return view! { <p class="error">{tr(Key::RequestFailed)}</p> }.into_any();
    };
    let lang = use_lang();
    let Session { me, token, .. } = session;
    let regency = me.areas.first().map(|a| a.code.clone()).unwrap_or_default();
    let regency_name = me.areas.first().map(|a| a.name.clone()).unwrap_or_default();
    let current_year = crate::forms::today().year();
    let year = RwSignal::new(super::selectable_years(current_year)[0]);
    let agencies = RwSignal::new(me.agency.into_iter().collect::<Vec<String>>());
    let coordinator = me.role == Role::Supervisor;
    if coordinator {
        let path = format!("/api/v1/district/{regency}/agencies");
        let token = token.clone();
        spawn_local(async move {
            if let Ok(list) = api::get::<Vec<String>>(&token, &path).await {
                agencies.set(list.data);
            }
        });
    }
    let viewer = items::Viewer {
        own_agency: (!coordinator)
            .then(|| agencies.get_untracked().first().cloned())
            .flatten(),
        agencies,
    };
    let regency = StoredValue::new(regency);
    let in_view =
        move |code: &str, of_year: i32| code == regency.get_value() && of_year == year.get();
    let lines = Memo::new(move |_| {
        records_of::<BudgetLine>(&ctx.state(), EntityKind::BudgetLine, |l| {
            in_view(&l.regency_code, l.year)
        })
    });
    let innovations = Memo::new(move |_| {
        records_of::<Innovation>(&ctx.state(), EntityKind::Innovation, |i| {
            in_view(&i.regency_code, i.year)
        })
    });
    let waiting = move || ctx.state().outbox.len();
    let status = year_status(ctx, token.clone(), regency.get_value(), year);
    let closed = Signal::derive(move || {
        status
            .get()
            .is_some_and(|s| matches!(s, Status::Submitted | Status::Verified))
    });
    let showing_paparan = RwSignal::new(false);
    let paparan = {
        let token = token.clone();
        let regency = regency.get_value();
        move || {
            showing_paparan.get().then(|| {
                let subject = paparan::Subject {
                    regency: regency.clone(),
                    regency_name: regency_name.clone(),
                    year: year.get_untracked(),
                    current_year,
                };
                let close = Callback::new(move |()| showing_paparan.set(false));
                view! { <paparan::Paparan ctx=ctx token=token.clone() subject=subject close=close /> }
            })
        }
    };
    let handover = coordinator.then(|| {
        view! {
            {dossier_card(token.clone(), regency.get_value(), year, showing_paparan)}
            <accounts::AccountsView token=token.clone() base=format!("/api/v1/district/{}/accounts", regency.get_value()) agencies=agencies />
        }
    });
    view! {
        <section class="team" class:paparan-open=move || showing_paparan.get() data-testid="team-view">
            {paparan}
            <div class="team-head">
                {super::year_picker(year, current_year)}
                <p class="muted" data-testid="team-waiting">{move || desk_msg::team_waiting(lang.get(), &waiting())}</p>
                <button class="secondary" data-testid="team-sync" on:click=move |_| ctx.sync.request()>{tr(Key::SyncNow)}</button>
            </div>
            <p data-testid="team-year-status" data-status=move || status.get().map(super::actions::status_key)>
                {tr(Key::ChecklistStatus)}": "
                <strong>{move || status.get().map(|s| t(lang.get(), super::status_name(s)))}</strong>
            </p>
            {move || closed.get().then(|| view! { <p class="warning" role="status" data-testid="team-year-closed">{tr(DeskKey::TeamYearClosed)}</p> })}
            {handover}
            <board::BoardView ctx=ctx token=token regency=regency.get_value() year=year coordinator=coordinator />
            <details class="card" data-testid="team-sync-panel">
                <summary>{tr(DeskKey::TeamSyncPanel)}</summary>
                <crate::pages::sync_panel::SyncPanel />
            </details>
            <items::ItemsView ctx=ctx regency=regency.get_value() year=year viewer=viewer current_year=current_year closed=closed />
            <h2>{tr(DeskKey::TeamBudget)}</h2>
            {move || budget::budget_table(lines.get(), lang.get())}
            <Show when=move || !closed.get()>
                <budget::BudgetForm ctx=ctx regency=regency.get_value() year=year agencies=agencies current_year=current_year />
            </Show>
            <h2>{tr(DeskKey::TeamInnovations)}</h2>
            {move || innovation_list(innovations.get())}
            <Show when=move || !closed.get()>
                <InnovationForm ctx=ctx regency=regency.get_value() year=year agencies=agencies current_year=current_year />
            </Show>
        </section>
    }
    .into_any()
}

/// What the coordinator takes to the province: the dossier workbook, the evidence files as
/// one ZIP, and the printable presentation.
fn dossier_card(
    token: String,
    regency: String,
    year: RwSignal<i32>,
    showing_paparan: RwSignal<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);
    let regency = StoredValue::new(regency);
    let fetch = move |file: &'static str| {
        let (token, regency, year) = (token.get_value(), regency.get_value(), year.get_untracked());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let path = format!("/api/v1/district/{regency}/{year}/{file}");
            let name = format!("konvergen-{regency}-{year}-{file}");
            if let Err(err) = api::download(&token, &path, &name).await {
                error.set(Some(err.message));
            }
            busy.set(false);
        });
    };
    view! {
        <details class="card" data-testid="handover">
            <summary>{tr(DeskKey::DossierTitle)}</summary>
            <div class="actions">
                <button class="secondary" data-testid="dossier-xlsx" disabled=move || busy.get() on:click=move |_| fetch("dossier.xlsx")>{tr(DeskKey::DossierXlsx)}</button>
                <button class="secondary" data-testid="dossier-zip" disabled=move || busy.get() on:click=move |_| fetch("evidence.zip")>{tr(DeskKey::DossierZip)}</button>
                <button class="primary" data-testid="open-paparan" on:click=move |_| showing_paparan.set(true)>{tr(DeskKey::DossierPaparan)}</button>
            </div>
            {move || busy.get().then(|| view! { <p class="muted" role="status">{tr(DeskKey::DossierPreparing)}</p> })}
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="dossier-error">{message}</p> })}
        </details>
    }
}

/// The year's checklist status, read again after each sync (the coordinator may have
/// submitted it, the province returned it).
fn year_status(
    ctx: AppCtx,
    token: String,
    regency: String,
    year: RwSignal<i32>,
) -> Memo<Option<Status>> {
    #[derive(Clone, serde::Deserialize)]
    struct StatusOnly {
        checklist: StatusOf,
    }
    #[derive(Clone, serde::Deserialize)]
    struct StatusOf {
        status: Status,
    }
    let read = LocalResource::new(move || {
        ctx.sync.last_synced_ms.track();
        let path = format!("/api/v1/actions/checklists/{regency}/{}", year.get());
        let token = token.clone();
        async move { api::get::<StatusOnly>(&token, &path).await }
    });
    Memo::new(move |_| {
        read.get()
            .and_then(Result::ok)
            .map(|fetched| fetched.data.checklist.status)
    })
}

fn innovation_list(items: Vec<(Uuid, Innovation, bool)>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p class="empty">{move || t(lang.get(), DeskKey::TeamNothingYet)}</p> }
            .into_any();
    }
    view! {
        <ul class="list">
            {items.into_iter().map(|(id, item, waiting)| view! {
                <li class="innovation" data-testid="innovation" data-id=id.to_string() data-waiting=waiting.to_string()>
                    <strong>{item.title.clone()}</strong>
                    <span class="muted">{item.agency.clone()}" · "{item.year_started}" · "{move || sent_label(waiting, lang.get())}</span>
                    <span>{item.description.clone()}</span>
                    {fields::refusal(id)}
                    <div class="file-cards">{item.photos.into_iter().map(|meta| view! { <FileCard meta=meta /> }).collect_view()}</div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Tambah inovasi", with photos from the camera or the gallery.
#[component]
fn InnovationForm(
    ctx: AppCtx,
    regency: String,
    year: RwSignal<i32>,
    agencies: RwSignal<Vec<String>>,
    current_year: i32,
) -> impl IntoView {
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let [
        agency,
        title,
        year_started,
        target_group,
        description,
        results,
    ] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let photos = RwSignal::new(Vec::<FileMeta>::new());
    // The photos' target in the files database: a new record each time the form is used.
    let draft = RwSignal::new(Uuid::now_v7());
    let regency = StoredValue::new(regency);
    let save = move |_| {
        let innovation = Innovation {
            regency_code: regency.get_value(),
            year: year.get_untracked(),
            agency: agency.get_untracked(),
            title: title.get_untracked().trim().to_owned(),
            year_started: year_started
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or_default(),
            target_group: target_group.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            results: results.get_untracked().trim().to_owned(),
            photos: photos.get_untracked(),
        };
        match innovation.validate(current_year) {
            Err(found) => errors.set(found),
            Ok(()) => {
                errors.set(Vec::new());
                let target = format!("innovation/{}", draft.get_untracked());
                let files = crate::files::Files::get();
                let sent = innovation.photos.clone();
                let body = serde_json::to_value(&innovation).unwrap_or_default();
                save_record(ctx, EntityKind::Innovation, body, move || {
                    if let Some(files) = files {
                        spawn_local(async move {
                            for photo in sent {
                                let _ = files.saved_in(&photo.sha256, &target).await;
                            }
                        });
                    }
                    for field in [title, year_started, target_group, description, results] {
                        field.set(String::new());
                    }
                    photos.set(Vec::new());
                    draft.set(Uuid::now_v7());
                });
            }
        }
    };
    let add_photo = Callback::new(move |meta: FileMeta| {
        photos.update(|list| {
            if !list.iter().any(|p| p.sha256 == meta.sha256) {
                list.push(meta);
            }
        });
    });
    view! {
        <details class="card" data-testid="innovation-form">
            <summary>{tr(DeskKey::TeamAddInnovation)}</summary>
            {agency_field(agency, agencies)}
            {input(DeskKey::TeamTitle, "title", title, errors, "text")}
            {input(DeskKey::TeamYearStarted, "year_started", year_started, errors, "numeric")}
            {input(DeskKey::TeamTargetGroup, "target_group", target_group, errors, "text")}
            {input(DeskKey::TeamDescription, "description", description, errors, "text")}
            {input(DeskKey::TeamResults, "results", results, errors, "text")}
            <span class="label">{tr(DeskKey::TeamPhotos)}</span>
            <div class="file-cards">{move || photos.get().into_iter().map(|meta| view! { <FileCard meta=meta /> }).collect_view()}</div>
            {move || view! { <FilePicker target=format!("innovation/{}", draft.get()) on_attached=add_photo /> }}
            <button class="primary" data-testid="innovation-save" on:click=save>{tr(Key::Save)}</button>
        </details>
    }
}
