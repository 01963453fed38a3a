import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import TradingDomain
import TradingEngine

/// Tradier's REST market data (docs/vendors.md §2.2, §2.4) as the market-data snapshot port:
/// batched quotes for the start-up fill, catch-up after a gap and the fallback poller; minute bars
/// from `timesales` and daily bars from `history` for charts and ATR; and the market streaming
/// session the stream feed needs. Same host, token, rate-limit bookkeeping and GET retries as the
/// broker (the Market Data bucket, §2.7).
public final class TradierMarketData: MarketSnapshotSource, Sendable {
    let client: TradierHTTP
    let clock: any WallClock
    let logger: Logger
    /// Most symbols in one quotes request (longer lists are split, one request per chunk).
    let quoteBatch: Int

    public init(
        configuration: TradierConfiguration, clock: any WallClock, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "tradier-market"), quoteBatch: Int = 200
    ) throws(TradierConfigurationError) {
        try configuration.validate()
        client = TradierHTTP(configuration: configuration, http: httpClient, logger: logger)
        self.clock = clock
        self.logger = logger
        self.quoteBatch = max(1, quoteBatch)
    }

    /// `GET /markets/quotes?symbols=A,B&greeks=false`: one request for up to `quoteBatch` symbols.
    public func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        var result: [Symbol: MarketSnapshot] = [:]
        let unique = Array(Set(symbols)).sorted()
        for start in stride(from: 0, to: unique.count, by: quoteBatch) {
            let chunk = Array(unique[start..<min(start + quoteBatch, unique.count)])
            let names = chunk.map(TradierMarketWire.wireSymbol).joined(separator: ",")
            let body = try await get("markets/quotes", [("symbols", names), ("greeks", "false")])
            result.merge(try TradierMarketWire.snapshots(body, asked: chunk, now: clock.now())) { _, new in new }
        }
        return result
    }

    /// Minute bars from `GET /markets/timesales?interval=1min&session_filter=all`, daily bars from
    /// `GET /markets/history?interval=daily`; times in the query are New York wall clock.
    public func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        let name = TradierMarketWire.wireSymbol(symbol)
        let bars: [Bar]
        switch timespan {
        case .minute:
            let body = try await get("markets/timesales", [
                ("symbol", name), ("interval", "1min"), ("start", Self.newYork(from, time: true)),
                ("end", Self.newYork(to, time: true)), ("session_filter", "all"),
            ])
            bars = try TradierMarketWire.minuteBars(body, symbol: symbol)
        case .day:
            let body = try await get("markets/history", [
                ("symbol", name), ("interval", "daily"), ("start", Self.newYork(from, time: false)),
                ("end", Self.newYork(to, time: false)),
            ])
            bars = try TradierMarketWire.dailyBars(body, symbol: symbol)
        }
        return Array(bars.suffix(max(0, limit)))
    }

    /// `POST /markets/events/session` (no body): a session id for the market WebSocket, valid for
    /// 5 minutes until used (§2.8). Not an order, so a failure is simply reported; the stream's
    /// reconnect loop asks again.
    public func createStreamSession() async throws(MarketDataError) -> TradierMarketWire.Session {
        let reply: TradierHTTP.Reply
        do {
            reply = try await client.exchange(.POST, "markets/events/session", query: [], form: nil)
        } catch {
            throw TradierMarketWire.marketDataError(error)
        }
        if let error = TradierWire.error(status: reply.status, body: reply.body) {
            throw TradierMarketWire.marketDataError(error)
        }
        return try TradierMarketWire.session(reply.body)
    }

    func get(_ path: String, _ query: [(String, String)]) async throws(MarketDataError) -> Data {
        do {
            return try await client.get(path, query: query)
        } catch {
            throw TradierMarketWire.marketDataError(error)
        }
    }

    /// `yyyy-MM-dd HH:mm` (or `yyyy-MM-dd`) in New York time, as `timesales` and `history` expect.
    static func newYork(_ date: Date, time: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TradierDates.newYork
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        return time ? day + String(format: " %02d:%02d", c.hour ?? 0, c.minute ?? 0) : day
    }
}
