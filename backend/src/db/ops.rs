//! The operations handlers use, one async method each. They are the storage boundary:
//! another database (PostgreSQL) would implement these same methods.

use konvergen_shared::api::{FieldError, Me};
use konvergen_shared::supervision::{ConflictView, Resolution, ResolveRequest, SyncStatus};
use konvergen_shared::sync::{
    Cursor, EntityKind, Heartbeat, Mutation, Operation, PushRequest, PushResponse,
};
use rusqlite::Transaction;
use serde_json::Value;

use super::accounts::{self, UserRow};
use super::{DbError, DbResult, Store, checksums, devices, pull, push, records, supervision};
use crate::auth::Scope;

/// A pull request after authentication.
#[derive(Debug, Clone)]
pub struct PullArgs {
    /// The caller.
    pub user_id: i64,
    /// The caller's scope.
    pub scope: Scope,
    /// Cursor sent by the device, already parsed.
    pub cursor: Option<Cursor>,
    /// Page size.
    pub limit: u32,
    /// JSON bytes the page may take (`pull_load.rs`); at least one record is sent.
    pub max_page_bytes: usize,
    /// The pulling device.
    pub device_id: Option<String>,
    /// Server time.
    pub now_ms: i64,
}

/// Who a push is applied as.
#[derive(Debug, Clone)]
pub struct PushAuthor {
    /// The account.
    pub user_id: i64,
    /// For an agency account: its agency (its records carry it).
    pub agency: Option<String>,
}

impl PushAuthor {
    /// The signed-in caller.
    pub fn of(me: &Me) -> Self {
        Self {
            user_id: me.id,
            agency: me.agency.clone(),
        }
    }
}

/// Whether a push's transaction is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    Commit,
    RollBack,
}

impl Store {
    /// Finds an account by name (for login).
    pub async fn user_by_name(&self, username: String) -> DbResult<Option<UserRow>> {
        self.call(move |conn| accounts::find_by_username(conn, &username))
            .await
    }

    /// Stores a session.
    pub async fn create_session(
        &self,
        hash: Vec<u8>,
        user_id: i64,
        now: i64,
        expires: i64,
    ) -> DbResult<()> {
        self.call(move |conn| accounts::insert_session(conn, &hash, user_id, now, expires))
            .await
    }

    /// Revokes a session.
    pub async fn revoke_session(&self, hash: Vec<u8>, now: i64) -> DbResult<()> {
        self.call(move |conn| accounts::revoke_session(conn, &hash, now))
            .await
    }

    /// Applies a push in one transaction.
    pub async fn push(
        &self,
        author: PushAuthor,
        scope: Scope,
        request: PushRequest,
        now_ms: i64,
    ) -> DbResult<PushResponse> {
        self.apply_push(author, scope, request, now_ms, Keep::Commit)
            .await
    }

    /// What a push would answer, keeping nothing: the transaction is rolled back. The fuzz
    /// targets run the real push path over one seeded database this way.
    pub async fn push_dry_run(
        &self,
        author: PushAuthor,
        scope: Scope,
        request: PushRequest,
        now_ms: i64,
    ) -> DbResult<PushResponse> {
        self.apply_push(author, scope, request, now_ms, Keep::RollBack)
            .await
    }

    async fn apply_push(
        &self,
        author: PushAuthor,
        scope: Scope,
        request: PushRequest,
        now_ms: i64,
        keep: Keep,
    ) -> DbResult<PushResponse> {
        let encoded = push::encode(&request, now_ms);
        self.call(move |conn| {
            let tx = conn.transaction()?;
            let pusher = push::Pusher {
                user_id: author.user_id,
                scope: &scope,
                agency: author.agency.as_deref(),
                now_ms,
            };
            let response = push::apply_encoded(&tx, pusher, &request, &encoded)?;
            if keep == Keep::Commit {
                tx.commit()?;
            }
            Ok(response)
        })
        .await
    }

