import Foundation
import Logging
import ServiceLifecycle
import TradingDomain
import Synchronization

/// Runs the streaming feed for the watchlist and keeps the quote cache current:
/// - subscribes to the watchlist at start and follows every change live;
/// - fills the cache from one batched snapshot at start, and again after the stream was down or
///   stale (catch-up, so what happened during a gap is not missed);
/// - watches staleness (per symbol and for the feed) and connection state, publishing a `status`
///   event on every change. The feed's silence is judged only while the regular session is open
///   (`isFeedReady`); outside it a connected feed with no data is `feed_quiet`, not stale.
public final class MarketDataService: Service, Sendable {
    public let feed: any MarketDataFeed
    public let snapshots: (any MarketSnapshotSource)?
    public let cache: QuoteCache
    let bus: EventBus
    public let watchlist: WatchlistService
    let clock: any WallClock
    let logger: Logger
    let checkInterval: Duration
    /// The market calendar: when silence means a stale feed and when a quiet market.
    let calendar: any MarketCalendarSource

    private let watched = Mutex<Set<Symbol>>([])
    /// What the feed must cover: the watchlist, plus symbols other parts need (alerts, the
    /// paper broker's working orders and positions), by owner.
    private let wanted = Mutex<(watchlist: Set<Symbol>, others: [String: Set<Symbol>])>(([], [:]))
    let monitor = Mutex<MonitorState>(MonitorState())
    private let changes: AsyncStream<Void>
    private let changesContinuation: AsyncStream<Void>.Continuation
    /// Receivers of every raw tick besides the cache (the alert engine needs every trade, not only
    /// the newest per batch) and of every snapshot batch; fixed at construction.
    let subscribers: [any MarketSubscriber]

    struct MonitorState {
        var staleSymbols: Set<Symbol> = []
        var feedState: FeedStatus.State = .connecting
        var feedFresh = false
        var feedQuiet = false
        var needsCatchUp = false
        var catchUps = 0
        var lastCount = 0
        var lastCheck: Date?
        var messagesPerSecond: Double = 0
        /// The trading day whose figures the cache was last filled for (start-up or day roll).
        var filledDay: String?
        var dayRolls = 0
    }

