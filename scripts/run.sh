#!/usr/bin/env bash
# Builds the web app and the server in release mode and serves them on
# http://127.0.0.1:8080 with an embedded SQLite database under ./data (demo data on first start).
# Extra arguments go to konvergen-server, e.g. scripts/run.sh --bind 0.0.0.0:8080
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

build_frontend
say "building konvergen-server (release)"
cargo build --release -p konvergen-backend --bin konvergen-server
say "starting konvergen-server on http://127.0.0.1:8080 (Ctrl-C to stop)"
exec "$ROOT/target/release/konvergen-server" --static-dir "$ROOT/dist" --demo "$@"