    /// Reads one page of the caller's change stream.
    pub async fn pull(&self, args: PullArgs) -> DbResult<pull::PullPage> {
        self.call(move |conn| {
            let fresh = Cursor {
                change_seq: 0,
                scope_hash: konvergen_shared::sync::cursor::scope_hash(&args.scope.describe()),
                schema_version: pull::CHANGE_STREAM_VERSION,
            };
            if let Some(device) = &args.device_id {
                devices::after_pull(conn, device, args.user_id, args.now_ms)?;
            }
            let start = match args.cursor {
                Some(cursor)
                    if cursor.scope_hash != fresh.scope_hash
                        || cursor.schema_version != fresh.schema_version =>
                {
                    return Ok(pull::PullPage {
                        reset: true,
                        changes: Vec::new(),
                        cursor: fresh.to_string(),
                        has_more: true,
                        checksum: None,
                        server_time_ms: args.now_ms,
                    });
                }
                Some(cursor) => cursor.change_seq,
                None => 0,
            };
            let pull::Changes { changes, has_more } =
                pull::changes(conn, &args.scope, start, args.limit, args.max_page_bytes)?;
            let last = changes.last().map_or(start, |change| change.change_seq);
            let checksum = if has_more {
                None
            } else {
                Some(checksums::of_scope(conn, &args.scope)?)
            };
            Ok(pull::PullPage {
                reset: false,
                changes,
                cursor: Cursor {
                    change_seq: last,
                    ..fresh
                }
                .to_string(),
                has_more,
                checksum,
                server_time_ms: args.now_ms,
            })
        })
        .await
    }

    /// Stores a heartbeat sent on its own.
    pub async fn heartbeat(
        &self,
        device_id: String,
        user_id: i64,
        beat: Heartbeat,
        now_ms: i64,
    ) -> DbResult<()> {
        self.call(move |conn| devices::heartbeat_only(conn, &device_id, user_id, &beat, now_ms))
            .await
    }
}

/// A reviewer's decision on a conflict.
#[derive(Debug, Clone)]
pub struct ResolveArgs {
    /// The reviewer.
    pub user_id: i64,
    /// The reviewer's scope.
    pub scope: Scope,
    /// Conflict id.
    pub conflict_id: i64,
    /// The decision.
    pub request: ResolveRequest,
    /// Server time.
    pub now_ms: i64,
}

impl Store {
    /// Devices and villages of the scope with their sync state.
    pub async fn sync_status(
        &self,
        scope: Scope,
        now_ms: i64,
        silent_days: u32,
        month_start_ms: i64,
    ) -> DbResult<SyncStatus> {
        self.call(move |conn| {
            Ok(SyncStatus {
                generated_ms: now_ms,
                silent_days,
                devices: supervision::devices(conn, &scope, now_ms, silent_days)?,
                villages: supervision::villages(conn, &scope, month_start_ms)?,
            })
        })
        .await
    }

    /// Conflicts in the scope.
    pub async fn conflicts(
        &self,
        scope: Scope,
        include_resolved: bool,
    ) -> DbResult<Vec<ConflictView>> {
        self.call(move |conn| supervision::conflicts(conn, &scope, include_resolved))
            .await
    }

    /// Settles a conflict; writes the chosen version as a new version of the record, so it
    /// reaches every device through the normal pull. Audit-logged.
    pub async fn resolve_conflict(
        &self,
        args: ResolveArgs,
    ) -> DbResult<Result<ConflictView, Vec<FieldError>>> {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            let outcome = resolve_in(&tx, &args)?;
            if outcome.is_ok() {
                tx.commit()?;
            }
            Ok(outcome)
        })
        .await
    }
}

