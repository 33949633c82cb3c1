//! The fuzz targets' logic as plain functions, so the cargo-fuzz binaries in `fuzz/` (nightly)
//! and the corpus replay in `tests/tests/fuzz_corpus.rs` (stable, in CI) run the same checks.
//!
//! Every function takes arbitrary bytes, drives the real decoding and validation code and
//! panics only when an invariant breaks; refusing the input is always fine.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use axum::Json;
use konvergen_backend::auth::Scope;
use konvergen_backend::db::{DbError, NewUser, PushAuthor, Store};
use konvergen_backend::demo::dataset::{self, VillagePlan};
use konvergen_backend::entities::link_of;
use konvergen_backend::error::ApiError;
use konvergen_backend::validation::validate_body;
use konvergen_shared::api::{FieldError, Role};
use konvergen_shared::sync::{
    Cursor, Mutation, MutationResult, MutationStatus, PushRequest, PushResponse,
};
use time::{Date, Month};
use uuid::Uuid;

/// A fuzz target's check: takes any bytes, panics only on a broken invariant.
pub type Check = fn(&[u8]);

/// The fuzz targets, by the name of their folders under `fuzz/corpus/`.
pub const TARGETS: [(&str, Check); 3] = [
    ("pull_cursor", pull_cursor),
    ("push_payload", push_payload),
    ("push_apply", push_apply),
];

/// The server's date in every target: fixed, so a replayed input behaves as it did when found.
pub fn fuzz_today() -> Date {
    Date::from_calendar_date(2026, Month::March, 15).expect("a valid date")
}

/// Noon of [`fuzz_today`] in WITA (UTC+8), in milliseconds since the epoch.
pub const FUZZ_NOW_MS: i64 = 1_773_547_200_000;

/// The village the pushing cadre of [`push_apply`] works in (a demo village).
pub const FUZZ_VILLAGE: &str = "63.03.05.2009";

/// Device that seeded the database of [`push_apply`]: pushes that reuse it meet its history.
pub const SEED_DEVICE: Uuid = Uuid::from_u64_pair(0xF022, 1);

/// Pull cursor text: whatever parses must re-format to text that parses to the same value,
/// and every cursor value must format to text the parser accepts.
pub fn pull_cursor(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(cursor) = Cursor::parse(text)
    {
        assert_reparses(cursor);
    }
    if let Some(cursor) = cursor_from_bytes(data) {
        assert_reparses(cursor);
    }
}

fn assert_reparses(cursor: Cursor) {
    let text = cursor.to_string();
    assert_eq!(
        Cursor::parse(&text),
        Ok(cursor),
        "{text} does not read back"
    );
}

/// The first 20 bytes as a cursor value, so the formatter meets extreme numbers too.
fn cursor_from_bytes(data: &[u8]) -> Option<Cursor> {
    let change_seq = u64::from_le_bytes(data.get(0..8)?.try_into().ok()?);
    let scope_hash = u64::from_le_bytes(data.get(8..16)?.try_into().ok()?);
    let schema_version = u32::from_le_bytes(data.get(16..20)?.try_into().ok()?);
    Some(Cursor {
        change_seq,
        scope_hash,
        schema_version,
    })
}

/// A push body as the server reads it (axum's `Json`, then the shared error shape), then the
/// per-mutation checks that need no database: link and body validation.
pub fn push_payload(data: &[u8]) {
    let Some(request) = decode_push(data) else {
        return;
    };
    assert_round_trips(&request);
    for mutation in &request.mutations {
        check_mutation(mutation);
    }
}

/// Decodes like the push handler; a refusal must be a 4xx that names the offending field.
fn decode_push(data: &[u8]) -> Option<PushRequest> {
    let decoded = Json::<PushRequest>::from_bytes(data);
    let plain = serde_json::from_slice::<PushRequest>(data);
    assert_eq!(
        decoded.is_ok(),
        plain.is_ok(),
        "axum and serde_json disagree"
    );
    match decoded {
        Ok(Json(request)) => Some(request),
        Err(rejection) => {
            match ApiError::from(rejection) {
                ApiError::Validation(errors) => assert_named(&errors, "decoding"),
                ApiError::BadRequest(detail) => assert!(!detail.is_empty(), "silent refusal"),
                other => panic!("a body that is not JSON of the right shape gave {other:?}"),
            }
            None
        }
    }
}

/// What the server decoded must encode and decode to the same request (what a retry sends).
fn assert_round_trips(request: &PushRequest) {
    let encoded = serde_json::to_vec(request).expect("a push request always encodes");
    let again: PushRequest = serde_json::from_slice(&encoded).expect("its own encoding decodes");
    assert_eq!(&again, request, "push request changed on a round trip");
}

fn check_mutation(mutation: &Mutation) {
    if let Err(errors) = link_of(mutation.entity, &mutation.body) {
        assert_named(&errors, "link");
    }
    for is_new in [true, false] {
        let verdict = validate_body(
            mutation.entity,
            mutation.record_id,
            &mutation.body,
            fuzz_today(),
            is_new,
        );
        if let Err(errors) = verdict {
            assert_named(&errors, "validation");
            assert!(
                errors.iter().all(|e| e.field.starts_with("body")),
                "a body error outside body: {errors:?}"
            );
        }
    }
}

