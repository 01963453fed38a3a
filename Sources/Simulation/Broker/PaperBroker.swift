import Foundation
import Logging
import ServiceLifecycle
import TradingDomain
import TradingEngine
import Synchronization

/// The offline default broker: a `PaperLedger` filled against the quote cache, stored through a
/// `PaperLedgerStore` so orders, fills, positions and cash survive restarts.
///
/// - Every change is stored before it is answered or published: `place` returns only after the
///   order is in the store, and an update is published only once the ledger holding it is stored.
///   A change whose store fails is dropped (memory keeps what the store has) and the call throws
///   `.unavailable`. Changes run one at a time, so the store always gets them in order.
/// - Matching runs when `marketMoved` (or `receive`, as a tick sink) reports a tick on a symbol a
///   working order depends on, and every second in `run`, which also expires day orders. Sessions
///   follow the injected calendar (`PaperLedger`, docs/orders.md): outside an order's session it
///   waits, and it fills only on a price received during the session.
///   `run` must be running for ticks to fill orders; `place` and `modify` match at once anyway.
/// - `updates()` is one unbounded stream for one consumer (the order desk); it finishes when `run`
///   returns.
public final class PaperBroker: BrokerPort, MarketSubscriber, Sendable {
    /// `paper`.
    public let name = "paper"
    /// `paper`.
    public let environment = "paper"
    /// The fill and fee rules in force.
    public let settings: PaperSettings
    let store: any PaperLedgerStore
    let quotes: @Sendable (Symbol) -> Quote?
    let clock: any WallClock
    let logger: Logger
    /// The market calendar: sessions decide when orders fill and expire (docs/orders.md).
    let calendar: any MarketCalendarSource

    struct State {
        /// What the store holds; nil until loaded.
        var ledger: PaperLedger?
        /// Symbols whose ticks can fill a working order.
        var matchSymbols: Set<Symbol> = []
        var symbolsOfInterest: Set<Symbol> = []
        var observers: [@Sendable (Set<Symbol>) -> Void] = []
    }

