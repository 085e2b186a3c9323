#!/usr/bin/env bash
# Sets everything up, builds the release, generates the benchmark data
# (once, kept in target/bench-db) and prints one table of measurements,
# each beside its reference from the same run, also written as JSON
# (target/bench/results.json) and compared with the run before. Load goes
# to loopback only and stops by itself. Arguments go to `bench run` (see
# `target/release/bench run --help`).
#
# BENCH_SCALE=1m (the default): an organization of 1,000,000 users, 1,000
# companies and 200 roles. BENCH_SCALE=10m: 10,000,000 users, 10,000
# companies, 2,000 roles (in target/bench-db-10m; about 15 GB). Both add a
# vendor linked to 5,000 of 10,000 organizations.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
unset DATABASE_URL

step "Building Portcullis (release) and the benchmark"
scripts/build-site.sh
cargo leptos build --release --server-only
# The benchmark is a workspace member of its own (bench/), not part of the
# product; it measures the release binary just built.
cargo build --release -p bench

# Lighthouse scores the pages; npm's, at the exact version the targets
# name, in Debian's Chromium (nothing downloads a browser).
lighthouse_dir="$PORTCULLIS_TOOLS/lighthouse-12.2.3"
if [ ! -x "$lighthouse_dir/node_modules/.bin/lighthouse" ]; then
  step "Installing Lighthouse (npm lighthouse 12.2.3)"
  mkdir -p "$lighthouse_dir"
  npm install --prefix "$lighthouse_dir" --no-audit --no-fund --silent lighthouse@12.2.3
fi
export PORTCULLIS_LIGHTHOUSE="$lighthouse_dir/node_modules/.bin/lighthouse"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

case "${BENCH_SCALE:-1m}" in
  1m) data="$PORTCULLIS_STATE_BASE/target/bench-db"; size=(--users 1000000 --companies 1000 --roles 200) ;;
  10m) data="$PORTCULLIS_STATE_BASE/target/bench-db-10m"; size=(--users 10000000 --companies 10000 --roles 2000) ;;
  *) echo "BENCH_SCALE is 1m or 10m" >&2; exit 2 ;;
esac
bench=(target/release/bench --data-dir "$data")
step "Benchmark data (generated once: a minute or two at 1m, about fifteen at 10m)"
"${bench[@]}" seed "${size[@]}" --organizations 10000 --linked 5000

step "Measuring (about five minutes)"
# The cluster stays up between the steps of the run; stopped at the end.
portcullis=(target/release/portcullis --data-dir "$data")
"${portcullis[@]}" db start >/dev/null
trap '"${portcullis[@]}" db stop >/dev/null 2>&1 || true' EXIT
"${bench[@]}" run --server target/release/portcullis \
  --json "target/bench/results-${BENCH_SCALE:-1m}.json" "$@"
