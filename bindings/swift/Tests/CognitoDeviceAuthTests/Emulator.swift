import CognitoDeviceAuth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let poolId = "us-east-1_SwiftTest"
let clientId = "swifttestclient"
let password = "Correct-Horse-9"

/// The users the seed creates: `alice`, `bob`... and `user00`..`user19` for the concurrency test.
let seededUsers = ["alice", "bob", "carol", "dave", "erin", "frank", "gina"]
    + (0..<20).map { String(format: "user%02d", $0) }

/// A test's own failure: what was expected and what came instead.
struct Unexpected: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The emulator binary (`cargo build -p cognito-emulator`), started on a free port with a seed
/// file: one pool with SMS MFA required and devices remembered without asking, one app client,
/// the users above with a verified phone number. The binary is `$COGNITO_EMULATOR`, else
/// `$CARGO_TARGET_DIR/debug/cognito-emulator`, else `target/debug/cognito-emulator` of this
/// repository; a missing binary fails every test that uses it. Its request log goes to
/// `$COGNITO_EMULATOR_LOG` when set.
///
/// Sendable: every stored property is immutable after `init`, and `Process` is only asked to
/// terminate and wait, which Foundation allows from any thread.
final class Emulator: @unchecked Sendable {
    private let process = Process()
    let endpoint: String

    /// Starts one; each test class keeps its own in a `static let` and stops it in `tearDown`.
    static func start() -> Result<Emulator, any Error> {
        Result { try Emulator() }
    }

