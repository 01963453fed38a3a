import Foundation

/// Where an order placed at one moment works: which session, of which trading day, from when and
/// until when (docs/orders.md, "Sessions").
public struct OrderSessionPlan: Sendable, Hashable {
    /// The session the order may fill in (`regular` for day and gtc orders).
    public var session: MarketSession
    /// The trading day (`yyyy-MM-dd`, New York) of the first session it works in.
    public var day: String
    /// When that session starts: before it the order waits.
    public var startsAt: Date
    /// When a day, pre or post order expires (the end of that session: 16:00, 13:00 on an early
    /// close, 09:30 for pre, 20:00 or 17:00 for post); nil for gtc.
    public var expiresAt: Date?
    /// The order cannot fill now but waits for `startsAt` (placed outside its session).
    public var waits: Bool
}

/// Why an order cannot be placed now (the pre-market session of today is over).
public struct OrderSessionRefusal: Error, Sendable, Hashable {
    /// Stable code: `session_over`.
    public var code: String
    public var reason: String
}

/// The session rules of orders, as a US broker applies them (Tradier's `duration`): regular-session
/// orders placed outside the session wait for the next open; `pre` / `post` work in one extended
/// session; nothing fills on a closed day. docs/orders.md.
public enum OrderSessionRules {
    /// The session plan of an order of `duration` placed at `now`:
    /// - `day`: today's regular session while it has not closed (placed before the open it waits for
    ///   the open), else the next trading day's; expires at that session's close.
    /// - `gtc`: as `day`, without expiry.
    /// - `pre`: today's pre-market while it has not ended (04:00–09:30), else — once the regular and
    ///   after-hours sessions are over (from 20:00), overnight or on a closed day — the next trading
    ///   day's. Placed between 09:30 and 20:00 of a trading day it is refused (`session_over`), as
    ///   Tradier refuses "pre market no longer available".
    /// - `post`: today's after-hours session while it has not ended (until 20:00, 17:00 on an early
    ///   close), else the next trading day's.
    public static func plan(_ duration: OrderDuration, at now: Date, calendar: MarketCalendar) -> Result<OrderSessionPlan, OrderSessionRefusal> {
        let today = calendar.day(containing: now)
        func next() -> MarketDay? { calendar.nextTradingDay(after: today.date) }
        func make(_ day: MarketDay, _ start: Date?, _ end: Date?, expires: Bool) -> Result<OrderSessionPlan, OrderSessionRefusal> {
            guard let start, let end else {
                return .failure(OrderSessionRefusal(code: "no_session", reason: "no trading session found for \(day.date)"))
            }
            return .success(OrderSessionPlan(
                session: duration.session, day: day.date, startsAt: start, expiresAt: expires ? end : nil, waits: now < start))
        }
        switch duration {
        case .day, .gtc:
            if today.isTradingDay, let close = calendar.close(of: today), now < close {
                return make(today, calendar.open(of: today), close, expires: duration == .day)
            }
            guard let day = next() else { return make(today, nil, nil, expires: false) }
            return make(day, calendar.open(of: day), calendar.close(of: day), expires: duration == .day)
        case .pre:
            if today.isTradingDay, let open = calendar.open(of: today), now < open {
                return make(today, calendar.preOpen(of: today), open, expires: true)
            }
            if today.isTradingDay, let postClose = calendar.postClose(of: today), now < postClose {
                return .failure(OrderSessionRefusal(
                    code: "session_over",
                    reason: "today's pre-market session is over (it ends at 09:30 New York time): place a pre order "
                        + "after 20:00 for the next pre-market, or use day for the regular session"))
            }
            guard let day = next() else { return make(today, nil, nil, expires: true) }
            return make(day, calendar.preOpen(of: day), calendar.open(of: day), expires: true)
        case .post:
            if today.isTradingDay, let postClose = calendar.postClose(of: today), now < postClose {
                return make(today, calendar.close(of: today), postClose, expires: true)
            }
            guard let day = next() else { return make(today, nil, nil, expires: true) }
            return make(day, calendar.close(of: day), calendar.postClose(of: day), expires: true)
        }
    }

    /// Whether an order of `duration` may fill at `now`: the market is in the order's session.
    /// (A day order's expiry is the order's own; this only says whether its session is trading.)
    public static func mayFill(_ duration: OrderDuration, at now: Date, calendar: MarketCalendar) -> Bool {
        calendar.session(at: now) == duration.session
    }

    /// The start of the session `now` falls in (the regular open, 04:00, or the regular close for
    /// after-hours); nil when the market is closed. A price older than this is from an earlier
    /// session: orders do not fill on it.
    public static func sessionStart(at now: Date, calendar: MarketCalendar) -> Date? {
        let today = calendar.day(containing: now)
        switch calendar.session(at: now) {
        case .pre: return calendar.preOpen(of: today)
        case .regular: return calendar.open(of: today)
        case .post: return calendar.close(of: today)
        case .closed: return nil
        }
    }

    /// `Mon 2026-11-30 09:30 New York time`: how messages name a moment.
    public static func describe(_ instant: Date) -> String {
        let parts = MarketTime.calendar.dateComponents([.weekday, .hour, .minute], from: instant)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let weekday = names[((parts.weekday ?? 1) - 1) % 7]
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return "\(weekday) \(MarketTime.day(of: instant)) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute) New York time"
    }

    /// Why the market is not in its regular session at `now`, in words: `the market is closed
    /// (Thanksgiving Day)`, `the market is closed for the weekend`, `it is pre-market trading`, …
    public static func describeSession(at now: Date, calendar: MarketCalendar) -> String {
        let today = calendar.day(containing: now)
        switch calendar.session(at: now) {
        case .regular: return "the market is open"
        case .pre: return "it is pre-market trading (04:00–09:30)"
        case .post: return "it is after-hours trading (until \(today.status == .earlyClose ? "17:00" : "20:00"))"
        case .closed:
            if today.status == .closed {
                if let holiday = today.holiday { return "the market is closed (\(holiday))" }
                return "the market is closed for the weekend"
            }
            return "the market is closed"
        }
    }
}

/// Calendars compare by the provider days they hold (the rules and NYSE's table are the same code),
/// so values that carry one (the paper ledger) stay `Hashable`.
extension MarketCalendar: Hashable {
    public static func == (lhs: MarketCalendar, rhs: MarketCalendar) -> Bool {
        lhs.overrides == rhs.overrides && lhs.alwaysOpen == rhs.alwaysOpen
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(overrides)
        hasher.combine(alwaysOpen)
    }
}

extension MarketCalendar {
    /// Whether `symbol` trades at `instant`: an equity in the pre-market, regular and after-hours
    /// sessions, an option in the regular session only. Staleness is judged only then: outside,
    /// a price from the last session is expected (docs/operations.md, "Staleness and sessions").
    public func trades(_ symbol: Symbol, at instant: Date) -> Bool {
        let session = session(at: instant)
        return symbol.isOption ? session == .regular : session.isTrading
    }
}