    public init(
        feed: any MarketDataFeed, snapshots: (any MarketSnapshotSource)?, cache: QuoteCache, bus: EventBus,
        watchlist: WatchlistService, clock: any WallClock, logger: Logger, checkInterval: Duration = .seconds(1),
        subscribers: [any MarketSubscriber] = [], calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.calendar = calendar
        self.subscribers = subscribers
        self.feed = feed
        self.snapshots = snapshots
        self.cache = cache
        self.bus = bus
        self.watchlist = watchlist
        self.clock = clock
        self.logger = logger
        self.checkInterval = checkInterval
        (changes, changesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        let continuation = changesContinuation
        watchlist.observe { [weak self] symbols in
            self?.wanted.withLock { $0.watchlist = Set(symbols) }
            continuation.yield()
        }
        // Symbols with armed alerts, or with the paper broker's orders and positions, are streamed
        // too, even when they are not on the watchlist.
        for subscriber in subscribers {
            let owner = subscriber.subscriberName
            subscriber.observeSymbols { [weak self] symbols in self?.setSymbols(symbols, for: owner) }
        }
    }

    /// Streams `symbols` for `owner` (replacing what that owner asked for before).
    func setSymbols(_ symbols: Set<Symbol>, for owner: String) {
        let changed = wanted.withLock { state -> Bool in
            guard state.others[owner, default: []] != symbols else { return false }
            state.others[owner] = symbols
            return true
        }
        if changed { changesContinuation.yield() }
    }

    public var watchedSymbols: Set<Symbol> { watched.withLock { $0 } }

    /// Whether the feed is fit to serve: connected and, while the regular session is open, delivering
    /// data within the staleness window (`isFeedReady`). What `/ready` checks.
    public var isFresh: Bool {
        isFeedReady(feed.status(), now: clock.now(), staleAfter: cache.staleAfter, calendar: calendar.calendar())
    }

    /// Whether data arrived within the staleness window (whatever the session).
    public var hasRecentData: Bool { isFeedFresh(feed.status(), now: clock.now(), staleAfter: cache.staleAfter) }

    /// The market session now (by the injected calendar).
    public var session: MarketSession { calendar.session(at: clock.now()) }

    /// Connected, no data recently, and the regular session is not open: the market is quiet.
    public var isQuiet: Bool { feed.status().state == .connected && !hasRecentData && session != .regular }

    public var catchUpCount: Int { monitor.withLock { $0.catchUps } }

    /// Messages per second over the last monitor interval.
    public var messagesPerSecond: Double { monitor.withLock { $0.messagesPerSecond } }

    /// Symbols currently without recent data (as of the last monitor pass).
    public var staleSymbols: Set<Symbol> { monitor.withLock { $0.staleSymbols } }

    public func run() async throws {
        // Subscribing fills every newly watched symbol from one batched snapshot.
        let startDay = calendar.calendar().tradingDay(at: clock.now())
        monitor.withLock { $0.filledDay = startDay }
        let initial = (try? await watchlist.list()) ?? []
        wanted.withLock { $0.watchlist = Set(initial) }
        await subscribe(to: wantedSymbols)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await self.feed.run(sink: FanOutSink(sinks: [self.cache] + self.subscribers))
                    } catch {
                        self.logger.error("market data feed stopped", metadata: ["error": .string("\(error)")])
                    }
                }
                group.addTask {
                    for await _ in self.changes { await self.subscribe(to: self.wantedSymbols) }
                }
                group.addTask {
                    await repeatEvery(self.checkInterval, clock: self.clock) { await self.check() }
                }
                await group.waitForAll()
            }
        }
        changesContinuation.finish()
    }

    private var wantedSymbols: Set<Symbol> {
        wanted.withLock { $0.others.values.reduce($0.watchlist) { $0.union($1) } }
    }

    func subscribe(to set: Set<Symbol>) async {
        let added = watched.withLock { current -> Set<Symbol> in
            let added = set.subtracting(current)
            current = set
            return added
        }
        cache.retain(only: set)
        await feed.setSymbols(set)
        logger.info("watching symbols", metadata: ["count": .stringConvertible(set.count)])
        if !added.isEmpty { await fill(Array(added).sorted(), source: "snapshot") }
    }

    /// One pass of the monitor: feed state, freshness, per-symbol staleness.
    func check() async {
        let status = feed.status()
        let fresh = isFresh
        let quiet = fresh && !hasRecentData
        let stale = cache.staleSymbols(among: watchedSymbols)
        let now = clock.now()
        let calendar = self.calendar.calendar()
        // A new trading day, once its first session has begun (providers roll their day figures
        // by the pre-market): one batched snapshot brings the provider's previous close and day
        // figures (docs/sessions.md, "Previous close and the daily roll").
        let today = calendar.tradingDay(at: now)
        let newDay = calendar.session(at: now).isTrading && monitor.withLock { state -> Bool in
            guard state.filledDay != today else { return false }
            state.filledDay = today
            state.dayRolls += 1
            return true
        }
        let (notices, shouldCatchUp) = monitor.withLock { state -> ([StatusNotice], Bool) in
            var notices: [StatusNotice] = []
            if status.state != state.feedState || fresh != state.feedFresh || quiet != state.feedQuiet {
                let kind = status.state == .connected ? (fresh ? (quiet ? "feed_quiet" : "feed_live") : "feed_stale") : "feed_\(status.state.rawValue)"
                notices.append(StatusNotice(
                    kind: kind, feed: status,
                    message: quiet ? "\(status.provider) connected; the market is quiet (no regular session now)" : Self.describe(status, fresh: fresh)))
                if !(status.state == .connected && fresh) { state.needsCatchUp = true }
            }
            if stale != state.staleSymbols {
                notices.append(StatusNotice(
                    kind: "stale_symbols", feed: status, staleSymbols: stale.sorted(),
                    message: stale.isEmpty ? "all symbols are live" : "no data recently for \(stale.sorted().map(\.rawValue).joined(separator: ", "))"))
            }
            if let previous = state.lastCheck, now > previous {
                state.messagesPerSecond = Double(status.messages - state.lastCount) / now.timeIntervalSince(previous)
            }
            state.lastCheck = now
            state.lastCount = status.messages
            state.feedState = status.state
            state.feedFresh = fresh
            state.feedQuiet = quiet
            state.staleSymbols = stale
            let catchUp = state.needsCatchUp && status.state == .connected && fresh
            if catchUp { state.needsCatchUp = false }
            return (notices, catchUp)
        }
        for notice in notices {
            logger.info("market data status", metadata: ["kind": .string(notice.kind), "message": .string(notice.message)])
            bus.publish(.status(notice))
        }
        if shouldCatchUp {
            await catchUp()
        } else if newDay {
            let symbols = watchedSymbols.sorted()
            if !symbols.isEmpty { await fill(symbols, source: "day_roll") }
        }
    }

    /// Day-roll snapshot refreshes since start.
    public var dayRollCount: Int { monitor.withLock { $0.dayRolls } }

    /// After the stream was down or stale: one batched snapshot for every watched symbol.
    func catchUp() async {
        let symbols = watchedSymbols.sorted()
        guard !symbols.isEmpty else { return }
        await fill(symbols, source: "catch_up")
        monitor.withLock { $0.catchUps += 1 }
    }

    private func fill(_ symbols: [Symbol], source: String) async {
        guard let snapshots else { return }
        do {
            let result = try await snapshots.snapshots(for: symbols)
            let values = symbols.compactMap { result[$0] }
            for subscriber in subscribers { await subscriber.receiveSnapshots(values, source: source) }
            cache.apply(values, source: source)
        } catch {
            logger.warning("snapshot failed", metadata: ["error": .string("\(error)"), "symbols": .stringConvertible(symbols.count)])
        }
    }

    static func describe(_ status: FeedStatus, fresh: Bool) -> String {
        switch status.state {
        case .connected: fresh ? "\(status.provider) live" : "\(status.provider) connected but no data recently"
        case .connecting: "\(status.provider) connecting"
        case .reconnecting: "\(status.provider) reconnecting (\(status.reconnects) so far)" + (status.detail.isEmpty ? "" : ": \(status.detail)")
        case .failed: "\(status.provider) stopped: \(status.detail)"
        case .stopped: "\(status.provider) stopped"
        }
    }
}

/// Hands each batch to several sinks in order.
struct FanOutSink: MarketEventSink {
    let sinks: [any MarketEventSink]

    func receive(_ events: [MarketEvent]) {
        for sink in sinks { sink.receive(events) }
    }
}
