import Foundation

let poolId = "us-east-1_SwiftTest"
let clientId = "swifttestclient"
let password = "Correct-Horse-9"
let seededUsers = ["alice", "bob", "carol", "dave", "erin", "frank", "gina"] + (0..<20).map { String(format: "user%02d", $0) }

/// The emulator binary (`cargo build -p cognito-emulator`; override with COGNITO_EMULATOR) on a
/// free port with a seed file: one pool with SMS MFA required and devices remembered without
/// asking, one app client, the users above with a verified phone number.
final class Emulator {
    private let process = Process()
    let endpoint: String

    init() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let env = ProcessInfo.processInfo.environment
        let targetDir = env["CARGO_TARGET_DIR"] ?? root.appendingPathComponent("target").path
        let binary = env["COGNITO_EMULATOR"] ?? "\(targetDir)/debug/cognito-emulator"

        let seed = FileManager.default.temporaryDirectory
            .appendingPathComponent("cognito-seed-\(UUID().uuidString).json")
        try Emulator.seedJSON().write(to: seed, atomically: true, encoding: .utf8)

        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--seed", seed.path]
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()

        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://[^\\s]+", options: .regularExpression) else {
            throw NSError(domain: "Emulator", code: 1, userInfo: [NSLocalizedDescriptionKey: "unexpected output: \(text)"])
        }
        endpoint = String(text[range])
    }

    deinit {
        process.terminate()
    }

    /// The last SMS code sent to `username`, from the emulator's outbox.
    func lastSmsCode(_ username: String) throws -> String {
        let url = URL(string: "\(endpoint)/_emulator/sms?username=\(username)")!
        let messages = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
        guard let code = messages.last?["code"] as? String else {
            throw NSError(domain: "Emulator", code: 2, userInfo: [NSLocalizedDescriptionKey: "no SMS to \(username)"])
        }
        return code
    }

    private static func seedJSON() -> String {
        let users = seededUsers.map {
            #"{"Username":"\#($0)","Password":"\#(password)","Attributes":{"phone_number":"+15555550100","phone_number_verified":"true"}}"#
        }.joined(separator: ",")
        return #"""
        {"pools":[{"Id":"\#(poolId)","PoolName":"swift-tests","MfaConfiguration":"ON",
          "DeviceConfiguration":{"ChallengeRequiredOnNewDevice":true,"DeviceOnlyRememberedOnUserPrompt":false},
          "Clients":[{"ClientId":"\#(clientId)","ClientName":"swift","ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
          "Users":[\#(users)]}]}
        """#
    }
}

/// A SecretStore in memory, implemented in Swift.
final class MemoryStore: SecretStore, @unchecked Sendable {
    private var entries: [String: Data] = [:]
    private let lock = NSLock()

    var accounts: [String] {
        lock.lock(); defer { lock.unlock() }
        return Array(entries.keys)
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

struct DiskOnFire: Error {}

/// A store that throws an error that is not a SecretStoreError.
final class ThrowingStore: SecretStore, @unchecked Sendable {
    func read(account: String) throws -> Data? { throw DiskOnFire() }
    func write(account: String, secret: Data) throws { throw DiskOnFire() }
    func delete(account: String) throws { throw DiskOnFire() }
}

/// A store that is locked.
final class LockedStore: SecretStore, @unchecked Sendable {
    func read(account: String) throws -> Data? { throw SecretStoreError.Unavailable(reason: "locked") }
    func write(account: String, secret: Data) throws { throw SecretStoreError.Unavailable(reason: "locked") }
    func delete(account: String) throws { throw SecretStoreError.Unavailable(reason: "locked") }
}
