//! "Akun tim": the coordinator adds an account for an agency's staff member, disables or
//! enables it, and gives it a new password. These change who may sign in, so they are made
//! on the server at once (online only); the list says so when the network is away.

use konvergen_shared::api::{FieldError, Role};
use konvergen_shared::district::{AccountState, NewTeamAccount, PasswordReset, TeamAccount};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::fields::{agency_field, input};
use crate::desk::api;
use crate::i18n::{DeskKey, Key, t, tr, use_lang};

/// The section of the team tab (coordinator only).
#[component]
pub(super) fn AccountsView(
    token: String,
    /// The regency's accounts, `/api/v1/district/<regency>/accounts`.
    base: String,
    agencies: RwSignal<Vec<String>>,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let base = StoredValue::new(base);
    let reload = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        reload.track();
        let (token, path) = (token.get_value(), base.get_value());
        async move { api::get::<Vec<TeamAccount>>(&token, &path).await }
    });
    let message = RwSignal::new(None::<String>);
    let change = Callback::new(move |(path, body): (String, Value)| {
        let token = token.get_value();
        spawn_local(async move {
            match api::send::<_, Value>(&token, "PUT", &path, &body).await {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(err) => message.set(Some(err.message)),
            }
        });
    });
    let rows = move || {
        list.get().map(|read| match read {
            Ok(fetched) => view! {
                {crate::desk::cache_note(fetched.cached_at_ms)}
                <ul class="list accounts" data-testid="account-list">
                    {fetched.data.into_iter().map(|account| view! { <AccountRow account=account base=base.get_value() change=change /> }).collect_view()}
                </ul>
            }
            .into_any(),
            Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
        })
    };
    let added = Callback::new(move |()| reload.update(|n| *n += 1));
    view! {
        <details class="card" data-testid="team-accounts">
            <summary>{tr(DeskKey::AccountsTitle)}</summary>
            {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="account-error">{m}</p> })}
            {rows}
            <AddAccount token=token.get_value() path=base.get_value() agencies=agencies added=added />
        </details>
    }
}

/// One account: who, which agency, whether it may sign in; for an agency account the
/// buttons to disable or enable it and to set a new password.
#[component]
fn AccountRow(
    account: TeamAccount,
    base: String,
    change: Callback<(String, Value)>,
) -> impl IntoView {
    let lang = use_lang();
    let TeamAccount {
        username,
        display_name,
        role,
        agency,
        disabled,
    } = account;
    let managed = role == Role::Agency;
    let state_path = format!("{base}/{username}/state");
    let password_path = format!("{base}/{username}/password");
    let toggle = move |_| {
        let body = serde_json::to_value(AccountState {
            disabled: !disabled,
        })
        .unwrap_or_default();
        change.run((state_path.clone(), body));
    };
    let new_password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let reset = move |_| {
        let reset = PasswordReset {
            password: new_password.get_untracked(),
        };
        if let Err(found) = reset.validate() {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        new_password.set(String::new());
        change.run((
            password_path.clone(),
            serde_json::to_value(reset).unwrap_or_default(),
        ));
    };
    let shown_name = username.clone();
    let who =
        agency.unwrap_or_else(|| t(lang.get_untracked(), DeskKey::AccountsCoordinator).to_owned());
    view! {
        <li class="account" data-testid="account-row" data-username=username data-disabled=disabled.to_string()>
            <strong>{display_name}</strong>
            <span class="muted">{shown_name}" · "{who}</span>
            <span class=if disabled { "owes" } else { "done" } data-testid="account-state">
                {move || t(lang.get(), if disabled { DeskKey::AccountsDisabled } else { DeskKey::AccountsActive })}
            </span>
            {managed.then(|| view! {
                <div class="actions">
                    <button class="secondary" data-testid="account-toggle" on:click=toggle>
                        {move || t(lang.get(), if disabled { DeskKey::AccountsEnable } else { DeskKey::AccountsDisable })}
                    </button>
                </div>
                <details class="assign" data-testid="account-reset">
                    <summary>{tr(DeskKey::AccountsReset)}</summary>
                    {input(DeskKey::AccountsNewPassword, "password", new_password, errors, "text")}
                    <button class="primary" data-testid="account-reset-save" on:click=reset>{tr(Key::Save)}</button>
                </details>
            })}
        </li>
    }
}

/// "Tambah akun instansi".
#[component]
fn AddAccount(
    token: String,
    path: String,
    agencies: RwSignal<Vec<String>>,
    added: Callback<()>,
) -> impl IntoView {
    let [username, display_name, agency, password] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let (token, path) = (StoredValue::new(token), StoredValue::new(path));
    let save = move |_| {
        let new = NewTeamAccount {
            username: username.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked().trim().to_owned(),
            agency: agency.get_untracked(),
            password: password.get_untracked(),
        };
        if let Err(found) = new.validate() {
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        failure.set(None);
        let (token, path) = (token.get_value(), path.get_value());
        spawn_local(async move {
            match api::send::<_, TeamAccount>(&token, "POST", &path, &new).await {
                Ok(_) => {
                    for field in [username, display_name, password] {
                        field.set(String::new());
                    }
                    added.run(());
                }
                Err(err) => failure.set(Some(err.message)),
            }
        });
    };
    view! {
        <div class="add-account" data-testid="account-add">
            <h2>{tr(DeskKey::AccountsAdd)}</h2>
            {input(DeskKey::AccountsUsername, "username", username, errors, "text")}
            {input(DeskKey::AccountsDisplayName, "display_name", display_name, errors, "text")}
            {agency_field(agency, agencies)}
            {input(DeskKey::AccountsPassword, "password", password, errors, "text")}
            {move || failure.get().map(|m| view! { <p class="error" role="alert" data-testid="account-add-error">{m}</p> })}
            <button class="primary" data-testid="account-add-save" on:click=save>{tr(Key::Save)}</button>
        </div>
    }
}
