import AsyncHTTPClient
import Foundation
import Logging
import Persistence
import Simulation
import Tradier
import TradingDomain
import TradingEngine

/// Chooses the broker from the configuration: the paper broker (offline default), filled from the
/// live quote cache, or Tradier when its token and account are set.
enum BrokerWiring {
    /// How to reach Tradier (broker and market data share it), when its token and account are set.
    static func tradierConfiguration(_ config: AppConfig) -> TradierConfiguration? {
        guard let token = config.tradier.accessToken, let account = config.tradier.accountID else { return nil }
        return TradierConfiguration(
            accessToken: token, accountID: account,
            environment: config.tradier.environmentInUse == .live ? .live : .sandbox,
            baseURL: config.tradier.baseURL.flatMap { URL(string: $0.hasSuffix("/") ? $0 : $0 + "/") },
            allowLive: config.allowLiveTrading, requestTimeout: .seconds(config.brokerTimeoutSeconds))
    }

    /// The broker, and the market subscriber it is when it matches against our own quotes (paper).
    static func makeBroker(
        config: AppConfig, http: HTTPClient, store: Store, cache: QuoteCache, clock: any WallClock, loggers: LoggerFactory,
        calendar: any MarketCalendarSource
    ) async throws -> (broker: any BrokerPort, subscriber: (any MarketSubscriber)?) {
        if let configuration = tradierConfiguration(config) {
            do {
                return (try TradierBroker(configuration: configuration, httpClient: http, logger: loggers.make("tradier")), nil)
            } catch {
                throw ConfigError("TRADIER_ENV", error.message)
            }
        }
        let settings = PaperSettings(
            startingCash: config.paper.equity, slippagePerShare: config.paper.slippage,
            commissionPerOrder: config.paper.commission, commissionPerContract: config.paper.optionCommission,
            optionVolatility: config.paper.optionVolatility)
        let paper = PaperBroker(
            settings: settings, store: FluentDocumentStore(store: store, name: "paper_ledger"),
            quotes: { cache.quote(for: $0) }, clock: clock, logger: loggers.make("paper"),
            calendar: calendar)
        try await paper.load()
        return (paper, paper)
    }
}
