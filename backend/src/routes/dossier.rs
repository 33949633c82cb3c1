//! `GET /district/{regency}/{year}/dossier.xlsx` and `/evidence.zip`: what the coordinator
//! takes to the province's assessment of a year, and what the province opens before the
//! panel. The coordinator (supervisor) of the regency and the province may download them;
//! an agency sends its parts but does not take the whole (403).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use konvergen_shared::aggregates::AggregateReport;
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::validate_year;
use konvergen_shared::monitoring::YearMonth;
use konvergen_shared::recap::Quarter;

use super::aggregates::quarter_end_ms;
use super::district::regency_visible;
use crate::AppState;
use crate::auth::Caller;
use crate::db::DistrictYear;
use crate::dossier::{archive, body, sheets};
use crate::error::{ApiError, ApiResult};
use crate::util::{now_ms, today_wita};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The workbook: sheets "Status aksi", "Anggaran", "Inovasi" and "Capaian".
#[utoipa::path(get, path = "/api/v1/district/{regency}/{year}/dossier.xlsx", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code, e.g. 63.03"), ("year" = i32, Path, description = "Assessed year")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, description = "Not the coordinator or the province", body = ErrorBody),
        (status = 404, description = "Unknown regency or outside the caller's area", body = ErrorBody),
        (status = 422, description = "Year before 2018 or after the current one", body = ErrorBody)))]
pub async fn workbook(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
) -> ApiResult<impl IntoResponse> {
    let dossier = load(&state, &caller, regency, year).await?;
    let outcomes = outcomes(&state, &dossier).await?;
    let bytes = sheets::workbook(&dossier, &outcomes)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("xlsx: {err}")))?;
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            file_name(&dossier, "dosir", "xlsx"),
        ),
    ];
    Ok((headers, bytes))
}

/// Every evidence file of the year's items, contributions and innovations, each once.
///
/// Streamed: files are copied from the blob store as the client reads, so memory stays at
/// a few chunks (`dossier::body`) whatever the archive's size; there is no size limit
/// beyond what the records can name (each at most 20 files of the blob limits). An error
/// after the first bytes breaks the download off rather than ending it in a short file.
#[utoipa::path(get, path = "/api/v1/district/{regency}/{year}/evidence.zip", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code, e.g. 63.03"), ("year" = i32, Path, description = "Assessed year")),
    responses((status = 200, content_type = "application/zip", description = "Files by action and item, with DAFTAR-ISI.txt, and BELUM-TIBA.txt naming files not on the server yet", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, description = "Not the coordinator or the province", body = ErrorBody),
        (status = 404, description = "Unknown regency or outside the caller's area", body = ErrorBody),
        (status = 422, description = "Year before 2018 or after the current one", body = ErrorBody)))]
pub async fn evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
) -> ApiResult<impl IntoResponse> {
    let dossier = load(&state, &caller, regency, year).await?;
    let plan = archive::plan(&dossier);
    let blobs = state.blobs.clone();
    let content = body::streamed(move |out| {
        archive::write(&plan, blobs.as_ref(), out)
            .map(drop)
            .map_err(std::io::Error::other)
    });
    let headers = [
        (header::CONTENT_TYPE, "application/zip".to_owned()),
        (
            header::CONTENT_DISPOSITION,
            file_name(&dossier, "bukti", "zip"),
        ),
    ];
    Ok((headers, content))
}

/// The stored year, after the access rule: the coordinator of the regency or the province
/// (403 for anyone else), a regency of their area (404 otherwise), an assessed year (422).
async fn load(
    state: &AppState,
    caller: &Caller,
    regency: String,
    year: i32,
) -> ApiResult<DistrictYear> {
    caller.require(&[Role::Supervisor, Role::Province, Role::Assessor])?;
    regency_visible(caller, &regency)?;
    // The same day of slack as a push (db/records.rs): a year whose records are accepted
    // has a dossier.
    let today = today_wita(now_ms()).next_day().unwrap_or(time::Date::MAX);
    validate_year(year, today.year()).map_err(ApiError::Validation)?;
    Ok(state.store.district_year(regency, year).await?)
}

/// The aggregate report of the regency for each quarter of the year that has begun.
async fn outcomes(state: &AppState, dossier: &DistrictYear) -> ApiResult<Vec<AggregateReport>> {
    let mut reports = Vec::new();
    for quarter in quarters_begun(dossier.year, today_wita(now_ms())) {
        let area = dossier.regency_code.clone();
        let report = state
            .store
            .aggregates(area, quarter, quarter_end_ms(quarter))
            .await?;
        reports.push(report);
    }
    Ok(reports)
}

/// The quarters of `year` up to the one holding `today`: all four of a past year, none of a
/// quarter still to come.
fn quarters_begun(year: i32, today: time::Date) -> Vec<Quarter> {
    let current = Quarter::of(YearMonth::of(today));
    (1..=4)
        .filter_map(|number| Quarter::new(year, number))
        .filter(|quarter| *quarter <= current)
        .collect()
}

fn file_name(dossier: &DistrictYear, what: &str, extension: &str) -> String {
    format!(
        "attachment; filename=\"konvergen-{what}-{}-{}.{extension}\"",
        dossier.regency_code, dossier.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_shows_the_quarters_that_have_begun() {
        let today = time::macros::date!(2026 - 05 - 14);
        let numbers = |year| -> Vec<u8> {
            quarters_begun(year, today)
                .iter()
                .map(|q| q.quarter)
                .collect()
        };
        assert_eq!(numbers(2025), [1, 2, 3, 4]);
        assert_eq!(numbers(2026), [1, 2]);
    }
}