fn resolve_in(
    tx: &Transaction<'_>,
    args: &ResolveArgs,
) -> DbResult<Result<ConflictView, Vec<FieldError>>> {
    let conflict = supervision::conflict(tx, &args.scope, args.conflict_id)?;
    if conflict.resolved_ms.is_some() {
        return Err(DbError::Conflict("conflict already resolved".to_owned()));
    }
    let body = match args.request.resolution {
        Resolution::KeepServer => None,
        Resolution::TakeIncoming => Some(conflict.incoming_body.clone()),
        Resolution::Merge => Some(args.request.merged_body.clone().unwrap_or(Value::Null)),
    };
    if let Some(body) = body {
        let current =
            supervision::record_version(tx, &conflict.record_id)?.ok_or(DbError::NotFound)?;
        if current != conflict.server_version {
            return Err(DbError::Conflict(
                "the record changed after this conflict; review it again".to_owned(),
            ));
        }
        let entity = EntityKind::parse(&conflict.entity).ok_or(DbError::NotFound)?;
        let record_id = uuid::Uuid::parse_str(&conflict.record_id).map_err(anyhow::Error::from)?;
        let mutation = Mutation {
            seq: 0,
            entity,
            record_id,
            base_version: current.unsigned_abs(),
            op: if body.is_null() {
                Operation::Delete
            } else {
                Operation::Upsert
            },
            body,
            client_time_ms: None,
        };
        // Only coordinators review: they may write for any agency of their regency.
        let pusher = push::Pusher {
            user_id: args.user_id,
            scope: &args.scope,
            agency: None,
            now_ms: args.now_ms,
        };
        let device = format!("review:{}", args.user_id);
        let text = mutation.body.to_string();
        let outcome = records::batch(tx, |writes| match mutation.op {
            Operation::Upsert => {
                let verdicts = crate::validation::judge_upsert(&mutation, &text, args.now_ms);
                let body = records::JudgedBody {
                    text: &text,
                    verdicts: &verdicts,
                };
                records::upsert(tx, writes, pusher, &device, &mutation, body)
            }
            Operation::Delete => records::delete(tx, writes, pusher, &device, &mutation),
        })?;
        match outcome {
            records::Outcome::Applied { .. } => {}
            records::Outcome::Rejected(errors) => return Ok(Err(errors)),
            records::Outcome::Conflict { .. } => {
                return Err(DbError::Conflict("the record changed meanwhile".to_owned()));
            }
        }
    }
    let reason = args.request.reason.trim();
    supervision::mark_resolved(
        tx,
        args.conflict_id,
        args.user_id,
        args.request.resolution,
        reason,
        args.now_ms,
    )?;
    tx.execute(
        "INSERT INTO audit (at, user_id, action, entity, record_id, before, after)
         VALUES (?1, ?2, 'resolve_conflict', ?3, ?4, ?5, ?6)",
        rusqlite::params![
            args.now_ms,
            args.user_id,
            conflict.entity,
            conflict.record_id,
            conflict.server_body.to_string(),
            serde_json::json!({"resolution": args.request.resolution, "reason": reason})
                .to_string(),
        ],
    )?;
    Ok(Ok(supervision::conflict(
        tx,
        &args.scope,
        args.conflict_id,
    )?))
}

impl Store {
    /// The aggregate report of `area` for `quarter`.
    pub async fn aggregates(
        &self,
        area: String,
        quarter: konvergen_shared::recap::Quarter,
        quarter_end_ms: i64,
    ) -> DbResult<konvergen_shared::aggregates::AggregateReport> {
        self.call(move |conn| {
            if super::regions::level_of(conn, &area)?.is_none() {
                return Err(DbError::NotFound);
            }
            let rules = konvergen_shared::recap::RuleSet::default();
            super::aggregates::report(conn, &area, quarter, &rules, quarter_end_ms)
        })
        .await
    }

    /// The headline figures of `area` for each of `quarters` (oldest first).
    pub async fn trend(
        &self,
        area: String,
        quarters: Vec<konvergen_shared::recap::Quarter>,
    ) -> DbResult<konvergen_shared::aggregates::TrendReport> {
        self.call(move |conn| {
            if super::regions::level_of(conn, &area)?.is_none() {
                return Err(DbError::NotFound);
            }
            let rules = konvergen_shared::recap::RuleSet::default();
            super::aggregates::trend(conn, &area, &quarters, &rules)
        })
        .await
    }

