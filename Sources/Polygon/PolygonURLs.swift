import Foundation
import TradingDomain

/// Builds Polygon/Massive URLs (docs/vendors.md §1.1, 1.4, 1.5) against a configurable REST base
/// (`POLYGON_REST_URL`; a loopback fake in tests). Tickers are percent-encoded as path segments and
/// query values. The API key goes in the `apiKey` query parameter only when `queryAPIKey` is set;
/// otherwise send `Authorization: Bearer <key>` (`authorizationHeader(apiKey:)`).
public struct PolygonURLs: Sendable, Hashable {
    public static let defaultRESTBase = "https://api.massive.com"

    /// Which WebSocket host to use (`POLYGON_FEED`).
    public enum Feed: String, Sendable, Hashable, CaseIterable {
        case realTime = "realtime"
        case delayed

        /// `wss://socket.massive.com/stocks` or `wss://delayed.massive.com/stocks`.
        public var defaultWebSocketURL: URL {
            switch self {
            case .realTime: URL(string: "wss://socket.massive.com/stocks")!
            case .delayed: URL(string: "wss://delayed.massive.com/stocks")!
            }
        }
    }

    /// The options cluster on the same host as a stocks stream URL (docs/vendors.md §1.8):
    /// `wss://socket.massive.com/stocks` → `wss://socket.massive.com/options` (real-time, delayed
    /// and test hosts alike). Nil when the URL's path does not end in `/stocks`.
    public static func optionsStreamURL(forStocks url: String) -> String? {
        guard var components = URLComponents(string: url), components.path.hasSuffix("/stocks") else { return nil }
        components.path = String(components.path.dropLast("stocks".count)) + "options"
        return components.string
    }

    /// The base as configured, without a trailing slash (may carry a path prefix).
    public let restBase: String
    /// When set, appended to every URL (including followed `next_url`s) as `apiKey=…`.
    public let queryAPIKey: String?
    private let scheme: String
    private let host: String
    private let port: Int
    /// `scheme://host[:port]` of the base, as written.
    private let origin: String

    /// The default base, `https://api.massive.com`.
    public init(queryAPIKey: String? = nil) {
        self = PolygonURLs(restBase: Self.defaultRESTBase, queryAPIKey: queryAPIKey)!
    }

    /// Nil unless `restBase` is an absolute `http`/`https` URL with a host and no query, fragment
    /// or user info. A trailing slash is ignored.
    public init?(restBase: String, queryAPIKey: String? = nil) {
        var base = restBase.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        guard let components = URLComponents(string: base),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host?.lowercased(), !host.isEmpty,
              components.query == nil, components.fragment == nil,
              components.user == nil, components.password == nil
        else { return nil }
        self.restBase = base
        self.queryAPIKey = queryAPIKey.flatMap { $0.isEmpty ? nil : $0 }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? Self.defaultPort(scheme)
        self.origin = String(base.dropLast(components.percentEncodedPath.count))
    }

    /// `("Authorization", "Bearer <key>")`.
    public static func authorizationHeader(apiKey: String) -> (name: String, value: String) {
        ("Authorization", "Bearer \(apiKey)")
    }

    // MARK: endpoints

    /// `/v2/snapshot/locale/us/markets/stocks/tickers?tickers=A,B` (sorted, de-duplicated; options
    /// are left out, this endpoint is for stocks). Nil for no stock symbols: an empty `tickers`
    /// would ask for the whole market.
    public func snapshot(for symbols: some Sequence<Symbol>) -> URL? {
        let tickers = Set(symbols).filter { !$0.isOption }.sorted().map { Self.encode($0.rawValue) }
        guard !tickers.isEmpty else { return nil }
        return url(["v2", "snapshot", "locale", "us", "markets", "stocks", "tickers"],
                   query: [("tickers", tickers.joined(separator: ","))])
    }

    /// `/v2/snapshot/locale/us/markets/stocks/tickers/{t}`.
    public func snapshot(for symbol: Symbol) -> URL {
        url(["v2", "snapshot", "locale", "us", "markets", "stocks", "tickers", symbol.rawValue])
    }

