import Foundation
import Persistence

/// The API key: the configured one (`TA_API_KEY`), or one generated on first start and kept in
/// `<data dir>/api_key` (mode 0600) so it survives restarts.
public enum APIKeyStore {
    public struct Resolved: Sendable {
        public var key: String
        public var generated: Bool
        public var path: String?
    }

    public static func resolve(configured: String?, dataDirectory: String) throws -> Resolved {
        if let configured { return Resolved(key: configured, generated: false, path: nil) }
        let directory = URL(fileURLWithPath: dataDirectory)
        let file = directory.appendingPathComponent("api_key")
        if let stored = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           stored.count >= 16 {
            // An older version (or a hand-made file) may have left it readable by others.
            try FilePermissions.secureFileIfPresent(file.path)
            return Resolved(key: stored, generated: false, path: file.path)
        }
        try FilePermissions.secureDirectory(directory.path)
        let key = generate()
        // Create with 0600 from the start: the key is never readable by others, even briefly.
        let fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path]) }
        defer { close(fd) }
        // An existing (too short) file keeps its old mode through O_TRUNC: set it explicitly.
        guard fchmod(fd, 0o600) == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path]) }
        let bytes = Array((key + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return Resolved(key: key, generated: true, path: file.path)
    }

    /// `bytes` random bytes (32 by default) from the system CSPRNG, hex-encoded (64 characters).
    static func generate(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
