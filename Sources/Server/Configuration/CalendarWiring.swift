import Foundation
import Polygon
import Tradier
import TradingEngine

/// Chooses where the market calendar is refreshed from (docs/sessions.md, "Provider refresh"):
/// Polygon when it is the market-data provider, else Tradier when it is configured, else nothing
/// (NYSE's published days and the rules, built in).
enum CalendarWiring {
    static func makeProvider(config: AppConfig, polygonREST: PolygonRESTClient?, loggers: LoggerFactory) -> (any MarketCalendarProvider)? {
        if let polygonREST { return PolygonCalendarProvider(client: polygonREST) }
        if let token = config.tradierAccessToken, let account = config.tradierAccountID {
            let configuration = TradierConfiguration(
                accessToken: token, accountID: account,
                environment: config.tradierEnvironmentInUse == .live ? .live : .sandbox,
                baseURL: config.tradierBaseURL.flatMap { URL(string: $0.hasSuffix("/") ? $0 : $0 + "/") },
                allowLive: config.allowLiveTrading, requestTimeout: .seconds(config.brokerTimeoutSeconds))
            return TradierCalendarProvider(configuration: configuration, logger: loggers.make("tradier-calendar"))
        }
        return nil
    }
}
