//! Applying a device's batch of mutations: one transaction per batch, idempotent by
//! `(device_id, seq)`, conflicts kept instead of overwritten, gaps recorded as known losses.

use konvergen_shared::api::FieldError;
use konvergen_shared::records::Verdicts;
use konvergen_shared::sync::{
    Mutation, MutationResult, MutationStatus, Operation, PushRequest, PushResponse, checksum::fnv1a,
};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{DbError, DbResult, devices, records};
use crate::auth::Scope;
use crate::entities::field_error;
use crate::validation;

/// Who is pushing.
#[derive(Debug, Clone, Copy)]
pub struct Pusher<'a> {
    /// The signed-in user.
    pub user_id: i64,
    /// The user's area scope.
    pub scope: &'a Scope,
    /// For an agency account, its agency: it writes only that agency's district records.
    pub agency: Option<&'a str>,
    /// Server time of the request.
    pub now_ms: i64,
}

/// A mutation's body as compact JSON text, the payload hash over it and, for an upsert,
/// the validation verdicts on it: all worked out once, before the database is taken
/// ([`encode`]); the text is then hashed against the idempotency log and stored, and the
/// verdict that applies is picked once the write knows whether the record is stored.
#[derive(Debug)]
pub struct Encoded {
    body: String,
    hash: i64,
    verdicts: Option<Verdicts>,
}

/// Encodes and judges every mutation of `request`, pushed at `now_ms`. The server's one
/// connection is shared by every request, so the work that needs no database (above all
/// the typed decoding of each body) is done before taking it.
pub fn encode(request: &PushRequest, now_ms: i64) -> Vec<Encoded> {
    request
        .mutations
        .iter()
        .map(|mutation| {
            let body = mutation.body.to_string();
            let hash = payload_hash(mutation, &body);
            let verdicts = (mutation.op == Operation::Upsert)
                .then(|| validation::judge_upsert(mutation, &body, now_ms));
            Encoded {
                body,
                hash,
                verdicts,
            }
        })
        .collect()
}

/// Applies a whole push, its mutations already [`encode`]d in request order, in the
/// caller's transaction, and answers with a receipt per mutation.
pub fn apply_encoded(
    tx: &Transaction<'_>,
    pusher: Pusher<'_>,
    request: &PushRequest,
    encoded: &[Encoded],
) -> DbResult<PushResponse> {
    let device_id = request.device_id.to_string();
    let first_seq = devices::claim(tx, &device_id, pusher.user_id, pusher.now_ms)?;
    let (results, last_seq) = records::batch(tx, |writes| {
        apply_all(tx, writes, pusher, &device_id, request, encoded, first_seq)
    })?;
    devices::after_push(
        tx,
        &device_id,
        last_seq,
        pusher.now_ms,
        request.heartbeat.as_ref(),
    )?;
    Ok(PushResponse {
        results,
        last_seq,
        server_time_ms: pusher.now_ms,
    })
}

/// The receipts of the batch's mutations, in order, and the device's sequence after them.
fn apply_all(
    tx: &Transaction<'_>,
    writes: &mut records::Writes,
    pusher: Pusher<'_>,
    device_id: &str,
    request: &PushRequest,
    encoded: &[Encoded],
    mut last_seq: u64,
) -> DbResult<(Vec<MutationResult>, u64)> {
    let mut results = Vec::with_capacity(request.mutations.len());
    let mut receipts = Vec::with_capacity(request.mutations.len());
    for (mutation, encoded) in request.mutations.iter().zip(encoded) {
        let hash = encoded.hash;
        let earlier = if mutation.seq <= last_seq {
            // The route refuses a batch whose numbers do not increase; a caller that sends
            // one anyway finds this batch's receipts where the retry looks for them.
            remember(tx, device_id, &mut receipts)?;
            earlier_result(tx, device_id, mutation, hash)?
        } else {
            None
        };
        if let Some(earlier) = earlier {
            results.push(earlier);
            continue;
        }
        if mutation.seq > last_seq + 1 {
            devices::record_loss(tx, device_id, last_seq + 1, mutation.seq - 1, pusher.now_ms)?;
        }
        let result = apply_one(tx, writes, pusher, device_id, mutation, encoded)?;
        receipts.push(Receipt::of(mutation, hash, &result)?);
        results.push(result);
        last_seq = last_seq.max(mutation.seq);
    }
    remember(tx, device_id, &mut receipts)?;
    Ok((results, last_seq))
}

