#!/usr/bin/env bash
# Sets everything up, builds the release, loads the demo data and serves
# Portcullis on http://127.0.0.1:3000 (override with PORTCULLIS_LISTEN).
# Without DATABASE_URL it runs its own PostgreSQL cluster in .portcullis/.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh

step "Building Portcullis (release)"
scripts/build-site.sh
cargo leptos build --release --server-only

if [ -z "${DATABASE_URL:-}" ]; then
  export PORTCULLIS_DATA_DIR="${PORTCULLIS_DATA_DIR:-$PORTCULLIS_STATE_BASE/.portcullis}"
fi
step "Starting Portcullis with the demo data"
exec target/release/portcullis serve --seed-demo "$@"
