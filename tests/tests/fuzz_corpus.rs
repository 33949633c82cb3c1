//! Replays every kept fuzz input (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`)
//! through the same checks as the fuzz targets, so CI on stable Rust keeps them passing
//! without running the fuzzer. `scripts/fuzz.sh` grows and minimises the corpus.

use std::path::{Path, PathBuf};

use konvergen_tests::fuzzing::{self, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs each input alone so a failure names the file to look at.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let inputs = fuzzing::kept_inputs(&fuzz_dir(), target).expect("reading the corpus");
    for path in &inputs {
        let data = std::fs::read(path).expect("reading a corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
    inputs.len()
}

#[test]
fn every_kept_input_still_passes() {
    for (target, check) in TARGETS {
        let replayed = replay(target, check);
        assert!(
            replayed > 0,
            "{target}: no corpus under fuzz/corpus/{target}"
        );
        println!("{target}: {replayed} inputs replayed");
    }
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