/// A refusal carries at least one error, and each one names a field the client can show.
fn assert_named(errors: &[FieldError], stage: &str) {
    assert!(!errors.is_empty(), "{stage}: refused without a reason");
    for error in errors {
        let field = error.field.as_str();
        assert!(
            !field.is_empty() && !field.ends_with('.'),
            "{stage}: error names no field: {error:?}"
        );
        assert!(
            !error.code.is_empty() && !error.message_en.is_empty() && !error.message_id.is_empty(),
            "{stage}: error without code or message: {error:?}"
        );
    }
}

/// A decoded push applied through the server's push path to a seeded database, in a
/// transaction that is rolled back afterwards so every input starts from the same state.
pub fn push_apply(data: &[u8]) {
    let Ok(request) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    if !batch_acceptable(&request) {
        return;
    }
    SEEDED.with(|seeded| {
        let seeded = seeded.borrow();
        let author = PushAuthor {
            user_id: seeded.user_id,
            agency: None,
        };
        let dry_run =
            seeded
                .store
                .push_dry_run(author, seeded.scope.clone(), request.clone(), FUZZ_NOW_MS);
        let answer = seeded.runtime.block_on(dry_run);
        match answer {
            Ok(response) => check_receipt(&request, &response),
            // The one refusal of a whole batch: another user's device (a 409).
            Err(DbError::Conflict(_)) => {}
            Err(err) => panic!("a push the handler accepts made the store fail: {err:#}"),
        }
    });
}

/// The batch checks of the push handler (`routes::sync::check_batch`, private there): at
/// most 1,000 mutations, sequence numbers positive, within SQLite's range, increasing.
pub fn batch_acceptable(request: &PushRequest) -> bool {
    let mutations = &request.mutations;
    mutations.len() <= 1_000
        && mutations.windows(2).all(|pair| pair[0].seq < pair[1].seq)
        && mutations
            .iter()
            .all(|m| m.seq >= 1 && i64::try_from(m.seq).is_ok())
}

/// One receipt per mutation, in order, each consistent with its status.
fn check_receipt(request: &PushRequest, response: &PushResponse) {
    assert_eq!(response.results.len(), request.mutations.len());
    for (mutation, result) in request.mutations.iter().zip(&response.results) {
        assert_eq!(
            (result.seq, result.record_id),
            (mutation.seq, mutation.record_id)
        );
        check_result(result);
    }
    let highest = request.mutations.iter().map(|m| m.seq).max().unwrap_or(0);
    assert!(response.last_seq >= highest, "last_seq fell behind");
}

fn check_result(result: &MutationResult) {
    match result.status {
        MutationStatus::Applied => {
            assert!(result.version.is_some() && result.change_seq.is_some());
            assert!(result.errors.is_empty());
        }
        MutationStatus::Conflict => assert!(result.version.is_some()),
        MutationStatus::Rejected => assert_named(&result.errors, "push"),
        MutationStatus::Duplicate => {}
    }
}

/// The database of [`push_apply`]: one cadre in [`FUZZ_VILLAGE`] whose device
/// [`SEED_DEVICE`] already pushed a small demo village.
struct Seeded {
    /// Drives the store's async calls from the fuzzer's synchronous callback.
    runtime: tokio::runtime::Runtime,
    store: Store,
    user_id: i64,
    scope: Scope,
    _dir: tempfile::TempDir,
}

thread_local! {
    static SEEDED: RefCell<Seeded> = RefCell::new(seed().expect("seeding the fuzz database"));
}

fn seed() -> anyhow::Result<Seeded> {
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let store = Store::open(&dir.path().join("fuzz.sqlite3"))?;
    let areas = vec![FUZZ_VILLAGE.to_owned()];
    let user = NewUser {
        username: "kader.fuzz".to_owned(),
        display_name: "Fuzz".to_owned(),
        role: Role::Cadre,
        password_hash: "not-a-hash".to_owned(),
        areas: areas.clone(),
        agency: None,
    };
    let user_id = runtime
        .block_on(store.create_user(user, FUZZ_NOW_MS))
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let scope = Scope::Villages(areas);
    let author = PushAuthor {
        user_id,
        agency: None,
    };
    let response = runtime
        .block_on(store.push(author, scope.clone(), seed_request(), FUZZ_NOW_MS))
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    anyhow::ensure!(
        response.results.iter().all(|r| r.errors.is_empty()),
        "seed data refused"
    );
    Ok(Seeded {
        runtime,
        store,
        user_id,
        scope,
        _dir: dir,
    })
}

/// The records already on the server in [`push_apply`]: a demo village of three households.
pub fn seed_request() -> PushRequest {
    PushRequest {
        device_id: SEED_DEVICE,
        mutations: dataset::village_mutations(VillagePlan {
            village: FUZZ_VILLAGE,
            households: 3,
            today: fuzz_today(),
            months: 2,
            seed: 7,
        }),
        heartbeat: None,
    }
}

/// Every input kept for `target`: the corpus and the minimised crash inputs, sorted.
pub fn kept_inputs(fuzz_dir: &Path, target: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for folder in [fuzz_dir.join("corpus"), fuzz_dir.join("regressions")] {
        let folder = folder.join(target);
        if !folder.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(folder)? {
            let path = entry?.path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
