import Foundation
import Hummingbird
import HummingbirdWebSocket
import TradingEngine

/// A loopback fake of Tradier's market WebSocket (shared/contracts/external-apis.md §2.8,
/// https://documentation.tradier.com/brokerage-api/streaming/wss-market-websocket), with the
/// session rules that make a client reconnect correctly:
///
/// - sessions are issued by `createSession()` (the REST fake's `POST /v1/markets/events/session`
///   calls it); only the newest one is valid (one session at a time), an unused one expires after
///   5 minutes on the fake's clock, and one whose connection ended is refused afterwards;
/// - a client sends `{"symbols":[…],"sessionid":…,"filter":[…],"linebreak":true}` after connecting
///   and may send it again on the same socket to change symbols; a refused session gets
///   `{"error":"…session…"}` (Tradier does not document the wording) and nothing is streamed;
/// - `quote`, `trade` and `summary` payloads in Tradier's shape (numbers and epoch-ms dates as
///   strings, like the real stream), only for subscribed symbols and filtered types, one per line
///   with `linebreak`;
/// - a socket with nothing sent for 15 minutes (the fake's clock) is closed, as Tradier closes
///   silent streams; `dropConnections()` closes every socket as a network drop would.
public final class TradierStreamFake: Sendable {
    public struct Settings: Sendable {
        /// An unused session id expires after this long.
        public var sessionLifetime: Duration = .seconds(5 * 60)
        /// A socket with nothing sent for this long is closed; nil never closes one.
        public var silenceLimit: Duration? = .seconds(15 * 60)
        public init() {}
    }

    struct Session {
        var created: Date
        /// The connection it was first used on.
        var connection: UUID?
        var ended = false
    }

    struct Connection {
        var session: String?
        var symbols: Set<String> = []
        var filter: Set<String> = []
        var linebreak = false
        var lastSent: Date
        let outbox: AsyncStream<String>.Continuation
    }

    struct State {
        var settings = Settings()
        var sessions: [String: Session] = [:]
        var newest: String?
        var issued: [String] = []
        var connections: [UUID: Connection] = [:]
        var accepted: [String] = []
        var refused: [String] = []
        var payloads: [String] = []
        var connectionsOpened = 0
    }

    let state = Shared(State())
    let clock: any WallClock
    private let server = LoopbackServer()

    /// `clock` decides session expiry and the silence rule (a test's manual clock, or real time).
    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    public var port: Int { server.port }
    /// `ws://127.0.0.1:<port>/v1/markets/events`, the value for `TRADIER_STREAM_URL`.
    public var streamURL: String { "ws://127.0.0.1:\(port)/v1/markets/events" }

    // MARK: sessions

    /// Issues a new session id; every earlier one stops being valid (one session at a time).
    public func createSession() -> String {
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = clock.now()
        state.withLock { state in
            state.sessions[id] = Session(created: now)
            state.newest = id
            state.issued.append(id)
        }
        return id
    }

