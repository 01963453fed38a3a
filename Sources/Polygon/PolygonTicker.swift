import Foundation
import TradingDomain

/// Our symbols as Polygon/Massive spells them and back (docs/vendors.md §1.8). Stocks are the same
/// on both sides; an option is our OCC symbol (`AAPL261218C00250000`, as Tradier writes it) with
/// Polygon's `O:` prefix (`O:AAPL261218C00250000`) in WebSocket topics, `sym` fields and REST
/// tickers (https://massive.com/docs/websocket/options/trades).
public enum PolygonTicker {
    public static let optionPrefix = "O:"

    /// `AAPL` → `AAPL`; `AAPL261218C00250000` → `O:AAPL261218C00250000`.
    public static func ticker(for symbol: Symbol) -> String {
        symbol.isOption ? optionPrefix + symbol.rawValue : symbol.rawValue
    }

    /// `O:AAPL261218C00250000` → `AAPL261218C00250000`; `AAPL` → `AAPL`. Nil when the text is
    /// not a symbol we accept, or carries `O:` without an OCC option symbol after it.
    public static func symbol(from ticker: String) -> Symbol? {
        if ticker.hasPrefix(optionPrefix) {
            guard let symbol = try? Symbol(validating: String(ticker.dropFirst(optionPrefix.count))), symbol.isOption else {
                return nil
            }
            return symbol
        }
        return try? Symbol(validating: ticker)
    }
}
