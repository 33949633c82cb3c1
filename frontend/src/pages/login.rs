//! Sign-in screen: works offline for anyone who signed in on this phone before.

use konvergen_shared::api::ErrorBody;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Key, Lang, t, tr, use_lang};
use crate::session::{self, LoginError, Session};

/// Why the sign-in failed, as the screen says it: the server's own words when it refused,
/// kept in both languages so the language switch changes them too.
#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Known(Key),
    Server(ErrorBody),
}

impl Failure {
    fn of(error: LoginError) -> Self {
        match error {
            LoginError::Refused(body) => Self::Server(body),
            LoginError::Wrong => Self::Known(Key::WrongLogin),
            LoginError::UnknownOffline => Self::Known(Key::OfflineLoginUnknown),
            LoginError::TooMany => Self::Known(Key::TooManyAttempts),
        }
    }

    /// The message in `lang`; a refusal about one field (a name too long) names that field.
    fn text(&self, lang: Lang) -> String {
        match self {
            Self::Known(key) => t(lang, *key).to_owned(),
            Self::Server(body) => match (body.fields.first(), lang) {
                (Some(field), _) => crate::components::field::localized(lang, field).to_owned(),
                (None, Lang::Id) => body.message.clone(),
                (None, Lang::En) => body.message_en.clone(),
            },
        }
    }
}

/// The sign-in form; calls `on_login` with the session.
#[component]
pub fn LoginPage(on_login: Callback<Session>) -> impl IntoView {
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (name, pass) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match session::login(&name, &pass).await {
                Ok(session) => on_login.run(session),
                Err(failure) => error.set(Some(Failure::of(failure))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card login" on:submit=submit data-testid="login-form">
            <label class="field">
                <span class="label">{tr(Key::Username)}</span>
                <input
                    name="username"
                    autocomplete="username"
                    autocapitalize="none"
                    data-testid="login-username"
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
            </label>
            <label class="field">
                <span class="label">{tr(Key::Password)}</span>
                <input
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    data-testid="login-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </label>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="login-error">
                    {move || error.get().map(|failure| failure.text(lang.get()))}
                </p>
            </Show>
            <button type="submit" class="primary" data-testid="login-submit" disabled=move || busy.get()>
                {move || if busy.get() { t(lang.get(), Key::SigningIn) } else { t(lang.get(), Key::SignIn) }}
            </button>
        </form>
    }
}
