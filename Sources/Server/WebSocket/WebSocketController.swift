import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import TradingDomain
import TradingEngine

/// `POST /api/v1/ws/token` (needs the API key) and `GET /api/v1/ws?token=…` (the upgrade).
/// A bad, reused or expired token gets the socket closed with 1008; a foreign `Origin` is refused
/// before the upgrade. Client messages: `{"action":"subscribe"|"unsubscribe","topics":[…]}`.
struct WebSocketController {
    let hub: WebSocketHub
    let tokens: WebSocketTokens
    let quotes: QuoteCache
    let market: MarketDataService
    /// The greeting carries the market session.
    let calendar: any MarketCalendarSource
    let allowedOrigins: Set<String>
    /// The address the server binds (`TA_HOST`): a Host header naming it is ours.
    let bindHost: String
    let maxClients: Int
    let clock: any WallClock
    let logger: Logger

    func registerTokenRoute(on group: RouterGroup<AppRequestContext>) {
        group.post("ws/token") { _, _ in
            let issued = tokens.issue()
            return JSONResponse(TokenDTO(token: issued.token, expires_at: issued.expiresAt, url: "/api/v1/ws?token=\(issued.token)"))
        }
    }

    struct TokenDTO: Encodable, Sendable {
        var token: String
        var expires_at: Date
        var url: String
    }

    func registerUpgrade(on router: Router<AppRequestContext>) {
        router.ws("api/v1/ws") { request, _ in
            guard request.uri.queryParameters.get("token")?.isEmpty == false else {
                throw Problem.badRequest("token is required: get one from POST /api/v1/ws/token", code: "token_required",
                                         errors: [FieldError(field: "token", message: "is required")])
            }
            // A plain GET (no upgrade) gets a clear answer, not an empty 200.
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                var problem = Problem(.upgradeRequired, code: "websocket_upgrade_required",
                                      detail: "this is the WebSocket endpoint: connect with a WebSocket client and ?token= from POST /api/v1/ws/token")
                problem.headers[.upgrade] = "websocket"
                throw problem
            }
            // DNS rebinding: a page on evil.example whose name now resolves to us sends Host: evil.example.
            guard hostAllowed(request.head.authority) else {
                throw Problem(.forbidden, code: "host_not_allowed",
                              detail: "the Host header names neither this server nor an allowed origin (TA_CORS_ORIGINS)")
            }
            // Every Origin value must pass (some clients send two).
            for origin in request.headers[values: .origin] where !originAllowed(origin, host: request.head.authority) {
                throw Problem(.forbidden, code: "origin_not_allowed", detail: "origin \(origin) may not open the WebSocket")
            }
            guard hub.stats.clients < maxClients else {
                var problem = Problem(.serviceUnavailable, code: "too_many_websocket_clients",
                                      detail: "\(maxClients) WebSocket clients are connected (TA_MAX_WS_CLIENTS); try again later")
                problem.headers[.retryAfter] = "5"
                throw problem
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let token = context.request.uri.queryParameters.get("token") ?? ""
            guard tokens.redeem(token) else {
                // A close frame sent in the same TCP segment as the 101 answer can be lost by a client
                // still switching protocols (seen with swift-websocket's client): let the upgrade
                // answer go out on its own first.
                await Task.yield()
                try? await Task.sleep(for: .milliseconds(50))
                try await outbound.close(.policyViolation, reason: "invalid, used or expired token")
                return
            }
            try await session(inbound: inbound, outbound: outbound)
        }
    }

    /// The CORS allowlist, and same-origin pages (the dashboard): scheme, host and port compared
    /// exactly (RFC 6454 origins, default ports 80/443 made explicit). A same-origin page's Origin
    /// names the host and port of the Host header; a Host without a port means the default port of
    /// the Origin's scheme (a TLS proxy in front serves https on 443).
    func originAllowed(_ origin: String, host: String?) -> Bool {
        Self.originAllowed(origin, host: host, allowedOrigins: allowedOrigins)
    }

    ///
    /// Browsers send the page's `http`/`https` origin, always with its real port, and these are
    /// compared exactly. A `ws`/`wss` Origin never comes from a browser page (non-browser WebSocket
    /// clients send one built from the URL they open, often without the port): it must name the
    /// Host header's host, and the Host check below still applies.
    static func originAllowed(_ origin: String, host: String?, allowedOrigins: Set<String>) -> Bool {
        guard let parsed = Self.origin(origin) else { return false }
        if allowedOrigins.compactMap(Self.origin).contains(where: { $0 == parsed }) { return true }
        guard let host, let target = Self.hostAndPort(host) else { return false }
        if parsed.scheme == "ws" || parsed.scheme == "wss" { return parsed.host == target.host }
        return parsed.host == target.host && parsed.port == (target.port ?? Self.defaultPort(parsed.scheme))
    }

