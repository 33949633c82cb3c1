//! The dossier of a regency's year (`docs/penilaian-kinerja.md` §2-3), filled through the
//! real API: the workbook lists every evidence item of the catalogue, budget totals equal
//! the sum of the lines, the outcome figures are those of `/api/v1/aggregates`; the archive
//! holds every named file once, under safe names, and lists what has not arrived.

use std::io::{Cursor, Read};

use konvergen_shared::actions::{Catalogue, FileMeta, ItemState};
use konvergen_shared::api::ErrorBody;
use konvergen_shared::district::{
    BudgetLine, Contribution, FundingSource, Innovation, Intervention,
};
use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;

use crate::blobs::{jpeg, pdf, put, sha};
use crate::district::{body, push_new};

mod workbook;

const BANJAR: &str = "63.03";
/// The year of the aggregate seed's measurements.
const YEAR: i32 = 2026;
const DINKES: &str = "Dinas Kesehatan";
const DPMD: &str = "Dinas Pemberdayaan Masyarakat dan Desa";

/// The files of the year: the content of each, and one never sent.
struct Files {
    analysis: (FileMeta, Vec<u8>),
    shared: (FileMeta, Vec<u8>),
    photo: (FileMeta, Vec<u8>),
    part: (FileMeta, Vec<u8>),
    idea: (FileMeta, Vec<u8>),
    not_sent: FileMeta,
}

fn meta(name: &str, bytes: &[u8], media_type: &str) -> FileMeta {
    FileMeta {
        name: name.into(),
        size: bytes.len() as u64,
        sha256: sha(bytes),
        media_type: media_type.into(),
        taken_at: None,
        pending: false,
    }
}

fn files() -> Files {
    let with =
        |name: &str, bytes: Vec<u8>, media_type: &str| (meta(name, &bytes, media_type), bytes);
    Files {
        analysis: with(
            "Laporan analisis: situasi 2026.pdf",
            pdf(1, 3_000),
            "application/pdf",
        ),
        shared: with("SK Tim.pdf", pdf(2, 5_000), "application/pdf"),
        photo: with("foto rembuk.jpg", jpeg(3, 20_000), "image/jpeg"),
        part: with("notulen dinkes.pdf", pdf(4, 1_000), "application/pdf"),
        idea: with("kegiatan.jpg", jpeg(6, 9_000), "image/jpeg"),
        not_sent: meta("belum.pdf", &pdf(5, 800), "application/pdf"),
    }
}

fn line(
    agency: &str,
    fiscal_year: i32,
    kind: Intervention,
    source: FundingSource,
    rp: (i64, Option<i64>),
) -> BudgetLine {
    BudgetLine {
        regency_code: BANJAR.into(),
        year: YEAR,
        agency: agency.into(),
        fiscal_year,
        programme: "Program Pemenuhan Upaya Kesehatan".into(),
        activity: "Penyediaan Layanan Kesehatan".into(),
        sub_activity: "Pengelolaan Pelayanan Gizi".into(),
        intervention: kind,
        source,
        allocation_rp: rp.0,
        realisation_rp: rp.1,
        actions: vec![1, 8],
    }
}

/// The year's budget as the agencies send it (the coordinator sends Bappedalitbang's).
fn budget() -> Vec<(&'static str, BudgetLine)> {
    use FundingSource::{Apbd, Dak, DanaDesa};
    use Intervention::{Coordination, Sensitive, Specific};
    vec![
        (
            "dinkes",
            line(
                DINKES,
                YEAR,
                Specific,
                Apbd,
                (1_250_000_000, Some(1_100_000_000)),
            ),
        ),
        (
            "dinkes",
            line(DINKES, YEAR + 1, Specific, Dak, (500_000_000, None)),
        ),
        (
            "dpmd",
            line(
                DPMD,
                YEAR,
                Sensitive,
                DanaDesa,
                (300_000_000, Some(250_000_000)),
            ),
        ),
        (
            "coordinator",
            line(
                "Bappedalitbang",
                YEAR,
                Coordination,
                Apbd,
                (75_000_000, Some(75_000_000)),
            ),
        ),
    ]
}

/// Tokens of the coordinator and two agencies of Banjar.
struct Team {
    coordinator: String,
    dinkes: String,
    dpmd: String,
}

