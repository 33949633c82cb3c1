//! The regency team's records (issue #15): agencies send budget lines, innovations and their
//! part of evidence items through the same push and pull as cadres, each agency in its own
//! name and regency, and nobody changes a year the coordinator has handed to the province.

use konvergen_shared::district::{
    BudgetLine, Contribution, FundingSource, Innovation, Intervention,
};
use konvergen_shared::sync::{EntityKind, Mutation, MutationResult, MutationStatus};
use konvergen_tests::TestServer;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{SIPAI, batch, household, id, upsert};

pub(crate) const BANJAR: &str = "63.03";
pub(crate) const TAPIN: &str = "63.05";
pub(crate) const DINKES: &str = "Dinas Kesehatan";
pub(crate) const DPMD: &str = "Dinas Pemberdayaan Masyarakat dan Desa";

/// The assessed year: the current one (a year ahead is refused).
pub(crate) fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

fn budget_line(regency: &str, agency: &str, allocation_rp: i64) -> BudgetLine {
    BudgetLine {
        regency_code: regency.into(),
        year: year(),
        agency: agency.into(),
        fiscal_year: year(),
        programme: "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat".into(),
        activity: "Penyediaan Layanan Kesehatan untuk UKM".into(),
        sub_activity: "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat".into(),
        intervention: Intervention::Specific,
        source: FundingSource::Apbd,
        allocation_rp,
        realisation_rp: None,
        actions: vec![1],
    }
}

fn innovation(agency: &str) -> Innovation {
    Innovation {
        regency_code: BANJAR.into(),
        year: year(),
        agency: agency.into(),
        title: "Desa Bebas Stunting".into(),
        year_started: 2024,
        target_group: "Keluarga berisiko stunting".into(),
        description: "Pendampingan keluarga oleh kader desa".into(),
        results: String::new(),
        photos: Vec::new(),
    }
}

pub(crate) fn contribution(agency: &str, item_key: &str) -> Contribution {
    Contribution {
        regency_code: BANJAR.into(),
        year: year(),
        agency: agency.into(),
        item_key: item_key.into(),
        account: "Rembuk stunting bersama semua desa".into(),
        links: vec!["https://dokumen.example/notulen.pdf".into()],
        files: Vec::new(),
        note: String::new(),
        done_on: None,
    }
}

pub(crate) fn body(record: &impl Serialize) -> Value {
    serde_json::to_value(record).expect("body")
}

/// One mutation pushed from a fresh device; its receipt.
pub(crate) async fn push_one(
    server: &TestServer,
    token: &str,
    mutation: Mutation,
) -> MutationResult {
    let response = server.push(token, &batch(id(), vec![mutation])).await;
    response.results.into_iter().next().expect("one result")
}

pub(crate) async fn push_new(
    server: &TestServer,
    token: &str,
    kind: EntityKind,
    record: Value,
) -> (Uuid, MutationResult) {
    let record_id = id();
    (
        record_id,
        push_one(server, token, upsert(1, kind, record_id, 0, record)).await,
    )
}

pub(crate) fn fields(result: &MutationResult) -> Vec<(&str, &str)> {
    result
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect()
}

async fn pulled_ids(server: &TestServer, token: &str) -> Vec<Uuid> {
    server
        .pull(token, None)
        .await
        .changes
        .into_iter()
        .map(|c| c.record_id)
        .collect()
}

