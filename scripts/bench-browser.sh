#!/usr/bin/env bash
# Browser benchmarks (docs/benchmarks.md): first-load transfer size, initial sync of a
# 150-household village into IndexedDB, offline reload to interactive. Not part of CI.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
build_frontend
ensure_browser
ensure_e2e_deps
say "building konvergen-server (release)"
cargo build --release -p konvergen-backend --bin konvergen-server
(cd "$ROOT/tests/e2e" && KONVERGEN_SERVER_BIN="$ROOT/target/release/konvergen-server" \
  KONVERGEN_DIST="$ROOT/dist" npx playwright test --config bench.config.ts)
