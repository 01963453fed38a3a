import Foundation
import TradingDomain
import TradingEngine

/// One page of `/v2/aggs/ticker/{t}/range/…` bars.
public struct PolygonBarsPage: Sendable, Hashable {
    /// In the order received (`sort=asc` by default: oldest first).
    public var bars: [Bar]
    /// Absolute URL of the next page, as sent (no API key, vendor host). Follow it only through
    /// `PolygonURLs.next(_:)`. Nil on the last page.
    public var nextURL: String?
    /// Bars that could not be read (skipped), with up to five descriptions.
    public var skipped: Int
    public var problems: [String]

    public init(bars: [Bar], nextURL: String? = nil, skipped: Int = 0, problems: [String] = []) {
        self.bars = bars
        self.nextURL = nextURL
        self.skipped = skipped
        self.problems = problems
    }
}

/// `/v1/marketstatus/now`.
public struct PolygonMarketStatus: Sendable, Hashable {
    public enum Market: Sendable, Hashable {
        case open
        case closed
        case extendedHours
        case other(String)

        init(_ text: String) {
            switch text {
            case "open": self = .open
            case "closed": self = .closed
            case "extended-hours": self = .extendedHours
            default: self = .other(text)
            }
        }
    }

    public var market: Market
    public var earlyHours: Bool
    public var afterHours: Bool
    /// `serverTime` (New York local time with offset, e.g. `2022-04-28T16:48:08-04:00`).
    public var serverTime: Date?
    /// Per exchange (`nyse`, `nasdaq`, `otc`): `open`, `closed`, `extended-hours`.
    public var exchanges: [String: String]

    public init(market: Market, earlyHours: Bool, afterHours: Bool, serverTime: Date?, exchanges: [String: String]) {
        self.market = market
        self.earlyHours = earlyHours
        self.afterHours = afterHours
        self.serverTime = serverTime
        self.exchanges = exchanges
    }
}

/// One entry of `/v1/marketstatus/upcoming`.
public struct PolygonMarketHoliday: Sendable, Hashable {
    public var exchange: String
    public var name: String
    /// `YYYY-MM-DD` (New York calendar day).
    public var date: String
    /// `closed` or `early-close`.
    public var status: String
    /// Session open/close on early-close days.
    public var open: Date?
    public var close: Date?

    public init(exchange: String, name: String, date: String, status: String, open: Date? = nil, close: Date? = nil) {
        self.exchange = exchange
        self.name = name
        self.date = date
        self.status = status
        self.open = open
        self.close = close
    }
}

/// Parses Polygon/Massive REST bodies into domain types (docs/vendors.md §1.5). Every function
/// first checks the body's `status`: `OK`, `DELAYED` or absent succeed; anything else throws the
/// `MarketDataError` that `PolygonErrors` assigns. Call `PolygonErrors.classify` on the HTTP status
/// first; these functions then handle the 2xx bodies.
public enum PolygonRESTParser {
    /// Batched (`/v2/snapshot/locale/us/markets/stocks/tickers?tickers=…`, plural `tickers`) or
    /// single-ticker (`…/tickers/{t}`, singular `ticker`) snapshot. Unreadable tickers are skipped;
    /// if there were some and none could be read, throws `.malformed`.
    public static func snapshots(_ body: Data) throws(MarketDataError) -> [MarketSnapshot] {
        let response = try decode(SnapshotResponseDTO.self, body, what: "snapshot")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        let elements = response.tickers ?? response.ticker.map { [$0] } ?? []
        let snapshots = elements.compactMap { $0.value.flatMap(snapshot) }
        if snapshots.isEmpty, !elements.isEmpty {
            let problem = elements.lazy.compactMap(\.problem).first ?? "invalid ticker symbol"
            throw .malformed("snapshot: no readable ticker (\(problem))")
        }
        return snapshots
    }

    /// Maps one snapshot. Zero prices (Polygon clears snapshots at 03:30 ET) become nil.
    /// `last` falls back to `day.c` when the plan omits `lastTrade`, or when the last trade's
    /// conditions keep it from setting the last price (an odd lot, docs/vendors.md §1.7: the day's
    /// close so far already follows the consolidated rules); `updated` falls back to the newest
    /// trade/quote time, then to 1970 (unknown age = stale).
    static func snapshot(_ dto: SnapshotTickerDTO) -> MarketSnapshot? {
        guard let symbol = PolygonTicker.symbol(from: dto.ticker) else { return nil }
        let tradeTime = dto.lastTrade?.t.flatMap(positive)
        let quoteTime = dto.lastQuote?.t.flatMap(positive)
        let updated = dto.updated.flatMap(positive) ?? [tradeTime, quoteTime].compactMap { $0 }.max() ?? 0
        let cleanTrade = dto.lastTrade.flatMap { trade in
            symbol.isOption || PolygonTradeConditions.rule(for: trade.c ?? []).updatesLast ? trade : nil
        }
        let tradePrice = cleanTrade?.p.flatMap(price)
        return MarketSnapshot(
            symbol: symbol,
            last: tradePrice ?? dto.day?.c.flatMap(price),
            lastTime: (tradePrice == nil ? nil : tradeTime).map(PolygonTime.date(nanoseconds:)),
            bid: dto.lastQuote?.bidPrice.flatMap(price),
            ask: dto.lastQuote?.askPrice.flatMap(price),
            dayOpen: dto.day?.o.flatMap(price),
            dayHigh: dto.day?.h.flatMap(price),
            dayLow: dto.day?.l.flatMap(price),
            dayVolume: dto.day?.v,
            previousClose: dto.prevDay?.c.flatMap(price),
            updated: PolygonTime.date(nanoseconds: updated)
        )
    }

