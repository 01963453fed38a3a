import Foundation
import Synchronization
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// A bars source with fixed minute bars (the market's bars port, scripted).
struct FixedBars: MarketSnapshotSource {
    var bars: [Bar]
    var fails = false
    func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] { [:] }
    func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        if fails { throw MarketDataError.unavailable("scripted") }
        return bars.filter { $0.symbol == symbol && $0.timespan == timespan && $0.start >= from && $0.start <= to }
    }
}

@Suite("Trade review")
struct TradeReviewTests {
    /// 2026-05-28 (a Thursday) 10:00:00 New York time.
    static let open = Date(timeIntervalSince1970: 1_779_976_800)

    static func bar(_ symbol: String, minute: Int, high: String, low: String) -> Bar {
        Bar(symbol: Symbol(trusted: symbol), timespan: .minute, start: open.addingTimeInterval(TimeInterval(minute * 60)),
            open: Decimal(string: low)!, high: Decimal(string: high)!, low: Decimal(string: low)!, close: Decimal(string: high)!, volume: 100)
    }

    @Test("a scripted session: MAE/MFE, exit efficiency, slippage and R equal the hand-computed values")
    func scriptedSession() async throws {
        let h = DeskHarness(clock: ManualClock(Self.open))
        await h.ready()
        let plan = try await h.savePlan("AAPL", entry: 100, stop: 98, targets: [104])
        // Entry: a limit buy of 10 at 100 fills 4 @ 100.02, then 6 @ 100.05 thirty seconds later.
        let entry = try await h.place(DeskHarness.ticket(quantity: 10, limit: 100, plan: plan.id))
        await h.deliver(h.broker.fill(entry.id, at: Decimal(string: "100.02")!, quantity: 4, commission: Decimal(string: "0.5")!))
        h.clock.advance(by: 30)
        await h.deliver(h.broker.fill(entry.id, at: Decimal(string: "100.05")!, quantity: 6, commission: Decimal(string: "0.5")!))
        // Exit at 10:20: a limit sell at 103 fills at 102.90.
        h.clock.advance(by: 1170)
        let exit = try await h.place(DeskHarness.ticket("AAPL", .sell, quantity: 10, limit: 103))
        await h.deliver(h.broker.fill(exit.id, at: Decimal(string: "102.90")!, commission: 1))

        let journaled = try #require(h.orders.journalEntries.first)
        #expect(journaled.status == .closed)
        #expect(journaled.entryPrice == Decimal(string: "100.038"))
        let bars = FixedBars(bars: [
            Self.bar("AAPL", minute: -1, high: "100.5", low: "90"),     // ends as the trade opens: not counted
            Self.bar("AAPL", minute: 0, high: "100.2", low: "99.8"),
            Self.bar("AAPL", minute: 5, high: "101", low: "99.4"),      // the worst low
            Self.bar("AAPL", minute: 15, high: "103.6", low: "102"),    // the best high
            Self.bar("AAPL", minute: 20, high: "103.1", low: "102.8"),  // the exit's minute
            Self.bar("AAPL", minute: 21, high: "110", low: "80"),       // after the exit: not counted
        ])
        let service = TradeReviewService(orders: h.orders, plans: h.plans, bars: bars, calendar: FixedMarketCalendar())
        let review = try await service.review(journaled)
        // entry 100.038 × 10; stop 98 → risk 20.38; low 99.4, high 103.6, exit 102.9, fees 2.
        #expect(review.mae == Decimal(string: "-6.38"))
        #expect(review.mfe == Decimal(string: "35.62"))
        #expect(review.maeR == Decimal(string: "-0.31"))
        #expect(review.mfeR == Decimal(string: "1.75"))
        #expect(review.exitEfficiency == Decimal(string: "0.8035"))   // 28.62 / 35.62
        #expect(review.realizedR == Decimal(string: "1.31"))          // 26.62 / 20.38
        #expect(review.plannedR == 2)                                  // (104 − 100) / (100 − 98)
        #expect(review.plannedEntry == 100)
        #expect(review.entrySlippage == Decimal(string: "0.38"))      // 4 × 0.02 + 6 × 0.05
        #expect(review.exitSlippage == 1)                              // (103 − 102.90) × 10
        #expect(review.holdingSeconds == 1200)
        #expect(review.session == .regular)
        #expect(review.entryHour == 10)
        #expect(review.entryWeekday == 4)
        #expect(review.barsUsed == 4)
        #expect(review.excursionSource == .bars)
        #expect(review.fills.map(\.quantity) == [4, 6, 10])
        #expect(review.fills.map(\.effect) == [.open, .open, .close])
    }

