//! The 8-action checklist: the district fills it, the province reviews it item by item and
//! returns or verifies it; the panel's assessors read it (scoring is on the panel tab).

use konvergen_shared::actions::checklist::Checklist;
use konvergen_shared::actions::{Catalogue, ItemState, Status, Transition};
use konvergen_shared::api::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{Value, json};

use super::api;
use super::drafts::{self, ItemRef, ItemSaves};
use super::evidence::{self, EvidenceRow};
use super::review::{ItemReviewView, ReviewSender};
use crate::files::Files;
use crate::files::view::FilesOnDevice;
use crate::forms;
use crate::i18n::{DeskKey, Key, Lang, msg, t, tr, use_lang};
use crate::session::Session;

#[derive(Debug, Clone, Deserialize)]
pub(super) struct View {
    catalogue: Catalogue,
    checklist: Checklist,
    /// The checklist's version as read; writes send it back, so a write based on an old read
    /// is refused (409) instead of undoing someone else's save.
    #[serde(default)]
    pub(super) version: u64,
}

/// The regency the province's checklist opens on until it picks another.
pub(super) const PROVINCE_FIRST_REGENCY: &str = "63.03";

/// Checklist of a regency for the chosen year (the panel's scoring is on its own tab).
#[component]
pub fn ActionsView(session: Session) -> impl IntoView {
    let province = session.me.role == Role::Province;
    // The province and its assessors read any regency of the province; only the province reviews.
    let province_side = matches!(session.me.role, Role::Province | Role::Assessor);
    let default_regency = if province_side {
        PROVINCE_FIRST_REGENCY.to_owned()
    } else {
        session
            .me
            .areas
            .first()
            .map(|a| a.code.clone())
            .unwrap_or_default()
    };
    let current_year = forms::today().year();
    // The province's choice outlives the tab (the overview sets it); a district's does not.
    let focus = use_context::<super::Focus>();
    let regency = focus.map_or_else(|| RwSignal::new(default_regency), |f| f.regency);
    let year = focus.map_or_else(
        || RwSignal::new(super::selectable_years(current_year)[0]),
        |f| f.year,
    );
    let owner = StoredValue::new(session.me.username.clone());
    let reload = RwSignal::new(0_u32);
    let message = RwSignal::new(None::<String>);
    let saves = ItemSaves::new(
        session.me.username.clone(),
        session.token.clone(),
        reload,
        message,
    );
    let token = StoredValue::new(session.token);
    Effect::new(move || saves.show(&regency.get(), year.get()));
    let files = Files::get();
    let view_data = LocalResource::new(move || {
        reload.track();
        let (token, code, year) = (token.get_value(), regency.get(), year.get());
        async move {
            let path = format!("/api/v1/actions/checklists/{code}/{year}");
            let fetched = api::get::<View>(&token, &path).await?;
            let editable = !province_side && fetched.data.checklist.editable();
            if fetched.cached_at_ms.is_some() || !editable {
                return Ok(fetched);
            }
            // Online and allowed to edit: item saves kept offline go up first, then files
            // attached offline go into their items.
            let (checklist, version) = (&fetched.data.checklist, fetched.data.version);
            if drafts::send_waiting(&owner.get_value(), &token, checklist, version).await? {
                saves.show(&code, year);
                return api::get::<View>(&token, &path).await;
            }
            saves.show(&code, year);
            if let Some(files) = files
                && evidence::save_waiting_attachments(files, &token, &code, checklist, version)
                    .await?
            {
                return api::get::<View>(&token, &path).await;
            }
            Ok(fetched)
        }
    });
    reload_when_back_online(reload);
    // The last checklist read, kept while the next read runs and taken apart into what each
    // part of the screen shows: a new read redraws the rows only when the catalogue or who may
    // edit changes, so a file picked or a link typed meanwhile stays where it was.
    let shown = RwSignal::new(None::<Shown>);
    let load_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match view_data.get() {
        Some(Ok(fetched)) => {
            load_error.set(None);
            shown.set(Some(Shown::new(
                fetched,
                province,
                province_side,
                regency.get_untracked(),
            )));
        }
        Some(Err(err)) => load_error.set(Some(err.message)),
        None => {}
    });
    let checklist = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.checklist.clone())));
    let version = Memo::new(move |_| shown.with(|s| s.as_ref().map_or(0, |s| s.version)));
    let layout = Memo::new(move |_| shown.with(|s| s.as_ref().map(Shown::layout)));
    let act = move |method: &'static str, path: String, body: Value| {
        let token = token.get_value();
        spawn_local(async move {
            match api::send::<_, Value>(&token, method, &path, &body).await {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(err) => {
                    // Stale (someone saved in between): show why and what is stored now.
                    if err.status == 409 {
                        reload.update(|n| *n += 1);
                    }
                    message.set(Some(err.message));
                }
            }
        });
    };
    let base = move || {
        format!(
            "/api/v1/actions/checklists/{}/{}",
            regency.get_untracked(),
            year.get_untracked()
        )
    };
    let reason = RwSignal::new(String::new());
    view! {
        <section data-testid="actions-view">
            {super::year_picker(year, current_year)}
            {province_side.then(|| regency_choice(token.get_value(), regency))}
            {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="action-error">{m}</p> })}
            {move || shown.with(|s| s.as_ref().map(|s| super::cache_note(s.cached_at_ms)))}
            {move || load_error.get().map(|err| view! { <p class="error">{err}</p> })}
            {move || layout.get().map(|layout| checklist_view(layout, checklist, version, act, saves, (reload, token)))}
            {province.then(|| view! {
                <div class="card">
                    <label class="field"><span class="label">{tr(Key::Reason)}</span>
                        <input data-testid="return-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) /></label>
                    <p class="muted">{tr(DeskKey::ReviewReturnHint)}</p>
                    <div class="actions">
                        <button class="secondary" data-testid="return" on:click=move |_| act("POST", format!("{}/transition", base()), step(Transition::Return { reason: reason.get_untracked() }))>{tr(Key::ReturnIt)}</button>
                        <button class="primary" data-testid="verify" on:click=move |_| act("POST", format!("{}/transition", base()), step(Transition::Verify))>{tr(Key::Verify)}</button>
                    </div>
                </div>
            })}
        </section>
    }
}

