//! Storage of the province's panel: rubric versions, assessors' sheets and the publication
//! of a year. Every write that depends on what is stored (a rubric change, a sheet, the
//! publication) reads and writes in one IMMEDIATE transaction, so two requests at once
//! cannot both pass a check that only one of them should.

use konvergen_shared::actions::Status;
use konvergen_shared::actions::panel::Sheet;
use konvergen_shared::actions::panel_views::{Publication, RubricVersionInfo};
use konvergen_shared::actions::rubric::Rubric;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{DbResult, Store};

/// Why a panel write was refused (each maps to a 409 with its reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelRefusal {
    /// The year is published: rubric, sheets and publication are frozen.
    Published(Publication),
    /// Sheets were submitted against the rubric in force, which therefore stays.
    SheetsSubmitted(u32),
    /// The district's checklist is not submitted (or verified).
    NotSubmitted(Status),
    /// The assessor already submitted this sheet.
    AlreadySubmitted,
    /// Publishing a year nobody has scored.
    NothingScored,
}

/// A stored sheet with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSheet {
    /// Regency code.
    pub regency_code: String,
    /// The assessor's account id.
    pub assessor_id: i64,
    /// The assessor's display name.
    pub assessor: String,
    /// Grades and recommendation.
    pub sheet: Sheet,
    /// Set once submitted.
    pub submitted_at_ms: Option<i64>,
}

