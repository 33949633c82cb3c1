//! The province's per-item review through the API (issue #16): items accepted or needing
//! revision with a note, a return that relies on those notes, no verification while one
//! remains, the notes read by the district, and who may review what.

use konvergen_shared::actions::{
    Catalogue, Checklist, ItemState, ReviewInput, Status, Transition, Verdict,
};
use konvergen_shared::api::ErrorBody;
use konvergen_tests::TestServer;
use serde::Deserialize;

const CHECKLIST: &str = "/api/v1/actions/checklists/63.03/2026";
/// Two required items of the 2026 catalogue.
const ACCEPTED: &str = "a1.1";
const REVISED: &str = "a1.2";

/// The parts of the checklist answer these tests read.
#[derive(Debug, Deserialize)]
struct View {
    checklist: Checklist,
    version: u64,
}

fn evidenced(key: &str) -> ItemState {
    ItemState {
        done: true,
        links: vec![format!("https://dokumen.example/{key}.pdf")],
        ..ItemState::default()
    }
}

async fn save_item(
    server: &TestServer,
    token: &str,
    key: &str,
    item: &ItemState,
    expected: Option<u64>,
) -> reqwest::Response {
    let mut path = format!("{CHECKLIST}/items/{key}");
    if let Some(version) = expected {
        path.push_str(&format!("?expected_version={version}"));
    }
    server
        .client
        .put(server.url(&path))
        .bearer_auth(token)
        .json(item)
        .send()
        .await
        .expect("item")
}

async fn step(server: &TestServer, token: &str, step: &Transition) -> reqwest::Response {
    server
        .post(token, &format!("{CHECKLIST}/transition"), step)
        .send()
        .await
        .expect("transition")
}

/// Banjar fills every required item and submits; the version after the submission.
async fn submitted(server: &TestServer, banjar: &str) -> u64 {
    let catalogue = Catalogue::default_for(2026);
    for position in catalogue.required_items() {
        let key = &position.item.key;
        let saved = save_item(server, banjar, key, &evidenced(key), None).await;
        assert_eq!(saved.status(), 200, "{key}");
    }
    let sent = step(server, banjar, &Transition::Submit).await;
    assert_eq!(sent.status(), 200);
    sent.json::<View>().await.expect("view").version
}

async fn review_at(
    server: &TestServer,
    token: &str,
    path: &str,
    input: &ReviewInput,
) -> reqwest::Response {
    server
        .client
        .put(server.url(path))
        .bearer_auth(token)
        .json(input)
        .send()
        .await
        .expect("review")
}

async fn review(
    server: &TestServer,
    token: &str,
    key: &str,
    input: &ReviewInput,
) -> reqwest::Response {
    review_at(server, token, &format!("{CHECKLIST}/reviews/{key}"), input).await
}

fn accept() -> ReviewInput {
    ReviewInput {
        verdict: Verdict::Accepted,
        note: String::new(),
    }
}

fn revise(note: &str) -> ReviewInput {
    ReviewInput {
        verdict: Verdict::NeedsRevision,
        note: note.into(),
    }
}

fn give_back(reason: &str) -> Transition {
    Transition::Return {
        reason: reason.into(),
    }
}

/// The status and the (field, code) pairs of an error answer.
async fn refusal(response: reqwest::Response) -> (u16, Vec<(String, String)>) {
    let status = response.status().as_u16();
    let body: ErrorBody = response.json().await.expect("error body");
    let fields = body.fields.into_iter().map(|f| (f.field, f.code)).collect();
    (status, fields)
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

async fn show(server: &TestServer, token: &str) -> View {
    let response = server.get(token, CHECKLIST).send().await.expect("show");
    assert_eq!(response.status(), 200);
    response.json().await.expect("view")
}

#[tokio::test]
async fn the_province_returns_on_item_notes_and_the_district_reads_them() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    submitted(&server, &banjar).await;

    let accepted = review(&server, &province, ACCEPTED, &accept()).await;
    assert_eq!(accepted.status(), 200);
    let revised = review(
        &server,
        &province,
        REVISED,
        &revise("Notulen belum ditandatangani"),
    )
    .await;
    assert_eq!(revised.status(), 200);
    let view: View = revised.json().await.expect("view");
    let stored = view.checklist.review(REVISED).expect("stored");
    assert_eq!(
        (stored.verdict, stored.reviewer.as_str()),
        (Verdict::NeedsRevision, "provinsi.kalsel")
    );

    let verify = step(&server, &province, &Transition::Verify).await;
    assert_eq!(
        refusal(verify).await,
        (422, vec![pair("reviews", "needs_revision")])
    );
    let returned = step(&server, &province, &give_back("")).await;
    assert_eq!(returned.status(), 200, "the item note is reason enough");

    let seen = show(&server, &banjar).await.checklist;
    assert_eq!(seen.status, Status::Returned);
    let note = seen.review(REVISED).map(|r| (r.verdict, r.note.as_str()));
    assert_eq!(
        note,
        Some((Verdict::NeedsRevision, "Notulen belum ditandatangani"))
    );
    assert_eq!(
        seen.review(ACCEPTED).map(|r| r.verdict),
        Some(Verdict::Accepted)
    );
}

