import CognitoDeviceAuth
import Foundation
import XCTest

/// The Swift bindings against the emulator binary, over real HTTP, as an app would use them.
/// One test per Kotlin test, in the same order and with the same checks:
/// bindings/kotlin/src/test/kotlin/io/github/cognitodeviceauth/SignInTest.kt.
final class SignInTests: XCTestCase {
    /// One emulator for the class (Kotlin: @BeforeAll / @AfterAll).
    private static let started = Emulator.start()

    override class func setUp() {
        super.setUp()
        _ = started
    }

    override class func tearDown() {
        if case let .success(emulator) = started { emulator.stop() }
        super.tearDown()
    }

    private var emulator: Emulator {
        get throws { try Self.started.get() }
    }

    func testARememberedDeviceSkipsMfaUntilItIsForgotten() async throws {
        let emulator = try emulator
        let store = MemoryStore()
        let client = try emulator.client(store: store)

        let first = try await emulator.signInWithSms(client, "alice")
        XCTAssertEqual(first.mfa, .sms)
        XCTAssertTrue(first.device.newlyConfirmed)
        XCTAssertTrue(first.device.remembered)
        let deviceKey = try XCTUnwrap(first.device.deviceKey)

        let second = try signedIn(try await client.signIn(username: "alice", password: password), "no MFA step")
        XCTAssertTrue(second.device.skippedMfa)
        XCTAssertNil(second.mfa)
        XCTAssertEqual(second.device.deviceKey, deviceKey)

        let devices = try await client.devices(tokens: second.tokens)
        let listed = try XCTUnwrap(devices.first { $0.deviceKey == deviceKey }, "listed: \(devices)")
        XCTAssertEqual(listed.name, "XCTest")
        XCTAssertEqual(listed.remembered, true)
        let current = try await client.currentDevice(username: second.username)
        let local = try XCTUnwrap(current)
        XCTAssertEqual(local.deviceKey, deviceKey)
        XCTAssertTrue(local.remembered)
        XCTAssertNotNil(local.confirmedAt)

        let refreshed = try await client.refresh(
            username: second.username,
            refreshToken: try XCTUnwrap(second.tokens.refreshToken)
        )
        XCTAssertFalse(refreshed.accessToken.isEmpty)
        XCTAssertGreaterThan(refreshed.expiresAt, Date())

        try await client.forgetDevice(tokens: refreshed, username: second.username, deviceKey: nil)
        let none = try await client.currentDevice(username: second.username)
        XCTAssertNil(none)
        _ = try smsStep(try await client.signIn(username: "alice", password: password), "MFA again once forgotten")
    }

    func testAWrongPasswordIsNotAuthorized() async throws {
        let client = try emulator.client()
        let error = await thrownError { try await client.signIn(username: "bob", password: "wrong-password-1") }
        guard let error = error as? CognitoError,
              case let CognitoError.NotAuthorized(errorType, _, requestId, _) = error else {
            return XCTFail("NotAuthorized expected, got \(String(describing: error))")
        }
        XCTAssertEqual(errorType, "NotAuthorizedException")
        XCTAssertEqual(error.serviceErrorType, "NotAuthorizedException")
        XCTAssertNotNil(requestId, "the AWS request id is kept for support tickets")
        XCTAssertFalse(error.isRetryable())
    }

    func testAWrongCodeIsCodeMismatchAndTheStepCanBeAnsweredAgainOnce() async throws {
        let emulator = try emulator
        let client = try emulator.client()
        let step = try smsStep(try await client.signIn(username: "carol", password: password), "SMS code expected")
        let right = try await emulator.lastSmsCode("carol")
        let wrong = right == "000000" ? "111111" : "000000"
        let error = await thrownError { try await step.submit(code: wrong) }
        guard let error = error as? CognitoError,
              case let CognitoError.CodeMismatch(errorType, _, _, _) = error else {
            return XCTFail("CodeMismatch expected, got \(String(describing: error))")
        }
        XCTAssertEqual(errorType, "CodeMismatchException")
        XCTAssertFalse(error.isRetryable())
        _ = try signedIn(try await step.submit(code: right), "signed in with the right code")
        // The step object is spent once an answer was accepted.
        let twice = await thrownError { try await step.submit(code: right) }
        guard let twice = twice as? CognitoError, case CognitoError.Misuse = twice else {
            return XCTFail("Misuse expected, got \(String(describing: twice))")
        }
        XCTAssertFalse(twice.isRetryable())
    }

