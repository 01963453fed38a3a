import Foundation
import Logging
import Synchronization
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// A provider whose answers the test scripts: days, or a failure.
final class ScriptedCalendarProvider: MarketCalendarProvider, Sendable {
    let name = "scripted"
    let answers = Mutex<[Result<[MarketDay], any Error>]>([])
    let calls = Mutex(0)

    struct Down: Error, CustomStringConvertible {
        var description: String { "provider down (HTTP 502)" }
    }

    func enqueue(_ answer: Result<[MarketDay], any Error>) { answers.withLock { $0.append(answer) } }

    func calendarDays(from now: Date) async throws -> [MarketDay] {
        calls.withLock { $0 += 1 }
        let next = answers.withLock { $0.isEmpty ? .success([]) : $0.removeFirst() }
        return try next.get()
    }
}

/// New York wall time.
func newYork(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Yields (no real time) until `condition` holds, or gives up.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<100_000 where !condition() { await Task.yield() }
    return condition()
}

@Suite("Market calendar service")
struct MarketCalendarServiceTests {
    @Test("the provider's days are used from the first refresh at start; built-in names stay where it agrees, weekends are left alone")
    func refreshAtStart() async throws {
        let clock = ManualClock(newYork("2026-11-20", 12))
        let provider = ScriptedCalendarProvider()
        provider.enqueue(.success([
            .reported("2026-12-02", openMinute: nil, closeMinute: nil, name: "National Day of Mourning"),
            .reported("2026-11-27", openMinute: 570, closeMinute: 780, name: "Thanksgiving"),
            .reported("2026-11-28", openMinute: 570, closeMinute: 960, name: nil),  // a Saturday: ignored
            .reported("2026-12-03", openMinute: nil, closeMinute: nil, name: nil),
        ]))
        let service = MarketCalendarService(provider: provider, clock: clock, logger: quietLogger)
        #expect(service.calendar().session(at: newYork("2026-12-02", 10)) == .regular, "built in before the refresh")
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        let calendar = service.calendar()
        #expect(calendar.session(at: newYork("2026-12-02", 10)) == .closed)
        #expect(calendar.day("2026-12-02")?.holiday == "National Day of Mourning")
        #expect(calendar.day("2026-12-03")?.holiday == "Market closed", "a closure without a name gets a plain one")
        #expect(calendar.day("2026-11-27")?.holiday == "Day after Thanksgiving", "the built-in name where the provider agrees")
        #expect(calendar.day("2026-11-28")?.status == .closed, "a provider never opens a weekend")
        #expect(calendar.status(at: newYork("2026-12-01", 17)).nextOpen == newYork("2026-12-04", 9, 30))
        let diagnostics = service.diagnostics
        #expect(diagnostics.provider == "scripted" && diagnostics.refreshes == 1 && diagnostics.lastError == nil)
        #expect(diagnostics.providerDays == 3)
        #expect(diagnostics.lastSuccessAt == newYork("2026-11-20", 12))
    }

    @Test("a failed refresh keeps the built-in calendar, shows the error, and is retried an hour later")
    func failureKeepsBuiltIn() async throws {
        let clock = ManualClock(newYork("2026-11-20", 12))
        let provider = ScriptedCalendarProvider()
        provider.enqueue(.failure(ScriptedCalendarProvider.Down()))
        provider.enqueue(.success([.reported("2026-12-02", openMinute: nil, closeMinute: nil, name: "Storm")]))
        let service = MarketCalendarService(provider: provider, clock: clock, logger: quietLogger)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        #expect(service.diagnostics.lastError == "provider down (HTTP 502)")
        #expect(service.diagnostics.failures == 1 && service.diagnostics.lastSuccessAt == nil)
        #expect(service.calendar().day("2026-11-26")?.status == .closed, "NYSE's own days still apply")
        #expect(service.calendar().session(at: newYork("2026-12-02", 10)) == .regular)
        clock.advance(by: 3_601)
        await clock.waitForSleepers()
        #expect(await eventually { provider.calls.withLock { $0 } == 2 })
        #expect(service.calendar().session(at: newYork("2026-12-02", 10)) == .closed)
        #expect(service.diagnostics.lastError == nil)
    }

