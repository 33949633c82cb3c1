//! Throttling of sign-in attempts, so passwords cannot be guessed by brute force and the
//! sign-in path cannot be used to exhaust the server.
//!
//! The scheme, and why:
//! - **An attempt is counted before its password is verified.** [`LoginLimiter::begin`]
//!   reserves a slot and [`Attempt::succeeded`] hands it back; every other ending (wrong
//!   password, unknown name, the client hanging up mid-verification) leaves it counted.
//!   Checking first and counting after let 50 of 61 parallel guesses through.
//! - **Failures count per account and client address, not per account alone.** A lockout per
//!   account is something any stranger can cause at will: five wrong passwords for
//!   `supervisor.tapin` would keep the real supervisor out. Keyed by (account, address),
//!   the stranger only locks out himself, and the owner signing in from their own phone is
//!   unaffected.
//! - **Failures also count per address, over all accounts**, which stops one password from
//!   being sprayed over every account from one machine. IPv6 clients are keyed by their /64,
//!   the block one subscriber gets, so a new address from the same block is no escape.
//! - **Verifications in flight per account are bounded**, so a guesser with many addresses
//!   still cannot run many argon2 verifications for one account at once.
//! - **A success does not wipe earlier failures**: it only refunds its own slot. Otherwise one
//!   right guess in a parallel burst would reopen the window for the rest.
//! - **Memory is bounded**: account names are limited in length before anything is tracked
//!   (see `routes/auth.rs`), entries expire with the window, and each table holds at most
//!   [`LoginLimits::max_tracked`] keys; when full, the least recently seen idle key goes.
//!
//! Argon2 itself runs in [`crate::password_gate::PasswordGate`].

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The limits of [`LoginLimiter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failed attempts allowed per account and client address within [`Self::window`].
    pub per_account_address: usize,
    /// Failed attempts allowed per client address (all accounts) within [`Self::window`].
    pub per_address: usize,
    /// Password verifications of one account running at the same time.
    pub in_flight_per_account: usize,
    /// How long a failure counts.
    pub window: Duration,
    /// Keys each table keeps at most (bounds the limiter's memory).
    pub max_tracked: usize,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account_address: 5,
            per_address: 30,
            in_flight_per_account: 2,
            window: Duration::from_secs(15 * 60),
            max_tracked: 50_000,
        }
    }
}

/// Why an attempt may not go ahead now, and when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// Seconds until a new attempt can be admitted (for `Retry-After`).
    pub retry_after_secs: u64,
}

/// Counts sign-in attempts per (account, address), per address and per account.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    limits: LoginLimits,
    tables: Mutex<Tables>,
}

#[derive(Debug, Default)]
struct Tables {
    by_account_address: Table<(String, IpAddr)>,
    by_address: Table<IpAddr>,
    by_account: Table<String>,
}

/// Attempts of one key: failures within the window and attempts still being verified.
#[derive(Debug, Default)]
struct Attempts {
    failures: VecDeque<Instant>,
    in_flight: usize,
    last_seen: Option<Instant>,
}

impl Attempts {
    fn forget_before(&mut self, cutoff: Instant) {
        while self.failures.front().is_some_and(|at| *at < cutoff) {
            self.failures.pop_front();
        }
    }

    fn is_idle(&self) -> bool {
        self.in_flight == 0 && self.failures.is_empty()
    }

    /// Seconds until the oldest failure leaves the window.
    fn wait_secs(&self, window: Duration, now: Instant) -> u64 {
        self.failures.front().map_or(1, |oldest| {
            (*oldest + window)
                .saturating_duration_since(now)
                .as_secs()
                .max(1)
        })
    }
}

#[derive(Debug)]
struct Table<K> {
    entries: HashMap<K, Attempts>,
}

impl<K> Default for Table<K> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Table<K> {
    /// The entry of `key` with expired failures dropped, making room when the table is full.
    fn entry(&mut self, key: &K, limits: &LoginLimits, now: Instant) -> &mut Attempts {
        let cutoff = now.checked_sub(limits.window).unwrap_or(now);
        if !self.entries.contains_key(key) && self.entries.len() >= limits.max_tracked {
            self.make_room(cutoff, limits.max_tracked);
        }
        let attempts = self.entries.entry(key.clone()).or_default();
        attempts.forget_before(cutoff);
        attempts.last_seen = Some(now);
        attempts
    }

    /// Drops expired keys; if the table is still full, the least recently seen key with no
    /// verification in flight (a key in flight is kept so its slot is always handed back).
    fn make_room(&mut self, cutoff: Instant, max_tracked: usize) {
        self.entries.retain(|_, attempts| {
            attempts.forget_before(cutoff);
            !attempts.is_idle()
        });
        if self.entries.len() < max_tracked {
            return;
        }
        let oldest = self
            .entries
            .iter()
            .filter(|(_, attempts)| attempts.in_flight == 0)
            .min_by_key(|(_, attempts)| attempts.last_seen)
            .map(|(key, _)| key.clone());
        if let Some(key) = oldest {
            self.entries.remove(&key);
        }
    }

    fn settle(&mut self, key: &K, failed_at: Option<Instant>) {
        if let Some(attempts) = self.entries.get_mut(key) {
            attempts.in_flight = attempts.in_flight.saturating_sub(1);
            if let Some(at) = failed_at {
                attempts.failures.push_back(at);
            }
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

impl LoginLimiter {
    /// A limiter with these limits.
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            tables: Mutex::default(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> LoginLimits {
        self.limits
    }

    /// Admits one attempt for `username` from `address`, counted as failed unless the
    /// returned [`Attempt`] is told it succeeded.
    pub fn begin(self: &Arc<Self>, username: &str, address: IpAddr) -> Result<Attempt, Refused> {
        let account = username.to_lowercase();
        let address = client_key(address);
        let now = Instant::now();
        let limits = self.limits;
        let mut guard = self.lock();
        let tables = &mut *guard;
        let pair_key = (account.clone(), address);
        let refusal = [
            busy(
                tables.by_account_address.entry(&pair_key, &limits, now),
                limits.per_account_address,
                limits.window,
                now,
            ),
            busy(
                tables.by_address.entry(&address, &limits, now),
                limits.per_address,
                limits.window,
                now,
            ),
            in_flight_full(
                tables.by_account.entry(&account, &limits, now),
                limits.in_flight_per_account,
            ),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|refused| refused.retry_after_secs);
        if let Some(refused) = refusal {
            return Err(refused);
        }
        for attempts in [
            tables.by_account_address.entries.get_mut(&pair_key),
            tables.by_address.entries.get_mut(&address),
            tables.by_account.entries.get_mut(&account),
        ]
        .into_iter()
        .flatten()
        {
            attempts.in_flight += 1;
        }
        drop(guard);
        Ok(Attempt {
            limiter: Arc::clone(self),
            account,
            address,
            succeeded: false,
        })
    }

    /// Keys tracked in the largest table (for tests of the memory bound).
    pub fn tracked(&self) -> usize {
        let tables = self.lock();
        tables
            .by_account_address
            .len()
            .max(tables.by_address.len())
            .max(tables.by_account.len())
    }

    fn settle(&self, account: &str, address: IpAddr, failed: bool) {
        let failed_at = failed.then(Instant::now);
        let mut tables = self.lock();
        tables
            .by_account_address
            .settle(&(account.to_owned(), address), failed_at);
        tables.by_address.settle(&address, failed_at);
        // The per-account table bounds concurrency only; its failures are not counted, so
        // nobody can lock an account out from addresses of their own.
        tables.by_account.settle(&account.to_owned(), None);
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Refused when failures plus attempts in flight reach `limit`.
fn busy(attempts: &Attempts, limit: usize, window: Duration, now: Instant) -> Option<Refused> {
    (attempts.failures.len() + attempts.in_flight >= limit).then(|| Refused {
        retry_after_secs: if attempts.failures.len() >= limit {
            attempts.wait_secs(window, now)
        } else {
            1
        },
    })
}

fn in_flight_full(attempts: &Attempts, limit: usize) -> Option<Refused> {
    (attempts.in_flight >= limit).then_some(Refused {
        retry_after_secs: 1,
    })
}

/// The address as the limiter keys it: IPv4 as is, IPv6 by its /64.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

/// One admitted attempt. Dropped without [`Attempt::succeeded`], it counts as a failure.
#[derive(Debug)]
pub struct Attempt {
    limiter: Arc<LoginLimiter>,
    account: String,
    address: IpAddr,
    succeeded: bool,
}

impl Attempt {
    /// The password was right: the attempt's slot is handed back.
    pub fn succeeded(mut self) {
        self.succeeded = true;
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.limiter
            .settle(&self.account, self.address, !self.succeeded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const STRANGER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 9, 9, 9));

    fn limiter(limits: LoginLimits) -> Arc<LoginLimiter> {
        Arc::new(LoginLimiter::new(limits))
    }

    fn fail(limiter: &Arc<LoginLimiter>, name: &str, address: IpAddr) {
        drop(limiter.begin(name, address).expect("admitted"));
    }

    #[test]
    fn five_failures_block_the_same_account_from_the_same_address() {
        let limiter = limiter(LoginLimits::default());
        for _ in 0..5 {
            fail(&limiter, "Siti", HOME);
        }
        let refused = limiter.begin("SITI", HOME).expect_err("blocked");
        assert!(refused.retry_after_secs > 800, "{refused:?}");
        assert!(limiter.begin("budi", HOME).is_ok());
    }

    #[test]
    fn a_stranger_cannot_lock_the_owner_out() {
        let limiter = limiter(LoginLimits::default());
        for _ in 0..5 {
            fail(&limiter, "supervisor.tapin", STRANGER);
        }
        assert!(limiter.begin("supervisor.tapin", STRANGER).is_err());
        limiter
            .begin("supervisor.tapin", HOME)
            .expect("the owner's own address is not affected")
            .succeeded();
    }

    #[test]
    fn attempts_in_flight_count_before_they_are_verified() {
        let limiter = limiter(LoginLimits {
            in_flight_per_account: 100,
            ..LoginLimits::default()
        });
        let held: Vec<Attempt> = (0..5)
            .map(|_| limiter.begin("siti", HOME).expect("admitted"))
            .collect();
        assert!(limiter.begin("siti", HOME).is_err(), "sixth in flight");
        // Successes hand their slots back but do not wipe failures.
        for attempt in held {
            attempt.succeeded();
        }
        for _ in 0..5 {
            fail(&limiter, "siti", HOME);
        }
        assert!(limiter.begin("siti", HOME).is_err());
    }

    #[test]
    fn one_address_cannot_spray_every_account() {
        let limiter = limiter(LoginLimits::default());
        for index in 0..30 {
            fail(&limiter, &format!("user{index}"), STRANGER);
        }
        assert!(limiter.begin("someone.else", STRANGER).is_err());
        assert!(limiter.begin("someone.else", HOME).is_ok());
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_block() {
        let first: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let second: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        assert_eq!(client_key(first), client_key(second));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().expect("ip");
        assert_eq!(client_key(mapped), HOME);
    }

    #[test]
    fn verifications_per_account_are_bounded_across_addresses() {
        let limiter = limiter(LoginLimits::default());
        let first = limiter.begin("siti", HOME).expect("admitted");
        let second = limiter.begin("siti", STRANGER).expect("admitted");
        let third = IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 1, 1));
        assert!(limiter.begin("siti", third).is_err());
        drop((first, second));
        assert!(limiter.begin("siti", third).is_ok());
    }

    #[test]
    fn the_tables_never_grow_past_their_bound() {
        let limiter = limiter(LoginLimits {
            max_tracked: 100,
            per_address: usize::MAX,
            ..LoginLimits::default()
        });
        for index in 0..1_000 {
            fail(&limiter, &format!("made-up-{index}"), HOME);
        }
        assert!(limiter.tracked() <= 100, "{}", limiter.tracked());
    }
}