    /// The households of a village with their members' services in `quarter`.
    pub async fn households(
        &self,
        village: String,
        quarter: konvergen_shared::recap::Quarter,
    ) -> DbResult<konvergen_shared::aggregates::HouseholdReport> {
        self.call(move |conn| {
            if super::regions::level_of(conn, &village)?.as_deref() != Some("village") {
                return Err(DbError::NotFound);
            }
            let rules = konvergen_shared::recap::RuleSet::default();
            super::aggregates::households(conn, &village, quarter, &rules)
        })
        .await
    }
}

impl Store {
    /// The agency list of a regency.
    pub async fn agencies(&self, regency: String) -> DbResult<Vec<String>> {
        self.call(move |conn| super::accounts::agencies(conn, &regency))
            .await
    }

    /// The "belum mengirim" board of a regency and year.
    pub async fn district_board(
        &self,
        regency: String,
        year: i32,
    ) -> DbResult<konvergen_shared::district::Board> {
        self.call(move |conn| {
            let agencies = super::accounts::agencies(conn, &regency)?;
            let records = super::district::live_records(conn, &regency)?;
            let parts: Vec<_> = records
                .iter()
                .map(
                    |(kind, body, updated_at_ms)| konvergen_shared::district::StoredPart {
                        kind: *kind,
                        body,
                        updated_at_ms: *updated_at_ms,
                    },
                )
                .collect();
            Ok(konvergen_shared::district::board(
                &regency, year, &agencies, &parts,
            ))
        })
        .await
    }

    /// The stored checklist of a regency and year, with its version.
    pub async fn checklist(
        &self,
        regency: String,
        year: i32,
    ) -> DbResult<Option<super::actions::StoredChecklist>> {
        self.call(move |conn| super::actions::checklist(conn, &regency, year))
            .await
    }

    /// Reads, changes (with `edit`) and stores a checklist in one transaction, checking the
    /// version the client read (audited). `fresh` is used when nothing is stored yet.
    pub async fn update_checklist<F>(
        &self,
        write: super::actions::ChecklistWrite,
        fresh: konvergen_shared::actions::Checklist,
        edit: F,
    ) -> DbResult<Result<super::actions::StoredChecklist, super::actions::Refusal>>
    where
        F: FnOnce(
                &mut konvergen_shared::actions::Checklist,
            ) -> Result<(), konvergen_shared::actions::WorkflowError>
            + Send
            + 'static,
    {
        self.call(move |conn| super::actions::update(conn, &write, fresh, edit))
            .await
    }
}

impl Store {
    /// The accounts of a regency's team.
    pub async fn team_accounts(
        &self,
        regency: String,
    ) -> DbResult<Vec<konvergen_shared::district::TeamAccount>> {
        self.call(move |conn| super::team::team_accounts(conn, &regency))
            .await
    }

    /// Adds an agency account to a regency's team (the agency must be on its list).
    pub async fn add_agency_account(
        &self,
        regency: String,
        new: konvergen_shared::district::NewTeamAccount,
        password_hash: String,
    ) -> DbResult<konvergen_shared::district::TeamAccount> {
        let now = crate::util::now_ms();
        self.call(move |conn| {
            super::team::add_agency_account(conn, &regency, &new, &password_hash, now)
        })
        .await
    }

    /// Disables or enables an agency account of a regency; `NotFound` for any other account.
    pub async fn set_team_account_disabled(
        &self,
        regency: String,
        username: String,
        disabled: bool,
    ) -> DbResult<konvergen_shared::district::TeamAccount> {
        let now = crate::util::now_ms();
        self.call(move |conn| {
            super::team::managed_account(conn, &regency, &username)?;
            super::team::set_disabled(conn, &username, disabled, now)?;
            super::team::managed_account(conn, &regency, &username)
        })
        .await
    }

    /// Gives an agency account of a regency a new password, ending its sessions.
    pub async fn reset_team_password(
        &self,
        regency: String,
        username: String,
        password_hash: String,
    ) -> DbResult<()> {
        let now = crate::util::now_ms();
        self.call(move |conn| {
            super::team::managed_account(conn, &regency, &username)?;
            super::accounts::set_password(conn, &username, &password_hash, now)
        })
        .await
    }
}
