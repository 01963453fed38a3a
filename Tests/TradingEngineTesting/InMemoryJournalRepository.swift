import Foundation
import Synchronization
import TradingDomain
import TradingEngine

/// Journal entries and imported fills in memory, listed like the database does (newest opened
/// first, then id; keyset pages).
public final class InMemoryJournalRepository: JournalRepository, Sendable {
    struct State {
        var entries: [UUID: JournalEntry] = [:]
        var imported: [ImportedLeg] = []
    }
    let state = Mutex(State())
    public init() {}

    public func insert(_ entry: JournalEntry) async throws { state.withLock { $0.entries[entry.id] = entry } }
    public func find(id: UUID) async throws -> JournalEntry? { state.withLock { $0.entries[id] } }
    public func update(_ entry: JournalEntry) async throws -> Bool {
        state.withLock { state in
            guard state.entries[entry.id] != nil else { return false }
            state.entries[entry.id] = entry
            return true
        }
    }
    public func delete(id: UUID) async throws -> Bool { state.withLock { $0.entries.removeValue(forKey: id) != nil } }

    public func list(_ query: JournalQuery) async throws -> JournalPage {
        let key = { (entry: JournalEntry) in (entry.openedAt.epochMilliseconds, entry.id.uuidString) }
        let matching = state.withLock { Array($0.entries.values) }
            .filter { query.symbol == nil || $0.symbol == query.symbol }
            .filter { query.tag == nil || $0.tags.contains(query.tag!) }
            .filter { query.status == nil || $0.status == query.status }
            .filter { query.from == nil || $0.openedAt >= query.from! }
            .filter { query.to == nil || $0.openedAt < query.to! }
            .filter { entry in
                guard let after = query.after else { return true }
                return key(entry) < (after.timeMs, after.id.uuidString)
            }
            .sorted { key($0) > key($1) }
        let page = Array(matching.prefix(query.limit))
        let next = matching.count > page.count ? page.last.map { PageCursor(timeMs: $0.openedAt.epochMilliseconds, id: $0.id) } : nil
        return JournalPage(entries: page, nextCursor: next)
    }

    public func importedFillIDs(among ids: [String]) async throws -> Set<String> {
        let known = state.withLock { Set($0.imported.map(\.fillID)) }
        return Set(ids.filter(known.contains))
    }

    public func saveImport(entries: [JournalEntry], legs: [ImportedLeg]) async throws {
        state.withLock { state in
            for entry in entries { state.entries[entry.id] = entry }
            state.imported += legs
        }
    }

    public func importedFills(entryID: UUID) async throws -> [TradeFill] {
        state.withLock { state in
            state.imported.filter { $0.leg.entryID == entryID }.map {
                TradeFill(fillID: $0.fillID, clientOrderID: "import", effect: $0.leg.effect, quantity: $0.leg.quantity,
                          price: $0.leg.price, time: $0.time)
            }
        }
    }

    /// Every stored entry (for assertions).
    public var count: Int { state.withLock { $0.entries.count } }
}
