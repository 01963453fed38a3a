import Foundation
import Logging
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// The quote cache rolls each symbol to a new trading day at its first event of that day: the
/// last regular-session price becomes the previous close (docs/sessions.md).
@Suite("Quote day roll")
struct QuoteDayRollTests {
    let aapl = Symbol(trusted: "AAPL")

    func trade(_ price: Decimal, at time: Date, size: Decimal = 100) -> MarketEvent {
        .trade(Trade(symbol: aapl, price: price, size: size, time: time))
    }

    func cache(at time: Date) -> QuoteCache {
        QuoteCache(clock: ManualClock(time), bus: EventBus(), staleAfter: 30, provider: "test")
    }

    @Test("Friday's last regular print becomes Monday's previous close; the after-hours print does not; the day's figures start again")
    func fridayToMonday() {
        let cache = cache(at: newYork("2026-12-04", 15))
        cache.receive([trade(199, at: newYork("2026-12-04", 9, 45)), trade(200, at: newYork("2026-12-04", 15, 59))])
        cache.receive([trade(201, at: newYork("2026-12-04", 16, 30))])
        #expect(cache.quote(for: aapl)?.last == 201)
        #expect(cache.quote(for: aapl)?.volume == 300)

        cache.receive([trade(202, at: newYork("2026-12-07", 4, 5), size: 10)])
        let monday = cache.quote(for: aapl)
        #expect(monday?.tradingDay == "2026-12-07")
        #expect(monday?.previousClose == 200)
        #expect(monday?.change == 2)
        #expect(monday?.dayHigh == 202 && monday?.dayLow == 202 && monday?.dayOpen == 202)
        #expect(monday?.volume == 10)
    }

    @Test("an early close ends the regular session at 13:00: the 12:59 print is the close, the 13:30 print is after hours")
    func earlyClose() {
        let cache = cache(at: newYork("2026-11-27", 12))
        cache.receive([trade(105, at: newYork("2026-11-27", 12, 59)), trade(106, at: newYork("2026-11-27", 13, 30))])
        cache.receive([trade(107, at: newYork("2026-11-30", 9, 31))])
        #expect(cache.quote(for: aapl)?.previousClose == 105)
    }

    @Test("a print from the day before arriving late neither rolls the quote back nor moves the previous close")
    func latePrintFromYesterday() {
        let cache = cache(at: newYork("2026-12-02", 10))
        cache.receive([trade(100, at: newYork("2026-12-01", 15, 59))])
        cache.receive([trade(103, at: newYork("2026-12-02", 9, 35))])
        cache.receive([trade(99, at: newYork("2026-12-01", 15, 59).addingTimeInterval(30))])
        let quote = cache.quote(for: aapl)
        #expect(quote?.tradingDay == "2026-12-02")
        #expect(quote?.previousClose == 100)
        #expect(quote?.last == 103)
    }

    @Test("with no regular print of the old day seen, the previous close is unknown rather than a day old")
    func unknownWithoutRegularPrint() {
        let cache = cache(at: newYork("2026-12-04", 18))
        cache.apply([MarketSnapshot(
            symbol: aapl, last: 201, lastTime: newYork("2026-12-04", 17, 59), previousClose: 195, updated: newYork("2026-12-04", 18))],
            source: "snapshot")
        #expect(cache.quote(for: aapl)?.previousClose == 195, "the provider's figure while the day lasts")
        cache.receive([trade(202, at: newYork("2026-12-07", 4, 1))])
        #expect(cache.quote(for: aapl)?.previousClose == nil)
        // The provider's snapshot of the new day says it.
        cache.apply([MarketSnapshot(
            symbol: aapl, last: 202, lastTime: newYork("2026-12-07", 4, 1), previousClose: 200, updated: newYork("2026-12-07", 4, 2))],
            source: "day_roll")
        #expect(cache.quote(for: aapl)?.previousClose == 200)
    }

    @Test("the market-data service refreshes every watched symbol from one snapshot once a new trading day's first session begins")
    func serviceRefreshesOnNewDay() async throws {
        let clock = ManualClock(newYork("2026-12-04", 19))
        let snapshots = CountingSnapshots(clock: clock)
        let bus = EventBus()
        let service = MarketDataService(
            feed: ScriptedFeed(), snapshots: snapshots, cache: QuoteCache(clock: clock, bus: bus, staleAfter: 10, provider: "scripted"),
            bus: bus, watchlist: WatchlistService(repository: InMemoryWatchlist(["AAPL", "MSFT"])), clock: clock,
            logger: quietLogger, checkInterval: .milliseconds(10))
        await service.subscribe(to: [aapl, Symbol(trusted: "MSFT")])
        #expect(snapshots.lock.withLock { snapshots.calls.count } == 1, "the start-up fill")
        service.monitor.withLock { $0.filledDay = "2026-12-04" }

        clock.advance(to: newYork("2026-12-05", 12))
        await service.check()
        #expect(service.dayRollCount == 0, "Saturday: no session, nothing to refresh")
        clock.advance(to: newYork("2026-12-07", 3, 59))
        await service.check()
        #expect(service.dayRollCount == 0, "Monday before the pre-market")
        clock.advance(to: newYork("2026-12-07", 4, 0))
        await service.check()
        #expect(service.dayRollCount == 1)
        #expect(snapshots.lock.withLock { snapshots.calls.last }?.count == 2, "one call for both symbols")
        await service.check()
        #expect(service.dayRollCount == 1, "once per day")
    }
}

extension ManualClock {
    func advance(to instant: Date) { advance(by: instant.timeIntervalSince(now())) }
}
