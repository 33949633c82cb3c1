//! Aggregates for the district and the province: every village's scorecard and latest
//! measurements, summed exactly (counts, never averages of percentages) up to the rows asked.

use std::collections::{BTreeMap, HashMap};

use konvergen_shared::aggregates::{AggregateReport, AggregateRow, Anthropometry, Freshness};
use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::ids::PersonId;
use konvergen_shared::recap::{Quarter, RuleSet};
use konvergen_shared::register::Child;
use konvergen_shared::scorecard::{AreaData, scorecard};
use rusqlite::{Connection, params};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::DbResult;
use super::regions::name_of;

/// One village's records, decoded.
#[derive(Debug, Default)]
struct Village {
    data: AreaData,
    measurements: Vec<MeasurementRecord>,
}

/// The report for `area` (a region code) and `quarter`; rows one level below the area.
pub fn report(
    conn: &Connection,
    area: &str,
    quarter: Quarter,
    rules: &RuleSet,
    quarter_end_ms: i64,
) -> DbResult<AggregateReport> {
    let villages = load(conn, area)?;
    let row_parts = (area.split('.').count() + 1).min(4);
    let mut rows: BTreeMap<String, AggregateRow> = BTreeMap::new();
    for (code, village) in &villages {
        let row_code = code
            .split('.')
            .take(row_parts)
            .collect::<Vec<_>>()
            .join(".");
        let figures = village_row(code, village, quarter, rules);
        rows.entry(row_code.clone())
            .or_insert_with(|| AggregateRow::empty(&row_code, ""))
            .add(&figures);
    }
    let mut area_row = AggregateRow::empty(area, &name_of(conn, area)?.unwrap_or_default());
    for row in rows.values_mut() {
        row.name = name_of(conn, &row.code)?.unwrap_or_default();
        row.freshness = freshness(conn, &row.code, quarter_end_ms)?;
        area_row.add(row);
    }
    area_row.freshness = freshness(conn, area, quarter_end_ms)?;
    Ok(AggregateReport {
        quarter,
        rule_set_id: rules.id.clone(),
        area: area_row,
        rows: rows.into_values().collect(),
    })
}

fn village_row(code: &str, village: &Village, quarter: Quarter, rules: &RuleSet) -> AggregateRow {
    let card = scorecard(rules, quarter, &village.data, Vec::new());
    let mut row = AggregateRow::empty(code, "");
    row.villages = 1;
    row.households_1000hpk = card.targets.households_1000hpk;
    row.coverage = card.coverage;
    row.tkd_pregnant = card.convergence.pregnant;
    row.tkd_children = card.convergence.children;
    row.tkd_total = card.convergence.total;
    row.households_complete = card.households_complete;
    row.anthropometry = anthropometry(village, quarter);
    row
}

/// The latest measurement in the quarter of each child under five.
fn anthropometry(village: &Village, quarter: Quarter) -> Anthropometry {
    let children: HashMap<PersonId, &Child> = village
        .data
        .children
        .iter()
        .map(|(id, c)| (*id, c))
        .collect();
    let first = quarter.months()[0].first_day();
    let last = quarter.last_day();
    let mut latest: HashMap<PersonId, &MeasurementRecord> = HashMap::new();
    for m in village
        .measurements
        .iter()
        .filter(|m| (first..=last).contains(&m.measured_on))
    {
        let newer = latest
            .get(&m.child_id)
            .is_none_or(|current| m.measured_on > current.measured_on);
        if newer {
            latest.insert(m.child_id, m);
        }
    }
    let mut figures = Anthropometry::default();
    for (child_id, measurement) in latest {
        if let Some(child) = children.get(&child_id) {
            figures.count(&measurement.anthro(child.sex, child.birth_date));
        }
    }
    figures
}

/// Cadre devices in the area, how many synced after the quarter ended, and what they
/// reported as still waiting.
fn freshness(conn: &Connection, area: &str, quarter_end_ms: i64) -> DbResult<Freshness> {
    let (low, high) = (format!("{area}."), format!("{area}/"));
    let (devices, synced, pending): (i64, i64, i64) = conn.query_row(
        "SELECT count(*),
                coalesce(sum(max(coalesce(d.last_push_at, 0), coalesce(d.last_pull_at, 0)) > ?3), 0),
                coalesce(sum(coalesce(d.outbox_size, 0)), 0)
         FROM device d
         WHERE d.user_id IN (SELECT a.user_id FROM user_area a JOIN user u ON u.id = a.user_id
                             WHERE u.role = 'cadre'
                               AND (a.region_code = ?4 OR (a.region_code > ?1 AND a.region_code < ?2)))",
        params![low, high, quarter_end_ms, area],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(Freshness {
        devices: devices.unsigned_abs(),
        synced_since_quarter_end: synced.unsigned_abs(),
        pending_reported: pending.unsigned_abs(),
    })
}

fn load(conn: &Connection, area: &str) -> DbResult<BTreeMap<String, Village>> {
    let (low, high) = (format!("{area}."), format!("{area}/"));
    let mut stmt = conn.prepare(
        "SELECT entity, id, village_code, body FROM record
         WHERE deleted = 0 AND (village_code = ?3 OR (village_code > ?1 AND village_code < ?2))",
    )?;
    let mut rows = stmt.query(params![low, high, area])?;
    let mut villages: BTreeMap<String, Village> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let (entity, id, village, body): (String, String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let Ok(id) = Uuid::parse_str(&id) else {
            continue;
        };
        let target = villages.entry(village).or_default();
        add_record(target, &entity, id, &body);
    }
    Ok(villages)
}

/// Files one stored record under its village; bodies were validated on the way in, so a
/// body that no longer decodes (an older schema) is skipped rather than failing the report.
fn add_record(village: &mut Village, entity: &str, id: Uuid, body: &str) {
    fn decoded<T: DeserializeOwned>(body: &str) -> Option<T> {
        serde_json::from_str(body).ok()
    }
    let data = &mut village.data;
    match entity {
        "pregnant_woman" => data
            .pregnant
            .extend(decoded(body).map(|w| (PersonId(id), w))),
        "child" => data
            .children
            .extend(decoded(body).map(|c| (PersonId(id), c))),
        "paud_child" => data.paud.extend(decoded(body).map(|c| (PersonId(id), c))),
        "form2a" => data.form2a.extend(decoded(body)),
        "form2b" => data.form2b.extend(decoded(body)),
        "form2c" => data.form2c.extend(decoded(body)),
        "measurement" => village.measurements.extend(decoded(body)),
        _ => {}
    }
}
