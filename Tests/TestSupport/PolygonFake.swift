import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import TradingEngine

/// A loopback fake of Polygon.io/Massive that speaks the documented wire protocol
/// (shared/contracts/external-apis.md section 1), quirks and errors included:
/// WebSocket `/stocks` and `/options` clusters (connected → auth → per-topic subscribe acks;
/// batched frames; omitted optional fields; trade conditions; `O:` option tickers; `auth_failed`;
/// `max_connections` on a second socket to the same cluster; drops on command) and REST (batched
/// snapshot, universal snapshot for options, prev, range with `next_url` paging, market status, upcoming holidays;
/// `apiKey` query or Bearer; 401 unknown key; 429 past a per-minute budget; `DELAYED` status
/// mode; `results: null`).
public final class PolygonFake: Sendable {
    public static let validKey = "fake-polygon-key-123456"

    public struct Settings: Sendable {
        /// Every `auth` fails (`auth_failed`).
        public var rejectAuth = false
        /// A second concurrent socket gets `max_connections` and is closed.
        public var singleConnection = true
        /// REST answers carry `"status":"DELAYED"` instead of `"OK"`.
        public var delayed = false
        /// REST requests allowed per minute before 429.
        public var restPerMinute = 1_000
        /// Bars per page of `/range`; more produce a `next_url`.
        public var rangePageSize = 5_000
        /// What `/v1/marketstatus/upcoming` lists.
        public var marketHolidays: [MarketHolidayRow] = PolygonFake.defaultHolidays
        /// `/v1/marketstatus/upcoming` answers 502 with the gateway's HTML page.
        public var marketHolidaysFail = false
        /// The fake's clock for the times it stamps on trades and snapshots (a test's market time).
        public var now: @Sendable () -> Date = { Date() }
        public init() {}
    }

    struct Connection {
        /// `stocks` or `options`.
        var cluster: String
        var topics: Set<String> = []
        var authenticated = false
        let outbox: AsyncStream<String>.Continuation
    }

    struct State {
        var settings = Settings()
        var connections: [UUID: Connection] = [:]
        var prices: [String: Decimal] = [:]
        var previousClose: [String: Decimal] = [:]
        var log: [String] = []
        var authAttempts = 0
        var connectionsOpened = 0
        var restRequests: [Date] = []
        var restPaths: [String] = []
        var restQueries: [String] = []
    }

    let state = Shared(State())
    private let server = LoopbackServer()

    public var port: Int { server.port }

    public init() {}

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var streamURL: String { "ws://127.0.0.1:\(port)/stocks" }
    public var optionsStreamURL: String { "ws://127.0.0.1:\(port)/options" }

