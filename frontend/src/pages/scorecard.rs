//! The village scorecard (tables 1-5) for a chosen quarter, computed on the phone from its
//! own records with the same rules the server uses, and printable for the village head and
//! the rembuk desa.

mod dana_desa;

use std::collections::{BTreeMap, HashMap};

use konvergen_shared::api::Area;
use konvergen_shared::ids::PersonId;
use konvergen_shared::recap::{Coverage, Indicator, Quarter, Ratio, RuleSet};
use konvergen_shared::scorecard::{
    AreaData, DanaDesaLine, Scorecard, VillageFund, dana_desa_total, missed_by_indicator,
    scorecard, village_fund_id,
};
use konvergen_shared::sync::EntityKind;
use konvergen_shared::sync::outbox::DeviceState;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use time::Date;

use crate::AppCtx;
use crate::forms;
use crate::i18n::{Key, Lang, msg, t, tr, use_lang};

fn decoded<T: DeserializeOwned>(body: &serde_json::Value) -> Option<T> {
    serde_json::from_value(body.clone()).ok()
}

/// Records of the device as scorecard input.
pub fn area_data(state: &DeviceState) -> AreaData {
    let mut data = AreaData::default();
    for record in state.records.values().filter(|r| !r.deleted) {
        let id = PersonId(record.record_id);
        match record.entity {
            EntityKind::PregnantWoman => {
                data.pregnant.extend(decoded(&record.body).map(|w| (id, w)));
            }
            EntityKind::Child => data.children.extend(decoded(&record.body).map(|c| (id, c))),
            EntityKind::PaudChild => data.paud.extend(decoded(&record.body).map(|c| (id, c))),
            EntityKind::Form2a => data.form2a.extend(decoded(&record.body)),
            EntityKind::Form2b => data.form2b.extend(decoded(&record.body)),
            EntityKind::Form2c => data.form2c.extend(decoded(&record.body)),
            _ => {}
        }
    }
    data
}

/// The village's Dana Desa entry for `year` on this device, if any.
fn fund_of(state: &DeviceState, village: &str, year: i32) -> Option<VillageFund> {
    let record = state.records.get(&village_fund_id(village, year))?;
    (!record.deleted).then(|| decoded(&record.body)).flatten()
}

/// The name of every registered person, for the lists of who missed an indicator.
fn person_names(data: &AreaData) -> HashMap<PersonId, String> {
    let women = data.pregnant.iter().map(|(id, w)| (*id, w.name.clone()));
    let children = data.children.iter().map(|(id, c)| (*id, c.name.clone()));
    let paud = data.paud.iter().map(|(id, c)| (*id, c.name.clone()));
    women.chain(children).chain(paud).collect()
}

/// Everything the screen shows for one quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    card: Scorecard,
    /// Per indicator, the names of those who should have received it and did not.
    missed: BTreeMap<Indicator, Vec<String>>,
    /// Whether the village has entered its Dana Desa for the quarter's year.
    fund_entered: bool,
}

fn shown(state: &DeviceState, village: &str, quarter: Quarter) -> Shown {
    let data = area_data(state);
    let fund = fund_of(state, village, quarter.year);
    // Not entered yet: both fields show, at zero, so the printed table keeps its shape.
    let lines = fund.as_ref().map_or_else(
        || VillageFund::empty(village, quarter.year).lines(),
        VillageFund::lines,
    );
    let card = scorecard(&RuleSet::default(), quarter, &data, lines);
    let names = person_names(&data);
    let missed = missed_by_indicator(&card.persons)
        .into_iter()
        .map(|(indicator, ids)| {
            let mut list: Vec<String> = ids
                .iter()
                .map(|id| names.get(id).cloned().unwrap_or_else(|| id.to_string()))
                .collect();
            konvergen_shared::sort::sort_by(&mut list, |a, b| a.cmp(b));
            (indicator, list)
        })
        .collect();
    Shown {
        card,
        missed,
        fund_entered: fund.is_some(),
    }
}

/// The cadre's village (the first village of the account's areas).
fn own_village(ctx: AppCtx) -> Area {
    ctx.session.with_value(|s| {
        let areas = &s.me.areas;
        areas
            .iter()
            .find(|a| a.level == "village")
            .or_else(|| areas.first())
            .cloned()
            .unwrap_or(Area {
                code: String::new(),
                name: String::new(),
                level: String::new(),
            })
    })
}

fn percent(ratio: Ratio) -> String {
    ratio
        .percent_1dp()
        .map_or_else(|| "–".to_owned(), |p| format!("{p} %"))
}

/// Rupiah with dots between thousands, as Indonesian budgets write them (`75.000.000`).
fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push('.');
        }
        text.push(digit);
    }
    text
}

