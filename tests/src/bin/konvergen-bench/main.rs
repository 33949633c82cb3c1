//! `konvergen-bench`: the server-side benchmarks of docs/benchmarks.md, on this machine, in
//! one run: push and pull throughput over HTTP next to raw SQLite and pouchdb-server,
//! province aggregate latency at full scale and with a second year of history, and the
//! server's memory with 500 phones syncing at once.
//!
//! `cargo run --release -p konvergen-tests --bin konvergen-bench -- [--smoke]`
//! (scripts/bench.sh builds everything and runs it with the browser figures).

mod data;
mod history;
mod konvergen;
mod peer;
mod raw;
mod server;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use data::{PROVINCE_TOKEN, Village};
use konvergen::{Latency, Throughput};

/// What to run.
#[derive(Debug)]
struct Options {
    /// Keep only the first villages (the smoke run).
    villages: Option<usize>,
    /// Regency used for the side-by-side comparison.
    regency: String,
    /// Phones syncing at once in the memory phase.
    devices: usize,
    /// node_modules holding pouchdb-server, if the peer runs.
    peer_modules: Option<PathBuf>,
}

impl Options {
    fn from_args() -> anyhow::Result<Self> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = args.iter().any(|a| a == "--smoke");
        let modules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/node_modules");
        let peer_wanted = !args.iter().any(|a| a == "--no-peer");
        if let Some(unknown) = args
            .iter()
            .find(|a| !matches!(a.as_str(), "--smoke" | "--no-peer"))
        {
            anyhow::bail!("unknown argument {unknown}; use --smoke and/or --no-peer");
        }
        Ok(Self {
            villages: smoke.then_some(6),
            regency: "63.01".to_owned(),
            devices: if smoke { 20 } else { 500 },
            peer_modules: (peer_wanted && modules.join("pouchdb-server").is_dir())
                .then_some(modules),
        })
    }
}

/// Every figure of one run.
#[derive(Debug, Default)]
struct Results {
    lines: Vec<(String, String)>,
}

impl Results {
    fn add(&mut self, name: &str, value: String) {
        println!("{name}: {value}");
        self.lines.push((name.to_owned(), value));
    }

    fn throughput(&mut self, name: &str, t: Throughput) {
        self.add(
            name,
            format!(
                "{:.0} records/s ({} records in {:.2} s)",
                t.per_second(),
                t.records,
                t.elapsed.as_secs_f64()
            ),
        );
    }

    fn latency(&mut self, name: &str, l: Latency) {
        self.add(
            name,
            format!(
                "p50 {} · p95 {} · first request {}",
                ms(l.p50),
                ms(l.p95),
                ms(l.first)
            ),
        );
    }

