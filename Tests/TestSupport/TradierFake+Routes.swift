import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a route answers: a JSON value (rendered as XML without `Accept: application/json`) or text.
struct TradierFakeAnswer {
    var status: Int
    var value: TradierFakeValue?
    var text: String?
    /// Close the connection instead of answering (the work is done).
    var drop = false

    static func ok(_ value: TradierFakeValue) -> TradierFakeAnswer { TradierFakeAnswer(status: 200, value: value) }
    static func errors(_ messages: [String], status: Int = 400, singleString: Bool = false) -> TradierFakeAnswer {
        TradierFakeAnswer(status: status, value: .errors(messages, singleString: singleString))
    }
}

/// Request handling of the Tradier fake: recording, injected failures, delay, auth, rate limits,
/// content negotiation and body checks, then the routes.
extension TradierFake {
    func respond(to request: Request, context: TradierFakeContext) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let method = request.method.rawValue
        let path = request.uri.path
        let recorded = TradierFakeRequest(
            method: method, path: path, query: TradierFakeRequest.parseForm(request.uri.query ?? ""), headers: headers, body: body)
        let (failure, delay) = state.withLock { state -> (Failure?, Duration) in
            state.requests.append(recorded)
            guard let index = state.failures.firstIndex(where: { $0.method == nil || $0.method == method }) else { return (nil, state.settings.delay) }
            return (state.failures.remove(at: index).failure, state.settings.delay)
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        if let failure { return try await inject(failure, context: context) }
        if method == "POST", path.hasSuffix("/orders"), recorded.form["preview"] != "true",
           let hold = state.withLock({ state -> Duration? in defer { state.holdNextOrder = nil }; return state.holdNextOrder }) {
            try await Task.sleep(for: hold)
        }

        guard headers["authorization"] == "Bearer \(accessToken)" else {
            return Self.render(TradierFakeAnswer(status: 401, value: .object([("fault", .object([
                ("faultstring", .string("Invalid Access Token")),
                ("detail", .object([("errorcode", .string("keymanagement.service.invalid_access_token"))])),
            ]))])), json: true, extra: [:])
        }
        let (rateHeaders, limited) = consumeRateLimit(method: method, path: path)
        if limited {
            return Self.render(TradierFakeAnswer(status: 429, text: "Rate limit exceeded"), json: true, extra: rateHeaders)
        }
        let json = headers["accept"]?.lowercased().contains("application/json") ?? false
        if method == "POST" || method == "PUT" {
            let type = headers["content-type"]?.lowercased() ?? ""
            if !body.isEmpty && !type.hasPrefix("application/x-www-form-urlencoded") {
                return Self.render(.errors(["Invalid request: the body must be application/x-www-form-urlencoded"]), json: json, extra: rateHeaders)
            }
        }
        let components = path.split(separator: "/").map(String.init)
        guard components.first == "v1" else { return Self.render(TradierFakeAnswer(status: 404, text: "Not Found"), json: json, extra: [:]) }
        let answer = route(method: method, Array(components.dropFirst()), query: recorded.query, form: recorded.form)
        if answer.drop {
            try? await context.channel.close()
            throw CancellationError()
        }
        return Self.render(answer, json: json, extra: rateHeaders)
    }

    private func route(method: String, _ path: [String], query: [String: String], form: [String: String]) -> TradierFakeAnswer {
        switch (method, path.count, path.first) {
        case ("GET", 2, "user") where path[1] == "profile":
            return profile()
        case ("GET", 2, "markets") where path[1] == "clock":
            return .ok(.object([("clock", .object([
                ("date", .string("2019-05-06")), ("description", .string("Market is open from 09:30 to 16:00")),
                ("state", .string("open")), ("timestamp", .int(Int(Date().timeIntervalSince1970))),
                ("next_change", .string("16:00")), ("next_state", .string("postmarket")),
            ]))]))
        case ("GET", 2, "markets") where path[1] == "calendar":
            return calendarAnswer(query: query)
        case ("GET", 2, "markets") where path[1] == "quotes", ("POST", 2, "markets") where path[1] == "quotes":
            return quotes((query["symbols"] ?? form["symbols"] ?? "").split(separator: ",").map(String.init))
        case ("GET", 2, "markets") where path[1] == "timesales":
            return timesales(query)
        case ("GET", 2, "markets") where path[1] == "history":
            return history(query)
        case ("POST", 3, "markets") where path[1] == "events" && path[2] == "session":
            return streamSession()
        case (_, 3..., "accounts"):
            let account = path[1]
            guard state.withLock({ $0.accounts[account] != nil }) else { return .errors(["Invalid account: \(account)"]) }
            return accountRoute(method: method, account: account, Array(path.dropFirst(2)), query: query, form: form)
        default:
            return TradierFakeAnswer(status: 404, text: "Not Found")
        }
    }

