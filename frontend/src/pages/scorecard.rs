//! The village scorecard (tables 1-4) for a chosen quarter, computed on the phone from its
//! own records with the same rules the server uses.

use konvergen_shared::recap::{Quarter, Ratio, RuleSet};
use konvergen_shared::scorecard::{AreaData, Scorecard, scorecard};
use konvergen_shared::sync::EntityKind;
use konvergen_shared::sync::outbox::DeviceState;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::AppCtx;
use crate::forms;
use crate::i18n::{Key, msg, tr, use_lang};

/// Records of the device as scorecard input.
pub fn area_data(state: &DeviceState) -> AreaData {
    fn decoded<T: DeserializeOwned>(body: &serde_json::Value) -> Option<T> {
        serde_json::from_value(body.clone()).ok()
    }
    let mut data = AreaData::default();
    for record in state.records.values().filter(|r| !r.deleted) {
        let id = konvergen_shared::ids::PersonId(record.record_id);
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

fn percent(ratio: Ratio) -> String {
    ratio
        .percent_1dp()
        .map_or_else(|| "–".to_owned(), |p| format!("{p} %"))
}

/// The scorecard screen.
#[component]
pub fn ScorecardPage() -> impl IntoView {
    let lang = use_lang();
    let ctx = AppCtx::get();
    let today = forms::today();
    let quarter = RwSignal::new(
        Quarter::new(today.year(), (today.month() as u8 - 1) / 3 + 1).unwrap_or(Quarter {
            year: today.year(),
            quarter: 1,
        }),
    );
    let card = Memo::new(move |_| {
        scorecard(
            &RuleSet::default(),
            quarter.get(),
            &area_data(&ctx.state()),
            Vec::new(),
        )
    });
    let shift = move |delta: i32| {
        quarter.update(|q| {
            let index = q.year * 4 + i32::from(q.quarter) - 1 + delta;
            *q = Quarter {
                year: index.div_euclid(4),
                quarter: index.rem_euclid(4) as u8 + 1,
            };
        });
    };
    view! {
        <section class="scorecard">
            <h2>{tr(Key::Scorecard)}</h2>
            <div class="quarter">
                <button class="secondary" data-testid="quarter-prev" on:click=move |_| shift(-1)>"‹"</button>
                <strong data-testid="quarter">{move || msg::quarter_heading(lang.get(), &quarter.get().quarter, &quarter.get().year)}</strong>
                <button class="secondary" data-testid="quarter-next" on:click=move |_| shift(1)>"›"</button>
            </div>
            {move || tables(&card.get())}
        </section>
    }
}

fn tables(card: &Scorecard) -> impl IntoView + use<> {
    let t1 = card.targets;
    let rows1 = vec![
        (Key::Households1000, t1.households_1000hpk, "t1-households"),
        (Key::PregnantCount, t1.pregnant, "t1-pregnant"),
        (Key::KekRisti, t1.pregnant_kek_risti, "t1-kek"),
        (Key::ChildrenCount, t1.children, "t1-children"),
        (Key::StatusGK, t1.children_undernourished, "t1-gk"),
        (Key::StatusGB, t1.children_severely_undernourished, "t1-gb"),
        (Key::StatusS, t1.children_stunted, "t1-stunted"),
    ];
    let mat = card.growth_mat;
    let coverage = card.coverage.clone();
    let tkd = card.convergence;
    let complete = card.households_complete;
    view! {
        <h3>{tr(Key::Table1)}</h3>
        <table data-testid="table1">
            {rows1.into_iter().map(|(key, value, id)| view! { <tr><td>{tr(key)}</td><td data-testid=id>{value}</td></tr> }).collect_view()}
        </table>
        <h3>{tr(Key::Table2)}</h3>
        <table data-testid="table2">
            <tr><td>{tr(Key::MatGreen)}</td><td>{mat.green}</td></tr>
            <tr><td>{tr(Key::MatYellow)}</td><td>{mat.yellow}</td></tr>
            <tr><td>{tr(Key::MatRed)}</td><td>{mat.red}</td></tr>
        </table>
        <h3>{tr(Key::Table3)}</h3>
        <table data-testid="table3">
            <tr><td></td><th>{tr(Key::Received)}</th><th>{tr(Key::Target)}</th><th>{tr(Key::Coverage)}</th></tr>
            {coverage.into_iter().map(|c| view! {
                <tr data-testid=format!("t3-{}", c.indicator.code())>
                    <td title=c.indicator.label_id()>{c.indicator.code()}</td>
                    <td>{c.received}</td><td>{c.applicable}</td><td>{percent(c.ratio())}</td>
                </tr>
            }).collect_view()}
        </table>
        <h3>{tr(Key::Table4)}</h3>
        <table data-testid="table4">
            <tr><td>{tr(Key::PregnantCount)}</td><td data-testid="tkd-pregnant">{percent(tkd.pregnant)}</td></tr>
            <tr><td>{tr(Key::ChildrenCount)}</td><td data-testid="tkd-children">{percent(tkd.children)}</td></tr>
            <tr><td>{tr(Key::Total)}</td><td data-testid="tkd-total">{percent(tkd.total)}</td></tr>
            <tr><td>{tr(Key::CompletePackage)}</td><td data-testid="complete">{percent(complete)}</td></tr>
        </table>
        <p class="muted">{format!("rule set: {}", card.rule_set_id)}</p>
    }
}
