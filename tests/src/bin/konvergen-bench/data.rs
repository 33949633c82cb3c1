//! The synthetic province: real Kalimantan Selatan village codes, a seeded number of
//! 1000-HPK households per village, a year of monthly forms and measurements each, and one
//! cadre account (with a ready session) per village.

use std::path::Path;

use anyhow::Context;
use konvergen_backend::Store;
use konvergen_backend::auth::{hash_password, token_hash};
use konvergen_backend::db::NewUser;
use konvergen_backend::demo::dataset::{Rng, VillagePlan, village_mutations};
use konvergen_shared::api::Role;
use konvergen_shared::sync::Mutation;
use time::Date;
use uuid::Uuid;

/// The last day with data: the day the benchmark runs. The server checks a child's age at
/// registration (0-23 months) against its own clock, so the generated year of forms must end
/// today; with a fixed date every run some weeks later had its oldest children refused.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// The quarter the aggregate requests ask for: the last complete one before `today`.
pub fn report_quarter(today: Date) -> (i32, u8) {
    let current = (u8::from(today.month()) - 1) / 3 + 1;
    if current == 1 {
        (today.year() - 1, 4)
    } else {
        (today.year(), current - 1)
    }
}
/// Months of forms per year of data.
pub const MONTHS: u8 = 12;
/// Seed of the whole province.
const SEED: u64 = 2026;

/// One village and the cadre who syncs it.
#[derive(Debug, Clone)]
pub struct Village {
    /// Kemendagri code, e.g. `63.03.05.2009`.
    pub code: String,
    /// Position in the province (drives the seed).
    pub index: usize,
    /// 1000-HPK households generated.
    pub households: usize,
    /// Bearer token of the village's cadre.
    pub token: String,
}

impl Village {
    /// The village's records for the year ending `today`, as a phone would push them
    /// (sequence numbers from 1). `cohort` separates independent years of data.
    pub fn mutations(&self, today: Date, cohort: u64) -> Vec<Mutation> {
        village_mutations(VillagePlan {
            village: &self.code,
            households: self.households,
            today,
            months: MONTHS,
            seed: SEED ^ (self.index as u64 + 1) ^ (cohort << 32),
        })
    }

    /// The id of the phone that pushes `cohort`'s records.
    pub fn device(&self, cohort: u64) -> Uuid {
        Uuid::from_u64_pair(0xBE4C_0000 + cohort, self.index as u64)
    }

    /// The regency part of the code (`63.03`).
    pub fn regency(&self) -> &str {
        &self.code[..5]
    }
}

/// Villages of the province (codes `63.*`) from the server's own region table, with a seeded
/// household count averaging about 74 (150,000 over 2,016 villages); `limit` keeps the
/// first ones only (the smoke run).
pub async fn villages(store: &Store, limit: Option<usize>) -> anyhow::Result<Vec<Village>> {
    let codes = store
        .villages_under("63.".to_owned())
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let mut rng = Rng::new(SEED);
    let villages = codes
        .into_iter()
        .enumerate()
        .take(limit.unwrap_or(usize::MAX))
        .map(|(index, code)| Village {
            token: format!("bench-{code}"),
            code,
            index,
            households: rng.range(44, 105) as usize,
        })
        .collect();
    Ok(villages)
}

/// Accounts the benchmark signs in with: a cadre per village and one province account, each
/// with a session whose token is known in advance (signing 2,016 cadres in through argon2
/// would measure password hashing, not sync).
pub async fn create_accounts(database: &Path, villages: &[Village]) -> anyhow::Result<()> {
    let store = Store::open(database)?;
    let hash = hash_password("bench-password")?;
    let now = now_ms();
    let expires = now + 30 * 24 * 3_600_000;
    let account = |username: String, role: Role, area: &str, token: &str| {
        let user = NewUser {
            display_name: username.clone(),
            username,
            role,
            password_hash: hash.clone(),
            areas: vec![area.to_owned()],
            agency: None,
        };
        (user, token_hash(token))
    };
    let mut accounts: Vec<_> = villages
        .iter()
        .map(|village| {
            let username = format!("kader.{}", village.code);
            account(username, Role::Cadre, &village.code, &village.token)
        })
        .collect();
    accounts.push(account(
        "provinsi.bench".to_owned(),
        Role::Province,
        "63",
        PROVINCE_TOKEN,
    ));
    store
        .create_users_with_sessions(accounts, now, expires)
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))
        .context("creating benchmark accounts")
}

/// Token of the province account.
pub const PROVINCE_TOKEN: &str = "bench-province";

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::report_quarter;
    use time::macros::date;

    #[test]
    fn the_report_quarter_is_the_last_complete_one() {
        assert_eq!(report_quarter(date!(2026 - 12 - 01)), (2026, 3));
        assert_eq!(report_quarter(date!(2026 - 10 - 01)), (2026, 3));
        assert_eq!(report_quarter(date!(2026 - 09 - 30)), (2026, 2));
        assert_eq!(report_quarter(date!(2027 - 02 - 14)), (2026, 4));
    }
}
