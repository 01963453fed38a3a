import Foundation
import TradingDomain

/// A stocks WebSocket channel: the prefix of a subscription topic (`T.AAPL`).
public enum PolygonChannel: String, Sendable, Hashable, CaseIterable {
    case trades = "T"
    case quotes = "Q"
    case minuteAggregates = "AM"
    case secondAggregates = "A"
}

/// Client→server WebSocket messages: single JSON objects (not arrays), docs/vendors.md §1.2.
/// Output is deterministic (fixed key order, topics sorted) so tests and fakes can compare text.
public enum PolygonClientMessage {
    /// Trades, quotes and minute bars: what the quote cache needs from the real-time feed.
    public static let defaultChannels: [PolygonChannel] = [.trades, .quotes, .minuteAggregates]

    /// Channels to use on a feed. The delayed feed has no `Q` (the spec lists quotes as real-time
    /// only), so it gets trades and minute bars.
    public static func channels(for feed: PolygonURLs.Feed) -> [PolygonChannel] {
        switch feed {
        case .realTime: defaultChannels
        case .delayed: [.trades, .minuteAggregates]
        }
    }

    /// `{"action":"auth","params":"<key>"}` with the key JSON-escaped.
    public static func auth(apiKey: String) -> String {
        message(action: "auth", params: apiKey)
    }

    /// `{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL,T.MSFT,…"}`, or nil when there is
    /// nothing to subscribe (never send an empty `params`).
    public static func subscribe(_ symbols: some Sequence<Symbol>, channels: [PolygonChannel] = defaultChannels) -> String? {
        subscribe(topics: topics(for: symbols, channels: channels))
    }

    /// `{"action":"unsubscribe","params":"…"}`, or nil when there is nothing to unsubscribe.
    public static func unsubscribe(_ symbols: some Sequence<Symbol>, channels: [PolygonChannel] = defaultChannels) -> String? {
        unsubscribe(topics: topics(for: symbols, channels: channels))
    }

    public static func subscribe(topics: [String]) -> String? {
        topics.isEmpty ? nil : message(action: "subscribe", params: topics.joined(separator: ","))
    }

    public static func unsubscribe(topics: [String]) -> String? {
        topics.isEmpty ? nil : message(action: "unsubscribe", params: topics.joined(separator: ","))
    }

    /// Topics for every symbol, symbols sorted and de-duplicated, channels in the given order per
    /// symbol: `[T.AAPL, Q.AAPL, AM.AAPL, T.MSFT, …]`; options with Polygon's prefix
    /// (`T.O:AAPL261218C00250000`, `PolygonTicker`).
    public static func topics(for symbols: some Sequence<Symbol>, channels: [PolygonChannel] = defaultChannels) -> [String] {
        var seenChannels = Set<PolygonChannel>()
        let uniqueChannels = channels.filter { seenChannels.insert($0).inserted }
        return Set(symbols).sorted().flatMap { symbol in
            uniqueChannels.map { "\($0.rawValue).\(PolygonTicker.ticker(for: symbol))" }
        }
    }

    static func message(action: String, params: String) -> String {
        "{\"action\":\(jsonString(action)),\"params\":\(jsonString(params))}"
    }

    /// A JSON string literal (RFC 8259): quote, backslash and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }
}
