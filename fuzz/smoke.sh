#!/usr/bin/env bash
# Runs every fuzz target for a few seconds from its seed corpus; fails on the first crash.
#
#   bash fuzz/smoke.sh [SECONDS]     # default 20 s per target; CI runs this
#
# cargo fuzz passes nightly-only flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them, so no nightly toolchain is needed.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
export RUSTC_BOOTSTRAP=1
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 1
fi
cargo fuzz build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in srp_session server_answers emulator_requests; do
  mkdir -p "$work/$target"
  cp seeds/"$target"/* "$work/$target"/
  log="$work/$target.log"
  if ! cargo fuzz run "$target" "$work/$target" -- -max_total_time="$seconds" \
      -print_final_stats=1 -rss_limit_mb=3072 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz target $target failed; the input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  echo "$target: $runs executions in ${seconds} s, no crash"
done
