import Foundation
import Logging
import Testing
import TradingDomain
import TradingEngine
import TradingEngineTesting
@testable import Simulation

/// Paper stops watch the quote cache's last price, which only prints that set the last price move
/// (docs/alerts.md, "Clean prints").
@Suite("Paper stops and clean prints")
struct PaperCleanPrintTests {
    actor Store: PaperLedgerStore {
        var document: Data?
        func loadPaperLedger() async throws -> Data? { document }
        func savePaperLedger(_ document: Data) async throws { self.document = document }
    }

    @Test("an odd lot through a paper sell stop does not trigger it; a regular print at that price does")
    func oddLotDoesNotTriggerStop() async throws {
        let aapl = Symbol(trusted: "AAPL")
        // Monday 2024-03-11 10:00 New York.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_710_165_600))
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        let paper = PaperBroker(
            settings: PaperSettings(commissionPerOrder: 0), store: Store(), quotes: { cache.quote(for: $0) }, clock: clock,
            logger: Logger(label: "paper-test") { _ in SwiftLogNoOpLogHandler() })
        cache.receive([
            .quote(BidAsk(symbol: aapl, bid: 100, bidSize: 1, ask: 100, askSize: 1, time: clock.now())),
            .trade(Trade(symbol: aapl, price: 100, size: 100, time: clock.now())),
        ])
        _ = try await paper.place(OrderRequest(symbol: aapl, action: .buy, quantity: 10, type: .market), clientOrderID: "buy")
        _ = try await paper.place(
            OrderRequest(symbol: aapl, action: .sell, quantity: 10, type: .stop, duration: .gtc, stopPrice: 95), clientOrderID: "stop")
        #expect(paper.ledger?.order(clientOrderID: "stop")?.status == .open)

        let oddLot = MarketEvent.trade(Trade(
            symbol: aapl, price: 80, size: 5, time: clock.now(),
            rule: PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true)))
        cache.receive([oddLot])
        paper.receive([oddLot])
        await paper.sweep()
        #expect(cache.quote(for: aapl)?.last == 100)
        #expect(paper.ledger?.order(clientOrderID: "stop")?.status == .open, "the odd lot at 80 is not the market")

        let regular = MarketEvent.trade(Trade(symbol: aapl, price: 80, size: 100, time: clock.now()))
        cache.receive([regular])
        paper.receive([regular])
        await paper.sweep()
        #expect(paper.ledger?.order(clientOrderID: "stop")?.status == .filled)
    }
}
