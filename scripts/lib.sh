# Shared helpers for scripts/run.sh and scripts/test.sh: idempotent tool installation.
# Every installer checks what is present first, says what it installs and why, and skips
# what is already there, so both commands are cheap to repeat.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
# Environment for the wasm build only (set by ensure_wasm_target when the fallback is used).
WASM_BUILD_ENV=()

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    warn "need root for: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust_components() {
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "installing rustup component $component (needed by the checks)"
      rustup component add "$component"
    fi
  done
}

# The verified fallback (docs: ../shared/docs/toolchain.md): Debian's Rust with the standard
# library built from source, only for the wasm build.
ensure_wasm_target() {
  if rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then return 0; fi
  say "installing the wasm32-unknown-unknown target (the web app is compiled to WebAssembly)"
  if rustup target add wasm32-unknown-unknown; then return 0; fi
  warn "rustup could not fetch the wasm target; using Debian's Rust with build-std instead"
  apt_install rustc-web cargo-web rust-web-src lld-19
  rustup toolchain list | grep -q '^debian' || rustup toolchain link debian /usr
  WASM_BUILD_ENV=(RUSTUP_TOOLCHAIN=debian RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19)
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION"; then return 0; fi
  say "installing trunk $TRUNK_VERSION (bundles the web app; about 5-10 minutes to compile)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

# wasm-bindgen's CLI must match the crate version in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local wanted; wanted="$(wasm_bindgen_version)"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$wanted" ]; then
    return 0
  fi
  say "installing wasm-bindgen-cli $wanted (must equal the wasm-bindgen crate in Cargo.lock)"
  # Without --locked: a dependency pinned in its lock file is no longer on crates.io.
  cargo install wasm-bindgen-cli --version "$wanted" --force
  if ! grep -q "wasm_bindgen = \"$wanted\"" "$ROOT/Trunk.toml"; then
    warn "Trunk.toml [tools] wasm_bindgen differs from Cargo.lock ($wanted): update Trunk.toml"
    return 1
  fi
}

# The web build's npm tools, pinned by frontend/tools/package-lock.json: binaryen's wasm-opt
# (Debian's binaryen 108 emits modules that Chromium rejects) and esbuild, which minifies the
# JS that Trunk leaves as it is (its own minifier fails on wasm-bindgen's `export default`).
ESBUILD_VERSION="0.25.12"
ensure_web_build_tools() {
  local bin="$ROOT/frontend/tools/node_modules/.bin"
  if [ -x "$bin/wasm-opt" ] && "$bin/wasm-opt" --version | grep -q "version $BINARYEN_VERSION" &&
     [ -x "$bin/esbuild" ] && [ "$("$bin/esbuild" --version)" = "$ESBUILD_VERSION" ]; then
    return 0
  fi
  say "installing binaryen $BINARYEN_VERSION and esbuild $ESBUILD_VERSION from npm (they shrink the app for slow networks)"
  (cd "$ROOT/frontend/tools" && npm ci --no-audit --no-fund --loglevel=error)
}

build_frontend() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_web_build_tools
  say "building the web app (release, wasm-opt -Oz)"
  (cd "$ROOT" && env PATH="$ROOT/frontend/tools/node_modules/.bin:$PATH" "${WASM_BUILD_ENV[@]}" \
    trunk build --release)
  stamp_service_worker
  minify_scripts
  ensure_zopfli
  # Precompressed copies let the server send brotli or gzip without compressing on every
  # request. The gzip copies of the desk and the full module come from their Trunk hook (gzip -9:
  # zopfli would take minutes; browsers that ask for brotli never read them).
  local file
  find "$ROOT/dist" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \
    -o -name '*.html' -o -name '*.webmanifest' -o -name '*.svg' \) -print0 |
    while IFS= read -r -d '' file; do precompress "$file"; done
  say "writing brotli copies"
  find "$ROOT/dist" "$ROOT/dist/desk" "$ROOT/dist/scorecard" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' \
    -o -name '*.css' -o -name '*.html' -o -name '*.webmanifest' -o -name '*.svg' \) -print0 |
    xargs -0 node "$ROOT/frontend/tools/brotli.mjs"
}