    @Test("after a good refresh the provider is asked again a day later, not every hour")
    func dailyRefresh() async throws {
        let clock = ManualClock(newYork("2026-11-20", 12))
        let provider = ScriptedCalendarProvider()
        let service = MarketCalendarService(provider: provider, clock: clock, logger: quietLogger)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        #expect(provider.calls.withLock { $0 } == 1)
        for _ in 0..<23 {
            clock.advance(by: 3_600)
            await clock.waitForSleepers()
        }
        #expect(provider.calls.withLock { $0 } == 1, "23 hours later: not yet")
        clock.advance(by: 3_600)
        await clock.waitForSleepers()
        #expect(await eventually { provider.calls.withLock { $0 } == 2 }, "24 hours later")
    }

    @Test("without a provider the built-in calendar is used and nothing is fetched")
    func noProvider() async throws {
        let clock = ManualClock(newYork("2026-11-20", 12))
        let service = MarketCalendarService(provider: nil, clock: clock, logger: quietLogger)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        #expect(await service.refresh() == false)
        #expect(service.diagnostics.provider == nil && service.diagnostics.lastAttemptAt == nil)
        #expect(service.calendar().day("2026-11-27")?.status == .earlyClose)
    }
}

@Suite("Market session announcer")
struct MarketSessionAnnouncerTests {
    /// The session events published, as "session at New York time".
    final class Sessions: Sendable {
        let seen = Mutex<[String]>([])
        let notices = Mutex<[StatusNotice]>([])
        init(bus: EventBus, clock: ManualClock) {
            _ = bus.subscribe { [self] event in
                guard case .status(let notice) = event, notice.kind == "session", let market = notice.market else { return }
                seen.withLock { $0.append("\(MarketTime.weekdayDay(clock.now())) \(MarketTime.clock(clock.now())) \(market.session.rawValue)") }
                notices.withLock { $0.append(notice) }
            }
        }
        var list: [String] { seen.withLock { $0 } }
    }

    @Test("a status event at every session change through an early close and the weekend, on the manual clock")
    func announcesChanges() async throws {
        let clock = ManualClock(newYork("2026-11-27", 3, 0).addingTimeInterval(30))
        let bus = EventBus()
        let sessions = Sessions(bus: bus, clock: clock)
        let announcer = MarketSessionAnnouncer(calendar: FixedMarketCalendar(), bus: bus, clock: clock, logger: quietLogger)
        let running = Task { try await announcer.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        #expect(sessions.list.isEmpty, "nothing changes before 04:00")
        // Step through the day and the weekend half an hour at a time, half a minute past each
        // boundary (they all fall on a half hour): events only in the minute of a boundary.
        for _ in 0..<(4 * 48) {
            clock.advance(by: 1_800)
            await clock.waitForSleepers()
        }
        #expect(sessions.list == [
            "Fri 2026-11-27 04:00 pre", "Fri 2026-11-27 09:30 regular", "Fri 2026-11-27 13:00 post", "Fri 2026-11-27 17:00 closed",
            "Mon 2026-11-30 04:00 pre", "Mon 2026-11-30 09:30 regular", "Mon 2026-11-30 16:00 post", "Mon 2026-11-30 20:00 closed",
        ])
        let closed = try #require(sessions.notices.withLock { $0 }.first { $0.market?.session == .closed })
        #expect(closed.market?.nextOpen == newYork("2026-11-30", 9, 30))
        #expect(closed.message == "The market is closed; it opens Mon 2026-11-30 at 09:30 ET.")
        let early = try #require(sessions.notices.withLock { $0 }.first { $0.market?.session == .regular })
        #expect(early.market?.earlyClose == true && early.market?.nextClose == newYork("2026-11-27", 13))
    }

    @Test("the boundary itself: nothing at 09:29:59, the regular session right after 09:30")
    func exactBoundary() async throws {
        let clock = ManualClock(newYork("2026-12-02", 9, 29))
        let bus = EventBus()
        let sessions = Sessions(bus: bus, clock: clock)
        let announcer = MarketSessionAnnouncer(calendar: FixedMarketCalendar(), bus: bus, clock: clock, logger: quietLogger)
        let running = Task { try await announcer.run() }
        defer { running.cancel() }
        await clock.waitForSleepers()
        clock.advance(by: 59)
        await clock.waitForSleepers()
        #expect(sessions.list.isEmpty)
        clock.advance(by: 1.5)
        #expect(await eventually { sessions.list.count == 1 })
        #expect(sessions.list.first?.hasSuffix("regular") == true)
    }
}
