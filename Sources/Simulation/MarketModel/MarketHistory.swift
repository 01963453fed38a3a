import Foundation
import TradingDomain

/// How much history to generate for a symbol.
public struct HistoryConfiguration: Sendable, Hashable {
    /// Regular sessions of 1-minute bars (2…30: always at least yesterday and today).
    public var minuteSessions: Int
    /// Daily bars (about one year by default; at most 2,520).
    public var dailyBars: Int

    public init(minuteSessions: Int = 2, dailyBars: Int = 252) {
        self.minuteSessions = min(max(minuteSessions, 2), 30)
        self.dailyBars = min(max(dailyBars, 1), 2_520)
    }
}

/// Generated past of one symbol up to `end`: 1-minute bars of the last few regular sessions
/// (09:30–16:00 New York, 09:30–13:00 on an early close, only bars that have completed by `end`;
/// no bars on weekends and holidays), daily bars for about a year,
/// and the state the live `TickGenerator` continues from (its first price is the last bar's close).
/// Deterministic from (seed, symbol, end); a session's bars do not depend on `end` except for
/// being cut off at it.
public struct MarketHistory: Sendable {
    public let symbol: Symbol
    public let profile: SymbolProfile
    public let end: Date
    /// Oldest first; every bar lies in a regular session and ended at or before `end`.
    public let minuteBars: [Bar]
    /// Oldest first; each starts at 00:00 New York time of its date. When the latest session is
    /// in progress its bar covers the minutes so far.
    public let dailyBars: [Bar]

    let lastTicks: Int64
    let previousCloseTicks: Int64
    /// Open, high, low and volume of the New York date of `end`, when its session has started.
    let today: (open: Int64, high: Int64, low: Int64, volume: Int64)?

    /// Close of the last bar: where the live stream starts.
    public var lastPrice: Decimal { TickGrid.price(lastTicks) }
    /// When `lastPrice` was set: the end of the last minute bar.
    public var lastTime: Date? { minuteBars.last.map { $0.start.addingTimeInterval(60) } }
    /// Close of the session before the New York date of `end` (the base of "percent change today").
    public var previousClose: Decimal { TickGrid.price(previousCloseTicks) }

    public static func generate(
        symbol: Symbol, seed: SimulationSeed, end: Date,
        configuration: HistoryConfiguration = HistoryConfiguration(), calendar: TradingCalendar = .newYork
    ) -> MarketHistory {
        let profile = SymbolProfile.of(symbol)
        // The latest session with at least one completed minute bar.
        let latest = calendar.latestSession(at: end.addingTimeInterval(-60))
        let dayCount = max(configuration.dailyBars, configuration.minuteSessions)
        let path = DailyPath.generate(profile: profile, seed: seed, through: latest, count: dayCount, calendar: calendar)
        var days = path.days
        let closeBefore = path.closeBefore

        var minuteBars: [Bar] = []
        minuteBars.reserveCapacity(configuration.minuteSessions * TradingCalendar.sessionMinutes)
        for position in days.indices.suffix(configuration.minuteSessions) {
            let day = days[position]
            let open = calendar.sessionOpen(day.day)
            let minutes = IntradayPath.minutes(profile: profile, seed: seed, day: day, count: calendar.sessionMinutes(day.day))
            // Bars are whole minutes from 09:30 (no DST change happens inside a session).
            let complete = min(minutes.count, max(1, Int((end.timeIntervalSince(open) / 60).rounded(.down))))
            var high = Int64.min, low = Int64.max, volume: Int64 = 0
            for minute in minutes.prefix(complete) {
                high = max(high, minute.high)
                low = min(low, minute.low)
                volume += minute.volume
                minuteBars.append(Bar(
                    symbol: symbol, timespan: .minute, start: open.addingTimeInterval(Double(minute.index * 60)),
                    open: TickGrid.price(minute.open), high: TickGrid.price(minute.high),
                    low: TickGrid.price(minute.low), close: TickGrid.price(minute.close),
                    volume: TickGrid.quantity(minute.volume)))
            }
            // The daily bar is the sum of its minutes (so both views agree).
            days[position].high = high
            days[position].low = low
            days[position].volume = volume
            days[position].close = minutes[complete - 1].close
        }

        let kept = days.suffix(configuration.dailyBars)
        let dailyBars = kept.map { day in
            Bar(
                symbol: symbol, timespan: .day, start: calendar.startOfDay(day.day),
                open: TickGrid.price(day.open), high: TickGrid.price(day.high), low: TickGrid.price(day.low),
                close: TickGrid.price(day.close), volume: TickGrid.quantity(day.volume))
        }
        let last = days.last?.close ?? closeBefore
        let isToday = calendar.day(of: end) == latest
        let previousClose: Int64
        let today: (Int64, Int64, Int64, Int64)?
        if isToday, let current = days.last {
            previousClose = days.count >= 2 ? days[days.count - 2].close : closeBefore
            today = (current.open, current.high, current.low, current.volume)
        } else {
            previousClose = last
            today = nil
        }
        return MarketHistory(
            symbol: symbol, profile: profile, end: end, minuteBars: minuteBars, dailyBars: dailyBars,
            lastTicks: last, previousCloseTicks: previousClose, today: today)
    }
}