impl Team {
    async fn login(server: &TestServer) -> Self {
        Self {
            coordinator: server.login("supervisor.banjar", "supervisor123").await,
            dinkes: server.login("dinkes.banjar", "dinkes2026").await,
            dpmd: server.login("dpmd.banjar", "dpmd2026").await,
        }
    }

    fn token(&self, who: &str) -> &str {
        match who {
            "dinkes" => &self.dinkes,
            "dpmd" => &self.dpmd,
            _ => &self.coordinator,
        }
    }
}

async fn send(server: &TestServer, token: &str, kind: EntityKind, record: &impl serde::Serialize) {
    let (_, result) = push_new(server, token, kind, body(record)).await;
    assert_eq!(
        result.status,
        MutationStatus::Applied,
        "{:?}",
        result.errors
    );
}

async fn save_item(server: &TestServer, token: &str, key: &str, item: &ItemState) {
    let path = format!("/api/v1/actions/checklists/{BANJAR}/{YEAR}/items/{key}");
    let response = server
        .client
        .put(server.url(&path))
        .bearer_auth(token)
        .json(item)
        .send()
        .await
        .expect("item");
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
}

/// Two items with files (one file named by both, one never sent), the team's records of the
/// year and one of the year before; returns the year's budget lines.
async fn fill(server: &TestServer, team: &Team, files: &Files) -> Vec<BudgetLine> {
    for (meta, bytes) in [
        &files.analysis,
        &files.shared,
        &files.photo,
        &files.part,
        &files.idea,
    ] {
        assert_eq!(
            put(server, &team.coordinator, &meta.sha256, bytes.clone())
                .await
                .status(),
            201
        );
    }
    let catalogue = Catalogue::default_for(YEAR);
    let (first, second) = (
        &catalogue.actions[0].evidence[0].key,
        &catalogue.actions[1].evidence[0].key,
    );
    let done = ItemState {
        done: true,
        links: vec!["https://dokumen.example/analisis".into()],
        files: vec![files.analysis.0.clone(), files.shared.0.clone()],
        ..ItemState::default()
    };
    save_item(server, &team.coordinator, first, &done).await;
    let started = ItemState {
        files: vec![
            files.shared.0.clone(),
            files.photo.0.clone(),
            files.not_sent.clone(),
        ],
        ..ItemState::default()
    };
    save_item(server, &team.coordinator, second, &started).await;
    for (who, budget_line) in budget() {
        send(
            server,
            team.token(who),
            EntityKind::BudgetLine,
            &budget_line,
        )
        .await;
    }
    let mut last_year = line(
        DINKES,
        YEAR - 1,
        Intervention::Specific,
        FundingSource::Apbd,
        (999, None),
    );
    last_year.year = YEAR - 1;
    send(server, &team.dinkes, EntityKind::BudgetLine, &last_year).await;
    let part = Contribution {
        regency_code: BANJAR.into(),
        year: YEAR,
        agency: DINKES.into(),
        item_key: first.clone(),
        account: "Analisis situasi bersama Bappeda".into(),
        links: Vec::new(),
        files: vec![files.part.0.clone()],
        note: String::new(),
        done_on: None,
    };
    send(server, &team.dinkes, EntityKind::Contribution, &part).await;
    let idea = Innovation {
        regency_code: BANJAR.into(),
        year: YEAR,
        agency: DPMD.into(),
        title: "Desa Bebas Stunting".into(),
        year_started: 2024,
        target_group: "Keluarga berisiko stunting".into(),
        description: "Pendampingan keluarga oleh kader desa".into(),
        results: "120 keluarga didampingi".into(),
        photos: vec![files.photo.0.clone(), files.idea.0.clone()],
    };
    send(server, &team.dpmd, EntityKind::Innovation, &idea).await;
    budget().into_iter().map(|(_, line)| line).collect()
}

async fn download(
    server: &TestServer,
    token: &str,
    regency: &str,
    year: i32,
    what: &str,
) -> reqwest::Response {
    let path = format!("/api/v1/district/{regency}/{year}/{what}");
    server.get(token, &path).send().await.expect("download")
}

fn entries(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("opens as zip");
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).expect("entry");
            let mut content = Vec::new();
            entry.read_to_end(&mut content).expect("content");
            (entry.name().to_owned(), content)
        })
        .collect()
}

