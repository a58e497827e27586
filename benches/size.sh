#!/usr/bin/env bash
# The size of the stripped release library, and what it is made of.
#
#   bash benches/size.sh            # builds `cargo build --release -p cognito-device-auth-ffi` first
#
# Prints the stripped size of libcognito_device_auth_ffi.so (the library the Kotlin bindings load), then the text+data symbol bytes of the
# unstripped library grouped by the crate that owns each symbol (demangled with `nm -C`).
# Generic code instantiated in this crate is counted under the crate that defines it, so
# core/alloc/std carry the instantiations of every crate.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p cognito-device-auth-ffi --lib --quiet
lib=${CARGO_TARGET_DIR:-target}/release/libcognito_device_auth_ffi.so
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip -o "$stripped" "$lib"
python3 - "$lib" "$stripped" <<'PY'
import collections, os, re, subprocess, sys
lib, stripped = sys.argv[1], sys.argv[2]
size = os.path.getsize(stripped)
print(f"stripped {os.path.basename(lib)}: {size:,} bytes = {size / 2**20:.2f} MiB")
out = subprocess.run(["nm", "-S", "--size-sort", "-C", lib], capture_output=True, text=True, check=True).stdout
by = collections.Counter()
total = 0
for line in out.splitlines():
    parts = line.split(" ", 3)
    if len(parts) < 4 or parts[2].lower() not in "tdrb":
        continue
    n, name = int(parts[1], 16), parts[3]
    total += n
    name = re.sub(r"^(<|_<)+", "", name).lstrip("&*( ")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    crate = m.group(1) if m else ("C (no Rust path)" if not name.startswith("_") else "other")
    by[crate] += n
groups = {
    "core/alloc/std": ("core", "alloc", "std"),
    "aws SDK + smithy": tuple(c for c in by if c.startswith("aws_")),
    "Secret Service (zbus, zvariant, secret_service, async_*)": tuple(
        c for c in by if c.startswith(("zbus", "zvariant", "secret_service", "zbus_secret", "async_", "event_listener", "enumflags", "blocking"))),
    "rustls + webpki + ring": tuple(c for c in by if c.startswith(("rustls", "webpki", "ring"))),
    "hyper + http": tuple(c for c in by if c.startswith(("hyper", "http", "h2", "httparse"))),
    "tokio": ("tokio",),
    "this crate": ("cognito_device_auth",),
    "uniffi": tuple(c for c in by if c.startswith("uniffi")),
    "serde + serde_json": ("serde", "serde_json"),
    "crypto (bigint, sha2, hmac, hkdf, aes, num)": tuple(c for c in by if c.startswith(("crypto_bigint", "sha2", "hmac", "hkdf", "aes", "num_", "digest", "block_buffer", "cbc", "cipher", "zeroize"))),
}
print(f"symbols: {total:,} bytes")
seen = set()
for label, crates in groups.items():
    n = sum(by[c] for c in crates)
    seen.update(crates)
    print(f"  {label:62} {n / total:6.1%}  {n / 2**20:5.2f} MiB")
rest = [(n, c) for c, n in by.items() if c not in seen]
rest.sort(reverse=True)
print(f"  {'everything else':62} {sum(n for n, _ in rest) / total:6.1%}  ({', '.join(c for _, c in rest[:8])}, ...)")
PY
echo "largest sections of the stripped library (bytes):"
size -A "$stripped" | sort -k2 -nr | sed -n '2,7p' | awk '{printf "  %-20s %10s\n", $1, $2}'
