#!/usr/bin/env bash
# Builds the library and writes the Swift and Kotlin bindings from it (uniffi library mode),
# with the generator of this workspace (bindings/uniffi-bindgen), so versions always match.
#
#   bindings/generate.sh            # both languages
#   bindings/generate.sh kotlin     # only Kotlin (what `mvn -f bindings/kotlin test` runs)
#   bindings/generate.sh swift      # only Swift (the sources committed in bindings/swift)
#
# Kotlin goes to bindings/kotlin/target/generated-sources/uniffi (generated on every build,
# never committed); Swift to bindings/swift/Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift and
# the C header and module map to bindings/swift/headers (committed; the headers are packed into
# the XCFramework by bindings/swift/build-xcframework.sh). SWIFT_OUT=DIR writes the Swift files
# under DIR instead of bindings/swift (the consistency test compares them with the committed ones).
# CARGO_TARGET_DIR is honoured; PROFILE=release builds the release library instead.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The generator reads the workspace's metadata from the current directory.
cd "$root"
languages=("$@")
[ ${#languages[@]} -eq 0 ] && languages=(kotlin swift)
profile=${PROFILE:-debug}
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$(uname -s)" in
  Darwin) lib=libcognito_device_auth_ffi.dylib ;;
  MINGW*|MSYS*|CYGWIN*) lib=cognito_device_auth_ffi.dll ;;
  *) lib=libcognito_device_auth_ffi.so ;;
esac

release_flag=()
[ "$profile" = release ] && release_flag=(--release)
# The native library apps load: the cognito-device-auth-ffi crate (bindings/ffi).
cargo build --manifest-path "$root/Cargo.toml" -p cognito-device-auth-ffi --lib "${release_flag[@]}"
cargo build --manifest-path "$root/Cargo.toml" -p uniffi-bindgen
bindgen="$target_dir/debug/uniffi-bindgen"
library="$target_dir/$profile/$lib"

for language in "${languages[@]}"; do
  case "$language" in
    kotlin)
      out="$root/bindings/kotlin/target/generated-sources/uniffi"
      rm -rf "$out" && mkdir -p "$out"
      "$bindgen" generate --library "$library" --language kotlin --no-format --out-dir "$out"
      ;;
    swift)
      tmp=$(mktemp -d)
      "$bindgen" generate --library "$library" --language swift --no-format --out-dir "$tmp"
      swift_root=${SWIFT_OUT:-$root/bindings/swift}
      swift_dir="$swift_root/Sources/CognitoDeviceAuth"
      ffi_dir="$swift_root/headers"
      mkdir -p "$swift_dir" "$ffi_dir"
      cp "$tmp/CognitoDeviceAuth.swift" "$swift_dir/CognitoDeviceAuth.swift"
      cp "$tmp/CognitoDeviceAuthFFI.h" "$ffi_dir/CognitoDeviceAuthFFI.h"
      # An XCFramework's headers need the module map under this exact name.
      cp "$tmp/CognitoDeviceAuthFFI.modulemap" "$ffi_dir/module.modulemap"
      rm -rf "$tmp"
      ;;
    *) echo "unknown language: $language (kotlin or swift)" >&2; exit 2 ;;
  esac
done
echo "generated: ${languages[*]}"
