//! Form fields with their error shown right under them.

use leptos::prelude::*;

use crate::i18n::{Key, t, tr, use_lang};

/// Problems of a form: (field name, message key).
pub type FieldErrors = RwSignal<Vec<(&'static str, Key)>>;

/// The message for `field`, if any.
pub fn error_of(
    errors: FieldErrors,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    let lang = use_lang();
    move || {
        errors
            .get()
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, key)| t(lang.get(), *key))
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
    errors: FieldErrors,
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
