//! The committed Swift package (bindings/swift) is what this generator makes from the current
//! library, and exposes the API its XCTests use. The XCTests themselves are compiled and run
//! by `bindings/swift/test-linux.sh` (a Swift toolchain in a Debian 13 chroot); this test needs
//! no Swift and catches a stale package in every `cargo test`.
//!
//! It runs `bindings/generate.sh swift` (which builds the library) into a temporary directory.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root. The directory cargo names when it runs the test comes first: a test
/// binary built from another checkout into a shared target directory, which cargo may still
/// call fresh, must not read that checkout's files.
fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../..")
}

const GENERATED: [&str; 3] = [
    "Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift",
    "headers/CognitoDeviceAuthFFI.h",
    "headers/module.modulemap",
];

/// Declarations the XCTests (bindings/swift/Tests) and the README rely on.
const API: [&str; 28] = [
    "public convenience init(config: ClientConfig)throws",
    "func signIn(username: String, password: String) async throws  -> SignInStep",
    "func refresh(username: String, refreshToken: String) async throws  -> Tokens",
    "func devices(tokens: Tokens) async throws  -> [Device]",
    "func forgetDevice(tokens: Tokens, username: String, deviceKey: String?) async throws",
    "func currentDevice(username: String) async throws  -> LocalDevice?",
    "func signOut(tokens: Tokens, scope: SignOutScope) async throws",
    "func answer(status: RememberedStatus) async throws  -> SignInStep",
    "func isRetryable() -> Bool",
    "func submit(code: String) async throws  -> SignInStep",
    "func mfaType()  -> MfaType",
    "public enum SignInStep",
    "case smsCode(",
    "case done(",
    "*/signedIn: SignedIn",
    "public protocol SecretStore: AnyObject, Sendable",
    "func read(account: String) throws  -> Data?",
    "func write(account: String, secret: Data) throws",
    "func delete(account: String) throws",
    "enum CognitoError: Swift.Error",
    "case NotAuthorized(",
    "case CodeMismatch(",
    "case StoreFailed(",
    "case StoreUnavailable(",
    "case Configuration(",
    "enum SecretStoreError: Swift.Error",
    "public struct Tokens: Equatable, Hashable, CustomDebugStringConvertible, CustomStringConvertible",
    "public struct ClientConfig: CustomDebugStringConvertible, CustomStringConvertible",
];

#[test]
fn committed_swift_sources_match_the_library() {
    let root = root();
    let out = std::env::temp_dir().join(format!("cognito-swift-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new("bash")
        .arg(root.join("bindings/generate.sh"))
        .arg("swift")
        .env("SWIFT_OUT", &out)
        .status()
        .expect("bash runs bindings/generate.sh");
    assert!(status.success(), "bindings/generate.sh swift failed");

    let mut stale = Vec::new();
    for file in GENERATED {
        let fresh = std::fs::read_to_string(out.join(file)).expect("a generated file");
        let committed =
            std::fs::read_to_string(root.join("bindings/swift").join(file)).unwrap_or_default();
        if fresh != committed {
            stale.push(file);
        }
    }
    let swift = std::fs::read_to_string(out.join(GENERATED[0])).expect("the Swift source");
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        stale.is_empty(),
        "bindings/swift is stale ({stale:?}): run bindings/generate.sh swift and commit"
    );

    let missing: Vec<_> = API.iter().filter(|d| !swift.contains(*d)).collect();
    assert!(
        missing.is_empty(),
        "the XCTests use declarations the generated Swift lacks: {missing:#?}"
    );
}

#[test]
fn the_xctests_mirror_the_kotlin_tests() {
    let root = root();
    let swift = std::fs::read_to_string(
        root.join("bindings/swift/Tests/CognitoDeviceAuthTests/SignInTests.swift"),
    )
    .expect("the XCTests");
    let kotlin = std::fs::read_to_string(
        root.join("bindings/kotlin/src/test/kotlin/io/github/cognitodeviceauth/SignInTest.kt"),
    )
    .expect("the Kotlin tests");
    let swift_tests = swift.matches("    func test").count();
    let kotlin_tests = kotlin.matches("    @Test").count();
    assert_eq!(swift_tests, kotlin_tests, "one XCTest per Kotlin test");
    // The calls the XCTests make exist in the generated API (checked above).
    for call in [
        "client.signIn(username:",
        "step.submit(code:",
        "client.devices(tokens:",
        "client.refresh(",
        "client.forgetDevice(tokens:",
        "client.currentDevice(username:",
        "CognitoError.NotAuthorized",
        "CognitoError.CodeMismatch",
        "CognitoError.StoreFailed",
        "CognitoError.StoreUnavailable",
        "CognitoError.Configuration",
    ] {
        assert!(swift.contains(call), "the XCTests no longer call {call}");
    }
}
