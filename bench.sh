#!/usr/bin/env bash
# Sets everything up, builds the release, generates the benchmark
# organization (1,000,000 users, 1,000 companies, 200 roles; once, kept in
# target/bench-db) and prints one table of measurements, each beside its
# reference from the same run. Load goes to loopback only and stops by
# itself. Arguments go to `portcullis bench run` (see --help).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
unset DATABASE_URL

step "Building Portcullis (release)"
cargo leptos build --release --split

data="$PORTCULLIS_STATE_BASE/target/bench-db"
portcullis=(target/release/portcullis --data-dir "$data")
step "Benchmark data (generated once, a minute or two)"
"${portcullis[@]}" bench seed --users "${BENCH_USERS:-1000000}" --companies 1000 --roles 200

step "Measuring (about five minutes)"
# The cluster stays up between the steps of the run; stopped at the end.
"${portcullis[@]}" db start >/dev/null
trap '"${portcullis[@]}" db stop >/dev/null 2>&1 || true' EXIT
"${portcullis[@]}" bench run "$@"