    /// Every session id issued, in order.
    public var sessionsIssued: [String] { state.withLock { $0.issued } }
    /// Session ids accepted on a connection, in order (one per connection).
    public var sessionsAccepted: [String] { state.withLock { $0.accepted } }
    /// Session ids refused, in order.
    public var sessionsRefused: [String] { state.withLock { $0.refused } }
    /// Every payload clients sent, in order.
    public var payloads: [String] { state.withLock { $0.payloads } }
    public var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }
    public var openConnections: Int { state.withLock { $0.connections.count } }

    /// Symbols streamed to the open connections with an accepted session.
    public var subscribedSymbols: Set<String> {
        state.withLock { $0.connections.values.filter { $0.session != nil }.reduce(into: Set<String>()) { $0.formUnion($1.symbols) } }
    }

    /// Makes every issued session invalid (as if each had expired).
    public func expireSessions() {
        state.withLock { state in
            for id in state.sessions.keys { state.sessions[id]?.ended = true }
        }
    }

    // MARK: events

    /// A `trade` payload (`last` defaults to `price`).
    public func emitTrade(_ symbol: String, price: Decimal, size: Int = 100, cumulativeVolume: Int? = nil, last: Decimal? = nil, date: Date = Date()) {
        var fields = [("type", "trade"), ("symbol", symbol), ("exch", "Q"), ("price", "\(price)"), ("size", "\(size)")]
        if let cumulativeVolume { fields.append(("cvol", "\(cumulativeVolume)")) }
        fields += [("date", Self.epochMilliseconds(date)), ("last", "\(last ?? price)")]
        emit(type: "trade", symbol: symbol, Self.object(fields))
    }

    /// A `quote` payload (bid and ask as numbers, sizes as numbers, dates as strings, like Tradier's example).
    public func emitQuote(_ symbol: String, bid: Decimal, ask: Decimal, bidSize: Int = 10, askSize: Int = 10, date: Date = Date()) {
        let ms = Self.epochMilliseconds(date)
        emit(type: "quote", symbol: symbol, #"{"type":"quote","symbol":"\#(symbol)","bid":\#(bid),"bidsz":\#(bidSize),"bidexch":"Q","biddate":"\#(ms)","ask":\#(ask),"asksz":\#(askSize),"askexch":"Z","askdate":"\#(ms)"}"#)
    }

    /// A `summary` payload (all values as strings; `prevClose` in camel case, as Tradier sends it).
    public func emitSummary(_ symbol: String, open: Decimal, high: Decimal, low: Decimal, previousClose: Decimal) {
        emit(type: "summary", symbol: symbol, Self.object([
            ("type", "summary"), ("symbol", symbol), ("open", "\(open)"), ("high", "\(high)"), ("low", "\(low)"), ("prevClose", "\(previousClose)"),
        ]))
    }

    /// Sends `text` as it is to every open connection (several payloads, junk…).
    public func emitRaw(_ text: String) {
        let now = clock.now()
        state.withLock { state in
            for (id, connection) in state.connections {
                connection.outbox.yield(text)
                state.connections[id]?.lastSent = now
            }
        }
    }

    /// Closes every open socket, as a network drop would.
    public func dropConnections() {
        state.withLock { state in
            for connection in state.connections.values { connection.outbox.finish() }
        }
    }

    private func emit(type: String, symbol: String, _ payload: String) {
        let now = clock.now()
        state.withLock { state in
            for (id, connection) in state.connections where connection.session != nil && connection.symbols.contains(symbol) {
                guard connection.filter.isEmpty || connection.filter.contains(type) else { continue }
                connection.outbox.yield(connection.linebreak ? payload + "\n" : payload)
                state.connections[id]?.lastSent = now
            }
        }
    }

    static func epochMilliseconds(_ date: Date) -> String { "\(Int64((date.timeIntervalSince1970 * 1000).rounded()))" }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
    }

    // MARK: lifecycle

    public func start() async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("v1/markets/events") { inbound, outbound, _ in
            try await self.connection(inbound: inbound, outbound: outbound)
        }
        await server.start { onServerRunning in
            Application(
                router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("tradier-stream-fake"))
        }
    }

    public func stop() async {
        dropConnections()
        await server.stop()
    }

    private func connection(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let id = UUID()
        let (outbox, continuation) = AsyncStream<String>.makeStream()
        let now = clock.now()
        state.withLock { state in
            state.connectionsOpened += 1
            state.connections[id] = Connection(lastSent: now, outbox: continuation)
        }
        defer {
            state.withLock { state in
                if let session = state.connections[id]?.session { state.sessions[session]?.ended = true }
                state.connections[id] = nil
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in outbox { try await outbound.write(.text(text)) }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    self.subscribe(text, connection: id)
                }
            }
            group.addTask {
                // Tradier closes a stream that delivered nothing for 15 minutes.
                while true {
                    guard let limit = self.state.withLock({ $0.settings.silenceLimit }) else {
                        try await self.clock.sleep(for: .seconds(3600))
                        continue
                    }
                    let last = self.state.withLock { $0.connections[id]?.lastSent } ?? self.clock.now()
                    let quiet = self.clock.now().timeIntervalSince(last)
                    if quiet >= limit.seconds { return }
                    try await self.clock.sleep(for: .milliseconds(Int64((limit.seconds - quiet) * 1000)))
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// A request payload: accepted (symbols set) when its session is valid for this connection.
    private func subscribe(_ text: String, connection id: UUID) {
        struct Payload: Decodable {
            var symbols: [String]?
            var sessionid: String?
            var filter: [String]?
            var linebreak: Bool?
        }
        let now = clock.now()
        state.withLock { state in
            state.payloads.append(text)
            guard let connection = state.connections[id] else { return }
            guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(text.utf8)) else {
                connection.outbox.yield(#"{"error":"invalid request payload"}"#)
                return
            }
            guard let sessionID = payload.sessionid, let session = state.sessions[sessionID], !session.ended,
                  state.newest == sessionID, session.connection == nil || session.connection == id,
                  session.connection != nil || now.timeIntervalSince(session.created) <= state.settings.sessionLifetime.seconds
            else {
                state.refused.append(payload.sessionid ?? "")
                connection.outbox.yield(#"{"error":"invalid session: the sessionid is unknown or has expired"}"#)
                return
            }
            guard let symbols = payload.symbols, !symbols.isEmpty else {
                connection.outbox.yield(#"{"error":"symbols is required"}"#)
                return
            }
            if session.connection == nil {
                state.sessions[sessionID]?.connection = id
                state.accepted.append(sessionID)
            }
            state.connections[id]?.session = sessionID
            state.connections[id]?.symbols = Set(symbols)
            state.connections[id]?.filter = Set(payload.filter ?? [])
            state.connections[id]?.linebreak = payload.linebreak ?? false
        }
    }
}
