//! Signing out, in both modules: the "Keluar" button of the tab bar opens a panel that asks
//! how. "Keluar" keeps this account's data on the phone (its token leaves all the same);
//! removing the data is asked a second time, and says how many unsent changes it would lose.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::AppCtx;
use crate::i18n::{Key, msg, t, tr, use_lang};
use crate::pages::Page;
use crate::session::{self, Session};

/// Where the sign-out dialog stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Closed,
    Ask,
    ConfirmRemove,
    Busy,
}

/// The dialog's state, shared by the button in the tab bar and the panel below it.
#[derive(Debug, Clone, Copy)]
pub struct SignOut(RwSignal<Step>);

impl SignOut {
    /// A closed dialog.
    pub fn new() -> Self {
        Self(RwSignal::new(Step::Closed))
    }

    /// The tab-bar button that opens the dialog.
    pub fn button(self) -> impl IntoView {
        view! {
            <button class="link" data-testid="logout" aria-haspopup="dialog"
                on:click=move |_| self.0.set(Step::Ask)>{tr(Key::SignOut)}</button>
        }
    }
}

impl Default for SignOut {
    fn default() -> Self {
        Self::new()
    }
}

/// The panel of the dialog. Where there is an outbox (the cadre app, and the desk of a
/// regency's team) it counts the unsent changes and offers to sync them first. Once signed out the page goes back to `/`.
#[component]
pub fn SignOutPanel(state: SignOut, session: StoredValue<Session>) -> impl IntoView {
    let lang = use_lang();
    let step = state.0;
    let cadre = use_context::<AppCtx>();
    let leave = move |remove_data: bool| {
        step.set(Step::Busy);
        spawn_local(async move {
            session::sign_out(&session.get_value(), remove_data).await;
            crate::go_to("/");
        });
    };
    let sync_first = move |_| {
        step.set(Step::Closed);
        if let Some(ctx) = cadre {
            ctx.page.set(Page::Sync);
            ctx.sync.request();
        }
    };
    // One closure renders the whole panel, texts included, and both questions share one
    // template: rebuilt when the step, the language or the outbox changes, which keeps the
    // cadre's first load small (no effect per text).
    move || {
        let lang = lang.get();
        let ask = match step.get() {
            Step::Closed => return ().into_any(),
            Step::Busy => {
                return view! { <p class="muted" role="status" data-testid="signout-busy">{t(lang, Key::SigningOut)}</p> }
                    .into_any();
            }
            Step::Ask => true,
            Step::ConfirmRemove => false,
        };
        let count = cadre.map_or(0, |ctx| ctx.state().outbox.len());
        let name = session.with_value(|s| s.me.display_name.clone());
        let (title, detail) = if ask {
            // The desk (every role but cadres) also drops its offline copies of server answers.
            let on_desk = session.with_value(|s| s.me.role != konvergen_shared::api::Role::Cadre);
            let hint = if on_desk {
                Key::SignOutDeskHint
            } else {
                Key::SignOutKeepHint
            };
            (msg::sign_out_question(lang, &name), t(lang, hint))
        } else {
            (
                msg::sign_out_remove_question(lang, &name),
                t(lang, Key::SignOutRemoveDetail),
            )
        };
        // Unsent changes: safe when the data stays, lost (and said so) when it goes.
        let note = (count > 0).then(|| {
            if ask {
                (
                    "pending",
                    "signout-unsent",
                    msg::sign_out_unsent(lang, &count),
                )
            } else {
                ("warning", "signout-loss", msg::sign_out_loss(lang, &count))
            }
        });
        view! {
            <section class=if ask { "card sign-out" } else { "confirm sign-out" } role="alertdialog"
                aria-labelledby="signout-title" data-testid=if ask { "signout-confirm" } else { "signout-remove-confirm" }>
                <h2 id="signout-title">{title}</h2>
                <p class:muted=ask>{detail}</p>
                {note.map(|(class, id, text)| view! { <p class=class role="alert" data-testid=id>{text}</p> })}
                <div class="stack">
                    {(!ask && count > 0).then(|| view! {
                        <button class="primary" data-testid="signout-sync-first" on:click=sync_first>{t(lang, Key::SyncFirst)}</button>
                    })}
                    <button class=if ask { "primary" } else { "danger" } data-testid=if ask { "signout-keep" } else { "signout-remove-yes" }
                        on:click=move |_| leave(!ask)>{t(lang, if ask { Key::SignOutKeep } else { Key::SignOutRemoveYes })}</button>
                    {ask.then(|| view! {
                        <button class="danger outline" data-testid="signout-remove"
                            on:click=move |_| step.set(Step::ConfirmRemove)>{t(lang, Key::SignOutRemove)}</button>
                    })}
                    <button class="secondary" data-testid="signout-cancel" on:click=move |_| step.set(Step::Closed)>{t(lang, Key::Cancel)}</button>
                </div>
            </section>
        }
        .into_any()
    }
}
