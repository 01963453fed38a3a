import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `GET /v1/marketstatus/upcoming` of the Polygon fake, as the vendor sends it
/// (shared/contracts/fixtures/polygon/rest/marketstatus-upcoming.json): a bare JSON array (no
/// `status` envelope), one row per exchange for each holiday, early closes with `open`/`close` as
/// UTC instants with milliseconds, the same name on a holiday and the early close after it.
extension PolygonFake {
    /// One row of the answer.
    public struct MarketHolidayRow: Sendable, Hashable {
        public var exchange: String
        public var name: String
        public var date: String
        public var status: String
        public var open: String?
        public var close: String?

        public init(exchange: String, name: String, date: String, status: String, open: String? = nil, close: String? = nil) {
            self.exchange = exchange
            self.name = name
            self.date = date
            self.status = status
            self.open = open
            self.close = close
        }

        var json: String {
            var fields = [#""exchange":"\#(exchange)""#, #""name":"\#(name)""#, #""date":"\#(date)""#, #""status":"\#(status)""#]
            if let open { fields.append(#""open":"\#(open)""#) }
            if let close { fields.append(#""close":"\#(close)""#) }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    /// Rows for NYSE, NASDAQ and OTC of each (date, name, status), early closes 09:30–13:00 New York.
    public static func holidayRows(_ days: [(date: String, name: String, earlyClose: Bool)]) -> [MarketHolidayRow] {
        days.flatMap { day -> [MarketHolidayRow] in
            guard day.earlyClose else {
                return ["NYSE", "NASDAQ", "OTC"].map { MarketHolidayRow(exchange: $0, name: day.name, date: day.date, status: "closed") }
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "America/New_York")!
            let parts = day.date.split(separator: "-").compactMap { Int($0) }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            func at(_ hour: Int, _ minute: Int) -> String {
                formatter.string(from: calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!)
            }
            return ["NYSE", "NASDAQ"].map {
                MarketHolidayRow(exchange: $0, name: day.name, date: day.date, status: "early-close", open: at(9, 30), close: at(13, 0))
            }
        }
    }

    /// The upcoming holidays the fake announces by default (late 2026).
    public static let defaultHolidays = holidayRows([
        ("2026-11-26", "Thanksgiving", false), ("2026-11-27", "Thanksgiving", true),
        ("2026-12-24", "Christmas", true), ("2026-12-25", "Christmas", false), ("2027-01-01", "New Year's Day", false),
    ])

    func registerCalendar(on router: Router<BasicWebSocketRequestContext>) {
        router.get("v1/marketstatus/upcoming") { request, _ in
            if let refusal = self.gate(request) { return refusal }
            let (rows, failing) = self.state.withLock { ($0.settings.marketHolidays, $0.settings.marketHolidaysFail) }
            if failing {
                // What the vendor's gateway sends when it is in trouble: nginx's HTML page.
                return Response(
                    status: .badGateway, headers: [.contentType: "text/html"],
                    body: .init(byteBuffer: ByteBuffer(string: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")))
            }
            return Self.json("[" + rows.map(\.json).joined(separator: ",") + "]")
        }
    }
}
