import Foundation
import Logging
import ServiceLifecycle
import TradingDomain
import Synchronization

/// Evaluates every alert on every trade through the indexed `AlertBook` (never a scan of all
/// alerts), stores each firing once together with the alert's new state, then fans it out as an
/// `alert` event. Also: expires alerts on time without ticks, polls one batched snapshot while the
/// stream is down or stale, and evaluates snapshots at start and after a gap (`catch_up`, using the
/// day's high and low) so crossings during a gap are not missed. Sessions follow the injected
/// calendar (`SessionAlertBooks`, docs/alerts.md "Sessions"): `regular` alerts see only prints of the
/// regular session, and neither catch-up nor arming fires on the last session's prices.
///
/// Evaluation happens on the feed's thread (it is a `MarketEventSink`); storing happens on the
/// engine's own task, which takes everything queued since its last commit in one transaction.
public final class AlertEngine: MarketSubscriber, Service, Sendable {
    let repository: any AlertRepository
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    let pollInterval: Duration
    private let book = Mutex(SessionAlertBooks())
    private let pending = Mutex(PendingBatch())
    private let wake: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    private let counters = Mutex<(ticks: Int, firings: Int, stored: Int)>((0, 0, 0))
    private let latency = Mutex(LatencyHistogram())
    /// Time to evaluate one tick against the book (per-batch average, per tick).
    public var evaluationLatency: LatencyHistogram { latency.withLock { $0 } }
    /// The live quotes (previous close, the day's range, a price to arm on), given at construction.
    let quotes: QuoteCache?
    /// The batched snapshot source the poller uses while the stream is down or stale.
    let snapshots: (any MarketSnapshotSource)?
    /// Whether the stream is delivering (no polling while it is).
    let streamIsFresh: @Sendable () -> Bool
    /// Told which symbols the armed alerts watch (the market-data service streams them).
    private let symbolObservers = Mutex<[@Sendable (Set<Symbol>) -> Void]>([])
    public let subscriberName = "alerts"
    /// Test seam: called just before a batch is stored (crash tests kill the process here).
    public let beforeCommit: (@Sendable () -> Void)?
    /// The current Discord settings, read when a batch with firings is stored: matching firings
    /// queue their notification in the same transaction.
    let forwarding: (@Sendable () async throws -> DiscordSettings)?
    /// The market calendar: the session of a print, and which data is the last session's.
    let calendar: any MarketCalendarSource

