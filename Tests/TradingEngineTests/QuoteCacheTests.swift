import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

@Suite("Quote cache")
struct QuoteCacheTests {
    let aapl = Symbol(trusted: "AAPL")
    let msft = Symbol(trusted: "MSFT")

    func trade(_ symbol: Symbol, _ price: String, at time: Date) -> MarketEvent {
        .trade(Trade(symbol: symbol, price: Decimal(string: price)!, size: 100, time: time))
    }

    @Test("applies trades and quotes, tracks the day range and volume, and publishes each changed symbol once per batch")
    func appliesEvents() {
        let clock = ManualClock()
        let bus = EventBus()
        let published = Shared<[Quote]>([])
        bus.subscribe { event in if case .prices(let quotes) = event { published.withLock { $0 += quotes } } }
        let cache = QuoteCache(clock: clock, bus: bus, staleAfter: 30, provider: "test")
        let now = clock.now()
        cache.receive([
            trade(aapl, "190.10", at: now),
            .quote(BidAsk(symbol: aapl, bid: Decimal(string: "190.09")!, bidSize: 300, ask: Decimal(string: "190.11")!, askSize: 200, time: now)),
            trade(aapl, "190.25", at: now.addingTimeInterval(1)),
            trade(msft, "420.00", at: now),
        ])
        let quote = cache.quote(for: aapl)
        #expect(quote?.last == Decimal(string: "190.25"))
        #expect(quote?.bid == Decimal(string: "190.09"))
        #expect(quote?.dayHigh == Decimal(string: "190.25"))
        #expect(quote?.dayLow == Decimal(string: "190.1"))
        #expect(quote?.volume == 200)
        #expect(published.withLock { $0.count } == 2)
        #expect(cache.eventCount == 4)
    }

    @Test("a provider's day summary replaces the day figures derived from prints and keeps last as it was")
    func daySummary() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "tradier")
        let now = clock.now()
        cache.receive([trade(aapl, "231.37", at: now), trade(aapl, "230.00", at: now.addingTimeInterval(1))])
        cache.receive([
            .summary(DaySummary(symbol: aapl, volume: 51_234_567, time: now.addingTimeInterval(1))),
            .summary(DaySummary(
                symbol: aapl, open: Decimal(string: "229.1")!, high: Decimal(string: "232.5")!, low: Decimal(string: "228.75")!,
                previousClose: 229, time: now.addingTimeInterval(2))),
        ])
        let quote = cache.quote(for: aapl)
        #expect(quote?.last == 230)
        #expect(quote?.volume == 51_234_567, "the day's cumulative volume, not the 200 shares seen")
        #expect(quote?.dayOpen == Decimal(string: "229.1"))
        #expect(quote?.dayHigh == Decimal(string: "232.5"))
        #expect(quote?.dayLow == Decimal(string: "228.75"))
        #expect(quote?.previousClose == 229)
        #expect(quote?.change == 1)
    }

    @Test("an older trade arriving late does not move the price back")
    func outOfOrder() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        let now = clock.now()
        cache.receive([trade(aapl, "101", at: now)])
        cache.receive([trade(aapl, "99", at: now.addingTimeInterval(-5))])
        #expect(cache.quote(for: aapl)?.last == 101)
    }

    @Test("a symbol with no data for longer than staleAfter is stale; never-seen symbols are stale")
    func staleness() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 10, provider: "test")
        cache.receive([trade(aapl, "100", at: clock.now())])
        #expect(cache.staleSymbols(among: [aapl, msft]) == [msft])
        clock.advance(seconds: 10)
        #expect(cache.staleSymbols(among: [aapl]).isEmpty, "exactly at the limit is still fresh")
        clock.advance(seconds: 0.5)
        #expect(cache.staleSymbols(among: [aapl]) == [aapl])
        #expect(cache.quotes(for: [aapl]).first?.stale == true)
    }

    @Test("snapshots fill previous close and the day range, so change and change percent exist")
    func snapshots() {
        let clock = ManualClock()
        let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 30, provider: "test")
        cache.apply([MarketSnapshot(symbol: aapl, last: 102, lastTime: clock.now(), dayHigh: 104, dayLow: 98, previousClose: 100, updated: clock.now())], source: "snapshot")
        let quote = cache.quote(for: aapl)
        #expect(quote?.change == 2)
        #expect(quote?.changePct == 2)
        #expect(quote?.dayLow == 98)
        #expect(quote?.source == "snapshot")
    }
}
