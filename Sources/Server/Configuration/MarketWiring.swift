import Foundation
import Logging
import Polygon
import Simulation
import TradingEngine

/// Chooses the market-data feed and snapshot source from the configuration.
enum MarketWiring {
    /// The feed and snapshot source the configuration asks for (or `feedOverride`). The simulated
    /// market trades by `calendar` unless `TA_SIM_SESSION=always_open`; Polygon uses `polygonREST`
    /// (shared with the calendar, so one request budget covers both).
    static func makeFeed(
        config: AppConfig, clock: any WallClock, logger: Logger, calendar: any MarketCalendarSource,
        polygonREST: PolygonRESTClient?, feedOverride: (any MarketDataFeed)? = nil
    ) throws -> (feed: any MarketDataFeed, snapshots: (any MarketSnapshotSource)?) {
        if let feedOverride { return (feedOverride, nil) }
        return try configuredFeed(config: config, clock: clock, logger: logger, calendar: calendar, polygonREST: polygonREST)
    }

    /// The Polygon REST client when Polygon is the market-data provider.
    static func polygonREST(config: AppConfig, logger: Logger) throws -> PolygonRESTClient? {
        guard config.marketData == .polygon else { return nil }
        return try PolygonRESTClient(
            restBase: config.polygonRESTURL, apiKey: config.polygonAPIKey ?? "", requestsPerMinute: config.polygonRequestsPerMinute,
            logger: logger)
    }

    static func configuredFeed(
        config: AppConfig, clock: any WallClock, logger: Logger, calendar: any MarketCalendarSource, polygonREST: PolygonRESTClient?
    ) throws -> (any MarketDataFeed, (any MarketSnapshotSource)?) {
        switch config.marketData {
        case .simulated:
            let market = SimulatedMarket(
                seed: SimulationSeed(config.simulationSeed), ticksPerSecond: config.simulationTicksPerSecond,
                clock: clock, logger: logger,
                sessions: config.simulationSession == .alwaysOpen ? .alwaysOpen : .calendar(calendar))
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
            let rest = try polygonREST ?? PolygonRESTClient(
                restBase: config.polygonRESTURL, apiKey: key, requestsPerMinute: config.polygonRequestsPerMinute, logger: logger)
            return (feed, rest)
        }
    }
}
