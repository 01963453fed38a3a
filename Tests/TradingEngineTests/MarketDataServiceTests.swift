import Foundation
import Logging
import ServiceLifecycle
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// A feed the test drives: records subscriptions, reports whatever state the test sets.
final class ScriptedFeed: MarketDataFeed, @unchecked Sendable {
    let provider = "scripted"
    let lock = NSLock()
    var symbolsHistory: [Set<Symbol>] = []
    var current = FeedStatus(provider: "scripted", state: .connecting)
    var sink: (any MarketEventSink)?

    func setSymbols(_ symbols: Set<Symbol>) async {
        lock.withLock { symbolsHistory.append(symbols) }
    }

    func status() -> FeedStatus { lock.withLock { current } }

    func set(_ state: FeedStatus.State, lastMessageAt: Date?) {
        lock.withLock {
            current.state = state
            current.lastMessageAt = lastMessageAt
        }
    }

    func run(sink: any MarketEventSink) async throws {
        lock.withLock { self.sink = sink }
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
    }
}

/// Snapshot source counting its calls.
final class CountingSnapshots: MarketSnapshotSource, @unchecked Sendable {
    let lock = NSLock()
    var calls: [[Symbol]] = []
    let clock: any WallClock

    init(clock: any WallClock) { self.clock = clock }

    func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        lock.withLock { calls.append(symbols) }
        return Dictionary(uniqueKeysWithValues: symbols.map { ($0, MarketSnapshot(symbol: $0, last: 50, lastTime: clock.now(), previousClose: 49, updated: clock.now())) })
    }

    func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] { [] }
}

final class InMemoryWatchlist: WatchlistRepository, @unchecked Sendable {
    let lock = NSLock()
    var symbols: [Symbol]
    init(_ symbols: [String]) { self.symbols = symbols.map(Symbol.init(trusted:)) }
    func list() async throws -> [Symbol] { lock.withLock { symbols } }
    func replace(with symbols: [Symbol]) async throws { lock.withLock { self.symbols = symbols } }
    func add(_ symbol: Symbol) async throws -> Bool {
        lock.withLock { if symbols.contains(symbol) { return false }; symbols.append(symbol); return true }
    }
    func remove(_ symbol: Symbol) async throws -> Bool {
        lock.withLock { guard let index = symbols.firstIndex(of: symbol) else { return false }; symbols.remove(at: index); return true }
    }
}

@Suite("Market data service")
struct MarketDataServiceTests {
    func make(clock: ManualClock) -> (MarketDataService, ScriptedFeed, CountingSnapshots, WatchlistService, EventBus) {
        let feed = ScriptedFeed()
        let snapshots = CountingSnapshots(clock: clock)
        let bus = EventBus()
        let watchlist = WatchlistService(repository: InMemoryWatchlist(["AAPL", "MSFT"]))
        let cache = QuoteCache(clock: clock, bus: bus, staleAfter: 10, provider: "scripted")
        let service = MarketDataService(
            feed: feed, snapshots: snapshots, cache: cache, bus: bus, watchlist: watchlist, clock: clock,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, checkInterval: .milliseconds(10))
        return (service, feed, snapshots, watchlist, bus)
    }

    @Test("subscribes to the watchlist at start, fills from one batched snapshot, and follows watchlist changes")
    func followsWatchlist() async throws {
        let clock = ManualClock()
        let (service, feed, snapshots, watchlist, _) = make(clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            try await waitUntil(ticking: clock) { feed.lock.withLock { !feed.symbolsHistory.isEmpty } }
            #expect(feed.lock.withLock { feed.symbolsHistory.first } == [Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT")])
            try await waitUntil(ticking: clock) { snapshots.lock.withLock { snapshots.calls.count } == 1 }
            #expect(snapshots.lock.withLock { snapshots.calls.first }?.count == 2, "one call for all symbols")
            #expect(service.cache.quote(for: Symbol(trusted: "AAPL"))?.previousClose == 49)

            _ = try await watchlist.add(Symbol(trusted: "TSLA"))
            try await waitUntil(ticking: clock) { feed.lock.withLock { feed.symbolsHistory.last?.contains(Symbol(trusted: "TSLA")) == true } }
            _ = try await watchlist.remove(Symbol(trusted: "MSFT"))
            try await waitUntil(ticking: clock) { feed.lock.withLock { feed.symbolsHistory.last } == [Symbol(trusted: "AAPL"), Symbol(trusted: "TSLA")] }
            group.cancelAll()
        }
    }

    @Test("a feed that goes quiet during the regular session turns stale, tells clients, and catches up from a snapshot when data returns")
    func staleAndCatchUp() async throws {
        let clock = ManualClock(newYork("2026-12-01", 10))
        let (service, feed, snapshots, _, bus) = make(clock: clock)
        let notices = Shared<[String]>([])
        bus.subscribe { event in if case .status(let notice) = event { notices.withLock { $0.append(notice.kind) } } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            feed.set(.connected, lastMessageAt: clock.now())
            try await waitUntil(ticking: clock) { notices.withLock { $0.contains("feed_live") } }
            #expect(service.isFresh)
            let callsBefore = snapshots.lock.withLock { snapshots.calls.count }

            clock.advance(seconds: 11)
            try await waitUntil(ticking: clock) { notices.withLock { $0.contains("feed_stale") } }
            #expect(!service.isFresh)
            try await waitUntil(ticking: clock) { service.staleSymbols.count == 2 }

            feed.set(.connected, lastMessageAt: clock.now())
            try await waitUntil(ticking: clock) { snapshots.lock.withLock { snapshots.calls.count } > callsBefore }
            #expect(service.catchUpCount >= 1)
            #expect(service.cache.quote(for: Symbol(trusted: "AAPL"))?.source == "catch_up")
            group.cancelAll()
        }
    }
}

/// Polls a condition (bounded), for state changed by background tasks.
/// Waits for `condition` without real time: each attempt moves the manual clock by one check
/// interval (so the service's periodic check runs) and lets the other tasks run.
func waitUntil(
    ticking clock: ManualClock, _ condition: @escaping () -> Bool, attempts: Int = 2_000, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    for _ in 0..<attempts {
        if condition() { return }
        clock.advance(by: 0.01)
        for _ in 0..<20 { await Task.yield() }
    }
    Issue.record("condition not met in time", sourceLocation: sourceLocation)
}