    /// `/v2/aggs/ticker/{t}/prev?adjusted=true` (`{t}` as `PolygonTicker` spells it: `O:` for options).
    public func previousClose(for symbol: Symbol, adjusted: Bool = true) -> URL {
        url(["v2", "aggs", "ticker", PolygonTicker.ticker(for: symbol), "prev"], query: [("adjusted", String(adjusted))])
    }

    /// `/v2/aggs/ticker/{t}/range/1/{minute|day}/{fromMs}/{toMs}?adjusted=true&sort=asc[&limit=n]`.
    /// `limit` counts base aggregates scanned (vendor default 5000, max 50000).
    public func bars(
        for symbol: Symbol, timespan: Timespan, from: Date, to: Date,
        adjusted: Bool = true, ascending: Bool = true, limit: Int? = nil
    ) -> URL {
        bars(for: symbol, timespan: timespan, from: String(PolygonTime.milliseconds(from)),
             to: String(PolygonTime.milliseconds(to)), adjusted: adjusted, ascending: ascending, limit: limit)
    }

    /// Same, with `from`/`to` as given: `YYYY-MM-DD` (New York days) or Unix ms.
    public func bars(
        for symbol: Symbol, timespan: Timespan, from: String, to: String,
        adjusted: Bool = true, ascending: Bool = true, limit: Int? = nil
    ) -> URL {
        var query = [("adjusted", String(adjusted)), ("sort", ascending ? "asc" : "desc")]
        if let limit { query.append(("limit", String(min(max(limit, 1), 50_000)))) }
        return url(["v2", "aggs", "ticker", PolygonTicker.ticker(for: symbol), "range", "1", timespan.rawValue, from, to],
                   query: query.map { ($0.0, Self.encode($0.1)) })
    }

    /// `/v2/last/trade/{t}`.
    public func lastTrade(for symbol: Symbol) -> URL {
        url(["v2", "last", "trade", symbol.rawValue])
    }

    /// `/v2/last/nbbo/{t}`.
    public func lastQuote(for symbol: Symbol) -> URL {
        url(["v2", "last", "nbbo", symbol.rawValue])
    }

    /// `/v1/marketstatus/now`.
    public func marketStatus() -> URL { url(["v1", "marketstatus", "now"]) }

    /// `/v1/marketstatus/upcoming`.
    public func marketHolidays() -> URL { url(["v1", "marketstatus", "upcoming"]) }

    /// The URL to fetch for a response's `next_url`: only if it is on the same scheme, host and port
    /// as `restBase` (a relative `/path?…` is resolved against it), without user info. Any `apiKey`
    /// it carries is dropped and ours re-added when `queryAPIKey` is set (with Bearer auth, just send
    /// the header again). Nil = refuse: stop paging.
    public func next(_ nextURL: String) -> URL? {
        let text = nextURL.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        let absolute = text.hasPrefix("/") && !text.hasPrefix("//") ? origin + text : text
        guard var components = URLComponents(string: absolute),
              components.scheme?.lowercased() == scheme,
              components.host?.lowercased() == host,
              (components.port ?? Self.defaultPort(scheme)) == port,
              components.user == nil, components.password == nil
        else { return nil }
        components.fragment = nil
        var items = (components.percentEncodedQueryItems ?? []).filter { $0.name != "apiKey" }
        if let queryAPIKey { items.append(URLQueryItem(name: "apiKey", value: Self.encode(queryAPIKey))) }
        components.percentEncodedQueryItems = items.isEmpty ? nil : items
        return components.url
    }

    // MARK: helpers

    /// `restBase` + encoded path segments + `query` (values already encoded) + `apiKey`.
    func url(_ segments: [String], query: [(String, String)] = []) -> URL {
        var text = restBase + "/" + segments.map(Self.encode).joined(separator: "/")
        var pairs = query.map { "\($0.0)=\($0.1)" }
        if let queryAPIKey { pairs.append("apiKey=" + Self.encode(queryAPIKey)) }
        if !pairs.isEmpty { text += "?" + pairs.joined(separator: "&") }
        guard let url = URL(string: text) else {
            preconditionFailure("PolygonURLs built an invalid URL from a validated base: \(text)")
        }
        return url
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters (so `/`, `,`, `&`, `+`, `=`
    /// and spaces inside a ticker or key never change the URL's structure).
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }
}
