import Foundation
import Persistence
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// Repository round-trips on a real database (SQLite file, or PostgreSQL in CI).
@Suite("Repositories")
struct RepositoryTests {
    func withStore(_ body: (Store) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        let store = try await database.openStore()
        do {
            try await body(store)
        } catch {
            await store.shutdown()
            await database.remove()
            throw error
        }
        await store.shutdown()
        await database.remove()
    }

    static func entry(_ symbol: String = "AAPL", openedAtMs: Int64 = 1_780_000_000_000) -> JournalEntry {
        JournalEntry(
            id: UUID(), symbol: Symbol(trusted: symbol), assetClass: .equity, side: .long,
            entryPrice: Decimal(string: "190.123456")!, exitPrice: Decimal(string: "0.000001")!,
            quantity: Decimal(string: "12.5")!, stop: Decimal(string: "187.1")!,
            targets: [Decimal(string: "199.99")!, 205], fees: Decimal(string: "0.0035")!,
            tags: ["swing", "gap-up"], notes: "ünïcode ✓ and 'quotes' and \"double\"",
            openedAt: Date(epochMilliseconds: openedAtMs), closedAt: Date(epochMilliseconds: openedAtMs + 1),
            source: .manual, planID: UUID(), createdAt: Date(epochMilliseconds: openedAtMs),
            updatedAt: Date(epochMilliseconds: openedAtMs))
    }

    @Test("migrations can run again on an up-to-date database")
    func migrateTwice() async throws {
        try await withStore { store in
            try await store.migrate()
            try await store.ping()
        }
    }

    @Test("an alert's sessions (migration 010) round-trips, and a change of it is stored")
    func alertSessions() async throws {
        try await withStore { store in
            let repository = FluentAlertRepository(store: store)
            let now = Date(epochMilliseconds: 1_780_000_000_000)
            var regular = AlertRule(id: UUID(), symbol: Symbol(trusted: "AAPL"), type: .priceAbove, threshold: 200,
                                    sessions: .regular, createdAt: now, updatedAt: now)
            let extended = AlertRule(id: UUID(), symbol: Symbol(trusted: "MSFT"), type: .priceBelow, threshold: 300, createdAt: now, updatedAt: now)
            try await repository.insert(regular)
            try await repository.insert(extended)
            #expect(try await repository.find(id: regular.id)?.sessions == .regular)
            #expect(try await repository.find(id: extended.id)?.sessions == .extended)
            regular.sessions = .extended
            #expect(try await repository.update(regular))
            #expect(try await repository.loadActive().allSatisfy { $0.sessions == .extended })
        }
    }

    @Test("journal entries round-trip exactly, including decimals, text and times")
    func journalRoundTrip() async throws {
        try await withStore { store in
            let repository = FluentJournalRepository(store: store)
            let original = Self.entry()
            try await repository.insert(original)
            let loaded = try #require(try await repository.find(id: original.id))
            #expect(loaded == original)

            var changed = loaded
            changed.exitPrice = nil
            changed.closedAt = nil
            changed.tags = []
            changed.targets = []
            #expect(try await repository.update(changed))
            #expect(try await repository.find(id: original.id) == changed)

            #expect(try await repository.delete(id: original.id))
            #expect(try await repository.find(id: original.id) == nil)
            #expect(!(try await repository.delete(id: original.id)))
            #expect(!(try await repository.update(changed)))
        }
    }

    @Test("keyset pages cover every entry once, even with equal open times")
    func pagination() async throws {
        try await withStore { store in
            let repository = FluentJournalRepository(store: store)
            var ids: [UUID] = []
            for index in 0..<9 {
                // Three entries share each open time, to exercise the id tie-break.
                let entry = Self.entry(openedAtMs: 1_780_000_000_000 + Int64(index / 3) * 60_000)
                try await repository.insert(entry)
                ids.append(entry.id)
            }
            var seen: [JournalEntry] = []
            var query = JournalQuery(limit: 2)
            while true {
                let page = try await repository.list(query)
                seen += page.entries
                guard let next = page.nextCursor else { break }
                query.after = next
            }
            #expect(seen.count == 9)
            #expect(Set(seen.map(\.id)) == Set(ids))
            let order = seen.map { ($0.openedAt.epochMilliseconds) }
            #expect(order == order.sorted(by: >))
        }
    }