#[tokio::test]
async fn a_return_without_reason_needs_an_item_marked_for_revision() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    submitted(&server, &banjar).await;
    assert_eq!(
        review(&server, &province, ACCEPTED, &accept())
            .await
            .status(),
        200
    );
    let blank = step(&server, &province, &give_back("  ")).await;
    assert_eq!(
        refusal(blank).await,
        (422, vec![pair("reason", "required")])
    );
    let with_reason = step(&server, &province, &give_back("Lengkapi Aksi 2")).await;
    assert_eq!(with_reason.status(), 200);
}

#[tokio::test]
async fn bad_reviews_are_refused_with_their_fields() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    submitted(&server, &banjar).await;

    // Raw text: a verdict no client of ours can build.
    let unknown_verdict = server
        .client
        .put(server.url(&format!("{CHECKLIST}/reviews/{REVISED}")))
        .bearer_auth(&province)
        .header("content-type", "application/json")
        .body(r#"{"verdict": "maybe", "note": ""}"#)
        .send()
        .await
        .expect("review");
    assert_eq!(
        refusal(unknown_verdict).await,
        (422, vec![pair("verdict", "invalid")])
    );
    let long = review(&server, &province, REVISED, &revise(&"x".repeat(1001))).await;
    assert_eq!(refusal(long).await, (422, vec![pair("note", "too_long")]));
    let silent = review(&server, &province, REVISED, &revise(" ")).await;
    assert_eq!(refusal(silent).await, (422, vec![pair("note", "required")]));
    let unknown_item = review(&server, &province, "a9.9", &accept()).await;
    assert_eq!(
        refusal(unknown_item).await,
        (422, vec![pair("key", "unknown_item")])
    );
    assert!(show(&server, &province).await.checklist.reviews.is_empty());
}

#[tokio::test]
async fn only_the_province_reviews_and_only_in_its_scope_and_status() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;

    let draft = review(&server, &province, ACCEPTED, &accept()).await;
    assert_eq!(draft.status(), 409, "a draft is not reviewed");
    submitted(&server, &banjar).await;
    assert_eq!(
        review(&server, &banjar, ACCEPTED, &accept()).await.status(),
        403
    );
    assert_eq!(
        review(&server, &dinkes, ACCEPTED, &accept()).await.status(),
        403
    );
    let elsewhere = "/api/v1/actions/checklists/64.01/2026/reviews/a1.1";
    let outside = review_at(&server, &province, elsewhere, &accept()).await;
    assert_eq!(outside.status(), 404, "a regency of another province");
}

#[tokio::test]
async fn a_review_does_not_make_the_districts_next_item_save_stale() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let read = submitted(&server, &banjar).await;

    let path = |key: &str| format!("{CHECKLIST}/reviews/{key}?expected_version={read}");
    let first = review_at(&server, &province, &path(REVISED), &revise("Tautan mati")).await;
    assert_eq!(first.status(), 200);
    // Another item's review in between is no conflict; a second review of the same item is.
    let other = review_at(&server, &province, &path(ACCEPTED), &accept()).await;
    assert_eq!(other.status(), 200);
    let again = review_at(&server, &province, &path(REVISED), &accept()).await;
    assert_eq!(
        refusal(again).await,
        (409, vec![pair("expected_version", "stale")])
    );
    assert_eq!(step(&server, &province, &give_back("")).await.status(), 200);

    // The district saves the item on the version it read when it submitted, before any
    // review: the reviews do not count as changes of the item.
    let fixed = ItemState {
        links: vec!["https://dokumen.example/baru.pdf".into()],
        ..evidenced(REVISED)
    };
    let saved = save_item(&server, &banjar, REVISED, &fixed, Some(read)).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(
        step(&server, &banjar, &Transition::Submit).await.status(),
        200
    );
    let seen = show(&server, &province).await.checklist;
    let flag = |key: &str| seen.review(key).map(|r| r.changed_since);
    assert_eq!((flag(REVISED), flag(ACCEPTED)), (Some(true), Some(false)));
}