#[tokio::test]
async fn two_agencies_send_their_parts_and_the_team_sees_both() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let dpmd = server.login("dpmd.banjar", "dpmd2026").await;
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let (line, first) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DINKES, 1_250_000_000)),
    )
    .await;
    let (idea, second) = push_new(
        &server,
        &dpmd,
        EntityKind::Innovation,
        body(&innovation(DPMD)),
    )
    .await;
    let keys = konvergen_shared::actions::Catalogue::default_for(year());
    let key = keys.actions[0].evidence[0].key.clone();
    let (part, third) = push_new(
        &server,
        &dpmd,
        EntityKind::Contribution,
        body(&contribution(DPMD, &key)),
    )
    .await;
    for result in [&first, &second, &third] {
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.errors
        );
    }
    for token in [&coordinator, &dinkes, &dpmd] {
        let ids = pulled_ids(&server, token).await;
        assert!(
            ids.contains(&line) && ids.contains(&idea) && ids.contains(&part),
            "{ids:?}"
        );
    }
    // The team's pull carries no village records, and a cadre's none of the team's.
    let cadre = server.login("kader.sipai", "kader123").await;
    let (house, pushed) = push_new(
        &server,
        &cadre,
        EntityKind::Household,
        household(SIPAI, "Ibu Sari"),
    )
    .await;
    assert_eq!(pushed.status, MutationStatus::Applied);
    let coordinator_pull = server.pull(&coordinator, None).await;
    assert!(
        coordinator_pull
            .changes
            .iter()
            .all(|c| c.entity.is_district())
    );
    let cadre_ids = pulled_ids(&server, &cadre).await;
    assert!(cadre_ids.contains(&house));
    assert!(![line, idea, part].iter().any(|id| cadre_ids.contains(id)));
}

#[tokio::test]
async fn an_agency_of_banjar_can_neither_read_nor_write_tapin() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("dinkes.banjar", "dinkes2026").await;
    let tapin = server.login("dinkes.tapin", "dinkes2026").await;
    let (_, refused) = push_new(
        &server,
        &banjar,
        EntityKind::BudgetLine,
        body(&budget_line(TAPIN, DINKES, 5)),
    )
    .await;
    assert_eq!(refused.status, MutationStatus::Rejected);
    assert_eq!(fields(&refused), [("body.regency_code", "out_of_scope")]);
    let (tapin_line, applied) = push_new(
        &server,
        &tapin,
        EntityKind::BudgetLine,
        body(&budget_line(TAPIN, DINKES, 5)),
    )
    .await;
    assert_eq!(applied.status, MutationStatus::Applied);
    assert!(!pulled_ids(&server, &banjar).await.contains(&tapin_line));
    // Its id with a Banjar body: the record is not there as far as Banjar can tell.
    let taken = push_one(
        &server,
        &banjar,
        upsert(
            1,
            EntityKind::BudgetLine,
            tapin_line,
            1,
            body(&budget_line(BANJAR, DINKES, 5)),
        ),
    )
    .await;
    assert_eq!(fields(&taken), [("record_id", "not_found")]);
    // Nor can an agency write a village's records, though the village lies in its regency.
    let (_, household) = push_new(
        &server,
        &banjar,
        EntityKind::Household,
        household(SIPAI, "Bukan kader"),
    )
    .await;
    assert_eq!(household.status, MutationStatus::Rejected);
    // The province and admins do not sync at all.
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let response = server
        .get(&province, "/api/v1/sync/pull")
        .send()
        .await
        .expect("pull");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn an_agency_writes_only_in_its_own_name() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let dpmd = server.login("dpmd.banjar", "dpmd2026").await;
    let (_, posing) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DPMD, 5)),
    )
    .await;
    assert_eq!(fields(&posing), [("body.agency", "not_own_agency")]);
    let (theirs, applied) = push_new(
        &server,
        &dpmd,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DPMD, 5)),
    )
    .await;
    assert_eq!(applied.status, MutationStatus::Applied);
    let overwrite = push_one(
        &server,
        &dinkes,
        upsert(
            1,
            EntityKind::BudgetLine,
            theirs,
            1,
            body(&budget_line(BANJAR, DINKES, 9)),
        ),
    )
    .await;
    assert_eq!(fields(&overwrite), [("record_id", "not_found")]);
    // The coordinator may write for any agency on the list.
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let (_, on_behalf) = push_new(
        &server,
        &coordinator,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DPMD, 7)),
    )
    .await;
    assert_eq!(
        on_behalf.status,
        MutationStatus::Applied,
        "{:?}",
        on_behalf.errors
    );
}

