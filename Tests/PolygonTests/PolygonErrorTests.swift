import Foundation
import Polygon
import Testing
import TradingEngine

@Suite("Polygon error classification")
struct PolygonErrorTests {
    private func classify(_ status: Int, _ json: String, headers: [String: String] = [:]) -> MarketDataError? {
        PolygonErrors.classify(status: status, headers: headers, body: body(json))
    }

    @Test("2xx with OK, DELAYED or no status is a success")
    func successes() throws {
        #expect(classify(200, #"{"status":"OK","results":[]}"#) == nil)
        #expect(classify(200, #"{"status":"DELAYED","results":[]}"#) == nil)
        #expect(classify(200, try String(decoding: PolygonFixtures.data("rest/marketstatus-now.json"), as: UTF8.self)) == nil)
        #expect(classify(200, try String(decoding: PolygonFixtures.data("rest/marketstatus-upcoming.json"), as: UTF8.self)) == nil)
        #expect(classify(200, #"{"status":"OK","message":"informational"}"#) == nil)
    }

    @Test("2xx that is not JSON is malformed", arguments: ["", "<html>oops</html>", #"{"status":"OK","results":[1,2"#])
    func notJSON(text: String) {
        #expect(classify(200, text) == .malformed("HTTP 200: body is not JSON"))
    }

    @Test("401/403: unauthorized with the body's error or message")
    func unauthorized() {
        #expect(classify(401, #"{"status":"ERROR","request_id":"x","error":"Unknown API Key"}"#)
            == .unauthorized("Unknown API Key"))
        #expect(classify(401, #"{"status":"ERROR","request_id":"x","error":"API Key was not provided"}"#)
            == .unauthorized("API Key was not provided"))
        let plan = "Your plan doesn't include this data timeframe. Please upgrade your plan at https://polygon.io/pricing"
        #expect(classify(403, #"{"status":"NOT_AUTHORIZED","request_id":"1e2a4e1c68224da666232d16699b7fd7","message":"\#(plan)"}"#)
            == .unauthorized(plan))
        #expect(classify(403, "") == .unauthorized("HTTP 403"))
        #expect(classify(401, "Unauthorized - Check our API Key and account status")
            == .unauthorized("Unauthorized - Check our API Key and account status"))
    }

    @Test("the no-key answer may come as 400: still unauthorized")
    func noKeyAs400() {
        #expect(classify(400, #"{"status":"ERROR","request_id":"x","error":"API Key was not provided"}"#)
            == .unauthorized("API Key was not provided"))
    }

    @Test("429: rate limited, with Retry-After when sent (any header case)")
    func rateLimited() {
        let text = #"{"status":"ERROR","request_id":"x","error":"You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing"}"#
        #expect(classify(429, text) == .rateLimited(retryAfter: nil))
        #expect(classify(429, "") == .rateLimited(retryAfter: nil))
        #expect(classify(429, text, headers: ["Retry-After": "12"]) == .rateLimited(retryAfter: .seconds(12)))
        #expect(classify(429, text, headers: ["retry-after": " 1.5 "]) == .rateLimited(retryAfter: .milliseconds(1500)))
        #expect(classify(429, text, headers: ["Retry-After": "-3"]) == .rateLimited(retryAfter: nil))
        #expect(classify(429, text, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]) == .rateLimited(retryAfter: nil))
        let lookup = PolygonErrors.classify(status: 429, header: { $0 == "Retry-After" ? "60" : nil }, body: Data())
        #expect(lookup == .rateLimited(retryAfter: .seconds(60)))
    }

    @Test("5xx (nginx HTML) and timeouts are unavailable")
    func unavailable() {
        let html = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>…</body></html>"
        #expect(classify(504, html) == .unavailable("HTTP 504: 504 Gateway Time-out"))
        #expect(classify(502, "") == .unavailable("HTTP 502"))
        #expect(classify(500, #"{"status":"ERROR","error":"internal"}"#) == .unavailable("HTTP 500: internal"))
        #expect(classify(503, "busy") == .unavailable("HTTP 503: busy"))
        #expect(classify(499, "") == .unavailable("HTTP 499"))
    }

    @Test("other 4xx: retrying will not help")
    func otherClientErrors() {
        #expect(classify(404, #"{"status":"NOT_FOUND","request_id":"x","message":"Data not found."}"#)
            == .malformed("HTTP 404: Data not found."))
        #expect(classify(400, "") == .malformed("HTTP 400"))
    }

    @Test("error bodies with HTTP 200 map by status and text")
    func errorBodiesWith200() {
        #expect(classify(200, #"{"status":"NOT_AUTHORIZED","message":"You are not entitled to this data."}"#)
            == .unauthorized("You are not entitled to this data."))
        #expect(classify(200, #"{"status":"ERROR","error":"You've exceeded the maximum requests per minute"}"#)
            == .rateLimited(retryAfter: nil))
        #expect(classify(200, #"{"status":"ERROR","error":"Unknown API Key"}"#) == .unauthorized("Unknown API Key"))
        #expect(classify(200, #"{"status":"ERROR","error":"something broke"}"#) == .unavailable("something broke"))
        #expect(classify(200, #"{"error":"no status at all"}"#) == .unavailable("no status at all"))
    }

    @Test("the REST parsers throw the body's error instead of parsing")
    func parsersCheckStatus() {
        let notAuthorized = body(#"{"status":"NOT_AUTHORIZED","request_id":"834a","message":"You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing"}"#)
        let expected = MarketDataError.unauthorized("You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing")
        #expect(throws: expected) { try PolygonRESTParser.snapshots(notAuthorized) }
        #expect(throws: expected) { try PolygonRESTParser.previousClose(notAuthorized) }
        #expect(throws: expected) { try PolygonRESTParser.bars(notAuthorized, symbol: sym("AAPL"), timespan: .day) }
        #expect(throws: expected) { try PolygonRESTParser.lastTrade(notAuthorized) }
        #expect(throws: expected) { try PolygonRESTParser.lastQuote(notAuthorized) }
        #expect(throws: expected) { try PolygonRESTParser.marketStatus(notAuthorized) }
        #expect(throws: expected) { try PolygonRESTParser.marketHolidays(notAuthorized) }
        #expect(throws: MarketDataError.unavailable("boom")) {
            try PolygonRESTParser.bars(body(#"{"status":"ERROR","error":"boom","results":null}"#), symbol: sym("AAPL"), timespan: .day)
        }
    }

    @Test("unreadable bodies are malformed with the field that failed")
    func malformedBodies() {
        #expect(throws: MarketDataError.malformed("last trade: missing 'results.p'")) {
            try PolygonRESTParser.lastTrade(body(#"{"status":"OK","results":{"T":"AAPL","s":1,"t":1}}"#))
        }
        #expect(throws: MarketDataError.malformed("last quote: missing 'results'")) {
            try PolygonRESTParser.lastQuote(body(#"{"status":"OK"}"#))
        }
        #expect(throws: MarketDataError.malformed("bars: not valid JSON")) {
            try PolygonRESTParser.bars(body("<html>"), symbol: sym("AAPL"), timespan: .day)
        }
        #expect(throws: MarketDataError.malformed("previous close: 'results[0].c' is not Decimal")) {
            try PolygonRESTParser.previousClose(body(#"{"status":"OK","results":[{"T":"AAPL","o":1,"h":1,"l":1,"c":"x","v":1,"t":1}]}"#))
        }
        #expect(throws: MarketDataError.malformed("market status: missing 'market'")) {
            try PolygonRESTParser.marketStatus(body("{}"))
        }
    }
}
