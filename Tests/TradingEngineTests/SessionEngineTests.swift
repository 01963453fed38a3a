import Foundation
import Logging
import Synchronization
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

// `newYork(_:_:_:)` (New York wall time → an instant) is in MarketCalendarServiceTests.swift.

private let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

// Clocks at a Saturday (2026-11-28), Thanksgiving (2026-11-26), the early close (2026-11-27) and
// an ordinary Tuesday (2026-12-01) at 03:59, 04:00, 09:30, 16:00 and 20:00.

@Suite("Sessions: the order desk's preview")
struct SessionDeskTests {
    func desk(at start: Date) async -> DeskHarness {
        let h = DeskHarness(clock: ManualClock(start))
        await h.ready()
        return h
    }

    func check(_ result: OrderPreviewResult, _ name: String) -> PreTradeCheck? { result.checks.first { $0.name == name } }

    func failedChecks(_ h: DeskHarness, _ ticket: OrderTicket) async -> [PreTradeCheck] {
        do {
            _ = try await h.desk.preview(ticket)
            return []
        } catch OrderDeskError.checksFailed(let checks) {
            return checks.filter { $0.outcome == .fail }
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test("Saturday and Thanksgiving: a market order previews with a session warning naming the next open; an hour-old price is not stale")
    func closedMarket() async throws {
        for (start, open) in [(newYork("2026-11-28", 12), "Mon 2026-11-30 09:30"), (newYork("2026-11-26", 10), "Fri 2026-11-27 09:30")] {
            let h = await desk(at: start)
            h.clock.advance(by: 3_600)
            let result = try await h.desk.preview(DeskHarness.ticket(type: .market))
            #expect(check(result, "session")?.outcome == .warn)
            #expect(check(result, "session")?.detail.contains(open) == true, "\(check(result, "session")?.detail ?? "")")
            #expect(check(result, "price")?.outcome == .pass, "outside the session the last price is expected, not stale")
        }
    }

    @Test("12:59 on the early close passes; 13:01 warns that a day order waits for Monday")
    func earlyClose() async throws {
        let h = await desk(at: newYork("2026-11-27", 12, 59))
        #expect(check(try await h.desk.preview(DeskHarness.ticket()), "session")?.outcome == .pass)
        h.clock.advance(by: 120)
        h.price("AAPL", 100)
        let after = try await h.desk.preview(DeskHarness.ticket())
        #expect(check(after, "session")?.outcome == .warn)
        #expect(check(after, "session")?.detail.contains("Mon 2026-11-30 09:30") == true)
    }

    @Test("an ordinary day: a stale quote blocks a market order at 09:30 but only warns at 16:00 and for a limit; pre refused at 09:30, passes at 04:00")
    func ordinaryDay() async throws {
        let h = await desk(at: newYork("2026-12-01", 9, 30))
        h.clock.advance(by: 31)
        let failed = await failedChecks(h, DeskHarness.ticket(type: .market))
        #expect(failed.map(\.name) == ["price"])
        #expect(failed.first?.detail.contains("stale") == true)
        let limit = try await h.desk.preview(DeskHarness.ticket())
        #expect(check(limit, "price")?.outcome == .warn)
        var pre = DeskHarness.ticket()
        pre.request.duration = .pre
        #expect(await failedChecks(h, pre).map(\.name).contains("session"))

        let evening = await desk(at: newYork("2026-12-01", 16))
        evening.clock.advance(by: 31)
        let marketAfterClose = try await evening.desk.preview(DeskHarness.ticket(type: .market))
        #expect(check(marketAfterClose, "price")?.outcome == .warn, "after-hours: stale warns, the order waits for the open")
        #expect(check(marketAfterClose, "session")?.outcome == .warn)

        let early = await desk(at: newYork("2026-12-01", 4))
        #expect(check(try await early.desk.preview(pre), "session")?.outcome == .pass)
        let beforePre = await desk(at: newYork("2026-12-01", 3, 59))
        #expect(check(try await beforePre.desk.preview(pre), "session")?.outcome == .warn)
        let night = await desk(at: newYork("2026-12-01", 20))
        let marketAtNight = try await night.desk.preview(DeskHarness.ticket(type: .market))
        #expect(check(marketAtNight, "session")?.detail.contains("Wed 2026-12-02 09:30") == true)
    }
}

@Suite("Sessions: staleness and readiness")
struct SessionReadinessTests {
    let aapl = Symbol(trusted: "AAPL")

    @Test("a quote is stale only while its symbol trades: not on Saturday or at 03:59, yes at 10:00 after the window; options only in the regular session")
    func quoteStaleness() {
        for (start, judged) in [(newYork("2026-11-28", 12), false), (newYork("2026-12-01", 3, 0), false), (newYork("2026-12-01", 10), true)] {
            let clock = ManualClock(start)
            let cache = QuoteCache(clock: clock, bus: EventBus(), staleAfter: 10, provider: "test")
            cache.receive([.trade(Trade(symbol: aapl, price: 100, size: 1, time: start))])
            clock.advance(by: 11)
            #expect(cache.quotes(for: [aapl]).first?.stale == judged, "\(start)")
            #expect(cache.staleSymbols(among: [aapl]) == (judged ? [aapl] : []))
        }
        let call = Symbol(trusted: "AAPL261218C00200000")
        let preMarket = ManualClock(newYork("2026-12-01", 5))
        let cache = QuoteCache(clock: preMarket, bus: EventBus(), staleAfter: 10, provider: "test")
        #expect(cache.staleSymbols(among: [aapl, call]) == [aapl], "options do not trade pre-market")
    }

    func service(_ clock: ManualClock) -> (MarketDataService, ScriptedFeed, EventBus) {
        let feed = ScriptedFeed()
        let bus = EventBus()
        let cache = QuoteCache(clock: clock, bus: bus, staleAfter: 10, provider: "scripted")
        let service = MarketDataService(
            feed: feed, snapshots: CountingSnapshots(clock: clock), cache: cache, bus: bus,
            watchlist: WatchlistService(repository: InMemoryWatchlist(["AAPL"])), clock: clock, logger: quiet,
            checkInterval: .milliseconds(10))
        return (service, feed, bus)
    }

    @Test("outside the regular session a connected, silent feed is quiet and ready; during it, silence makes it stale")
    func quietVersusStale() {
        let moments: [(Date, Bool)] = [
            (newYork("2026-11-28", 12), true), (newYork("2026-11-26", 10), true), (newYork("2026-12-01", 3, 59), true),
            (newYork("2026-12-01", 4), true), (newYork("2026-12-01", 16), true), (newYork("2026-12-01", 20), true),
            (newYork("2026-11-27", 13, 1), true), (newYork("2026-12-01", 10), false), (newYork("2026-11-27", 12, 59), false),
        ]
        for (moment, ready) in moments {
            let clock = ManualClock(moment.addingTimeInterval(-60))
            let (service, feed, _) = service(clock)
            feed.set(.connected, lastMessageAt: clock.now())
            clock.advance(by: 60)
            #expect(service.isFresh == ready, "\(moment)")
            #expect(service.isQuiet == ready, "\(moment)")
            #expect(!service.hasRecentData)
            feed.set(.reconnecting, lastMessageAt: clock.now())
            #expect(!service.isFresh, "a disconnected feed is never ready (\(moment))")
        }
    }

    @Test("at 09:30 silence is counted from the open: a feed quiet since 08:00 is stale only after the window")
    func openGrace() {
        let clock = ManualClock(newYork("2026-12-01", 8))
        let (service, feed, _) = service(clock)
        feed.set(.connected, lastMessageAt: clock.now())
        clock.advance(by: 90 * 60)
        #expect(service.isFresh)
        clock.advance(by: 10)
        #expect(service.isFresh, "exactly the window after the open")
        clock.advance(by: 1)
        #expect(!service.isFresh)
    }

    @Test("the monitor says feed_quiet, not feed_stale, when the feed falls silent on a Saturday")
    func quietNotice() async throws {
        let clock = ManualClock(newYork("2026-11-28", 12))
        let (service, feed, bus) = service(clock)
        let notices = Shared<[String]>([])
        bus.subscribe { event in if case .status(let notice) = event { notices.withLock { $0.append(notice.kind) } } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            feed.set(.connected, lastMessageAt: clock.now())
            try await waitUntil(ticking: clock) { notices.withLock { $0.contains("feed_live") } }
            clock.advance(seconds: 11)
            try await waitUntil(ticking: clock) { notices.withLock { $0.contains("feed_quiet") } }
            #expect(!notices.withLock { $0.contains("feed_stale") })
            #expect(service.staleSymbols.isEmpty)
            group.cancelAll()
        }
    }
}

@Suite("Sessions: alerts")
struct SessionAlertEngineTests {
    struct Harness {
        let clock: ManualClock
        let repository = InMemoryAlertRepository()
        let bus = EventBus()
        let cache: QuoteCache
        let engine: AlertEngine

        init(at start: Date) {
            clock = ManualClock(start)
            cache = QuoteCache(clock: clock, bus: bus, staleAfter: 30, provider: "test")
            engine = AlertEngine(repository: repository, bus: bus, clock: clock, logger: quiet, quotes: cache)
        }

        func rule(_ threshold: Decimal, sessions: AlertSessions = .extended) -> AlertRule {
            AlertRule(id: UUID(), symbol: Symbol(trusted: "AAPL"), type: .priceAbove, threshold: threshold, sessions: sessions,
                      createdAt: clock.now(), updatedAt: clock.now())
        }

        func trade(_ price: Decimal, at time: Date) -> MarketEvent {
            .trade(Trade(symbol: Symbol(trusted: "AAPL"), price: price, size: 100, time: time))
        }
    }

    @Test("a regular alert does not fire on a pre-market print; it fires on the first print of the session")
    func regularAlertPreMarket() async throws {
        let h = Harness(at: newYork("2026-12-01", 7))
        let regular = h.rule(200, sessions: .regular)
        let extended = h.rule(200)
        try await h.engine.create(regular, maxAlerts: 10)
        try await h.engine.create(extended, maxAlerts: 10)
        h.engine.receive([h.trade(201, at: h.clock.now())])
        await h.engine.commit()
        #expect(h.repository.stored.map(\.firing.alertID) == [extended.id])
        h.clock.advance(by: 2.5 * 3_600)
        h.engine.receive([h.trade(201, at: h.clock.now())])
        await h.engine.commit()
        #expect(h.repository.stored.map(\.firing.alertID) == [extended.id, regular.id])
    }

    @Test("an alert created on Sunday does not fire on Friday's last price, nor on Friday's snapshot at Monday 08:00")
    func noFiringOnFriday() async throws {
        let friday = newYork("2026-12-04", 15, 59)
        let h = Harness(at: friday)
        h.cache.receive([h.trade(205, at: friday)])
        h.clock.advance(by: newYork("2026-12-06", 12).timeIntervalSince(friday))
        let rule = h.rule(200)
        try await h.engine.create(rule, maxAlerts: 10)
        await h.engine.commit()
        #expect(h.repository.stored.isEmpty, "armed on Sunday: Friday's 205 is not a new print")
        h.clock.advance(by: newYork("2026-12-07", 8).timeIntervalSince(h.clock.now()))
        let snapshot = MarketSnapshot(symbol: Symbol(trusted: "AAPL"), last: 205, lastTime: friday, dayHigh: 206, dayLow: 190,
                                      previousClose: 199, updated: friday)
        await h.engine.receiveSnapshots([snapshot], source: "catch_up")
        await h.engine.commit()
        #expect(h.repository.stored.isEmpty, "catch-up on Friday's data fires nothing")
        h.engine.receive([h.trade(201, at: h.clock.now())])
        await h.engine.commit()
        #expect(h.repository.stored.map(\.firing.price) == [201], "the first new print fires it")
    }
}
