#!/usr/bin/env bash
# Schema-driven API testing: schemathesis (from PyPI) generates requests from the server's own
# OpenAPI document and checks that no response is a 5xx or violates the schema. Runs against a
# fresh server with the demo data, once per role. Called by scripts/test.sh (short run).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-10}"
SERVER="${KONVERGEN_SERVER_BIN:-$ROOT/target/debug/konvergen-server}"

if ! command -v schemathesis >/dev/null || ! schemathesis --version | grep -q "version 4\."; then
  say "installing schemathesis 4 from PyPI (API fuzzing from the OpenAPI document)"
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis>=4,<5"
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SERVER" --data-dir "$data" --bind "127.0.0.1:$port" --static-dir "$ROOT/dist" --demo >"$data/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done

status=0
for login in kader.sipai:kader123 supervisor.banjar:supervisor123 provinsi.kalsel:provinsi123; do
  token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"${login%%:*}\",\"password\":\"${login##*:}\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  say "schemathesis as ${login%%:*} ($EXAMPLES examples per operation)"
  # Logout is left out: it would revoke the token the run depends on.
  schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" -H "Authorization: Bearer $token" \
    --exclude-path /api/v1/auth/logout --max-examples "$EXAMPLES" --seed 1 \
    --checks not_a_server_error,response_schema_conformance || status=1
done
if [ "$status" != 0 ]; then
  warn "schemathesis found problems; server log:"; grep -i error "$data/server.log" | tail -20
fi
exit $status
