import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// The risk engine's day P&L: overnight shares from the previous close, today's from their fills,
/// with the manual clock (Thursday 2026-05-28 16:26 New York) and in-memory repositories.
@Suite("Risk engine: day P&L")
struct RiskEngineDayPnLTests {
    typealias Harness = RiskEngineTests.Harness
    static let aapl = Symbol(trusted: "AAPL")
    static let msft = Symbol(trusted: "MSFT")
    static let tsla = Symbol(trusted: "TSLA")

    /// Stores a fill in the order desk's journal, as the desk does when the broker reports it.
    static func journal(_ h: Harness, _ symbol: Symbol, _ action: OrderAction, _ quantity: Decimal, at price: Decimal, time: Date) async throws {
        let fill = Fill(id: UUID().uuidString, clientOrderID: UUID().uuidString.lowercased(), symbol: symbol, action: action,
                        quantity: quantity, price: price, commission: 0, time: time)
        let open = try await h.orders.openExecution(symbol: symbol)
        _ = try await h.orders.record(fill: fill, journal: ExecutionJournal.apply(fill, to: open, plan: nil, planID: nil, now: time, newID: UUID.init))
    }

    /// A quote with its previous close, and the broker's price.
    static func quote(_ h: Harness, _ symbol: Symbol, last: Decimal, previousClose: Decimal) {
        h.quotes.apply([MarketSnapshot(symbol: symbol, last: last, lastTime: h.clock.now(), previousClose: previousClose, updated: h.clock.now())],
                       source: "test")
        h.broker.setPrice(symbol.rawValue, last)
    }

    @Test("bought yesterday at 100, previous close 90, last 91: day P&L +1 a share, and yesterday's loss does not breach the daily limit")
    func yesterdaysLossDoesNotHalt() async throws {
        let h = Harness(risk: RiskSettings(maxDailyLoss: 500, maxOpenRiskPct: 100))
        try await h.engine.load()
        let yesterday = h.clock.now().addingTimeInterval(-86_400)
        try await Self.journal(h, Self.aapl, .buy, 100, at: 100, time: yesterday)
        h.broker.setPosition("AAPL", quantity: 100, averagePrice: 100, openedAt: yesterday)
        Self.quote(h, Self.aapl, last: 91, previousClose: 90)

        let report = try await h.engine.evaluate()
        let snapshot = try #require(report.snapshot)
        let row = try #require(snapshot.position(Self.aapl))
        #expect(row.dayPnL == 100)
        #expect(row.overnightQuantity == 100)
        #expect(row.previousClose == 90)
        #expect(row.unrealizedPnL == -900, "since entry the position is still 9 a share down")
        #expect(snapshot.dayPnL == 100)
        #expect(report.breaches.isEmpty)
        #expect(report.state.mode == .active)

        // Today's own loss still counts: 91 → 85 is −5 a share from the previous close.
        h.price("AAPL", 85)
        let halted = try await h.engine.evaluate()
        #expect(halted.snapshot?.dayPnL == -500)
        #expect(halted.state.mode == .halted)
    }

    @Test("today's closing fills realise against the previous close (overnight shares) or their own fill (round trips); the broker's realised figure is not used")
    func realisedToday() async throws {
        let h = Harness()
        try await h.engine.load()
        let now = h.clock.now()
        // AAPL: 100 held overnight, 40 sold today at 95 (previous close 90), 60 left, last 96.
        try await Self.journal(h, Self.aapl, .sell, 40, at: 95, time: now.addingTimeInterval(-3_600))
        h.broker.setPosition("AAPL", quantity: 60, averagePrice: 100)
        Self.quote(h, Self.aapl, last: 96, previousClose: 90)
        // MSFT: bought and sold today, flat now.
        try await Self.journal(h, Self.msft, .buy, 10, at: 400, time: now.addingTimeInterval(-7_200))
        try await Self.journal(h, Self.msft, .sell, 10, at: 390, time: now.addingTimeInterval(-3_000))
        Self.quote(h, Self.msft, last: 391, previousClose: 380)

        let snapshot = try #require(try await h.engine.evaluate().snapshot)
        #expect(snapshot.position(Self.aapl)?.dayRealizedPnL == 200)
        #expect(snapshot.position(Self.aapl)?.dayPnL == 560)
        #expect(snapshot.dayRealizedPnL == 100, "AAPL +200, MSFT −100")
        #expect(snapshot.dayUnrealizedPnL == 360)
        #expect(snapshot.dayPnL == 460)
    }

    @Test("an order filled at the broker's own site (unknown to the desk) counts as today's at its average fill price")
    func foreignOrder() async throws {
        let h = Harness()
        try await h.engine.load()
        // 10 held overnight, 10 more bought today on the broker's site at 200: 20 at an average of 225.
        h.broker.setPosition("TSLA", quantity: 20, averagePrice: 225, openedAt: h.clock.now().addingTimeInterval(-86_400))
        h.broker.addForeignFill("tradier-77", OrderRequest(symbol: Self.tsla, action: .buy, quantity: 10, type: .market), at: 200)
        Self.quote(h, Self.tsla, last: 210, previousClose: 250)

        let row = try #require(try await h.engine.evaluate().snapshot?.position(Self.tsla))
        #expect(row.overnightQuantity == 10)
        #expect(row.dayPnL == -300, "10 overnight from 250 (−400), 10 bought today at 200 (+100)")
    }

    @Test("a fill at the broker that the desk has not journaled yet is today's, not an overnight share at the previous close")
    func fillNotJournaledYet() async throws {
        let h = Harness(risk: RiskSettings(maxDailyLoss: 500, maxOpenRiskPct: 100))
        try await h.engine.load()
        // The stock gapped down: previous close 120, now 100. Buying 100 today is not a 2,000 loss.
        Self.quote(h, Self.aapl, last: 100, previousClose: 120)
        let request = OrderRequest(symbol: Self.aapl, action: .buy, quantity: 100, type: .market)
        _ = try await h.broker.place(request, clientOrderID: "ours-1")
        let updates = h.broker.fill("ours-1", at: 100, quantity: 40)
        // The desk journaled the first 40; the broker has filled 60 more that are not journaled yet.
        for case .fill(let fill) in updates {
            _ = try await h.orders.record(fill: fill, journal: ExecutionJournal.apply(fill, to: nil, plan: nil, planID: nil, now: fill.time, newID: UUID.init))
        }
        h.broker.fill("ours-1", at: 101, quantity: 60)
        let report = try await h.engine.evaluate()
        let row = try #require(report.snapshot?.position(Self.aapl))
        #expect(row.quantity == 100)
        #expect(row.overnightQuantity == 0)
        #expect(row.dayPnL == -60, "the 60 filled at 101 are 1 down at 100")
        #expect(report.state.mode == .active)
    }

    @Test("after 20:00 the trading day is the next one: the day's trades are overnight and the new day starts flat")
    func eveningRollsTheDay() async throws {
        let h = Harness()
        try await h.engine.load()
        try await Self.journal(h, Self.aapl, .buy, 100, at: 100, time: h.clock.now())
        h.broker.setPosition("AAPL", quantity: 100, averagePrice: 100, openedAt: h.clock.now())
        Self.quote(h, Self.aapl, last: 95, previousClose: 90)
        #expect(try await h.engine.evaluate().snapshot?.dayPnL == -500)

        h.clock.advance(by: 4 * 3_600)  // 20:26: Friday's trading day, nothing printed in it yet
        let row = try #require(try await h.engine.evaluate().snapshot?.position(Self.aapl))
        #expect(row.overnightQuantity == 100)
        #expect(row.dayPnL == 0)
    }
}