    @Test("tag filter matches whole tags only")
    func tagFilter() async throws {
        try await withStore { store in
            let repository = FluentJournalRepository(store: store)
            var a = Self.entry()
            a.tags = ["swing"]
            var b = Self.entry()
            b.tags = ["swing-trade"]
            try await repository.insert(a)
            try await repository.insert(b)
            let page = try await repository.list(JournalQuery(tag: "swing"))
            #expect(page.entries.map(\.id) == [a.id])
        }
    }

    @Test("settings save with a version check; a stale version is refused")
    func settingsVersioning() async throws {
        try await withStore { store in
            let repository = FluentSettingsRepository(store: store)
            let (initial, version) = try await repository.load()
            #expect(initial == .defaults)
            #expect(version == 0)
            var changed = initial
            changed.risk.maxDailyLoss = Decimal(string: "999.99")!
            #expect(try await repository.save(changed, expectedVersion: 0))
            #expect(!(try await repository.save(initial, expectedVersion: 0)), "a second first-save loses")
            let (loaded, newVersion) = try await repository.load()
            #expect(loaded == changed)
            #expect(newVersion == 1)
            #expect(!(try await repository.save(initial, expectedVersion: 0)))
            #expect(try await repository.save(initial, expectedVersion: 1))
            #expect(try await repository.load().version == 2)
        }
    }

    @Test("watchlist keeps order, refuses duplicates and replaces atomically")
    func watchlist() async throws {
        try await withStore { store in
            let repository = FluentWatchlistRepository(store: store)
            #expect(try await repository.list() == Watchlist.defaultSymbols)
            #expect(try await repository.add(Symbol(trusted: "AMD")))
            #expect(!(try await repository.add(Symbol(trusted: "AMD"))))
            #expect(try await repository.list().last == Symbol(trusted: "AMD"))
            #expect(try await repository.remove(Symbol(trusted: "SPY")))
            #expect(!(try await repository.remove(Symbol(trusted: "SPY"))))
            let replacement = ["Z", "A", "M"].map(Symbol.init(trusted:))
            try await repository.replace(with: replacement)
            #expect(try await repository.list() == replacement)
        }
    }

    @Test("fills since a time: the day's fills in time order, decimals exact, earlier ones left out")
    func fillsSince() async throws {
        try await withStore { store in
            let repository = FluentOrderRepository(store: store)
            let now = Date(epochMilliseconds: 1_780_000_000_000)
            let symbol = Symbol(trusted: "AAPL")
            var open: OpenExecution?
            var fills: [Fill] = []
            for (index, (hoursAgo, action, price)) in [(30.0, OrderAction.buy, "190.125"), (2.0, .buy, "191.5"), (1.0, .sell, "189.0001")].enumerated() {
                let time = now.addingTimeInterval(-hoursAgo * 3_600)
                let fill = Fill(id: "o\(index)#1", clientOrderID: "o\(index)", symbol: symbol, action: action, quantity: 10,
                                price: Decimal(string: price)!, commission: 0, time: time)
                let result = ExecutionJournal.apply(fill, to: open, plan: nil, planID: nil, now: time, newID: UUID.init)
                #expect(try await repository.record(fill: fill, journal: result))
                open = result.open
                fills.append(fill)
            }
            let today = try await repository.fills(since: now.addingTimeInterval(-3 * 3_600))
            #expect(today == Array(fills.suffix(2)))
            #expect(try await repository.fills(since: now.addingTimeInterval(-60)).isEmpty)
        }
    }
}

