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
    /// The broker, and the market subscriber it is when it matches against our own quotes (paper).
    static func makeBroker(
        config: AppConfig, store: Store, cache: QuoteCache, clock: any WallClock, loggers: LoggerFactory,
        calendar: any MarketCalendarSource
    ) async throws -> (broker: any BrokerPort, subscriber: (any MarketSubscriber)?) {
        if let token = config.tradierAccessToken, let account = config.tradierAccountID {
            let configuration = TradierConfiguration(
                accessToken: token, accountID: account,
                environment: config.tradierEnvironmentInUse == .live ? .live : .sandbox,
                baseURL: config.tradierBaseURL.flatMap { URL(string: $0.hasSuffix("/") ? $0 : $0 + "/") },
                allowLive: config.allowLiveTrading, requestTimeout: .seconds(config.brokerTimeoutSeconds))
            do {
                return (try TradierBroker(configuration: configuration, logger: loggers.make("tradier")), nil)
            } catch {
                throw ConfigError("TRADIER_ENV", error.message)
            }
        }
        let settings = PaperSettings(
            startingCash: config.paperEquity, slippagePerShare: config.paperSlippage,
            commissionPerOrder: config.paperCommission, commissionPerContract: config.paperOptionCommission,
            optionVolatility: config.paperOptionVolatility)
        let paper = PaperBroker(
            settings: settings, store: FluentDocumentStore(store: store, name: "paper_ledger"),
            quotes: { cache.quote(for: $0) }, clock: clock, logger: loggers.make("paper"),
            calendar: calendar)
        try await paper.load()
        return (paper, paper)
    }
}