    private func accountRoute(method: String, account: String, _ rest: [String], query: [String: String], form: [String: String]) -> TradierFakeAnswer {
        switch (method, rest.count, rest.first) {
        case ("GET", 1, "balances"): return balances(account)
        case ("GET", 1, "positions"): return positionsAnswer(account)
        case ("GET", 1, "orders"): return listOrders(account, query: query)
        case ("POST", 1, "orders"): return place(account, form: form)
        case ("GET", 2, "orders"), ("PUT", 2, "orders"), ("DELETE", 2, "orders"):
            guard let id = Int(rest[1]) else { return .errors(["Invalid order id: \(rest[1])"]) }
            switch method {
            case "GET": return singleOrder(account, id: id, includeTags: query["includeTags"] == "true")
            case "PUT": return modify(account, id: id, form: form)
            default: return cancel(account, id: id)
            }
        default:
            return TradierFakeAnswer(status: 404, text: "Not Found")
        }
    }

    private func inject(_ failure: Failure, context: TradierFakeContext) async throws -> Response {
        switch failure {
        case .status(let code):
            let reasons = [404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                           503: "Service Unavailable", 504: "Gateway Timeout"]
            return Self.render(TradierFakeAnswer(status: code, text: reasons[code] ?? "Error \(code)"), json: true, extra: [:])
        case .html(let code):
            let page = "<!DOCTYPE html><html><head><title>Tradier Brokerage - Scheduled Maintenance</title></head><body><h1>We'll be right back</h1></body></html>"
            return Self.render(TradierFakeAnswer(status: code, text: page), json: true, extra: ["Content-Type": "text/html"])
        case .fault(let code, let message):
            return Self.render(TradierFakeAnswer(status: code, value: .object([("fault", .object([
                ("faultstring", .string(message)), ("detail", .object([("errorcode", .string("messaging.adaptors.http.flow.ServiceUnavailable"))])),
            ]))])), json: true, extra: [:])
        case .dropConnection:
            try? await context.channel.close()
            throw CancellationError()
        }
    }

    /// Counts the request in its bucket; returns the `X-Ratelimit-*` headers and whether it is over budget.
    private func consumeRateLimit(method: String, path: String) -> ([String: String], Bool) {
        let bucket = path.hasPrefix("/v1/markets") ? "market" : (method != "GET" && path.contains("/orders") ? "trading" : "standard")
        return state.withLock { state in
            let now = Date()
            let window = Double(state.settings.rateLimitWindow.components.seconds) + Double(state.settings.rateLimitWindow.components.attoseconds) / 1e18
            var current = state.buckets[bucket] ?? Bucket(start: now, used: 0)
            if now >= current.start.addingTimeInterval(window) { current = Bucket(start: now, used: 0) }
            current.used += 1
            state.buckets[bucket] = current
            let allowed = switch bucket {
            case "market": state.settings.marketDataPerMinute
            case "trading": state.settings.tradingPerMinute
            default: state.settings.standardPerMinute
            }
            let expiry = Int64((current.start.addingTimeInterval(window).timeIntervalSince1970 * 1000).rounded())
            if current.used > allowed { state.rateLimitedAnswers += 1 }
            return ([
                "X-Ratelimit-Allowed": "\(allowed)", "X-Ratelimit-Used": "\(current.used)",
                "X-Ratelimit-Available": "\(max(0, allowed - current.used))", "X-Ratelimit-Expiry": "\(expiry)",
            ], current.used > allowed)
        }
    }

    static func render(_ answer: TradierFakeAnswer, json: Bool, extra: [String: String]) -> Response {
        var fields = HTTPFields()
        let body: String
        if let value = answer.value {
            body = json ? value.json : value.xmlDocument
            fields[.contentType] = json ? "application/json" : "application/xml"
        } else {
            body = answer.text ?? ""
            fields[.contentType] = "text/plain"
        }
        for (name, value) in extra {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
