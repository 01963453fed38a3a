import Foundation
import TradingDomain
import TradingEngine

extension PolygonRESTClient {
    /// `GET /v1/marketstatus/upcoming` (https://polygon.io/docs/rest/stocks/market-operations/market-holidays).
    public func marketHolidays() async throws -> [PolygonMarketHoliday] {
        try PolygonRESTParser.marketHolidays(try await get(urls.marketHolidays(), priority: .background))
    }
}

/// The market calendar from Polygon/Massive's upcoming holidays (docs/sessions.md, "Provider
/// refresh"; docs/vendors.md §1.5). The answer lists only closures and early closes, one row per
/// exchange (NYSE, NASDAQ, OTC) with the same name for a holiday and the early close next to it
/// ("Thanksgiving"); early closes carry `open`/`close` as UTC instants with milliseconds. NYSE rows
/// are used (NASDAQ's when a date has no NYSE row); a date Polygon does not list keeps the
/// built-in calendar, since its silence does not mean "open".
public struct PolygonCalendarProvider: MarketCalendarProvider {
    public let name = "polygon"
    let client: PolygonRESTClient

    public init(client: PolygonRESTClient) {
        self.client = client
    }

    public func calendarDays(from now: Date) async throws -> [MarketDay] {
        Self.days(from: try await client.marketHolidays())
    }

    /// The rows as calendar days: `closed` → a full holiday, `early-close` → the session from its
    /// open to its close in New York time (09:30–13:00 when the times are missing).
    public static func days(from rows: [PolygonMarketHoliday]) -> [MarketDay] {
        var chosen: [String: PolygonMarketHoliday] = [:]
        for row in rows {
            let exchange = row.exchange.uppercased()
            guard exchange == "NYSE" || exchange == "NASDAQ", MarketCalendar().day(row.date) != nil else { continue }
            if chosen[row.date] == nil || exchange == "NYSE" { chosen[row.date] = row }
        }
        return chosen.values.sorted { $0.date < $1.date }.compactMap { row in
            let name = row.name.isEmpty ? nil : row.name
            switch row.status.lowercased() {
            case "closed":
                return MarketDay.reported(row.date, openMinute: nil, closeMinute: nil, name: name)
            case "early-close", "early_close", "earlyclose":
                let open = row.open.map(minuteOfDay) ?? 9 * 60 + 30
                let close = row.close.map(minuteOfDay) ?? 13 * 60
                return MarketDay.reported(row.date, openMinute: open, closeMinute: close, name: name)
            default:
                return nil
            }
        }
    }

    static func minuteOfDay(_ instant: Date) -> Int {
        let parts = MarketTime.calendar.dateComponents([.hour, .minute], from: instant)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }
}
