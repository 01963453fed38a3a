import Foundation

/// Polygon/Massive market data (`POLYGON_*`, docs/configuration.md).
public struct PolygonConfig: Sendable {
    public enum Feed: String, Sendable, CaseIterable { case realtime, delayed }
    public enum Plan: String, Sendable, CaseIterable { case free, paid }

    public var apiKey: String?
    public var feed: Feed = .realtime
    /// `POLYGON_WS_URL`: replaces the stream host (tests point it at a loopback fake).
    public var webSocketURL: String?
    public var restURL: String = "https://api.massive.com"
    /// REST calls allowed per minute on the free plan (which allows 5).
    public var requestsPerMinute: Int = 5
    /// `POLYGON_PLAN`: `free` keeps the minute budget; `paid` has none and only backs off on 429.
    public var plan: Plan = .free

    public init() {}

    /// The WebSocket URL: `POLYGON_WS_URL`, else the real-time or delayed host.
    public var streamURL: String {
        webSocketURL ?? (feed == .delayed ? "wss://delayed.massive.com/stocks" : "wss://socket.massive.com/stocks")
    }

    /// Reads the `polygon` scope.
    static func read(_ scope: ConfigScope) -> PolygonConfig {
        var config = PolygonConfig()
        config.apiKey = scope.text("api.key")
        if let feed = scope.choice("feed", Feed.self) { config.feed = feed }
        config.webSocketURL = scope.url("ws.url", schemes: ["ws", "wss"])
        if let rest = scope.url("rest.url", schemes: ["http", "https"], trimSlash: true) { config.restURL = rest }
        if let perMinute = scope.integer("max.requests.per.min", 1...100_000) { config.requestsPerMinute = perMinute }
        if let plan = scope.choice("plan", Plan.self) { config.plan = plan }
        return config
    }

    var summary: [String: String?] {
        ["POLYGON_API_KEY": AppConfig.redacted(apiKey), "POLYGON_FEED": feed.rawValue, "POLYGON_WS_URL": streamURL,
         "POLYGON_REST_URL": restURL, "POLYGON_MAX_REQUESTS_PER_MIN": String(requestsPerMinute), "POLYGON_PLAN": plan.rawValue]
    }
}
