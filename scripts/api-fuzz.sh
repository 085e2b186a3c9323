#!/usr/bin/env bash
# Fuzzes the vendor API from its own OpenAPI document with Schemathesis, an
# independent tool (PyPI): a demo server on loopback over a fresh database
# in DATA_DIR, an API key made as vendor staff make one, then every
# documented operation with generated valid and invalid input -- bounded in
# count, rate (the key's limit) and time. Fails on any 5xx, a status the
# document does not list, a body or content type not as documented, or a
# request without the key let through. Usage: api-fuzz.sh DATA_DIR
# (test.sh runs it; $SCHEMATHESIS names the tool).
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$1
port=${API_FUZZ_PORT:-3300}
base="http://127.0.0.1:$port"
mkdir -p target/test-logs
PORTCULLIS_DATA_DIR="$data_dir" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  target/debug/portcullis serve --listen "127.0.0.1:$port" --seed-demo \
  >target/test-logs/api-fuzz-server.log 2>&1 &
server=$!
# SIGTERM: the server stops its private cluster on the way out.
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
key=$(python3 scripts/api-key.py "$base")
timeout 600 "$SCHEMATHESIS" run "$base/api/v1/openapi.json" \
  --header "Authorization: Bearer $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,ignored_auth \
  --phases examples,coverage,fuzzing \
  --max-examples 20 --rate-limit 55/m --workers 1 --seed 23 --generation-database none \
  --no-color
