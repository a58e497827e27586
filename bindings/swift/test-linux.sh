#!/usr/bin/env bash
# The Swift package on Linux, from a fresh Debian machine (as root; called by .ci/run):
#   1. a Debian 13 (trixie) root with Debian's Swift toolchain (swiftlang 6.0.3, Foundation,
#      XCTest), made with debootstrap from the mirror apt already uses and kept under
#      $HOME/.cache (reused when present; delete it, or set SWIFT_LINUX_ROOT, to rebuild);
#   2. the native library (libcognito_device_auth_ffi.so) and the emulator binary, with cargo;
#   3. the generated Swift sources, header and module map, regenerated into a temporary
#      directory and compared with the committed ones;
#   4. the README's Swift snippet is the one the package compiles (Tests/.../ReadmeExampleTests.swift);
#   5. `swift build` and `swift test` in the chroot (Swift 6 language mode, warnings are
#      errors), the XCTests against the emulator on 127.0.0.1 (the chroot shares the network).
# Exits non-zero on any failure; a missing library, emulator or toolchain is a failure.
#
#   bash bindings/swift/test-linux.sh
#
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"  # bindings/generate.sh's generator reads the workspace's cargo metadata from here
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cda-target}"
swift_root=${SWIFT_LINUX_ROOT:-$HOME/.cache/cda-swift-trixie}
# swiftlang: the toolchain with Foundation and XCTest; libc6-dev, libstdc++-14-dev, binutils: what
# it links with; ca-certificates: two tests make a Client for AWS's https endpoint, which loads
# the system's roots (one for the emulator's plain http endpoint needs none).
packages=(swiftlang libc6-dev libstdc++-14-dev binutils ca-certificates)
started=$(date +%s)

if [ "$(id -u)" != 0 ]; then
  echo "test-linux.sh runs as root (debootstrap, mount, chroot)" >&2
  exit 1
fi

# One run at a time per root: the root, its build directory and /cda/lib are shared.
mkdir -p "$(dirname "$swift_root")"
exec 9>"$swift_root.lock"
if ! flock -n 9; then
  echo "waiting for another test-linux.sh using $swift_root"
  flock 9
fi

# The Debian mirror apt already uses (one-line or deb822 sources), else deb.debian.org.
debian_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local found
  found=$({ cat "${files[@]}" 2>/dev/null || true; } \
    | sed -nE 's#^[[:space:]]*(deb([[:space:]]+\[[^]]*\])?|URIs:)[[:space:]]+(https?://[^[:space:]]+/debian)/?([[:space:]].*)?$#\3#p' \
    | sed -n 1p)
  printf '%s\n' "${found:-http://deb.debian.org/debian}"
}

# Runs a command in a root, in its own mount and PID namespaces (unshare): the mounts (proc,
# /dev, this package read-only at /cda/package) disappear with it, and so does any process a
# test leaves behind. The network namespace is the host's: the tests reach the emulator, and apt
# the mirror.
in_root() {
  local r=$1
  shift
  mkdir -p "$r/cda/package"
  unshare --mount --pid --fork --kill-child --propagation private bash -ec '
    r=$1 package=$2
    shift 2
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount --bind "$package" "$r/cda/package"
    mount -o remount,bind,ro "$r/cda/package"
    exec chroot "$r" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 TMPDIR=/tmp DEBIAN_FRONTEND=noninteractive "$@"
  ' - "$r" "$here" "$@"
}

install_in_root() {
  local r=$1
  shift
  in_root "$r" bash -ec '
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@"
    apt-get clean
  ' - "$@" </dev/null
}

echo "== Swift toolchain: Debian 13 root in $swift_root"
if [ ! -f "$swift_root/.cda-swift-ready" ]; then
  step_started=$(date +%s)
  if ! command -v debootstrap >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends debootstrap </dev/null >/dev/null
  fi
  mirror=$(debian_mirror)
  partial="$swift_root.partial"
  rm -rf "$partial"
  echo "debootstrap --variant=minbase trixie from $mirror"
  debootstrap --variant=minbase trixie "$partial" "$mirror" >"$partial.log" 2>&1 || {
    tail -n 30 "$partial.log" >&2
    echo "debootstrap failed (full log: $partial.log)" >&2
    exit 1
  }
  echo "apt-get install ${packages[*]} (in the chroot)"
  install_in_root "$partial" "${packages[@]}" >>"$partial.log" 2>&1 || {
    tail -n 30 "$partial.log" >&2
    echo "installing the Swift toolchain failed (full log: $partial.log)" >&2
    exit 1
  }
  chroot "$partial" dpkg-query -W "${packages[@]}" >"$partial/.cda-swift-ready"
  rm -rf "$swift_root" "$partial.log"
  mv "$partial" "$swift_root"
  echo "made the Swift root in $(($(date +%s) - step_started)) s"