#[tokio::test]
async fn bad_input_names_its_field_in_bahasa_indonesia() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let (_, negative) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DINKES, -1)),
    )
    .await;
    assert_eq!(fields(&negative), [("body.allocation_rp", "negative")]);
    assert_eq!(
        negative.errors[0].message_id,
        "Nilai rupiah tidak boleh negatif"
    );
    let (_, unknown) = push_new(
        &server,
        &coordinator,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, "Dinas Rekaan", 1)),
    )
    .await;
    assert_eq!(fields(&unknown), [("body.agency", "unknown_agency")]);
    let mut future = budget_line(BANJAR, DINKES, 1);
    future.year = year() + 1;
    future.fiscal_year = year() + 1;
    let (_, later) = push_new(&server, &dinkes, EntityKind::BudgetLine, body(&future)).await;
    assert_eq!(fields(&later), [("body.year", "out_of_range")]);
    let (_, item) = push_new(
        &server,
        &dinkes,
        EntityKind::Contribution,
        body(&contribution(DINKES, "z9.9")),
    )
    .await;
    assert_eq!(fields(&item), [("body.item_key", "unknown_item")]);
    let (_, shape) = push_new(
        &server,
        &dinkes,
        EntityKind::Innovation,
        json!({"regency_code": BANJAR, "year": year(), "agency": DINKES, "title": 5}),
    )
    .await;
    assert_eq!(shape.status, MutationStatus::Rejected);
    assert!(
        shape.errors[0].field.starts_with("body"),
        "{:?}",
        shape.errors
    );
}

#[tokio::test]
async fn the_same_record_edited_twice_offline_becomes_a_conflict_for_the_coordinator() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let (line, created) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DINKES, 100)),
    )
    .await;
    assert_eq!(created.status, MutationStatus::Applied);
    // Two browsers of the agency, both from version 1.
    let laptop = push_one(
        &server,
        &dinkes,
        upsert(
            1,
            EntityKind::BudgetLine,
            line,
            1,
            body(&budget_line(BANJAR, DINKES, 200)),
        ),
    )
    .await;
    let phone = push_one(
        &server,
        &dinkes,
        upsert(
            1,
            EntityKind::BudgetLine,
            line,
            1,
            body(&budget_line(BANJAR, DINKES, 300)),
        ),
    )
    .await;
    assert_eq!(
        (laptop.status, phone.status),
        (MutationStatus::Applied, MutationStatus::Conflict)
    );
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let conflicts: Vec<konvergen_shared::supervision::ConflictView> = server
        .get(&coordinator, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("conflicts")
        .json()
        .await
        .expect("json");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].record_id, line.to_string());
    // Tapin's coordinator does not see it.
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let none: Vec<Value> = server
        .get(&tapin, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("conflicts")
        .json()
        .await
        .expect("json");
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_year_handed_to_the_province_is_read_only_for_the_team() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let (line, created) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DINKES, 100)),
    )
    .await;
    assert_eq!(created.status, MutationStatus::Applied);
    submit_year(&server, &coordinator, year()).await;
    let edit = push_one(
        &server,
        &dinkes,
        upsert(
            1,
            EntityKind::BudgetLine,
            line,
            1,
            body(&budget_line(BANJAR, DINKES, 200)),
        ),
    )
    .await;
    assert_eq!(fields(&edit), [("body.year", "submitted")]);
    let (_, new) = push_new(
        &server,
        &coordinator,
        EntityKind::Innovation,
        body(&innovation(DINKES)),
    )
    .await;
    assert_eq!(fields(&new), [("body.year", "submitted")]);
    let mut removal = upsert(1, EntityKind::BudgetLine, line, 1, Value::Null);
    removal.op = konvergen_shared::sync::Operation::Delete;
    let deleted = push_one(&server, &dinkes, removal).await;
    assert_eq!(fields(&deleted), [("body.year", "submitted")]);
    // The year before is still open.
    let mut earlier = budget_line(BANJAR, DINKES, 100);
    earlier.year = year() - 1;
    earlier.fiscal_year = year() - 1;
    let (_, open) = push_new(&server, &dinkes, EntityKind::BudgetLine, body(&earlier)).await;
    assert_eq!(open.status, MutationStatus::Applied, "{:?}", open.errors);
}

