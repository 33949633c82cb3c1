//! "Tugas bulan ini": the cadre's home. Who still needs this month's form, which child is
//! still to be weighed, whose baby is due; each task one tap from the screen that does it,
//! and gone as soon as that screen saves (the list is computed from the device's records).

use konvergen_shared::tasks::{HouseholdFact, MonthTasks, Task, TaskKind, month_tasks};
use leptos::prelude::*;

use crate::AppCtx;
use crate::forms;
use crate::i18n::{Key, Lang, msg, t, tr, use_lang};
use crate::pages::Page;
use crate::pages::home::SyncLine;
use crate::register;

/// The task list.
#[component]
pub fn TasksPage() -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let input = Memo::new(move |_| register::task_input(&ctx.state()));
    let tasks = Memo::new(move |_| month_tasks(&input.get(), forms::today()));
    let place = move |task: &Task| {
        input.with(|i| {
            i.households
                .iter()
                .find(|(id, _)| *id == task.household)
                .map(|(_, h)| format!("{} · RT {} / RW {}", h.head_name, h.rt, h.rw))
                .unwrap_or_default()
        })
    };
    view! {
        <section class="tasks" data-testid="tasks">
            <SyncLine />
            <h2 data-testid="tasks-month" data-month=move || tasks.get().month.to_string()>
                {move || msg::tasks_month(lang.get(), &forms::month_name(lang.get(), tasks.get().month, "long"))}
            </h2>
            <Show when=move || tasks.get().weighing_month>
                <p class="notice" data-testid="weighing-month">{tr(Key::WeighingMonth)}</p>
            </Show>
            <Summary tasks=tasks />
            <Show when=move || tasks.get().tasks.is_empty()>
                <p class="empty" data-testid="no-tasks">{tr(Key::NoTasks)}</p>
            </Show>
            {TaskKind::ALL
                .into_iter()
                .map(|kind| view! { <TaskGroup kind=kind tasks=tasks place=place /> })
                .collect_view()}
            <button class="secondary wide" data-testid="add-household"
                on:click=move |_| ctx.page.set(Page::HouseholdEdit(None))>
                {tr(Key::AddHousehold)}
            </button>
        </section>
    }
}

/// The counts, one tappable tile per kind that has tasks, and per village when the cadre
/// serves more than one.
#[component]
fn Summary(tasks: Memo<MonthTasks>) -> impl IntoView {
    let ctx = AppCtx::get();
    let villages: Vec<(String, String)> = ctx.session.with_value(|s| {
        s.me.areas
            .iter()
            .map(|a| (a.code.clone(), a.name.clone()))
            .collect()
    });
    let counts = move || {
        let tasks = tasks.get();
        TaskKind::ALL
            .into_iter()
            .map(|kind| (kind, tasks.count(kind)))
            .filter(|(_, n)| *n > 0)
            .collect::<Vec<_>>()
    };
    let per_village = (villages.len() > 1).then(|| {
        view! {
            <h3>{tr(Key::TasksPerVillage)}</h3>
            <ul class="village-counts" data-testid="village-counts">
                {villages.into_iter().map(|(code, name)| {
                    let count = move || tasks.get().tasks.iter().filter(|t| t.village_code == code).count();
                    view! { <li><span>{name}</span><strong>{count}</strong></li> }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <ul class="task-counts" data-testid="task-counts">
            {move || counts().into_iter().map(|(kind, n)| view! {
                <li>
                    <a href=format!("#task-{}", kind.as_str()) data-testid=format!("count-{}", kind.as_str())>
                        <strong>{n}</strong>
                        <span>{tr(label(kind))}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
        {per_village}
    }
}

/// The tasks of one kind, hidden when there are none.
#[component]
fn TaskGroup(
    kind: TaskKind,
    tasks: Memo<MonthTasks>,
    place: impl Fn(&Task) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let list = Memo::new(move |_| tasks.with(|t| t.of(kind).cloned().collect::<Vec<_>>()));
    view! {
        <Show when=move || !list.get().is_empty()>
            <h3 id=format!("task-{}", kind.as_str())>{tr(label(kind))}" ("{move || list.get().len()}")"</h3>
            <ul class="list" data-testid=format!("tasks-{}", kind.as_str())>
                <For each=move || list.get() key=|task| (task.person, task.household, task.missing.clone()) let:task>
                    {
                        let target = target(&task);
                        let where_ = place(&task);
                        let shown = task.clone();
                        let detail = move || detail(&shown, &where_, lang.get());
                        view! {
                            <li>
                                <button class="row" data-testid="task" data-kind=kind.as_str()
                                    on:click=move |_| ctx.page.set(target)>
                                    <strong>{task.name}</strong>
                                    <span class="muted">{detail}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}

fn label(kind: TaskKind) -> Key {
    match kind {
        TaskKind::Form2a => Key::TaskForm2a,
        TaskKind::Form2b => Key::TaskForm2b,
        TaskKind::Form2c => Key::TaskForm2c,
        TaskKind::Measure => Key::TaskMeasure,
        TaskKind::RecordBirth => Key::TaskRecordBirth,
        TaskKind::RegisterBaby => Key::TaskRegisterBaby,
        TaskKind::ContinuePaud => Key::TaskContinuePaud,
        TaskKind::HouseholdFacts => Key::TaskHouseholdFacts,
    }
}

/// The line under the name: the household, and for household facts what is missing.
fn detail(task: &Task, place: &str, lang: Lang) -> String {
    if task.missing.is_empty() {
        return place.to_owned();
    }
    let missing: Vec<&str> = task
        .missing
        .iter()
        .map(|fact| {
            t(
                lang,
                match fact {
                    HouseholdFact::FamilyCard => Key::FactFamilyCard,
                    HouseholdFact::SafeWater => Key::FactSafeWater,
                    HouseholdFact::Latrine => Key::FactLatrine,
                },
            )
        })
        .collect();
    format!("{place} · {}", missing.join(", "))
}

/// The screen that does the task.
fn target(task: &Task) -> Page {
    let household = task.household.uuid();
    let person = task.person.map(|p| p.uuid());
    match (task.kind, person) {
        (TaskKind::Form2a | TaskKind::Form2b | TaskKind::Form2c, Some(person)) => Page::Monthly {
            person,
            month: None,
        },
        (TaskKind::Measure, Some(child)) => Page::Measure(child),
        (TaskKind::RecordBirth, id @ Some(_)) => Page::Pregnant { household, id },
        (TaskKind::RegisterBaby, _) => Page::Child {
            household,
            id: None,
        },
        (TaskKind::ContinuePaud, _) => Page::Paud {
            household,
            id: None,
        },
        _ => Page::HouseholdEdit(Some(household)),
    }
}