    public init(
        repository: any AlertRepository, bus: EventBus, clock: any WallClock, logger: Logger,
        pollInterval: Duration = .seconds(15), beforeCommit: (@Sendable () -> Void)? = nil,
        forwarding: (@Sendable () async throws -> DiscordSettings)? = nil,
        quotes: QuoteCache? = nil, snapshots: (any MarketSnapshotSource)? = nil, streamIsFresh: @escaping @Sendable () -> Bool = { true },
        calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.calendar = calendar
        self.quotes = quotes
        self.snapshots = snapshots
        self.streamIsFresh = streamIsFresh
        self.forwarding = forwarding
        self.repository = repository
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.pollInterval = pollInterval
        self.beforeCommit = beforeCommit
        (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Loads every active alert. Call before market data starts, so the first snapshot is evaluated.
    public func load() async throws {
        let rules = try await repository.loadActive()
        book.withLock { book in for rule in rules { book.add(rule) } }
        logger.info("alerts armed", metadata: ["count": .stringConvertible(rules.count)])
    }

    /// Stores a new alert and arms it, refusing it when `maxAlerts` exist already.
    public func create(_ rule: AlertRule, maxAlerts: Int) async throws {
        guard try await repository.count() < maxAlerts else {
            throw ValidationFailure(field: "body", message: "the limit of \(maxAlerts) alerts is reached (TA_MAX_ALERTS); delete some first")
        }
        try await repository.insert(rule)
        armed(rule)
    }

    public func observeSymbols(_ onChange: @escaping @Sendable (Set<Symbol>) -> Void) {
        symbolObservers.withLock { $0.append(onChange) }
        onChange(Set(book.withLock { $0.symbolsWithAlerts }))
    }

    /// A snapshot batch (at start, for a new symbol, after a gap) is evaluated with the day's high
    /// and low: catch-up semantics, whatever its label.
    public func receiveSnapshots(_ snapshots: [MarketSnapshot], source: String) async {
        evaluate(snapshots, source: .catchUp)
    }

    public var armedCount: Int { book.withLock { $0.armedCount } }
    public var stats: (ticks: Int, firings: Int, stored: Int) { counters.withLock { $0 } }

    // MARK: changes from the API

    public func armed(_ rule: AlertRule) {
        book.withLock { book in
            _ = book.remove(id: rule.id)
            if rule.status == .active {
                book.add(rule)
                if let close = quotes?.quote(for: rule.symbol)?.previousClose, book.previousClose(rule.symbol) == nil {
                    book.setPreviousClose(rule.symbol, close)
                }
            }
        }
        publishSymbols()
        // An alert whose condition already holds fires on the current price, not only on the next tick.
        // Its source is where that price came from (a streamed tick, a poll, a snapshot). The last
        // session's price (Friday's on a weekend) is not current: the alert waits for a new print.
        if rule.status == .active, let quote = quotes?.quote(for: rule.symbol), let price = quote.last {
            let now = clock.now()
            let calendar = self.calendar.calendar()
            let session = calendar.session(at: quote.asOf)
            guard calendar.tradingDay(at: quote.asOf) == calendar.tradingDay(at: now),
                  rule.sessions == .extended || session == .regular else { return }
            let source = FiringSource(quoteSource: quote.source)
            enqueue(book.withLock { $0.evaluate(symbol: rule.symbol, price: price, time: now, source: source, session: session) })
        }
    }

    public func removed(id: UUID) {
        _ = book.withLock { $0.remove(id: id) }
        publishSymbols()
    }

    /// Keeps the feed subscribed to every symbol an armed alert watches.
    private func publishSymbols() {
        let symbols = Set(book.withLock { $0.symbolsWithAlerts })
        for observer in symbolObservers.withLock({ $0 }) { observer(symbols) }
    }

    // MARK: evaluation

    public func receive(_ events: [MarketEvent]) {
        var evaluation = AlertEvaluation()
        var trades = 0
        // One clock for every evaluation (the book needs time never to go backwards; exchange
        // timestamps from different sources could).
        let now = clock.now()
        let started = ContinuousClock.now
        // A print's session (by its own time) matters only to regular-session alerts.
        let calendar = book.withLock { $0.hasRegularAlerts } ? self.calendar.calendar() : nil
        book.withLock { book in
            for event in events {
                // Only prints that set the last price count (docs/alerts.md, "Clean prints"): an
                // odd lot or an average-price print far from the market must not fire anything.
                guard case .trade(let trade) = event, trade.updatesLast else { continue }
                trades += 1
                let session: MarketSession = if let calendar, book.hasRegularAlerts(trade.symbol) {
                    calendar.session(at: trade.time)
                } else {
                    .closed
                }
                // The tick's fixed-point price indexes without Decimal work (docs/performance.md).
                let point = trade.fixedPrice.map(PricePoint.init) ?? PricePoint(trade.price)
                evaluation.append(book.evaluate(symbol: trade.symbol, point: point, time: now, source: .stream, session: session))
            }
        }
        let elapsed = (ContinuousClock.now - started).nanoseconds
        counters.withLock { $0.ticks += trades }
        // The batch's time per tick, recorded once per tick of the batch.
        if trades > 0 { latency.withLock { $0.record(nanoseconds: elapsed / Int64(trades), times: trades) } }
        enqueue(evaluation)
    }

    /// Evaluates snapshots (start-up fill, catch-up after a gap, poll). The day's high and low we
    /// already saw are passed along, so only the part of the day's range that is new can fire
    /// (otherwise a repeat alert would fire again on an old high after every cooldown); data of the
    /// last session, or not newer than what an alert has seen, fires nothing (`SessionAlertBooks`).
    func evaluate(_ snapshots: [MarketSnapshot], source: FiringSource) {
        let now = clock.now()
        let cache = quotes
        let inputs = snapshots.map { snapshot in
            let quote = cache?.quote(for: snapshot.symbol)
            return CatchUpInput(snapshot: snapshot, knownHigh: quote?.dayHigh, knownLow: quote?.dayLow)
        }
        let calendar = self.calendar.calendar()
        enqueue(book.withLock { $0.catchUp(inputs, time: now, source: source, calendar: calendar) })
    }

    /// The engine's copy of an active alert: newer than storage while firings are being stored.
    public func rule(id: UUID) -> AlertRule? {
        book.withLock { $0.rule(id: id) }
    }

    private func enqueue(_ evaluation: AlertEvaluation) {
        guard !evaluation.isEmpty else { return }
        let wake = pending.withLock { pending -> Bool in
            let wasUrgent = pending.isUrgent
            let wasFull = pending.isFull
            pending.add(evaluation)
            return (pending.isUrgent && !wasUrgent) || (pending.isFull && !wasFull)
        }
        if !evaluation.firings.isEmpty { counters.withLock { $0.firings += evaluation.firings.count } }
        // The writer takes everything pending at once. It is woken for firings and expiries (to be
        // stored and announced now) or a full queue of side changes; other side changes wait for
        // its once-a-second round, so a crossing-heavy tape does not wake a thread per tick
        // (docs/performance.md, "Alert engine"; docs/alerts.md).
        if wake { wakeContinuation.yield() }
    }

    // MARK: the service

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in self.wake { await self.commit() } }
                group.addTask {
                    await repeatEvery(.seconds(1), clock: self.clock) {
                        self.enqueue(AlertEvaluation(expired: self.book.withLock { $0.expire(now: self.clock.now()) }))
                        // Side changes queued without a wake are stored within about a second.
                        if !self.pending.withLock({ $0.isEmpty }) { self.wakeContinuation.yield() }
                        self.publishSymbols()
                    }
                }
                group.addTask {
                    await repeatEvery(self.pollInterval, clock: self.clock) { await self.pollIfStale() }
                }
                await group.waitForAll()
            }
        }
        // Whatever was evaluated before shutdown is still stored.
        await commit()
    }

    /// Stores everything queued in one transaction, then announces the stored firings.
    func commit() async {
        // Swap the queue out in O(1) and build the batch outside the lock, so a tick arriving
        // meanwhile never waits for the writer (docs/performance.md, "Alert engine").
        var taken = PendingBatch(reservingCapacity: PendingBatch.typicalChanges)
        pending.withLock { swap(&$0, &taken) }
        let batch = taken.evaluation
        guard !batch.isEmpty else { return }
        beforeCommit?()
        do {
            let discord = batch.firings.isEmpty ? nil : try await forwarding?()
            let now = clock.now()
            let stored = try await repository.record(batch) { firing in
                OutboxMessage.discord(for: firing, settings: discord, now: now)
            }
            counters.withLock { $0.stored += stored.count }
            for firing in stored {
                logger.info("alert fired", metadata: [
                    "alert_id": .string(firing.alertID.uuidString), "symbol": .string(firing.symbol.rawValue),
                    "type": .string(firing.type.rawValue), "price": .string("\(firing.price)"), "source": .string(firing.source.rawValue),
                ])
                bus.publish(.alert(firing))
            }
        } catch {
            // Not stored: put it back so the next commit retries (the unique key prevents doubles).
            logger.error("storing alert firings failed; will retry", metadata: ["error": .string("\(error)")])
            pending.withLock { current in
                var retry = PendingBatch()
                retry.add(batch)
                retry.add(current.evaluation)
                current = retry
            }
            // Try again in a second (on the injected clock), without holding up this commit.
            Task { [clock, wakeContinuation] in
                try? await clock.sleep(for: .seconds(1))
                wakeContinuation.yield()
            }
        }
    }

    /// The fallback poller: while the stream is down or stale, one batched snapshot for every
    /// symbol with an armed alert.
    func pollIfStale() async {
        guard !streamIsFresh(), let source = snapshots else { return }
        let symbols = book.withLock { $0.symbolsWithAlerts }
        guard !symbols.isEmpty else { return }
        do {
            let snapshots = try await source.snapshots(for: symbols)
            let values = symbols.compactMap { snapshots[$0] }
            evaluate(values, source: .poll)
            // The cache shows the polled price too, labelled so an alert armed on it says `poll`.
            quotes?.apply(values, source: FiringSource.poll.rawValue)
        } catch {
            logger.warning("alert poll failed", metadata: ["error": .string("\(error)")])
        }
    }
}