/// Marks every required item done with a link and submits the year.
pub(crate) async fn submit_year(server: &TestServer, token: &str, year: i32) {
    super::fixtures::submit_checklist(server, token, BANJAR, year).await;
}

fn deadline(due_at: time::OffsetDateTime) -> Value {
    body(&konvergen_shared::district::Deadline {
        regency_code: BANJAR.into(),
        year: year(),
        due_at,
    })
}

pub(crate) async fn board(server: &TestServer, token: &str) -> konvergen_shared::district::Board {
    let response = server
        .get(
            token,
            &format!("/api/v1/district/{BANJAR}/{}/board", year()),
        )
        .send()
        .await
        .expect("board");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_board_shows_who_owes_what_and_what_came_after_the_deadline() {
    use konvergen_shared::district::Part;
    let server = TestServer::start_demo().await.expect("server");
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let wita = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    let tomorrow = time::OffsetDateTime::now_utc().to_offset(wita) + time::Duration::DAY;
    // Only the coordinator sets deadlines.
    let (_, refused) = push_new(&server, &dinkes, EntityKind::Deadline, deadline(tomorrow)).await;
    assert_eq!(fields(&refused), [("entity", "coordinator_only")]);
    let (due, set) = push_new(
        &server,
        &coordinator,
        EntityKind::Deadline,
        deadline(tomorrow),
    )
    .await;
    assert_eq!(set.status, MutationStatus::Applied, "{:?}", set.errors);

    let before = board(&server, &coordinator).await;
    assert_eq!(before.agencies.len(), 11, "every agency on the list");
    assert!(
        before
            .agencies
            .iter()
            .all(|a| a.owes() == [Part::Budget, Part::Innovation, Part::Evidence])
    );

    let (_, sent) = push_new(
        &server,
        &dinkes,
        EntityKind::BudgetLine,
        body(&budget_line(BANJAR, DINKES, 10)),
    )
    .await;
    assert_eq!(sent.status, MutationStatus::Applied);
    let after = board(&server, &dinkes).await;
    let row = after
        .agencies
        .iter()
        .find(|a| a.agency == DINKES)
        .expect("dinkes");
    assert_eq!((row.budget_lines_year, row.late), (1, 0));
    assert!(row.last_sent_ms.is_some());
    assert_eq!(
        row.owes(),
        [Part::Budget, Part::Innovation, Part::Evidence],
        "the next year's budget is still owed"
    );

    // The coordinator moves the deadline to yesterday: what came in is now late.
    let yesterday = tomorrow - time::Duration::DAY * 2;
    let moved = push_one(
        &server,
        &coordinator,
        upsert(1, EntityKind::Deadline, due, 1, deadline(yesterday)),
    )
    .await;
    assert_eq!(moved.status, MutationStatus::Applied);
    let late = board(&server, &coordinator).await;
    assert_eq!(
        late.due_at.map(|d| d.unix_timestamp()),
        Some(yesterday.unix_timestamp())
    );
    assert_eq!(
        late.agencies
            .iter()
            .find(|a| a.agency == DINKES)
            .map(|a| a.late),
        Some(1)
    );

    // Another regency's board is not there for Banjar.
    let response = server
        .get(
            &dinkes,
            &format!("/api/v1/district/{TAPIN}/{}/board", year()),
        )
        .send()
        .await
        .expect("board");
    assert_eq!(response.status(), 404);
}
