#!/usr/bin/env bash
# What CI runs for the bindings (called from .ci/run; installs nothing beyond what Maven fetches
# from Maven Central): the Kotlin tests on the JVM, which build the native library and the
# emulator with cargo, generate the Kotlin sources and run JUnit against the emulator binary.
# Needs cargo, a JDK 17+ and Maven 3.8+. Exits non-zero on any failure. (The Swift tests are
# bindings/swift/test-linux.sh, which .ci/run calls next.)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

echo "== Kotlin bindings: mvn -f bindings/kotlin test"
mvn -B -ntp -f "$here/pom.xml" test