    private init() throws {
        let env = ProcessInfo.processInfo.environment
        let repository = URL(fileURLWithPath: #filePath)  // bindings/swift/Tests/CognitoDeviceAuthTests/
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let targetDir = env["CARGO_TARGET_DIR"] ?? repository.appendingPathComponent("target").path
        let binary = env["COGNITO_EMULATOR"] ?? "\(targetDir)/debug/cognito-emulator"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Unexpected("no emulator binary at \(binary): run `cargo build -p cognito-emulator` or set COGNITO_EMULATOR")
        }

        let seed = FileManager.default.temporaryDirectory
            .appendingPathComponent("cognito-seed-\(UUID().uuidString).json")
        try Emulator.seedJSON().write(to: seed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: seed) }

        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--seed", seed.path]
        process.standardOutput = stdout
        if let log = env["COGNITO_EMULATOR_LOG"] {
            if !FileManager.default.fileExists(atPath: log) {
                _ = FileManager.default.createFile(atPath: log, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            handle.seekToEndOfFile()
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()

        // The first line: `cognito-emulator listening on http://127.0.0.1:PORT`.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "listening on http://[^\\s]+", options: .regularExpression) else {
            process.terminate()
            throw Unexpected("unexpected first line from the emulator: \(text)")
        }
        endpoint = String(text[range].dropFirst("listening on ".count))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The SMS sent to `username`, oldest first, from the emulator's outbox.
    private func smsCodes(_ username: String) async throws -> [String] {
        var query = URLComponents(string: "\(endpoint)/_emulator/sms")!
        query.queryItems = [URLQueryItem(name: "username", value: username)]
        let url = query.url!
        // dataTask, not the async `data(from:)`: that needs macOS 12 / iOS 15, the package 10.15 / 13.
        let body: Data = try await withCheckedThrowingContinuation { done in
            URLSession.shared.dataTask(with: url) { data, _, error in
                if let data { done.resume(returning: data) } else { done.resume(throwing: error ?? Unexpected("no answer from \(url)")) }
            }.resume()
        }
        let messages = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
        return messages.compactMap { $0["code"] as? String }
    }

    /// How many calls of `operation` reached the emulator (its `/_emulator/calls` counter).
    func calls(_ operation: String) async throws -> Int {
        let url = URL(string: "\(endpoint)/_emulator/calls")!
        let body: Data = try await withCheckedThrowingContinuation { done in
            URLSession.shared.dataTask(with: url) { data, _, error in
                if let data { done.resume(returning: data) } else { done.resume(throwing: error ?? Unexpected("no answer from \(url)")) }
            }.resume()
        }
        let counts = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        return (counts[operation] as? NSNumber)?.intValue ?? 0
    }

    /// Makes the next call of `operation` take `delayMs` longer at the server (a fault).
    func delayNext(_ operation: String, delayMs: Int) async throws {
        var request = URLRequest(url: URL(string: "\(endpoint)/_emulator/faults")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"operation":"\#(operation)","kind":"delay","count":1,"delay_ms":\#(delayMs)}"#.utf8)
        let status: Int = try await withCheckedThrowingContinuation { done in
            URLSession.shared.dataTask(with: request) { _, response, error in
                if let response = response as? HTTPURLResponse {
                    done.resume(returning: response.statusCode)
                } else {
                    done.resume(throwing: error ?? Unexpected("no answer to the fault"))
                }
            }.resume()
        }
        guard status == 200 else { throw Unexpected("the fault was refused: \(status)") }
    }

    /// The last SMS code sent to `username`.
    func lastSmsCode(_ username: String) async throws -> String {
        guard let code = try await smsCodes(username).last else {
            throw Unexpected("no SMS was sent to \(username)")
        }
        return code
    }

    /// How many SMS were sent to `username`.
    func smsCount(_ username: String) async throws -> Int {
        try await smsCodes(username).count
    }

    /// A client of the emulator's pool, as the tests use it.
    func client(store: SecretStore = MemoryStore()) throws -> Client {
        try Client(config: ClientConfig(
            userPoolId: poolId,
            clientId: clientId,
            endpoint: endpoint,
            deviceName: "XCTest",
            timeout: 10,
            store: store
        ))
    }

    /// A client that keeps sessions.
    func sessionClient() throws -> Client {
        try Client(config: ClientConfig(
            userPoolId: poolId,
            clientId: clientId,
            endpoint: endpoint,
            deviceName: "XCTest",
            keepSessions: true,
            timeout: 10,
            store: MemoryStore()
        ))
    }

    /// Signs in answering the SMS code from the outbox; returns the result.
    func signInWithSms(_ client: Client, _ username: String) async throws -> SignedIn {
        let first = try await client.signIn(username: username, password: password)
        let step = try smsStep(first, "the first sign-in asks for the SMS code")
        guard step.mfaType() == .sms else { throw Unexpected("an SMS step of type \(step.mfaType())") }
        return try signedIn(try await step.submit(code: lastSmsCode(username)), "signed in after the code")
    }

    private static func seedJSON() -> String {
        let users = seededUsers.map {
            #"{"Username":"\#($0)","Password":"\#(password)","Attributes":{"phone_number":"+15555550100","phone_number_verified":"true"}}"#
        }.joined(separator: ",")
        return #"""
        {"pools":[{
          "Id":"\#(poolId)",
          "PoolName":"swift-tests",
          "MfaConfiguration":"ON",
          "DeviceConfiguration":{"ChallengeRequiredOnNewDevice":true,"DeviceOnlyRememberedOnUserPrompt":false},
          "Clients":[{"ClientId":"\#(clientId)","ClientName":"swift",
                      "ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
          "Users":[\#(users)]
        }]}
        """#
    }
}

/// The SMS code step, or a failure saying what came instead.
func smsStep(_ step: SignInStep, _ what: String) throws -> CodeStep {
    guard case .smsCode = step, let code = step.codeStep else { throw Unexpected("\(what): got \(step)") }
    return code
}

/// The signed-in result, or a failure saying what came instead.
func signedIn(_ step: SignInStep, _ what: String) throws -> SignedIn {
    guard let signedIn = step.signedIn else { throw Unexpected("\(what): got \(step)") }
    return signedIn
}

/// The error `body` throws, or nil when it returns.
func thrownError<T>(_ body: () async throws -> T) async -> (any Error)? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// A SecretStore in memory, implemented in Swift (the Kotlin tests' InMemorySecretStore).
/// Sendable: its one mutable property is only touched with the lock held.
final class MemoryStore: SecretStore, @unchecked Sendable {
    private var entries: [String: Data] = [:]
    private let lock = NSLock()

    /// The accounts stored, for tests.
    var accounts: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return Set(entries.keys)
    }

    func read(account: String) throws -> Data? {
        lock.lock(); defer { lock.unlock() }
        return entries[account]
    }

    func write(account: String, secret: Data) throws {
        lock.lock(); defer { lock.unlock() }
        entries[account] = secret
    }

    func delete(account: String) throws {
        lock.lock(); defer { lock.unlock() }
        entries[account] = nil
    }
}

/// An error of the app's own, not a SecretStoreError.
struct DiskOnFire: Error, CustomStringConvertible {
    var description: String { "disk on fire" }
}

/// A store that throws an error that is not a SecretStoreError.
final class ThrowingStore: SecretStore {
    func read(account: String) throws -> Data? { throw DiskOnFire() }
    func write(account: String, secret: Data) throws { throw DiskOnFire() }
    func delete(account: String) throws { throw DiskOnFire() }
}

/// A store that is locked.
final class LockedStore: SecretStore {
    func read(account: String) throws -> Data? { throw SecretStoreError.Unavailable(reason: "locked") }
    func write(account: String, secret: Data) throws { throw SecretStoreError.Unavailable(reason: "locked") }
    func delete(account: String) throws { throw SecretStoreError.Unavailable(reason: "locked") }
}
