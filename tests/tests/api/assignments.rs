//! The coordinator gives evidence items to agencies (issue #15): only the coordinator, only
//! items of the year's catalogue and agencies of the regency's list; the board then says
//! which agency still owes which of its items.

use konvergen_shared::district::{Assignment, Part};
use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;

use crate::district::{BANJAR, DINKES, DPMD, board, body, contribution, fields, push_new, year};

fn assignment(item_key: &str, agencies: &[&str]) -> Assignment {
    Assignment {
        regency_code: BANJAR.into(),
        year: year(),
        item_key: item_key.into(),
        agencies: agencies.iter().map(|a| (*a).to_owned()).collect(),
    }
}

#[tokio::test]
async fn only_the_coordinator_assigns_and_only_what_exists() {
    let server = TestServer::start_demo().await.expect("server");
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let given = body(&assignment("a1.1", &[DINKES]));

    let (_, by_agency) = push_new(&server, &dinkes, EntityKind::Assignment, given.clone()).await;
    assert_eq!(fields(&by_agency), [("entity", "coordinator_only")]);

    let (_, unknown) = push_new(
        &server,
        &coordinator,
        EntityKind::Assignment,
        body(&assignment("a9.9", &[DINKES, "Dinas Pariwisata"])),
    )
    .await;
    assert_eq!(
        fields(&unknown),
        [
            ("body.item_key", "unknown_item"),
            ("body.agencies[1]", "unknown_agency")
        ]
    );
    let twice = body(&assignment("a1.1", &[DINKES, DINKES]));
    let (_, doubled) = push_new(&server, &coordinator, EntityKind::Assignment, twice).await;
    assert_eq!(fields(&doubled), [("body.agencies", "duplicate")]);

    let (_, applied) = push_new(&server, &coordinator, EntityKind::Assignment, given).await;
    assert_eq!(
        applied.status,
        MutationStatus::Applied,
        "{:?}",
        applied.errors
    );
}

#[tokio::test]
async fn the_board_names_the_items_an_agency_still_owes() {
    let server = TestServer::start_demo().await.expect("server");
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    for (item, agencies) in [("a1.1", vec![DINKES, DPMD]), ("a1.2", vec![DINKES])] {
        let record = body(&assignment(item, &agencies));
        let (_, result) = push_new(&server, &coordinator, EntityKind::Assignment, record).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.errors
        );
    }
    let row = |board: &konvergen_shared::district::Board, agency: &str| {
        board
            .agencies
            .iter()
            .find(|r| r.agency == agency)
            .cloned()
            .expect("row")
    };
    let before = board(&server, &coordinator).await;
    assert_eq!(row(&before, DINKES).items_owed, ["a1.1", "a1.2"]);
    assert_eq!(row(&before, DPMD).items_owed, ["a1.1"]);

    let sent = body(&contribution(DINKES, "a1.2"));
    let (_, result) = push_new(&server, &dinkes, EntityKind::Contribution, sent).await;
    assert_eq!(
        result.status,
        MutationStatus::Applied,
        "{:?}",
        result.errors
    );
    let after = board(&server, &coordinator).await;
    let dinkes_row = row(&after, DINKES);
    assert_eq!(
        (dinkes_row.items_assigned, dinkes_row.items_owed.clone()),
        (2, vec!["a1.1".to_owned()])
    );
    assert!(dinkes_row.owes().contains(&Part::Evidence));
    // An agency given nothing and having sent nothing still owes its part.
    let pupr = row(
        &after,
        "Dinas Pekerjaan Umum, Penataan Ruang dan Pertanahan",
    );
    assert_eq!(pupr.items_assigned, 0);
    assert!(pupr.owes().contains(&Part::Evidence));
}
