import CognitoDeviceAuth
import Foundation
import XCTest

/// The README's Swift snippet, compiled and run against the emulator. Between the markers below
/// is the README's ```swift block, line for line (bindings/swift/test-linux.sh checks it, so the
/// documentation cannot drift from code that compiles).
final class ReadmeExampleTests: XCTestCase {
    private static let started = Emulator.start()

    override class func setUp() {
        super.setUp()
        _ = started
    }

    override class func tearDown() {
        if case let .success(emulator) = started { emulator.stop() }
        super.tearDown()
    }

    /// The snippet as an app would hold it: a function of a client, the password and a way to
    /// ask the user for the code.
    private static func signIn(
        client: Client,
        password: String,
        askUser: @Sendable () async throws -> String
    ) async throws -> Tokens {
        // README snippet: begin
        var step = try await client.signIn(username: "alice", password: password)
        while true {
            switch step {
            case .smsCode(let code): step = try await code.submit(code: askUser())
            case .rememberDevice(let remember): step = try await remember.answer(status: .remembered)
            case .done(let signedIn): return signedIn.tokens
            default: fatalError("TOTP, new password, MFA choice")
            }
        }
        // README snippet: end
    }

    func testTheReadmeSnippetSignsInAndTheDeviceSkipsMfaNextTime() async throws {
        let emulator = try Self.started.get()
        let client = try emulator.client()
        let tokens = try await Self.signIn(client: client, password: password) {
            try await emulator.lastSmsCode("alice")
        }
        XCTAssertFalse(tokens.accessToken.isEmpty)
        let sent = try await emulator.smsCount("alice")
        XCTAssertEqual(sent, 1)

        // The device is remembered: no code is asked for the second time.
        let again = try await Self.signIn(client: client, password: password) {
            throw Unexpected("asked for a code on a remembered device")
        }
        XCTAssertFalse(again.accessToken.isEmpty)
        let sentInAll = try await emulator.smsCount("alice")
        XCTAssertEqual(sentInAll, 1)
    }
}
