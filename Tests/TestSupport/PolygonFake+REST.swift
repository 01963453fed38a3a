import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The REST half of the Polygon fake.
extension PolygonFake {
    func registerREST(on router: Router<BasicWebSocketRequestContext>) {
        router.get("v2/snapshot/locale/us/markets/stocks/tickers") { request, _ in
            if let refusal = self.gate(request) { return refusal }
            let wanted = request.uri.queryParameters.get("tickers")?.split(separator: ",").map(String.init)
            let (prices, previous, status) = self.state.withLock { ($0.prices, $0.previousClose, $0.settings.delayed ? "DELAYED" : "OK") }
            let symbols = (wanted ?? prices.keys.sorted()).filter { prices[$0] != nil }
            let nanos = Int64(self.settings.now().timeIntervalSince1970 * 1000) * 1_000_000 + 123_457
            let tickers = symbols.map { symbol -> String in
                let price = prices[symbol]!
                let prev = previous[symbol] ?? price
                return #"{"day":{"c":\#(price),"h":\#(max(price, prev)),"l":\#(min(price, prev)),"o":\#(prev),"v":1000,"vw":\#(price)},"#
                    + #""lastQuote":{"P":\#(price + Decimal(string: "0.01")!),"S":3,"p":\#(price - Decimal(string: "0.01")!),"s":5,"t":\#(nanos)},"#
                    + #""lastTrade":{"c":null,"i":"1","p":\#(price),"s":100,"t":\#(nanos),"x":4},"#
                    + #""min":{"av":1000,"c":\#(price),"h":\#(price),"l":\#(price),"o":\#(price),"v":100,"vw":\#(price),"t":\#(nanos / 1_000_000),"n":1},"#
                    + #""prevDay":{"c":\#(prev),"h":\#(prev),"l":\#(prev),"o":\#(prev),"v":5000,"vw":\#(prev)},"#
                    + #""ticker":"\#(symbol)","todaysChange":\#(price - prev),"todaysChangePerc":0,"updated":\#(nanos)}"#
            }
            return Self.json(#"{"count":\#(tickers.count),"status":"\#(status)","tickers":[\#(tickers.joined(separator: ","))]}"#)
        }
        // Universal snapshot, used for option contracts (`ticker.any_of=O:…`): unknown tickers come
        // back as an entry with `error`, as the vendor's example shows.
        router.get("v3/snapshot") { request, _ in
            if let refusal = self.gate(request) { return refusal }
            let wanted = request.uri.queryParameters.get("ticker.any_of")?.split(separator: ",").map(String.init) ?? []
            let (prices, previous) = self.state.withLock { ($0.prices, $0.previousClose) }
            let nanos = Int64(Date().timeIntervalSince1970 * 1000) * 1_000_000
            let results = wanted.map { ticker -> String in
                guard let price = prices[ticker] else {
                    return #"{"error":"NOT_FOUND","message":"Ticker not found.","ticker":"\#(ticker)"}"#
                }
                let prev = previous[ticker] ?? price
                return #"{"last_quote":{"ask":\#(price + Decimal(string: "0.05")!),"ask_size":10,"bid":\#(price - Decimal(string: "0.05")!),"bid_size":12,"last_updated":\#(nanos),"timeframe":"REAL-TIME"},"#
                    + #""last_trade":{"conditions":[209],"exchange":316,"price":\#(price),"sip_timestamp":\#(nanos),"size":2,"timeframe":"REAL-TIME"},"#
                    + #""market_status":"open","name":"\#(ticker)","session":{"close":\#(price),"high":\#(max(price, prev)),"low":\#(min(price, prev)),"open":\#(prev),"previous_close":\#(prev),"volume":37},"#
                    + #""ticker":"\#(ticker)","type":"options"}"#
            }
            return Self.json(#"{"request_id":"fake","results":[\#(results.joined(separator: ","))],"status":"OK"}"#)
        }
        router.get("v2/aggs/ticker/:ticker/prev") { request, context in
            if let refusal = self.gate(request) { return refusal }
            let ticker = try context.parameters.require("ticker")
            guard let prev = self.state.withLock({ $0.previousClose[ticker] ?? $0.prices[ticker] }) else {
                return Self.json(#"{"ticker":"\#(ticker)","queryCount":0,"resultsCount":0,"adjusted":true,"results":null,"status":"OK","request_id":"fake"}"#)
            }
            return Self.json(#"{"ticker":"\#(ticker)","queryCount":1,"resultsCount":1,"adjusted":true,"results":[{"T":"\#(ticker)","v":95595226.0,"vw":\#(prev),"o":\#(prev),"c":\#(prev),"h":\#(prev),"l":\#(prev),"t":1651003200000,"n":899965}],"status":"OK","request_id":"fake","count":1}"#)
        }
        // /range/{multiplier}/{timespan}/{from}/{to}: one-minute or one-day bars between from and to (ms).
        router.get("v2/aggs/ticker/:ticker/range/:multiplier/:timespan/:from/:to") { request, context in
            if let refusal = self.gate(request) { return refusal }
            let ticker = try context.parameters.require("ticker")
            let step: Int64 = (try context.parameters.require("timespan")) == "day" ? 86_400_000 : 60_000
            guard let from = Int64(try context.parameters.require("from")), let to = Int64(try context.parameters.require("to")) else {
                return Self.json(#"{"status":"ERROR","request_id":"fake","error":"Could not parse the time range."}"#, status: .badRequest)
            }
            let (price, pageSize, status) = self.state.withLock { ($0.prices[ticker], $0.settings.rangePageSize, $0.settings.delayed ? "DELAYED" : "OK") }
            guard let price else {
                return Self.json(#"{"ticker":"\#(ticker)","status":"OK","queryCount":0,"resultsCount":0,"adjusted":true,"results":null,"request_id":"fake"}"#)
            }
            let cursor = request.uri.queryParameters.get("cursor").flatMap { Int64($0) } ?? ((from + step - 1) / step * step)
            var times: [Int64] = []
            var time = cursor
            while time <= to && times.count < pageSize {
                times.append(time)
                time += step
            }
            let bars = times.map { t in #"{"v":1000.0,"vw":\#(price),"o":\#(price),"c":\#(price),"h":\#(price),"l":\#(price),"t":\#(t),"n":10}"# }
            let next = time <= to ? #","next_url":"\#(self.baseURL)/v2/aggs/ticker/\#(ticker)/range/1/\#(step == 60_000 ? "minute" : "day")/\#(from)/\#(to)?cursor=\#(time)""# : ""
            return Self.json(#"{"ticker":"\#(ticker)","queryCount":\#(bars.count),"resultsCount":\#(bars.count),"adjusted":true,"results":[\#(bars.joined(separator: ","))],"status":"\#(status)","request_id":"fake","count":\#(bars.count)\#(next)}"#)
        }
        router.get("v1/marketstatus/now") { request, _ in
            if let refusal = self.gate(request) { return refusal }
            return Self.json(#"{"market":"open","earlyHours":false,"afterHours":false,"serverTime":"2026-11-25T10:30:00-05:00","exchanges":{"nyse":"open","nasdaq":"open","otc":"open"},"currencies":{"fx":"open","crypto":"open"}}"#)
        }
    }

    /// Auth (apiKey query or Bearer) and the per-minute budget. Nil when the request may proceed.
    func gate(_ request: Request) -> Response? {
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let key = request.uri.queryParameters.get("apiKey") ?? bearer
        guard let key else {
            return Self.json(#"{"status":"ERROR","request_id":"fake","error":"API Key was not provided"}"#, status: .unauthorized)
        }
        guard key == Self.validKey else {
            return Self.json(#"{"status":"ERROR","request_id":"fake","error":"Unknown API Key"}"#, status: .unauthorized)
        }
        let limited = state.withLock { state -> Bool in
            let now = Date()
            state.restRequests = state.restRequests.filter { now.timeIntervalSince($0) < 60 } + [now]
            state.restPaths.append(request.uri.path)
            state.restQueries.append(request.uri.query ?? "")
            return state.restRequests.count > state.settings.restPerMinute
        }
        if limited {
            return Self.json(#"{"status":"ERROR","request_id":"fake","error":"You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing"}"#, status: .tooManyRequests)
        }
        return nil
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
