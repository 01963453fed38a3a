import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import TradingDomain
import TradingEngine

/// Tradier's market WebSocket as a market-data feed (docs/vendors.md §2.8;
/// https://documentation.tradier.com/brokerage-api/streaming/wss-market-websocket):
///
/// - every connection starts with a NEW session (`POST /markets/events/session`): a session id is
///   good for 5 minutes until used and only one may be open, so an id is never reused after a drop;
/// - after connecting, the request payload (`symbols`, `sessionid`, `filter` trade/quote/summary,
///   `linebreak`) is sent; a change of symbols sends the payload again on the same socket;
/// - `quote`, `trade` and `summary` payloads become market events (`TradierMarketWire`);
/// - an `{"error":…}` naming the session means Tradier no longer knows it: reconnect with a new one;
/// - Tradier closes a stream that delivered no data for 15 minutes
///   (https://docs.tradier.com/docs/streaming-data); the feed does not wait to find out whether the
///   socket is still alive: after 15 minutes without a message on the injected clock it closes it
///   and reconnects with a new session;
/// - drops reconnect with backoff and jitter; with no symbols wanted there is no session at all;
/// - an account Tradier refuses streaming to gets its quotes polled instead
///   (`TradierStreamFeed+Polling`), and a session is asked for again every `refusedWait`.
public final class TradierStreamFeed: MarketDataFeed, Sendable {
    public let provider = "tradier"
    /// `wss://ws.tradier.com/v1/markets/events` (tests: a loopback fake).
    public static let defaultURL = "wss://ws.tradier.com/v1/markets/events"
    /// Tradier ends a stream after this long without data (its documented rule).
    public static let documentedSilenceLimit: Duration = .seconds(15 * 60)

    let url: String
    let market: TradierMarketData
    let backoff: Backoff
    let silenceLimit: Duration
    /// Wait after Tradier refused the credentials or streaming for a session (retrying sooner
    /// cannot help); while streaming is refused, quotes are polled meanwhile.
    let refusedWait: Duration
    /// How often quotes are polled while streaming is refused (`TradierStreamFeed+Polling`).
    let pollInterval: Duration
    let clock: any WallClock
    let logger: Logger

    struct State {
        var desired: Set<Symbol> = []
        /// Tradier's spelling of each desired symbol → ours.
        var names: [String: Symbol] = [:]
        /// The current connection's writer and session.
        var send: AsyncStream<Outgoing>.Continuation?
        var sessionID: String?
        var status: FeedStatus
    }

    enum Outgoing: Sendable {
        /// Send the request payload again (the symbols changed).
        case resubscribe
        case close
    }

    /// Why a connection ended, when the feed ended it.
    enum Ending: Sendable {
        case sessionRefused(String)
        case silent
        case noSymbols
    }

