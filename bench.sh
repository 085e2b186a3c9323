#!/usr/bin/env bash
# Sets everything up, builds the release, generates the benchmark
# organization (1,000,000 users, 1,000 companies, 200 roles; once, kept in
# target/bench-db) and prints one table of measurements, each beside its
# reference from the same run. Load goes to loopback only and stops by
# itself. Arguments go to `bench run` (see `target/release/bench run --help`).
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

data="$PORTCULLIS_STATE_BASE/target/bench-db"
bench=(target/release/bench --data-dir "$data")
step "Benchmark data (generated once, a minute or two)"
"${bench[@]}" seed --users "${BENCH_USERS:-1000000}" --companies 1000 --roles 200

step "Measuring (about five minutes)"
# The cluster stays up between the steps of the run; stopped at the end.
portcullis=(target/release/portcullis --data-dir "$data")
"${portcullis[@]}" db start >/dev/null
trap '"${portcullis[@]}" db stop >/dev/null 2>&1 || true' EXIT
"${bench[@]}" run --server target/release/portcullis "$@"
