import CognitoDeviceAuth
import Foundation
import XCTest

/// The Swift bindings against the emulator binary, over real HTTP; mirrors the Kotlin tests in
/// bindings/kotlin/src/test/kotlin/io/github/cognitodeviceauth/SignInTest.kt.
final class SignInTests: XCTestCase {
    static var emulator: Emulator!

    override class func setUp() {
        super.setUp()
        emulator = try! Emulator()
    }

    override class func tearDown() {
        emulator = nil
        super.tearDown()
    }

    private var emulator: Emulator { Self.emulator }

    private func client(store: SecretStore = MemoryStore()) throws -> Client {
        try Client(config: ClientConfig(
            userPoolId: poolId,
            clientId: clientId,
            endpoint: emulator.endpoint,
            deviceName: "XCTest",
            timeout: 10,
            store: store
        ))
    }

    /// Signs in answering the SMS code from the outbox.
    private func signInWithSms(_ client: Client, _ username: String) async throws -> SignedIn {
        let first = try await client.signIn(username: username, password: password)
        guard case let .smsCode(step) = first else {
            XCTFail("the first sign-in asks for the SMS code, got \(first)")
            throw CancellationError()
        }
        XCTAssertEqual(step.mfaType(), .sms)
        let done = try await step.submit(code: try emulator.lastSmsCode(username))
        guard case let .done(signedIn) = done else {
            XCTFail("signed in after the code, got \(done)")
            throw CancellationError()
        }
        return signedIn
    }

    func testARememberedDeviceSkipsMfaUntilItIsForgotten() async throws {
        let client = try client()

        let first = try await signInWithSms(client, "alice")
        XCTAssertEqual(first.mfa, .sms)
        XCTAssertTrue(first.device.newlyConfirmed)
        XCTAssertTrue(first.device.remembered)
        let deviceKey = try XCTUnwrap(first.device.deviceKey)

        guard case let .done(second) = try await client.signIn(username: "alice", password: password) else {
            return XCTFail("no MFA step expected")
        }
        XCTAssertTrue(second.device.skippedMfa)
        XCTAssertNil(second.mfa)
        XCTAssertEqual(second.device.deviceKey, deviceKey)

        let devices = try await client.devices(tokens: second.tokens)
        let listed = try XCTUnwrap(devices.first { $0.deviceKey == deviceKey })
        XCTAssertEqual(listed.name, "XCTest")
        XCTAssertEqual(listed.remembered, true)
        let local = try await client.currentDevice(username: second.username)
        XCTAssertEqual(local?.deviceKey, deviceKey)

        let refreshed = try await client.refresh(
            username: second.username,
            refreshToken: try XCTUnwrap(second.tokens.refreshToken)
        )
        XCTAssertFalse(refreshed.accessToken.isEmpty)
        XCTAssertGreaterThan(refreshed.expiresAt, Date())

        try await client.forgetDevice(tokens: refreshed, username: second.username, deviceKey: nil)
        let none = try await client.currentDevice(username: second.username)
        XCTAssertNil(none)
        guard case .smsCode = try await client.signIn(username: "alice", password: password) else {
            return XCTFail("MFA again once forgotten")
        }
    }

    func testAWrongPasswordIsNotAuthorized() async throws {
        do {
            _ = try await client().signIn(username: "bob", password: "wrong-password-1")
            XCTFail("signed in with a wrong password")
        } catch let error as CognitoError {
            guard case let CognitoError.NotAuthorized(errorType, _, requestId) = error else {
                return XCTFail("NotAuthorized expected, got \(error)")
            }
            XCTAssertEqual(errorType, "NotAuthorizedException")
            XCTAssertNotNil(requestId, "the AWS request id is kept for support tickets")
            XCTAssertFalse(error.isRetryable())
        }
    }

    func testAWrongCodeIsCodeMismatchAndTheStepCanBeAnsweredAgain() async throws {
        let client = try client()
        guard case let .smsCode(step) = try await client.signIn(username: "carol", password: password) else {
            return XCTFail("SMS code expected")
        }
        let right = try emulator.lastSmsCode("carol")
        do {
            _ = try await step.submit(code: right == "000000" ? "111111" : "000000")
            XCTFail("a wrong code was accepted")
        } catch let CognitoError.CodeMismatch(errorType, _, _) {
            XCTAssertEqual(errorType, "CodeMismatchException")
        }
        guard case .done = try await step.submit(code: right) else {
            return XCTFail("signed in with the right code")
        }
    }

    func testTheSwiftStoreKeepsTheDeviceForANewClient() async throws {
        let store = MemoryStore()
        _ = try await signInWithSms(try client(store: store), "dave")
        XCTAssertFalse(store.accounts.isEmpty, "the SDK wrote its records to the Swift store")
        guard case let .done(again) = try await client(store: store).signIn(username: "dave", password: password) else {
            return XCTFail("no MFA step expected")
        }
        XCTAssertTrue(again.device.skippedMfa)
    }