    /// The Host header must name this server: the bind address, a loopback name, an IP literal
    /// (rebinding needs a DNS name, so a literal address is never one) or the host of an allowed
    /// origin. A request without Host (HTTP/1.0) is let through: browsers always send one.
    func hostAllowed(_ host: String?) -> Bool {
        Self.hostAllowed(host, bindHost: bindHost, allowedOrigins: allowedOrigins)
    }

    static func hostAllowed(_ host: String?, bindHost: String, allowedOrigins: Set<String>) -> Bool {
        guard let host else { return true }
        guard let name = Self.hostAndPort(host)?.host else { return false }
        if name == bindHost.lowercased() || name == "localhost" || name.hasSuffix(".localhost") { return true }
        if Self.isIPLiteral(name) { return true }
        return allowedOrigins.compactMap(Self.origin).contains { $0.host == name }
    }

    struct Origin: Equatable {
        var scheme: String
        var host: String
        var port: Int
    }

    /// `scheme://host[:port]` with the default port filled in; nil for anything else (paths, `null`).
    static func origin(_ text: String) -> Origin? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              ["http", "https", "ws", "wss"].contains(scheme), let host = url.host?.lowercased(), !host.isEmpty,
              url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
        else { return nil }
        return Origin(scheme: scheme, host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                      port: url.port ?? defaultPort(scheme))
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" || scheme == "wss" ? 443 : 80 }

    /// The host (lower-case, IPv6 without brackets) and the port, if any, of a Host header.
    static func hostAndPort(_ header: String) -> (host: String, port: Int?)? {
        guard let url = URLComponents(string: "http://\(header)"), let host = url.host, !host.isEmpty,
              url.path.isEmpty, url.user == nil
        else { return nil }
        return (host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")), url.port)
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let client = hub.connect()
        var dropped = false
        defer { hub.disconnect(client, dropped: dropped) }
        let hello = StatusNotice(
            kind: "connected", feed: market.feed.status(), message: "subscribe with {\"action\":\"subscribe\",\"topics\":[…]}",
            market: calendar.status(at: clock.now()))
        try await outbound.write(.text(EventFrames.frame(for: .status(hello), now: clock.now())))
        dropped = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                // Writer: wakes when the mailbox has something, sends it all.
                for await _ in client.wake {
                    let (frames, overflowed) = hub.drain(client, now: clock.now())
                    if overflowed {
                        try? await outbound.close(.policyViolation, reason: "client too slow: event queue over its bound")
                        return true
                    }
                    for frame in frames { try await outbound.write(.text(frame)) }
                    hub.recordSent(frames.count)
                }
                return false
            }
            group.addTask {
                // Reader: subscriptions; ends when the client closes.
                for try await message in inbound.messages(maxSize: 64 * 1024) {
                    guard case .text(let text) = message else { continue }
                    try await handle(text, client: client, outbound: outbound)
                }
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Topics one subscribe message may name (there are only a handful).
    static let maxTopicsPerMessage = 50

    private func handle(_ text: String, client: WebSocketHub.Client, outbound: WebSocketOutboundWriter) async throws {
        struct Command: Decodable {
            var action: String
            var topics: [String]
        }
        guard let command = try? JSONDecoder().decode(Command.self, from: Data(text.utf8)),
              ["subscribe", "unsubscribe"].contains(command.action)
        else {
            let notice = StatusNotice(kind: "error", message: #"expected {"action":"subscribe"|"unsubscribe","topics":[…]}"#)
            try await outbound.write(.text(EventFrames.frame(for: .status(notice), now: clock.now())))
            return
        }
        guard command.topics.count <= Self.maxTopicsPerMessage else {
            let notice = StatusNotice(kind: "error", message: "too many topics in one message (at most \(Self.maxTopicsPerMessage))")
            try await outbound.write(.text(EventFrames.frame(for: .status(notice), now: clock.now())))
            return
        }
        let unknown = hub.subscribe(client, topics: command.topics, on: command.action == "subscribe")
        if !unknown.isEmpty {
            // Named back only in part: the message must not grow with what the client sent.
            let named = unknown.prefix(5).map { String($0.prefix(40)) }.joined(separator: ", ") + (unknown.count > 5 ? ", …" : "")
            let notice = StatusNotice(kind: "error", message: "unknown topics: \(named); known: \(WebSocketHub.topics.sorted().joined(separator: ", "))")
            try await outbound.write(.text(EventFrames.frame(for: .status(notice), now: clock.now())))
        }
        if command.action == "subscribe" && command.topics.contains("prices") {
            // Start the client off with every watched symbol's current quote.
            let now = clock.now()
            let current = quotes.quotes(for: market.watchedSymbols.sorted())
            let left = hub.sendFirst(current.map { EventFrames.priceFrame($0.quote, stale: $0.stale, ts: now) }, to: client)
            if left > 0 {
                let notice = StatusNotice(kind: "error", message: "the snapshot holds at most \(WebSocketHub.maxSnapshotSymbols) symbols; \(left) more arrive with their next price")
                try await outbound.write(.text(EventFrames.frame(for: .status(notice), now: now)))
            }
        }
    }
}
