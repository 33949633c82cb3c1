#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md in one run (about 10-15 minutes, not part of CI):
# the server figures (push/pull next to raw SQLite and pouchdb-server, province aggregates,
# 500 phones) and then the browser figures. The server table is also written to
# target/bench/server.md. `scripts/bench.sh --smoke` is the few-seconds variant CI runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_bench_deps
say "building konvergen-server and konvergen-bench (release)"
cargo build --release -p konvergen-backend --bin konvergen-server -p konvergen-tests --bin konvergen-bench
mkdir -p "$ROOT/target/bench"
KONVERGEN_SERVER_BIN="$ROOT/target/release/konvergen-server" \
  KONVERGEN_BENCH_OUT="$ROOT/target/bench/server.md" \
  "$ROOT/target/release/konvergen-bench" "$@"
if [ "${1:-}" != "--smoke" ]; then
  "$ROOT/scripts/bench-browser.sh"
fi
