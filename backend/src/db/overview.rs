//! The province's overview of one assessed year, read in one database call so every row
//! reflects one state: the regencies of the province from the region table, for each its
//! checklist, agency list and team records (one indexed read per regency, not one per
//! part), and the village figures of the province for two quarters through the aggregate
//! report (`aggregates::report`), whose rows are already per regency.

use std::collections::HashMap;

use konvergen_shared::actions::{Catalogue, Checklist};
use konvergen_shared::aggregates::AggregateRow;
use konvergen_shared::district::{
    BudgetLine, Contribution, Head, Overview, OverviewRow, RowParts, StoredPart, board,
    overview_row,
};
use konvergen_shared::recap::{Quarter, RuleSet};
use konvergen_shared::sync::EntityKind;
use rusqlite::{Connection, params};
use serde::Deserialize;

use super::{DbError, DbResult, Store, accounts, actions, aggregates, district, regions};

/// What an overview is asked for.
#[derive(Debug, Clone)]
pub struct OverviewQuery {
    /// Province code, e.g. `63`.
    pub province: String,
    /// The assessed year.
    pub year: i32,
    /// The quarter of the village figures, and when it ends (ms, for the report's freshness).
    pub quarter: (Quarter, i64),
    /// The quarter compared with, and when it ends.
    pub quarter_before: (Quarter, i64),
}

impl Store {
    /// The overview of a province's year; [`DbError::NotFound`] when the code is not a
    /// known province.
    pub async fn province_overview(&self, query: OverviewQuery) -> DbResult<Overview> {
        self.call(move |conn| read(conn, &query)).await
    }
}

fn read(conn: &Connection, query: &OverviewQuery) -> DbResult<Overview> {
    let province = query.province.as_str();
    if regions::level_of(conn, province)?.as_deref() != Some("province") {
        return Err(DbError::NotFound);
    }
    let rules = RuleSet::default();
    let figures = |(quarter, end_ms): (Quarter, i64)| -> DbResult<HashMap<String, AggregateRow>> {
        let report = aggregates::report(conn, province, quarter, &rules, end_ms)?;
        Ok(report
            .rows
            .into_iter()
            .map(|row| (row.code.clone(), row))
            .collect())
    };
    let now = figures(query.quarter)?;
    let before = figures(query.quarter_before)?;
    let catalogue = Catalogue::default_for(query.year);
    let mut rows = Vec::new();
    for (code, name) in regencies(conn, province)? {
        let outcomes = (now.get(&code), before.get(&code));
        rows.push(regency_row(
            conn,
            &catalogue,
            query.year,
            (&code, &name),
            outcomes,
        )?);
    }
    Ok(Overview {
        province_code: province.to_owned(),
        province_name: regions::name_of(conn, province)?.unwrap_or_default(),
        year: query.year,
        quarter: query.quarter.0,
        quarter_before: query.quarter_before.0,
        catalogue_version: catalogue.version_id,
        rows,
    })
}

/// The regencies and cities of `province`, by code (a range on the primary key).
fn regencies(conn: &Connection, province: &str) -> DbResult<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT code, name FROM region
         WHERE level = 'regency' AND code > ?1 AND code < ?2 ORDER BY code",
    )?;
    let rows = statement.query_map(
        params![format!("{province}."), format!("{province}/")],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The team's records of one regency that belong to the year, decoded.
#[derive(Debug, Default)]
struct YearRecords {
    budget_lines: Vec<BudgetLine>,
    innovations: usize,
    contributions: Vec<Contribution>,
}

impl YearRecords {
    /// Bodies were validated on the way in; one that no longer decodes (an older schema)
    /// is left out, as the dossier does.
    fn add(&mut self, year: i32, kind: EntityKind, body: &serde_json::Value) {
        if !Head::deserialize(body).is_ok_and(|head| head.year == year) {
            return;
        }
        match kind {
            EntityKind::BudgetLine => self.budget_lines.extend(BudgetLine::deserialize(body).ok()),
            EntityKind::Innovation => self.innovations += 1,
            EntityKind::Contribution => {
                self.contributions
                    .extend(Contribution::deserialize(body).ok());
            }
            _ => {}
        }
    }
}

fn regency_row(
    conn: &Connection,
    catalogue: &Catalogue,
    year: i32,
    (code, name): (&str, &str),
    (outcome, outcome_before): (Option<&AggregateRow>, Option<&AggregateRow>),
) -> DbResult<OverviewRow> {
    let checklist: Option<Checklist> = actions::checklist(conn, code, year)?.map(|s| s.checklist);
    let agencies = accounts::agencies(conn, code)?;
    let records = district::live_records(conn, code)?;
    let parts: Vec<StoredPart<'_>> = records
        .iter()
        .map(|(kind, body, updated_at_ms)| StoredPart {
            kind: *kind,
            body,
            updated_at_ms: *updated_at_ms,
        })
        .collect();
    let board = board(code, year, &agencies, &parts);
    let mut of_year = YearRecords::default();
    for (kind, body, _) in &records {
        of_year.add(year, *kind, body);
    }
    Ok(overview_row(RowParts {
        regency_code: code,
        name,
        catalogue,
        checklist: checklist.as_ref(),
        board: &board,
        budget_lines: &of_year.budget_lines,
        innovations: of_year.innovations,
        contributions: &of_year.contributions,
        outcome,
        outcome_before,
    }))
}
