import Foundation

/// `GET /v1/markets/calendar?month=MM&year=YYYY` of the Tradier fake, shaped as the vendor documents
/// it (docs.tradier.com/reference/brokerage-api-markets-get-calendar): every day of the month under
/// `calendar.days.day`; open days with `premarket`/`open`/`postmarket` `{start,end}` as New York
/// `HH:MM` (Tradier's own windows 07:00–09:24 and 16:00–20:00); closed days with only a
/// description; month and year as numbers; the current month when none is given.
extension TradierFake {
    /// A weekday that is not a plain full trading day.
    public enum CalendarException: Sendable, Hashable {
        /// Closed all day, e.g. "Thanksgiving Day".
        case holiday(String)
        /// The regular session ends at 13:00.
        case earlyClose
    }

    /// The fake's exceptions by default: late 2026.
    public static let defaultCalendar: [String: CalendarException] = [
        "2026-11-26": .holiday("Thanksgiving Day"), "2026-11-27": .earlyClose, "2026-12-24": .earlyClose,
        "2026-12-25": .holiday("Christmas Day"), "2027-01-01": .holiday("New Years Day"),
    ]

    /// Replaces the calendar's exceptions.
    public func setCalendar(_ exceptions: [String: CalendarException]) {
        state.withLock { $0.calendar = exceptions }
    }

    func calendarAnswer(query: [String: String]) -> TradierFakeAnswer {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "America/New_York")!
        let now = utc.dateComponents([.year, .month], from: Date())
        let month = query["month"].map { Int($0) } ?? now.month
        let year = query["year"].map { Int($0) } ?? now.year
        guard let month, let year, (1...12).contains(month), (1900...2100).contains(year) else {
            return .errors(["Invalid Parameter: month and year must be MM and YYYY"])
        }
        let exceptions = state.withLock { $0.calendar }
        let first = utc.date(from: DateComponents(year: year, month: month, day: 1))!
        let count = utc.range(of: .day, in: .month, for: first)!.count
        let days: [TradierFakeValue] = (1...count).map { day in
            let date = String(format: "%04d-%02d-%02d", year, month, day)
            let weekday = utc.component(.weekday, from: utc.date(from: DateComponents(year: year, month: month, day: day))!)
            func span(_ start: String, _ end: String) -> TradierFakeValue { .object([("start", .string(start)), ("end", .string(end))]) }
            func open(close: String, post: String) -> TradierFakeValue {
                .object([("date", .string(date)), ("status", .string("open")), ("description", .string("Market is open")),
                         ("premarket", span("07:00", "09:24")), ("open", span("09:30", close)), ("postmarket", span(close, post))])
            }
            if weekday == 1 || weekday == 7 {
                return .object([("date", .string(date)), ("status", .string("closed")), ("description", .string("Market is closed"))])
            }
            switch exceptions[date] {
            case .holiday(let name):
                return .object([("date", .string(date)), ("status", .string("closed")), ("description", .string("Market is closed for \(name)"))])
            case .earlyClose:
                return open(close: "13:00", post: "17:00")
            case nil:
                return open(close: "16:00", post: "20:00")
            }
        }
        return .ok(.object([("calendar", .object([
            ("month", .int(month)), ("year", .int(year)), ("days", .collection("day", days, jsonNull: false)),
        ]))]))
    }
}
