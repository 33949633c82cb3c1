//! "Kiriman instansi": what the agencies of a regency's team send for an assessed year,
//! their stunting budget lines and flagship innovations (with photos). Entries are records
//! of the device database and go through the same outbox and sync as a cadre's forms, so an
//! agency offline for days loses nothing; each list says what has not left this browser yet.
//! An agency account writes in its own name; the coordinator (`supervisor`) sees the whole
//! team and may write for any agency on the regency's list.

use konvergen_shared::actions::Status;
use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::api::{FieldError, Role};
use konvergen_shared::district::{
    AgencyProgress, Board, BudgetLine, Deadline, FundingSource, Innovation, Intervention, Part,
    format_rupiah, parse_rupiah, totals_by_fiscal_year,
};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::api;
use crate::AppCtx;
use crate::files::view::{FileCard, FilePicker};
use crate::forms;
use crate::i18n::{DeskKey, Key, Lang, desk_msg, t, tr, use_lang};
use crate::session::Session;

mod accounts;
mod fields;
mod items;
mod paparan;

use fields::{agency_field, input, message_of, records_of, save_record, select, sent_label};

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
            <BoardView ctx=ctx token=token regency=regency.get_value() year=year coordinator=coordinator />
            <details class="card" data-testid="team-sync-panel">
                <summary>{tr(DeskKey::TeamSyncPanel)}</summary>
                <crate::pages::sync_panel::SyncPanel />
            </details>
            <items::ItemsView ctx=ctx regency=regency.get_value() year=year viewer=viewer current_year=current_year closed=closed />
            <h3>{tr(DeskKey::TeamBudget)}</h3>
            {move || budget_table(lines.get(), lang.get())}
            <Show when=move || !closed.get()>
                <BudgetForm ctx=ctx regency=regency.get_value() year=year agencies=agencies current_year=current_year />
            </Show>
            <h3>{tr(DeskKey::TeamInnovations)}</h3>
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

fn budget_table(lines: Vec<(Uuid, BudgetLine, bool)>, lang: Lang) -> impl IntoView {
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
                        view! { <span class="muted" data-testid="budget-actions">{format!("Aksi {}", numbers.join(", "))}</span> }
                    })}
                    <span class="budget-figures">
                        <span class="muted">{t(lang, DeskKey::TeamFiscalYear)}" "{line.fiscal_year}" · "{sent_label(waiting, lang)}</span>
                        <strong class="number" data-testid="budget-allocation">{format_rupiah(line.allocation_rp)}</strong>
                    </span>
                    {fields::refusal(id)}
                </li>
            }).collect_view()}
        </ul>
        <dl class="budget-totals">
            {totals.into_iter().map(|(fiscal_year, sum)| view! {
                <div data-testid="budget-total" data-fiscal-year=fiscal_year.to_string()>
                    <dt>{t(lang, DeskKey::TeamTotal)}" "{fiscal_year}" ("{sum.lines}")"</dt>
                    <dd class="number">{format_rupiah(sum.allocation_rp)}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
    .into_any()
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

fn labelled<T: Copy>(options: &[(T, &str, DeskKey)], lang: Lang) -> Vec<(String, String)> {
    options
        .iter()
        .map(|(_, value, key)| ((*value).to_owned(), t(lang, *key).to_owned()))
        .collect()
}

fn chosen<T: Copy>(options: &[(T, &str, DeskKey)], value: &str) -> T {
    options
        .iter()
        .find(|(_, v, _)| *v == value)
        .map_or(options[0].0, |(kind, ..)| *kind)
}

/// "Tambah baris anggaran".
#[component]
fn BudgetForm(
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
                    {format!("Aksi {number}")}
                </label>
            }).collect_view()}
        </fieldset>
    }
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

/// Kalimantan Selatan keeps WITA (UTC+8); deadlines are typed and shown in it.
const WITA_HOURS: i8 = 8;