/// The answer given the first time, or a rejection when the same number now carries
/// another payload (a client bug that must not overwrite what was acknowledged).
fn earlier_result(
    tx: &Transaction<'_>,
    device_id: &str,
    mutation: &Mutation,
    hash: i64,
) -> DbResult<Option<MutationResult>> {
    let row = tx
        .prepare_cached(
            "SELECT payload_hash, status, version, change_seq, errors, processed_at
             FROM mutation WHERE device_id = ?1 AND seq = ?2",
        )?
        .query_row(params![device_id, seq_i64(mutation.seq)?], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<i64>>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    // A number below last_seq without a row lay in a recorded gap: treat it as new.
    let Some((stored_hash, status, version, change_seq, errors, processed_at)) = row else {
        return Ok(None);
    };
    if stored_hash != hash {
        return Ok(Some(rejected(
            mutation,
            processed_at,
            vec![field_error(
                "seq",
                "sequence_reused",
                "Nomor urut ini sudah dipakai untuk data lain",
                "This sequence number was already used for a different change",
            )],
        )));
    }
    let errors = errors
        .map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(anyhow::Error::from)?
        .unwrap_or_default();
    let first = parse_status(&status)?;
    Ok(Some(MutationResult {
        seq: mutation.seq,
        record_id: mutation.record_id,
        // Only an applied mutation becomes a duplicate. A conflict or a rejection is
        // answered as such again: a phone reads "duplicate" as "applied" and would take the
        // server's version for its own text.
        status: if first == MutationStatus::Applied {
            MutationStatus::Duplicate
        } else {
            first
        },
        version: version.map(i64::unsigned_abs),
        change_seq: change_seq.map(i64::unsigned_abs),
        server_time_ms: processed_at,
        errors,
    }))
}

fn apply_one(
    tx: &Transaction<'_>,
    writes: &mut records::Writes,
    pusher: Pusher<'_>,
    device_id: &str,
    mutation: &Mutation,
    encoded: &Encoded,
) -> DbResult<MutationResult> {
    let outcome = match (mutation.op, &encoded.verdicts) {
        (Operation::Upsert, Some(verdicts)) => {
            let body = records::JudgedBody {
                text: &encoded.body,
                verdicts,
            };
            records::upsert(tx, writes, pusher, device_id, mutation, body)
        }
        (Operation::Upsert, None) => Err(DbError::Other(anyhow::anyhow!(
            "upsert {} was not judged before the transaction",
            mutation.seq
        ))),
        (Operation::Delete, _) => records::delete(tx, writes, pusher, device_id, mutation),
    }?;
    Ok(match outcome {
        records::Outcome::Applied {
            version,
            change_seq,
        } => MutationResult {
            seq: mutation.seq,
            record_id: mutation.record_id,
            status: MutationStatus::Applied,
            version: Some(version),
            change_seq: Some(change_seq),
            server_time_ms: pusher.now_ms,
            errors: Vec::new(),
        },
        records::Outcome::Conflict { server_version } => MutationResult {
            seq: mutation.seq,
            record_id: mutation.record_id,
            status: MutationStatus::Conflict,
            version: Some(server_version),
            change_seq: None,
            server_time_ms: pusher.now_ms,
            errors: Vec::new(),
        },
        records::Outcome::Rejected(errors) => rejected(mutation, pusher.now_ms, errors),
    })
}

fn rejected(mutation: &Mutation, at_ms: i64, errors: Vec<FieldError>) -> MutationResult {
    MutationResult {
        seq: mutation.seq,
        record_id: mutation.record_id,
        status: MutationStatus::Rejected,
        version: None,
        change_seq: None,
        server_time_ms: at_ms,
        errors,
    }
}

/// The answer given to a mutation, as stored so that a retry gets the same one.
#[derive(Debug)]
struct Receipt {
    seq: i64,
    record_id: String,
    payload_hash: i64,
    status: &'static str,
    version: Option<i64>,
    change_seq: Option<i64>,
    errors: Option<String>,
    processed_at: i64,
}

impl Receipt {
    fn of(mutation: &Mutation, payload_hash: i64, result: &MutationResult) -> DbResult<Self> {
        let errors = if result.errors.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&result.errors).map_err(anyhow::Error::from)?)
        };
        Ok(Self {
            seq: seq_i64(mutation.seq)?,
            record_id: mutation.record_id.to_string(),
            payload_hash,
            status: status_name(result.status),
            version: result.version.map(u64_to_i64).transpose()?,
            change_seq: result.change_seq.map(u64_to_i64).transpose()?,
            errors,
            processed_at: result.server_time_ms,
        })
    }
}

