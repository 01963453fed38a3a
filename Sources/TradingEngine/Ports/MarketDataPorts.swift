import Foundation
import TradingDomain

/// Connection state of a streaming feed, as shown to the dashboard, `/ready`, alerts and the coach.
public struct FeedStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Not started yet, or connecting for the first time.
        case connecting
        /// Connected (and authenticated); data flows.
        case connected
        /// Lost the connection; retrying with backoff.
        case reconnecting
        /// Gave up: the provider refused us (bad key, no entitlement). `detail` says why.
        case failed
        /// Stopped on purpose (shutdown).
        case stopped
    }

    public var provider: String
    public var state: State
    public var detail: String
    public var lastMessageAt: Date?
    public var reconnects: Int
    public var messages: Int

    public init(provider: String, state: State, detail: String = "", lastMessageAt: Date? = nil, reconnects: Int = 0, messages: Int = 0) {
        self.provider = provider
        self.state = state
        self.detail = detail
        self.lastMessageAt = lastMessageAt
        self.reconnects = reconnects
        self.messages = messages
    }
}

/// Receives batches of market events from a feed. Called from the feed's task; must be fast
/// (update state, hand off) and never block on I/O.
public protocol MarketEventSink: Sendable {
    func receive(_ events: [MarketEvent])
}

/// A consumer of the market besides the quote cache (the alert engine, the paper broker), given to
/// `MarketDataService` at construction: it receives every tick, says which symbols it needs
/// streamed, and may evaluate each batch of snapshots before the cache applies it.
public protocol MarketSubscriber: MarketEventSink {
    /// Names the symbols it asks for (`alerts`, `paper`).
    var subscriberName: String { get }
    /// Calls `onChange` with the symbols it needs now and after every change.
    func observeSymbols(_ onChange: @escaping @Sendable (Set<Symbol>) -> Void)
    /// A batch of snapshots (at start, for a new symbol, after a gap), before the cache applies it.
    func receiveSnapshots(_ snapshots: [MarketSnapshot], source: String) async
}

extension MarketSubscriber {
    public func receiveSnapshots(_ snapshots: [MarketSnapshot], source: String) async {}
}

/// Whether a feed is connected and has delivered data within `staleAfter` seconds.
public func isFeedFresh(_ status: FeedStatus, now: Date, staleAfter: TimeInterval) -> Bool {
    guard status.state == .connected, let last = status.lastMessageAt else { return false }
    return now.timeIntervalSince(last) <= staleAfter
}

/// Whether a feed is fit to serve (`/ready`, the alert poller, reconciliation): connected, and —
/// while the regular session is open — delivering data: silence longer than `staleAfter` seconds
/// within the session (counted from the open at the earliest) makes it stale. Outside the regular
/// session (overnight, weekends, holidays and the thin extended hours) silence is the market being
/// quiet, not a fault: only the feed's own health counts (docs/operations.md, "Staleness and
/// sessions").
public func isFeedReady(_ status: FeedStatus, now: Date, staleAfter: TimeInterval, calendar: MarketCalendar) -> Bool {
    guard status.state == .connected else { return false }
    guard calendar.session(at: now) == .regular, let open = calendar.open(of: calendar.day(containing: now)) else { return true }
    let last = max(status.lastMessageAt ?? open, open)
    return now.timeIntervalSince(last) <= staleAfter
}

/// A streaming source of trades, quotes and minute bars for a changing set of symbols.
/// It runs as a `Service` (its `run` connects, reconnects, and returns on graceful shutdown).
public protocol MarketDataFeed: Sendable {
    /// Short provider name: `simulated`, `replay`, `polygon`.
    var provider: String { get }
    /// Subscribes to exactly these symbols from now on (adds and removes live, without a restart).
    func setSymbols(_ symbols: Set<Symbol>) async
    func status() -> FeedStatus
    /// Connects and delivers events to `sink` until cancelled or gracefully shut down.
    func run(sink: any MarketEventSink) async throws
}

/// REST-style, request/response market data.
public protocol MarketSnapshotSource: Sendable {
    /// One batched call for all symbols (never one call per symbol). Unknown symbols are absent.
    func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot]
    /// Bars for charts, oldest first, at most `limit`.
    func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar]
}

/// What a market-data client should do after an error (docs/architecture.md, "Errors and retries").
public enum MarketDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bad or missing key, or the plan lacks the entitlement: stop and tell the user.
    case unauthorized(String)
    /// Rate limited: wait at least this long.
    case rateLimited(retryAfter: Duration?)
    /// Temporary network or server trouble: retry with backoff.
    case unavailable(String)
    /// The answer could not be understood.
    case malformed(String)

    public var description: String {
        switch self {
        case .unauthorized(let detail): "not authorized: \(detail)"
        case .rateLimited(let after): "rate limited" + (after.map { ", retry after \($0)" } ?? "")
        case .unavailable(let detail): "unavailable: \(detail)"
        case .malformed(let detail): "malformed response: \(detail)"
        }
    }
}