/// The province picks a regency or city by name from its own list (the regencies of its
/// area, as the aggregates name them), not by typing a code.
fn regency_choice(token: String, regency: RwSignal<String>) -> impl IntoView {
    let regencies = LocalResource::new(move || {
        let token = token.clone();
        async move {
            api::get::<konvergen_shared::aggregates::AggregateReport>(&token, "/api/v1/aggregates")
                .await
        }
    });
    let options = move || {
        let rows = regencies
            .get()
            .and_then(Result::ok)
            .map(|fetched| fetched.data.rows)
            .unwrap_or_default();
        rows.into_iter()
            .map(|row| {
                let code = row.code.clone();
                view! { <option value=row.code selected=move || regency.get() == code>{row.name}</option> }
            })
            .collect_view()
    };
    view! {
        <label class="field year-picker"><span class="label">{tr(Key::Regency)}</span>
            <select data-testid="regency" prop:value=move || regency.get() on:change=move |ev| regency.set(event_target_value(&ev))>
                {options}
            </select>
        </label>
    }
}

/// A workflow step as the body of `POST .../transition`.
fn step(transition: Transition) -> Value {
    serde_json::to_value(transition).unwrap_or(Value::Null)
}

pub(super) fn status_key(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Submitted => "submitted",
        Status::Returned => "returned",
        Status::Verified => "verified",
    }
}

/// A checklist read as the screen uses it.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    layout: Layout,
    checklist: Checklist,
    version: u64,
    cached_at_ms: Option<f64>,
}

/// What decides the checklist's rows: they are drawn again only when this changes.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    catalogue: Catalogue,
    regency: String,
    year: i32,
    editable: bool,
    /// The province: reviews each item of a submitted checklist.
    reviewer: bool,
}

impl Shown {
    fn new(
        fetched: api::Fetched<View>,
        province: bool,
        province_side: bool,
        regency: String,
    ) -> Self {
        let View {
            catalogue,
            checklist,
            version,
        } = fetched.data;
        let layout = Layout {
            catalogue,
            regency,
            year: checklist.year,
            editable: !province_side && checklist.editable(),
            reviewer: province,
        };
        Self {
            layout,
            checklist,
            version,
            cached_at_ms: fetched.cached_at_ms,
        }
    }

    fn layout(&self) -> Layout {
        self.layout.clone()
    }
}

