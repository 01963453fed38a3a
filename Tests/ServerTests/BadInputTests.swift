import Foundation
import HTTPTypes
import NIOCore
import Server
import Testing
import TestSupport

/// Many kinds of bad input; each must get a 4xx problem+json answer (never a 5xx, never a crash).
@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var contentType: String? = "application/json"
        var status: HTTPResponse.Status
        /// A field the problem's `errors` must name (for 422s).
        var field: String? = nil

        var testDescription: String { name }
    }

    static let unknownID = "00000000-0000-4000-8000-000000000000"
    static let validEntry = #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1}"#

    static let cases: [Case] = [
        // Malformed JSON
        Case(name: "truncated object", method: .post, path: "/api/v1/journal", body: #"{"symbol": "AAPL","#, status: .badRequest),
        Case(name: "unquoted key", method: .patch, path: "/api/v1/settings", body: #"{risk: {"max_daily_loss": 1}}"#, status: .badRequest),
        Case(name: "unbalanced braces", method: .patch, path: "/api/v1/settings", body: #"{"risk": {"max_daily_loss": 1}"#, status: .badRequest),
        Case(name: "single quotes", method: .post, path: "/api/v1/watchlist", body: "{'symbol': 'AAPL'}", status: .badRequest),
        Case(name: "not JSON at all", method: .post, path: "/api/v1/journal", body: "symbol=AAPL", status: .badRequest),
        Case(name: "empty body", method: .post, path: "/api/v1/journal", body: "", status: .badRequest),
        Case(name: "number too large to represent", method: .patch, path: "/api/v1/settings", body: #"{"risk":{"max_daily_loss":1e400}}"#, status: .badRequest),
        Case(name: "form content type", method: .post, path: "/api/v1/journal", body: "a=b", contentType: "application/x-www-form-urlencoded", status: .unsupportedMediaType),
        // Wrong JSON shape or types
        Case(name: "array instead of object", method: .post, path: "/api/v1/journal", body: "[]", status: .unprocessableContent, field: "body"),
        Case(name: "null body", method: .patch, path: "/api/v1/settings", body: "null", status: .unprocessableContent, field: "body"),
        Case(name: "string for a number", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":"100","quantity":1}"#, status: .unprocessableContent, field: "entry_price"),
        Case(name: "number for a string", method: .post, path: "/api/v1/watchlist", body: #"{"symbol": 42}"#, status: .unprocessableContent, field: "symbol"),
        Case(name: "boolean for a number", method: .patch, path: "/api/v1/settings", body: #"{"risk":{"max_daily_loss":true}}"#, status: .unprocessableContent, field: "risk.max_daily_loss"),
        Case(name: "object for a section", method: .patch, path: "/api/v1/settings", body: #"{"risk": 5}"#, status: .unprocessableContent, field: "risk"),
        Case(name: "tags not an array", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"tags":"a"}"#, status: .unprocessableContent, field: "tags"),
        Case(name: "watchlist symbols not an array", method: .put, path: "/api/v1/watchlist", body: #"{"symbols": "AAPL"}"#, status: .unprocessableContent, field: "symbols"),
        // Missing fields
        Case(name: "missing everything", method: .post, path: "/api/v1/journal", body: "{}", status: .unprocessableContent, field: "symbol"),
        Case(name: "missing quantity", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100}"#, status: .unprocessableContent, field: "quantity"),
        Case(name: "missing watchlist symbol", method: .post, path: "/api/v1/watchlist", body: "{}", status: .unprocessableContent, field: "symbol"),
        // Negative, zero or absurd numbers
        Case(name: "negative price", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":-1,"quantity":1}"#, status: .unprocessableContent, field: "entry_price"),
        Case(name: "zero quantity", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":1,"quantity":0}"#, status: .unprocessableContent, field: "quantity"),
        Case(name: "absurd quantity", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":1,"quantity":1e30}"#, status: .unprocessableContent, field: "quantity"),
        Case(name: "negative fees", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":1,"quantity":1,"fees":-2}"#, status: .unprocessableContent, field: "fees"),
        Case(name: "percent over 100", method: .patch, path: "/api/v1/settings", body: #"{"risk":{"risk_per_trade_pct":150}}"#, status: .unprocessableContent, field: "risk.risk_per_trade_pct"),
        Case(name: "too many decimals of money", method: .patch, path: "/api/v1/settings", body: #"{"risk":{"max_daily_loss":10.001}}"#, status: .unprocessableContent, field: "risk.max_daily_loss"),
        Case(name: "fractional option contracts", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL230616C00150000","side":"long","entry_price":2.5,"quantity":1.5}"#, status: .unprocessableContent, field: "quantity"),
        // Business rules across fields
        Case(name: "stop above entry for a long", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"stop":101}"#, status: .unprocessableContent, field: "stop"),
        Case(name: "target below entry for a long", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"targets":[99]}"#, status: .unprocessableContent, field: "targets[0]"),
        Case(name: "wrong side value", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"sideways","entry_price":100,"quantity":1}"#, status: .unprocessableContent, field: "side"),
        Case(name: "unknown field", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"colour":"red"}"#, status: .unprocessableContent, field: "colour"),
        // Bad symbols
        Case(name: "symbol with spaces", method: .post, path: "/api/v1/watchlist", body: #"{"symbol": "AA PL"}"#, status: .unprocessableContent, field: "symbol"),
        Case(name: "symbol with script", method: .post, path: "/api/v1/watchlist", body: #"{"symbol": "<script>"}"#, status: .unprocessableContent, field: "symbol"),
        Case(name: "symbol too long", method: .post, path: "/api/v1/watchlist", body: #"{"symbol": "ABCDEFGHIJKLMNOP"}"#, status: .unprocessableContent, field: "symbol"),
        Case(name: "bad symbol in path", method: .delete, path: "/api/v1/watchlist/%24%24%24", body: nil, status: .unprocessableContent, field: "symbol"),
        // Bad dates
        Case(name: "date without zone", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"opened_at":"2026-01-02T10:00:00"}"#, status: .unprocessableContent, field: "opened_at"),
        Case(name: "impossible date", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"opened_at":"2026-02-30T10:00:00Z"}"#, status: .unprocessableContent, field: "opened_at"),
        Case(name: "closed before opened", method: .post, path: "/api/v1/journal", body: #"{"symbol":"AAPL","side":"long","entry_price":100,"exit_price":101,"quantity":1,"opened_at":"2026-01-02T10:00:00Z","closed_at":"2026-01-01T10:00:00Z"}"#, status: .unprocessableContent, field: "closed_at"),
        Case(name: "bad date filter", method: .get, path: "/api/v1/journal?from=2026-13-01", body: nil, status: .unprocessableContent, field: "from"),
        // Unknown ids and routes
        Case(name: "unknown journal id", method: .get, path: "/api/v1/journal/\(unknownID)", body: nil, status: .notFound),
        Case(name: "non-UUID journal id", method: .get, path: "/api/v1/journal/42", body: nil, status: .notFound),
        Case(name: "patch of unknown id", method: .patch, path: "/api/v1/journal/\(unknownID)", body: "{}", status: .notFound),
        Case(name: "delete of unknown id", method: .delete, path: "/api/v1/journal/\(unknownID)", body: nil, status: .notFound),
        Case(name: "unknown route", method: .get, path: "/api/v1/nothing-here", body: nil, status: .notFound),
        Case(name: "wrong method", method: .put, path: "/api/v1/journal", body: validEntry, status: .methodNotAllowed),
        // Oversized bodies
        Case(name: "body over the limit", method: .post, path: "/api/v1/journal",
             body: #"{"notes":""# + String(repeating: "x", count: 1_100_000) + #""}"#, status: .contentTooLarge),
        Case(name: "notes over the field limit", method: .post, path: "/api/v1/journal",
             body: #"{"symbol":"AAPL","side":"long","entry_price":100,"quantity":1,"notes":""# + String(repeating: "x", count: 10_001) + #""}"#,
             status: .unprocessableContent, field: "notes"),
    ]

    /// Bad input for one registered route: a junk id in every path capture, and for methods with a
    /// body a malformed JSON body, a JSON array and a wrong content type; GETs get junk query values.
    static func probes(for route: RouteTable.Entry) -> [(name: String, path: String, body: String?, contentType: String?)] {
        let junk = "not-an-id-" + String(repeating: "z", count: 200)
        let path = route.path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? junk : String($0) }.joined(separator: "/")
        let rooted = path.hasPrefix("/") ? path : "/" + path
        switch route.method {
        case .post, .put, .patch:
            return [("malformed JSON", rooted, #"{"a": "#, "application/json"), ("JSON array", rooted, "[1,2]", "application/json"),
                    ("wrong content type", rooted, "a=1", "application/x-www-form-urlencoded")]
        case .get:
            return [("junk query", rooted + "?limit=-7&cursor=%FF%FE&symbol=%00&from=yesterday&status=%20", nil, nil)]
        default:
            return [("junk id", rooted, nil, nil)]
        }
    }

    @Test("every registered route answers bad input with a 4xx problem+json (or success), never a 5xx")
    func everyRoute() async throws {
        try await withApp { client, components in
            // Every route but the page itself and readiness (whose 503 means "not ready", by design).
            let routes = components.routes.entries.filter { !["/", "", "/ready"].contains($0.path) }
            #expect(routes.count >= 45, "the routes are read from the router: \(routes.count)")
            var probed = 0
            for route in routes where route.path != "/api/v1/ws" {
                for probe in Self.probes(for: route) {
                    var headers = authHeaders
                    if let type = probe.contentType { headers[.contentType] = type }
                    let response = try await client.execute(
                        uri: probe.path, method: route.method, headers: headers, body: probe.body.map { ByteBuffer(string: $0) })
                    probed += 1
                    let what = "\(route.method) \(route.path) \(probe.name) → \(response.status.code) \(response.text.prefix(200))"
                    #expect(response.status.code < 500, "\(what)")
                    if response.status.code >= 400 {
                        #expect(response.isProblem, "\(what)")
                        #expect((try? response.json()["detail"] as? String)?.isEmpty == false, "\(what)")
                    }
                    if probe.name == "malformed JSON" || probe.name == "wrong content type" {
                        // A route that reads a body must refuse these; one that reads none may answer.
                        #expect(response.status.code >= 400 || Self.bodyless.contains("\(route.method) \(route.path)"), "\(what)")
                    }
                }
            }
            #expect(probed >= routes.count)
        }
    }

    /// Routes whose POST takes no body (any body is ignored).
    static let bodyless: Set<String> = [
        "POST /api/v1/ws/token", "POST /api/v1/settings/discord/test", "POST /api/v1/orders/{id}/check",
        "POST /api/v1/auth/codes", "POST /api/v1/auth/logout",
    ]

    @Test("each bad input gets a 4xx problem+json", arguments: cases)
    func rejected(_ badCase: Case) async throws {
        try await withApp { client, _ in
            var headers = authHeaders
            headers[.contentType] = badCase.contentType
            let response = try await client.execute(
                uri: badCase.path, method: badCase.method, headers: headers,
                body: badCase.body.map { ByteBuffer(string: $0) })
            #expect(response.status == badCase.status, "\(badCase.name): \(response.status) \(response.text.prefix(300))")
            #expect((400..<500).contains(response.status.code))
            #expect(response.isProblem)
            let problem = try response.json()
            #expect(problem["status"] as? Int == response.status.code)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            if let field = badCase.field {
                #expect(try response.problemFields().contains(field), "\(badCase.name): \(response.text.prefix(400))")
            }
            if badCase.status == .methodNotAllowed {
                #expect(response.headers[.allow]?.contains("GET") == true)
            }
        }
    }
}