/// The rubric in force for a province and year, and its version (0: the default).
pub fn rubric(conn: &Connection, province: &str, year: i32) -> DbResult<(Rubric, u32)> {
    let stored: Option<(String, u32)> = conn
        .query_row(
            "SELECT body, version FROM rubric_version WHERE province_code = ?1 AND year = ?2
             ORDER BY version DESC LIMIT 1",
            params![province, year],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    match stored {
        Some((body, version)) => Ok((
            serde_json::from_str(&body).map_err(anyhow::Error::from)?,
            version,
        )),
        None => Ok((Rubric::default_for(year), 0)),
    }
}

/// Every saved rubric version of a province and year, oldest first.
pub fn rubric_history(
    conn: &Connection,
    province: &str,
    year: i32,
) -> DbResult<Vec<RubricVersionInfo>> {
    let mut stmt = conn.prepare(
        "SELECT r.version, u.display_name, r.saved_at FROM rubric_version r JOIN user u ON u.id = r.saved_by
         WHERE r.province_code = ?1 AND r.year = ?2 ORDER BY r.version",
    )?;
    let rows = stmt.query_map(params![province, year], |row| {
        Ok(RubricVersionInfo {
            version: row.get(0)?,
            saved_by: row.get(1)?,
            saved_at_ms: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The publication of a province's year, if published.
pub fn publication(conn: &Connection, province: &str, year: i32) -> DbResult<Option<Publication>> {
    Ok(conn
        .query_row(
            "SELECT p.published_at, u.display_name, p.rubric_version FROM assessment_publication p
             JOIN user u ON u.id = p.published_by WHERE p.province_code = ?1 AND p.year = ?2",
            params![province, year],
            |row| {
                Ok(Publication {
                    published_at_ms: row.get(0)?,
                    published_by: row.get(1)?,
                    rubric_version: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Submitted sheets of a province's year.
pub fn submitted_count(conn: &Connection, province: &str, year: i32) -> DbResult<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM panel_sheet WHERE year = ?1 AND submitted_at IS NOT NULL
         AND regency_code > ?2 AND regency_code < ?3",
        params![year, format!("{province}."), format!("{province}/")],
        |row| row.get(0),
    )?)
}

/// Saves a new version of the rubric, unless the year is published or scored already.
pub fn save_rubric(
    conn: &mut Connection,
    province: &str,
    rubric: &Rubric,
    user_id: i64,
    now_ms: i64,
) -> DbResult<Result<u32, PanelRefusal>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(refusal) = frozen(&tx, province, rubric.year)? {
        return Ok(Err(refusal));
    }
    let submitted = submitted_count(&tx, province, rubric.year)?;
    if submitted > 0 {
        return Ok(Err(PanelRefusal::SheetsSubmitted(submitted)));
    }
    let (_, current) = self::rubric(&tx, province, rubric.year)?;
    let version = current + 1;
    let body = serde_json::to_string(rubric).map_err(anyhow::Error::from)?;
    tx.execute(
        "INSERT INTO rubric_version (province_code, year, version, body, saved_by, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![province, rubric.year, version, body, user_id, now_ms],
    )?;
    audit(
        &tx,
        now_ms,
        user_id,
        "rubric",
        &format!("{province}/{}/v{version}", rubric.year),
        &body,
    )?;
    tx.commit()?;
    Ok(Ok(version))
}

fn frozen(tx: &Transaction<'_>, province: &str, year: i32) -> DbResult<Option<PanelRefusal>> {
    Ok(publication(tx, province, year)?.map(PanelRefusal::Published))
}

fn audit(
    tx: &Transaction<'_>,
    now_ms: i64,
    user_id: i64,
    entity: &str,
    id: &str,
    after: &str,
) -> DbResult<()> {
    tx.execute(
        "INSERT INTO audit (at, user_id, action, entity, record_id, after) VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
        params![now_ms, user_id, entity, id, after],
    )?;
    Ok(())
}

/// The status of a district's checklist (`Draft` when none is stored).
fn checklist_status(conn: &Connection, regency: &str, year: i32) -> DbResult<Status> {
    Ok(super::actions::checklist(conn, regency, year)?
        .map_or(Status::Draft, |stored| stored.checklist.status))
}

/// What a sheet write is about.
#[derive(Debug, Clone)]
pub struct SheetWrite {
    /// Province of the district.
    pub province: String,
    /// Regency code.
    pub regency: String,
    /// Year.
    pub year: i32,
    /// The assessor.
    pub assessor_id: i64,
    /// Rubric version the sheet was checked against.
    pub rubric_version: u32,
    /// Make it final.
    pub submit: bool,
    /// Server time.
    pub now_ms: i64,
}

/// Saves (and with `submit`, finalises) an assessor's sheet, unless the year is published,
/// the district has not submitted, or the sheet is final already.
pub fn save_sheet(
    conn: &mut Connection,
    write: &SheetWrite,
    sheet: &Sheet,
) -> DbResult<Result<(), PanelRefusal>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(refusal) = frozen(&tx, &write.province, write.year)? {
        return Ok(Err(refusal));
    }
    let status = checklist_status(&tx, &write.regency, write.year)?;
    if !matches!(status, Status::Submitted | Status::Verified) {
        return Ok(Err(PanelRefusal::NotSubmitted(status)));
    }
    let submitted: Option<Option<i64>> = tx
        .query_row(
            "SELECT submitted_at FROM panel_sheet WHERE regency_code = ?1 AND year = ?2 AND assessor_id = ?3",
            params![write.regency, write.year, write.assessor_id],
            |row| row.get(0),
        )
        .optional()?;
    if submitted.flatten().is_some() {
        return Ok(Err(PanelRefusal::AlreadySubmitted));
    }
    let body = serde_json::to_string(sheet).map_err(anyhow::Error::from)?;
    let submitted_at = write.submit.then_some(write.now_ms);
    tx.execute(
        "INSERT INTO panel_sheet (regency_code, year, assessor_id, rubric_version, body, updated_at, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (regency_code, year, assessor_id) DO UPDATE SET rubric_version = excluded.rubric_version,
           body = excluded.body, updated_at = excluded.updated_at, submitted_at = excluded.submitted_at",
        params![write.regency, write.year, write.assessor_id, write.rubric_version, body, write.now_ms, submitted_at],
    )?;
    let id = format!("{}/{}/{}", write.regency, write.year, write.assessor_id);
    audit(
        &tx,
        write.now_ms,
        write.assessor_id,
        "panel_sheet",
        &id,
        &body,
    )?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Every sheet of a province's year (drafts included), by regency then assessor.
pub fn sheets(conn: &Connection, province: &str, year: i32) -> DbResult<Vec<StoredSheet>> {
    let mut stmt = conn.prepare(
        "SELECT s.regency_code, s.assessor_id, u.display_name, s.body, s.submitted_at
         FROM panel_sheet s JOIN user u ON u.id = s.assessor_id
         WHERE s.year = ?1 AND s.regency_code > ?2 AND s.regency_code < ?3
         ORDER BY s.regency_code, s.submitted_at, s.assessor_id",
    )?;
    let rows = stmt.query_map(
        params![year, format!("{province}."), format!("{province}/")],
        |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get::<_, String>(3)?,
                row.get(4)?,
            ))
        },
    )?;
    let mut sheets = Vec::new();
    for row in rows {
        let (regency_code, assessor_id, assessor, body, submitted_at_ms) = row?;
        let sheet = serde_json::from_str(&body).map_err(anyhow::Error::from)?;
        sheets.push(StoredSheet {
            regency_code,
            assessor_id,
            assessor,
            sheet,
            submitted_at_ms,
        });
    }
    Ok(sheets)
}

/// The checklist status of every regency of a province for a year.
pub fn statuses(conn: &Connection, province: &str, year: i32) -> DbResult<Vec<(String, Status)>> {
    let mut stmt = conn.prepare(
        "SELECT regency_code, body FROM action_checklist
         WHERE year = ?1 AND regency_code > ?2 AND regency_code < ?3",
    )?;
    let rows = stmt.query_map(
        params![year, format!("{province}."), format!("{province}/")],
        |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
    )?;
    let mut statuses = Vec::new();
    for row in rows {
        let (code, body) = row?;
        let checklist: konvergen_shared::actions::Checklist =
            serde_json::from_str(&body).map_err(anyhow::Error::from)?;
        statuses.push((code, checklist.status));
    }
    Ok(statuses)
}

/// Publishes a province's year with the rubric version in force, unless it is published
/// already or nobody has submitted a sheet.
pub fn publish(
    conn: &mut Connection,
    province: &str,
    year: i32,
    user_id: i64,
    now_ms: i64,
) -> DbResult<Result<(), PanelRefusal>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(refusal) = frozen(&tx, province, year)? {
        return Ok(Err(refusal));
    }
    if submitted_count(&tx, province, year)? == 0 {
        return Ok(Err(PanelRefusal::NothingScored));
    }
    let (_, version) = rubric(&tx, province, year)?;
    tx.execute(
        "INSERT INTO assessment_publication (province_code, year, rubric_version, published_by, published_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![province, year, version, user_id, now_ms],
    )?;
    audit(
        &tx,
        now_ms,
        user_id,
        "assessment_publication",
        &format!("{province}/{year}"),
        &version.to_string(),
    )?;
    tx.commit()?;
    Ok(Ok(()))
}

/// The regencies and cities of a province, by code, with their names.
pub fn regencies(conn: &Connection, province: &str) -> DbResult<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT code, name FROM region WHERE parent = ?1 AND level = 'regency' ORDER BY code",
    )?;
    let rows = stmt.query_map(params![province], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A province's panel year as one read: what the panel screens and the ranking work from.
#[derive(Debug, Clone)]
pub struct PanelYear {
    /// The rubric in force.
    pub rubric: Rubric,
    /// Its version (0: the default).
    pub version: u32,
    /// Set once the year is published.
    pub publication: Option<Publication>,
    /// Every sheet of the year.
    pub sheets: Vec<StoredSheet>,
    /// Each district's checklist status, by regency code.
    pub statuses: Vec<(String, Status)>,
    /// The province's regencies and cities with their names.
    pub regencies: Vec<(String, String)>,
}

/// The rubric of a year with what decides whether it may still change.
#[derive(Debug, Clone)]
pub struct RubricState {
    /// The rubric in force.
    pub rubric: Rubric,
    /// Its version (0: the default).
    pub version: u32,
    /// Every saved version.
    pub history: Vec<RubricVersionInfo>,
    /// Set once the year is published.
    pub publication: Option<Publication>,
    /// Sheets submitted against it.
    pub sheets_submitted: u32,
}

/// The panel as its routes use it, each call one read or one IMMEDIATE transaction.
impl Store {
    /// The rubric in force and its version ([`rubric`]).
    pub async fn rubric(&self, province: String, year: i32) -> DbResult<(Rubric, u32)> {
        self.call(move |conn| rubric(conn, &province, year)).await
    }

    /// The rubric with its history and what freezes it.
    pub async fn rubric_state(&self, province: String, year: i32) -> DbResult<RubricState> {
        self.call(move |conn| {
            let (rubric, version) = rubric(conn, &province, year)?;
            Ok(RubricState {
                rubric,
                version,
                history: rubric_history(conn, &province, year)?,
                publication: publication(conn, &province, year)?,
                sheets_submitted: submitted_count(conn, &province, year)?,
            })
        })
        .await
    }

    /// Everything of a panel year in one read ([`PanelYear`]).
    pub async fn panel_year(&self, province: String, year: i32) -> DbResult<PanelYear> {
        self.call(move |conn| {
            let (rubric, version) = rubric(conn, &province, year)?;
            Ok(PanelYear {
                rubric,
                version,
                publication: publication(conn, &province, year)?,
                sheets: sheets(conn, &province, year)?,
                statuses: statuses(conn, &province, year)?,
                regencies: regencies(conn, &province)?,
            })
        })
        .await
    }

    /// The regencies and cities of a province ([`regencies`]).
    pub async fn regencies(&self, province: String) -> DbResult<Vec<(String, String)>> {
        self.call(move |conn| regencies(conn, &province)).await
    }

    /// Saves a rubric version ([`save_rubric`]).
    pub async fn save_rubric(
        &self,
        province: String,
        rubric: Rubric,
        user_id: i64,
        now_ms: i64,
    ) -> DbResult<Result<u32, PanelRefusal>> {
        self.call(move |conn| save_rubric(conn, &province, &rubric, user_id, now_ms))
            .await
    }

    /// Saves an assessor's sheet ([`save_sheet`]).
    pub async fn save_sheet(
        &self,
        write: SheetWrite,
        sheet: Sheet,
    ) -> DbResult<Result<(), PanelRefusal>> {
        self.call(move |conn| save_sheet(conn, &write, &sheet))
            .await
    }

    /// Publishes a year ([`publish`]).
    pub async fn publish(
        &self,
        province: String,
        year: i32,
        user_id: i64,
        now_ms: i64,
    ) -> DbResult<Result<(), PanelRefusal>> {
        self.call(move |conn| publish(conn, &province, year, user_id, now_ms))
            .await
    }
}
