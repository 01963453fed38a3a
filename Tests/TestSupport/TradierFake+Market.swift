import Foundation

/// A quote the Tradier fake serves (shared/contracts/external-apis.md §2.4). Absent `open`,
/// `high`, `low` are sent as JSON `null`, as Tradier does before the open.
public struct TradierFakeQuote: Sendable, Hashable {
    public var symbol: String
    public var last: Decimal
    public var bid: Decimal
    public var ask: Decimal
    public var open: Decimal?
    public var high: Decimal?
    public var low: Decimal?
    public var previousClose: Decimal?
    public var volume: Int
    public var tradeDate: Date

    public init(
        symbol: String, last: Decimal, bid: Decimal? = nil, ask: Decimal? = nil, open: Decimal? = nil, high: Decimal? = nil,
        low: Decimal? = nil, previousClose: Decimal? = nil, volume: Int = 812, tradeDate: Date = Date()
    ) {
        self.symbol = symbol
        self.last = last
        self.bid = bid ?? last
        self.ask = ask ?? last
        self.open = open
        self.high = high
        self.low = low
        self.previousClose = previousClose
        self.volume = volume
        self.tradeDate = tradeDate
    }
}

/// A bar the fake serves from `timesales` (minute) or `history` (daily, `start` at New York midnight).
public struct TradierFakeBar: Sendable, Hashable {
    public var start: Date
    public var open: Decimal
    public var high: Decimal
    public var low: Decimal
    public var close: Decimal
    public var volume: Int

    public init(start: Date, open: Decimal, high: Decimal, low: Decimal, close: Decimal, volume: Int) {
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}

/// The market-data routes of the Tradier fake: quotes, timesales, history and the market
/// stream session, with Tradier's quirks (one → object, none → `"null"`/`null`, `unmatched_symbols`,
/// epoch-ms dates in quotes, zone-less New York `time` in timesales).
extension TradierFake {
    func quotes(_ symbols: [String]) -> TradierFakeAnswer {
        let known = state.withLock { $0.quotes }
        let items = symbols.compactMap { symbol -> TradierFakeValue? in
            guard let quote = known[symbol] else { return nil }
            func number(_ value: Decimal?) -> TradierFakeValue { value.map { .number("\($0)") } ?? .null }
            let ms = TradierFakeValue.int(Int((quote.tradeDate.timeIntervalSince1970 * 1000).rounded()))
            return .object([
                ("symbol", .string(symbol)), ("description", .string("\(symbol) Inc")), ("exch", .string("Q")), ("type", .string("stock")),
                ("last", .long(quote.last)), ("change", number(quote.previousClose.map { quote.last - $0 })), ("volume", .int(quote.volume)),
                ("open", number(quote.open)), ("high", number(quote.high)), ("low", number(quote.low)), ("close", .null),
                ("bid", number(quote.bid)), ("ask", number(quote.ask)), ("change_percentage", .null), ("average_volume", .int(3_522_497)),
                ("last_volume", .int(100)), ("trade_date", ms), ("prevclose", number(quote.previousClose)),
                ("week_52_high", .null), ("week_52_low", .null), ("bidsize", .int(2)), ("bidexch", .string("P")), ("bid_date", ms),
                ("asksize", .int(1)), ("askexch", .string("P")), ("ask_date", ms), ("root_symbols", .string(symbol)),
            ])
        }
        var members: [(String, TradierFakeValue)] = []
        if !items.isEmpty { members.append(("quote", items.count == 1 ? items[0] : .array(items))) }
        let unmatched = symbols.filter { known[$0] == nil }.map(TradierFakeValue.string)
        if !unmatched.isEmpty { members.append(("unmatched_symbols", .object([("symbol", unmatched.count == 1 ? unmatched[0] : .array(unmatched))]))) }
        return .ok(.object([("quotes", .object(members))]))
    }

    /// `GET /v1/markets/timesales?symbol=&interval=1min&start=YYYY-MM-DD HH:MM&end=…`.
    func timesales(_ query: [String: String]) -> TradierFakeAnswer {
        guard let symbol = query["symbol"], !symbol.isEmpty else { return .errors(["symbol is required"]) }
        guard query["interval"] == "1min" else { return .errors(["interval must be one of tick, 1min, 5min, 15min"]) }
        guard let from = query["start"].flatMap(Self.newYork), let to = query["end"].flatMap(Self.newYork) else {
            return .errors(["start and end must be YYYY-MM-DD HH:MM"])
        }
        let (bars, jsonNull) = state.withLock { ($0.minuteBars[symbol] ?? [], $0.settings.emptyAsJSONNull) }
        let rows = bars.filter { $0.start >= from && $0.start <= to }.map { bar -> TradierFakeValue in
            .object([
                ("time", TradierFakeValue.string(Self.zoneless(bar.start))), ("timestamp", .int(Int(bar.start.timeIntervalSince1970))),
                ("price", .number("\(bar.close)")), ("open", .number("\(bar.open)")), ("high", .number("\(bar.high)")),
                ("low", .number("\(bar.low)")), ("close", .number("\(bar.close)")), ("volume", .int(bar.volume)),
                ("vwap", .number("\((bar.high + bar.low + bar.close) / 3)")),
            ])
        }
        return .ok(.object([("series", TradierFakeValue.collection("data", rows, jsonNull: jsonNull))]))
    }

    /// `GET /v1/markets/history?symbol=&interval=daily&start=YYYY-MM-DD&end=YYYY-MM-DD`.
    func history(_ query: [String: String]) -> TradierFakeAnswer {
        guard let symbol = query["symbol"], !symbol.isEmpty else { return .errors(["symbol is required"]) }
        guard (query["interval"] ?? "daily") == "daily" else { return .errors(["the fake serves daily history only"]) }
        guard let from = query["start"].flatMap({ Self.newYork($0 + " 00:00") }),
              let to = query["end"].flatMap({ Self.newYork($0 + " 23:59") }) else {
            return .errors(["start and end must be YYYY-MM-DD"])
        }
        let (bars, jsonNull) = state.withLock { ($0.dailyBars[symbol] ?? [], $0.settings.emptyAsJSONNull) }
        let rows = bars.filter { $0.start >= from && $0.start <= to }.map { bar -> TradierFakeValue in
            .object([
                ("date", TradierFakeValue.string(String(Self.zoneless(bar.start).prefix(10)))), ("open", .number("\(bar.open)")),
                ("high", .number("\(bar.high)")), ("low", .number("\(bar.low)")), ("close", .number("\(bar.close)")),
                ("volume", .int(bar.volume)),
            ])
        }
        return .ok(.object([("history", TradierFakeValue.collection("day", rows, jsonNull: jsonNull))]))
    }

    /// `POST /v1/markets/events/session` → `{"stream":{"url":…,"sessionid":…}}`.
    func streamSession() -> TradierFakeAnswer {
        guard let stream = state.withLock({ $0.stream }) else { return .errors(["Streaming is not available for this account"]) }
        return .ok(.object([("stream", .object([
            ("url", .string("https://stream.tradier.com/v1/markets/events")), ("sessionid", .string(stream.createSession())),
        ]))]))
    }

    static var newYorkCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? .gmt
        return calendar
    }

    /// `YYYY-MM-DD HH:MM` read as New York wall clock.
    static func newYork(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
        guard parts.count == 5 else { return nil }
        return newYorkCalendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))
    }

    /// `2025-07-01T09:30:00`: New York wall clock without an offset, as `timesales` writes `time`.
    static func zoneless(_ date: Date) -> String {
        let c = newYorkCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
