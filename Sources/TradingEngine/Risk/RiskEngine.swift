import Foundation
import Logging
import ServiceLifecycle
import TradingDomain
import Synchronization

/// What `GET /api/v1/risk` and the `risk` WebSocket event show.
public struct RiskReport: Sendable, Hashable {
    public var state: RiskState
    public var snapshot: RiskSnapshot?
    public var breaches: [RiskBreach]
    public var limits: RiskSettings
    /// Why the last evaluation could not run (broker unreachable), if it could not.
    public var error: String?
    /// Filled positions whose bracket exits are not at the broker yet (from the order desk).
    public var unprotected: [UnprotectedPosition] = []
}

/// Watches portfolio risk: every `interval` (and after every fill) it builds a snapshot from the
/// broker's account, positions and working orders, live quotes and the stops of linked plans,
/// checks the limits, moves the state machine, stores each new breach episode once as a `risk`
/// firing (with its Discord message when `risk` is forwarded), and broadcasts a `risk` event.
/// It is also the order desk's gate: halted refuses new orders, reducing only risk-reducing ones.
public final class RiskEngine: Service, OrderGate, Sendable {
    let broker: any BrokerPort
    let orders: any OrderRepository
    public let repository: any RiskRepository
    let quotes: QuoteCache
    let settings: SettingsService
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    let interval: Duration
    /// The market calendar: the trading day and the daily-loss window follow it.
    let calendar: any MarketCalendarSource
    /// Reads today's fills and previous closes for day P&L.
    public let day: DayActivityReader
    private let current = Mutex<RiskReport?>(nil)
    private let serial = AsyncSerial()
    private let wake: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(
        broker: any BrokerPort, orders: any OrderRepository, repository: any RiskRepository, quotes: QuoteCache,
        settings: SettingsService, bus: EventBus, clock: any WallClock, logger: Logger, interval: Duration = .seconds(5),
        calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.calendar = calendar
        day = DayActivityReader(orders: orders, quotes: quotes, calendar: calendar)
        self.broker = broker
        self.orders = orders
        self.repository = repository
        self.quotes = quotes
        self.settings = settings
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.interval = interval
        (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Loads the persisted state (a halt survives restarts).
    public func load() async throws {
        let state = try await repository.loadState() ?? RiskState(now: clock.now(), calendar: calendar.calendar())
        let limits = try await settings.current().risk
        current.withLock { $0 = RiskReport(state: state, snapshot: nil, breaches: [], limits: limits) }
    }

    public var report: RiskReport? { current.withLock { $0 } }

    public func run() async throws {
        let subscription = bus.subscribe { [weak self] event in
            if case .fill = event { self?.wakeContinuation.yield() }
        }
        defer { bus.unsubscribe(subscription) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await repeatEvery(self.interval, clock: self.clock) { self.wakeContinuation.yield() }
                }
                group.addTask {
                    for await _ in self.wake {
                        if Task.isCancelled { break }
                        _ = try? await self.evaluate()
                    }
                }
                self.wakeContinuation.yield()
                await group.next()
                group.cancelAll()
            }
        }
        wakeContinuation.finish()
    }

