#!/usr/bin/env bash
# Regenerates .sqlx/, the offline data of the compile-time checked queries
# (sqlx::query!/query_as!/query_scalar!): every build reads it instead of a
# database (SQLX_OFFLINE in .cargo/config.toml), so a fresh clone builds
# with no PostgreSQL at all. Run it after adding or changing such a query or
# a migration; commit what it writes. It checks every query against a
# private cluster in target/sqlx-db, migrated from migrations/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >/dev/null

data="$PORTCULLIS_STATE_BASE/target/sqlx-db"
# The cluster is started by the portcullis binary, which itself builds only
# once every query has its data: a binary from before the change serves
# (a fresh clone has all the data, so it builds).
[ -x target/debug/portcullis ] || cargo build -q -p server
portcullis=(target/debug/portcullis --data-dir "$data")
url="$("${portcullis[@]}" db start | sed -n 's/^DATABASE_URL=//p')"
trap '"${portcullis[@]}" db stop >/dev/null 2>&1 || true' EXIT
DATABASE_URL="$url" "${portcullis[@]}" migrate

# The macros write a query's data when they expand with a database at hand;
# a target directory of its own, with the app crate cleaned, makes them
# expand every query without touching the sources or the usual build.
rm -rf .sqlx && mkdir .sqlx
export SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" DATABASE_URL="$url"
cargo clean -q -p app -p server --target-dir target/sqlx
cargo check -q -p app -p server --features app/ssr --target-dir target/sqlx
echo "Wrote $(find .sqlx -name 'query-*.json' | wc -l) queries' data to .sqlx/."
