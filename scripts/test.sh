#!/usr/bin/env bash
# Installs whatever is missing, then runs every check and test: formatting, clippy, all Rust
# tests, the wasm builds, and the browser end-to-end tests against freshly started servers
# with temporary databases. Exits non-zero on the first failure. .ci/run calls exactly this.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$(date +%s)

ensure_rust_components
ensure_wasm_target

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

say "Rust tests"
cargo test --workspace

say "shared builds for wasm32 (no platform dependency may creep in)"
env "${WASM_BUILD_ENV[@]}" cargo build -p konvergen-shared --target wasm32-unknown-unknown

build_frontend
say "first-load size budget (docs/benchmarks.md: 350,000 B of the brotli bodies a phone downloads)"
check_first_load_budget 350000

say "browser end-to-end tests (headless Debian Chromium)"
ensure_browser
ensure_e2e_deps
cargo build -p konvergen-backend --bin konvergen-server
(cd "$ROOT/tests/e2e" && KONVERGEN_SERVER_BIN="$ROOT/target/debug/konvergen-server" \
  KONVERGEN_DIST="$ROOT/dist" npx playwright test)

say "benchmark smoke run (six villages, both servers; the full run is scripts/bench.sh)"
ensure_bench_deps
KONVERGEN_SERVER_BIN="$ROOT/target/debug/konvergen-server" \
  cargo run -p konvergen-tests --bin konvergen-bench -- --smoke

say "schema-driven API tests (schemathesis, short run)"
KONVERGEN_SERVER_BIN="$ROOT/target/debug/konvergen-server" "$ROOT/scripts/schemathesis.sh"

say "all checks passed in $(( $(date +%s) - started )) s"
