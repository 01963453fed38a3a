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
                seed: SimulationSeed(config.simulationSeed), ticksPerSecond: config.simulationTicksPerSecond,
                clock: clock, logger: logger)
            return (market, market)
        case .replay:
            do {
                let replay = try ReplayFeed(path: config.replayFile ?? "", speed: config.replaySpeed, clock: clock, logger: logger)
                return (replay, replay)
            } catch {
                let problems = error.errors.prefix(3).map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                throw ConfigError("TA_REPLAY_FILE", "could not be replayed: \(problems)")
            }
        case .polygon:
            let key = config.polygonAPIKey ?? ""
            let channels = PolygonClientMessage.channels(for: config.polygonFeed == .delayed ? .delayed : .realTime)
            let feed = PolygonStreamFeed(url: config.polygonStreamURL, apiKey: key, channels: channels, clock: clock, logger: logger)
            let rest = try PolygonRESTClient(
                restBase: config.polygonRESTURL, apiKey: key, requestsPerMinute: config.polygonRequestsPerMinute, logger: logger)
            return (feed, rest)
        case .tradier:
            // Tradier's own market data (issue 16): quotes and bars over REST, the market WebSocket.
            guard let configuration = BrokerWiring.tradierConfiguration(config) else {
                throw ConfigError("TA_MARKET_DATA", "is 'tradier', which needs TRADIER_ACCESS_TOKEN and TRADIER_ACCOUNT_ID")
            }
            do {
                let rest = try TradierMarketData(configuration: configuration, clock: clock, logger: logger)
                let feed = TradierStreamFeed(
                    url: config.tradierStreamURL ?? TradierStreamFeed.defaultURL, market: rest, clock: clock, logger: logger)
                return (feed, rest)
            } catch {
                throw ConfigError("TRADIER_ENV", error.message)
            }
        }
    }
}