    let state: Mutex<State>
    private let wake: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(
        url: String = TradierStreamFeed.defaultURL, market: TradierMarketData, backoff: Backoff = Backoff(),
        silenceLimit: Duration = TradierStreamFeed.documentedSilenceLimit, refusedWait: Duration = .seconds(300),
        pollInterval: Duration = .seconds(5), clock: any WallClock, logger: Logger
    ) {
        self.url = url
        self.market = market
        self.backoff = backoff
        self.silenceLimit = silenceLimit
        self.refusedWait = refusedWait
        self.pollInterval = pollInterval
        self.clock = clock
        self.logger = logger
        state = Mutex(State(status: FeedStatus(provider: "tradier", state: .connecting)))
        (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        let send = state.withLock { state -> AsyncStream<Outgoing>.Continuation? in
            guard state.desired != symbols else { return nil }
            state.desired = symbols
            state.names = TradierMarketWire.lookup(symbols)
            return state.send
        }
        send?.yield(symbols.isEmpty ? .close : .resubscribe)
        wakeContinuation.yield()
    }

    public func status() -> FeedStatus {
        state.withLock { $0.status }
    }

    /// The session id of the open connection (nil between connections).
    public var sessionID: String? { state.withLock { $0.sessionID } }

    public func run(sink: any MarketEventSink) async throws {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        defer { update { $0.state = .stopped; $0.detail = "" } }
        while !Task.isCancelled {
            guard await waitForSymbols() else { return }
            var wait: Duration
            let started = clock.now()
            do {
                let session = try await market.createStreamSession()
                switch try await connectOnce(session: session, sink: sink) {
                case .sessionRefused(let message)?:
                    logger.warning("tradier refused the stream session; taking a new one", metadata: ["error": .string(message)])
                    update { $0.detail = "session refused: \(message)" }
                case .silent?:
                    logger.notice("tradier stream silent for \(Int(silenceLimit.seconds / 60)) minutes; reconnecting with a new session")
                    update { $0.detail = "no data for \(Int(silenceLimit.seconds / 60)) minutes" }
                case .noSymbols?:
                    attempt = 0
                    continue
                case nil:
                    logger.warning("tradier stream closed by the server")
                    update { $0.detail = "closed by the server" }
                }
                wait = nextDelay(&attempt, started: started, generator: &generator)
            } catch is CancellationError {
                return
            } catch let error as MarketDataError {
                if case .unauthorized(let detail) = error {
                    // Bad token, or an account without streaming: say so and retry slowly.
                    update {
                        $0.state = .failed
                        $0.detail = "Tradier refused a streaming session: \(detail) — check TRADIER_ACCESS_TOKEN; retrying in \(Int(refusedWait.seconds)) s"
                    }
                    logger.error("tradier refused a streaming session", metadata: ["error": .string(detail)])
                    do { try await clock.sleep(for: refusedWait) } catch { return }
                    continue
                }
                if let refusal = Self.streamingRefusal(error) {
                    guard await pollQuotes(for: refusedWait, refusal: refusal, sink: sink) else { return }
                    attempt = 0
                    continue
                }
                logger.warning("tradier stream session failed", metadata: ["error": .string("\(error)")])
                update { $0.detail = "\(error)" }
                wait = nextDelay(&attempt, started: started, generator: &generator)
            } catch {
                if Task.isCancelled { return }
                logger.warning("tradier stream failed", metadata: ["error": .string("\(error)")])
                update { $0.detail = "\(error)" }
                wait = nextDelay(&attempt, started: started, generator: &generator)
            }
            if Task.isCancelled { return }
            update { $0.state = .reconnecting; $0.reconnects += 1 }
            logger.info("tradier stream reconnecting", metadata: ["in_ms": .stringConvertible(Int(wait.seconds * 1000))])
            do { try await clock.sleep(for: wait) } catch { return }
        }
    }

    /// Backoff before the next attempt; a connection that lasted `stableAfter` starts it over.
    private func nextDelay(_ attempt: inout Int, started: Date, generator: inout SystemRandomNumberGenerator) -> Duration {
        if clock.now().timeIntervalSince(started) >= backoff.stableAfter.seconds { attempt = 0 }
        defer { attempt += 1 }
        return backoff.delay(attempt: attempt, using: &generator)
    }

    /// Returns once symbols are wanted (false when cancelled): no symbols, no session.
    private func waitForSymbols() async -> Bool {
        if !state.withLock({ $0.desired.isEmpty }) { return true }
        update { $0.state = .connecting; $0.detail = "waiting for symbols" }
        for await _ in wake where !state.withLock({ $0.desired.isEmpty }) { return true }
        return false
    }

    func update(_ change: (inout FeedStatus) -> Void) {
        state.withLock { change(&$0.status) }
    }

    /// One connection on one session, until the server closes it, it fails, or the feed ends it.
    private func connectOnce(session: TradierMarketWire.Session, sink: any MarketEventSink) async throws -> Ending? {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 20
        configuration.autoPing = .enabled(timePeriod: .seconds(30))
        let (outgoing, send) = AsyncStream<Outgoing>.makeStream()
        state.withLock { $0.send = send; $0.sessionID = session.id }
        defer {
            state.withLock { $0.send = nil; $0.sessionID = nil }
            send.finish()
        }
        let ending = Shared<Ending?>(nil)
        let lastData = Shared(clock.now())
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text(self.payload(session: session.id)))
            self.update { $0.state = .connected; $0.detail = "" }
            self.logger.info("tradier stream connected")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        let text: String
                        switch message {
                        case .text(let value): text = value
                        case .binary(let buffer): text = String(buffer: buffer)
                        }
                        let now = self.clock.now()
                        lastData.withLock { $0 = now }
                        self.update { $0.lastMessageAt = now; $0.messages += 1 }
                        let names = self.state.withLock { $0.names }
                        let parsed = TradierMarketWire.streamMessage(text, asked: names, now: now)
                        if !parsed.malformed.isEmpty {
                            self.logger.warning("unreadable tradier stream payloads skipped", metadata: [
                                "count": .stringConvertible(parsed.malformed.count), "first": .string(parsed.malformed[0]),
                            ])
                        }
                        if !parsed.events.isEmpty { sink.receive(parsed.events) }
                        if let refused = parsed.errors.first(where: TradierMarketWire.isSessionError) {
                            ending.withLock { $0 = .sessionRefused(refused) }
                            return
                        }
                        for error in parsed.errors {
                            self.logger.warning("tradier stream error", metadata: ["error": .string(error)])
                            self.update { $0.detail = error }
                        }
                    }
                }
                group.addTask {
                    for await item in outgoing {
                        switch item {
                        case .resubscribe:
                            try await outbound.write(.text(self.payload(session: session.id)))
                        case .close:
                            ending.withLock { $0 = $0 ?? .noSymbols }
                            return
                        }
                    }
                }
                group.addTask {
                    // Tradier's silence rule, measured on the injected clock.
                    while true {
                        let quiet = self.clock.now().timeIntervalSince(lastData.withLock { $0 })
                        if quiet >= self.silenceLimit.seconds {
                            ending.withLock { $0 = .silent }
                            return
                        }
                        try await self.clock.sleep(for: .milliseconds(Int64((self.silenceLimit.seconds - quiet) * 1000)))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        return ending.withLock { $0 }
    }

    private func payload(session: String) -> String {
        TradierMarketWire.subscription(symbols: state.withLock { $0.desired }, sessionID: session)
    }
}
