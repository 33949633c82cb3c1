//! The rules of a regency team's records (`EntityKind::DISTRICT`) that need the database,
//! applied on every push and review write after the typed checks of `validation`:
//! the agency is on the regency's list; an agency account writes only its own agency's
//! records; a contribution names an item of the year's catalogue; and a year the
//! coordinator has submitted to the province (or the province verified) is read-only for
//! the whole team until the province returns it. Deadlines and assignments are the
//! coordinator's only.

use konvergen_shared::actions::{Catalogue, Status};
use konvergen_shared::api::FieldError;
use konvergen_shared::district::{Assignment, Contribution, Head};
use konvergen_shared::sync::{EntityKind, Mutation};
use rusqlite::Transaction;

use super::push::Pusher;
use super::{DbResult, accounts, actions};
use crate::entities::field_error;

/// Why a district write is refused, if it is.
pub fn refusal(
    tx: &Transaction<'_>,
    pusher: Pusher<'_>,
    mutation: &Mutation,
    stored_body: Option<&str>,
) -> DbResult<Option<Vec<FieldError>>> {
    if !mutation.entity.is_district() {
        return Ok(None);
    }
    // A stored record of another agency is, for an agency account, a record it cannot see.
    if let Some(stored) = stored_body.and_then(|body| serde_json::from_str::<Head>(body).ok())
        && pusher.agency.is_some_and(|own| own != stored.agency)
    {
        return Ok(Some(vec![field_error(
            "record_id",
            "not_found",
            "Data tidak ditemukan",
            "Record not found",
        )]));
    }
    // Deletes carry the stored body's placement; upserts their own (already type-checked).
    let head_source = match mutation.op {
        konvergen_shared::sync::Operation::Delete => stored_body.map(str::to_owned),
        konvergen_shared::sync::Operation::Upsert => Some(mutation.body.to_string()),
    };
    if matches!(
        mutation.entity,
        EntityKind::Deadline | EntityKind::Assignment
    ) {
        return coordinator_refusal(tx, pusher, mutation.entity, head_source.as_deref());
    }
    let Some(head) = head_source.and_then(|body| serde_json::from_str::<Head>(&body).ok()) else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    if let Some(own) = pusher.agency
        && own != head.agency
    {
        errors.push(field_error(
            "body.agency",
            "not_own_agency",
            &format!("Hanya atas nama instansi Anda sendiri ({own})"),
            &format!("Only in the name of your own agency ({own})"),
        ));
    } else if accounts::agency_id(tx, &head.regency_code, &head.agency)?.is_none() {
        errors.push(field_error(
            "body.agency",
            "unknown_agency",
            "Instansi ini tidak ada dalam daftar kabupaten/kota ini",
            "This agency is not on the regency's list",
        ));
    }
    if year_is_closed(tx, &head.regency_code, head.year)? {
        errors.push(closed_year());
    }
    if mutation.entity == EntityKind::Contribution {
        unknown_item(&mut errors, mutation, head.year);
    }
    Ok((!errors.is_empty()).then_some(errors))
}

/// Regency and year of a coordinator's record (a deadline or an assignment).
#[derive(serde::Deserialize)]
struct YearOf {
    regency_code: String,
    year: i32,
}

/// Deadlines and assignments are the coordinator's, and like everything else closed with
/// the year; an assignment names an item of the year's catalogue and agencies of the list.
fn coordinator_refusal(
    tx: &Transaction<'_>,
    pusher: Pusher<'_>,
    kind: EntityKind,
    body: Option<&str>,
) -> DbResult<Option<Vec<FieldError>>> {
    if pusher.agency.is_some() {
        let (id, en) = if kind == EntityKind::Deadline {
            (
                "Tenggat waktu hanya ditetapkan koordinator (Bappeda)",
                "Only the coordinator (Bappeda) sets deadlines",
            )
        } else {
            (
                "Pembagian butir kepada instansi hanya oleh koordinator (Bappeda)",
                "Only the coordinator (Bappeda) assigns items to agencies",
            )
        };
        return Ok(Some(vec![field_error(
            "entity",
            "coordinator_only",
            id,
            en,
        )]));
    }
    let Some(placed) = body.and_then(|b| serde_json::from_str::<YearOf>(b).ok()) else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    if year_is_closed(tx, &placed.regency_code, placed.year)? {
        errors.push(closed_year());
    }
    if kind == EntityKind::Assignment
        && let Some(assignment) = body.and_then(|b| serde_json::from_str::<Assignment>(b).ok())
    {
        assignment_refusal(tx, &mut errors, &assignment)?;
    }
    Ok((!errors.is_empty()).then_some(errors))
}

fn assignment_refusal(
    tx: &Transaction<'_>,
    errors: &mut Vec<FieldError>,
    assignment: &Assignment,
) -> DbResult<()> {
    if !in_catalogue(assignment.year, &assignment.item_key) {
        errors.push(unknown_item_error());
    }
    for (i, agency) in assignment.agencies.iter().enumerate() {
        if accounts::agency_id(tx, &assignment.regency_code, agency)?.is_none() {
            errors.push(field_error(
                &format!("body.agencies[{i}]"),
                "unknown_agency",
                "Instansi ini tidak ada dalam daftar kabupaten/kota ini",
                "This agency is not on the regency's list",
            ));
        }
    }
    Ok(())
}

fn closed_year() -> FieldError {
    field_error(
        "body.year",
        "submitted",
        "Tahun ini sudah dikirim ke provinsi: data tidak bisa diubah lagi kecuali dikembalikan",
        "This year has been submitted to the province: no changes unless it is returned",
    )
}

/// Submitted or verified: the coordinator handed the year over.
fn year_is_closed(tx: &Transaction<'_>, regency: &str, year: i32) -> DbResult<bool> {
    let stored = actions::checklist(tx, regency, year)?;
    Ok(stored.is_some_and(|s| matches!(s.checklist.status, Status::Submitted | Status::Verified)))
}

fn unknown_item(errors: &mut Vec<FieldError>, mutation: &Mutation, year: i32) {
    let Ok(contribution) = serde_json::from_value::<Contribution>(mutation.body.clone()) else {
        return;
    };
    if !in_catalogue(year, &contribution.item_key) {
        errors.push(unknown_item_error());
    }
}

fn in_catalogue(year: i32, item_key: &str) -> bool {
    Catalogue::default_for(year).locate(item_key).is_some()
}

fn unknown_item_error() -> FieldError {
    field_error(
        "body.item_key",
        "unknown_item",
        "Butir bukti ini tidak ada dalam daftar aksi tahun ini",
        "This evidence item is not in the year's catalogue",
    )
}

/// The live district records placed at `regency`: kind, body and last server write.
pub fn live_records(
    conn: &rusqlite::Connection,
    regency: &str,
) -> DbResult<Vec<(EntityKind, serde_json::Value, i64)>> {
    let mut statement = conn.prepare_cached(
        "SELECT entity, body, updated_at FROM record
         WHERE village_code = ?1 AND deleted = 0 AND body IS NOT NULL",
    )?;
    let rows = statement.query_map([regency], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    let mut records = Vec::new();
    for row in rows {
        let (entity, body, updated_at) = row?;
        let (Some(kind), Ok(body)) = (EntityKind::parse(&entity), serde_json::from_str(&body))
        else {
            continue;
        };
        if kind.is_district() {
            records.push((kind, body, updated_at));
        }
    }
    Ok(records)
}