    fn markdown(&self) -> String {
        let mut out = String::from("| Figure | Result |\n|---|---|\n");
        for (name, value) in &self.lines {
            out.push_str(&format!("| {name} | {value} |\n"));
        }
        out
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::from_args()?;
    let started = Instant::now();
    let today = data::today();
    let (year, quarter) = data::report_quarter(today);
    let work = tempfile::Builder::new()
        .prefix("konvergen-bench-")
        .tempdir()?;
    let data_dir = work.path().join("server");
    let database = data_dir.join("konvergen.sqlite3");
    let villages = {
        let store = konvergen_backend::Store::open(&database)?;
        data::villages(&store, options.villages).await?
    };
    data::create_accounts(&database, &villages).await?;
    let (compared, rest): (Vec<Village>, Vec<Village>) = villages
        .iter()
        .cloned()
        .partition(|v| options.villages.is_some() || v.regency() == options.regency);
    let mut results = Results::default();
    results.add(
        "Machine",
        format!(
            "{} cores, {} GiB RAM",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            total_memory_gib()
        ),
    );
    results.add(
        "Dataset",
        format!(
            "{} villages, {} households of 1000 HPK, a year of forms up to {}",
            villages.len(),
            villages.iter().map(|v| v.households).sum::<usize>(),
            konvergen_shared::date::iso(today)
        ),
    );

    let binary = server::binary();
    let mut server = server::ServerProcess::start(&binary, &data_dir, 18_480).await?;
    let idle = server::rss_kib(server.pid()).unwrap_or(0);
    results.add(
        "Server RSS, idle",
        format!("{:.1} MB", idle as f64 / 1024.0),
    );

    // Side by side on one regency: konvergen over HTTP, raw SQLite, pouchdb-server.
    let label = if options.villages.is_some() {
        "smoke villages".to_owned()
    } else {
        format!("regency {}", options.regency)
    };
    let batches = konvergen::encode_batches(&compared, today, 0);
    let push = konvergen::push_all(&server.base, batches, 4).await?;
    results.throughput(&format!("Push over HTTP, batches of 500 ({label})"), push);
    let raw = raw::insert_all(&work.path().join("raw.sqlite3"), &compared, today, 0)?;
    results.throughput("Raw SQLite insert, same rows, 500 per transaction", raw);
    results.add(
        "Push / raw SQLite",
        format!("{:.0} %", 100.0 * push.per_second() / raw.per_second()),
    );
    let pull = konvergen::pull_all(&server.base, &compared, 4).await?;
    results.throughput(
        &format!("Pull over HTTP, pages of 1,000, every village's initial sync ({label})"),
        pull,
    );
    if let Some(modules) = &options.peer_modules {
        let peer = peer::Peer::start(modules, &work.path().join("peer"), 18_481).await?;
        let peer_push = peer.push_all(&compared, today, 0, 4).await?;
        results.throughput("pouchdb-server _bulk_docs, batches of 500", peer_push);
        results.add(
            "pouchdb-server RSS after its load",
            format!(
                "{:.1} MB",
                server::rss_kib(peer.pid()).unwrap_or(0) as f64 / 1024.0
            ),
        );
        let peer_pull = peer.pull_all().await?;
        results.throughput(
            "pouchdb-server _changes with docs, pages of 1,000",
            peer_pull,
        );
        results.add(
            "Push ratio konvergen / pouchdb-server",
            format!("{:.1}x", push.per_second() / peer_push.per_second()),
        );
        results.add(
            "Pull ratio konvergen / pouchdb-server",
            format!("{:.1}x", pull.per_second() / peer_pull.per_second()),
        );
    }

    // The whole province, then its aggregates.
    let area = if options.villages.is_some() {
        compared[0].regency().to_owned()
    } else {
        options.regency.clone()
    };
    let regency =
        konvergen::aggregate_latency(&server.base, PROVINCE_TOKEN, &area, (year, quarter), 20)
            .await?;
    results.latency(
        &format!("Aggregates, one regency ({area}), {year} Q{quarter}"),
        regency,
    );
    server.stop();
    if !rest.is_empty() {
        let loaded = history::bulk_load(&database, &rest, today, 0, data::now_ms())?;
        results.throughput(
            "Direct load of the rest of the province (fixture, not the push path)",
            loaded,
        );
    }
    server = server::ServerProcess::start(&binary, &data_dir, 18_480).await?;
    let records = history::record_count(&database)?;
    results.add("Records on the server (one year)", records.to_string());
    let province =
        konvergen::aggregate_latency(&server.base, PROVINCE_TOKEN, "63", (year, quarter), 20)
            .await?;
    results.latency(
        &format!("Aggregates, province (63), one year, {year} Q{quarter}"),
        province,
    );
    let changed = history::push_one_village(&server.base, &villages[0]).await?;
    let after_change =
        konvergen::aggregate_latency(&server.base, PROVINCE_TOKEN, "63", (year, quarter), 5)
            .await?;
    results.add(
        "Aggregates, province, first request after one village pushed",
        format!("{} ({changed} new records)", ms(after_change.first)),
    );
    results.add(
        "Server RSS after the province reports",
        format!(
            "{:.1} MB",
            server::rss_kib(server.pid()).unwrap_or(0) as f64 / 1024.0
        ),
    );

    // A second year of history: last year's cohort, stored a year ago.
    server.stop();
    let last_year = today - time::Duration::days(365);
    let history = history::bulk_load(
        &database,
        &villages,
        last_year,
        1,
        data::now_ms() - 365 * 86_400_000,
    )?;
    results.throughput("Direct load of the previous year (fixture)", history);
    server = server::ServerProcess::start(&binary, &data_dir, 18_480).await?;
    results.add(
        "Records on the server (two years)",
        history::record_count(&database)?.to_string(),
    );
    let two_years =
        konvergen::aggregate_latency(&server.base, PROVINCE_TOKEN, "63", (year, quarter), 20)
            .await?;
    results.latency(
        &format!("Aggregates, province (63), two years, {year} Q{quarter}"),
        two_years,
    );
    let regency_two_years =
        konvergen::aggregate_latency(&server.base, PROVINCE_TOKEN, &area, (year, quarter), 20)
            .await?;
    results.latency(
        &format!("Aggregates, one regency ({area}), two years, {year} Q{quarter}"),
        regency_two_years,
    );

    // Many phones at once.
    let devices = history::many_devices(&server, &villages, options.devices).await?;
    results.add(
        &format!(
            "{} phones at once: push 20 records + full initial sync each",
            options.devices
        ),
        format!(
            "{:.1} s, {} records pulled, server peak RSS {:.1} MB",
            devices.elapsed.as_secs_f64(),
            devices.records,
            devices.peak_rss_kib as f64 / 1024.0
        ),
    );
    results.add(
        &format!(
            "{} phones: time per phone, push to last page",
            options.devices
        ),
        format!(
            "p50 {} · p95 {} · slowest phone {} · slowest single page {}",
            ms(devices.per_phone.p50),
            ms(devices.per_phone.p95),
            ms(devices.per_phone.first),
            ms(devices.slowest_page)
        ),
    );
    server.stop();
    results.add(
        "Benchmark wall time",
        format!("{:.0} s", started.elapsed().as_secs_f64()),
    );
    println!("\n{}", results.markdown());
    if let Ok(path) = std::env::var("KONVERGEN_BENCH_OUT") {
        std::fs::write(path, results.markdown())?;
    }
    Ok(())
}

fn total_memory_gib() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib.div_ceil(1024 * 1024))
}
