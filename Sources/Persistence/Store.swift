import FluentKit
import FluentSQL
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TradingEngine
import Synchronization

/// Where the data lives: a SQLite file (the default) or a PostgreSQL server.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public var backend: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Human-readable, with any password removed.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): "postgres:\(Self.redactingPassword(url))"
        }
    }

    public static func redactingPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? "****"
    }
}

/// Owns the database connections. Created once at start, migrated, and shut down last
/// (it is a `Service`: its `run` waits for graceful shutdown, then closes the pools).
public final class Store: Service, DatabaseHealth {
    public let location: StoreLocation
    public let databases: Databases
    public let logger: Logger
    /// SQLite gets its own one-thread event loop group, hence exactly one connection: SQLite allows
    /// one writer, and two connections upgrading read transactions to writes fail with
    /// "database is locked" instead of waiting. One connection serialises them.
    private let ownGroup: MultiThreadedEventLoopGroup?
    /// SQLite only: a pool of read connections, one per thread of its own group, beside the one
    /// writer (WAL lets readers run while it writes; docs/performance.md "Reads beside the writer").
    /// Only list reads (GET endpoints) use it, through `readDB()`; nothing writes on it.
    private let readers: Databases?
    private let readerGroup: MultiThreadedEventLoopGroup?
    /// Read connections for SQLite (`TA_DB_READERS`; 0 = reads share the writer's connection).
    public let readerCount: Int

    public init(location: StoreLocation, logger: Logger, readers readerCount: Int = 2) throws {
        self.location = location
        self.logger = logger
        if case .sqlite = location {
            ownGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        } else {
            ownGroup = nil
        }
        if case .sqlite(let path) = location, readerCount > 0 {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: readerCount)
            let pool = Databases(threadPool: NIOThreadPool.singleton, on: group)
            pool.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            readerGroup = group
            readers = pool
            self.readerCount = readerCount
        } else {
            readerGroup = nil
            readers = nil
            self.readerCount = 0
        }
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: ownGroup ?? MultiThreadedEventLoopGroup.singleton)
        switch location {
        case .sqlite(let path):
            // The folder 0700 and the database 0600 before SQLite opens it; SQLite gives its -wal and
            // -shm files the database file's mode, and `migrate` checks them once they exist.
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FilePermissions.secureDirectory(directory)
            try FilePermissions.createPrivateFile(path)
            for file in FilePermissions.sqliteFiles(path) { try FilePermissions.secureFileIfPresent(file) }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 2, sqlLogLevel: .trace), as: .psql)
        }
        self.databases = databases
    }

    /// A database handle for one unit of work. Throws after shutdown (a failed query, not a crash).
    public func db() throws -> any Database {
        guard let database = databases.database(logger: logger, on: databases.eventLoopGroup.any()) else {
            throw StoreClosedError()
        }
        return database
    }

    /// A database handle for a read-only list query: a connection of the read pool (SQLite), or
    /// the main pool (PostgreSQL, or SQLite without readers). Never write through it.
    public func readDB() throws -> any Database {
        guard let readers, let readerGroup else { return try db() }
        guard let database = readers.database(logger: logger, on: readerGroup.any()) else {
            throw StoreClosedError()
        }
        return database
    }

    /// `readDB()` as SQLKit, for lean row reads without Fluent models.
    public func readSQL() throws -> any SQLDatabase {
        guard let sql = try readDB() as? any SQLDatabase else { throw StoreClosedError() }
        return sql
    }

    public var backend: String { location.backend }

    /// Enables WAL for SQLite (durable across `kill -9`, readers do not block the writer), then runs
    /// every pending migration. Safe to call on every start.
    public func migrate() async throws {
        if case .sqlite = location, let sql = try db() as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        let migrator = Migrator(
            databases: databases, migrations: Schema.migrations, logger: logger,
            on: databases.eventLoopGroup.any(), migrationLogLevel: .info)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        if case .sqlite(let path) = location {
            for file in FilePermissions.sqliteFiles(path) { try FilePermissions.secureFileIfPresent(file) }
        }
    }

    public func ping() async throws {
        guard let sql = try db() as? any SQLDatabase else { return }
        try await sql.raw("SELECT 1").run()
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes the pools, waiting at most `timeout`: a connection that was leased and never given
    /// back would otherwise keep the close (and so the whole shutdown) waiting forever.
    public func shutdown(timeout: Duration = .seconds(5)) async {
        let closed = Shared(false)
        let databases = self.databases
        let readers = self.readers
        Task {
            await readers?.shutdownAsync()
            await databases.shutdownAsync()
            closed.withLock { $0 = true }
        }
        let deadline = ContinuousClock.now + timeout
        while !closed.withLock({ $0 }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if !closed.withLock({ $0 }) {
            logger.warning("database connections did not close within \(timeout); leaving them to the process exit")
            return
        }
        try? await readerGroup?.shutdownGracefully()
        try? await ownGroup?.shutdownGracefully()
    }
}

/// A query was attempted after the store was shut down.
public struct StoreClosedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database is shut down" }
}
