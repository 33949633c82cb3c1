//! The cadre's entry of Tabel 5: per field (bidang) the total allocation and the part for
//! stunting prevention, in rupiah, for the year of the chosen quarter. Checked by the shared
//! rules before it goes to the outbox, so the phone shows the server's own messages.

use konvergen_shared::api::FieldError;
use konvergen_shared::scorecard::{Bidang, VillageFund, village_fund_id};
use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::AppCtx;
use crate::forms;
use crate::i18n::{Key, Lang, msg, t, tr, use_lang};

/// One amount of the form: its field, its part and the text typed.
#[derive(Debug, Clone, Copy)]
struct Amount {
    bidang: Bidang,
    stunting: bool,
    text: RwSignal<String>,
}

impl Amount {
    /// The path of the amount in the record body, as the shared rules name it.
    fn path(self) -> String {
        let part = if self.stunting {
            "stunting_rupiah"
        } else {
            "total_rupiah"
        };
        format!("{}.{part}", self.bidang.key())
    }

    fn label(self) -> Key {
        if self.stunting {
            Key::StuntingAllocation
        } else {
            Key::TotalAllocation
        }
    }
}

/// The amount typed, in whole rupiah: dots, commas and spaces between thousands and a
/// leading "Rp" are ignored; empty is zero (a field without a budget line). A minus sign is
/// kept, so the shared rule names the negative amount.
fn parse_rupiah(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_prefix("Rp")
        .or_else(|| text.strip_prefix("rp"))
        .unwrap_or(text);
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    if digits.is_empty() {
        return Some(0);
    }
    digits.parse().ok()
}

fn not_a_number(path: String) -> FieldError {
    FieldError {
        field: path,
        code: "not_a_number".to_owned(),
        message_id: t(Lang::Id, Key::NotANumber).to_owned(),
        message_en: t(Lang::En, Key::NotANumber).to_owned(),
    }
}

/// The entry as typed, or the amounts that are not numbers.
fn typed_fund(
    village: &str,
    year: i32,
    amounts: &[Amount],
) -> Result<VillageFund, Vec<FieldError>> {
    let mut fund = VillageFund::empty(village, year);
    let mut errors = Vec::new();
    for amount in amounts {
        match parse_rupiah(&amount.text.get_untracked()) {
            Some(value) => {
                let allocation = fund.allocation_mut(amount.bidang);
                if amount.stunting {
                    allocation.stunting_rupiah = value;
                } else {
                    allocation.total_rupiah = value;
                }
            }
            None => errors.push(not_a_number(amount.path())),
        }
    }
    if errors.is_empty() {
        Ok(fund)
    } else {
        Err(errors)
    }
}

/// The entry form for `village` and `year`, filled with what the device holds.
#[component]
pub fn DanaDesaForm(village: String, year: i32) -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let record_id = village_fund_id(&village, year);
    let stored: Option<VillageFund> = ctx.db.with_value(|db| {
        let state = db.snapshot();
        let record = state.records.get(&record_id).filter(|r| !r.deleted)?;
        serde_json::from_value(record.body.clone()).ok()
    });
    let entry = stored.unwrap_or_else(|| VillageFund::empty(&village, year));
    let amounts: Vec<Amount> = Bidang::ALL
        .into_iter()
        .flat_map(|bidang| {
            let allocation = entry.allocation(bidang);
            [
                (false, allocation.total_rupiah),
                (true, allocation.stunting_rupiah),
            ]
            .map(|(stunting, value)| Amount {
                bidang,
                stunting,
                text: RwSignal::new(if value == 0 {
                    String::new()
                } else {
                    value.to_string()
                }),
            })
        })
        .collect();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let fields = amounts.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let checked = typed_fund(&village, year, &fields)
            .and_then(|fund| fund.validate(forms::today().year()).map(|()| fund));
        let body = checked.map(|fund| serde_json::to_value(&fund));
        let body = match body {
            Ok(Ok(body)) => body,
            Ok(Err(_)) => return,
            Err(found) => {
                errors.set(found);
                return;
            }
        };
        errors.set(Vec::new());
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(EntityKind::VillageFund, record_id, Operation::Upsert, body)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                saved.set(true);
            }
        });
    };
    view! {
        <details class="card dana-desa-form no-print" data-testid="dana-desa-form">
            <summary data-testid="dana-desa-open">{move || msg::dana_desa_edit(lang.get(), &year)}</summary>
            <form on:submit=save>
                {Bidang::ALL.into_iter().map(|bidang| {
                    let name = move || match lang.get() {
                        Lang::Id => bidang.label_id(),
                        Lang::En => bidang.label_en(),
                    };
                    let inputs = amounts
                        .iter()
                        .filter(|a| a.bidang == bidang)
                        .map(|a| amount_field(*a, errors))
                        .collect_view();
                    view! { <fieldset><legend>{name}</legend>{inputs}</fieldset> }
                }).collect_view()}
                <button type="submit" class="primary wide" data-testid="dana-desa-save">{tr(Key::Save)}</button>
                <Show when=move || saved.get()>
                    <p class="muted" data-testid="dana-desa-saved" role="status">{tr(Key::SavedOnPhone)}</p>
                </Show>
            </form>
        </details>
    }
}

/// One amount with the message of the shared rule (or the number check) under it.
fn amount_field(amount: Amount, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    let path = amount.path();
    let (error_path, input_id, error_id) = (
        path.clone(),
        format!("field-{path}"),
        format!("error-{path}"),
    );
    let message = Memo::new(move |_| {
        errors
            .get()
            .into_iter()
            .find(|e| e.field == error_path)
            .map(|e| match lang.get() {
                Lang::Id => e.message_id,
                Lang::En => e.message_en,
            })
    });
    let error = move || message.get();
    let text = amount.text;
    view! {
        <label class="field">
            <span class="label">{tr(amount.label())}</span>
            <input
                type="text"
                inputmode="numeric"
                name=path
                data-testid=input_id
                class:invalid=move || error().is_some()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            {move || error().map(|message| view! {
                <span class="error" data-testid=error_id.clone() role="alert">{message}</span>
            })}
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_as_typed() {
        assert_eq!(parse_rupiah(""), Some(0));
        assert_eq!(parse_rupiah("500000000"), Some(500_000_000));
        assert_eq!(parse_rupiah("Rp 75.000.000"), Some(75_000_000));
        assert_eq!(parse_rupiah("1,250,000"), Some(1_250_000));
        assert_eq!(parse_rupiah("-5"), Some(-5));
        assert_eq!(parse_rupiah("lima juta"), None);
    }
}