/// Stores the batch's receipts so far (several to a statement) and empties the list.
fn remember(tx: &Transaction<'_>, device_id: &str, receipts: &mut Vec<Receipt>) -> DbResult<()> {
    let device: &dyn rusqlite::ToSql = &device_id;
    super::insert_rows(
        tx,
        "INSERT OR REPLACE INTO mutation (device_id, seq, record_id, payload_hash, status,
            version, change_seq, errors, processed_at)",
        9,
        receipts,
        |row, params| {
            params.extend([
                device,
                &row.seq,
                &row.record_id,
                &row.payload_hash,
                &row.status,
                &row.version,
                &row.change_seq,
                &row.errors,
                &row.processed_at,
            ]);
        },
    )?;
    receipts.clear();
    Ok(())
}

/// Hash of everything that defines a mutation; serde_json writes object keys in sorted
/// order (no `preserve_order`), so equal payloads hash equally. `body` is the body's compact
/// JSON text (`mutation.body.to_string()`).
fn payload_hash(mutation: &Mutation, body: &str) -> i64 {
    // The bytes of the JSON array `[entity, record_id, base_version, op, body]`, written
    // from the body's text, which the push path has already (a unit test pins them).
    let mut canonical = serde_json::to_vec(&(
        mutation.entity,
        mutation.record_id,
        mutation.base_version,
        mutation.op,
    ))
    .unwrap_or_default();
    canonical.pop(); // the closing `]` of the four
    canonical.push(b',');
    canonical.extend_from_slice(body.as_bytes());
    canonical.push(b']');
    // SQLite integers are signed; the bit pattern is what matters.
    i64::from_ne_bytes(fnv1a(canonical).to_ne_bytes())
}

fn status_name(status: MutationStatus) -> &'static str {
    match status {
        MutationStatus::Applied => "applied",
        MutationStatus::Duplicate => "duplicate",
        MutationStatus::Conflict => "conflict",
        MutationStatus::Rejected => "rejected",
    }
}

fn parse_status(name: &str) -> DbResult<MutationStatus> {
    Ok(match name {
        "applied" => MutationStatus::Applied,
        "duplicate" => MutationStatus::Duplicate,
        "conflict" => MutationStatus::Conflict,
        "rejected" => MutationStatus::Rejected,
        other => {
            return Err(DbError::Other(anyhow::anyhow!(
                "unknown stored status {other}"
            )));
        }
    })
}

/// Sequence numbers beyond SQLite's signed range are refused before they reach here;
/// this keeps the conversion honest anyway.
pub fn seq_i64(seq: u64) -> DbResult<i64> {
    u64_to_i64(seq)
}

fn u64_to_i64(value: u64) -> DbResult<i64> {
    i64::try_from(value).map_err(|_| DbError::Other(anyhow::anyhow!("number {value} too large")))
}

#[cfg(test)]
mod tests {
    use konvergen_shared::sync::{EntityKind, Mutation, Operation, checksum::fnv1a};

    use super::payload_hash;

    /// Hashes stored by earlier builds must still match: the hash is over exactly the bytes of
    /// the JSON array `[entity, record_id, base_version, op, body]`.
    #[test]
    fn payload_hash_is_over_the_json_array_of_the_mutation() {
        let mutation = Mutation {
            seq: 7,
            entity: EntityKind::Form2b,
            record_id: uuid::Uuid::from_u64_pair(1, 2),
            base_version: 3,
            op: Operation::Upsert,
            body: serde_json::json!({"z": [1, 2.5, null], "a": {"k": "v"}, "m": true}),
            client_time_ms: Some(5),
        };
        let array = serde_json::json!([
            mutation.entity,
            mutation.record_id,
            mutation.base_version,
            mutation.op,
            mutation.body,
        ]);
        let expected = i64::from_ne_bytes(fnv1a(array.to_string().into_bytes()).to_ne_bytes());
        assert_eq!(
            payload_hash(&mutation, &mutation.body.to_string()),
            expected
        );
    }
}
