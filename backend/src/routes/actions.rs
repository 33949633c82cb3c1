//! The 8 convergence actions: the district fills its checklist and submits it; the
//! province reviews it item by item, verifies or returns it with reasons. The panel's
//! scoring is in `panel.rs`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use konvergen_shared::actions::{
    Catalogue, Checklist, ItemState, ReviewInput, Transition, WorkflowError, time_of_ms,
};
use konvergen_shared::api::{ErrorBody, FieldError, Role};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Caller;
use crate::db::{ChecklistWrite, Refusal, Stale, StoredChecklist, WritePart};
use crate::error::{ApiError, ApiResult, AppJson};
use crate::util::now_ms;

/// A checklist with the catalogue it is filled against.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChecklistView {
    /// Actions and evidence items of the year.
    #[schema(value_type = Object)]
    pub catalogue: Catalogue,
    /// The district's state.
    #[schema(value_type = Object)]
    pub checklist: Checklist,
    /// Writes so far (0: never saved). Send it back as `?expected_version=` with a write
    /// to have the write refused (409) when someone changed the checklist (or, for an item
    /// save, that item) since it was read.
    pub version: u64,
}

impl ChecklistView {
    fn of(catalogue: Catalogue, stored: StoredChecklist) -> Self {
        Self {
            catalogue,
            checklist: stored.checklist,
            version: stored.version,
        }
    }
}

/// Query of the checklist writes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The `version` of the checklist the client read. Without it (older clients) the
    /// write applies to the current state.
    #[serde(default)]
    pub expected_version: Option<u64>,
}

fn regency_in_scope(caller: &Caller, regency: &str) -> ApiResult<()> {
    let is_regency = regency.split('.').count() == 2;
    if !is_regency || !caller.scope.contains(regency) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

fn workflow(err: WorkflowError) -> ApiError {
    match err {
        WorkflowError::NotAllowed(status) => {
            ApiError::Conflict(format!("not allowed while {status:?}"))
        }
        WorkflowError::Invalid(fields) => ApiError::Validation(fields),
    }
}

async fn load(
    state: &AppState,
    regency: &str,
    year: i32,
) -> ApiResult<(Catalogue, StoredChecklist)> {
    let catalogue = Catalogue::default_for(year);
    let stored = state.store.checklist(regency.to_owned(), year).await?;
    let stored = stored.unwrap_or_else(|| StoredChecklist {
        checklist: Checklist::new(regency, year, &catalogue),
        version: 0,
        item_versions: std::collections::BTreeMap::new(),
    });
    Ok((catalogue, stored))
}

fn expected_version(query: Result<Query<VersionQuery>, QueryRejection>) -> ApiResult<Option<u64>> {
    let Query(query) = query.map_err(|err| {
        ApiError::field(
            "expected_version",
            "invalid",
            "Versi harus bilangan bulat tidak negatif",
            &err.body_text(),
        )
    })?;
    Ok(query.expected_version)
}

/// Reads, changes (with `edit`) and stores the checklist in one store call, so concurrent
/// writes are applied one after the other and none is lost.
async fn write<F>(state: &AppState, target: ChecklistWrite, edit: F) -> ApiResult<ChecklistView>
where
    F: FnOnce(&Catalogue, &mut Checklist) -> Result<(), WorkflowError> + Send + 'static,
{
    let catalogue = Catalogue::default_for(target.year);
    let fresh = Checklist::new(&target.regency, target.year, &catalogue);
    let used = catalogue.clone();
    let outcome = state
        .store
        .update_checklist(target, fresh, move |checklist| edit(&used, checklist))
        .await?;
    match outcome {
        Ok(stored) => {
            let mut view = ChecklistView::of(catalogue, stored);
            mark_pending(state, &mut view.checklist).await?;
            Ok(view)
        }
        Err(Refusal::Workflow(err)) => Err(workflow(err)),
        Err(Refusal::Stale(stale)) => Err(stale_error(&stale)),
    }
}

/// The 409 of a write based on an old version, naming the checklist (and the item).
fn stale_error(stale: &Stale) -> ApiError {
    let Stale {
        regency,
        year,
        part,
        expected,
        current,
    } = stale;
    let (message_id, message_en) = match part {
        WritePart::Review(key) => (
            format!(
                "Butir bukti {key} pada daftar periksa {regency}/{year} atau tinjauannya sudah \
                 diubah orang lain (Anda membaca versi {expected}, sekarang versi {current}); \
                 muat ulang lalu ulangi"
            ),
            format!(
                "Evidence item {key} of checklist {regency}/{year} or its review was changed by \
                 someone else (you read version {expected}, it is now version {current}); \
                 reload and retry"
            ),
        ),
        WritePart::Item(key) => (
            format!(
                "Butir bukti {key} pada daftar periksa {regency}/{year} sudah diubah orang lain \
                 (Anda membaca versi {expected}, sekarang versi {current}); muat ulang lalu ulangi"
            ),
            format!(
                "Evidence item {key} of checklist {regency}/{year} was changed by someone else \
                 (you read version {expected}, it is now version {current}); reload and retry"
            ),
        ),
        WritePart::Whole => (
            format!(
                "Daftar periksa {regency}/{year} sudah diubah orang lain (Anda membaca versi \
                 {expected}, sekarang versi {current}); muat ulang lalu ulangi"
            ),
            format!(
                "Checklist {regency}/{year} was changed by someone else (you read version \
                 {expected}, it is now version {current}); reload and retry"
            ),
        ),
    };
    ApiError::Stale(FieldError {
        field: "expected_version".to_owned(),
        code: "stale".to_owned(),
        message_id,
        message_en,
    })
}

/// The year's catalogue.
#[utoipa::path(get, path = "/api/v1/actions/catalogue/{year}", tag = "actions", security(("bearer" = [])),
    params(("year" = i32, Path)), responses((status = 200, body = Object), (status = 401, body = ErrorBody)))]
