//! Form fields with their error shown right under them.

use konvergen_shared::api::FieldError;
use leptos::prelude::*;

use crate::i18n::{Key, Lang, t, tr, use_lang};

/// Problems of a form in the shared crate's shape: the rules of `konvergen_shared` run on
/// the phone, the server's answer, and problems reading an input (see [`crate::forms`]).
pub type RecordErrors = RwSignal<Vec<FieldError>>;

/// The message of a field error in `lang`.
pub fn localized(lang: Lang, error: &FieldError) -> &str {
    match lang {
        Lang::Id => &error.message_id,
        Lang::En => &error.message_en,
    }
}

/// The input a field error belongs to: the server names body fields `body.<name>`.
pub fn field_of(error: &FieldError) -> &str {
    error.field.strip_prefix("body.").unwrap_or(&error.field)
}

/// The message for `field`, if any.
pub fn error_of(errors: RecordErrors, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    let lang = use_lang();
    move || {
        errors
            .get()
            .iter()
            .find(|error| field_of(error) == field)
            .map(|error| localized(lang.get(), error).to_owned())
    }
}

/// The problems of a form that belong to none of its inputs (`fields`), e.g. a date the
/// form does not show; without this they would block saving unseen.
#[component]
pub fn OtherErrors(
    /// The form's errors.
    errors: RecordErrors,
    /// Names of the form's inputs.
    fields: &'static [&'static str],
) -> impl IntoView {
    let lang = use_lang();
    let others = move || {
        errors
            .get()
            .into_iter()
            .filter(|error| !fields.contains(&field_of(error)))
            .map(|error| localized(lang.get(), &error).to_owned())
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || !others().is_empty()>
            <ul class="error" role="alert" data-testid="form-errors">
                {move || others().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
            </ul>
        </Show>
    }
}

/// A labelled text (or date, number) input.
#[component]
pub fn TextField(
    /// Label text.
    label: Key,
    /// Field name (for errors and test ids).
    name: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// The form's errors.
    errors: RecordErrors,
    /// HTML input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// Mobile keyboard hint.
    #[prop(default = "text")]
    inputmode: &'static str,
) -> impl IntoView {
    let error = error_of(errors, name);
    view! {
        <label class="field">
            <span class="label">{tr(label)}</span>
            <input
                type=kind
                inputmode=inputmode
                name=name
                data-testid=format!("field-{name}")
                class:invalid=move || error().is_some()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <Show when=move || error().is_some()>
                <span class="error" data-testid=format!("error-{name}") role="alert">{error}</span>
            </Show>
        </label>
    }
}

/// A yes/no switch.
#[component]
pub fn CheckField(
    /// Label text.
    label: Key,
    /// Field name.
    name: &'static str,
    /// The value.
    value: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                data-testid=format!("field-{name}")
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <span>{tr(label)}</span>
        </label>
    }
}

/// A choice among a few options.
#[component]
pub fn ChoiceField(
    /// Label text.
    label: Key,
    /// Field name.
    name: &'static str,
    /// The chosen value.
    value: RwSignal<String>,
    /// (value, label) pairs.
    options: Vec<(&'static str, Key)>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="choice" data-testid=format!("field-{name}")>
            <legend>{tr(label)}</legend>
            {options
                .into_iter()
                .map(|(option, text)| {
                    view! {
                        <label class="option">
                            <input
                                type="radio"
                                name=name
                                value=option
                                data-testid=format!("field-{name}-{option}")
                                prop:checked=move || value.get() == option
                                on:change=move |_| value.set(option.to_owned())
                            />
                            <span>{move || t(lang.get(), text)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