    func testAPasswordAsBytesSignsInAndLocalWipesNeedNoNetwork() async throws {
        let store = MemoryStore()
        let client = try client(store: store)
        var bytes = Data(password.utf8)
        let first = try await client.signInWithPasswordBytes(username: "gina", password: bytes)
        bytes.resetBytes(in: 0..<bytes.count)
        guard case let .smsCode(step) = first else { return XCTFail("SMS expected, got \(first)") }
        guard case let .done(signedIn) = try await step.submit(code: try emulator.lastSmsCode("gina")) else {
            return XCTFail("signed in after the code")
        }
        XCTAssertTrue(signedIn.device.remembered)
        for account in store.accounts {
            for clear in ["gina", poolId, clientId] { XCTAssertFalse(account.contains(clear), account) }
        }

        // Offline: a client on the same store whose endpoint refuses every connection.
        let offline = try Client(config: ClientConfig(userPoolId: poolId, clientId: clientId,
                                                      endpoint: "http://127.0.0.1:9", store: store))
        let removed = try await offline.forgetDeviceLocally(username: "gina")
        XCTAssertTrue(removed)
        let local = try await client.currentDevice(username: "gina")
        XCTAssertNil(local)
        guard case let .smsCode(again) = try await client.signIn(username: "gina", password: password) else {
            return XCTFail("MFA again without the local device")
        }
        _ = try await again.submit(code: try emulator.lastSmsCode("gina"))
        let nobody = try await offline.forgetDeviceLocally(username: "nobody")
        XCTAssertFalse(nobody)
        // The new device's record (the index is the SDK's bookkeeping, not counted).
        let count = try await offline.removeAllLocalEntries()
        XCTAssertEqual(count, 1)
        XCTAssertTrue(store.accounts.isEmpty, "\(store.accounts)")

        do {
            _ = try await client.signInWithPasswordBytes(username: "gina", password: Data([0xff, 0xfe]))
            XCTFail("signed in with bytes that are not UTF-8")
        } catch CognitoError.InvalidStepAnswer {
            // expected
        }
    }

    func testAStoreThatThrowsSurfacesAsStoreFailed() async throws {
        do {
            _ = try await client(store: ThrowingStore()).signIn(username: "erin", password: password)
            XCTFail("signed in although the store throws")
        } catch CognitoError.StoreFailed {
            // expected
        }
    }

    func testALockedStoreSurfacesAsStoreUnavailable() async throws {
        do {
            _ = try await client(store: LockedStore()).signIn(username: "frank", password: password)
            XCTFail("signed in although the store is locked")
        } catch let CognitoError.StoreUnavailable(reason) {
            XCTAssertEqual(reason, "locked")
        }
    }

    func testTwentyConcurrentSignIns() async throws {
        let client = try client()
        let results = try await withThrowingTaskGroup(of: SignedIn.self) { group in
            for i in 0..<20 {
                let user = String(format: "user%02d", i)
                group.addTask { try await self.signInWithSms(client, user) }
            }
            var all: [SignedIn] = []
            for try await result in group { all.append(result) }
            return all
        }
        XCTAssertEqual(results.count, 20)
        XCTAssertTrue(results.allSatisfy { $0.device.remembered })
        XCTAssertEqual(Set(results.compactMap { $0.device.deviceKey }).count, 20)
    }

    func testSecretsAreNotPrinted() {
        let config = ClientConfig(userPoolId: poolId, clientId: clientId, clientSecret: "s3cr3t-client-secret")
        XCTAssertFalse(String(describing: config).contains("s3cr3t"))
        let tokens = Tokens(idToken: "id.jwt.value", accessToken: "access.jwt.value",
                            refreshToken: "refresh-value", tokenType: "Bearer", expiresAt: Date())
        let printed = String(describing: tokens) + String(reflecting: tokens)
        for secret in ["id.jwt.value", "access.jwt.value", "refresh-value"] {
            XCTAssertFalse(printed.contains(secret), printed)
        }
    }

    func testAMalformedPoolIdFailsInTheConstructor() {
        XCTAssertThrowsError(try Client(config: ClientConfig(userPoolId: "no-underscore", clientId: clientId, store: MemoryStore()))) { error in
            guard case CognitoError.Configuration = error else {
                return XCTFail("Configuration expected, got \(error)")
            }
        }
    }

    func testKeychainOptionsAreCheckedInTheConstructor() throws {
        // Valid options: the client is made; the keychain is opened only when used.
        _ = try Client(config: ClientConfig(userPoolId: poolId, clientId: clientId,
                                            keychain: KeychainOptions(service: "com.example.app")))
        for config in [
            ClientConfig(userPoolId: poolId, clientId: clientId, keychain: KeychainOptions(service: " ")),
            ClientConfig(userPoolId: poolId, clientId: clientId, store: MemoryStore(), keychain: KeychainOptions()),
        ] {
            XCTAssertThrowsError(try Client(config: config)) { error in
                guard case CognitoError.Configuration = error else {
                    return XCTFail("Configuration expected, got \(error)")
                }
            }
        }
    }
}