    func testTheSwiftStoreKeepsTheDeviceForANewClient() async throws {
        let emulator = try emulator
        let store = MemoryStore()
        _ = try await emulator.signInWithSms(try emulator.client(store: store), "dave")
        XCTAssertFalse(store.accounts.isEmpty, "the SDK wrote its records to the Swift store")
        // A new client (a new process, say) with the same store proves the remembered device.
        let client = try emulator.client(store: store)
        let again = try signedIn(try await client.signIn(username: "dave", password: password), "no MFA step")
        XCTAssertTrue(again.device.skippedMfa)
    }

    func testAPasswordAsBytesSignsInAndLocalWipesNeedNoNetwork() async throws {
        let emulator = try emulator
        let store = MemoryStore()
        let client = try emulator.client(store: store)
        var bytes = Data(password.utf8)
        let step = try smsStep(try await client.signInWithPasswordBytes(username: "gina", password: bytes), "SMS expected")
        bytes.resetBytes(in: 0..<bytes.count)
        let first = try signedIn(try await step.submit(code: emulator.lastSmsCode("gina")), "signed in after the code")
        XCTAssertTrue(first.device.remembered)
        // No e-mail, user, pool or client id in the names other processes could see.
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
        let again = try smsStep(try await client.signIn(username: "gina", password: password),
                                "MFA again without the local device")
        _ = try signedIn(try await again.submit(code: emulator.lastSmsCode("gina")), "signed in after the code")
        let nobody = try await offline.forgetDeviceLocally(username: "nobody")
        XCTAssertFalse(nobody)
        // The new device's record (the index is the SDK's bookkeeping, not counted).
        let count = try await offline.removeAllLocalEntries()
        XCTAssertEqual(count, 1)
        XCTAssertTrue(store.accounts.isEmpty, "\(store.accounts)")

        let notUtf8 = Data([0xff, 0xfe])
        let error = await thrownError { try await client.signInWithPasswordBytes(username: "gina", password: notUtf8) }
        guard case CognitoError.InvalidStepAnswer? = error as? CognitoError else {
            return XCTFail("InvalidStepAnswer expected, got \(String(describing: error))")
        }
    }

    func testAStoreThatThrowsSurfacesAsStoreFailed() async throws {
        let client = try emulator.client(store: ThrowingStore())
        let error = await thrownError { try await client.signIn(username: "erin", password: password) }
        guard case let CognitoError.StoreFailed(reason, _)? = error as? CognitoError else {
            return XCTFail("StoreFailed expected, got \(String(describing: error))")
        }
        XCTAssertTrue(reason.contains("disk on fire"), reason)
    }

    func testALockedStoreSurfacesAsStoreUnavailable() async throws {
        let client = try emulator.client(store: LockedStore())
        let error = await thrownError { try await client.signIn(username: "frank", password: password) }
        guard let error = error as? CognitoError,
              case let CognitoError.StoreUnavailable(reason, _) = error else {
            return XCTFail("StoreUnavailable expected, got \(String(describing: error))")
        }
        XCTAssertEqual(reason, "locked")
        XCTAssertTrue(error.isRetryable())
    }

    func testTwentyConcurrentSignInsFromSwiftTasks() async throws {
        let emulator = try emulator
        let client = try emulator.client()
        let users = (0..<20).map { String(format: "user%02d", $0) }
        let results = try await withThrowingTaskGroup(of: (String, SignedIn).self) { group in
            for user in users {
                group.addTask { (user, try await emulator.signInWithSms(client, user)) }
            }
            var all: [(String, SignedIn)] = []
            for try await result in group { all.append(result) }
            return all
        }
        XCTAssertEqual(results.count, 20)
        for (user, signedIn) in results {
            XCTAssertEqual(signedIn.username, user)
            XCTAssertTrue(signedIn.device.remembered, "\(user): \(signedIn.device)")
        }
        XCTAssertEqual(Set(results.compactMap { $0.1.device.deviceKey }).count, 20)
    }

