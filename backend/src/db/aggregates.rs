//! Aggregates for the district and the province: every village's scorecard and latest
//! measurements, summed exactly (counts, never averages of percentages) up to the rows asked.
//!
//! Reports are incremental: each village's figures for a quarter are kept in
//! `village_figures` together with the village's newest `change_seq` at the time. A report
//! recomputes only the villages written to since, so its cost follows the number of villages
//! in the area, not the number of records or months of history behind them.

use std::collections::{BTreeMap, HashMap};

use konvergen_shared::aggregates::{
    AggregateReport, AggregateRow, Anthropometry, Freshness, HouseholdReport, HouseholdRow,
    MemberRow, TrendPoint, TrendReport,
};
use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::ids::{HouseholdId, PersonId};
use konvergen_shared::recap::{Outcome, PersonRecap, Quarter, RuleSet};
use konvergen_shared::register::{Child, Household};
use konvergen_shared::scorecard::{AreaData, VillageFund, dana_desa_total, recaps, scorecard};
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
    households: Vec<(HouseholdId, Household)>,
    /// Tabel 5 entries, one per budget year.
    funds: Vec<VillageFund>,
}

/// A village with data and the newest change written to it.
#[derive(Debug, Clone)]
struct VillageVersion {
    code: String,
    change_seq: i64,
}

