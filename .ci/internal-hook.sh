#!/usr/bin/env bash
# The SDK's internal hook that replaces the HTTP client (`Client::with_http_client`, for the
# fuzz targets) exists only in this repository's builds and in cargo fuzz, never in an app's,
# even when a dependency turns on the `fuzzing` feature (features are additive). The cfg that
# enables it comes from build.rs, when .cargo/config.toml (which cargo reads from the working
# directory) sets COGNITO_DEVICE_AUTH_INTERNAL: an app builds elsewhere. This builds .ci/dependent-app from a directory outside the repository,
# with the feature on, and requires the compiler to refuse the hook; then without the feature,
# and requires success.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
cp "$root/Cargo.lock" "$root/.ci/dependent-app/Cargo.lock"
manifest="$root/.ci/dependent-app/Cargo.toml"
cd "$outside"
unset COGNITO_DEVICE_AUTH_INTERNAL
if cargo check --manifest-path "$manifest" --features try-internal-hook >"$outside/log" 2>&1; then
  echo "the internal HTTP hook compiled in an app's build with the fuzzing feature on" >&2
  exit 1
fi
if ! grep -q "no function or associated item named \`with_http_client\`" "$outside/log"; then
  tail -n 40 "$outside/log" >&2
  echo "the feature build failed, but not because the hook is absent" >&2
  exit 1
fi
echo "an app's build with the fuzzing feature on has no internal HTTP hook"
cargo check --manifest-path "$manifest"
echo "the same app without the feature builds"
