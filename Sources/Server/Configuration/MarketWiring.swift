import AsyncHTTPClient
import Foundation
import Logging
import Polygon
import Simulation
import Tradier
import TradingEngine

/// Chooses the market-data feed and snapshot source from the configuration.
enum MarketWiring {
    /// The feed and snapshot source the configuration asks for (or `feedOverride`). The simulated
    /// market trades by `calendar` unless `TA_SIM_SESSION=always_open`; Polygon uses `polygonREST`
    /// (shared with the calendar, so one request budget covers both).
    static func makeFeed(
        config: AppConfig, http: HTTPClient, clock: any WallClock, logger: Logger, calendar: any MarketCalendarSource,
        polygonREST: PolygonRESTClient?, feedOverride: (any MarketDataFeed)? = nil
    ) throws -> (feed: any MarketDataFeed, snapshots: (any MarketSnapshotSource)?) {
        if let feedOverride { return (feedOverride, nil) }
        return try configuredFeed(config: config, http: http, clock: clock, logger: logger, calendar: calendar, polygonREST: polygonREST)
    }

    /// The Polygon REST client when Polygon is the market-data provider.
    static func polygonREST(config: AppConfig, http: HTTPClient, clock: any WallClock, logger: Logger) throws -> PolygonRESTClient? {
        guard config.marketData == .polygon else { return nil }
        return try PolygonRESTClient(
            restBase: config.polygon.restURL, apiKey: config.polygon.apiKey ?? "", plan: config.polygon.plan == .paid ? .paid : .free,
            requestsPerMinute: config.polygon.requestsPerMinute, http: http, clock: clock, logger: logger)
    }

    static func configuredFeed(
        config: AppConfig, http: HTTPClient, clock: any WallClock, logger: Logger, calendar: any MarketCalendarSource,
        polygonREST: PolygonRESTClient?
    ) throws -> (any MarketDataFeed, (any MarketSnapshotSource)?) {
        switch config.marketData {
        case .simulated:
            let market = SimulatedMarket(
                seed: SimulationSeed(config.simulation.seed), ticksPerSecond: config.simulation.ticksPerSecond,
                clock: clock, logger: logger,
                sessions: config.simulation.session == .alwaysOpen ? .alwaysOpen : .calendar(calendar))
            return (market, market)
        case .replay:
            do {
                let replay = try ReplayFeed(path: config.replay.file ?? "", speed: config.replay.speed, clock: clock, logger: logger)
                return (replay, replay)
            } catch {
                let problems = error.errors.prefix(3).map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                throw ConfigError("TA_REPLAY_FILE", "could not be replayed: \(problems)")
            }
        case .polygon:
            let key = config.polygon.apiKey ?? ""
            let channels = PolygonClientMessage.channels(for: config.polygon.feed == .delayed ? .delayed : .realTime)
            let stocks = PolygonStreamFeed(url: config.polygon.streamURL, apiKey: key, channels: channels, clock: clock, logger: logger)
            // Option symbols stream on the options cluster, its own connection (docs/vendors.md §1.8).
            var optionsLogger = logger
            optionsLogger[metadataKey: "cluster"] = "options"
            let options = PolygonURLs.optionsStreamURL(forStocks: config.polygon.streamURL).map {
                PolygonStreamFeed(url: $0, apiKey: key, channels: channels, clock: clock, logger: optionsLogger)
            }
            guard let rest = try polygonREST ?? Self.polygonREST(config: config, http: http, clock: clock, logger: logger) else {
                throw ConfigError("TA_MARKET_DATA", "is 'polygon', which needs POLYGON_API_KEY")
            }
            return (PolygonClusterFeed(stocks: stocks, options: options), rest)
        case .tradier:
            // Tradier's own market data (issue 16): quotes and bars over REST, the market WebSocket.
            guard let configuration = BrokerWiring.tradierConfiguration(config) else {
                throw ConfigError("TA_MARKET_DATA", "is 'tradier', which needs TRADIER_ACCESS_TOKEN and TRADIER_ACCOUNT_ID")
            }
            do {
                let rest = try TradierMarketData(configuration: configuration, clock: clock, httpClient: http, logger: logger)
                let feed = TradierStreamFeed(
                    url: config.tradier.streamURL ?? TradierStreamFeed.defaultURL, market: rest, clock: clock, logger: logger)
                return (feed, rest)
            } catch {
                throw ConfigError("TRADIER_ENV", error.message)
            }
        }
    }
}