# The wasm-bindgen glue, minified in place (57 to 26 KB, 2 KB less gzipped). Its name stays,
# so the service worker's precache list stays valid; index.html carries no integrity hash for
# it (data-integrity="none" in frontend/index.html), as that would name the unminified bytes.
# The service worker itself is left readable: it is 1 KB, and its VERSION line is what a
# deployment changes.
minify_scripts() {
  local file
  for file in "$ROOT"/dist/*.js; do
    [ "$(basename "$file")" = sw.js ] && continue
    "$ROOT/frontend/tools/node_modules/.bin/esbuild" "$file" --minify --log-level=warning \
      --outfile="$file" --allow-overwrite
  done
}

# The bodies a phone downloads on its first visit (the brotli copies: every browser on the
# cadres' phones asks for brotli), against a budget: a build that grows past it fails the test
# command instead of silently costing cadres time on 3G. The benchmark (docs/benchmarks.md)
# counts these plus about 2 KB of response headers against 350 KB.
check_first_load_budget() {
  local budget=$1 total=0 file
  for file in "$ROOT"/dist/index.html.br "$ROOT"/dist/icon.svg.br "$ROOT"/dist/*.css.br \
      "$ROOT"/dist/*.js.br "$ROOT"/dist/*_bg.wasm.br; do
    [ "$(basename "$file")" = sw.js.br ] && continue
    total=$(( total + $(stat -c %s "$file") ))
  done
  if [ "$total" -gt "$budget" ]; then
    warn "first load is $total bytes (brotli), over the budget of $budget (docs/benchmarks.md)"
    return 1
  fi
  say "first load $total bytes (brotli) (budget $budget)"
}

# zopfli writes ordinary gzip (every browser reads it) about 4 % smaller than gzip -9: 15 KB
# less of the cadre app over a phone's 3G on first load (docs/benchmarks.md). It is slow, which
# is why it runs once here and not in the server.
ensure_zopfli() {
  command -v zopfli >/dev/null && return 0
  apt_install zopfli || warn "zopfli could not be installed; precompressing with gzip -9 instead"
}

precompress() {
  if command -v zopfli >/dev/null; then
    rm -f "$1.gz"
    zopfli "$1"
  else
    gzip -9 -k -f "$1"
  fi
}

# The service worker precaches exactly this build's files under a cache named after them, so
# a new build is a new worker (and an "update available" prompt), never a half-updated app.
stamp_service_worker() {
  local dist="$ROOT/dist" assets full build_id
  # The PNG icons are left out: only the install prompt needs them, online, and precaching them
  # would add 17 KB to every phone's first visit.
  assets=$(cd "$dist" && find . -maxdepth 1 -type f ! -name 'sw.js' ! -name '*.gz' ! -name '*.br' ! -name '*.png' -printf '"/%P"\n' | sort | paste -sd,)
  assets="[\"/\",$assets]"
  # The full module (dist/scorecard/), kept only when the page asks (frontend/sw.js).
  full=$(cd "$dist" && find scorecard -maxdepth 1 -type f ! -name '*.gz' ! -name '*.br' -printf '"/%p"\n' | sort | paste -sd,)
  full="[$full]"
  build_id=$(printf '%s%s' "$assets" "$full" | sha256sum | cut -c1-16)
  sed -i "s|__BUILD_ID__|$build_id|; s|__ASSETS__|$assets|; s|__FULL_MODULE__|$full|" "$dist/sw.js"
}

ensure_browser() {
  apt_install chromium chromium-driver
}

ensure_e2e_deps() {
  local dir="$ROOT/tests/e2e"
  if [ -d "$dir/node_modules/@playwright/test" ] && \
     [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then return 0; fi
  say "installing Playwright (test runner only; it drives Debian's Chromium)"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

# pouchdb-server, the peer of the server benchmark (scripts/bench.sh), pinned by its lock file.
ensure_bench_deps() {
  local dir="$ROOT/tests/bench"
  if [ -d "$dir/node_modules/pouchdb-server" ] && \
     [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then return 0; fi
  say "installing pouchdb-server (the benchmark's peer)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}
