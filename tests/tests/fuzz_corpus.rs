//! Replays every kept fuzz input (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`)
//! through the same checks as the fuzz targets, so CI on stable Rust keeps them passing
//! without running the fuzzer. `scripts/fuzz.sh` grows and minimises the corpus.

use std::path::{Path, PathBuf};

use konvergen_tests::fuzzing::{self, Check, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs each input alone and names every file that fails, not only the first.
fn replay(target: &str, check: Check) -> usize {
    let inputs = fuzzing::kept_inputs(&fuzz_dir(), target).expect("reading the corpus");
    let failing: Vec<_> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("reading a corpus file");
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .collect();
    assert!(
        failing.is_empty(),
        "{target}: these inputs fail: {failing:#?}"
    );
    inputs.len()
}

/// Replays one target's inputs; there must be some, or the test would pass vacuously.
fn replay_all(target: &str) {
    let (_, check) = TARGETS
        .into_iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let replayed = replay(target, check);
    assert!(
        replayed > 0,
        "{target}: no corpus under fuzz/corpus/{target}"
    );
    println!("{target}: {replayed} inputs replayed");
}

#[test]
fn pull_cursor_corpus_passes() {
    replay_all("pull_cursor");
}

#[test]
fn push_payload_corpus_passes() {
    replay_all("push_payload");
}

#[test]
fn push_apply_corpus_passes() {
    replay_all("push_apply");
}

#[test]
fn the_seed_push_is_accepted() {
    // The push_apply database must really hold records, or the corpus would only ever
    // exercise the "parent not found" branch.
    let seed = fuzzing::seed_request();
    assert!(seed.mutations.len() > 5);
    fuzzing::push_apply(&serde_json::to_vec(&seed).expect("encodes"));
}

/// Writes the hand-made seed inputs (`seed-*` files) into `fuzz/corpus/`; run it once before a
/// first fuzzing session: `cargo test -p konvergen-tests --test fuzz_corpus -- --ignored`.
#[test]
#[ignore = "writes files; only for (re)seeding the corpus"]
fn write_seed_corpus() {
    let corpus = fuzz_dir().join("corpus");
    for (target, name, bytes) in seeds::all() {
        let folder = corpus.join(target);
        std::fs::create_dir_all(&folder).expect("creating the corpus folder");
        std::fs::write(folder.join(format!("seed-{name}")), bytes).expect("writing a seed");
    }
}

/// Realistic inputs: real cursors, and pushes built from the demo dataset that meet the
/// push_apply database in every state (new, update, stale, delete, retry, reused seq).
mod seeds {
    use konvergen_shared::sync::cursor::scope_hash;
    use konvergen_shared::sync::{Cursor, Heartbeat, Mutation, Operation, PushRequest};
    use konvergen_tests::fuzzing::seed_request;
    use serde_json::json;
    use uuid::Uuid;

    type Seed = (&'static str, String, Vec<u8>);

    pub fn all() -> Vec<Seed> {
        let mut seeds = cursors();
        for (name, request) in pushes() {
            let bytes = serde_json::to_vec_pretty(&request).expect("encodes");
            seeds.push(("push_payload", name.clone(), bytes.clone()));
            seeds.push(("push_apply", name, bytes));
        }
        for (name, text) in malformed_pushes() {
            seeds.push(("push_payload", name.to_owned(), text.as_bytes().to_vec()));
        }
        seeds
    }

    fn cursors() -> Vec<Seed> {
        let real = |seq, scope: &str, schema| Cursor {
            change_seq: seq,
            scope_hash: scope_hash(scope),
            schema_version: schema,
        };
        let mut texts = vec![
            real(0, "villages:63.03.05.2009", 12).to_string(),
            real(1_234, "villages:63.03.05.2012,63.03.05.2036", 12).to_string(),
            real(u64::MAX, "under:63.03", u32::MAX).to_string(),
            "v1.1.0000000000000000.1.9".to_owned(),
            "v2.1.0000000000000000.1".to_owned(),
            "v1..ffffffffffffffff.".to_owned(),
        ];
        texts.push(format!("v1.{}.{}.1", "9".repeat(20), "f".repeat(16)));
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| ("pull_cursor", format!("{i}"), text.into_bytes()))
            .collect()
    }

    fn one(device: Uuid, seq: u64, mut mutation: Mutation) -> PushRequest {
        mutation.seq = seq;
        PushRequest {
            device_id: device,
            mutations: vec![mutation],
            heartbeat: None,
        }
    }

    fn pushes() -> Vec<(String, PushRequest)> {
        let seeded = seed_request();
        let phone = Uuid::from_u64_pair(0xF022, 2);
        let mut out = Vec::new();
        // Each kind once, as a stale edit (base 0) and as a current one (base 1).
        let mut seen = Vec::new();
        for mutation in &seeded.mutations {
            if seen.contains(&mutation.entity) {
                continue;
            }
            seen.push(mutation.entity);
            let kind = mutation.entity.as_str();
            out.push((format!("stale-{kind}"), one(phone, 1, mutation.clone())));
            let mut edit = mutation.clone();
            edit.base_version = 1;
            out.push((format!("edit-{kind}"), one(phone, 1, edit.clone())));
            edit.op = Operation::Delete;
            out.push((format!("delete-{kind}"), one(phone, 1, edit)));
        }
        // The seeding device retrying its first mutations, then reusing a number.
        let mut retry = seeded.clone();
        retry.mutations.truncate(3);
        out.push(("retry".to_owned(), retry.clone()));
        retry.mutations[0].body["head_name"] = json!("Someone else");
        out.push(("reused-seq".to_owned(), retry));
        // A new household with its members on a new phone, with a gap and a heartbeat.
        let mut fresh = seeded;
        fresh.device_id = Uuid::from_u64_pair(0xF022, 3);
        fresh.mutations.truncate(4);
        for (i, mutation) in fresh.mutations.iter_mut().enumerate() {
            mutation.seq = i as u64 * 2 + 1;
            mutation.record_id = Uuid::from_u64_pair(0xAB, i as u64);
            if mutation.body.get("household_id").is_some() {
                mutation.body["household_id"] = json!(Uuid::from_u64_pair(0xAB, 0));
            }
        }
        fresh.heartbeat = Some(Heartbeat {
            outbox_size: 4,
            oldest_pending_secs: Some(60),
            last_pull_ms: Some(1_773_500_000_000),
            storage_used: Some(1 << 20),
            storage_quota: Some(1 << 30),
            persisted: Some(true),
            app_version: Some("0.1.0".to_owned()),
            device_time_ms: Some(1_773_547_200_500),
        });
        out.push(("new-household".to_owned(), fresh));
        out
    }

    fn malformed_pushes() -> Vec<(&'static str, &'static str)> {
        vec![
            ("empty-object", "{}"),
            (
                "unknown-field",
                r#"{"device_id":"00000000-0000-0000-0000-000000000001","mutations":[],"x":1}"#,
            ),
            (
                "seq-as-string",
                r#"{"device_id":"00000000-0000-0000-0000-000000000001","mutations":[{"seq":"1","entity":"household","record_id":"00000000-0000-0000-0000-000000000002","base_version":0,"body":{}}]}"#,
            ),
            (
                "body-array",
                r#"{"device_id":"00000000-0000-0000-0000-000000000001","mutations":[{"seq":1,"entity":"child","record_id":"00000000-0000-0000-0000-000000000002","base_version":0,"body":[1,2]}]}"#,
            ),
            ("truncated", r#"{"device_id":"00000000-0000-0000-0000-0000"#),
        ]
    }
}

/// Defects the fuzzing work found, pinned by name; each failed before its fix. Their raw
/// inputs also sit in `fuzz/regressions/`, replayed above.
mod found {
    use axum::Json;
    use konvergen_backend::error::ApiError;
    use konvergen_backend::validation::validate_body;
    use konvergen_shared::sync::{EntityKind, PushRequest};
    use konvergen_tests::fuzzing::{self, fuzz_today, seed_request};
    use serde_json::json;
    use uuid::Uuid;

    fn decoding_field(body: &str) -> String {
        let rejection = Json::<PushRequest>::from_bytes(body.as_bytes()).expect_err("refused");
        match ApiError::from(rejection) {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    /// `{"": 1}` in a push was answered with an error on field `""` (or `mutations[0].`).
    #[test]
    fn an_empty_key_in_a_push_names_the_object_holding_it() {
        assert_eq!(decoding_field(r#"{"": 1}"#), "body");
        let in_mutation = r#"{"device_id":"00000000-0000-0000-0000-000000000001",
            "mutations":[{"seq":1,"entity":"household","base_version":0,"body":{},"":2}]}"#;
        assert_eq!(decoding_field(in_mutation), "mutations[0]");
    }

    /// The same key in a record body was blamed on field `body.`.
    #[test]
    fn an_empty_key_in_a_record_body_is_blamed_on_the_body() {
        let errors = validate_body(
            EntityKind::Household,
            Uuid::nil(),
            &json!({"": 1}),
            fuzz_today(),
            true,
        )
        .expect_err("refused");
        assert_eq!(errors[0].field, "body");
    }

    /// Found by the fuzzer (push_payload, after 4.5 million runs): serde_json's default float
    /// parsing is not exact, so a long number in a record body decoded to a value that its
    /// own encoding no longer decoded to; a round trip through the server moved it by one
    /// unit in the last place.
    #[test]
    fn a_number_in_a_body_survives_a_round_trip() {
        let text = r#"{"weight_kg": 12.5555555555500000000000000000000000000000000000000000000000000004099276460824344804}"#;
        let first: serde_json::Value = serde_json::from_str(text).expect("decodes");
        let again: serde_json::Value =
            serde_json::from_str(&first.to_string()).expect("its encoding decodes");
        assert_eq!(again, first);
    }

    /// A stale edit whose base version lay beyond SQLite's integer range failed the whole
    /// push with a 500 instead of being kept as a conflict.
    #[test]
    fn a_stale_edit_with_a_huge_base_version_is_a_conflict() {
        let mut request = seed_request();
        request.device_id = Uuid::from_u64_pair(0xF022, 9);
        request.mutations.truncate(1);
        request.mutations[0].base_version = u64::MAX;
        // Panics if the store fails (see `fuzzing::push_apply`).
        fuzzing::push_apply(&serde_json::to_vec(&request).expect("encodes"));
    }
}
