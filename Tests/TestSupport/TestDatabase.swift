import FluentKit
import FluentSQL
import Foundation
import Logging
import Persistence

/// A fresh, empty database for one test: a SQLite file in a new temporary folder by default, or a
/// new PostgreSQL database on the server named by `TA_TEST_DATABASE_URL` (CI runs the suites both ways).
public struct TestDatabase: Sendable {
    public let location: StoreLocation
    public let directory: URL
    private let dropName: String?
    private let adminURL: String?

    public static var postgresAdminURL: String? {
        let value = ProcessInfo.processInfo.environment["TA_TEST_DATABASE_URL"]
        return value?.isEmpty == false ? value : nil
    }

    public static var backendName: String { postgresAdminURL == nil ? "sqlite" : "postgres" }

    public static func make() async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ta-test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let adminURL = postgresAdminURL else {
            return TestDatabase(
                location: .sqlite(path: directory.appendingPathComponent("test.sqlite").path),
                directory: directory, dropName: nil, adminURL: nil)
        }
        let name = "ta_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await withAdmin(adminURL) { sql in
            try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        }
        var components = URLComponents(string: adminURL)!
        components.path = "/\(name)"
        return TestDatabase(
            location: .postgres(url: components.string!), directory: directory, dropName: name, adminURL: adminURL)
    }

    /// Removes the temporary folder and, on PostgreSQL, the test database.
    public func remove() async {
        try? FileManager.default.removeItem(at: directory)
        if let dropName, let adminURL {
            try? await Self.withAdmin(adminURL) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: dropName) WITH (FORCE)").run()
            }
        }
    }

    /// Opens a migrated store on this database (call `shutdown()` when done).
    public func openStore() async throws -> Store {
        let store = try Store(location: location, logger: Logger(label: "test-db") { _ in SwiftLogNoOpLogHandler() })
        try await store.migrate()
        return store
    }

    private static func withAdmin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let admin = try Store(location: .postgres(url: url), logger: Logger(label: "test-admin") { _ in SwiftLogNoOpLogHandler() })
        do {
            guard let sql = try admin.db() as? any SQLDatabase else { throw StoreClosedError() }
            try await body(sql)
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }
}
