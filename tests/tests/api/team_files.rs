//! Files of the team's records (issue #15): an agency uploads the photo of its part of an
//! item and names it in the record; the coordinator, the rest of the team and the province
//! can open it, another regency cannot, and the sweeper keeps it because a record names it.

use konvergen_backend::{AppState, Config};
use konvergen_shared::actions::evidence::FileMeta;
use konvergen_shared::district::Contribution;
use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;

use crate::blobs::{data_dir, get_status, jpeg, put, sha};
use crate::district::{DINKES, body, contribution, push_new};

#[tokio::test]
async fn an_agencys_photo_is_kept_and_read_by_its_team_and_the_province_only() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let photo = jpeg(21, 4_000);
    let hash = sha(&photo);
    assert_eq!(
        put(&server, &dinkes, &hash, photo.clone()).await.status(),
        201
    );
    let part = Contribution {
        files: vec![FileMeta {
            name: "rapat.jpg".into(),
            size: photo.len() as u64,
            sha256: hash.clone(),
            media_type: "image/jpeg".into(),
            taken_at: None,
            pending: false,
        }],
        ..contribution(DINKES, "a1.1")
    };
    let (_, pushed) = push_new(&server, &dinkes, EntityKind::Contribution, body(&part)).await;
    assert_eq!(
        pushed.status,
        MutationStatus::Applied,
        "{:?}",
        pushed.errors
    );

    // Long past the grace period: a record names it, so the sweeper leaves it.
    let nine_days_ms = 9 * 24 * 60 * 60 * 1000_i64;
    let db = rusqlite::Connection::open(&server.database).expect("open db");
    db.execute(
        "UPDATE blob SET last_put_at = last_put_at - ?2 WHERE sha256 = ?1",
        rusqlite::params![hash, nine_days_ms],
    )
    .expect("backdate");
    let state = AppState::open(Config::for_tests(data_dir(&server))).expect("state");
    let report = konvergen_backend::blobs::sweep(&state, konvergen_backend::util::now_ms())
        .await
        .expect("sweep");
    assert_eq!(report.removed, 0, "{report:?}");

    for (username, password, status) in [
        ("supervisor.banjar", "supervisor123", 200),
        ("dpmd.banjar", "dpmd2026", 200),
        ("provinsi.kalsel", "provinsi123", 200),
        ("supervisor.tapin", "supervisor123", 404),
        ("dinkes.tapin", "dinkes2026", 404),
        ("kader.sipai", "kader123", 404),
    ] {
        let token = server.login(username, password).await;
        assert_eq!(
            get_status(&server, &token, &hash).await,
            status,
            "{username}"
        );
    }
}