pub async fn catalogue(_caller: Caller, Path(year): Path<i32>) -> Json<Catalogue> {
    Json(Catalogue::default_for(year))
}

/// A district's checklist (an empty draft until something is saved).
#[utoipa::path(get, path = "/api/v1/actions/checklists/{regency}/{year}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
) -> ApiResult<Json<ChecklistView>> {
    // Agencies read it too: whether the year is still open for their parts.
    caller.require(&[
        Role::Supervisor,
        Role::Agency,
        Role::Province,
        Role::Assessor,
    ])?;
    regency_in_scope(&caller, &regency)?;
    let (catalogue, stored) = load(&state, &regency, year).await?;
    let mut view = ChecklistView::of(catalogue, stored);
    mark_pending(&state, &mut view.checklist).await?;
    Ok(Json(view))
}

/// Flags each file whose content the server does not hold yet (`FileMeta::pending`), read
/// fresh on every answer: a record may arrive before its file.
async fn mark_pending(state: &AppState, checklist: &mut Checklist) -> ApiResult<()> {
    let hashes: Vec<String> = checklist
        .items
        .values()
        .flat_map(|item| item.files.iter().map(|file| file.sha256.clone()))
        .collect();
    if hashes.is_empty() {
        return Ok(());
    }
    let present = state.store.blobs_present(hashes).await?;
    for file in checklist
        .items
        .values_mut()
        .flat_map(|item| item.files.iter_mut())
    {
        file.pending = !present.contains(&file.sha256);
    }
    Ok(())
}

/// The district records one evidence item.
#[utoipa::path(put, path = "/api/v1/actions/checklists/{regency}/{year}/items/{key}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path), ("key" = String, Path), VersionQuery), request_body = Object,
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not editable in this status, or the item changed since `expected_version`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year, key)): Path<(String, i32, String)>,
    query: Result<Query<VersionQuery>, QueryRejection>,
    AppJson(item): AppJson<ItemState>,
) -> ApiResult<Json<ChecklistView>> {
    caller.require(&[Role::Supervisor])?;
    regency_in_scope(&caller, &regency)?;
    let target = ChecklistWrite {
        regency,
        year,
        part: WritePart::Item(key.clone()),
        expected_version: expected_version(query)?,
        user_id: caller.me.id,
        now_ms: now_ms(),
    };
    let view = write(&state, target, move |catalogue, checklist| {
        checklist.set_item(catalogue, &key, item)
    })
    .await?;
    Ok(Json(view))
}

/// Submit (district), verify or return (province).
#[utoipa::path(post, path = "/api/v1/actions/checklists/{regency}/{year}/transition", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path), VersionQuery), request_body = Object,
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not allowed in this status, or the checklist changed since `expected_version`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
    query: Result<Query<VersionQuery>, QueryRejection>,
    AppJson(step): AppJson<Transition>,
) -> ApiResult<Json<ChecklistView>> {
    let role = if step == Transition::Submit {
        Role::Supervisor
    } else {
        Role::Province
    };
    caller.require(&[role])?;
    regency_in_scope(&caller, &regency)?;
    let now = now_ms();
    let target = ChecklistWrite {
        regency,
        year,
        part: WritePart::Whole,
        expected_version: expected_version(query)?,
        user_id: caller.me.id,
        now_ms: now,
    };
    let account = caller.me.username.clone();
    let view = write(&state, target, move |catalogue, checklist| {
        checklist.transition(catalogue, &step, &account, now)
    })
    .await?;
    Ok(Json(view))
}

/// The province reviews one evidence item of a submitted checklist: accepted, or needs
/// revision with a note for the district.
#[utoipa::path(put, path = "/api/v1/actions/checklists/{regency}/{year}/reviews/{key}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path), ("key" = String, Path), VersionQuery), request_body = Object,
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not submitted, or the item or its review changed since `expected_version`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn review_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year, key)): Path<(String, i32, String)>,
    query: Result<Query<VersionQuery>, QueryRejection>,
    AppJson(input): AppJson<ReviewInput>,
) -> ApiResult<Json<ChecklistView>> {
    caller.require(&[Role::Province])?;
    regency_in_scope(&caller, &regency)?;
    let now = now_ms();
    let target = ChecklistWrite {
        regency,
        year,
        part: WritePart::Review(key.clone()),
        expected_version: expected_version(query)?,
        user_id: caller.me.id,
        now_ms: now,
    };
    let reviewer = caller.me.username.clone();
    let view = write(&state, target, move |catalogue, checklist| {
        let at = time_of_ms(now)?;
        checklist.review_item(catalogue, &key, &input, &reviewer, at)
    })
    .await?;
    Ok(Json(view))
}
