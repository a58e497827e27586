#!/usr/bin/env bash
# Builds CognitoDeviceAuthFFI.xcframework (on a Mac with Xcode and rustup): the static library
# for iOS devices (arm64), the iOS simulator (arm64 + x86_64) and macOS (arm64 + x86_64), each
# with the generated C header and module map of bindings/swift/headers.
#
#   bindings/swift/build-xcframework.sh          # release
#   PROFILE=debug bindings/swift/build-xcframework.sh
#
# Run bindings/generate.sh swift first when the Rust API changed (the consistency test in
# bindings/uniffi-bindgen/tests fails until the committed Swift sources are regenerated).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
profile=${PROFILE:-release}
target_dir=${CARGO_TARGET_DIR:-$root/target}
lib=libcognito_device_auth_ffi.a
out="$here/CognitoDeviceAuthFFI.xcframework"

[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh needs macOS and Xcode" >&2; exit 1; }

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
flags=()
[ "$profile" = release ] && flags=(--release)
for t in "${targets[@]}"; do
  # iOS 13 / macOS 10.15, as Package.swift declares. Only the static library of bindings/ffi:
  # building every crate type of its [lib] at once makes a far larger archive full of bitcode.
  IPHONEOS_DEPLOYMENT_TARGET=13.0 MACOSX_DEPLOYMENT_TARGET=10.15 \
    cargo rustc --manifest-path "$root/Cargo.toml" -p cognito-device-auth-ffi --lib \
    --crate-type staticlib --target "$t" "${flags[@]}"
done

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/ios" "$staging/ios-sim" "$staging/macos" "$staging/headers"
cp "$here/headers/CognitoDeviceAuthFFI.h" "$here/headers/module.modulemap" "$staging/headers/"
cp "$target_dir/aarch64-apple-ios/$profile/$lib" "$staging/ios/$lib"
lipo -create "$target_dir/aarch64-apple-ios-sim/$profile/$lib" "$target_dir/x86_64-apple-ios/$profile/$lib" \
  -output "$staging/ios-sim/$lib"
lipo -create "$target_dir/aarch64-apple-darwin/$profile/$lib" "$target_dir/x86_64-apple-darwin/$profile/$lib" \
  -output "$staging/macos/$lib"

rm -rf "$out"
xcodebuild -create-xcframework \
  -library "$staging/ios/$lib" -headers "$staging/headers" \
  -library "$staging/ios-sim/$lib" -headers "$staging/headers" \
  -library "$staging/macos/$lib" -headers "$staging/headers" \
  -output "$out"
echo "built $out"
