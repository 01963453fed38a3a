import Foundation

/// The part of the trading day a moment falls in (New York time, docs/sessions.md).
public enum MarketSession: String, Sendable, Hashable, Codable, CaseIterable {
    /// 04:00–09:30 on a trading day.
    case pre
    /// 09:30–16:00 (13:00 on an early close).
    case regular
    /// 16:00–20:00 (13:00–17:00 on an early close).
    case post
    /// Overnight, weekends and holidays.
    case closed

    /// Trading happens (thinly outside `regular`).
    public var isTrading: Bool { self != .closed }
}

/// One calendar day of the US equity market, times as minutes after New York midnight.
public struct MarketDay: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case closed
        case earlyClose = "early_close"
    }

    /// `yyyy-MM-dd`, New York.
    public var date: String
    public var status: Status
    /// The holiday's name on a full holiday, or the reason of an early close.
    public var holiday: String?
    /// Minutes after midnight; nil on a closed day.
    public var preOpenMinute: Int?
    public var openMinute: Int?
    public var closeMinute: Int?
    public var postCloseMinute: Int?

    public init(date: String, status: Status, holiday: String? = nil,
                preOpenMinute: Int? = nil, openMinute: Int? = nil, closeMinute: Int? = nil, postCloseMinute: Int? = nil) {
        self.date = date
        self.status = status
        self.holiday = holiday
        self.preOpenMinute = preOpenMinute
        self.openMinute = openMinute
        self.closeMinute = closeMinute
        self.postCloseMinute = postCloseMinute
    }

    /// The regular hours of a full day: pre 04:00, open 09:30, close 16:00, post until 20:00.
    public static func regular(_ date: String) -> MarketDay {
        MarketDay(date: date, status: .open, preOpenMinute: 4 * 60, openMinute: 9 * 60 + 30,
                  closeMinute: 16 * 60, postCloseMinute: 20 * 60)
    }

    /// An early close: the regular session ends at 13:00 and the late session at 17:00 (NYSE's
    /// notices: "late trading sessions will close at 5:00 p.m.").
    public static func earlyClose(_ date: String, reason: String) -> MarketDay {
        MarketDay(date: date, status: .earlyClose, holiday: reason, preOpenMinute: 4 * 60, openMinute: 9 * 60 + 30,
                  closeMinute: 13 * 60, postCloseMinute: 17 * 60)
    }

    public static func closed(_ date: String, holiday: String? = nil) -> MarketDay {
        MarketDay(date: date, status: .closed, holiday: holiday)
    }

    /// A day as a data provider reports it: closed when it has no regular hours, else open with
    /// them (an early close when the regular session ends before 16:00). The extended sessions
    /// follow our rules whatever the provider's own extended hours are: pre-market from 04:00,
    /// after-hours until 20:00, or for 4 hours after an early close (13:00–17:00).
    public static func reported(_ date: String, openMinute: Int?, closeMinute: Int?, name: String?) -> MarketDay {
        guard let open = openMinute, let close = closeMinute, open >= 0, close > open, close <= 24 * 60 else {
            return .closed(date, holiday: name)
        }
        let early = close < 16 * 60
        return MarketDay(
            date: date, status: early ? .earlyClose : .open, holiday: early ? name : nil,
            preOpenMinute: min(4 * 60, open), openMinute: open, closeMinute: close,
            postCloseMinute: early ? min(close + 4 * 60, 20 * 60) : max(20 * 60, close))
    }

    public var isTradingDay: Bool { status != .closed }

    /// The session at `minute` minutes after midnight of this day.
    public func session(atMinute minute: Int) -> MarketSession {
        guard isTradingDay, let pre = preOpenMinute, let open = openMinute, let close = closeMinute,
              let post = postCloseMinute else { return .closed }
        if minute >= open && minute < close { return .regular }
        if minute >= pre && minute < open { return .pre }
        if minute >= close && minute < post { return .post }
        return .closed
    }
}

/// Where the market stands at one moment.
public struct MarketStatus: Sendable, Hashable {
    public var session: MarketSession
    /// The regular session is open.
    public var isOpen: Bool { session == .regular }
    /// The next regular open strictly after the moment.
    public var nextOpen: Date
    /// The end of the current regular session, or of the next one.
    public var nextClose: Date
    /// Today (New York) closes early.
    public var earlyClose: Bool
    /// Today's holiday, if today is one.
    public var holiday: String?
    public var asOf: Date

    public init(session: MarketSession, nextOpen: Date, nextClose: Date, earlyClose: Bool, holiday: String?, asOf: Date) {
        self.session = session
        self.nextOpen = nextOpen
        self.nextClose = nextClose
        self.earlyClose = earlyClose
        self.holiday = holiday
        self.asOf = asOf
    }

