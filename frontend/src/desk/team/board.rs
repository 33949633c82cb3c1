//! "Siapa yang belum mengirim": the board of the year and the coordinator's deadline (WITA).

use konvergen_shared::api::FieldError;
use konvergen_shared::district::{AgencyProgress, Board, Deadline, Part};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::message_of;
use crate::AppCtx;
use crate::desk::api;
use crate::forms;
use crate::i18n::{DeskKey, Key, Lang, desk_msg, t, tr, use_lang};

/// Kalimantan Selatan keeps WITA (UTC+8); deadlines are typed and shown in it.
const WITA_HOURS: i8 = 8;

fn wita() -> time::UtcOffset {
    time::UtcOffset::from_hms(WITA_HOURS, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// "Siapa yang belum mengirim": the server's board of the year (each agency's parts, what
/// came late), read again whenever this browser synced; for the coordinator, the deadline.
#[component]
pub(super) fn BoardView(
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
                {crate::desk::cache_note(fetched.cached_at_ms)}
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
                message_id: t(Lang::Id, DeskKey::DeadlineMissing).into(),
                message_en: t(Lang::En, DeskKey::DeadlineMissing).into(),
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
