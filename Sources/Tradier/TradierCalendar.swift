import AsyncHTTPClient
import Foundation
import Logging
import TradingDomain
import TradingEngine

/// The market calendar from Tradier's `GET /v1/markets/calendar?month=MM&year=YYYY`
/// (https://docs.tradier.com/reference/brokerage-api-markets-get-calendar; docs/vendors.md §2.4b):
/// every day of the month with `status` `open` or `closed`; open days carry `premarket`, `open`
/// and `postmarket` as `{"start","end"}` in New York wall-clock `HH:MM` (an early close is an open
/// day whose `open.end` is `13:00`); closed days carry only a description ("Market is closed for
/// Thanksgiving Day"). The usual quirks apply: `days.day` is an object when there is one day,
/// errors may come with HTTP 200. Tradier's own extended hours (07:00–09:24, 16:00–20:00) are its
/// order-entry windows; the calendar keeps the market's (docs/sessions.md).
public final class TradierCalendarProvider: MarketCalendarProvider, Sendable {
    public let name = "tradier"
    let client: TradierHTTP
    /// Months asked for: the current one and the next ones.
    let months: Int

    public init(configuration: TradierConfiguration, httpClient: HTTPClient = .shared, logger: Logger, months: Int = 3) {
        client = TradierHTTP(configuration: configuration, http: httpClient, logger: logger)
        self.months = max(1, months)
    }

    public func calendarDays(from now: Date) async throws -> [MarketDay] {
        let parts = MarketTime.calendar.dateComponents([.year, .month], from: now)
        var year = parts.year ?? 1970, month = parts.month ?? 1
        var days: [MarketDay] = []
        for _ in 0..<months {
            let body = try await client.get("markets/calendar", query: [("month", month < 10 ? "0\(month)" : "\(month)"), ("year", "\(year)")])
            days += try Self.days(from: body)
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return days
    }

    /// The days of one answer.
    public static func days(from body: Data) throws(BrokerError) -> [MarketDay] {
        let json: TradierJSON
        do {
            json = try TradierJSON.parse(body)
        } catch {
            throw .malformed("market calendar: \(error)")
        }
        if let messages = TradierWire.errorMessages(json) { throw .rejected(code: "tradier_error", reason: messages.joined(separator: "; ")) }
        let calendar = json["calendar"]
        guard case .object = calendar else { throw .malformed("market calendar: no calendar object") }
        return calendar["days"]["day"].list.compactMap { day in
            guard let date = day["date"].string, MarketCalendar().day(date) != nil else { return nil }
            guard day["status"].string?.lowercased() == "open" else {
                return MarketDay.reported(date, openMinute: nil, closeMinute: nil, name: holidayName(day["description"].string))
            }
            let open = minute(day["open"]["start"].string), close = minute(day["open"]["end"].string)
            return MarketDay.reported(date, openMinute: open ?? 9 * 60 + 30, closeMinute: close ?? 16 * 60, name: nil)
        }
    }

    /// "Market is closed for Thanksgiving Day" → "Thanksgiving Day"; a plain "Market is closed" → nil.
    static func holidayName(_ description: String?) -> String? {
        guard let description, let range = description.range(of: " for ") else { return nil }
        let name = description[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ".")))
        return name.isEmpty ? nil : name
    }

    /// `HH:MM` → minutes after midnight.
    static func minute(_ text: String?) -> Int? {
        guard let parts = text?.split(separator: ":"), parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }
}