/// The report for `area` (a region code) and `quarter`; rows one level below the area.
pub fn report(
    conn: &Connection,
    area: &str,
    quarter: Quarter,
    rules: &RuleSet,
    quarter_end_ms: i64,
) -> DbResult<AggregateReport> {
    let figures = village_figures(conn, area, &[quarter], rules)?;
    let row_parts = (area.split('.').count() + 1).min(4);
    let mut rows: BTreeMap<String, AggregateRow> = BTreeMap::new();
    for village in figures.get(&quarter).into_iter().flatten() {
        let row_code = village
            .code
            .split('.')
            .take(row_parts)
            .collect::<Vec<_>>()
            .join(".");
        rows.entry(row_code.clone())
            .or_insert_with(|| AggregateRow::empty(&row_code, ""))
            .add(village);
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

/// The area's headline figures for each of `quarters` (given oldest first).
pub fn trend(
    conn: &Connection,
    area: &str,
    quarters: &[Quarter],
    rules: &RuleSet,
) -> DbResult<TrendReport> {
    let figures = village_figures(conn, area, quarters, rules)?;
    let points = quarters
        .iter()
        .map(|quarter| {
            let mut total = AggregateRow::empty(area, "");
            for village in figures.get(quarter).into_iter().flatten() {
                total.add(village);
            }
            TrendPoint::of(*quarter, &total)
        })
        .collect();
    Ok(TrendReport {
        area_code: area.to_owned(),
        area_name: name_of(conn, area)?.unwrap_or_default(),
        rule_set_id: rules.id.clone(),
        points,
    })
}

/// The households of one village with each followed member's services in the quarter.
pub fn households(
    conn: &Connection,
    village_code: &str,
    quarter: Quarter,
    rules: &RuleSet,
) -> DbResult<HouseholdReport> {
    let village = load_village(conn, village_code)?;
    let persons = recaps(rules, quarter, &village.data);
    let names = member_names(&village.data);
    let mut members: HashMap<HouseholdId, Vec<MemberRow>> = HashMap::new();
    for person in &persons {
        members
            .entry(person.household_id)
            .or_default()
            .push(member_row(person, &names));
    }
    let mut households: Vec<HouseholdRow> = village
        .households
        .into_iter()
        .map(|(id, household)| {
            let members = members.remove(&id).unwrap_or_default();
            household_row(id, household, members)
        })
        .collect();
    households.sort_by(|a, b| {
        let followed = |row: &HouseholdRow| row.members.iter().all(|m| !m.group.is_1000hpk());
        (followed(a), &a.head_name, a.household_id).cmp(&(
            followed(b),
            &b.head_name,
            b.household_id,
        ))
    });
    Ok(HouseholdReport {
        village_code: village_code.to_owned(),
        village_name: name_of(conn, village_code)?.unwrap_or_default(),
        quarter,
        rule_set_id: rules.id.clone(),
        households,
    })
}

fn member_names(data: &AreaData) -> HashMap<PersonId, String> {
    let women = data.pregnant.iter().map(|(id, w)| (*id, w.name.clone()));
    let children = data.children.iter().map(|(id, c)| (*id, c.name.clone()));
    let paud = data.paud.iter().map(|(id, c)| (*id, c.name.clone()));
    women.chain(children).chain(paud).collect()
}

fn member_row(person: &PersonRecap, names: &HashMap<PersonId, String>) -> MemberRow {
    MemberRow {
        person_id: person.person_id,
        name: names.get(&person.person_id).cloned().unwrap_or_default(),
        group: person.group,
        completeness: person.completeness(),
        missing: person
            .outcomes
            .iter()
            .filter(|(_, outcome)| **outcome == Outcome::T)
            .map(|(indicator, _)| indicator.code().to_owned())
            .collect(),
    }
}

fn household_row(id: HouseholdId, household: Household, members: Vec<MemberRow>) -> HouseholdRow {
    let followed: Vec<&MemberRow> = members.iter().filter(|m| m.group.is_1000hpk()).collect();
    // Same rule as the scorecard: complete when every 1000-HPK member received every
    // applicable service, and there is at least one such member.
    let complete = !followed.is_empty()
        && followed
            .iter()
            .all(|m| m.completeness.den > 0 && m.completeness.num == m.completeness.den);
    HouseholdRow {
        household_id: id,
        head_name: household.head_name,
        dusun: household.dusun,
        rt: household.rt,
        rw: household.rw,
        complete,
        members,
    }
}

/// Every village's figures under `area` for each quarter, recomputing (and storing) only
/// those whose village changed since they were kept.
fn village_figures(
    conn: &Connection,
    area: &str,
    quarters: &[Quarter],
    rules: &RuleSet,
) -> DbResult<HashMap<Quarter, Vec<AggregateRow>>> {
    let villages = villages_with_data(conn, area)?;
    let mut result: HashMap<Quarter, Vec<AggregateRow>> = HashMap::new();
    let mut stale: BTreeMap<String, (i64, Vec<Quarter>)> = BTreeMap::new();
    for quarter in quarters {
        let mut kept = kept_figures(conn, area, *quarter, &rules.id)?;
        for village in &villages {
            match kept.remove(&village.code) {
                Some((seq, row)) if seq == village.change_seq => {
                    result.entry(*quarter).or_default().push(row);
                }
                _ => stale
                    .entry(village.code.clone())
                    .or_insert_with(|| (village.change_seq, Vec::new()))
                    .1
                    .push(*quarter),
            }
        }
    }
    let tx = conn.unchecked_transaction()?;
    for (code, (change_seq, quarters)) in stale {
        let village = load_village(&tx, &code)?;
        for quarter in quarters {
            let row = village_row(&code, &village, quarter, rules);
            keep_figures(&tx, quarter, &rules.id, &code, change_seq, &row)?;
            result.entry(quarter).or_default().push(row);
        }
    }
    tx.commit()?;
    // A village whose records were all deleted has a change but no figures.
    for rows in result.values_mut() {
        rows.retain(|row| row.villages > 0);
    }
    Ok(result)
}

/// Villages under `area` that have ever had a record, with their newest change. Each
/// lookup is one seek on the (village_code, change_seq) index.
fn villages_with_data(conn: &Connection, area: &str) -> DbResult<Vec<VillageVersion>> {
    let (low, high) = (format!("{area}."), format!("{area}/"));
    let mut stmt = conn.prepare_cached(
        "SELECT code, (SELECT max(change_seq) FROM record WHERE village_code = region.code)
         FROM region
         WHERE level = 'village' AND (code = ?3 OR (code > ?1 AND code < ?2))",
    )?;
    let rows = stmt.query_map(params![low, high, area], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, Option<i64>>(1)?))
    })?;
    let mut villages = Vec::new();
    for row in rows {
        if let (code, Some(change_seq)) = row? {
            villages.push(VillageVersion { code, change_seq });
        }
    }
    Ok(villages)
}

