import Foundation
import Synchronization
import TradingDomain
import TradingEngine

/// In-memory implementations of the repository ports, for engine tests without a database. They
/// keep the ports' contracts (one insert per token, fills stored once, versions compared).

public final class InMemoryPlanRepository: PlanRepository, Sendable {
    let plans = Mutex<[UUID: SavedPlan]>([:])
    public init(_ initial: [SavedPlan] = []) { plans.withLock { for plan in initial { $0[plan.id] = plan } } }
    public func insert(_ plan: SavedPlan) async throws { plans.withLock { $0[plan.id] = plan } }
    public func find(id: UUID) async throws -> SavedPlan? { plans.withLock { $0[id] } }
    public func update(_ plan: SavedPlan) async throws -> Bool {
        plans.withLock { plans in
            guard plans[plan.id] != nil else { return false }
            plans[plan.id] = plan
            return true
        }
    }
    public func delete(id: UUID) async throws -> Bool { plans.withLock { $0.removeValue(forKey: id) != nil } }
    public func list(symbol: Symbol?, limit: Int, after: PageCursor?) async throws -> (plans: [SavedPlan], next: PageCursor?) {
        let all = plans.withLock { Array($0.values) }.filter { symbol == nil || $0.plan.symbol == symbol }
            .sorted { $0.createdAt > $1.createdAt }
        return (Array(all.prefix(limit)), nil)
    }
}

public final class InMemorySettingsRepository: SettingsRepository, Sendable {
    let state: Mutex<(settings: AppSettings, version: Int)>
    public init(_ settings: AppSettings = AppSettings()) { state = Mutex((settings, 1)) }
    public func load() async throws -> (settings: AppSettings, version: Int) { state.withLock { $0 } }
    public func save(_ settings: AppSettings, expectedVersion: Int) async throws -> Bool {
        state.withLock { state in
            guard state.version == expectedVersion else { return false }
            state = (settings, state.version + 1)
            return true
        }
    }
}

public final class InMemoryRiskRepository: RiskRepository, Sendable {
    struct State {
        var riskState: RiskState?
        var firings: [RiskFiring] = []
        var outbox: [OutboxMessage] = []
    }
    let state = Mutex(State())
    public init() {}
    public func loadState() async throws -> RiskState? { state.withLock { $0.riskState } }
    public func save(_ riskState: RiskState, firings: [RiskFiring], outbox: [OutboxMessage]) async throws -> [RiskFiring] {
        state.withLock { state in
            state.riskState = riskState
            let known = Set(state.firings.map(\.episodeID))
            let new = firings.filter { !known.contains($0.episodeID) }
            state.firings += new
            let newIDs = Set(new.map { "risk:\($0.episodeID)" })
            state.outbox += outbox.filter { newIDs.contains($0.dedupeKey) }
            return new
        }
    }
    public func firings(limit: Int) async throws -> [RiskFiring] { state.withLock { Array($0.firings.reversed().prefix(limit)) } }
    /// Notifications queued with firings (for assertions).
    public var queued: [OutboxMessage] { state.withLock { $0.outbox } }
}

public final class InMemoryOrderRepository: OrderRepository, Sendable {
    struct State {
        var records: [String: OrderRecord] = [:]
        var order: [String] = []
        var fills: [Fill] = []
        var journal: [UUID: JournalEntry] = [:]
        var open: [Symbol: OpenExecution] = [:]
        var legs: [(fillID: String, leg: ExecutionLeg)] = []
        var updates = 0
    }
    let state = Mutex(State())
    public init() {}

