#!/usr/bin/env bash
# Runs kinde-workflow's wasm32 tests (every file in tests/: the JS bridge, panics, JSON
# read from and written to host values) under Node
# with wasm-bindgen-test-runner, installing wasm-bindgen-cli at the version the
# workspace pins for `wasm-bindgen` when it is missing or another version.
#
# Two passes:
#   1. the dev profile with rustc's default wasm32 features;
#   2. the way `cargo kinde build` compiles workflows: the `kinde` profile (LTO,
#      panic=abort) without reference types and multivalue (cargo-kinde's RUSTFLAGS).
#      (Those flags with the dev profile make wasm-bindgen fail with "failed to find
#      the `__wbindgen_externref_table_alloc` function", so pass 1 goes without them.)
#      Its own target dir keeps cargo-kinde's artifacts (other rustflags) untouched.
#
# Extra arguments go to both `cargo test` runs, e.g. `-- fetch` to filter by name.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '==> %s\n' "$*" >&2; }

target=wasm32-unknown-unknown
version="$(sed -n 's/^wasm-bindgen = "=\{0,1\}\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)"
if [[ -z "$version" ]]; then
  echo "error: cannot read the pinned wasm-bindgen version from Cargo.toml" >&2
  exit 1
fi

command -v node >/dev/null 2>&1 || {
  echo "error: node is not installed (wasm-bindgen tests run under Node.js)" >&2
  exit 1
}
if ! rustup target list --installed | grep -qx "$target"; then
  say "rustup target add $target"
  rustup target add "$target" >/dev/null
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"
runner_version() { wasm-bindgen-test-runner --version 2>/dev/null || true; }
if [[ "$(runner_version)" != "wasm-bindgen-test-runner $version" ]]; then
  say "installing wasm-bindgen-cli $version (takes a few minutes)"
  # Not --locked: the CLI's lock file does not build with current toolchains.
  cargo install wasm-bindgen-cli --version "=$version" --force
  if [[ "$(runner_version)" != "wasm-bindgen-test-runner $version" ]]; then
    echo "error: wasm-bindgen-test-runner on PATH is '$(runner_version)', not $version" >&2
    exit 1
  fi
fi
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

say "wasm-bindgen tests under Node (dev profile)"
cargo test -p kinde-workflow --target "$target" "$@"

say "wasm-bindgen tests under Node (kinde profile, cargo-kinde's target features)"
cargo test -p kinde-workflow --target "$target" --tests --profile kinde \
  --target-dir target/wasm-bindgen-test \
  --config "target.$target.rustflags=[\"-Ctarget-feature=-reference-types,-multivalue\"]" \
  "$@"
