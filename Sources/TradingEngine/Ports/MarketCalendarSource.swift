import Foundation
import TradingDomain

/// Where engines read the market calendar from. The calendar service (refreshed from the data
/// provider when one is connected) conforms; tests pass a `FixedMarketCalendar`.
public protocol MarketCalendarSource: Sendable {
    /// The calendar as currently known (NYSE's published days, rules, then the provider's days).
    func calendar() -> MarketCalendar
}

extension MarketCalendarSource {
    /// The session at `instant`.
    public func session(at instant: Date) -> MarketSession { calendar().session(at: instant) }
}

/// A calendar that never changes: the built-in NYSE days by default.
public struct FixedMarketCalendar: MarketCalendarSource {
    public let value: MarketCalendar

    public init(_ value: MarketCalendar = MarketCalendar()) {
        self.value = value
    }

    public func calendar() -> MarketCalendar { value }
}

extension MarketCalendarSource {
    /// Where the market stands at `instant`.
    public func status(at instant: Date) -> MarketStatus { calendar().status(at: instant) }
}

/// A data provider's own calendar (Polygon's upcoming holidays, Tradier's monthly calendar), read
/// by the calendar service; its days become `MarketCalendar.overrides`.
public protocol MarketCalendarProvider: Sendable {
    /// `polygon`, `tradier`.
    var name: String { get }
    /// The days the provider reports from around `now` on: holidays and early closes (and open days
    /// too when it lists them), each built with `MarketDay.reported`.
    func calendarDays(from now: Date) async throws -> [MarketDay]
}
