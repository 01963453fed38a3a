import Foundation
import TradingDomain

/// US equity sessions in New York time for the simulated market: the trading days, holidays and
/// 13:00 early closes of the domain's `MarketCalendar` (NYSE's published days and rules,
/// docs/sessions.md), with the regular session 09:30–16:00 (13:00 on an early close). Always uses
/// the `America/New_York` zone (so DST is handled by the zone rules), never the host's zone.
public struct TradingCalendar: Sendable {
    public static let sessionOpenMinute = 9 * 60 + 30
    public static let sessionCloseMinute = 16 * 60
    /// Minutes in a full regular session (390; 210 on an early close).
    public static let sessionMinutes = sessionCloseMinute - sessionOpenMinute

    public static let newYork = TradingCalendar()

    private let calendar: Calendar
    private let market: MarketCalendar

    /// - Parameter market: the calendar to follow (a provider's days in its `overrides`).
    public init(market: MarketCalendar = MarketCalendar()) {
        var calendar = Calendar(identifier: .gregorian)
        // The zone database always has America/New_York; fall back to fixed EST only if it is missing.
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600)!
        self.calendar = calendar
        self.market = market
    }

    /// The New York calendar date that `date` falls on.
    public func day(of date: Date) -> TradingDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return TradingDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The market's day (status, hours, holiday name).
    public func marketDay(_ day: TradingDay) -> MarketDay {
        let (year, month, date) = day.civil
        return market.day(year: year, month: month, day: date)
    }

    private func status(_ day: TradingDay) -> MarketDay.Status {
        if market.overrides.isEmpty, let known = BuiltInDays.status(day) { return known }
        return marketDay(day).status
    }

    public func isTradingDay(_ day: TradingDay) -> Bool { status(day) != .closed }

    /// The regular close in minutes after midnight: 16:00, or 13:00 on an early close.
    public func closeMinute(_ day: TradingDay) -> Int {
        switch status(day) {
        case .earlyClose: marketDay(day).closeMinute ?? 13 * 60
        case .open where !market.overrides.isEmpty: marketDay(day).closeMinute ?? Self.sessionCloseMinute
        default: Self.sessionCloseMinute
        }
    }

    /// Minutes in the regular session of `day` (390, or 210 on an early close).
    public func sessionMinutes(_ day: TradingDay) -> Int { max(1, closeMinute(day) - Self.sessionOpenMinute) }

    /// The instant of `minuteOfDay` (minutes after local midnight) in New York on `day`.
    public func time(_ day: TradingDay, minuteOfDay: Int) -> Date {
        let (year, month, date) = day.civil
        let parts = DateComponents(
            year: year, month: month, day: date, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
        // Every New York date has 00:00, 09:30 and 16:00 (DST changes at 02:00).
        return calendar.date(from: parts) ?? Date(timeIntervalSince1970: Double(day.number) * 86_400)
    }

    /// 00:00 New York time: the start of that day's daily bar.
    public func startOfDay(_ day: TradingDay) -> Date { time(day, minuteOfDay: 0) }
    /// 09:30 New York time.
    public func sessionOpen(_ day: TradingDay) -> Date { time(day, minuteOfDay: Self.sessionOpenMinute) }
    /// 16:00 New York time, 13:00 on an early close.
    public func sessionClose(_ day: TradingDay) -> Date { time(day, minuteOfDay: closeMinute(day)) }

    /// The latest trading day on or before `day`.
    public func tradingDay(onOrBefore day: TradingDay) -> TradingDay {
        var candidate = day
        while !isTradingDay(candidate) { candidate = candidate.adding(days: -1) }
        return candidate
    }

    /// The trading day before `day`.
    public func previousTradingDay(before day: TradingDay) -> TradingDay {
        tradingDay(onOrBefore: day.adding(days: -1))
    }

    /// The `count` most recent trading days on or before `day`, oldest first.
    public func tradingDays(endingOnOrBefore day: TradingDay, count: Int) -> [TradingDay] {
        guard count > 0 else { return [] }
        var days: [TradingDay] = []
        days.reserveCapacity(count)
        var candidate = tradingDay(onOrBefore: day)
        while days.count < count {
            days.append(candidate)
            candidate = previousTradingDay(before: candidate)
        }
        return days.reversed()
    }

    /// The latest session that has opened at or before `time` (today's if it is a trading day and
    /// 09:30 has passed, otherwise the previous one).
    public func latestSession(at time: Date) -> TradingDay {
        let today = day(of: time)
        if isTradingDay(today), time >= sessionOpen(today) { return today }
        return previousTradingDay(before: today)
    }
}

/// The built-in calendar's day statuses from 2000 to 2100, computed once: the daily path walks
/// every day since 2000 for each symbol, and a table lookup keeps that cheap.
enum BuiltInDays {
    static let first = TradingDay(year: 2000, month: 1, day: 1)
    static let last = TradingDay(year: 2100, month: 12, day: 31)
    static let table: [MarketDay.Status] = {
        let calendar = MarketCalendar()
        return (first.number...last.number).map { number in
            let (year, month, day) = TradingDay(number: number).civil
            return calendar.day(year: year, month: month, day: day).status
        }
    }()

    static func status(_ day: TradingDay) -> MarketDay.Status? {
        guard day.number >= first.number, day.number <= last.number else { return nil }
        return table[Int(day.number - first.number)]
    }
}