fn checklist_view(
    layout: Layout,
    checklist: Memo<Option<Checklist>>,
    version: Memo<u64>,
    act: impl Fn(&'static str, String, Value) + Copy + Send + Sync + 'static,
    saves: ItemSaves,
    (reload, token): (RwSignal<u32>, StoredValue<String>),
) -> impl IntoView {
    let Layout {
        catalogue,
        regency,
        year,
        editable,
        reviewer,
    } = layout;
    let lang = use_lang();
    let base = StoredValue::new(format!("/api/v1/actions/checklists/{regency}/{year}"));
    let sender = reviewer.then_some(ReviewSender {
        token,
        base,
        version,
        reload,
    });
    let status = move || checklist.with(|c| c.as_ref().map(|c| c.status));
    let status_id = move || status().map(status_key);
    let status_text = move || status().map(|s| t(lang.get(), super::status_name(s)));
    let reason = move || {
        checklist.with(|c| {
            c.as_ref()
                .and_then(|c| c.return_reason().map(str::to_owned))
        })
    };
    // Returned with no reason of its own: the notes on the items say why.
    let returned_on_items = move || {
        checklist.with(|c| {
            c.as_ref().is_some_and(|c| {
                c.status == Status::Returned && c.return_reason().is_none() && c.has_revisions()
            })
        })
    };
    view! {
        <p>{tr(Key::ChecklistStatus)}": "<strong data-testid="checklist-status" data-status=status_id>{status_text}</strong></p>
        {move || reason().map(|r| view! { <p class="warning" data-testid="return-reason-shown">{tr(Key::ReturnedBecause)}": "{r}</p> })}
        {move || returned_on_items().then(|| view! { <p class="warning" data-testid="return-see-items">{tr(Key::ReturnedBecause)}". "{tr(DeskKey::ReviewSeeItems)}</p> })}
        {editable.then(|| view! { <FilesOnDevice /> })}
        {catalogue.actions.into_iter().map(|action| {
            let items = action.evidence.into_iter().map(|def| {
                let key = def.key.clone();
                let state = Memo::new(move |_| {
                    checklist.with(|c| c.as_ref().and_then(|c| c.items.get(&key).cloned()).unwrap_or_default())
                });
                let target = evidence::item_target(&regency, year, &def.key);
                let at = ItemRef { regency: regency.clone(), year, key: def.key.clone() };
                let draft_key = def.key.clone();
                let draft = Memo::new(move |_| saves.drafts.with(|d| d.get(&draft_key).cloned()));
                let saving = at.clone();
                let save = Callback::new(move |item: ItemState| {
                    saves.save(saving.clone(), item, state.get_untracked(), version.get_untracked());
                });
                let discard = Callback::new(move |()| saves.discard(&at));
                let attached = Callback::new(move |()| reload.update(|n| *n += 1));
                let reviewed = def.key.clone();
                view! {
                    <EvidenceRow def=def state=state draft=draft editable=editable target=target save=save discard=discard attached=attached>
                        <ItemReviewView key=reviewed.clone() checklist=checklist sender=sender />
                    </EvidenceRow>
                }
            }).collect_view();
            let heading = move || { let name = if lang.get() == Lang::En { &action.name_en } else { &action.name_id }; msg::action_heading(lang.get(), &action.number, name) };
            view! { <h2>{heading}</h2><ul class="list small">{items}</ul> }
        }).collect_view()}
        {editable.then(|| view! {
            <button class="primary wide" data-testid="submit-checklist" on:click=move |_| {
                let path = format!("{}/transition?expected_version={}", base.get_value(), version.get_untracked());
                act("POST", path, json!({"action": "submit"}));
            }>{tr(Key::Submit)}</button>
        })}
    }
}

/// Reads the checklist again when the browser reports the network back, so files attached
/// offline are saved into their items without waiting for a tap.
fn reload_when_back_online(reload: RwSignal<u32>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_online = Closure::<dyn Fn()>::new(move || {
        reload.try_update(|n| *n += 1);
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    // The closure stays in the view's arena and leaves the window with it.
    let kept = StoredValue::new_local(on_online);
    on_cleanup(move || {
        kept.try_with_value(|on_online| {
            let _ = window_listener_removed(on_online.as_ref().unchecked_ref());
        });
    });
}

fn window_listener_removed(listener: &js_sys::Function) -> Option<()> {
    web_sys::window()?
        .remove_event_listener_with_callback("online", listener)
        .ok()
}
