//! Pull: paging, scope, checksums and cursor resets.

use konvergen_shared::api::ErrorBody;
use konvergen_shared::sync::{Cursor, EntityKind, ScopeChecksum};
use konvergen_tests::TestServer;

use crate::fixtures::{BINCAU, SIPAI, batch, household, id, upsert};

#[tokio::test]
async fn pages_follow_the_change_order_and_end_with_a_checksum() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let mutations: Vec<_> = (1..=25)
        .map(|seq| {
            upsert(
                seq,
                EntityKind::Household,
                id(),
                0,
                household(SIPAI, &format!("KK {seq}")),
            )
        })
        .collect();
    server.push(&token, &batch(id(), mutations)).await;
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let mut request = server
            .get(&token, "/api/v1/sync/pull")
            .query(&[("limit", "10")]);
        if let Some(c) = &cursor {
            request = request.query(&[("cursor", c)]);
        }
        let page: konvergen_shared::sync::PullResponse = request
            .send()
            .await
            .expect("pull")
            .json()
            .await
            .expect("json");
        pages += 1;
        seen.extend(
            page.changes
                .iter()
                .map(|c| (c.record_id, c.version, c.change_seq)),
        );
        cursor = Some(page.cursor.clone());
        if !page.has_more {
            let expected = ScopeChecksum::of(seen.iter().map(|(id, v, _)| (*id, *v)));
            assert_eq!(page.checksum, Some(expected));
            break;
        }
        assert!(page.checksum.is_none());
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0].2 < w[1].2));
    // Nothing new: an empty page, same cursor.
    let again = server.pull(&token, cursor.as_deref()).await;
    assert!(again.changes.is_empty());
    assert_eq!(Some(again.cursor), cursor);
}

#[tokio::test]
async fn each_cadre_pulls_only_their_villages() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let bincau = server.login("kader.bincau", "kader123").await;
    server
        .push(
            &sipai,
            &batch(
                id(),
                vec![upsert(
                    1,
                    EntityKind::Household,
                    id(),
                    0,
                    household(SIPAI, "A"),
                )],
            ),
        )
        .await;
    server
        .push(
            &bincau,
            &batch(
                id(),
                vec![upsert(
                    1,
                    EntityKind::Household,
                    id(),
                    0,
                    household(BINCAU, "B"),
                )],
            ),
        )
        .await;
    let page = server.pull(&sipai, None).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].village_code, SIPAI);
    let page = server.pull(&bincau, None).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].village_code, BINCAU);
}

#[tokio::test]
async fn a_cursor_from_another_scope_forces_a_reset() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let bincau = server.login("kader.bincau", "kader123").await;
    server
        .push(
            &sipai,
            &batch(
                id(),
                vec![upsert(
                    1,
                    EntityKind::Household,
                    id(),
                    0,
                    household(SIPAI, "A"),
                )],
            ),
        )
        .await;
    let cursor = server.pull(&sipai, None).await.cursor;
    // The same cursor presented under another scope (as after a change of villages).
    let reset = server.pull(&bincau, Some(&cursor)).await;
    assert!(reset.reset);
    assert!(reset.changes.is_empty());
    let fresh = Cursor::parse(&reset.cursor).expect("fresh cursor");
    assert_eq!(fresh.change_seq, 0);
}

/// Phones hold cursors issued under schema 5, whose last field was the schema version. A
/// migration that only adds a table must not send every phone into a full re-pull.
#[tokio::test]
async fn cursors_issued_before_a_migration_stay_valid() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let first = household(SIPAI, "A");
    server
        .push(
            &sipai,
            &batch(id(), vec![upsert(1, EntityKind::Household, id(), 0, first)]),
        )
        .await;
    let position = Cursor::parse(&server.pull(&sipai, None).await.cursor).expect("cursor");
    let held_by_phones = Cursor {
        schema_version: 5,
        ..position
    };
    assert!(konvergen_backend::db::latest_schema_version() > 5);
    assert_eq!(
        position, held_by_phones,
        "cursors keep the form phones hold"
    );
    let device = id();
    let later = id();
    server
        .push(
            &sipai,
            &batch(
                device,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    later,
                    0,
                    household(SIPAI, "B"),
                )],
            ),
        )
        .await;
    let page = server.pull(&sipai, Some(&held_by_phones.to_string())).await;
    assert!(!page.reset);
    let pulled: Vec<_> = page.changes.iter().map(|c| c.record_id).collect();
    assert_eq!(pulled, vec![later]);
    // A cursor of another stream version still starts over.
    let other = Cursor {
        schema_version: 4,
        ..position
    };
    assert!(server.pull(&sipai, Some(&other.to_string())).await.reset);
}

#[tokio::test]
async fn a_malformed_cursor_names_the_field() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let response = server
        .get(&token, "/api/v1/sync/pull")
        .query(&[("cursor", "garbage")])
        .send()
        .await
        .expect("pull");
    assert_eq!(response.status(), 422);
    let body: ErrorBody = response.json().await.expect("error shape");
    assert_eq!(body.fields[0].field, "cursor");
}

#[tokio::test]
async fn deletes_travel_as_tombstones() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (device, house) = (id(), id());
    server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    house,
                    0,
                    household(SIPAI, "A"),
                )],
            ),
        )
        .await;
    let cursor = server.pull(&token, None).await.cursor;
    let mut delete = upsert(2, EntityKind::Household, house, 1, serde_json::Value::Null);
    delete.op = konvergen_shared::sync::Operation::Delete;
    server.push(&token, &batch(device, vec![delete])).await;
    let page = server.pull(&token, Some(&cursor)).await;
    assert_eq!(page.changes.len(), 1);
    assert!(page.changes[0].deleted);
    assert_eq!(page.changes[0].version, 2);
}

