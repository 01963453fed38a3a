import AsyncHTTPClient
import Foundation
import Polygon
import Tradier
import TradingEngine

/// Chooses where the market calendar is refreshed from (docs/sessions.md, "Provider refresh"):
/// Polygon when it is the market-data provider, else Tradier when it is configured, else nothing
/// (NYSE's published days and the rules, built in).
enum CalendarWiring {
    static func makeProvider(config: AppConfig, polygonREST: PolygonRESTClient?, http: HTTPClient, loggers: LoggerFactory) -> (any MarketCalendarProvider)? {
        if let polygonREST { return PolygonCalendarProvider(client: polygonREST) }
        if let configuration = BrokerWiring.tradierConfiguration(config) {
            return TradierCalendarProvider(configuration: configuration, httpClient: http, logger: loggers.make("tradier-calendar"))
        }
        return nil
    }
}
