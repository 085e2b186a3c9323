#!/usr/bin/env bash
# Installs what building and testing Portcullis needs, and reuses what is
# already there, so a second run takes seconds. Sourced by run.sh and test.sh
# (it puts the tools on PATH); can also be run on its own.
#
# Tools go to a per-user cache keyed by version, outside the clone, so fresh
# clones on the same machine (CI) reuse them:
#   ${PORTCULLIS_TOOLS:-~/.cache/portcullis/tools}/<tool>-<version>/
# Nothing is downloaded from outside crates.io, npm and Debian's archive.

set -euo pipefail

PORTCULLIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTCULLIS_TOOLS="${PORTCULLIS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/portcullis/tools}"

# Pinned so every machine builds the same thing.
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
# wasm-bindgen-cli must match the wasm-bindgen crate exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$PORTCULLIS_ROOT/Cargo.lock")"

# Each step's name and duration, for step_times at the end of a run.
step_names=() step_seconds=() step_started=$SECONDS
step() {
  if [ ${#step_names[@]} -gt 0 ]; then step_seconds+=($((SECONDS - step_started))); fi
  step_names+=("$*") step_started=$SECONDS
  printf '\033[1m==> %s\033[0m\n' "$*"
}
# Prints how long each step took (the last one up to now).
step_times() {
  step_seconds+=($((SECONDS - step_started)))
  printf '\nStep times:\n'
  for i in "${!step_names[@]}"; do
    printf '%6d s  %s\n' "${step_seconds[$i]}" "${step_names[$i]}"
  done
}
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root (or sudo) to run: $*"; fi
}

# --- Debian packages: PostgreSQL, Chromium, brotli, poppler, wrk ------------
missing_packages=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || missing_packages+=(postgresql)
command -v chromium >/dev/null || missing_packages+=(chromium)
command -v brotli >/dev/null || missing_packages+=(brotli)
# pdftotext reads the permissions-by-page PDF back in the tests.
command -v pdftotext >/dev/null || missing_packages+=(poppler-utils)
# wrk: the benchmark's load generator (bench.sh), outside the measured process.
command -v wrk >/dev/null || missing_packages+=(wrk)
# Python with venv: Schemathesis, the vendor API's fuzzer (test.sh).
command -v python3 >/dev/null || missing_packages+=(python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || missing_packages+=(python3-venv)
if [ ${#missing_packages[@]} -gt 0 ]; then
  step "Installing Debian packages: ${missing_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
fi

# --- Rust: the WASM target ----------------------------------------------------
command -v cargo >/dev/null || fail "cargo is missing: install Rust with rustup first"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- cargo-leptos (its dependencies need a newer rustc than stable) -----------
cargo_leptos_dir="$PORTCULLIS_TOOLS/cargo-leptos-$CARGO_LEPTOS_VERSION"
if [ ! -x "$cargo_leptos_dir/bin/cargo-leptos" ]; then
  toolchain=+nightly
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal || toolchain=""
  step "Building cargo-leptos $CARGO_LEPTOS_VERSION (once per machine)"
  # no_downloads: cargo-leptos must use the tools below, never fetch its own.
  # Its own release profile asks for fat LTO in one codegen unit; without
  # them the build takes 738 s instead of about 860 on two cores, for a
  # tool whose own share of a build is seconds.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo $toolchain install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked \
    --features no_downloads --root "$cargo_leptos_dir"
fi

# --- wasm-bindgen-cli (no --locked: its lockfile names a yanked crate) -------
wasm_bindgen_dir="$PORTCULLIS_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION"
if [ "$("$wasm_bindgen_dir/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "Building wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --root "$wasm_bindgen_dir"
fi

# --- wasm-opt from npm's binaryen (Debian's v108 breaks hydration) ----------
binaryen_dir="$PORTCULLIS_TOOLS/binaryen-$BINARYEN_VERSION"
if [ ! -x "$binaryen_dir/node_modules/.bin/wasm-opt" ]; then
  step "Installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
  mkdir -p "$binaryen_dir"
  npm install --prefix "$binaryen_dir" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

export PATH="$cargo_leptos_dir/bin:$wasm_bindgen_dir/bin:$binaryen_dir/node_modules/.bin:$PATH"

# --- Playwright (the npm package only; the browser is Debian's Chromium) ------
e2e_dir="$PORTCULLIS_ROOT/end2end"
lock_sum="$(sha256sum "$e2e_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$e2e_dir/node_modules/.portcullis-lock" 2>/dev/null)" != "$lock_sum" ]; then
  step "Installing the Playwright npm packages (npm ci)"
  (cd "$e2e_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  echo "$lock_sum" >"$e2e_dir/node_modules/.portcullis-lock"
fi

# --- Where private PostgreSQL clusters may live -------------------------------
# As root a cluster runs as 'postgres', which must reach its data directory.
# If the clone sits under a folder closed to it (e.g. /root), use /var/tmp.
PORTCULLIS_STATE_BASE="$PORTCULLIS_ROOT"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PORTCULLIS_ROOT" 2>/dev/null; then
  PORTCULLIS_STATE_BASE="/var/tmp/portcullis-$(printf '%s' "$PORTCULLIS_ROOT" | sha256sum | cut -c1-12)"
  mkdir -p "$PORTCULLIS_STATE_BASE"
  step "The clone is closed to the postgres user; private databases live in $PORTCULLIS_STATE_BASE"
fi
export PORTCULLIS_STATE_BASE

step "Tools ready: $(cargo-leptos --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1)"
