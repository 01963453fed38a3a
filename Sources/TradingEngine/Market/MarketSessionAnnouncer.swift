import Foundation
import Logging
import ServiceLifecycle
import TradingDomain

/// Publishes a `status` event (kind `session`) each time the market session changes: it sleeps on
/// the injected clock until the calendar's next boundary (04:00, 09:30, 16:00 or 13:00, 20:00 or
/// 17:00 New York time), then announces the new session (docs/sessions.md, docs/api.md).
public final class MarketSessionAnnouncer: Service, Sendable {
    let calendar: any MarketCalendarSource
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    /// Longest single sleep: the calendar may change under it (a provider refresh).
    static let maxSleep: TimeInterval = 3_600

    public init(calendar: any MarketCalendarSource, bus: EventBus, clock: any WallClock, logger: Logger) {
        self.calendar = calendar
        self.bus = bus
        self.clock = clock
        self.logger = logger
    }

    /// The `status` notice for the market at `instant`.
    public static func notice(_ status: MarketStatus) -> StatusNotice {
        StatusNotice(kind: "session", message: status.summary, market: status)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.announce() }
    }

    func announce() async {
        var last = calendar.session(at: clock.now())
        while !Task.isCancelled {
            let now = clock.now()
            let wait = calendar.calendar().nextSessionChange(after: now).map { $0.at.timeIntervalSince(now) } ?? Self.maxSleep
            let seconds = min(max(wait, 0.001), Self.maxSleep)
            do {
                try await clock.sleep(for: .nanoseconds(Int64((seconds * 1e9).rounded(.up))))
            } catch {
                return
            }
            let status = calendar.status(at: clock.now())
            guard status.session != last else { continue }
            last = status.session
            logger.info("market session", metadata: ["session": .string(status.session.rawValue), "message": .string(status.summary)])
            bus.publish(.status(Self.notice(status)))
        }
    }
}