    /// Builds a snapshot, moves the state, stores and announces what changed.
    @discardableResult
    public func evaluate() async throws -> RiskReport {
        try await serial.run {
            var report = try await self.loadedReport()
            let limits = try await self.settings.current().risk
            report.limits = limits
            let snapshot: RiskSnapshot
            do {
                snapshot = try await self.snapshot(dayStartEquity: report.state.dayStartEquity)
            } catch {
                report.error = "could not read the broker: \(error)"
                self.current.withLock { $0 = report }
                self.bus.publish(.risk(report))
                throw error
            }
            let now = self.clock.now()
            // Limits are judged on live prices only: right after a start, a position without a quote
            // yet would look flat and end a breach episode that is still real.
            let unpriced = snapshot.positions.filter { !$0.livePrice && $0.assetClass == .equity }.map(\.symbol.rawValue)
            guard unpriced.isEmpty else {
                report.snapshot = snapshot
                report.error = "waiting for live prices of \(unpriced.joined(separator: ", ")); limits are checked once they arrive"
                self.current.withLock { $0 = report }
                self.bus.publish(.risk(report))
                return report
            }
            var state = report.state
            let transition = state.evaluate(snapshot, settings: limits, now: now, calendar: self.calendar.calendar())
            let firings = transition.newEpisodes.map { episode, breach in
                RiskFiring(episodeID: episode.id, kind: breach.kind, symbol: breach.symbol, value: breach.value,
                           limit: breach.limit, message: breach.message, mode: state.mode, time: now)
            }
            var stored: [RiskFiring] = []
            if state != report.state || !firings.isEmpty {
                let outbox = try await self.notifications(
                    for: firings, now: now,
                    title: { "Risk limit breached: \($0.kind.rawValue.replacingOccurrences(of: "_", with: " "))" },
                    note: { "Trading is now \($0.mode.rawValue)." })
                stored = try await self.repository.save(state, firings: firings, outbox: outbox)
            }
            report.state = state
            report.snapshot = snapshot
            report.breaches = RiskLimits.breaches(snapshot, settings: limits)
            report.error = nil
            self.current.withLock { $0 = report }
            for firing in stored {
                self.logger.warning("risk limit breached", metadata: [
                    "episode": .string(firing.episodeID), "kind": .string(firing.kind.rawValue), "mode": .string(firing.mode.rawValue),
                ])
                self.bus.publish(.riskFiring(firing))
            }
            if transition.modeChanged {
                self.logger.warning("risk mode changed", metadata: ["mode": .string(state.mode.rawValue), "reason": .string(state.reason ?? "")])
            }
            self.bus.publish(.risk(report))
            return report
        }
    }

    func loadedReport() async throws -> RiskReport {
        if let report = current.withLock({ $0 }) { return report }
        try await load()
        return current.withLock { $0 }!
    }

    func snapshot(dayStartEquity: Decimal?) async throws -> RiskSnapshot {
        let account = try await broker.account()
        let (positions, brokerOrders) = try await day.read(broker, now: clock.now())
        let working = brokerOrders.filter { !$0.status.isFinal }
        var stops: [Symbol: Decimal] = [:]
        var prices: [Symbol: Decimal] = [:]
        for position in positions {
            if let stop = try await orders.openExecution(symbol: position.symbol)?.entry.stop { stops[position.symbol] = stop }
            if !position.symbol.isOption, let price = quotes.quote(for: position.symbol)?.price { prices[position.symbol] = price }
        }
        let now = clock.now()
        // Day P&L from previous closes and today's fills, not the broker's realised-against-cost figure.
        let day = try await day.activity(positions: positions, brokerOrders: brokerOrders, now: now)
        return RiskSnapshot(RiskInputs(
            account: account, positions: positions, workingOrders: working, stops: stops, prices: prices,
            dayStartEquity: dayStartEquity, day: day, now: now))
    }

    // MARK: kill switch

    public func halt(reason: String) async throws -> RiskReport {
        try await changeState { state, now in _ = state.halt(reason: reason, now: now) }
    }

    public func resume(reason: String) async throws -> RiskReport {
        let calendar = self.calendar.calendar()
        return try await changeState { state, now in try state.resume(reason: reason, now: now, calendar: calendar) }
    }

    func changeState(_ change: @escaping @Sendable (inout RiskState, Date) throws -> Void) async throws -> RiskReport {
        let report = try await serial.run {
            var report = try await self.loadedReport()
            var state = report.state
            try change(&state, self.clock.now())
            if state != report.state { _ = try await self.repository.save(state, firings: [], outbox: []) }
            report.state = state
            self.current.withLock { $0 = report }
            self.logger.warning("risk mode set by the user", metadata: ["mode": .string(state.mode.rawValue), "reason": .string(state.reason ?? "")])
            return report
        }
        bus.publish(.risk(report))
        return report
    }

