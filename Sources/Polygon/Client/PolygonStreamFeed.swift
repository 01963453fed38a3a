import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import TradingDomain
import TradingEngine
import Synchronization

/// The Polygon/Massive WebSocket stream (docs/vendors.md §1.2): connect → `auth` →
/// subscribe to trades, quotes and minute bars for the watched symbols; every frame parsed by
/// `PolygonStreamParser`; after any drop, reconnect with backoff and jitter and re-auth and
/// re-subscribe (subscriptions are per connection). `auth_failed` stops for good with a clear
/// status; `max_connections` backs off hard. Watchlist changes subscribe and unsubscribe live.
public final class PolygonStreamFeed: MarketDataFeed, Sendable {
    public let provider = "polygon"
    let url: String
    let apiKey: String
    let channels: [PolygonChannel]
    let backoff: Backoff
    /// Wait after `max_connections` (another instance holds the slot).
    let maxConnectionsWait: Duration
    let clock: any WallClock
    let logger: Logger

    struct State {
        var desired: Set<Symbol> = []
        /// The current connection's writer (one stream per connection).
        var send: AsyncStream<Outgoing>.Continuation?
        var status: FeedStatus
        var fatal = false
        var hardBackoff = false
    }

    private let state: Mutex<State>

    public init(
        url: String, apiKey: String, channels: [PolygonChannel] = PolygonClientMessage.defaultChannels,
        backoff: Backoff = Backoff(), maxConnectionsWait: Duration = .seconds(60), clock: any WallClock, logger: Logger
    ) {
        self.url = url
        self.apiKey = apiKey
        self.channels = channels
        self.backoff = backoff
        self.maxConnectionsWait = maxConnectionsWait
        self.clock = clock
        self.logger = logger
        state = Mutex(State(status: FeedStatus(provider: "polygon", state: .connecting)))
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        let send = state.withLock { state in
            state.desired = symbols
            return state.send
        }
        send?.yield(.syncSubscriptions)
    }

    public func status() -> FeedStatus {
        state.withLock { $0.status }
    }

    public func run(sink: any MarketEventSink) async throws {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        defer { update { $0.state = .stopped; $0.detail = "" } }
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await connectOnce(sink: sink)
                logger.warning("polygon stream closed by the server")
            } catch is CancellationError {
                return
            } catch {
                logger.warning("polygon stream failed", metadata: ["error": .string("\(error)")])
                // Keep the server's own reason (auth failed, too many connections) over the socket error it caused.
                state.withLock { state in
                    if !state.fatal && !state.hardBackoff { state.status.detail = "\(error)" }
                }
            }
            if Task.isCancelled { return }
            let (fatal, hard) = state.withLock { ($0.fatal, $0.hardBackoff) }
            if fatal {
                // Retrying with the same key cannot help; wait until shutdown.
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                return
            }
            if ContinuousClock.now - started >= backoff.stableAfter { attempt = 0 }
            let delay = hard ? maxConnectionsWait : backoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            update { $0.state = .reconnecting; $0.reconnects += 1 }
            state.withLock { $0.hardBackoff = false }
            logger.info("polygon stream reconnecting", metadata: ["in_ms": .stringConvertible(Int(delay.seconds * 1000))])
            try? await Task.sleep(for: delay)
        }
    }

    private func update(_ change: (inout FeedStatus) -> Void) {
        state.withLock { change(&$0.status) }
    }

    /// What the connection's writer task sends. The reader never writes itself: a write to a
    /// closing socket can stall, and the reader must go on to see the server's reason
    /// (`max_connections`, `auth_failed`) in the frames still buffered.
    enum Outgoing: Sendable {
        case text(String)
        /// Bring the subscriptions in line with the wanted symbols (after auth, or a watchlist change).
        case syncSubscriptions
        case close
    }

    private func connectOnce(sink: any MarketEventSink) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 20
        configuration.autoPing = .enabled(timePeriod: .seconds(25))
        let subscribed = Shared<Set<String>>([])
        let authenticated = Shared(false)
        let (outgoing, send) = AsyncStream<Outgoing>.makeStream()
        state.withLock { $0.send = send }
        defer {
            state.withLock { $0.send = nil }
            send.finish()
        }
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        let frame: PolygonFrame
                        switch message {
                        case .text(let text): frame = PolygonStreamParser.parse(frame: text)
                        case .binary(let buffer): frame = PolygonStreamParser.parse(frame: Data(buffer.readableBytesView))
                        }
                        let now = self.clock.now()
                        self.update { $0.lastMessageAt = now; $0.messages += 1 }
                        if frame.malformed > 0 {
                            self.logger.warning("malformed polygon frame elements skipped", metadata: [
                                "count": .stringConvertible(frame.malformed), "problems": .string(frame.problems.joined(separator: "; ")),
                            ])
                        }
                        for status in frame.statuses { self.handle(status, send: send, authenticated: authenticated) }
                        if !frame.events.isEmpty { sink.receive(frame.events) }
                    }
                }
                group.addTask {
                    for await item in outgoing {
                        switch item {
                        case .text(let text):
                            try await outbound.write(.text(text))
                        case .syncSubscriptions:
                            guard authenticated.withLock({ $0 }) else { continue }
                            try await self.syncSubscriptions(outbound: outbound, subscribed: subscribed)
                        case .close:
                            try? await outbound.close(.normalClosure, reason: nil)
                            return
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    private func handle(_ status: PolygonStatus, send: AsyncStream<Outgoing>.Continuation, authenticated: Shared<Bool>) {
        switch status {
        case .connected:
            send.yield(.text(PolygonClientMessage.auth(apiKey: apiKey)))
        case .authSuccess:
            authenticated.withLock { $0 = true }
            update { $0.state = .connected; $0.detail = "" }
            logger.info("polygon stream authenticated")
            send.yield(.syncSubscriptions)
        case .authFailed(let message):
            state.withLock { $0.fatal = true }
            update { $0.state = .failed; $0.detail = "authentication failed: \(message) — check POLYGON_API_KEY and the plan's WebSocket access" }
            logger.error("polygon authentication failed; not retrying", metadata: ["message": .string(message)])
            send.yield(.close)
        case .maxConnections(let message):
            state.withLock { $0.hardBackoff = true }
            update { $0.detail = "too many connections: \(message)" }
            logger.error("polygon refused a second connection; backing off", metadata: ["message": .string(message)])
            send.yield(.close)
        case .subscribed, .unsubscribed:
            break
        case .other(let status, let message):
            logger.notice("polygon status", metadata: ["status": .string(status), "message": .string(message)])
        }
    }

    private func syncSubscriptions(outbound: WebSocketOutboundWriter, subscribed: Shared<Set<String>>) async throws {
        let desired = Set(PolygonClientMessage.topics(for: state.withLock { $0.desired }, channels: channels))
        let (add, remove) = subscribed.withLock { current -> ([String], [String]) in
            let add = desired.subtracting(current).sorted()
            let remove = current.subtracting(desired).sorted()
            current = desired
            return (add, remove)
        }
        if let message = PolygonClientMessage.unsubscribe(topics: remove) { try await outbound.write(.text(message)) }
        if let message = PolygonClientMessage.subscribe(topics: add) { try await outbound.write(.text(message)) }
    }
}
