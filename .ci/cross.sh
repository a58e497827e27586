#!/usr/bin/env bash
# Type-checks and lints the SDK for the platforms it claims but this Linux machine cannot run:
# Android (aarch64), iOS (device), macOS (aarch64) and Windows (x86_64, GNU). No Android NDK and
# no Apple SDK: the only C in the build is ring's (the TLS stack), and it compiles with Debian's
# clang-19 and its own freestanding headers. Two stand-ins are enough for *checking* (nothing is
# linked for these targets here):
#   - Apple targets: an empty `TargetConditionals.h` (ring includes it; the real one is in the
#     Apple SDK and only defines TARGET_OS_* macros ring does not need in check builds);
#   - iOS: an SDKROOT directory, so that the cc crate does not ask `xcrun` for one.
# Windows uses mingw-w64's gcc. Needs: rustup targets aarch64-linux-android aarch64-apple-ios
# aarch64-apple-darwin x86_64-pc-windows-gnu; Debian packages clang-19 mingw-w64.
#
#   bash .ci/cross.sh            # every target
#   bash .ci/cross.sh android    # one (android, ios, macos, windows, libraries)
set -euo pipefail
cd "$(dirname "$0")/.."

# The stand-ins live at a fixed path under the cargo target directory: the C flags name it, and
# cargo rebuilds ring whenever they change (a fresh temporary directory cost a rebuild per run).
stub=$(realpath -m "${CARGO_TARGET_DIR:-target}/cross-stub")
mkdir -p "$stub/include" "$stub/iPhoneOS.sdk" "$stub/sysroot"
: >"$stub/include/TargetConditionals.h"

declare -A triple=(
  [android]=aarch64-linux-android
  [ios]=aarch64-apple-ios
  [macos]=aarch64-apple-darwin
  [windows]=x86_64-pc-windows-gnu
)
# clang's --target for the C parts (Android API level 24: the oldest the SDK supports).
declare -A clang_target=(
  [android]=aarch64-linux-android24
  [ios]=arm64-apple-ios13.0
  [macos]=arm64-apple-macos11
)

run() {
  echo "+ $*"
  "$@"
}

check_one() {
  local name=$1 t=${triple[$1]}
  local var=${t//-/_}
  echo "== $name ($t)"
  local env=()
  if [ "$name" = windows ]; then
    env+=("CC_$var=x86_64-w64-mingw32-gcc" "AR_$var=x86_64-w64-mingw32-ar")
  else
    # Freestanding, with an empty sysroot: clang's own stdint.h and stddef.h, never the host's
    # /usr/include (which is glibc for x86_64); RING_CORE_NOSTDLIBINC is ring's own switch for
    # building without a C library's headers.
    local flags="--target=${clang_target[$name]} -ffreestanding --sysroot=$stub/sysroot -DRING_CORE_NOSTDLIBINC=1"
    case $name in
      ios | macos) flags="$flags -isystem $stub/include" ;;
    esac
    env+=("CC_$var=clang-19" "AR_$var=llvm-ar-19" "CFLAGS_$var=$flags")
  fi
  if [ "$name" = ios ]; then
    env+=("SDKROOT=$stub/iPhoneOS.sdk")
  fi
  # The default features (a Rust app's build): the library.
  run env "${env[@]}" cargo clippy -p cognito-device-auth --target "$t" --lib -- -D warnings
  # The uniffi facade (bindings/ffi, what Swift and Kotlin load): the library and its tests.
  run env "${env[@]}" cargo clippy -p cognito-device-auth-ffi --target "$t" \
    --lib --tests -- -D warnings
}

# The libraries apps link (crate cognito-device-auth-ffi, bindings/ffi), where this machine can
# build them: the iOS static library (only the staticlib crate type: both at once give a far
# larger archive full of bitcode) and the Windows DLL. uniffi-bindgen in library mode must read from each the same interface as from
# the host library: the Swift from the iOS archive is the committed Swift, byte for byte, and
# the Kotlin from the DLL is the Kotlin from the host library.
libraries() {
  echo "== libraries apps link: iOS static library, Windows DLL"
  local out target_dir=${CARGO_TARGET_DIR:-target}
  out=$(mktemp -d)
  run cargo build -p uniffi-bindgen
  run cargo build -p cognito-device-auth-ffi --lib
  local bindgen="$target_dir/debug/uniffi-bindgen"
  run env "CC_aarch64_apple_ios=clang-19" "AR_aarch64_apple_ios=llvm-ar-19" \
    "CFLAGS_aarch64_apple_ios=--target=${clang_target[ios]} -ffreestanding --sysroot=$stub/sysroot -DRING_CORE_NOSTDLIBINC=1 -isystem $stub/include" \
    "SDKROOT=$stub/iPhoneOS.sdk" \
    cargo rustc -p cognito-device-auth-ffi --lib --crate-type staticlib --target aarch64-apple-ios
  run "$bindgen" generate --library "$target_dir/aarch64-apple-ios/debug/libcognito_device_auth_ffi.a" \
    --language swift --no-format --out-dir "$out/ios"
  cmp "$out/ios/CognitoDeviceAuth.swift" bindings/swift/Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift
  cmp "$out/ios/CognitoDeviceAuthFFI.h" bindings/swift/headers/CognitoDeviceAuthFFI.h
  echo "the Swift generated from the iOS archive is the committed Swift"
  run env "CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc" \
    cargo rustc -p cognito-device-auth-ffi --lib --crate-type cdylib --target x86_64-pc-windows-gnu
  run "$bindgen" generate --library "$target_dir/x86_64-pc-windows-gnu/debug/cognito_device_auth_ffi.dll" \
    --language kotlin --no-format --out-dir "$out/windows"
  run "$bindgen" generate --library "$target_dir/debug/libcognito_device_auth_ffi.so" \
    --language kotlin --no-format --out-dir "$out/host"
  diff -r "$out/windows" "$out/host"
  echo "the Kotlin generated from the Windows DLL is the Kotlin from the host library"
  ls -l "$target_dir/aarch64-apple-ios/debug/libcognito_device_auth_ffi.a" \
    "$target_dir/x86_64-pc-windows-gnu/debug/cognito_device_auth_ffi.dll"
  rm -rf "$out"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(android ios macos windows libraries)
for name in "${targets[@]}"; do
  if [ "$name" = libraries ]; then
    libraries
    continue
  fi
  [ -n "${triple[$name]:-}" ] || { echo "unknown target $name" >&2; exit 2; }
  check_one "$name"
done
echo "== cross-target checks passed: ${targets[*]}"