    // MARK: the order desk's gate

    /// What the order would do to open risk: a new or larger position adds the risk to its stop
    /// (the plan's), or its whole cost without one. Past the limit it is a warning: the order is
    /// allowed, and trading would then switch to reducing.
    public func checks(for request: OrderRequest, positions: [BrokerPosition], cost: Decimal, riskAmount: Decimal?) async -> [PreTradeCheck] {
        guard let report = current.withLock({ $0 }), let snapshot = report.snapshot, snapshot.equity > 0 else { return [] }
        let held = positions.first { $0.symbol == request.symbol }?.quantity ?? 0
        let after = held + request.quantity * Decimal(request.action.sign)
        guard abs(after) > abs(held) else { return [] }
        let added = riskAmount ?? cost
        let pct = ((snapshot.openRisk + added) / snapshot.equity * 100).rounded(scale: 2)
        let limit = report.limits.maxOpenRiskPct
        let basis = riskAmount == nil ? "no stop: the whole cost counts as risk" : "risk to the plan's stop"
        return [PreTradeCheck("max_open_risk", pct > limit ? .warn : .pass,
            "open risk would be \(pct)% of equity (limit \(limit)%; \(basis))"
                + (pct > limit ? "; trading would switch to reducing (only risk-reducing orders)" : ""))]
    }

    public func refusal(for request: OrderRequest, positions: [BrokerPosition]) async -> (code: String, reason: String)? {
        guard let state = current.withLock({ $0?.state }) else { return nil }
        let verdict = state.allows(request, position: positions.first { $0.symbol == request.symbol })
        return verdict.allowed ? nil : (verdict.code, verdict.reason)
    }
}

extension RiskEngine: ProtectionAlarm {
    /// A position left without its bracket exits is a risk event: one firing per entry (stored
    /// with its Discord message when `risk` is forwarded), and the `risk` report lists it until
    /// the exits are placed.
    public func protectionChanged(_ unprotected: [UnprotectedPosition]) async {
        do {
            try await serial.run {
                var report = try await self.loadedReport()
                report.unprotected = unprotected
                let now = self.clock.now()
                let firings = unprotected.map { position in
                    RiskFiring(
                        episodeID: "unprotected:\(position.entryID)", kind: .unprotectedPosition, symbol: position.symbol,
                        value: position.quantity, limit: 0,
                        message: "\(position.symbol): \(position.quantity) filled without its stop/target at the broker (\(position.reason))",
                        mode: report.state.mode, time: now)
                }
                var stored: [RiskFiring] = []
                if !firings.isEmpty {
                    let outbox = try await self.notifications(
                        for: firings, now: now, title: { _ in "Position unprotected: bracket exit not placed" },
                        note: { _ in "The server keeps retrying; check the Orders tab." })
                    stored = try await self.repository.save(report.state, firings: firings, outbox: outbox)
                }
                self.current.withLock { $0 = report }
                for firing in stored { self.bus.publish(.riskFiring(firing)) }
                self.bus.publish(.risk(report))
            }
        } catch {
            logger.error("unprotected position not recorded", metadata: ["error": .string("\(error)")])
        }
    }
}

extension RiskEngine {
    /// The Discord messages of `firings` when `risk` is forwarded: one per episode, deduplicated by it.
    func notifications(
        for firings: [RiskFiring], now: Date, title: (RiskFiring) -> String, note: (RiskFiring) -> String
    ) async throws -> [OutboxMessage] {
        guard !firings.isEmpty, try await settings.current().discord.forwards("risk") else { return [] }
        return firings.compactMap { firing in
            OutboxMessage.discord(
                .risk(title: title(firing), reason: firing.message, limit: firing.limit, value: firing.value,
                      symbol: firing.symbol?.rawValue, time: firing.time, note: note(firing)),
                dedupeKey: "risk:\(firing.episodeID)", now: now)
        }
    }
}