    let state = Mutex(State())
    let gate = AsyncSerial()
    let updateStream: AsyncStream<BrokerUpdate>
    let updateContinuation: AsyncStream<BrokerUpdate>.Continuation
    let wake: AsyncStream<Void>
    let wakeContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - settings: fill and fee rules; `startingCash` is used only when the store holds no ledger.
    ///     They replace the settings stored with an existing ledger.
    ///   - quotes: the current quote of a symbol (the quote cache's `quote(for:)`).
    ///   - calendar: the market calendar the session rules follow.
    public init(
        settings: PaperSettings, store: any PaperLedgerStore, quotes: @escaping @Sendable (Symbol) -> Quote?,
        clock: any WallClock, logger: Logger, calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.calendar = calendar
        self.settings = settings
        self.store = store
        self.quotes = quotes
        self.clock = clock
        self.logger = logger
        (updateStream, updateContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: loading

    /// Reads the stored ledger, or starts a new one with `settings.startingCash` when there is none.
    /// Called by `run` and on first use; call it at start-up to fail early on an unreadable store.
    /// Throws the store's or the decoder's error (a document that cannot be read is never replaced).
    public func load() async throws {
        try await gate.run { () async throws -> Void in
            guard state.withLock({ $0.ledger == nil }) else { return }
            var ledger = try await store.loadPaperLedger().map { try PaperLedger(document: $0) }
                ?? PaperLedger(settings: settings)
            ledger.settings = settings
            commit(ledger)
            logger.info("paper ledger loaded", metadata: [
                "cash": "\(ledger.cash)", "positions": "\(ledger.paperPositions.count)",
                "working_orders": "\(ledger.workingOrders.count)",
            ])
        }
    }

    /// Closes the account and opens a new one with `settings.startingCash` (stored at once).
    /// Orders still working are published as canceled; positions, fills and history are gone.
    public func reset() async throws(BrokerError) {
        let old = try await current()
        try await gate.run { () async throws(BrokerError) -> Void in
            let ledger = PaperLedger(settings: settings)
            try await save(ledger)
            commit(ledger)
            let now = clock.now()
            publish(old.workingOrders.map { working in
                var order = working.order
                order.status = .canceled
                order.reason = "the paper account was reset"
                order.updatedAt = now
                return .order(order)
            })
        }
    }

    /// The ledger as stored (nil before loading), for diagnostics and tests.
    public var ledger: PaperLedger? { state.withLock { $0.ledger } }

    // MARK: BrokerPort

    public func account() async throws(BrokerError) -> BrokerAccount {
        try await current().account(now: clock.now(), quote: quotes)
    }

    public func positions() async throws(BrokerError) -> [BrokerPosition] {
        try await current().positions()
    }

    public func orders() async throws(BrokerError) -> [BrokerOrder] {
        try await current().orders(now: clock.now())
    }

    public func order(clientOrderID: String) async throws(BrokerError) -> BrokerOrder? {
        try await current().order(clientOrderID: clientOrderID)
    }

    public func preview(_ request: OrderRequest) async throws(BrokerError) -> OrderPreview {
        switch try await current().preview(request, now: clock.now(), quote: quotes) {
        case .success(let preview): return preview
        case .failure(let rejection): throw .rejected(code: rejection.code, reason: rejection.reason)
        }
    }

    /// Stores the order (open, possibly already filled) and returns its id (`P-n`). A refused order
    /// is stored as `rejected`, published, and thrown as `.rejected`.
    public func place(_ request: OrderRequest, clientOrderID: String) async throws(BrokerError) -> String {
        let submission = try await change { ledger, now in
            let submission = ledger.submit(request, clientOrderID: clientOrderID, now: now, quote: quotes)
            return (submission, submission.updates)
        }
        if let rejection = submission.rejection {
            logger.notice("paper order rejected", metadata: [
                "client_order_id": .string(clientOrderID), "code": .string(rejection.code), "reason": .string(rejection.reason),
            ])
            throw .rejected(code: rejection.code, reason: rejection.reason)
        }
        guard let id = submission.order.brokerOrderID else { throw .malformed("paper order without an id") }
        return id
    }

    public func cancel(brokerOrderID: String) async throws(BrokerError) {
        try await change { ledger, now throws(BrokerError) in
            do throws(PaperLedgerError) {
                return ((), try ledger.cancel(brokerOrderID: brokerOrderID, now: now))
            } catch {
                throw Self.brokerError(error)
            }
        }
    }

    public func modify(brokerOrderID: String, _ change: OrderChange) async throws(BrokerError) {
        try await self.change { ledger, now throws(BrokerError) in
            do throws(PaperLedgerError) {
                let updates = try ledger.modify(
                    brokerOrderID: brokerOrderID, type: change.type, duration: change.duration,
                    limitPrice: change.limitPrice, stopPrice: change.stopPrice, now: now, quote: quotes)
                return ((), updates)
            } catch {
                throw Self.brokerError(error)
            }
        }
    }

    /// The one stream of order and fill updates (unbounded buffer, single consumer).
    public func updates() -> AsyncStream<BrokerUpdate> { updateStream }

    // MARK: market data

    /// Market symbols the broker needs data for: those of working orders and positions, options
    /// replaced by their underlyings. Empty until loaded.
    public var symbolsOfInterest: Set<Symbol> { state.withLock { $0.symbolsOfInterest } }

    public var subscriberName: String { "paper" }

    /// Calls `handler` with `symbolsOfInterest` now (when loaded) and after every change of it.
    public func observeSymbols(_ handler: @escaping @Sendable (Set<Symbol>) -> Void) {
        let current = state.withLock { state -> Set<Symbol>? in
            state.observers.append(handler)
            return state.ledger == nil ? nil : state.symbolsOfInterest
        }
        if let current { handler(current) }
    }

    /// Reports that quotes of `symbols` changed. Cheap and non-blocking: when a working order
    /// depends on one of them, the `run` loop matches (coalescing bursts of ticks).
    public func marketMoved(_ symbols: Set<Symbol>) {
        let relevant = state.withLock { !$0.matchSymbols.isDisjoint(with: symbols) }
        if relevant { wakeContinuation.yield() }
    }

    /// As a tick sink of the market data service (added after the quote cache, so the cache
    /// already holds these ticks): reports the symbols that moved.
    public func receive(_ events: [MarketEvent]) {
        let matchSymbols = state.withLock { $0.matchSymbols }
        guard !matchSymbols.isEmpty else { return }
        // A print that does not set the last price (an odd lot, docs/alerts.md "Clean prints")
        // changes nothing the matching reads: no wake-up for it.
        let moved = events.contains { event in
            if case .trade(let trade) = event, !trade.updatesLast { return false }
            return matchSymbols.contains(event.symbol)
        }
        if moved { wakeContinuation.yield() }
    }

    /// Expires due day orders and matches every working order against the current quotes now;
    /// what `run` does every second and after ticks. Errors are logged.
    public func sweep() async {
        guard state.withLock({ $0.ledger?.hasWorkingOrders ?? true }) else { return }
        do {
            try await change { ledger, now in
                let updates = ledger.expireDayOrders(now: now) + ledger.match(now: now, quote: quotes)
                return ((), updates)
            }
        } catch {
            logger.error("paper matching failed", metadata: ["error": .string("\(error)")])
        }
    }

    // MARK: Service

    /// Loads the ledger (throwing if it cannot be read), then matches after ticks and every second
    /// until graceful shutdown; then finishes the updates stream.
    public func run() async throws {
        defer { updateContinuation.finish() }
        try await load()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in self.wake { await self.sweep() }
                }
                group.addTask {
                    await repeatEvery(.seconds(1), clock: self.clock) { await self.sweep() }
                }
                await group.waitForAll()
            }
        }
    }
}