/// Evaluations waiting to be stored, merged in O(size of each new evaluation): firings and
/// expiries in order, and only the newest state of each alert that changed without firing.
struct PendingBatch {
    private var firings: [AlertFiring] = []
    private var expired: [AlertRule] = []
    private var changed: [UUID: AlertRule] = [:]

    /// Room for the side changes a busy tape queues between two commits, reserved by the writer
    /// when it takes a batch, so the tick path rarely grows the table.
    static let typicalChanges = 2_048

    init() {}

    init(reservingCapacity capacity: Int) {
        changed.reserveCapacity(capacity)
        firings.reserveCapacity(64)
    }

    var isEmpty: Bool { firings.isEmpty && expired.isEmpty && changed.isEmpty }
    /// Holds something to store and announce now.
    var isUrgent: Bool { !firings.isEmpty || !expired.isEmpty }
    /// Holds enough side changes to be worth a commit of their own.
    var isFull: Bool { changed.count >= Self.typicalChanges / 2 }

    mutating func add(_ evaluation: AlertEvaluation) {
        for firing in evaluation.firings {
            changed[firing.alertID] = nil
            firings.append(firing)
        }
        for rule in evaluation.expired {
            changed[rule.id] = nil
            expired.append(rule)
        }
        for rule in evaluation.changed { changed[rule.id] = rule }
    }

    var evaluation: AlertEvaluation {
        AlertEvaluation(firings: firings, changed: Array(changed.values), expired: expired)
    }
}