    func testFiftyTasksAskingForTheSessionShareOneRefreshAndEventsStream() async throws {
        let emulator = try emulator
        let client = try emulator.sessionClient()
        let events = await client.sessionEvents()
        let signedIn = try await emulator.signInWithSms(client, "dave")
        let before = try await emulator.calls("GetTokensFromRefreshToken")
        // The refresh takes 300 ms at the server: all fifty arrive while it is in flight.
        try await emulator.delayNext("GetTokensFromRefreshToken", delayMs: 300)
        // A margin longer than the tokens' hour: every caller needs a refresh, one is made.
        let force: TimeInterval = 10 * 3600
        let sessions = try await withThrowingTaskGroup(of: Session.self) { group in
            for _ in 0..<50 {
                group.addTask { try await client.session(username: nil, minValidity: force) }
            }
            var all: [Session] = []
            for try await session in group { all.append(session) }
            return all
        }
        let after = try await emulator.calls("GetTokensFromRefreshToken")
        XCTAssertEqual(after - before, 1, "exactly one refresh")
        XCTAssertTrue(sessions.allSatisfy { $0.refreshed && $0.username == "dave" })
        XCTAssertEqual(Set(sessions.map { $0.tokens.accessToken }).count, 1)
        let report = try await client.endSession(username: nil, how: SignOut(scope: .thisSession))
        XCTAssertNil(report.serverError)
        do {
            _ = try await client.session(username: nil, minValidity: nil)
            XCTFail("signed out: no session")
        } catch CognitoError.NoSession {
        }
        var seen: [SessionEvent] = []
        for await event in events {
            seen.append(event)
            if seen.count == 3 { break }
        }
        XCTAssertEqual(seen, [
            .signedIn(username: signedIn.username),
            .refreshed(username: signedIn.username),
            .signedOut(username: signedIn.username),
        ])
    }

    func testSecretsAreNotPrinted() {
        let config = ClientConfig(userPoolId: poolId, clientId: clientId, clientSecret: "s3cr3t-client-secret")
        let printedConfig = String(describing: config) + String(reflecting: config)
        XCTAssertFalse(printedConfig.contains("s3cr3t"), printedConfig)
        let tokens = Tokens(idToken: "id.jwt.value", accessToken: "access.jwt.value",
                            refreshToken: "refresh-value", tokenType: "Bearer", expiresAt: Date())
        let printed = String(describing: tokens) + String(reflecting: tokens)
        for secret in ["id.jwt.value", "access.jwt.value", "refresh-value"] {
            XCTAssertFalse(printed.contains(secret), printed)
        }
        XCTAssertTrue(printed.contains("[redacted]"), printed)
    }

    func testAMalformedPoolIdOrPlainHttpToAnotherHostFailsInTheConstructor() throws {
        for config in [
            ClientConfig(userPoolId: "no-underscore", clientId: clientId, store: MemoryStore()),
            // Would otherwise become a request to a made-up cognito-idp.evil.example... host.
            ClientConfig(userPoolId: "evil.example_Abc", clientId: clientId, store: MemoryStore()),
            ClientConfig(userPoolId: poolId, clientId: clientId, endpoint: "http://10.0.0.2:9229", store: MemoryStore()),
        ] {
            XCTAssertThrowsError(try Client(config: config), "\(config)") { error in
                guard case let CognitoError.Configuration(reason, _)? = error as? CognitoError else {
                    return XCTFail("Configuration expected, got \(error)")
                }
                XCTAssertFalse(reason.isEmpty)
            }
        }
        // https anywhere, plain http to this machine.
        _ = try Client(config: ClientConfig(userPoolId: poolId, clientId: clientId,
                                            endpoint: "https://proxy.example", store: MemoryStore()))
        _ = try Client(config: ClientConfig(userPoolId: poolId, clientId: clientId,
                                            endpoint: "http://localhost:9", store: MemoryStore()))
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
                guard case let CognitoError.Configuration(reason, _)? = error as? CognitoError else {
                    return XCTFail("Configuration expected, got \(error)")
                }
                XCTAssertFalse(reason.isEmpty)
            }
        }
    }
}

