//! Storage of the 8-action checklists, assessments and weights.

use konvergen_shared::actions::{Checklist, Scores, Weights};
use rusqlite::{Connection, OptionalExtension, params};

use super::DbResult;

/// The stored checklist of a regency and year, if any.
pub fn checklist(conn: &Connection, regency: &str, year: i32) -> DbResult<Option<Checklist>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM action_checklist WHERE regency_code = ?1 AND year = ?2",
            params![regency, year],
            |row| row.get(0),
        )
        .optional()?;
    body.map(|text| serde_json::from_str(&text).map_err(|err| anyhow::Error::from(err).into()))
        .transpose()
}

/// Stores a checklist and audits the change (before and after).
pub fn save_checklist(
    conn: &Connection,
    checklist: &Checklist,
    user_id: i64,
    now_ms: i64,
) -> DbResult<()> {
    let before = self::checklist(conn, &checklist.regency_code, checklist.year)?;
    let body = serde_json::to_string(checklist).map_err(anyhow::Error::from)?;
    conn.execute(
        "INSERT INTO action_checklist (regency_code, year, body, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (regency_code, year) DO UPDATE SET body = excluded.body,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![checklist.regency_code, checklist.year, body, now_ms, user_id],
    )?;
    let before = before
        .map(|b| serde_json::to_string(&b))
        .transpose()
        .map_err(anyhow::Error::from)?;
    conn.execute(
        "INSERT INTO audit (at, user_id, action, entity, record_id, before, after)
         VALUES (?1, ?2, 'action_checklist', 'action_checklist', ?3, ?4, ?5)",
        params![
            now_ms,
            user_id,
            format!("{}/{}", checklist.regency_code, checklist.year),
            before,
            body
        ],
    )?;
    Ok(())
}

/// Stores a district's scores.
pub fn save_scores(
    conn: &Connection,
    regency: &str,
    year: i32,
    scores: Scores,
    user_id: i64,
    now_ms: i64,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO assessment (regency_code, year, documents, presentation, field, scored_by, scored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (regency_code, year) DO UPDATE SET documents = excluded.documents,
           presentation = excluded.presentation, field = excluded.field,
           scored_by = excluded.scored_by, scored_at = excluded.scored_at",
        params![regency, year, scores.documents, scores.presentation, scores.field, user_id, now_ms],
    )?;
    conn.execute(
        "INSERT INTO audit (at, user_id, action, entity, record_id, after) VALUES (?1, ?2, 'assessment', 'assessment', ?3, ?4)",
        params![now_ms, user_id, format!("{regency}/{year}"), serde_json::to_string(&scores).map_err(anyhow::Error::from)?],
    )?;
    Ok(())
}

/// Scores of every district of a province for a year.
pub fn scores(conn: &Connection, province: &str, year: i32) -> DbResult<Vec<(String, Scores)>> {
    let mut stmt = conn.prepare(
        "SELECT regency_code, documents, presentation, field FROM assessment
         WHERE year = ?1 AND regency_code > ?2 AND regency_code < ?3 ORDER BY regency_code",
    )?;
    let rows = stmt.query_map(
        params![year, format!("{province}."), format!("{province}/")],
        |row| {
            Ok((
                row.get(0)?,
                Scores {
                    documents: row.get(1)?,
                    presentation: row.get(2)?,
                    field: row.get(3)?,
                },
            ))
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The weights of a province and year (default 60/20/20).
pub fn weights(conn: &Connection, province: &str, year: i32) -> DbResult<Weights> {
    Ok(conn
        .query_row(
            "SELECT documents, presentation, field FROM assessment_weights WHERE province_code = ?1 AND year = ?2",
            params![province, year],
            |row| Ok(Weights { documents: row.get(0)?, presentation: row.get(1)?, field: row.get(2)? }),
        )
        .optional()?
        .unwrap_or_default())
}

/// Sets the weights of a province and year.
pub fn save_weights(
    conn: &Connection,
    province: &str,
    year: i32,
    weights: Weights,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO assessment_weights (province_code, year, documents, presentation, field) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (province_code, year) DO UPDATE SET documents = excluded.documents,
           presentation = excluded.presentation, field = excluded.field",
        params![province, year, weights.documents, weights.presentation, weights.field],
    )?;
    Ok(())
}
