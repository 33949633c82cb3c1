//! Demo accounts and demo data, seeded into an empty database so a newcomer can log in
//! and look around at once. The README lists these logins.

pub mod dataset;

use konvergen_shared::api::Role;

use crate::auth::Scope;
use crate::auth::hash_password;
use crate::db::NewUser;
use crate::db::PushAuthor;
use crate::db::{DbResult, Store};
use crate::util::now_ms;
use konvergen_shared::sync::PushRequest;

/// A demo login: username, password, display name, role, areas, agency (agency accounts).
pub type DemoLogin = (
    &'static str,
    &'static str,
    &'static str,
    Role,
    &'static [&'static str],
    Option<&'static str>,
);

/// The agency list given to each demo regency: the team of a Kalimantan Selatan regency as a
/// 2022 district meeting named it (`docs/penilaian-kinerja.md` §1). Real regencies keep their
/// own lists (`konvergen-server agency add`).
pub const DEMO_AGENCIES: &[&str] = &[
    "Bappedalitbang",
    "Dinas Kesehatan",
    "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Perumahan Rakyat, Kawasan Permukiman dan Lingkungan Hidup",
    "Dinas Pekerjaan Umum, Penataan Ruang dan Pertanahan",
    "Dinas Pendidikan",
    "Dinas Pertanian",
    "Dinas Ketahanan Pangan dan Perikanan",
    "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Kantor Kementerian Agama",
];

/// Regencies of the demo data, each given [`DEMO_AGENCIES`].
const DEMO_REGENCIES: [&str; 2] = ["63.03", "63.05"];

/// The demo logins (also in the README).
pub const DEMO_LOGINS: &[DemoLogin] = &[
    (
        "kader.sipai",
        "kader123",
        "Siti Aminah (KPM Sungai Sipai)",
        Role::Cadre,
        &["63.03.05.2009"],
        None,
    ),
    (
        "kader.bincau",
        "kader123",
        "Rahmah (KPM Bincau)",
        Role::Cadre,
        &["63.03.05.2012", "63.03.05.2036"],
        None,
    ),
    (
        "kader.tapin",
        "kader123",
        "Nurul (KPM Tapin)",
        Role::Cadre,
        &["63.05.01.2003"],
        None,
    ),
    (
        "supervisor.banjar",
        "supervisor123",
        "Dinkes Kabupaten Banjar",
        Role::Supervisor,
        &["63.03"],
        None,
    ),
    (
        "supervisor.tapin",
        "supervisor123",
        "Bappeda Kabupaten Tapin",
        Role::Supervisor,
        &["63.05"],
        None,
    ),
    (
        "provinsi.kalsel",
        "provinsi123",
        "Bappeda Provinsi Kalimantan Selatan",
        Role::Province,
        &["63"],
        None,
    ),
    (
        "penilai.satu",
        "penilai2026",
        "Ir. Hj. Rahmawati (Panel Penilai)",
        Role::Assessor,
        &["63"],
        None,
    ),
    (
        "penilai.dua",
        "penilai2026",
        "Drs. Muhammad Yusuf (Panel Penilai)",
        Role::Assessor,
        &["63"],
        None,
    ),
    (
        "penilai.tiga",
        "penilai2026",
        "dr. Siti Mariam (Panel Penilai)",
        Role::Assessor,
        &["63"],
        None,
    ),
    (
        "dinkes.banjar",
        "dinkes2026",
        "Dinas Kesehatan Kabupaten Banjar",
        Role::Agency,
        &["63.03"],
        Some("Dinas Kesehatan"),
    ),
    (
        "dpmd.banjar",
        "dpmd2026",
        "DPMD Kabupaten Banjar",
        Role::Agency,
        &["63.03"],
        Some("Dinas Pemberdayaan Masyarakat dan Desa"),
    ),
    (
        "pupr.banjar",
        "pupr2026",
        "Dinas PUPR Kabupaten Banjar",
        Role::Agency,
        &["63.03"],
        Some("Dinas Pekerjaan Umum, Penataan Ruang dan Pertanahan"),
    ),
    (
        "dinkes.tapin",
        "dinkes2026",
        "Dinas Kesehatan Kabupaten Tapin",
        Role::Agency,
        &["63.05"],
        Some("Dinas Kesehatan"),
    ),
    ("admin", "admin123", "Administrator", Role::Admin, &[], None),
];

