import Foundation
import TradingDomain
import TradingEngine

/// A test's market time: real time that started at a chosen New York moment, so whole-server tests
/// do not depend on when they run (orders, previews, readiness and alerts follow the market
/// session). In-process apps take `clock`; processes take `TA_TEST_NOW` = `iso` at each start, so a
/// restarted process carries on where the last one was rather than starting over.
public struct TestMarketTime: Sendable {
    /// Tuesday 2026-12-01 10:00 New York: the regular session of an ordinary day.
    public static let regularSession = Date(timeIntervalSince1970: 1_796_137_200)
    /// Saturday 2026-11-28 12:00 New York: the market is closed.
    public static let saturday = Date(timeIntervalSince1970: 1_795_885_200)

    public let start: Date
    let realStart = Date()

    public init(start: Date = TestMarketTime.regularSession) {
        self.start = start
    }

    /// The test's time now: `start` plus the real time elapsed since this value was made.
    public var now: Date { start.addingTimeInterval(Date().timeIntervalSince(realStart)) }

    /// `now` as ISO-8601, for `TA_TEST_NOW`.
    public var iso: String { ISO8601.format(now) }

    /// A clock for an in-process app that reads `now`.
    public var clock: ShiftedWallClock { ShiftedWallClock(startingAt: now) }
}
