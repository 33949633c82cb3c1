#!/usr/bin/env bash
# Runs every cargo-fuzz target for N executions each, one after another, then minimises its
# corpus in place. Nightly Rust only; CI does not fuzz, it replays the kept corpus on stable
# (tests/tests/fuzz_corpus.rs).
#
#   scripts/fuzz.sh                    # 10,000,000 executions per target
#   scripts/fuzz.sh 100000 pull_cursor # a quick run of one target
#
# Installs cargo-fuzz (from crates.io) and the nightly toolchain when missing; safe to repeat.
# Crash inputs land in fuzz/artifacts/<target>/; a fixed one belongs in fuzz/regressions/
# <target>/ next to the fix, where the replay test keeps it. Logs go to fuzz/logs/.

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
FUZZ_FLAGS=(--sanitizer none --debug-assertions)

run_target() {
  local target="$1" corpus="$FUZZ_DIR/corpus/$1" log="$FUZZ_DIR/logs/$1.log"
  mkdir -p "$corpus" "$FUZZ_DIR/logs"
  say "fuzzing $target for $RUNS executions (log: fuzz/logs/$target.log)"
  nice -n 10 cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$target" "$corpus" -- \
    -runs="$RUNS" -max_len=4096 -print_final_stats=1 2>&1 | tee "$log" | grep -E '^(#[0-9]+ +(pulse|DONE)|Done|==|stat::)' || true
  grep -q '^Done' "$log" || { warn "$target stopped early: see $log"; return 1; }
  say "minimising the $target corpus"
  nice -n 10 cargo +nightly fuzz cmin "${FUZZ_FLAGS[@]}" "$target" "$corpus" -- -max_len=4096 \
    >>"$log" 2>&1
  say "$target: $(ls "$corpus" | wc -l) corpus files kept"
}

ensure_fuzz_tools
cd "$FUZZ_DIR"
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
for target in "${TARGETS[@]}"; do
  run_target "$target"
done
