import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TradingDomain

/// The market calendar engines read (`MarketCalendarSource`): NYSE's published days and rules
/// built in, plus the days the data provider reports when one is connected (docs/sessions.md,
/// "Provider refresh"). It asks the provider at start and then once a day; a failed attempt is
/// retried an hour later and, meanwhile, the days already known (built in, or the last good
/// answer) stay in use. Failures show in `diagnostics` (`GET /api/v1/diag/calendar`).
public final class MarketCalendarService: MarketCalendarSource, Service, Sendable {
    /// What the service knows about its own refreshes.
    public struct Diagnostics: Sendable, Hashable {
        /// `polygon`, `tradier`, or nil when only the built-in calendar is used.
        public var provider: String?
        public var lastAttemptAt: Date?
        public var lastSuccessAt: Date?
        /// The last failure, cleared by the next success.
        public var lastError: String?
        /// Days currently taken from the provider.
        public var providerDays: Int
        public var refreshes: Int
        public var failures: Int
    }

    let provider: (any MarketCalendarProvider)?
    let clock: any WallClock
    let logger: Logger
    /// How often a good calendar is fetched again.
    let refreshInterval: TimeInterval
    /// How soon a failed fetch is tried again (and how often the service looks at the time).
    let retryInterval: Duration
    /// The calendar without provider days: names of provider holidays that come without one.
    private let builtIn = MarketCalendar()
    private let state: Mutex<(calendar: MarketCalendar, diagnostics: Diagnostics)>

    public init(
        provider: (any MarketCalendarProvider)?, clock: any WallClock, logger: Logger,
        refreshInterval: Duration = .seconds(86_400), retryInterval: Duration = .seconds(3_600)
    ) {
        self.provider = provider
        self.clock = clock
        self.logger = logger
        self.refreshInterval = refreshInterval.seconds
        self.retryInterval = retryInterval
        state = Mutex((MarketCalendar(), Diagnostics(provider: provider?.name, providerDays: 0, refreshes: 0, failures: 0)))
    }

    public func calendar() -> MarketCalendar { state.withLock { $0.calendar } }

    public var diagnostics: Diagnostics { state.withLock { $0.diagnostics } }

    public func run() async throws {
        // Without a provider each pass does nothing: the built-in calendar is all there is.
        await cancelWhenGracefulShutdown {
            await repeatEvery(self.retryInterval, clock: self.clock, immediately: true) { await self.refreshIfDue() }
        }
    }

    /// Refreshes when there has been no good answer yet or the last one is a day old.
    func refreshIfDue() async {
        guard provider != nil else { return }
        let last = state.withLock { $0.diagnostics.lastSuccessAt }
        if let last, clock.now().timeIntervalSince(last) < refreshInterval { return }
        await refresh()
    }

    /// Asks the provider now. On success its days replace what it said before about the same
    /// dates; on failure nothing changes but the diagnostics.
    @discardableResult
    public func refresh() async -> Bool {
        guard let provider else { return false }
        let now = clock.now()
        state.withLock { $0.diagnostics.lastAttemptAt = now }
        do {
            let days = try await provider.calendarDays(from: now)
            let count = state.withLock { state -> Int in
                for day in days {
                    guard let accepted = accept(day) else { continue }
                    state.calendar.overrides[accepted.date] = accepted
                }
                // Days long past no longer matter; keep the table small.
                let horizon = MarketTime.day(of: now.addingTimeInterval(-400 * 86_400))
                state.calendar.overrides = state.calendar.overrides.filter { $0.key >= horizon }
                state.diagnostics.lastSuccessAt = now
                state.diagnostics.lastError = nil
                state.diagnostics.refreshes += 1
                state.diagnostics.providerDays = state.calendar.overrides.count
                return state.calendar.overrides.count
            }
            logger.info("market calendar refreshed", metadata: ["provider": .string(provider.name), "days": .stringConvertible(count)])
            return true
        } catch {
            state.withLock {
                $0.diagnostics.lastError = "\(error)"
                $0.diagnostics.failures += 1
            }
            logger.warning("market calendar refresh failed; keeping the calendar already known", metadata: [
                "provider": .string(provider.name), "error": .string("\(error)"),
            ])
            return false
        }
    }

    /// A provider day as an override. Weekends are left alone (a provider never opens one). When the
    /// provider agrees with the built-in calendar the built-in name is kept (Polygon calls both
    /// Thanksgiving and the early close after it "Thanksgiving"); a day it disagrees on keeps the
    /// provider's name, or gets a plain one.
    func accept(_ day: MarketDay) -> MarketDay? {
        // Built-in days are closed without a name only on weekends.
        guard let known = builtIn.day(day.date), known.status != .closed || known.holiday != nil else { return nil }
        var day = day
        if day.status == known.status, known.holiday != nil {
            day.holiday = known.holiday
        } else if day.status != .open, day.holiday?.isEmpty ?? true {
            day.holiday = day.status == .closed ? "Market closed" : "Early close"
        }
        return day
    }
}
