//! Which devices and villages have synced, and what is stuck: filterable by kecamatan,
//! sortable by column, with the "silent for more than N days" threshold chosen on screen.

use std::collections::BTreeMap;

use konvergen_shared::supervision::{DeviceStatus, SyncStatus};
use leptos::prelude::*;

use super::api::{self, Fetched};
use super::{cache_note, when};
use crate::i18n::{Key, tr, use_lang};
use crate::session::Session;

const SILENT_DAYS_KEY: &str = "konvergen.desk.silent-days";
const DEFAULT_SILENT_DAYS: u32 = 7;

/// Columns the device table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Cadre,
    District,
    LastContact,
    Backlog,
}

/// What the user chose to see.
#[derive(Debug, Clone, Copy)]
struct Controls {
    district: RwSignal<String>,
    sort: RwSignal<(SortBy, bool)>,
}

/// The sync-status tables of the supervisor's area.
#[component]
pub fn StatusView(session: Session) -> impl IntoView {
    let token = StoredValue::new(session.token);
    let silent_days = RwSignal::new(stored_silent_days());
    let controls = Controls {
        district: RwSignal::new(String::new()),
        sort: RwSignal::new((SortBy::Cadre, true)),
    };
    let status = LocalResource::new(move || {
        let (token, days) = (token.get_value(), silent_days.get());
        async move {
            let path = format!("/api/v1/supervision/sync-status?silent_days={days}");
            api::get::<SyncStatus>(&token, &path).await
        }
    });
    let set_days = move |ev| {
        if let Ok(days) = event_target_value(&ev).trim().parse::<u32>() {
            let days = days.min(365);
            super::store_local(SILENT_DAYS_KEY, &days.to_string());
            silent_days.set(days);
        }
    };
    view! {
        <section data-testid="status-view">
            <label class="field inline"><span class="label">{tr(Key::SilentDays)}</span>
                <input type="number" min="0" max="365" inputmode="numeric" data-testid="silent-days"
                    prop:value=move || silent_days.get().to_string() on:change=set_days />
            </label>
            {move || status.get().map(|result| match result {
                Ok(Fetched { data, cached_at_ms }) => view! { {cache_note(cached_at_ms)} {tables(data, controls)} }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

fn stored_silent_days() -> u32 {
    super::load_local(SILENT_DAYS_KEY)
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SILENT_DAYS)
}

/// Kecamatan code of a village code (`63.03.05.2009` → `63.03.05`).
fn district_of(village: &str) -> &str {
    village
        .rsplit_once('.')
        .map_or(village, |(district, _)| district)
}

fn tables(status: SyncStatus, controls: Controls) -> impl IntoView {
    let districts: BTreeMap<String, String> = status
        .villages
        .iter()
        .map(|v| (v.district_code.clone(), v.district_name.clone()))
        .collect();
    let options = districts
        .iter()
        .map(|(code, name)| {
            let code = code.clone();
            let selected = code.clone();
            view! { <option value=code selected=move || controls.district.get() == selected>{name.clone()}</option> }
        })
        .collect_view();
    let villages = StoredValue::new(status.villages);
    let devices = StoredValue::new(status.devices);
    let districts = StoredValue::new(districts);
    let in_district = move |code: &str| {
        let chosen = controls.district.get();
        chosen.is_empty() || district_of(code) == chosen
    };
    let missing = move || {
        villages.with_value(|all| {
            all.iter()
                .filter(|v| !v.synced_this_month && in_district(&v.code))
                .map(|v| format!("{} ({})", v.name, v.district_name))
                .collect::<Vec<_>>()
        })
    };
    let rows = move || {
        let mut shown: Vec<DeviceStatus> = devices.with_value(|all| {
            all.iter()
                .filter(|d| d.villages.iter().any(|v| in_district(v)))
                .cloned()
                .collect()
        });
        let (by, ascending) = controls.sort.get();
        districts.with_value(|names| sort_devices(&mut shown, by, names));
        if !ascending {
            shown.reverse();
        }
        shown
            .into_iter()
            .map(|d| device_row(d, districts))
            .collect_view()
    };
    view! {
        <label class="field inline"><span class="label">{tr(Key::District)}</span>
            <select data-testid="district-filter" on:change=move |ev| controls.district.set(event_target_value(&ev))>
                <option value="">{tr(Key::AllDistricts)}</option>
                {options}
            </select>
        </label>
        <h2>{tr(Key::VillagesNotSent)}</h2>
        {move || {
            let missing = missing();
            if missing.is_empty() {
                view! { <p data-testid="all-sent">{tr(Key::AllVillagesSent)}</p> }.into_any()
            } else {
                view! { <ul class="list small" data-testid="villages-not-sent">{missing.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul> }.into_any()
            }
        }}
        <h2>{tr(Key::Devices)}</h2>
        <div class="table-scroll wraps" tabindex="0" role="region" aria-label=tr(Key::Devices)>
        <table data-testid="device-table">
            <tr>
                {sort_header(controls, SortBy::Cadre, Key::Cadre, "sort-cadre")}
                {sort_header(controls, SortBy::District, Key::District, "sort-district")}
                {sort_header(controls, SortBy::LastContact, Key::LastContact, "sort-last-contact")}
                {sort_header(controls, SortBy::Backlog, Key::Backlog, "sort-backlog")}
                <th>{tr(Key::KnownLoss)}</th>
            </tr>
            {rows}
        </table>
        </div>
    }
}

fn sort_devices(devices: &mut [DeviceStatus], by: SortBy, districts: &BTreeMap<String, String>) {
    let district_name = |d: &DeviceStatus| {
        d.villages
            .first()
            .and_then(|v| districts.get(district_of(v)))
            .cloned()
            .unwrap_or_default()
    };
    match by {
        SortBy::Cadre => devices.sort_by_cached_key(|d| d.display_name.to_lowercase()),
        SortBy::District => devices.sort_by_cached_key(district_name),
        SortBy::LastContact => devices.sort_by_key(|d| d.last_push_ms.max(d.last_pull_ms)),
        SortBy::Backlog => devices.sort_by_key(|d| d.outbox_size.unwrap_or(0)),
    }
}

/// A header cell that sorts by its column; a second click reverses the order.
fn sort_header(controls: Controls, by: SortBy, key: Key, id: &'static str) -> impl IntoView {
    let arrow = move || match controls.sort.get() {
        (current, true) if current == by => " ▲",
        (current, false) if current == by => " ▼",
        _ => "",
    };
    view! {
        <th>
            <button class="link" data-testid=id on:click=move |_| controls.sort.update(|(current, ascending)| {
                *ascending = *current != by || !*ascending;
                *current = by;
            })>{tr(key)}{arrow}</button>
        </th>
    }
}

fn device_row(d: DeviceStatus, districts: StoredValue<BTreeMap<String, String>>) -> impl IntoView {
    let lang = use_lang();
    let district = districts.with_value(|names| {
        let mut seen: Vec<String> = d
            .villages
            .iter()
            .filter_map(|v| names.get(district_of(v)).cloned())
            .collect();
        seen.dedup();
        seen.join(", ")
    });
    let contact = d.last_push_ms.max(d.last_pull_ms);
    view! {
        <tr data-testid="device-row" class:flag={d.backlog || d.silent || d.known_lost_mutations > 0}
            data-backlog=d.backlog.to_string() data-silent=d.silent.to_string() data-user=d.username>
            <td>{d.display_name}<br/><span class="muted">{d.villages.join(", ")}</span></td>
            <td data-testid="device-district">{district}</td>
            <td>{move || when(lang.get(), contact)}{d.silent.then(|| view! { <br/><span class="warning" data-testid="silent-flag">{tr(Key::Silent)}</span> })}</td>
            <td data-testid="device-backlog">{d.outbox_size.unwrap_or(0)}</td>
            <td>{d.known_lost_mutations}</td>
        </tr>
    }
}
