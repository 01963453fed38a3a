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
    let allowedOrigins: Set<String>
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
                try await outbound.close(.policyViolation, reason: "invalid, used or expired token")
                return
            }
            try await session(inbound: inbound, outbound: outbound)
        }
    }

    /// The CORS allowlist, and same-origin pages (the dashboard): the Origin's host is the host the
    /// request was sent to, on the same port (an Origin without a port, as some non-browser
    /// clients send, matches on the host alone).
    func originAllowed(_ origin: String, host: String?) -> Bool {
        if allowedOrigins.contains(origin) { return true }
        guard let host, let url = URLComponents(string: origin), let originHost = url.host?.lowercased(),
              let target = URLComponents(string: "http://\(host)"), let targetHost = target.host?.lowercased()
        else { return false }
        return originHost == targetHost && (url.port == nil || url.port == target.port)
    }

    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let client = hub.connect()
        var dropped = false
        defer { hub.disconnect(client, dropped: dropped) }
        let hello = StatusNotice(kind: "connected", feed: market.feed.status(), message: "subscribe with {\"action\":\"subscribe\",\"topics\":[…]}")
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
        let unknown = hub.subscribe(client, topics: command.topics, on: command.action == "subscribe")
        if !unknown.isEmpty {
            let notice = StatusNotice(kind: "error", message: "unknown topics: \(unknown.joined(separator: ", ")); known: \(WebSocketHub.topics.sorted().joined(separator: ", "))")
            try await outbound.write(.text(EventFrames.frame(for: .status(notice), now: clock.now())))
        }
        if command.action == "subscribe" && command.topics.contains("prices") {
            // Start the client off with every watched symbol's current quote.
            let now = clock.now()
            let current = quotes.quotes(for: market.watchedSymbols.sorted())
            hub.sendFirst(current.map { EventFrames.priceFrame($0.quote, stale: $0.stale, ts: now) }, to: client)
        }
    }
}
