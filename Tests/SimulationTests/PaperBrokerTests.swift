import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport
import TradingDomain
import TradingEngine
@testable import Simulation

/// A `PaperLedgerStore` in memory that can be told to fail.
private actor MemoryLedgerStore: PaperLedgerStore {
    var document: Data?
    var saves = 0
    var failing = false

    func loadPaperLedger() async throws -> Data? { document }

    func savePaperLedger(_ document: Data) async throws {
        if failing { throw CocoaError(.fileWriteUnknown) }
        self.document = document
        saves += 1
    }

    func setFailing(_ value: Bool) { failing = value }
}

/// A clock the test moves by hand.
private final class PaperTestClock: WallClock {
    let current: Shared<Date>
    init(_ date: Date) { current = Shared(date) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// Quotes the test sets; the broker reads them like the quote cache.
private final class PaperTestQuotes: Sendable {
    let quotes = Shared<[Symbol: Quote]>([:])

    func set(_ symbol: Symbol, bid: Decimal, ask: Decimal, last: Decimal) {
        var quote = Quote(symbol: symbol, asOf: Date(), receivedAt: Date(), source: "test")
        quote.bid = bid
        quote.ask = ask
        quote.last = last
        quotes.withLock { $0[symbol] = quote }
    }

    var lookup: @Sendable (Symbol) -> Quote? { { symbol in self.quotes.withLock { $0[symbol] } } }
}

private let paperLog = Logger(label: "paper-test") { _ in SwiftLogNoOpLogHandler() }
/// Monday 2024-03-11 10:00 New York.
private let mondayMorning = Date(timeIntervalSince1970: 1_710_165_600)
private let aapl = Symbol(trusted: "AAPL")

@Suite("Paper broker")
struct PaperBrokerTests {
    fileprivate let store = MemoryLedgerStore()
    fileprivate let clock = PaperTestClock(mondayMorning)
    fileprivate let quotes = PaperTestQuotes()

    func broker(_ settings: PaperSettings = PaperSettings(commissionPerOrder: 1)) -> PaperBroker {
        PaperBroker(settings: settings, store: store, quotes: quotes.lookup, clock: clock, logger: paperLog)
    }

    /// The next `count` updates, or fewer if none comes for a second.
    func next(_ count: Int, from iterator: inout AsyncStream<BrokerUpdate>.Iterator) async -> [BrokerUpdate] {
        var result: [BrokerUpdate] = []
        for _ in 0..<count {
            guard let update = await iterator.next() else { break }
            result.append(update)
        }
        return result
    }

    @Test("place: stored first, then the stream yields open, the fill, and filled")
    func placeYieldsOpenThenFill() async throws {
        let paper = broker()
        quotes.set(aapl, bid: 100, ask: Decimal(string: "100.10") ?? 0, last: 100)
        var updates = paper.updates().makeAsyncIterator()
        let id = try await paper.place(OrderRequest(symbol: aapl, action: .buy, quantity: 10, type: .market), clientOrderID: "c-1")
        #expect(id == "P-1")
        #expect(await store.saves == 1, "one change, one save, before place returned")
        let received = await next(3, from: &updates)
        guard received.count == 3, case .order(let open) = received[0], case .fill(let fill) = received[1],
              case .order(let filled) = received[2]
        else {
            Issue.record("expected open, fill, filled; got \(received)")
            return
        }
        #expect(open.status == .open)
        #expect(open.brokerOrderID == "P-1")
        #expect(fill.id == "c-1#1")
        #expect(fill.price == Decimal(string: "100.10"))
        #expect(filled.status == .filled)
        #expect(filled.averageFillPrice == Decimal(string: "100.10"))
        let account = try await paper.account()
        #expect(account.cash == Decimal(string: "98998"))
        #expect(account.broker == "paper")
    }

    @Test("a new broker over the same store sees the cash, positions and orders, and keeps matching")
    func survivesRestart() async throws {
        quotes.set(aapl, bid: 100, ask: 100, last: 100)
        let first = broker()
        _ = try await first.place(OrderRequest(symbol: aapl, action: .buy, quantity: 10, type: .market), clientOrderID: "buy")
        let limit = OrderRequest(symbol: aapl, action: .sell, quantity: 10, type: .limit, duration: .gtc, limitPrice: 110)
        let working = try await first.place(limit, clientOrderID: "target")

        let second = broker()
        try await second.load()
        #expect(try await second.positions() == first.positions())
        #expect(try await second.account() == first.account())
        #expect(try await second.orders() == first.orders())
        #expect(try await second.order(clientOrderID: "target")?.brokerOrderID == working)
        #expect(second.symbolsOfInterest == [aapl])

        quotes.set(aapl, bid: 111, ask: 111, last: 111)
        var updates = second.updates().makeAsyncIterator()
        await second.sweep()
        let received = await next(2, from: &updates)
        #expect(received.count == 2)
        #expect(try await second.positions().isEmpty)
        #expect(try await second.account().cash == Decimal(100_000 - 1_000 + 1_110 - 2))

        let third = broker()
        #expect(try await third.order(clientOrderID: "target")?.status == .filled, "loads on first use")
        #expect(try await third.account().cash == Decimal(100_108))
    }

    @Test("a change that cannot be stored is not made: place throws unavailable and nothing is published")
    func storeFirst() async throws {
        quotes.set(aapl, bid: 100, ask: 100, last: 100)
        let paper = broker()
        try await paper.load()
        await store.setFailing(true)
        await #expect(throws: BrokerError.self) {
            _ = try await paper.place(OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .market), clientOrderID: "lost")
        }
        #expect(try await paper.order(clientOrderID: "lost") == nil)
        #expect(try await paper.account().cash == 100_000)
        await store.setFailing(false)
        var updates = paper.updates().makeAsyncIterator()
        _ = try await paper.place(OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .market), clientOrderID: "kept")
        let first = await next(1, from: &updates)
        guard case .order(let order) = first.first else {
            Issue.record("expected the kept order first, got \(first)")
            return
        }
        #expect(order.clientOrderID == "kept", "nothing of the lost order was published")
    }

    @Test("refusals throw rejected (and are kept); cancel of a final order is fine, of an unknown one not found")
    func refusalsAndCancel() async throws {
        quotes.set(aapl, bid: 100, ask: 100, last: 100)
        let paper = broker()
        await #expect(throws: BrokerError.rejected(code: "insufficient_position", reason: "sell 5 exceeds the 0 long held in AAPL")) {
            _ = try await paper.place(OrderRequest(symbol: aapl, action: .sell, quantity: 5, type: .market), clientOrderID: "r")
        }
        #expect(try await paper.order(clientOrderID: "r")?.status == .rejected)
        do {
            _ = try await paper.preview(OrderRequest(symbol: aapl, action: .buy, quantity: 2_000, type: .market))
            Issue.record("a preview beyond the buying power should be refused")
        } catch {
            guard case .rejected(let code, let reason) = error else { throw error }
            #expect(code == "insufficient_buying_power")
            #expect(reason == "the order needs 200001 of buying power; 100000 is available")
        }
        let id = try await paper.place(
            OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .limit, limitPrice: 90), clientOrderID: "w")
        try await paper.modify(brokerOrderID: id, OrderChange(limitPrice: 95))
        #expect(try await paper.order(clientOrderID: "w")?.request.limitPrice == 95)
        try await paper.cancel(brokerOrderID: id)
        try await paper.cancel(brokerOrderID: id)
        #expect(try await paper.order(clientOrderID: "w")?.status == .canceled)
        await #expect(throws: BrokerError.notFound("paper order P-77")) { try await paper.cancel(brokerOrderID: "P-77") }
    }

    @Test("run: ticks fill working orders, day orders expire at the close, graceful shutdown ends the updates")
    func runLoop() async throws {
        quotes.set(aapl, bid: 100, ask: 100, last: 100)
        let paper = broker()
        let group = ServiceGroup(services: [paper], logger: paperLog)
        let running = Task { try await group.run() }
        let updates = Task {
            var collected: [BrokerUpdate] = []
            for await update in paper.updates() { collected.append(update) }
            return collected
        }
        let interest = Shared<[Set<Symbol>]>([])
        paper.observeSymbols { symbols in interest.withLock { $0.append(symbols) } }

        _ = try await paper.place(
            OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .limit, limitPrice: 95), clientOrderID: "tick")
        _ = try await paper.place(
            OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .limit, limitPrice: 50), clientOrderID: "day")
        quotes.set(aapl, bid: 94, ask: 94, last: 94)
        paper.marketMoved([aapl])
        // Generous waits: with the whole suite running on two cores the run loop can wait its turn.
        #expect(await eventually(timeout: .seconds(30)) { paper.ledger?.order(clientOrderID: "tick")?.status == .filled }, "the tick fills the limit")
        clock.set(mondayMorning.addingTimeInterval(6 * 3_600))  // 16:00 New York
        #expect(await eventually(timeout: .seconds(30)) { paper.ledger?.order(clientOrderID: "day")?.status == .expired }, "the day order expires")
        await group.triggerGracefulShutdown()
        try await running.value
        let collected = await updates.value
        #expect(collected.count == 5, "open, open, fill, filled, expired")
        #expect(interest.withLock { $0.last } == [aapl])
    }

    @Test("reset: a fresh account with the starting cash; working orders are published as canceled")
    func reset() async throws {
        quotes.set(aapl, bid: 100, ask: 100, last: 100)
        let paper = broker()
        _ = try await paper.place(OrderRequest(symbol: aapl, action: .buy, quantity: 5, type: .market), clientOrderID: "b")
        _ = try await paper.place(
            OrderRequest(symbol: aapl, action: .buy, quantity: 1, type: .limit, limitPrice: 50), clientOrderID: "w")
        var updates = paper.updates().makeAsyncIterator()
        _ = await next(4, from: &updates)
        try await paper.reset()
        let canceled = await next(1, from: &updates)
        guard case .order(let order) = canceled.first else {
            Issue.record("expected the working order canceled, got \(canceled)")
            return
        }
        #expect(order.clientOrderID == "w")
        #expect(order.status == .canceled)
        #expect(try await paper.account().cash == 100_000)
        #expect(try await paper.positions().isEmpty)
        #expect(paper.symbolsOfInterest.isEmpty)
        let reloaded = broker()
        #expect(try await reloaded.orders().isEmpty, "the reset was stored")
    }

}
