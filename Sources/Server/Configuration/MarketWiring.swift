import Foundation
import Logging
import Polygon
import Simulation
import Tradier
import TradingEngine

/// Chooses the market-data feed and snapshot source from the configuration.
enum MarketWiring {
    /// The feed and snapshot source the configuration asks for (or `feedOverride`).
    static func makeFeed(
        config: AppConfig, clock: any WallClock, logger: Logger, feedOverride: (any MarketDataFeed)? = nil
    ) throws -> (feed: any MarketDataFeed, snapshots: (any MarketSnapshotSource)?) {
        if let feedOverride { return (feedOverride, nil) }
        return try configuredFeed(config: config, clock: clock, logger: logger)
    }

    static func configuredFeed(
        config: AppConfig, clock: any WallClock, logger: Logger
    ) throws -> (any MarketDataFeed, (any MarketSnapshotSource)?) {
        switch config.marketData {
        case .simulated:
            let market = SimulatedMarket(
                seed: SimulationSeed(config.simulation.seed), ticksPerSecond: config.simulation.ticksPerSecond,
                clock: clock, logger: logger)
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
            let rest = try PolygonRESTClient(
                restBase: config.polygon.restURL, apiKey: key, plan: config.polygon.plan == .paid ? .paid : .free,
                requestsPerMinute: config.polygon.requestsPerMinute, clock: clock, logger: logger)
            return (PolygonClusterFeed(stocks: stocks, options: options), rest)
        case .tradier:
            // Tradier's own market data (issue 16): quotes and bars over REST, the market WebSocket.
            guard let configuration = BrokerWiring.tradierConfiguration(config) else {
                throw ConfigError("TA_MARKET_DATA", "is 'tradier', which needs TRADIER_ACCESS_TOKEN and TRADIER_ACCOUNT_ID")
            }
            do {
                let rest = try TradierMarketData(configuration: configuration, clock: clock, logger: logger)
                let feed = TradierStreamFeed(
                    url: config.tradier.streamURL ?? TradierStreamFeed.defaultURL, market: rest, clock: clock, logger: logger)
                return (feed, rest)
            } catch {
                throw ConfigError("TRADIER_ENV", error.message)
            }
        }
    }
}