/// A date as printed on Indonesian documents (`21-05-2026`).
fn printed_date(date: Date) -> String {
    format!(
        "{:02}-{:02}-{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// The indicator's short name in `lang`, free to wrap after a slash: on a phone,
/// "kurang/buruk/stunting" otherwise breaks inside a word.
fn indicator_label(indicator: Indicator, lang: Lang) -> String {
    let label = match lang {
        Lang::Id => indicator.label_id(),
        Lang::En => indicator.label_en(),
    };
    label.replace('/', "/\u{200B}")
}

fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The scorecard screen.
#[component]
pub fn ScorecardPage() -> impl IntoView {
    let lang = use_lang();
    let ctx = AppCtx::get();
    let today = forms::today();
    let village = own_village(ctx);
    let quarter = RwSignal::new(
        Quarter::new(today.year(), (today.month() as u8 - 1) / 3 + 1).unwrap_or(Quarter {
            year: today.year(),
            quarter: 1,
        }),
    );
    let code = village.code.clone();
    let view_data = Memo::new(move |_| shown(&ctx.state(), &code, quarter.get()));
    let shift = move |delta: i32| {
        quarter.update(|q| {
            let index = q.year * 4 + i32::from(q.quarter) - 1 + delta;
            *q = Quarter {
                year: index.div_euclid(4),
                quarter: index.rem_euclid(4) as u8 + 1,
            };
        });
    };
    let year = Memo::new(move |_| quarter.get().year);
    let form_village = village.code.clone();
    view! {
        <section class="scorecard">
            <h2>{tr(Key::Scorecard)}</h2>
            <p class="village" data-testid="scorecard-village">{format!("{} ({})", village.name, village.code)}</p>
            <div class="quarter">
                <button class="secondary no-print" data-testid="quarter-prev" on:click=move |_| shift(-1)>"‹"</button>
                <strong data-testid="quarter">{move || msg::quarter_heading(lang.get(), &quarter.get().quarter, &quarter.get().year)}</strong>
                <button class="secondary no-print" data-testid="quarter-next" on:click=move |_| shift(1)>"›"</button>
                <button class="secondary no-print" data-testid="print" on:click=move |_| print_page()>{tr(Key::Print)}</button>
            </div>
            <p class="print-only" data-testid="printed-on">{move || msg::printed_on(lang.get(), &printed_date(today))}</p>
            {move || tables(&view_data.get(), lang.get())}
            {move || {
                let year = year.get();
                view! { <dana_desa::DanaDesaForm village=form_village.clone() year=year /> }
            }}
        </section>
    }
}

fn tables(shown: &Shown, lang: Lang) -> impl IntoView + use<> {
    let card = &shown.card;
    view! {
        {table1(card)}
        {table2(card)}
        {table3(&card.coverage, &shown.missed, lang)}
        {table4(card)}
        {table5(&card.dana_desa, shown.fund_entered)}
        <p class="muted">{msg::rule_set(lang, &card.rule_set_id)}</p>
    }
}

fn table1(card: &Scorecard) -> impl IntoView + use<> {
    let t1 = card.targets;
    let rows = vec![
        (Key::Households1000, t1.households_1000hpk, "t1-households"),
        (Key::PregnantCount, t1.pregnant, "t1-pregnant"),
        (Key::KekRisti, t1.pregnant_kek_risti, "t1-kek"),
        (Key::ChildrenCount, t1.children, "t1-children"),
        (Key::StatusGK, t1.children_undernourished, "t1-gk"),
        (Key::StatusGB, t1.children_severely_undernourished, "t1-gb"),
        (Key::StatusS, t1.children_stunted, "t1-stunted"),
    ];
    view! {
        <h3>{tr(Key::Table1)}</h3>
        <table data-testid="table1">
            {rows.into_iter().map(|(key, value, id)| view! {
                <tr><td>{tr(key)}</td><td class="number" data-testid=id>{value}</td></tr>
            }).collect_view()}
        </table>
    }
}

fn table2(card: &Scorecard) -> impl IntoView + use<> {
    let mat = card.growth_mat;
    view! {
        <h3>{tr(Key::Table2)}</h3>
        <table data-testid="table2">
            <tr><td>{tr(Key::MatGreen)}</td><td class="number">{mat.green}</td></tr>
            <tr><td>{tr(Key::MatYellow)}</td><td class="number">{mat.yellow}</td></tr>
            <tr><td>{tr(Key::MatRed)}</td><td class="number">{mat.red}</td></tr>
        </table>
    }
}

fn table3(
    coverage: &[Coverage],
    missed: &BTreeMap<Indicator, Vec<String>>,
    lang: Lang,
) -> impl IntoView + use<> {
    let rows: Vec<_> = coverage
        .iter()
        .map(|c| {
            let names = missed.get(&c.indicator).cloned().unwrap_or_default();
            indicator_row(*c, names, lang)
        })
        .collect();
    view! {
        <h3>{tr(Key::Table3)}</h3>
        <table class="t3" data-testid="table3">
            <colgroup><col class="indicator" /><col class="count" /><col class="share" /></colgroup>
            <tr>
                <th>{tr(Key::Indicator)}</th>
                <th class="number">{tr(Key::Received)}" / "{tr(Key::Target)}</th>
                <th class="number">{tr(Key::Coverage)}</th>
            </tr>
            {rows}
        </table>
    }
}

/// One indicator of Tabel 3: code and name, and when someone missed it, a list to open.
fn indicator_row(c: Coverage, missed: Vec<String>, lang: Lang) -> impl IntoView {
    let code = c.indicator.code();
    let name = view! {
        <span class="code">{code}</span>" "<span class="name" data-testid="indicator-name">{indicator_label(c.indicator, lang)}</span>
    };
    let label = if missed.is_empty() {
        name.into_any()
    } else {
        view! {
            <details data-testid=format!("missed-{code}")>
                <summary>{name}</summary>
                <p class="missed-heading">{t(lang, Key::MissedHeading)}</p>
                <ul class="missed">
                    {missed.into_iter().map(|person| view! { <li data-testid="missed-person">{person}</li> }).collect_view()}
                </ul>
            </details>
        }
        .into_any()
    };
    view! {
        <tr data-testid=format!("t3-{code}")>
            <td>{label}</td>
            <td class="number" data-testid="t3-count">{format!("{} / {}", c.received, c.applicable)}</td>
            <td class="number">{percent(c.ratio())}</td>
        </tr>
    }
}

fn table4(card: &Scorecard) -> impl IntoView + use<> {
    let tkd = card.convergence;
    let complete = card.households_complete;
    view! {
        <h3>{tr(Key::Table4)}</h3>
        <table data-testid="table4">
            <tr><td>{tr(Key::PregnantCount)}</td><td class="number" data-testid="tkd-pregnant">{percent(tkd.pregnant)}</td></tr>
            <tr><td>{tr(Key::ChildrenCount)}</td><td class="number" data-testid="tkd-children">{percent(tkd.children)}</td></tr>
            <tr><td>{tr(Key::Total)}</td><td class="number" data-testid="tkd-total">{percent(tkd.total)}</td></tr>
            <tr><td>{tr(Key::CompletePackage)}</td><td class="number" data-testid="complete">{percent(complete)}</td></tr>
        </table>
    }
}

/// Tabel 5: per field a heading row, then its amounts; the pooled total last.
fn table5(lines: &[DanaDesaLine], entered: bool) -> impl IntoView + use<> {
    let lang = use_lang();
    let total = dana_desa_total(lines);
    let amounts = |id: String, total: u64, stunting: u64, share: Ratio| {
        view! {
            <tr data-testid=id>
                <td class="number" data-testid="t5-total">{rupiah(total)}</td>
                <td class="number" data-testid="t5-stunting">{rupiah(stunting)}</td>
                <td class="number" data-testid="t5-share">{percent(share)}</td>
            </tr>
        }
    };
    let rows = lines
        .iter()
        .map(|line| {
            let field = line.field;
            let name = move || match lang.get() {
                Lang::Id => field.label_id(),
                Lang::En => field.label_en(),
            };
            view! {
                <tr><th colspan="3" class="bidang">{name}</th></tr>
                {amounts(format!("t5-{}", field.key()), line.total_rupiah, line.stunting_rupiah, line.share())}
            }
        })
        .collect_view();
    view! {
        <h3>{tr(Key::Table5)}</h3>
        <table class="t5" data-testid="table5">
            <colgroup><col class="amount" /><col class="amount" /><col class="share" /></colgroup>
            <tr>
                <th class="number">{tr(Key::TotalAllocation)}</th>
                <th class="number">{tr(Key::StuntingAllocation)}</th>
                <th class="number">{tr(Key::Share)}</th>
            </tr>
            {rows}
            <tr><th colspan="3" class="bidang">{tr(Key::Total)}</th></tr>
            {amounts("t5-all".to_owned(), total.den, total.num, total)}
        </table>
        {(!entered).then(|| view! { <p class="muted" data-testid="t5-not-entered">{tr(Key::NotEntered)}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(0), "0");
        assert_eq!(rupiah(999), "999");
        assert_eq!(rupiah(1_000), "1.000");
        assert_eq!(rupiah(75_000_000), "75.000.000");
        assert_eq!(rupiah(1_250_000_000), "1.250.000.000");
    }
}