    @Test("an options trade: contracts × 100, fills grouped into one trade, slippage vs the order's limit")
    func optionsTrade() async throws {
        let h = DeskHarness(clock: ManualClock(Self.open))
        await h.ready()
        let contract = "AAPL260619C00200000"
        h.price(contract, Decimal(string: "2.50")!)
        let buy = try await h.place(DeskHarness.ticket(contract, .buyToOpen, quantity: 3, limit: Decimal(string: "2.50")!))
        await h.deliver(h.broker.fill(buy.id, at: Decimal(string: "2.50")!, quantity: 1, commission: Decimal(string: "0.65")!))
        await h.deliver(h.broker.fill(buy.id, at: Decimal(string: "2.55")!, quantity: 2, commission: Decimal(string: "1.30")!))
        h.clock.advance(by: 600)
        let sell = try await h.place(DeskHarness.ticket(contract, .sellToClose, quantity: 3, limit: Decimal(string: "3.10")!))
        await h.deliver(h.broker.fill(sell.id, at: Decimal(string: "3.10")!, quantity: 3, commission: Decimal(string: "1.95")!))

        let entries = h.orders.journalEntries
        #expect(entries.count == 1, "three fills, one trade")
        let trade = try #require(entries.first)
        #expect(trade.entryPrice == Decimal(string: "2.533333"))
        // (3.10 − 2.533333) × 3 × 100 = 170.0001, less 3.90 of commissions.
        #expect(trade.metrics.grossPnL == Decimal(string: "170.0001"))
        #expect(trade.metrics.pnl == Decimal(string: "166.1001"))
        let bars = FixedBars(bars: [
            Self.bar(contract, minute: 3, high: "3.4", low: "2.3"),
        ])
        let review = try await TradeReviewService(orders: h.orders, plans: h.plans, bars: bars, calendar: FixedMarketCalendar())
            .review(trade)
        #expect(review.multiplier == 100)
        #expect(review.mfe == Decimal(string: "260.0001"))   // (3.40 − 2.533333) × 300
        #expect(review.mae == Decimal(string: "-69.9999"))   // (2.30 − 2.533333) × 300
        #expect(review.entrySlippage == 10)                  // 2 × 0.05 × 100
        #expect(review.exitSlippage == 0)
        #expect(review.fills.count == 3)
    }

    @Test("without bars the excursion comes from the fill prices, and says so")
    func noBars() async throws {
        let h = DeskHarness(clock: ManualClock(Self.open))
        await h.ready()
        let buy = try await h.place(DeskHarness.ticket(quantity: 10, limit: 100))
        await h.deliver(h.broker.fill(buy.id, at: 100))
        h.clock.advance(by: 60)
        let sell = try await h.place(DeskHarness.ticket("AAPL", .sell, quantity: 10, limit: 99))
        await h.deliver(h.broker.fill(sell.id, at: 99))
        let trade = try #require(h.orders.journalEntries.first)
        let review = try await TradeReviewService(
            orders: h.orders, plans: h.plans, bars: FixedBars(bars: [], fails: true), calendar: FixedMarketCalendar()
        ).review(trade)
        #expect(review.excursionSource == .fills)
        #expect(review.mae == -10)
        #expect(review.mfe == 0)
        #expect(review.exitEfficiency == nil)
        #expect(review.maeR == nil, "no stop, no R")
    }
}

/// A bars source that fails until told otherwise.
final class FlakyBars: MarketSnapshotSource, Sendable {
    let failing = Mutex(true)
    let bars: [Bar]
    init(bars: [Bar]) { self.bars = bars }
    func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] { [:] }
    func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        if failing.withLock({ $0 }) { throw MarketDataError.rateLimited(retryAfter: nil) }
        return bars.filter { $0.start >= from && $0.start <= to }
    }
}

@Suite("Trade review cache")
struct TradeReviewCacheTests {
    @Test("a review made while the bars source failed is not kept: the next one uses the bars")
    func failedFetchNotKept() async throws {
        let h = DeskHarness(clock: ManualClock(TradeReviewTests.open))
        await h.ready()
        let buy = try await h.place(DeskHarness.ticket(quantity: 10, limit: 100))
        await h.deliver(h.broker.fill(buy.id, at: 100))
        h.clock.advance(by: 300)
        let sell = try await h.place(DeskHarness.ticket("AAPL", .sell, quantity: 10, limit: 101))
        await h.deliver(h.broker.fill(sell.id, at: 101))
        let trade = try #require(h.orders.journalEntries.first)
        let source = FlakyBars(bars: [TradeReviewTests.bar("AAPL", minute: 2, high: "102", low: "99")])
        let service = TradeReviewService(orders: h.orders, plans: h.plans, bars: source, calendar: FixedMarketCalendar())
        #expect(try await service.reviews([trade])[trade.id]?.excursionSource == .fills)
        source.failing.withLock { $0 = false }
        let review = try #require(try await service.reviews([trade])[trade.id])
        #expect(review.excursionSource == .bars)
        #expect(review.mfe == 20)
        #expect(review.mae == -10)
    }
}
