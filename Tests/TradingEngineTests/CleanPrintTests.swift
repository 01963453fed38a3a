import Foundation
import Logging
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// Clean prints in the engines (docs/alerts.md, "Clean prints"): a print whose sale conditions
/// keep it from setting the last price moves neither the cached `last` nor any alert.
@Suite("Clean prints in the quote cache and the alert engine")
struct CleanPrintTests {
    let aapl = Symbol(trusted: "AAPL")
    static let oddLot = PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true)
    static let outOfSequence = PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: true)
    static let officialClose = PrintRule.none

    func trade(_ price: Decimal, size: Decimal = 100, at time: Date, rule: PrintRule = .regular) -> MarketEvent {
        .trade(Trade(symbol: aapl, price: price, size: size, time: time, rule: rule))
    }

    @Test("an odd lot far from the market adds volume only: last, last size and the day's range stay")
    func oddLotInCache() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        let now = clock.now()
        cache.receive([trade(230, at: now)])
        cache.receive([trade(300, size: 7, at: now.addingTimeInterval(1), rule: Self.oddLot)])
        let quote = cache.quote(for: aapl)
        #expect(quote?.last == 230)
        #expect(quote?.lastSize == 100)
        #expect(quote?.dayHigh == 230)
        #expect(quote?.dayLow == 230)
        #expect(quote?.volume == 107)
        #expect(quote?.asOf == now, "the odd lot is not the newest price")
    }

    @Test("an out-of-sequence print widens the range but does not set last; an official close re-report changes nothing")
    func rangeOnlyAndNothing() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        let now = clock.now()
        cache.receive([trade(230, at: now)])
        cache.receive([trade(228, at: now.addingTimeInterval(1), rule: Self.outOfSequence)])
        cache.receive([trade(250, size: 5_000, at: now.addingTimeInterval(2), rule: Self.officialClose)])
        let quote = cache.quote(for: aapl)
        #expect(quote?.last == 230)
        #expect(quote?.dayLow == 228)
        #expect(quote?.dayHigh == 230)
        #expect(quote?.volume == 200)
    }

    @Test("the first print of a symbol being an odd lot leaves last unset (no price yet), not the odd lot's")
    func firstPrintOddLot() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        cache.receive([trade(300, size: 3, at: clock.now(), rule: Self.oddLot)])
        #expect(cache.quote(for: aapl)?.last == nil)
        #expect(cache.quote(for: aapl)?.price == nil)
        #expect(cache.quote(for: aapl)?.volume == 3)
    }

    @Test("an odd lot through the alert level fires nothing; a regular print at the same price fires")
    func alertsSeeOnlyLastPrints() async throws {
        let clock = ManualClock()
        let repository = InMemoryAlertRepository()
        let engine = AlertEngine(
            repository: repository, bus: EventBus(), clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let rule = AlertRule(
            id: UUID(), symbol: aapl, type: .priceAbove, threshold: 250, mode: .once, cooldownSeconds: nil,
            expiresAt: nil, createdAt: clock.now(), updatedAt: clock.now())
        try await engine.create(rule, maxAlerts: 10)
        engine.receive([trade(300, size: 7, at: clock.now(), rule: Self.oddLot), trade(300, at: clock.now(), rule: Self.outOfSequence)])
        await engine.commit()
        #expect(repository.stored.isEmpty, "neither print sets the last price")
        engine.receive([trade(300, at: clock.now())])
        await engine.commit()
        #expect(repository.stored.count == 1)
        #expect(repository.stored.first?.firing.price == 300)
    }
}
