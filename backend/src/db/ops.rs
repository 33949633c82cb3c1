//! The operations handlers use, one async method each. They are the storage boundary:
//! another database (PostgreSQL) would implement these same methods.

use konvergen_shared::api::Me;
use konvergen_shared::sync::{Cursor, Heartbeat, PullResponse, PushRequest, PushResponse};

use super::accounts::{self, UserRow};
use super::{DbResult, Store, devices, migrations, pull, push};
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
    /// The pulling device.
    pub device_id: Option<String>,
    /// Server time.
    pub now_ms: i64,
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
        me: Me,
        scope: Scope,
        request: PushRequest,
        now_ms: i64,
    ) -> DbResult<PushResponse> {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            let pusher = push::Pusher {
                user_id: me.id,
                scope: &scope,
                now_ms,
            };
            let response = push::apply(&tx, pusher, &request)?;
            tx.commit()?;
            Ok(response)
        })
        .await
    }

    /// Reads one page of the caller's change stream.
    pub async fn pull(&self, args: PullArgs) -> DbResult<PullResponse> {
        self.call(move |conn| {
            let schema_version = migrations::schema_version(conn)?;
            let fresh = Cursor {
                change_seq: 0,
                scope_hash: konvergen_shared::sync::cursor::scope_hash(&args.scope.describe()),
                schema_version,
            };
            if let Some(device) = &args.device_id {
                devices::after_pull(conn, device, args.user_id, args.now_ms)?;
            }
            let start = match args.cursor {
                Some(cursor)
                    if cursor.scope_hash != fresh.scope_hash
                        || cursor.schema_version != schema_version =>
                {
                    return Ok(PullResponse {
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
            // One extra row tells whether another page follows.
            let mut changes = pull::changes(conn, &args.scope, start, args.limit + 1)?;
            let has_more = changes.len() > args.limit as usize;
            changes.truncate(args.limit as usize);
            let last = changes.last().map_or(start, |change| change.change_seq);
            let checksum = if has_more {
                None
            } else {
                Some(pull::checksum(conn, &args.scope)?)
            };
            Ok(PullResponse {
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
