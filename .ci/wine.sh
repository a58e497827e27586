#!/usr/bin/env bash
# Runs the SDK's Windows build (x86_64-pc-windows-gnu, linked with mingw-w64) under Wine 8:
# the library's unit tests, the client against the emulator over real HTTP (the emulator runs
# inside each Windows test binary), TLS refusal, the store rules, the CLI and soak examples,
# and a Credential Manager round trip across processes. Needs: Debian packages mingw-w64 and
# wine64, the rustup target x86_64-pc-windows-gnu.
#
# One workaround, for tests only: Rust's standard library (since 1.78) loads ProcessPrng from
# bcryptprimitives.dll, which Debian's Wine 8 lacks, so every Rust .exe dies on load. A tiny
# stand-in (.ci/wine/bcryptprimitives.c, over RtlGenRandom) is built with mingw and put into a
# throw-away Wine prefix; it never ships (see the C file for why it is sound).
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine)
work=$(mktemp -d)
# Debian's wine64 package installs the server as wineserver64 next to wine64, not on PATH.
wineserver=$(command -v wineserver || echo "$(dirname "$wine")/wineserver64")
trap '"$wineserver" -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

echo "== Wine prefix ($("$wine" --version))"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" \
  .ci/wine/bcryptprimitives.c -ladvapi32
"$wine" wineboot --init >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; exit 1; }
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$wine"
echo "== Windows examples (the CLI and soak tests run them)"
cargo build --target "$target" -p cognito-device-auth --examples
echo "== Windows tests under Wine"
cargo test --target "$target" -p cognito-device-auth --lib \
  --test sign_in --test device_lifecycle --test mfa --test faults --test store_semantics \
  --test hostile_server --test vectors --test srp_bad_input --test fuzz_regressions \
  --test signin_cli --test soak --test keychain_windows
# The uniffi facade's unit tests (bindings/ffi) run on Windows too.
cargo test --target "$target" -p cognito-device-auth-ffi --lib

echo "== a Rust app that depends on the SDK (.ci/dependent-app), built for Windows and run"
# Its own workspace; the SDK's lock file keeps it on the versions every other stage tested.
cp Cargo.lock .ci/dependent-app/Cargo.lock
cargo build --manifest-path .ci/dependent-app/Cargo.toml --target "$target"
"$wine" "${CARGO_TARGET_DIR:-.ci/dependent-app/target}/$target/debug/dependent-app.exe"