fn wita() -> time::UtcOffset {
    time::UtcOffset::from_hms(WITA_HOURS, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// "Siapa yang belum mengirim": the server's board of the year (each agency's parts, what
/// came late), read again whenever this browser synced; for the coordinator, the deadline.
#[component]
fn BoardView(
    ctx: AppCtx,
    token: String,
    regency: String,
    year: RwSignal<i32>,
    coordinator: bool,
) -> impl IntoView {
    let lang = use_lang();
    let token = StoredValue::new(token);
    let regency = StoredValue::new(regency);
    let board = LocalResource::new(move || {
        ctx.sync.last_synced_ms.track();
        let path = format!(
            "/api/v1/district/{}/{}/board",
            regency.get_value(),
            year.get()
        );
        let token = token.get_value();
        async move { api::get::<Board>(&token, &path).await }
    });
    let rows = move || {
        board.get().and_then(Result::ok).map(|fetched| {
            let Board {
                year,
                due_at,
                agencies,
                ..
            } = fetched.data;
            let due = due_at.map_or_else(
                || t(lang.get(), DeskKey::TeamNoDeadline).to_owned(),
                |at| {
                    let at = at.to_offset(wita());
                    format!(
                        "{}: {} {:02}:{:02} WITA",
                        t(lang.get(), DeskKey::TeamDeadline),
                        forms::iso(at.date()),
                        at.hour(),
                        at.minute()
                    )
                },
            );
            view! {
                {super::cache_note(fetched.cached_at_ms)}
                <p data-testid="board-deadline"><strong>{due}</strong></p>
                <ul class="list board">
                    {agencies.iter().map(|row| board_row(row, year, lang.get())).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <details class="card" data-testid="board" open=coordinator>
            <summary>{tr(DeskKey::TeamBoard)}</summary>
            {rows}
            {coordinator.then(|| view! { <DeadlineForm ctx=ctx regency=regency.get_value() year=year /> })}
        </details>
    }
}

fn board_row(row: &AgencyProgress, year: i32, lang: Lang) -> impl IntoView + use<> {
    let owed: Vec<&str> = row
        .owes()
        .into_iter()
        .map(|part| {
            t(
                lang,
                match part {
                    Part::Budget => DeskKey::PartBudget,
                    Part::Innovation => DeskKey::PartInnovation,
                    Part::Evidence => DeskKey::PartEvidence,
                },
            )
        })
        .collect();
    let counts = desk_msg::team_counts(
        lang,
        &year,
        &row.budget_lines_year,
        &(year + 1),
        &row.budget_lines_next_year,
        &row.innovations,
        &row.contributions,
    );
    let complete = owed.is_empty();
    view! {
        <li class="board-row" data-testid="board-row" data-agency=row.agency.clone() data-complete=complete.to_string() data-late=row.late.to_string()>
            <strong>{row.agency.clone()}</strong>
            <span class="muted">{counts}</span>
            {if complete {
                view! { <span class="done">{t(lang, Key::Complete)}</span> }.into_any()
            } else {
                view! { <span class="owes">{t(lang, DeskKey::TeamOwes)}" "{owed.join(", ")}</span> }.into_any()
            }}
            {(!row.items_owed.is_empty()).then(|| view! {
                <span class="owes" data-testid="board-owed-items">{desk_msg::team_owed_items(lang, &row.items_owed.join(", "))}</span>
            })}
            {(row.late > 0).then(|| view! { <span class="late" data-testid="board-late">{desk_msg::team_late(lang, &row.late)}</span> })}
        </li>
    }
}

/// The coordinator's deadline: a date and an hour in WITA, kept as one record per year (an
/// existing one is edited, so two coordinators changing it meet as a conflict).
#[component]
fn DeadlineForm(ctx: AppCtx, regency: String, year: RwSignal<i32>) -> impl IntoView {
    let date = RwSignal::new(String::new());
    let hour = RwSignal::new("23:59".to_owned());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let regency = StoredValue::new(regency);
    let save = move |_| {
        let parsed = konvergen_shared::date::parse_iso(&date.get_untracked())
            .zip(parse_hour(&hour.get_untracked()));
        let Some((day, time_of_day)) = parsed else {
            errors.set(vec![FieldError {
                field: "due_at".into(),
                code: "invalid".into(),
                message_id: "Isi tanggal dan jam".into(),
                message_en: "Enter a date and an hour".into(),
            }]);
            return;
        };
        let deadline = Deadline {
            regency_code: regency.get_value(),
            year: year.get_untracked(),
            due_at: time::PrimitiveDateTime::new(day, time_of_day).assume_offset(wita()),
        };
        if let Err(found) = deadline.validate(forms::today().year()) {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let existing = ctx.state().live(EntityKind::Deadline).find_map(|record| {
            let stored: Deadline = serde_json::from_value(record.body.clone()).ok()?;
            (stored.regency_code == deadline.regency_code && stored.year == deadline.year)
                .then_some(record.record_id)
        });
        let body = serde_json::to_value(&deadline).unwrap_or_default();
        let db = ctx.db.get_value();
        spawn_local(async move {
            let id = existing.unwrap_or_else(|| {
                konvergen_shared::district::deadline_id(&deadline.regency_code, deadline.year)
            });
            if db
                .edit(EntityKind::Deadline, id, Operation::Upsert, body)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
            }
        });
    };
    let lang = use_lang();
    view! {
        <div class="deadline-form">
            <span class="label">{tr(DeskKey::TeamSetDeadline)}</span>
            <div class="pair">
                <label class="field"><span class="label">{tr(DeskKey::TeamDate)}</span>
                    <input type="date" data-testid="field-deadline-date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{tr(DeskKey::TeamTime)}</span>
                    <input type="time" data-testid="field-deadline-time" prop:value=move || hour.get() on:input=move |ev| hour.set(event_target_value(&ev)) /></label>
            </div>
            {move || message_of(errors, "due_at", lang.get()).map(|text| view! { <span class="error" role="alert">{text}</span> })}
            <button class="primary" data-testid="deadline-save" on:click=save>{tr(Key::Save)}</button>
        </div>
    }
}

/// `HH:MM` as typed in a time field.
fn parse_hour(text: &str) -> Option<time::Time> {
    let (hours, minutes) = text.trim().split_once(':')?;
    time::Time::from_hms(hours.parse().ok()?, minutes.get(..2)?.parse().ok()?, 0).ok()
}
