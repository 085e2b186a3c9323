#!/usr/bin/env bash
# Builds the browser side of the release -- the size-first WASM bundle, the
# stylesheet and the static assets -- into target/site, unless nothing it is
# built from changed since the last successful build.
#
# One bundle, not lazily loaded chunks per page: split at 33 pages,
# wasm-split made 551 chunks, and the Users page needed 151 of them, each a
# request and an instantiation on every load (docs/PERFORMANCE.md, "One
# bundle").
#
# Why the skip: cargo-leptos re-runs wasm-bindgen and wasm-opt on each
# build, a minute and more even when cargo itself had nothing to do. The inputs are the sources of the crates the bundle is
# compiled from, the style and assets, the build configuration and the
# versions of every tool in the pipeline; a change to any of them rebuilds.
# Every file under target/site/pkg gets its content hash in its name
# (cargo-leptos `hash-files`, listed in target/site/hash.txt, which the
# server reads) and a brotli and a gzip copy beside it (`--precompress`), so
# the server can send them compressed and let browsers keep them for a year.
# Expects the tools on PATH (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=target/site.inputs
hashes=target/site/hash.txt
sources=(app frontend style public Cargo.toml Cargo.lock .cargo)

# Every source file's content, tracked or not (ignored files are build
# output), plus the toolchain.
inputs() {
  if git rev-parse --git-dir >/dev/null 2>&1; then
    # Tracked files deleted in the working tree are listed too: skip them.
    git ls-files -z --cached --others --exclude-standard -- "${sources[@]}" \
      | while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done
  else
    find "${sources[@]}" -type f -not -path '*/target/*' -print0
  fi | LC_ALL=C sort -z | xargs -0 sha256sum
  rustc -vV
  cargo-leptos --version
  wasm-bindgen --version
  wasm-opt --version
  echo "cargo leptos build --release --precompress --frontend-only"
}

# Cargo.lock settles first (cargo rewrites it when the workspace changed),
# or the build would change an input after it was read.
cargo metadata --format-version 1 >/dev/null
# The stamp lists every input with its hash, so a rebuild can say why.
listing=$(inputs)
# Built when the hash list names a bundle, a script and a stylesheet that
# are all there.
built=false
if [ -s "$hashes" ]; then
  built=true
  for kind in wasm js css; do
    name=$(sed -n "s/^$kind: *//p" "$hashes")
    [ -n "$name" ] && [ -s "target/site/pkg/portcullis.$name.$kind" ] || built=false
  done
fi
if [ "$built" = true ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$listing" ]; then
  echo "Browser bundle: sources and tools unchanged since the last build; target/site kept."
  exit 0
fi
if [ -f "$stamp" ]; then
  echo "Browser bundle: rebuilding; changed since the last build:"
  diff <(cat "$stamp") <(printf '%s\n' "$listing") | sed -n 's/^> [0-9a-f]*  */  /p' | head -10 || true
fi

# The stamp goes first, so an interrupted build never leaves a stale one.
# The old site goes too: cargo-leptos would hash its already hashed files
# a second time.
rm -rf "$stamp" target/site
cargo leptos build --release --precompress --frontend-only
# cargo-leptos writes the hash list beside the release server binary; the
# site keeps it, so any server binary serving this site finds it.
mv target/release/hash.txt "$hashes"
printf '%s\n' "$listing" >"$stamp"