/// Bodies go out as the stored JSON text, never decoded: the page is byte for byte what the
/// server sent when it decoded every body and encoded it again (which is what decoding the
/// page into the wire type and encoding it gives).
#[tokio::test]
async fn pages_are_the_same_json_as_with_decoded_bodies() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let device = id();
    let heads = [
        "Siti \"Ibu\" Ñoño",
        "Ahmad\\Banjar ☺ 1/2",
        "Tab\tdan baris\nbaru",
    ];
    let mutations: Vec<_> = heads
        .iter()
        .enumerate()
        .map(|(n, head)| {
            upsert(
                n as u64 + 1,
                EntityKind::Household,
                id(),
                0,
                household(SIPAI, head),
            )
        })
        .collect();
    let created = mutations[0].record_id;
    server.push(&token, &batch(device, mutations)).await;
    let mut delete = upsert(
        4,
        EntityKind::Household,
        created,
        1,
        serde_json::Value::Null,
    );
    delete.op = konvergen_shared::sync::Operation::Delete;
    server.push(&token, &batch(device, vec![delete])).await;
    let response = server
        .get(&token, "/api/v1/sync/pull")
        .send()
        .await
        .expect("pull");
    let length = response.content_length();
    let text = response.text().await.expect("body");
    assert_eq!(
        length,
        Some(text.len() as u64),
        "a Content-Length as before"
    );
    let page: konvergen_shared::sync::PullResponse = serde_json::from_str(&text).expect("page");
    assert_eq!(page.changes.len(), 3);
    assert!(page.changes.iter().any(|c| c.deleted && c.body.is_null()));
    assert_eq!(serde_json::to_string(&page).expect("encode"), text);
}

/// Many phones pulling at once share the configured page bytes: every page stays within
/// its share (one record over at most), pages get smaller than the asked-for 1,000
/// records, and every phone still receives all its records, in order, with the checksum.
#[tokio::test]
async fn phones_pulling_at_once_share_the_page_bytes_and_all_finish() {
    let shared = konvergen_backend::pull_load::MIN_PAGE_BYTES;
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.pull_bytes_in_flight = shared;
    })
    .await
    .expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let mutations: Vec<_> = (1..=600)
        .map(|seq| {
            upsert(
                seq,
                EntityKind::Household,
                id(),
                0,
                household(
                    SIPAI,
                    &format!("Kepala keluarga nomor {seq} dengan nama panjang"),
                ),
            )
        })
        .collect();
    server.push(&token, &batch(id(), mutations)).await;
    let phones = 24;
    let syncs: Vec<_> = (0..phones)
        .map(|_| {
            let (client, url, token) = (
                server.client.clone(),
                server.url("/api/v1/sync/pull"),
                token.clone(),
            );
            tokio::spawn(async move { sync_all(&client, &url, &token).await })
        })
        .collect();
    for sync in syncs {
        let (records, pages, largest) = sync.await.expect("phone");
        assert_eq!(records.len(), 600);
        assert!(records.windows(2).all(|w| w[0].2 < w[1].2), "change order");
        assert!(
            pages >= 2,
            "600 records in pages of one share: {pages} page(s)"
        );
        assert!(
            largest <= shared + 1_024,
            "page of {largest} B over its share"
        );
    }
}

/// A phone's initial sync: its records, the pages they came in and the largest page.
async fn sync_all(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> (Vec<(uuid::Uuid, u64, u64)>, usize, usize) {
    let (mut records, mut pages, mut largest) = (Vec::new(), 0, 0);
    let mut cursor: Option<String> = None;
    loop {
        let mut request = client
            .get(url)
            .bearer_auth(token)
            .query(&[("limit", "1000")]);
        if let Some(c) = &cursor {
            request = request.query(&[("cursor", c)]);
        }
        let text = request
            .send()
            .await
            .expect("pull")
            .text()
            .await
            .expect("body");
        let page: konvergen_shared::sync::PullResponse = serde_json::from_str(&text).expect("page");
        pages += 1;
        largest = largest.max(text.len());
        records.extend(
            page.changes
                .iter()
                .map(|c| (c.record_id, c.version, c.change_seq)),
        );
        cursor = Some(page.cursor);
        if !page.has_more {
            let expected = ScopeChecksum::of(records.iter().map(|(id, v, _)| (*id, *v)));
            assert_eq!(page.checksum, Some(expected));
            return (records, pages, largest);
        }
    }
}

/// A village checksum missing from the table (records written by a direct loader, or a
/// database from before the table) is recomputed for the pull's last page and stored again
/// for the next pull.
#[tokio::test]
async fn a_missing_village_checksum_is_recomputed_for_the_pull_and_stored_again() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let mutations: Vec<_> = (1..=3)
        .map(|seq| upsert(seq, EntityKind::Household, id(), 0, household(SIPAI, "KK")))
        .collect();
    server.push(&token, &batch(id(), mutations)).await;
    let database = rusqlite::Connection::open(&server.database).expect("open database");
    let stored_rows = || -> i64 {
        database
            .query_row("SELECT count(*) FROM village_checksum", [], |row| {
                row.get(0)
            })
            .expect("count")
    };
    let before = server.pull(&token, None).await;
    assert!(!before.has_more);
    assert!(stored_rows() > 0);
    database
        .execute("DELETE FROM village_checksum", [])
        .expect("forget the checksums");

    let after = server.pull(&token, None).await;
    assert_eq!(after.checksum, before.checksum);
    assert!(after.checksum.is_some());
    assert!(
        stored_rows() > 0,
        "the recomputed checksums are stored again"
    );
}