    public func insert(_ records: [OrderRecord]) async throws {
        try state.withLock { state in
            for record in records {
                if let token = record.confirmationToken, state.records.values.contains(where: { $0.confirmationToken == token }) {
                    throw InMemoryError.duplicate("confirmation token used already")
                }
                guard state.records[record.id] == nil else { throw InMemoryError.duplicate("order \(record.id) exists") }
            }
            for record in records {
                state.records[record.id] = record
                state.order.append(record.id)
            }
        }
    }
    public func find(clientOrderID: String) async throws -> OrderRecord? { state.withLock { $0.records[clientOrderID] } }
    public func find(confirmationToken: String) async throws -> OrderRecord? {
        state.withLock { $0.records.values.first { $0.confirmationToken == confirmationToken } }
    }
    public func list(_ query: OrderQuery) async throws -> [OrderRecord] {
        state.withLock { state in
            state.order.reversed().compactMap { state.records[$0] }
                .filter { query.status == nil || query.status!.contains($0.order.status) }
                .filter { query.symbol == nil || $0.order.request.symbol == query.symbol }
                .prefix(query.limit).map { $0 }
        }
    }
    public func unfinished() async throws -> [OrderRecord] {
        state.withLock { state in state.order.compactMap { state.records[$0] }.filter { !$0.order.status.isFinal } }
    }
    public func children(of parentID: String) async throws -> [OrderRecord] {
        state.withLock { state in state.order.compactMap { state.records[$0] }.filter { $0.parentID == parentID } }
    }
    public func update(_ order: BrokerOrder) async throws {
        state.withLock { state in
            guard state.records[order.clientOrderID] != nil else { return }
            state.records[order.clientOrderID]?.order = order
            state.updates += 1
        }
    }
    public func record(fill: Fill, journal: ExecutionJournal.Result) async throws -> Bool {
        state.withLock { state in
            guard !state.fills.contains(where: { $0.id == fill.id }) else { return false }
            state.fills.append(fill)
            for entry in journal.entries { state.journal[entry.id] = entry }
            state.legs += journal.legs.map { (fill.id, $0) }
            state.open[fill.symbol] = journal.open
            return true
        }
    }
    public func openExecution(symbol: Symbol) async throws -> OpenExecution? { state.withLock { $0.open[symbol] } }
    public func fills(clientOrderID: String) async throws -> [Fill] { state.withLock { $0.fills.filter { $0.clientOrderID == clientOrderID } } }
    public func tradeFills(entryID: UUID) async throws -> [TradeFill] {
        state.withLock { state in
            state.legs.filter { $0.leg.entryID == entryID }.compactMap { item -> TradeFill? in
                guard let fill = state.fills.first(where: { $0.id == item.fillID }) else { return nil }
                return TradeFill(
                    fillID: fill.id, clientOrderID: fill.clientOrderID, effect: item.leg.effect,
                    quantity: item.leg.quantity, price: item.leg.price, time: fill.time)
            }.sorted { ($0.time, $0.fillID) < ($1.time, $1.fillID) }
        }
    }
    public func fills(since time: Date) async throws -> [Fill] {
        state.withLock { $0.fills.filter { $0.time >= time }.sorted { $0.time < $1.time } }
    }
    public func statusCounts() async throws -> [OrderStatus: Int] {
        state.withLock { state in state.records.values.reduce(into: [:]) { $0[$1.order.status, default: 0] += 1 } }
    }

    /// Journal entries the fills produced (for assertions).
    public var journalEntries: [JournalEntry] { state.withLock { Array($0.journal.values).sorted { $0.openedAt < $1.openedAt } } }
    public var allFills: [Fill] { state.withLock { $0.fills } }
    public var all: [OrderRecord] { state.withLock { state in state.order.compactMap { state.records[$0] } } }
}

public enum InMemoryError: Error, Sendable, Hashable {
    case duplicate(String)
}

public final class InMemoryAlertRepository: AlertRepository, Sendable {
    struct State {
        var rules: [UUID: AlertRule] = [:]
        var triggers: [AlertTrigger] = []
        var outbox: [OutboxMessage] = []
        var failNext = 0
    }
    let state = Mutex(State())
    public init() {}

    /// The next `count` calls to `record` fail (storage trouble).
    public func failNextRecords(_ count: Int) { state.withLock { $0.failNext = count } }
    public var stored: [AlertTrigger] { state.withLock { $0.triggers } }
    public var queued: [OutboxMessage] { state.withLock { $0.outbox } }

    public func insert(_ rule: AlertRule) async throws { state.withLock { $0.rules[rule.id] = rule } }
    public func find(id: UUID) async throws -> AlertRule? { state.withLock { $0.rules[id] } }
    public func update(_ rule: AlertRule) async throws -> Bool {
        state.withLock { state in
            guard state.rules[rule.id] != nil else { return false }
            state.rules[rule.id] = rule
            return true
        }
    }
    public func delete(id: UUID) async throws -> Bool { state.withLock { $0.rules.removeValue(forKey: id) != nil } }
    public func list(_ query: AlertQuery) async throws -> (rules: [AlertRule], next: PageCursor?) {
        (state.withLock { Array($0.rules.values) }.sorted { $0.createdAt > $1.createdAt }, nil)
    }
    public func count() async throws -> Int { state.withLock { $0.rules.count } }
    public func loadActive() async throws -> [AlertRule] { state.withLock { $0.rules.values.filter { $0.status == .active } } }
    public func record(_ evaluation: AlertEvaluation, outbox: @escaping @Sendable (AlertFiring) -> OutboxMessage?) async throws -> [AlertFiring] {
        try state.withLock { state in
            if state.failNext > 0 {
                state.failNext -= 1
                throw InMemoryError.duplicate("storage unavailable")
            }
            for rule in evaluation.expired where state.rules[rule.id] != nil { state.rules[rule.id] = rule }
            var stored: [AlertFiring] = []
            for firing in evaluation.firings {
                guard !state.triggers.contains(where: { $0.firing.alertID == firing.alertID && $0.firing.sequence == firing.sequence }),
                      state.rules[firing.alertID] != nil else { continue }
                state.rules[firing.alertID] = firing.rule
                state.triggers.append(AlertTrigger(id: UUID(), firing: firing))
                if let message = outbox(firing) { state.outbox.append(message) }
                stored.append(firing)
            }
            for rule in evaluation.changed where state.rules[rule.id] != nil { state.rules[rule.id] = rule }
            return stored
        }
    }
    public func triggers(_ query: AlertTriggerQuery) async throws -> (triggers: [AlertTrigger], next: PageCursor?) {
        (state.withLock { Array($0.triggers.reversed()) }, nil)
    }
}
