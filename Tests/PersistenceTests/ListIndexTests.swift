import FluentSQL
import Foundation
import Logging
import Persistence
import Testing
import TradingDomain
import TradingEngine

/// The GET lists on SQLite (issue 20): every filter is served by an index in the list's order
/// (`EXPLAIN QUERY PLAN`), reads run on their own connections while the one writer writes (WAL),
/// and the lean SQL reads page exactly like the Fluent queries they replaced.
@Suite("List indexes and read connections")
struct ListIndexTests {
    static func withSQLiteStore(readers: Int = 2, _ body: (Store) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-lists-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let store = try Store(location: .sqlite(path: directory.appendingPathComponent("lists.sqlite").path), logger: quiet, readers: readers)
        do {
            try await store.migrate()
            try await body(store)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    /// The plan's `detail` lines for `query`.
    static func plan(_ query: String, _ store: Store) async throws -> [String] {
        let sql = try #require(try store.db() as? any SQLDatabase)
        return try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + query)).all().map { try $0.decode(column: "detail", as: String.self) }
    }

    @Test("each list filter is an index range in the list's order, with no sort step", arguments: [
        ("SELECT id FROM alerts WHERE status = 'active' ORDER BY created_at_ms DESC, id DESC LIMIT 51", "alerts_status_created_idx"),
        ("SELECT id FROM alerts WHERE symbol = 'AAPL' ORDER BY created_at_ms DESC, id DESC LIMIT 51", "alerts_symbol_created_idx"),
        ("SELECT id FROM alerts ORDER BY created_at_ms DESC, id DESC LIMIT 51", "alerts_created_idx"),
        ("SELECT id FROM alert_triggers WHERE symbol = 'AAPL' ORDER BY fired_at_ms DESC, id DESC LIMIT 51", "alert_triggers_symbol_fired_idx"),
        ("SELECT id FROM alert_triggers WHERE source = 'stream' ORDER BY fired_at_ms DESC, id DESC LIMIT 51", "alert_triggers_source_fired_idx"),
        ("SELECT id FROM alert_triggers ORDER BY fired_at_ms DESC, id DESC LIMIT 51", "alert_triggers_fired_idx"),
        ("SELECT client_order_id FROM orders WHERE symbol = 'AAPL' ORDER BY created_at_ms DESC, client_order_id DESC LIMIT 51", "orders_symbol_created_idx"),
        ("SELECT client_order_id FROM orders ORDER BY created_at_ms DESC, client_order_id DESC LIMIT 51", "orders_created_id_idx"),
    ])
    func filtersUseIndexes(query: String, index: String) async throws {
        try await Self.withSQLiteStore { store in
            let details = try await Self.plan(query, store)
            #expect(details.contains { $0.contains("INDEX \(index)") }, "\(details)")
            #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
        }
    }

    @Test("lists read on the read connections while the writer stores, without 'database is locked', paging exactly")
    func readsBesideTheWriter() async throws {
        try await Self.withSQLiteStore { store in
            let repository = FluentAlertRepository(store: store)
            let base = Date(epochMilliseconds: 1_780_000_000_000)
            func rule(_ index: Int) -> AlertRule {
                // Pairs share a creation time, so paging must order by id too.
                let at = Date(epochMilliseconds: base.epochMilliseconds + Int64(index / 2))
                return AlertRule(id: UUID(), symbol: Symbol(trusted: index % 3 == 0 ? "AAPL" : "MSFT"), type: .priceAbove,
                                 threshold: Decimal(100 + index) / 8, note: "n\(index)", createdAt: at, updatedAt: at)
            }
            let first = (0..<120).map(rule)
            try await repository.insert(first)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 120..<150 { try await repository.insert(rule(index)) }
                }
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<10 { _ = try await repository.list(AlertQuery(symbol: Symbol(trusted: "AAPL"), limit: 7)) }
                    }
                }
                try await group.waitForAll()
            }
            // Walk every page of one filter: each alert once, newest first by (created, id).
            var seen: [AlertRule] = []
            var cursor: PageCursor?
            repeat {
                let page = try await repository.list(AlertQuery(symbol: Symbol(trusted: "MSFT"), limit: 9, after: cursor))
                seen += page.rules
                cursor = page.next
            } while cursor != nil
            let expected = try await repository.loadActive().filter { $0.symbol.rawValue == "MSFT" }
                .sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
            #expect(seen.map(\.id) == expected.map(\.id))
            #expect(seen == expected)
        }
    }
}
