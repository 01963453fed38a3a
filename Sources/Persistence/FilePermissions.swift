import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owner-only permissions for everything in the data folder (docs/operations.md, "Access, login
/// and secrets"): the folder 0700; the database, its `-wal`/`-shm` files and `api_key` 0600.
/// Modes are set explicitly with chmod, so they do not depend on the process umask, and looser
/// modes left by an older version (or by hand) are tightened at every start.
public enum FilePermissions {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Creates `path` (and missing parents) if needed, then sets it to 0700.
    public static func secureDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try setMode(path, directoryMode)
    }

    /// Sets an existing file to 0600; a missing file is left alone.
    public static func secureFileIfPresent(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try setMode(path, fileMode)
    }

    /// Creates an empty file with 0600 if there is none (so a program that creates it later, such as
    /// SQLite, never makes it readable by others even briefly), then makes sure it is 0600.
    public static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT, fileMode)
        guard fd >= 0 else { throw PermissionError(path: path, errno: errno) }
        close(fd)
        try setMode(path, fileMode)
    }

    /// The SQLite database and the files SQLite keeps next to it in WAL mode
    /// (https://www.sqlite.org/tempfiles.html).
    public static func sqliteFiles(_ databasePath: String) -> [String] {
        [databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal"]
    }

    static func setMode(_ path: String, _ mode: mode_t) throws {
        guard chmod(path, mode) == 0 else { throw PermissionError(path: path, errno: errno) }
    }

    public struct PermissionError: Error, CustomStringConvertible {
        public var path: String
        public var errno: Int32
        public var description: String { "cannot set owner-only permissions on \(path): \(String(cString: strerror(errno)))" }
    }
}