    /// Every client→server WebSocket message received, in order.
    public var received: [String] { state.withLock { $0.log } }
    public var authAttempts: Int { state.withLock { $0.authAttempts } }
    public var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }
    public var openConnections: Int { state.withLock { $0.connections.count } }
    public var restPaths: [String] { state.withLock { $0.restPaths } }
    /// REST requests as path and query, in order.
    public var restRequests: [(path: String, query: String)] { state.withLock { Array(zip($0.restPaths, $0.restQueries)) } }

    /// Topics subscribed on the open, authenticated connections (both clusters).
    public var subscribedTopics: Set<String> {
        state.withLock { $0.connections.values.filter(\.authenticated).reduce(into: Set<String>()) { $0.formUnion($1.topics) } }
    }

    /// Topics subscribed on the open, authenticated connections to one cluster (`stocks`, `options`).
    public func subscribedTopics(cluster: String) -> Set<String> {
        state.withLock {
            $0.connections.values.filter { $0.authenticated && $0.cluster == cluster }.reduce(into: Set<String>()) { $0.formUnion($1.topics) }
        }
    }

    /// Open connections to one cluster.
    public func openConnections(cluster: String) -> Int {
        state.withLock { $0.connections.values.filter { $0.cluster == cluster }.count }
    }

    public func setPrice(_ symbol: String, _ price: Decimal, previousClose: Decimal? = nil) {
        state.withLock {
            $0.prices[symbol] = price
            if let previousClose { $0.previousClose[symbol] = previousClose }
        }
    }

    // MARK: scripting the stream

    /// Sends one frame holding a trade per (symbol, price) to every connection subscribed to `T.symbol`.
    /// Trades with an even index carry conditions `c`; odd ones omit it, as the real feed does.
    public func emitTrades(_ trades: [(String, Decimal)], time: Date? = nil) {
        let ms = Int64((time ?? settings.now()).timeIntervalSince1970 * 1000)
        state.withLock { state in
            for (symbol, price) in trades { state.prices[symbol] = price }
            for connection in state.connections.values where connection.authenticated {
                let elements = trades.enumerated().filter { connection.topics.contains("T.\($0.element.0)") || connection.topics.contains("T.*") }
                    .map { index, trade in
                        let conditions = index % 2 == 0 ? #","c":[14,41]"# : ""
                        return #"{"ev":"T","sym":"\#(trade.0)","i":"\#(100_000 + index)","x":4,"p":\#(trade.1),"s":100\#(conditions),"t":\#(ms),"q":\#(ms % 1_000_000 + Int64(index)),"z":3}"#
                    }
                if !elements.isEmpty { connection.outbox.yield("[" + elements.joined(separator: ",") + "]") }
            }
        }
    }

    /// Sends one trade with these condition ids (`c`, omitted when nil) and size to every connection
    /// subscribed to `T.symbol` (`symbol` as Polygon spells it: `O:…` for options). Unlike
    /// `emitTrades` it leaves the snapshot price alone: an odd lot is not the market's price.
    public func emitTrade(_ symbol: String, price: Decimal, size: Int = 100, conditions: [Int]?, time: Date = Date()) {
        let ms = Int64(time.timeIntervalSince1970 * 1000)
        let c = conditions.map { #","c":[\#($0.map(String.init).joined(separator: ","))]"# } ?? ""
        let element = #"[{"ev":"T","sym":"\#(symbol)","i":"9\#(ms % 100_000)","x":4,"p":\#(price),"s":\#(size)\#(c),"t":\#(ms),"q":\#(ms % 1_000_000),"z":3}]"#
        state.withLock { state in
            for connection in state.connections.values where connection.authenticated && connection.topics.contains("T.\(symbol)") {
                connection.outbox.yield(element)
            }
        }
    }

    /// Sends a raw text frame to every authenticated connection (malformed frames, unknown events…).
    public func emitRaw(_ text: String) {
        state.withLock { state in
            for connection in state.connections.values where connection.authenticated { connection.outbox.yield(text) }
        }
    }

    /// Closes every open socket, as a network drop would.
    public func dropConnections() {
        state.withLock { state in
            for connection in state.connections.values { connection.outbox.finish() }
        }
    }

    // MARK: lifecycle

    public func start() async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("stocks") { inbound, outbound, _ in
            try await self.session(cluster: "stocks", inbound: inbound, outbound: outbound)
        }
        router.ws("options") { inbound, outbound, _ in
            try await self.session(cluster: "options", inbound: inbound, outbound: outbound)
        }
        registerREST(on: router)
        registerCalendar(on: router)
        await server.start { onServerRunning in
            Application(
                router: router,
                server: .http1WebSocketUpgrade(webSocketRouter: router),
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("polygon-fake"))
        }
    }

    public func stop() async {
        dropConnections()
        await server.stop()
    }

    private func session(cluster: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let id = UUID()
        let (outbox, continuation) = AsyncStream<String>.makeStream()
        let refused = state.withLock { state -> Bool in
            state.connectionsOpened += 1
            // One connection per cluster (docs/vendors.md §1.2).
            if state.settings.singleConnection && state.connections.values.contains(where: { $0.cluster == cluster }) { return true }
            state.connections[id] = Connection(cluster: cluster, outbox: continuation)
            return false
        }
        try await outbound.write(.text(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#))
        if refused {
            try await outbound.write(.text(#"[{"ev":"status","status":"max_connections","message":"Maximum number of websocket connections exceeded. You have reached the connection limit for your account. Please contact support at https://polygon.io/contact to increase your limit."}]"#))
            try await outbound.close(.policyViolation, reason: "max_connections")
            return
        }
        defer { state.withLock { $0.connections[id] = nil } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in outbox { try await outbound.write(.text(text)) }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    try await self.handleClientMessage(text, id: id, outbound: outbound)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func handleClientMessage(_ text: String, id: UUID, outbound: WebSocketOutboundWriter) async throws {
        struct Message: Decodable {
            var action: String
            var params: String
        }
        state.withLock { $0.log.append(text) }
        guard let message = try? JSONDecoder().decode(Message.self, from: Data(text.utf8)) else {
            try await outbound.write(.text(#"[{"ev":"status","status":"error","message":"invalid message"}]"#))
            return
        }
        switch message.action {
        case "auth":
            let ok = state.withLock { state -> Bool in
                state.authAttempts += 1
                let ok = !state.settings.rejectAuth && message.params == Self.validKey
                state.connections[id]?.authenticated = ok
                return ok
            }
            if ok {
                try await outbound.write(.text(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#))
            } else {
                try await outbound.write(.text(#"[{"ev":"status","status":"auth_failed","message":"authentication failed"}]"#))
                try await outbound.close(.policyViolation, reason: "authentication failed")
            }
        case "subscribe", "unsubscribe":
            let topics = message.params.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let authenticated = state.withLock { state -> Bool in
                guard state.connections[id]?.authenticated == true else { return false }
                if message.action == "subscribe" { state.connections[id]?.topics.formUnion(topics) } else { state.connections[id]?.topics.subtract(topics) }
                return true
            }
            guard authenticated else {
                try await outbound.write(.text(#"[{"ev":"status","status":"error","message":"not authorized"}]"#))
                return
            }
            let verb = message.action == "subscribe" ? "subscribed to" : "unsubscribed to"
            for topic in topics {
                try await outbound.write(.text(#"[{"ev":"status","status":"success","message":"\#(verb): \#(topic)"}]"#))
            }
        default:
            try await outbound.write(.text(#"[{"ev":"status","status":"error","message":"unknown action"}]"#))
        }
    }
}