/// Figures kept for the quarter under `area`, by village, with the change they reflect.
fn kept_figures(
    conn: &Connection,
    area: &str,
    quarter: Quarter,
    rule_set_id: &str,
) -> DbResult<HashMap<String, (i64, AggregateRow)>> {
    let (low, high) = (format!("{area}."), format!("{area}/"));
    let mut stmt = conn.prepare_cached(
        "SELECT village_code, change_seq, figures FROM village_figures
         WHERE year = ?1 AND quarter = ?2 AND rule_set_id = ?3
           AND (village_code = ?6 OR (village_code > ?4 AND village_code < ?5))",
    )?;
    let rows = stmt.query_map(
        params![quarter.year, quarter.quarter, rule_set_id, low, high, area],
        |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut kept = HashMap::new();
    for row in rows {
        let (code, change_seq, figures) = row?;
        // Figures from an older build that no longer decode are simply recomputed.
        if let Ok(row) = serde_json::from_str::<AggregateRow>(&figures) {
            kept.insert(code, (change_seq, row));
        }
    }
    Ok(kept)
}

fn keep_figures(
    conn: &Connection,
    quarter: Quarter,
    rule_set_id: &str,
    village_code: &str,
    change_seq: i64,
    row: &AggregateRow,
) -> DbResult<()> {
    let figures = serde_json::to_string(row).map_err(anyhow::Error::from)?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO village_figures
             (year, quarter, rule_set_id, village_code, change_seq, figures)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        quarter.year,
        quarter.quarter,
        rule_set_id,
        village_code,
        change_seq,
        figures
    ])?;
    Ok(())
}

fn village_row(code: &str, village: &Village, quarter: Quarter, rules: &RuleSet) -> AggregateRow {
    let mut row = AggregateRow::empty(code, "");
    if village.is_empty() {
        return row;
    }
    let card = scorecard(
        rules,
        quarter,
        &village.data,
        village.dana_desa(quarter.year),
    );
    row.villages = 1;
    row.households_1000hpk = card.targets.households_1000hpk;
    row.coverage = card.coverage;
    row.tkd_pregnant = card.convergence.pregnant;
    row.tkd_children = card.convergence.children;
    row.tkd_total = card.convergence.total;
    row.households_complete = card.households_complete;
    row.dana_desa = dana_desa_total(&card.dana_desa);
    row.anthropometry = anthropometry(village, quarter);
    row
}

impl Village {
    fn is_empty(&self) -> bool {
        let data = &self.data;
        self.households.is_empty()
            && data.pregnant.is_empty()
            && data.children.is_empty()
            && data.paud.is_empty()
            && self.measurements.is_empty()
            && self.funds.is_empty()
    }

    /// Tabel 5 of `year` (no lines when the village has not entered that year).
    fn dana_desa(&self, year: i32) -> Vec<konvergen_shared::scorecard::DanaDesaLine> {
        self.funds
            .iter()
            .find(|fund| fund.year == year)
            .map(VillageFund::lines)
            .unwrap_or_default()
    }
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

/// Every live record of one village, decoded.
fn load_village(conn: &Connection, village_code: &str) -> DbResult<Village> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity, id, body FROM record WHERE village_code = ?1 AND deleted = 0",
    )?;
    let mut rows = stmt.query([village_code])?;
    let mut village = Village::default();
    while let Some(row) = rows.next()? {
        let (entity, id, body): (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let Ok(id) = Uuid::parse_str(&id) else {
            continue;
        };
        add_record(&mut village, &entity, id, &body);
    }
    Ok(village)
}

/// Files one stored record under its village; bodies were validated on the way in, so a
/// body that no longer decodes (an older schema) is skipped rather than failing the report.
fn add_record(village: &mut Village, entity: &str, id: Uuid, body: &str) {
    fn decoded<T: DeserializeOwned>(body: &str) -> Option<T> {
        serde_json::from_str(body).ok()
    }
    let data = &mut village.data;
    match entity {
        "household" => village
            .households
            .extend(decoded(body).map(|h| (HouseholdId(id), h))),
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
        "village_fund" => village.funds.extend(decoded(body)),
        _ => {}
    }
}