else
  # A root made before a package joined the list gets it now.
  missing=()
  for p in "${packages[@]}"; do
    [ "$(chroot "$swift_root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apt-get install ${missing[*]} (in the chroot)"
    install_in_root "$swift_root" "${missing[@]}" >"$swift_root.install.log" 2>&1 || {
      tail -n 30 "$swift_root.install.log" >&2
      echo "installing ${missing[*]} in the Swift root failed" >&2
      exit 1
    }
    rm -f "$swift_root.install.log"
    chroot "$swift_root" dpkg-query -W "${packages[@]}" >"$swift_root/.cda-swift-ready"
  fi
  echo "reusing it"
fi
version=$(in_root "$swift_root" swift --version 2>&1) || {
  echo "$version" >&2
  echo "swift does not run in $swift_root (delete it to rebuild it)" >&2
  exit 1
}
echo "${version%%$'\n'*}"

echo "== native library and emulator (cargo, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo build --manifest-path "$root/Cargo.toml" -p cognito-device-auth-ffi --lib
cargo build --manifest-path "$root/Cargo.toml" -p cognito-emulator --bin cognito-emulator
library="$CARGO_TARGET_DIR/debug/libcognito_device_auth_ffi.so"
emulator="$CARGO_TARGET_DIR/debug/cognito-emulator"
for f in "$library" "$emulator"; do
  [ -f "$f" ] || { echo "missing after the cargo build: $f" >&2; exit 1; }
done
# Copied at once into the root (/cda/lib, /cda/bin): the target directory may be shared with
# other checkouts' builds.
mkdir -p "$swift_root/cda/lib" "$swift_root/cda/bin" "$swift_root/cda/build"
cp "$library" "$swift_root/cda/lib/"
cp "$emulator" "$swift_root/cda/bin/"
# It exports the functions the committed header declares (the Client constructor, say).
symbols=$(in_root "$swift_root" nm -D --defined-only /cda/lib/libcognito_device_auth_ffi.so)
constructor=$(grep -oE 'uniffi_[a-z0-9_]+_fn_constructor_client_new' "$here/headers/CognitoDeviceAuthFFI.h" | sed -n 1p || true)
if [ -z "$constructor" ] || ! grep -q " $constructor\$" <<<"$symbols"; then
  echo "$library does not export ${constructor:-the Client constructor} (another build of it?)" >&2
  exit 1
fi

echo "== the committed Swift sources are what bindings/generate.sh makes from this library"
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
SWIFT_OUT="$generated" bash "$root/bindings/generate.sh" swift >/dev/null
stale=0
for f in Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift headers/CognitoDeviceAuthFFI.h headers/module.modulemap; do
  if ! cmp -s "$generated/$f" "$here/$f"; then
    echo "stale: bindings/swift/$f (run bindings/generate.sh swift and commit)" >&2
    stale=1
  fi
done
[ "$stale" = 0 ] || exit 1
echo "up to date"

echo "== the README's Swift snippet is the one the package compiles"
# The ```swift block of README.md, and the lines between the README markers of the example
# test, without their common indentation.
snippet() { awk '/^```swift$/ { on = 1; next } on && /^```$/ { exit } on' "$root/README.md"; }
compiled() {
  awk '/README snippet: end/ { on = 0 } on; /README snippet: begin/ { on = 1 }' \
    "$here/Tests/CognitoDeviceAuthTests/ReadmeExampleTests.swift" \
    | awk '{ lines[NR] = $0; if (NF) { match($0, /^ */); if (min == "" || RLENGTH < min) min = RLENGTH } }
           END { for (i = 1; i <= NR; i++) print substr(lines[i], min + 1) }'
}
if [ -z "$(snippet)" ] || ! diff <(snippet) <(compiled); then
  echo "README.md's Swift snippet differs from Tests/CognitoDeviceAuthTests/ReadmeExampleTests.swift" >&2
  exit 1
fi
echo "the same"

echo "== swift build and swift test (Swift 6 language mode, warnings are errors)"
# What the chroot sees: the package read-only at /cda/package, the library and the emulator
# in /cda/lib and /cda/bin, SwiftPM's build directory at /cda/build (kept: warm builds).
log="$swift_root/cda/swift-test.log"
: >"$swift_root/cda/emulator.log"
step_started=$(date +%s)
set +e
in_root "$swift_root" env LD_LIBRARY_PATH=/cda/lib COGNITO_EMULATOR=/cda/bin/cognito-emulator \
  COGNITO_EMULATOR_LOG=/cda/emulator.log bash -ec '
    cd /cda/package
    flags=(--scratch-path /cda/build -Xlinker -L/cda/lib -Xswiftc -warnings-as-errors)
    swift build "${flags[@]}" --build-tests
    swift test "${flags[@]}" --skip-build
  ' </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
echo "swift build and test took $(($(date +%s) - step_started)) s"
if [ "$status" != 0 ]; then
  echo "swift build or swift test failed (exit $status)${summary:+: $summary}" >&2
  echo "(the emulator's request log: $swift_root/cda/emulator.log)" >&2
  exit 1
fi
if [ -z "$summary" ] || ! grep -q "with 0 failures" <<<"$summary"; then
  echo "no XCTest summary with 0 failures in the output" >&2
  exit 1
fi
echo "XCTest: ${summary#"${summary%%Executed*}"}"
echo "== Swift on Linux done in $(($(date +%s) - started)) s"