/// Demo accounts whose password is still the one published in the README.
pub async fn accounts_with_published_passwords(store: &Store) -> anyhow::Result<Vec<String>> {
    let mut published = Vec::new();
    let mut verifier = crate::auth::PasswordVerifier::default();
    for (username, password, ..) in DEMO_LOGINS {
        let user = store
            .user_by_name((*username).to_owned())
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        if user.is_some_and(|user| !user.disabled && verifier.verify(password, &user.password_hash))
        {
            published.push((*username).to_owned());
        }
    }
    Ok(published)
}

/// Seeds the demo logins (and demo records) when the database has no account yet.
/// Returns whether anything was seeded.
pub async fn seed_if_empty(store: &Store) -> anyhow::Result<bool> {
    if store.has_users().await? {
        return Ok(false);
    }
    seed(store).await?;
    seed_records(store, crate::util::today_wita(now_ms()), DEMO_HOUSEHOLDS).await?;
    Ok(true)
}

/// Villages without a demo cadre that still get data, so district and province views have
/// more than one row to compare (Aluh Aluh in Banjar, Binuang in Tapin).
const EXTRA_VILLAGES: [&str; 4] = [
    "63.03.01.2001",
    "63.03.01.2002",
    "63.05.01.1001",
    "63.05.01.2006",
];
/// 1000-HPK households per demo village.
pub const DEMO_HOUSEHOLDS: usize = 12;

/// Seeds six months of synthetic records into the demo villages, through the same push
/// path (and validation) as a phone.
pub async fn seed_records(
    store: &Store,
    today: time::Date,
    households: usize,
) -> anyhow::Result<()> {
    let mut owners: Vec<(String, i64, Vec<String>)> = Vec::new();
    for (username, _, _, role, areas, _) in DEMO_LOGINS {
        if *role != Role::Cadre {
            continue;
        }
        let user = store
            .user_by_name((*username).to_owned())
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?
            .ok_or_else(|| anyhow::anyhow!("demo user {username} missing"))?;
        owners.push((
            username.to_string(),
            user.me.id,
            areas.iter().map(|a| (*a).to_owned()).collect(),
        ));
    }
    let admin = store
        .user_by_name("admin".to_owned())
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?
        .ok_or_else(|| anyhow::anyhow!("demo admin missing"))?;
    owners.push((
        "admin".to_owned(),
        admin.me.id,
        EXTRA_VILLAGES.iter().map(|v| (*v).to_owned()).collect(),
    ));
    for (index, (owner, user_id, villages)) in owners.iter().enumerate() {
        for (offset, village) in villages.iter().enumerate() {
            let seed = (index * 16 + offset) as u64 + 1;
            let plan = dataset::VillagePlan {
                village,
                households,
                today,
                months: 6,
                seed,
            };
            let request = PushRequest {
                device_id: uuid::Uuid::from_u64_pair(0xDE40, seed),
                mutations: dataset::village_mutations(plan),
                heartbeat: None,
            };
            let scope = Scope::Villages(vec![village.clone()]);
            let author = PushAuthor {
                user_id: *user_id,
                agency: None,
            };
            let response = store
                .push(author, scope, request, now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("seeding {village} for {owner}: {err}"))?;
            let refused: Vec<_> = response
                .results
                .iter()
                .filter(|r| !r.errors.is_empty())
                .collect();
            anyhow::ensure!(
                refused.is_empty(),
                "demo data refused in {village}: {:?}",
                refused.first()
            );
        }
    }
    tracing::info!("seeded demo households, forms and measurements");
    Ok(())
}

/// Seeds the demo logins; an existing username is left as it is.
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    for regency in DEMO_REGENCIES {
        for name in DEMO_AGENCIES {
            store
                .add_agency((*regency).to_owned(), (*name).to_owned(), now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("seeding the agencies of {regency}: {err}"))?;
        }
    }
    for (username, password, display_name, role, areas, agency) in DEMO_LOGINS {
        let hash = hash_password(password)?;
        let user = NewUser {
            username: (*username).to_owned(),
            display_name: (*display_name).to_owned(),
            role: *role,
            password_hash: hash,
            areas: areas.iter().map(|code| (*code).to_owned()).collect(),
            agency: agency.map(str::to_owned),
        };
        let result: DbResult<i64> = store.create_user(user, now_ms()).await;
        match result {
            Ok(_) | Err(crate::db::DbError::Conflict(_)) => {}
            Err(err) => return Err(anyhow::anyhow!("seeding {username}: {err}")),
        }
    }
    tracing::info!(logins = DEMO_LOGINS.len(), "seeded demo logins");
    Ok(())
}