    /// `/v2/aggs/ticker/{t}/prev`: the previous session's daily bar, or nil when `results` is
    /// empty. Polygon stamps this bar 16:00 ET; it is re-stamped 00:00 ET like `/range` day bars.
    public static func previousClose(_ body: Data) throws(MarketDataError) -> Bar? {
        let response = try decode(AggregatesResponseDTO.self, body, what: "previous close")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        guard let first = response.results?.first else { return nil }
        guard let dto = first.value else { throw .malformed("previous close: \(first.problem ?? "bad bar")") }
        guard let symbol = (dto.ticker ?? response.ticker).flatMap(PolygonTicker.symbol(from:)) else {
            throw .malformed("previous close: missing or invalid ticker")
        }
        var bar = bar(dto, symbol: symbol, timespan: .day)
        bar.start = PolygonTime.startOfNewYorkDay(bar.start)
        return bar
    }

    /// `/v2/aggs/ticker/{t}/range/1/{timespan}/{from}/{to}`: one page of bars. `results` null or
    /// absent gives an empty page. `symbol` and `timespan` are what was requested (bars carry
    /// neither); bar `t` is the window start in Unix ms (daily bars: 00:00 ET).
    public static func bars(_ body: Data, symbol: Symbol, timespan: Timespan) throws(MarketDataError) -> PolygonBarsPage {
        let response = try decode(AggregatesResponseDTO.self, body, what: "bars")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        let results = response.results ?? []
        let problems = results.compactMap(\.problem)
        let nextURL = response.nextURL.flatMap { $0.isEmpty ? nil : $0 }
        return PolygonBarsPage(
            bars: results.compactMap { $0.value.map { bar($0, symbol: symbol, timespan: timespan) } },
            nextURL: nextURL, skipped: problems.count, problems: Array(problems.prefix(5)))
    }

    /// `/v2/last/trade/{t}`.
    public static func lastTrade(_ body: Data) throws(MarketDataError) -> Trade {
        let response = try decode(LastTradeResponseDTO.self, body, what: "last trade")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        guard let dto = response.results else { throw .malformed("last trade: missing 'results'") }
        return Trade(
            symbol: try symbol(dto.ticker, what: "last trade"), price: dto.p, size: dto.s,
            time: PolygonTime.date(nanoseconds: dto.t))
    }

    /// `/v2/last/nbbo/{t}`: `p`/`s` bid, `P`/`S` ask (sizes passed through unscaled).
    public static func lastQuote(_ body: Data) throws(MarketDataError) -> BidAsk {
        let response = try decode(LastQuoteResponseDTO.self, body, what: "last quote")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        guard let dto = response.results else { throw .malformed("last quote: missing 'results'") }
        return BidAsk(
            symbol: try symbol(dto.ticker, what: "last quote"), bid: dto.bidPrice, bidSize: dto.bidSize ?? 0,
            ask: dto.askPrice, askSize: dto.askSize ?? 0, time: PolygonTime.date(nanoseconds: dto.t))
    }

    /// `/v1/marketstatus/now`.
    public static func marketStatus(_ body: Data) throws(MarketDataError) -> PolygonMarketStatus {
        let response = try decode(MarketStatusDTO.self, body, what: "market status")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        return PolygonMarketStatus(
            market: .init(response.market), earlyHours: response.earlyHours ?? false,
            afterHours: response.afterHours ?? false, serverTime: response.serverTime.flatMap(ISO8601.parse),
            exchanges: response.exchanges ?? [:])
    }

    /// `/v1/marketstatus/upcoming`: holidays and early closes, as sent (one row per exchange).
    public static func marketHolidays(_ body: Data) throws(MarketDataError) -> [PolygonMarketHoliday] {
        let rows: [MarketHolidayDTO]
        do {
            rows = try JSONDecoder().decode([MarketHolidayDTO].self, from: body)
        } catch {
            if let envelope = try? JSONDecoder().decode(EnvelopeDTO.self, from: body),
               let failure = PolygonErrors.bodyError(envelope) { throw failure }
            throw .malformed("market holidays: \(PolygonDecoding.describe(error))")
        }
        return rows.map {
            PolygonMarketHoliday(
                exchange: $0.exchange, name: $0.name, date: $0.date, status: $0.status,
                open: $0.open.flatMap(ISO8601.parse), close: $0.close.flatMap(ISO8601.parse))
        }
    }

    // MARK: helpers

    /// Decodes `body`; when it does not have the expected shape but is a Polygon error body, throws
    /// that error instead of `.malformed`.
    static func decode<T: Decodable>(_ type: T.Type, _ body: Data, what: String) throws(MarketDataError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            if let envelope = try? JSONDecoder().decode(EnvelopeDTO.self, from: body),
               let failure = PolygonErrors.bodyError(envelope) { throw failure }
            throw .malformed("\(what): \(PolygonDecoding.describe(error))")
        }
    }

    static func bar(_ dto: AggregateDTO, symbol: Symbol, timespan: Timespan) -> Bar {
        Bar(
            symbol: symbol, timespan: timespan, start: PolygonTime.date(milliseconds: dto.t),
            open: dto.o, high: dto.h, low: dto.l, close: dto.c, volume: dto.v, vwap: dto.vw)
    }

    private static func symbol(_ raw: String, what: String) throws(MarketDataError) -> Symbol {
        guard let symbol = PolygonTicker.symbol(from: raw) else { throw .malformed("\(what): invalid ticker") }
        return symbol
    }

    static func price(_ value: Decimal) -> Decimal? { value > 0 ? value : nil }
    static func positive(_ value: Int64) -> Int64? { value > 0 ? value : nil }
}
