import Foundation
import Persistence
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The journal's fill reads on a real database: an execution trade's legs and an import's fills.
@Suite("Journal fills in storage")
struct JournalReviewRepositoryTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("a trade's fills come back grouped under its entry; imported fills are found by id and by entry")
    func fills() async throws {
        let database = try await TestDatabase.make()
        let store = try await database.openStore()
        do {
            let orders = FluentOrderRepository(store: store)
            var open: OpenExecution?
            let fills = [
                Fill(id: "f1", clientOrderID: "o1", symbol: Symbol(trusted: "AAPL"), action: .buy, quantity: 4, price: Decimal(string: "100.02")!,
                     commission: 0, time: Self.start),
                Fill(id: "f2", clientOrderID: "o1", symbol: Symbol(trusted: "AAPL"), action: .buy, quantity: 6, price: Decimal(string: "100.05")!,
                     commission: 0, time: Self.start.addingTimeInterval(30)),
                Fill(id: "f3", clientOrderID: "o2", symbol: Symbol(trusted: "AAPL"), action: .sell, quantity: 10, price: Decimal(string: "102.9")!,
                     commission: 0, time: Self.start.addingTimeInterval(1200)),
            ]
            var entryID: UUID?
            for fill in fills {
                let result = ExecutionJournal.apply(fill, to: open, plan: nil, planID: nil, now: Self.start, newID: { UUID() })
                #expect(try await orders.record(fill: fill, journal: result))
                open = result.open
                entryID = entryID ?? result.entries.first?.id
            }
            let grouped = try await orders.tradeFills(entryID: try #require(entryID))
            #expect(grouped.map(\.fillID) == ["f1", "f2", "f3"])
            #expect(grouped.map(\.effect) == [.open, .open, .close])
            #expect(grouped.map(\.price) == [Decimal(string: "100.02")!, Decimal(string: "100.05")!, Decimal(string: "102.9")!])

            let journal = FluentJournalRepository(store: store)
            let imported = JournalImport.group([
                ImportedFill(line: 2, id: "E1", symbol: Symbol(trusted: "MSFT"), action: .buy, quantity: 5, price: 400, commission: 1, time: Self.start),
                ImportedFill(line: 3, id: "E2", symbol: Symbol(trusted: "MSFT"), action: .sell, quantity: 5, price: 401, commission: 1,
                             time: Self.start.addingTimeInterval(60)),
            ], format: "generic", now: Self.start, newID: { UUID() })
            try await journal.saveImport(entries: imported.entries, legs: imported.legs)
            #expect(try await journal.importedFillIDs(among: ["E1", "E2", "E3"]) == ["E1", "E2"])
            let trade = try #require(imported.entries.first)
            #expect(try await journal.find(id: trade.id)?.source == .imported)
            #expect(try await journal.importedFills(entryID: trade.id).map(\.quantity) == [5, 5])
        } catch {
            await store.shutdown()
            await database.remove()
            throw error
        }
        await store.shutdown()
        await database.remove()
    }
}