#[tokio::test]
async fn the_archive_holds_every_named_file_once_and_lists_what_has_not_arrived() {
    let server = TestServer::start_demo().await.expect("server");
    let team = Team::login(&server).await;
    let files = files();
    fill(&server, &team, &files).await;
    let response = download(&server, &team.coordinator, BANJAR, YEAR, "evidence.zip").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let entries = entries(response.bytes().await.expect("bytes").to_vec());
    for (name, _) in &entries {
        let safe = name.is_ascii()
            && !name.contains("..")
            && !name.starts_with('/')
            && !name.contains('\\');
        assert!(safe, "{name}");
    }
    let (texts, stored): (Vec<_>, Vec<_>) = entries
        .iter()
        .partition(|(name, _)| name.ends_with(".txt") && !name.contains('/'));
    let mut hashes: Vec<String> = stored.iter().map(|(_, content)| sha(content)).collect();
    hashes.sort();
    let mut expected: Vec<String> = [
        &files.analysis,
        &files.shared,
        &files.photo,
        &files.part,
        &files.idea,
    ]
    .iter()
    .map(|(meta, _)| meta.sha256.clone())
    .collect();
    expected.sort();
    assert_eq!(
        hashes, expected,
        "each file sent once, the one never sent not at all"
    );
    let path_of = |meta: &FileMeta| {
        stored
            .iter()
            .find(|(_, content)| sha(content) == meta.sha256)
            .map(|(name, _)| name.clone())
            .expect("stored")
    };
    let item = "Aksi-1/a1.1-Laporan-analisis-situasi";
    assert_eq!(
        path_of(&files.analysis.0),
        format!("{item}/Laporan-analisis-situasi-2026.pdf")
    );
    assert_eq!(
        path_of(&files.shared.0),
        format!("{item}/SK-Tim.pdf"),
        "under the first item naming it"
    );
    assert_eq!(
        path_of(&files.part.0),
        format!("{item}/Dinas-Kesehatan/notulen-dinkes.pdf")
    );
    assert!(
        path_of(&files.photo.0).starts_with("Aksi-2/a2.1-"),
        "{}",
        path_of(&files.photo.0)
    );
    assert!(
        path_of(&files.idea.0)
            .starts_with("Inovasi/Dinas-Pemberdayaan-Masyarakat-dan-Desa-Desa-Bebas")
    );
    let text_of = |name: &str| {
        texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| String::from_utf8_lossy(c).into_owned())
            .unwrap_or_else(|| panic!("{name}"))
    };
    let pending = text_of("BELUM-TIBA.txt");
    assert!(
        pending.contains(&files.not_sent.sha256) && pending.contains("belum.pdf"),
        "{pending}"
    );
    let index = text_of("DAFTAR-ISI.txt");
    assert!(index.contains("juga untuk: Aksi-2/a2.1-"), "{index}");
}

async fn error_of(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("the JSON error shape"))
}

#[tokio::test]
async fn only_the_coordinator_and_the_province_take_the_dossier_of_their_area() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let cadre = server.login("kader.sipai", "kader123").await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    for what in ["dossier.xlsx", "evidence.zip"] {
        for token in [&dinkes, &cadre] {
            let (status, error) =
                error_of(download(&server, token, BANJAR, YEAR, what).await).await;
            assert_eq!((status, error.error.as_str()), (403, "forbidden"), "{what}");
        }
        for (token, regency) in [
            (&tapin, BANJAR),
            (&banjar, "63.03.05"),
            (&province, "63.99"),
        ] {
            let (status, error) =
                error_of(download(&server, token, regency, YEAR, what).await).await;
            assert_eq!(
                (status, error.error.as_str()),
                (404, "not_found"),
                "{what} of {regency}"
            );
        }
        // Before the first assessment, and far ahead (a year ahead is open on 31 December).
        for year in [1999, 3000] {
            let (status, error) =
                error_of(download(&server, &banjar, BANJAR, year, what).await).await;
            assert_eq!(status, 422, "{what} of {year}");
            assert_eq!(
                (
                    error.fields[0].field.as_str(),
                    error.fields[0].code.as_str()
                ),
                ("year", "out_of_range")
            );
        }
        assert_eq!(
            download(&server, &province, BANJAR, YEAR, what)
                .await
                .status(),
            200
        );
        assert_eq!(
            download(&server, &tapin, "63.05", YEAR, what)
                .await
                .status(),
            200
        );
    }
}
