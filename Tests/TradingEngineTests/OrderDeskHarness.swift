import Foundation
import Logging
import Synchronization
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// An order desk over in-memory repositories, a scripted broker and a manual clock. Broker updates
/// are handed to the desk by the test (`deliver`), so every step is deterministic.
struct DeskHarness {
    let clock: ManualClock
    let broker: ScriptedBroker
    let orders = InMemoryOrderRepository()
    let plans = InMemoryPlanRepository()
    let settingsRepository: InMemorySettingsRepository
    let settings: SettingsService
    let bus = EventBus()
    let quotes: QuoteCache
    let desk: OrderDesk
    let events = EventLog()
    let alarm = RecordingAlarm()

    init(risk: RiskSettings = RiskSettings(), simulatedPrices: Bool = false, gate: (any OrderGate)? = nil, clock: ManualClock = ManualClock()) {
        self.clock = clock
        broker = ScriptedBroker(clock: clock)
        settingsRepository = InMemorySettingsRepository(AppSettings(risk: risk))
        settings = SettingsService(repository: settingsRepository)
        quotes = QuoteCache(clock: clock, bus: bus, staleAfter: 30, provider: "scripted")
        desk = OrderDesk(
            broker: broker, orders: orders, plans: plans, quotes: quotes, settings: settings, bus: bus, clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), resendWindow: 300,
            gates: gate.map { [$0] } ?? [], simulatedPrices: simulatedPrices, alarm: alarm, unknownProofWindow: 60)
        let events = events
        _ = bus.subscribe { events.append($0) }
    }

    /// A live quote (trade at `price`, bid/ask a cent around it) and the broker's price.
    func price(_ symbol: String, _ price: Decimal) {
        let cent = Decimal(string: "0.01")!
        quotes.receive([
            .quote(BidAsk(symbol: Symbol(trusted: symbol), bid: price - cent, bidSize: 100, ask: price + cent, askSize: 100, time: clock.now())),
            .trade(Trade(symbol: Symbol(trusted: symbol), price: price, size: 100, time: clock.now())),
        ])
        broker.setPrice(symbol, price)
    }

    /// First reconciliation (new orders are refused until it has run) with AAPL at 100.
    func ready() async {
        price("AAPL", 100)
        await desk.reconcile()
    }

    static func ticket(_ symbol: String = "AAPL", _ action: OrderAction = .buy, quantity: Decimal = 10, type: OrderType = .limit,
                       limit: Decimal? = 100, stop: Decimal? = nil, plan: UUID? = nil, bracket: Bool = false) -> OrderTicket {
        OrderTicket(request: OrderRequest(
            symbol: Symbol(trusted: symbol), action: action, quantity: quantity, type: type, duration: .day,
            limitPrice: type.needsLimitPrice ? limit : nil, stopPrice: type.needsStopPrice ? stop : nil, planID: plan), bracket: bracket)
    }

    /// Preview then confirm.
    @discardableResult
    func place(_ ticket: OrderTicket = DeskHarness.ticket()) async throws -> OrderRecord {
        let preview = try await desk.preview(ticket)
        return try await desk.place(confirmationToken: preview.confirmationToken).record
    }

    /// Hands broker updates to the desk, in order.
    func deliver(_ updates: [BrokerUpdate]) async {
        for update in updates { await desk.handle(update) }
    }

    func savePlan(_ symbol: String = "AAPL", side: Side = .long, entry: Decimal = 100, stop: Decimal = 95, targets: [Decimal] = [110]) async throws -> SavedPlan {
        let plan = SavedPlan(id: UUID(), plan: TradePlan(symbol: Symbol(trusted: symbol), side: side, entry: entry, stop: stop, targets: targets),
                             createdAt: clock.now(), updatedAt: clock.now())
        try await plans.insert(plan)
        return plan
    }

    func record(_ id: String) async throws -> OrderRecord? { try await orders.find(clientOrderID: id) }
}

/// Every event published on the bus.
final class EventLog: Sendable {
    let events = Mutex<[ServerEvent]>([])
    func append(_ event: ServerEvent) { events.withLock { $0.append(event) } }
    var statusKinds: [String] {
        events.withLock { $0.compactMap { if case .status(let notice) = $0 { notice.kind } else { nil } } }
    }
    var orders: [OrderRecord] {
        events.withLock { $0.compactMap { if case .order(let record) = $0 { record } else { nil } } }
    }
}

/// The protection alarm's calls.
final class RecordingAlarm: ProtectionAlarm, Sendable {
    let calls = Mutex<[[UnprotectedPosition]]>([])
    func protectionChanged(_ unprotected: [UnprotectedPosition]) async { calls.withLock { $0.append(unprotected) } }
    var last: [UnprotectedPosition]? { calls.withLock { $0.last } }
    var count: Int { calls.withLock { $0.count } }
}

/// A gate that refuses every opening order while `refusing`.
final class SwitchGate: OrderGate, Sendable {
    let refusing = Mutex(false)
    func refusal(for request: OrderRequest, positions: [BrokerPosition]) async -> (code: String, reason: String)? {
        refusing.withLock { $0 } ? ("risk_halted", "halted by the test") : nil
    }
}
