//! The peer: pouchdb-server (CouchDB protocol, LevelDB on disk) on 127.0.0.1, fed the same
//! records with `_bulk_docs` and read back with `_changes`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};

use crate::data::Village;
use crate::konvergen::{PULL_PAGE, PUSH_BATCH, Throughput, in_parallel};

/// A running pouchdb-server, killed on drop.
#[derive(Debug)]
pub struct Peer {
    child: Child,
    base: String,
}

impl Peer {
    /// Starts pouchdb-server from `modules` (a node_modules folder) with its files in `dir`.
    pub async fn start(modules: &Path, dir: &Path, port: u16) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let script: PathBuf = modules.join("pouchdb-server/bin/pouchdb-server");
        let child = Command::new("node")
            .arg(&script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .arg("--no-stdout-logs")
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", script.display()))?;
        let peer = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client
                .get(&peer.base)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                let created = client.put(peer.db()).send().await?;
                anyhow::ensure!(
                    created.status().is_success(),
                    "creating the peer database: {}",
                    created.status()
                );
                return Ok(peer);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("pouchdb-server did not start")
    }

    fn db(&self) -> String {
        format!("{}/bench", self.base)
    }

    /// Process id (for memory readings).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Pushes every village's records for `cohort` as `_bulk_docs` of [`PUSH_BATCH`],
    /// `workers` at a time; the documents are encoded before the clock starts.
    pub async fn push_all(
        &self,
        villages: &[Village],
        today: time::Date,
        cohort: u64,
        workers: usize,
    ) -> anyhow::Result<Throughput> {
        let batches: Vec<Vec<u8>> = villages
            .iter()
            .flat_map(|v| documents(v, today, cohort))
            .collect();
        let records = villages
            .iter()
            .map(|v| v.mutations(today, cohort).len())
            .sum();
        let client = reqwest::Client::new();
        let url = format!("{}/_bulk_docs", self.db());
        let started = Instant::now();
        in_parallel(batches, workers, move |body| {
            let (client, url) = (client.clone(), url.clone());
            async move { bulk_docs(&client, &url, body).await.map(|()| 0) }
        })
        .await?;
        Ok(Throughput {
            records,
            elapsed: started.elapsed(),
        })
    }

    /// Reads the whole database back through `_changes` with documents, pages of
    /// [`PULL_PAGE`].
    pub async fn pull_all(&self) -> anyhow::Result<Throughput> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        let mut since = Value::from(0);
        let mut records = 0;
        loop {
            let page: Value = client
                .get(format!("{}/_changes", self.db()))
                .query(&[
                    ("include_docs", "true".to_owned()),
                    ("limit", PULL_PAGE.to_string()),
                    ("since", since.to_string()),
                ])
                .send()
                .await?
                .json()
                .await?;
            let results = page["results"].as_array().map_or(0, Vec::len);
            records += results;
            since = page["last_seq"].clone();
            if results < PULL_PAGE {
                break;
            }
        }
        Ok(Throughput {
            records,
            elapsed: started.elapsed(),
        })
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `_bulk_docs` request; every document must be accepted.
async fn bulk_docs(client: &reqwest::Client, url: &str, body: Vec<u8>) -> anyhow::Result<()> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "_bulk_docs answered {}",
        response.status()
    );
    let answers: Vec<Value> = response.json().await?;
    anyhow::ensure!(
        answers.iter().all(|a| a["ok"] == true),
        "_bulk_docs refused a document"
    );
    Ok(())
}

/// A village's records as CouchDB documents (the record id as `_id`), in `_bulk_docs`
/// bodies of [`PUSH_BATCH`].
fn documents(village: &Village, today: time::Date, cohort: u64) -> Vec<Vec<u8>> {
    let docs: Vec<Value> = village
        .mutations(today, cohort)
        .into_iter()
        .map(|m| json!({"_id": m.record_id, "entity": m.entity.as_str(), "village_code": village.code, "body": m.body}))
        .collect();
    docs.chunks(PUSH_BATCH)
        .map(|chunk| serde_json::to_vec(&json!({ "docs": chunk })).unwrap_or_default())
        .collect()
}
