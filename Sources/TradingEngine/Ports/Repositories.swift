import Foundation
import TradingDomain

/// Storage of the settings document. `version` increases on every save so concurrent writers
/// (two requests, or two server instances on one PostgreSQL) cannot overwrite each other blindly.
public protocol SettingsRepository: Sendable {
    func load() async throws -> (settings: AppSettings, version: Int)
    /// Saves when the stored version still equals `expectedVersion`; returns false otherwise.
    func save(_ settings: AppSettings, expectedVersion: Int) async throws -> Bool
}

/// Storage of the ordered watchlist.
public protocol WatchlistRepository: Sendable {
    func list() async throws -> [Symbol]
    func replace(with symbols: [Symbol]) async throws
    /// Appends the symbol; returns false when it was already there.
    func add(_ symbol: Symbol) async throws -> Bool
    /// Removes the symbol; returns false when it was not there.
    func remove(_ symbol: Symbol) async throws -> Bool
}

/// Storage of journal entries.
public protocol JournalRepository: Sendable {
    func insert(_ entry: JournalEntry) async throws
    func find(id: UUID) async throws -> JournalEntry?
    /// Replaces the stored entry; returns false when it no longer exists.
    func update(_ entry: JournalEntry) async throws -> Bool
    func delete(id: UUID) async throws -> Bool
    func list(_ query: JournalQuery) async throws -> JournalPage
    /// Which of `ids` (imported fill ids) are stored already.
    func importedFillIDs(among ids: [String]) async throws -> Set<String>
    /// Stores imported trades with their fills, all or nothing (one transaction).
    func saveImport(entries: [JournalEntry], legs: [ImportedLeg]) async throws
    /// The imported fills of entry `entryID`, oldest first.
    func importedFills(entryID: UUID) async throws -> [TradeFill]
}

extension JournalRepository {
    /// Every entry `query` selects (its limit and cursor are ignored), page by page, at most `cap`.
    public func all(matching query: JournalQuery, cap: Int = 100_000) async throws -> [JournalEntry] {
        var query = query
        query.limit = JournalQuery.maxLimit
        query.after = nil
        var entries: [JournalEntry] = []
        while true {
            let page = try await list(query)
            entries += page.entries
            guard let next = page.nextCursor, entries.count < cap else { return entries }
            query.after = next
        }
    }
}

/// A reachability check of the storage, used by `/ready` and diagnostics.
public protocol DatabaseHealth: Sendable {
    /// Name of the backend, e.g. `sqlite` or `postgres`.
    var backend: String { get }
    func ping() async throws
}

/// Raised when a stored record cannot be mapped back to a domain value (corrupt or hand-edited data).
public struct StoredDataError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
