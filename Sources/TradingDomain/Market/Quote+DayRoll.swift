import Foundation

/// The trading day a market event belongs to, from the end of the previous trading day's
/// after-hours to the end of this one's, with its regular session. A quote rolls to a new day at
/// the first event past `end` (docs/sessions.md, "Previous close and the daily roll"). Kept by
/// the quote cache and recomputed only when an event falls outside it, so the check per event is
/// two comparisons.
public struct TradingDayWindow: Sendable, Hashable {
    /// `yyyy-MM-dd`, New York (`MarketCalendar.tradingDay(at:)`).
    public var date: String
    public var start: Date
    public var end: Date
    /// The regular session; nil on a day with none.
    public var regularOpen: Date?
    public var regularClose: Date?

    public init(date: String, start: Date, end: Date, regularOpen: Date?, regularClose: Date?) {
        self.date = date
        self.start = start
        self.end = end
        self.regularOpen = regularOpen
        self.regularClose = regularClose
    }

    public func contains(_ instant: Date) -> Bool { instant >= start && instant < end }

    /// Whether a price at `instant` belongs to the regular session: from the open to the close,
    /// both inclusive (the closing cross prints at the close; a minute bar ends at it).
    public func isRegular(_ instant: Date) -> Bool {
        guard let open = regularOpen, let close = regularClose else { return false }
        return instant >= open && instant <= close
    }

    /// The window of the trading day `instant` counts towards.
    public static func containing(_ instant: Date, in calendar: MarketCalendar) -> TradingDayWindow {
        let date = calendar.tradingDay(at: instant)
        let day = calendar.day(date) ?? calendar.day(containing: instant)
        let end = calendar.postClose(of: day) ?? instant.addingTimeInterval(24 * 3600)
        let start = calendar.previousTradingDay(before: day.date).flatMap { calendar.postClose(of: $0) }
            ?? end.addingTimeInterval(-24 * 3600)
        return TradingDayWindow(
            date: day.date, start: min(start, instant), end: max(end, instant.addingTimeInterval(1)),
            regularOpen: calendar.open(of: day), regularClose: calendar.close(of: day))
    }
}

extension Quote {
    /// Folds one stream event in on its trading day (`window` contains the event's time): rolls
    /// to a newer day first, then applies the event, then keeps the day's regular close.
    public mutating func apply(_ event: MarketEvent, receivedAt: Date, source: String, day window: TradingDayWindow) {
        roll(to: window)
        let before = (last, asOf)
        apply(event, receivedAt: receivedAt, source: source)
        switch event {
        case .trade, .bar:
            // Only a price that became `last` (not an older print arriving late).
            if window.date == tradingDay, window.isRegular(event.time), last != before.0 || asOf != before.1 {
                regularClose = last
            }
        case .quote, .summary:
            break
        }
    }

    /// Takes a REST snapshot on its trading day (`window` contains its time): the provider's
    /// previous close and day figures then replace ours.
    public mutating func apply(_ snapshot: MarketSnapshot, receivedAt: Date, source: String, day window: TradingDayWindow) {
        roll(to: window)
        apply(snapshot, receivedAt: receivedAt, source: source)
        if window.date == tradingDay, let time = snapshot.lastTime, window.isRegular(time), last == snapshot.last {
            regularClose = last
        }
    }

    /// Moves the quote to `window`'s trading day when it is newer. On a real change of day the
    /// last regular-session price seen becomes the previous close (a broker's "change" is
    /// measured from it) and the day's open, range and volume start again. When no regular price
    /// of the old day was seen (the server started after the close) the previous close is unknown
    /// until the provider says it, rather than a day old.
    public mutating func roll(to window: TradingDayWindow) {
        guard let current = tradingDay else {
            tradingDay = window.date
            return
        }
        guard window.date > current else { return }
        previousClose = regularClose
        dayOpen = nil
        dayHigh = nil
        dayLow = nil
        volume = nil
        regularClose = nil
        tradingDay = window.date
    }
}