    /// One plain sentence for people (the coach, `status` events): "The market is open until
    /// 16:00 ET.", "The market is closed for Thanksgiving Day; it opens Fri 2026-11-27 at 09:30 ET."
    public var summary: String {
        let opens = MarketTime.sameDay(nextOpen, asOf)
            ? "at \(MarketTime.clock(nextOpen)) ET today" : "\(MarketTime.weekdayDay(nextOpen)) at \(MarketTime.clock(nextOpen)) ET"
        switch session {
        case .regular:
            return "The market is open (regular session) until \(MarketTime.clock(nextClose)) ET"
                + (earlyClose ? ", an early close." : ".")
        case .pre:
            return "Pre-market trading (thin, limit orders only); the regular session opens \(opens)."
        case .post:
            return "After-hours trading (thin, limit orders only); the regular session opens \(opens)."
        case .closed:
            let weekday = MarketTime.calendar.component(.weekday, from: asOf)
            let reason = holiday.map { " for \($0)" } ?? (weekday == 1 || weekday == 7 ? " for the weekend" : "")
            return "The market is closed\(reason); it opens \(opens)."
        }
    }
}

/// The US equity market calendar in America/New_York, never the host's zone: NYSE's published
/// holidays and early closes (MarketCalendar+NYSE.swift), rules for years not published, and days a
/// provider reported (`overrides`, which win).
public struct MarketCalendar: Sendable {
    /// Days a data provider reported, keyed by `yyyy-MM-dd`.
    public var overrides: [String: MarketDay]
    /// Every day trades around the clock in the regular session: the simulated market's demo mode
    /// (`TA_SIM_SESSION=always_open`, docs/simulation.md), so orders, alerts and readiness follow
    /// the simulator rather than the real market's hours.
    public var alwaysOpen: Bool

    public init(overrides: [String: MarketDay] = [:], alwaysOpen: Bool = false) {
        self.overrides = overrides
        self.alwaysOpen = alwaysOpen
    }

    /// The demo calendar: every day open, 00:00–24:00, all of it the regular session.
    public static let alwaysOpenDemo = MarketCalendar(alwaysOpen: true)

    static var ny: Calendar { MarketTime.calendar }

    /// The years whose days come from NYSE's published calendar (the rules cover the others).
    public static var publishedYears: ClosedRange<Int> { NYSEHolidays.publishedYears }

    // MARK: Days

    /// The day `yyyy-MM-dd` (weekends closed). Nil when the string is not a date.
    public func day(_ date: String) -> MarketDay? {
        guard let parts = Self.parse(date) else { return nil }
        return day(year: parts.year, month: parts.month, day: parts.day)
    }

    /// The day of a New York calendar date.
    public func day(year: Int, month: Int, day: Int) -> MarketDay {
        let key = Self.key(year, month, day)
        if alwaysOpen {
            return MarketDay(date: key, status: .open, preOpenMinute: 0, openMinute: 0, closeMinute: 24 * 60, postCloseMinute: 24 * 60)
        }
        if let override = overrides[key] { return override }
        let weekday = Self.weekday(year, month, day)
        if weekday == 1 || weekday == 7 { return .closed(key) }
        if let holiday = NYSEHolidays.holiday(year: year, month: month, day: day) { return .closed(key, holiday: holiday) }
        if let reason = NYSEHolidays.earlyClose(year: year, month: month, day: day) { return .earlyClose(key, reason: reason) }
        return .regular(key)
    }

