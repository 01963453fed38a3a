import Foundation
import TradingDomain
import TradingEngine

/// Tradier's market-data wire formats (docs/vendors.md §2.4, §2.5, §2.8): quotes, timesales,
/// daily history, the streaming session and the market WebSocket's events. Pure functions over
/// `TradierJSON`, so every number stays an exact decimal and every quirk (object or array,
/// `"null"`, numbers sent as strings, epoch milliseconds as strings) is handled in one place.
public enum TradierMarketWire {
    // MARK: symbols

    /// Our ticker as Tradier spells it: class shares use a slash (`BRK.B` → `BRK/B`, §2.4).
    public static func wireSymbol(_ symbol: Symbol) -> String {
        symbol.isOption ? symbol.rawValue : symbol.rawValue.replacingOccurrences(of: ".", with: "/")
    }

    /// Our symbol for one Tradier sends back: the one we asked for under that spelling, else its own.
    static func symbol(_ wire: String?, asked: [String: Symbol]) -> Symbol? {
        guard let wire, !wire.isEmpty else { return nil }
        if let known = asked[wire.uppercased()] { return known }
        return try? Symbol(validating: wire)
    }

    /// Wire spelling → our symbol, for mapping answers back.
    static func lookup(_ symbols: some Sequence<Symbol>) -> [String: Symbol] {
        Dictionary(symbols.map { (wireSymbol($0), $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: quotes

    /// `{"quotes":{"quote":…}}` → one snapshot per known symbol (§2.4): `quote` is an object for one
    /// symbol and an array for several; unknown symbols (`unmatched_symbols`) are left out; null
    /// `open`/`high`/`low` before the open stay absent. `trade_date` (epoch ms) stamps `last`;
    /// `volume` is the day's. `updated` is the newest of the quote's dates, else `now`.
    public static func snapshots(_ data: Data, asked: [Symbol], now: Date) throws(MarketDataError) -> [Symbol: MarketSnapshot] {
        let json = try parse(data)
        let quotes = json["quotes"]
        if quotes.isEmptyValue { return [:] }
        guard case .object = quotes else { throw .malformed("quotes: expected an object") }
        let names = lookup(asked)
        var result: [Symbol: MarketSnapshot] = [:]
        for quote in quotes["quote"].list {
            guard let symbol = symbol(quote["symbol"].string, asked: names) else { continue }
            let tradeDate = quote["trade_date"].date
            let dates = [tradeDate, quote["bid_date"].date, quote["ask_date"].date].compactMap { $0 }
            result[symbol] = MarketSnapshot(
                symbol: symbol, last: positive(quote["last"]), lastTime: tradeDate,
                bid: positive(quote["bid"]), ask: positive(quote["ask"]),
                dayOpen: positive(quote["open"]), dayHigh: positive(quote["high"]), dayLow: positive(quote["low"]),
                dayVolume: quote["volume"].decimal, previousClose: positive(quote["prevclose"]),
                updated: dates.max() ?? now)
        }
        return result
    }

    /// A price Tradier sends; zero and negative mean "none" (an empty book shows `bid: 0`).
    static func positive(_ value: TradierJSON) -> Decimal? {
        guard let number = value.decimal, number > 0 else { return nil }
        return number
    }

    // MARK: bars

    /// `GET /markets/timesales?interval=1min` → minute bars, oldest first (§2.4): `series.data`
    /// (object or array; `{"series":null}` when there is none). A bar starts at `timestamp` (epoch
    /// seconds), else at `time` read as New York wall clock (it has no offset).
    public static func minuteBars(_ data: Data, symbol: Symbol) throws(MarketDataError) -> [Bar] {
        let json = try parse(data)
        let series = json["series"]
        if series.isEmptyValue { return [] }
        guard case .object = series else { throw .malformed("timesales: expected a series object") }
        return series["data"].list.compactMap { row in
            guard let start = row["timestamp"].date ?? row["time"].date else { return nil }
            return bar(row, symbol: symbol, timespan: .minute, start: start)
        }.sorted { $0.start < $1.start }
    }

    /// `GET /markets/history?interval=daily` → daily bars, oldest first: `history.day` (object or
    /// array; `{"history":null}` when there is none). A day's bar starts at New York midnight of its
    /// `date`, as Polygon's daily bars do (docs/vendors.md §5).
    public static func dailyBars(_ data: Data, symbol: Symbol) throws(MarketDataError) -> [Bar] {
        let json = try parse(data)
        let history = json["history"]
        if history.isEmptyValue { return [] }
        guard case .object = history else { throw .malformed("history: expected an object") }
        return history["day"].list.compactMap { row in
            guard let text = row["date"].string, text.count == 10, let start = TradierDates.iso(text) else { return nil }
            return bar(row, symbol: symbol, timespan: .day, start: start)
        }.sorted { $0.start < $1.start }
    }

    static func bar(_ row: TradierJSON, symbol: Symbol, timespan: Timespan, start: Date) -> Bar? {
        guard let open = row["open"].decimal, let high = row["high"].decimal, let low = row["low"].decimal,
              let close = row["close"].decimal else { return nil }
        return Bar(
            symbol: symbol, timespan: timespan, start: start, open: open, high: high, low: low, close: close,
            volume: row["volume"].decimal ?? 0, vwap: row["vwap"].decimal)
    }

    // MARK: streaming

    /// A streaming session: `{"stream":{"url":…,"sessionid":…}}` (§2.8).
    public struct Session: Sendable, Hashable {
        public var id: String
        /// The HTTP-streaming URL Tradier names; the WebSocket has its own host.
        public var url: String?
    }

    public static func session(_ data: Data) throws(MarketDataError) -> Session {
        let stream = try parse(data)["stream"]
        guard let id = stream["sessionid"].string, !id.isEmpty else { throw .malformed("stream session: no sessionid") }
        return Session(id: id, url: stream["url"].string)
    }

    /// The WebSocket request payload (§2.8): sent after connecting, and again on the same socket
    /// whenever the symbols change. Symbols are sorted so the same set is the same text.
    public static func subscription(symbols: Set<Symbol>, sessionID: String, filter: [String] = ["trade", "quote", "summary"]) -> String {
        let names = symbols.map(wireSymbol).sorted().map(quoted).joined(separator: ",")
        return #"{"symbols":[\#(names)],"sessionid":\#(quoted(sessionID)),"filter":[\#(filter.map(quoted).joined(separator: ","))],"linebreak":true}"#
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// What one WebSocket message holds: events, validation errors, and what could not be read.
    public struct StreamMessage: Sendable, Hashable {
        public var events: [MarketEvent] = []
        /// `{"error":"…"}` payloads (an invalid symbol, a session Tradier no longer knows).
        public var errors: [String] = []
        /// Lines that were not JSON or not an event we understand (`timesale`, unknown types are skipped silently).
        public var malformed: [String] = []
    }

    /// Parses one WebSocket message. With `linebreak: true` a message may hold several payloads,
    /// one per line. Numbers arrive as strings (`"price":"281.85"`) or numbers; dates are epoch
    /// milliseconds as strings. A summary has no time of its own: it is stamped `now`.
    public static func streamMessage(_ text: String, asked: [String: Symbol], now: Date) -> StreamMessage {
        var message = StreamMessage()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let json = try? TradierJSON.parse(Data(trimmed.utf8)), case .object = json else {
                message.malformed.append(String(trimmed.prefix(120)))
                continue
            }
            if let error = json["error"].string {
                message.errors.append(error)
                continue
            }
            let type = json["type"].string ?? ""
            guard ["trade", "tradex", "quote", "summary"].contains(type) else {
                if type.isEmpty { message.malformed.append(String(trimmed.prefix(120))) }
                continue
            }
            guard let symbol = symbol(json["symbol"].string, asked: asked) else {
                message.malformed.append(String(trimmed.prefix(120)))
                continue
            }
            switch type {
            case "quote":
                guard let bid = json["bid"].decimal, let ask = json["ask"].decimal else {
                    message.malformed.append(String(trimmed.prefix(120)))
                    continue
                }
                let time = [json["biddate"].date, json["askdate"].date].compactMap { $0 }.max() ?? now
                message.events.append(.quote(BidAsk(
                    symbol: symbol, bid: bid, bidSize: json["bidsz"].decimal ?? 0, ask: ask,
                    askSize: json["asksz"].decimal ?? 0, time: time)))
            case "summary":
                message.events.append(.summary(DaySummary(
                    symbol: symbol, open: positive(json["open"]), high: positive(json["high"]), low: positive(json["low"]),
                    previousClose: positive(json["prevClose"]), time: now)))
            default:  // trade, tradex
                // `last` is the consolidated last after this print; `price` the print's own price.
                // A print that does not update last (odd lot, out of sequence) leaves `last` as it
                // was, so `last` decides; `price` only when `last` is missing.
                guard let price = positive(json["last"]) ?? positive(json["price"]) else {
                    message.malformed.append(String(trimmed.prefix(120)))
                    continue
                }
                let time = json["date"].date ?? now
                message.events.append(.trade(Trade(symbol: symbol, price: price, size: json["size"].decimal ?? 0, time: time)))
                if let volume = json["cvol"].decimal {
                    message.events.append(.summary(DaySummary(symbol: symbol, volume: volume, time: time)))
                }
            }
        }
        return message
    }

    /// True when a stream error says the session id is unknown or expired (the client then takes
    /// a new session). Tradier does not document the wording; any error naming the session counts.
    public static func isSessionError(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.contains("session")
    }

    // MARK: errors

    static func parse(_ data: Data) throws(MarketDataError) -> TradierJSON {
        do {
            return try TradierJSON.parse(data)
        } catch {
            if TradierWire.isXML(data) { throw .malformed("answer is XML, not JSON (was Accept: application/json sent?)") }
            throw .malformed("not JSON: \(error)")
        }
    }

    /// The broker adapter's error classification, in the market-data port's terms.
    public static func marketDataError(_ error: BrokerError) -> MarketDataError {
        switch error {
        case .unauthorized(let detail): .unauthorized(detail)
        case .rateLimited(let after): .rateLimited(retryAfter: after.map { .milliseconds(Int64($0 * 1000)) })
        case .malformed(let detail): .malformed(detail)
        case .rejected(_, let reason): .unavailable("refused: \(reason)")
        case .notFound(let detail): .unavailable("not found: \(detail)")
        case .unavailable(let detail), .outcomeUnknown(let detail): .unavailable(detail)
        }
    }
}
