#!/usr/bin/env bash
# Runs every cargo-fuzz target for N executions each, one after another, then minimises its
# corpus in place. Nightly Rust only; CI does not fuzz, it replays the kept corpus on stable
# (tests/tests/fuzz_corpus.rs).
#
#   scripts/fuzz.sh                    # 10,000,000 executions per target
#   scripts/fuzz.sh 100000 pull_cursor # a quick run of one target
#
# Installs cargo-fuzz (from crates.io) and the nightly toolchain when missing; safe to repeat.
# Crash inputs land in fuzz/artifacts/<target>/ (reproduce one with `cargo +nightly fuzz run
# <target> <file>`); once fixed it belongs in fuzz/regressions/<target>/, where the replay test
# keeps it. Logs go to fuzz/logs/. A first run on an empty corpus: seed it with
# `cargo test -p konvergen-tests --test fuzz_corpus -- --ignored`.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${1:-10000000}"
shift || true
TARGETS=("$@")
FUZZ_DIR="$ROOT/fuzz"

ensure_fuzz_tools() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing the nightly toolchain (cargo-fuzz needs it)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
  fi
}

# No sanitizer: the workspace forbids unsafe code, so the fuzzer hunts panics and broken
# invariants, and runs about twice as fast without ASan. Debug assertions stay on (-a) so
# integer overflow panics instead of wrapping.
build_targets() {
  say "building the fuzz targets (nightly, release, debug assertions)"
  nice -n 10 cargo +nightly fuzz build --sanitizer none --debug-assertions
  BIN_DIR="$FUZZ_DIR/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
}

run_target() {
  local target="$1" corpus="$FUZZ_DIR/corpus/$1" log="$FUZZ_DIR/logs/$1.log"
  mkdir -p "$corpus" "$FUZZ_DIR/logs" "$FUZZ_DIR/artifacts/$target"
  say "fuzzing $target for $RUNS executions (log: fuzz/logs/$target.log)"
  if ! nice -n 10 "$BIN_DIR/$target" "$corpus" -runs="$RUNS" -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/artifacts/$target/" >"$log" 2>&1; then
    warn "$target found a failure: see $log and fuzz/artifacts/$target/"
    return 1
  fi
  grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added))' "$log"
  grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true
  minimise "$target"
}

# Keeps the smallest set of files that still reaches every code edge the corpus reaches (hit
# counts ignored), so the committed corpus (and its replay in CI) stays a few hundred files.
minimise() {
  local target="$1" corpus="$FUZZ_DIR/corpus/$1" kept
  kept="$(mktemp -d)"
  nice -n 10 "$BIN_DIR/$target" -set_cover_merge=1 -use_counters=0 -max_len=4096 "$kept" "$corpus" \
    >>"$FUZZ_DIR/logs/$target.log" 2>&1
  rm -rf "$corpus" && mv "$kept" "$corpus"
  say "$target: $(ls "$corpus" | wc -l) corpus files kept"
}

ensure_fuzz_tools
cd "$FUZZ_DIR"
build_targets
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
for target in "${TARGETS[@]}"; do
  run_target "$target"
done