    /// The New York day containing `instant`.
    public func day(containing instant: Date) -> MarketDay {
        let parts = Self.ny.dateComponents([.year, .month, .day], from: instant)
        return day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// Every weekday from `from` to `to` inclusive (weekends are not listed).
    public func weekdays(from: String, to: String) -> [MarketDay]? {
        guard var cursor = Self.parse(from), let end = Self.parse(to) else { return nil }
        var days: [MarketDay] = []
        while Self.key(cursor.year, cursor.month, cursor.day) <= Self.key(end.year, end.month, end.day) {
            let weekday = Self.weekday(cursor.year, cursor.month, cursor.day)
            if weekday != 1 && weekday != 7 { days.append(day(year: cursor.year, month: cursor.month, day: cursor.day)) }
            cursor = Self.next(cursor)
        }
        return days
    }

    // MARK: Moments

    /// The session at `instant`.
    public func session(at instant: Date) -> MarketSession {
        let parts = Self.ny.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let today = day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        return today.session(atMinute: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// Where the market stands at `instant`.
    public func status(at instant: Date) -> MarketStatus {
        let today = day(containing: instant)
        let session = session(at: instant)
        let nextClose: Date
        if session == .regular || session == .pre, let close = self.close(of: today) {
            nextClose = close
        } else {
            nextClose = nextOpen(after: instant).flatMap { close(of: day(containing: $0)) } ?? instant
        }
        return MarketStatus(
            session: session, nextOpen: nextOpen(after: instant) ?? instant, nextClose: nextClose,
            earlyClose: today.status == .earlyClose, holiday: today.status == .closed ? today.holiday : nil, asOf: instant)
    }

    /// The first regular open strictly after `instant` (within 30 days; nil past that, which no real
    /// calendar reaches).
    public func nextOpen(after instant: Date) -> Date? {
        var date = day(containing: instant)
        for _ in 0..<30 {
            if let open = open(of: date), open > instant { return open }
            guard let next = following(date) else { return nil }
            date = next
        }
        return nil
    }

    /// The first moment strictly after `instant` at which the session changes, and the session
    /// from then on (nil past 30 days, which no real calendar reaches).
    public func nextSessionChange(after instant: Date) -> (at: Date, session: MarketSession)? {
        let current = session(at: instant)
        var date = day(containing: instant)
        for _ in 0..<30 {
            if date.isTradingDay {
                for minute in [date.preOpenMinute, date.openMinute, date.closeMinute, date.postCloseMinute].compactMap({ $0 }) {
                    guard let at = self.instant(date.date, minute), at > instant else { continue }
                    let next = session(at: at)
                    if next != current { return (at, next) }
                }
            }
            guard let next = following(date) else { return nil }
            date = next
        }
        return nil
    }

    /// The first trading day after `day`.
    public func nextTradingDay(after date: String) -> MarketDay? {
        guard var cursor = self.day(date) else { return nil }
        for _ in 0..<30 {
            guard let next = following(cursor) else { return nil }
            if next.isTradingDay { return next }
            cursor = next
        }
        return nil
    }

    /// The last trading day before `day`.
    public func previousTradingDay(before date: String) -> MarketDay? {
        guard var parts = Self.parse(date) else { return nil }
        for _ in 0..<30 {
            parts = Self.previous(parts)
            let candidate = day(year: parts.year, month: parts.month, day: parts.day)
            if candidate.isTradingDay { return candidate }
        }
        return nil
    }

    /// The trading day a moment counts towards: the New York date while that date trades, else the
    /// next trading day (a Saturday, a holiday or 21:00 belong to the next session's day for
    /// day-scoped limits).
    public func tradingDay(at instant: Date) -> String {
        let today = day(containing: instant)
        if today.isTradingDay, let post = today.postCloseMinute,
           minute(of: instant) < post { return today.date }
        return nextTradingDay(after: today.date)?.date ?? today.date
    }

    /// The regular open of `day` as an instant.
    public func open(of day: MarketDay) -> Date? { instant(day.date, day.openMinute) }
    /// The regular close of `day` (13:00 on an early close).
    public func close(of day: MarketDay) -> Date? { instant(day.date, day.closeMinute) }
    public func preOpen(of day: MarketDay) -> Date? { instant(day.date, day.preOpenMinute) }
    public func postClose(of day: MarketDay) -> Date? { instant(day.date, day.postCloseMinute) }

    // MARK: Helpers

    func following(_ date: MarketDay) -> MarketDay? {
        guard let parts = Self.parse(date.date) else { return nil }
        let next = Self.next(parts)
        return day(year: next.year, month: next.month, day: next.day)
    }

    func minute(of instant: Date) -> Int {
        let parts = Self.ny.dateComponents([.hour, .minute], from: instant)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    func instant(_ date: String, _ minute: Int?) -> Date? {
        guard let minute, let parts = Self.parse(date) else { return nil }
        return Self.ny.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day,
                                                 hour: minute / 60, minute: minute % 60))
    }

    typealias YMD = (year: Int, month: Int, day: Int)

    /// Parses `yyyy-MM-dd` strictly (a real calendar date).
    static func parse(_ text: String) -> YMD? {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
              let year = Int(pieces[0]), let month = Int(pieces[1]), let day = Int(pieces[2]),
              (1...12).contains(month), day >= 1, day <= daysIn(year, month) else { return nil }
        return (year, month, day)
    }

    static func key(_ year: Int, _ month: Int, _ day: Int) -> String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return "\(String(repeating: "0", count: max(0, 4 - y.count)))\(y)-\(m)-\(d)"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func next(_ d: YMD) -> YMD {
        if d.day < daysIn(d.year, d.month) { return (d.year, d.month, d.day + 1) }
        return d.month == 12 ? (d.year + 1, 1, 1) : (d.year, d.month + 1, 1)
    }

    static func previous(_ d: YMD) -> YMD {
        if d.day > 1 { return (d.year, d.month, d.day - 1) }
        return d.month == 1 ? (d.year - 1, 12, 31) : (d.year, d.month - 1, daysIn(d.year, d.month - 1))
    }

    /// 1 = Sunday … 7 = Saturday (Sakamoto's method).
    static func weekday(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let index = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return index + 1
    }
}
