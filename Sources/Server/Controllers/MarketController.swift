import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TradingDomain
import TradingEngine

/// `GET /api/v1/quotes?symbols=A,B`, `GET /api/v1/bars/{symbol}` and `GET /api/v1/diag/feeds`.
struct MarketController {
    let market: MarketDataService
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("quotes") { request, _ in
            let parameters = request.uri.queryParameters
            var errors = FieldErrors()
            parameters.rejectUnknown(allowed: ["symbols"], errors: &errors)
            var symbols: [Symbol] = market.watchedSymbols.sorted()
            if let text = parameters.get("symbols") {
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                if parts.count > Watchlist.maxSymbols { errors.add("symbols", "must name at most \(Watchlist.maxSymbols) symbols") }
                symbols = parts.prefix(Watchlist.maxSymbols).enumerated().compactMap { index, part in
                    errors.collect { try Symbol(validating: String(part), field: "symbols[\(index)]") }
                }
            }
            try errors.throwIfAny()
            let found = market.cache.quotes(for: symbols)
            let seen = Set(found.map(\.quote.symbol))
            let missing = symbols.filter { !seen.contains($0) }.map { #""\#($0.rawValue)""# }
            let body = #"{"quotes":["# + found.map { EventFrames.priceData($0.quote, stale: $0.stale) }.joined(separator: ",")
                + #"],"missing":["# + missing.joined(separator: ",") + "]}"
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        group.get("bars/:symbol") { request, context in
            let symbol = try Symbol(validating: try context.parameters.require("symbol"))
            let parameters = request.uri.queryParameters
            var errors = FieldErrors()
            parameters.rejectUnknown(allowed: ["timespan", "limit"], errors: &errors)
            var timespan = Timespan.minute
            if let text = parameters.get("timespan") {
                if let parsed = Timespan(rawValue: text.lowercased()) { timespan = parsed } else {
                    errors.add("timespan", "must be 'minute' or 'day'")
                }
            }
            var limit = timespan == .minute ? 390 : 250
            if let text = parameters.get("limit") {
                if let value = Int(text), (1...5_000).contains(value) { limit = value } else {
                    errors.add("limit", "must be a whole number from 1 to 5000")
                }
            }
            try errors.throwIfAny()
            guard let source = market.snapshots else {
                throw Problem(.serviceUnavailable, code: "bars_unavailable", detail: "the market-data provider has no bar history")
            }
            let now = clock.now()
            let span: TimeInterval = timespan == .minute ? 5 * 86_400 : 400 * 86_400
            let bars: [Bar]
            do {
                bars = try await source.bars(for: symbol, timespan: timespan, from: now.addingTimeInterval(-span), to: now, limit: limit)
            } catch let error as MarketDataError {
                throw Problem(.serviceUnavailable, code: "market_data_unavailable", detail: "bars for \(symbol) could not be loaded: \(error)")
            }
            return JSONResponse(BarsDTO(symbol: symbol.rawValue, timespan: timespan.rawValue, bars: bars.suffix(limit).map(BarDTO.init)))
        }
        group.get("diag/feeds") { _, _ in
            let status = market.feed.status()
            let now = clock.now()
            return JSONResponse(FeedDiagnostics(
                provider: status.provider, state: status.state.rawValue, detail: status.detail,
                fresh: market.isFresh, recent_data: market.hasRecentData, market_session: market.session.rawValue,
                market_quiet: market.isQuiet, last_message_at: status.lastMessageAt,
                last_message_age_s: status.lastMessageAt.map { (now.timeIntervalSince($0) * 1000).rounded() / 1000 },
                reconnects: status.reconnects, messages: status.messages,
                messages_per_second: (market.messagesPerSecond * 10).rounded() / 10,
                stale_after_s: market.cache.staleAfter, watched: market.watchedSymbols.count,
                stale_symbols: market.staleSymbols.sorted().map(\.rawValue), catch_ups: market.catchUpCount))
        }
    }

    struct BarsDTO: Encodable, Sendable {
        var symbol: String
        var timespan: String
        var bars: [BarDTO]
    }

    struct BarDTO: Encodable, Sendable {
        var t: Date
        var o: Decimal
        var h: Decimal
        var l: Decimal
        var c: Decimal
        var v: Decimal

        init(_ bar: Bar) {
            t = bar.start
            o = bar.open
            h = bar.high
            l = bar.low
            c = bar.close
            v = bar.volume
        }
    }

    struct FeedDiagnostics: Encodable, Sendable {
        var provider: String
        var state: String
        var detail: String
        /// The feed is fit to serve (what `/ready` checks): connected, and during the regular session
        /// delivering data.
        var fresh: Bool
        /// Data arrived within `stale_after_s`, whatever the session.
        var recent_data: Bool
        /// The market session now: `pre`, `regular`, `post`, `closed`.
        var market_session: String
        /// Connected with no recent data outside the regular session: the market is quiet, not the feed.
        var market_quiet: Bool
        var last_message_at: Date?
        var last_message_age_s: Double?
        var reconnects: Int
        var messages: Int
        var messages_per_second: Double
        var stale_after_s: Double
        var watched: Int
        var stale_symbols: [String]
        var catch_ups: Int
    }
}
