import Foundation
import Logging
import ServiceLifecycle
import TradingDomain

/// Why the order desk refused something, sorted by how the API answers it.
public enum OrderDeskError: Error, Sendable {
    /// A pre-trade check failed (422 `pre_trade_check_failed`).
    case checksFailed([PreTradeCheck])
    /// The token is unknown, expired or for another order (409 `confirmation_invalid`).
    case confirmationInvalid(String)
    /// New orders are not accepted now: reconciliation mismatch or the risk engine (409 with `code`).
    case blocked(code: String, reason: String)
    /// The broker refused or failed (422 / 503).
    case broker(BrokerError, order: OrderRecord?)
    case notFound(String)
    /// The order is final and cannot be cancelled (409).
    case notCancellable(OrderRecord)
    /// A bracket needs a saved plan for the same symbol and side (422 on `plan_id`).
    case plan(String)
}

/// A preview's answer: the order, its estimate and checks, and the token that confirms it.
public struct OrderPreviewResult: Sendable {
    public var ticket: OrderTicket
    public var preview: OrderPreview
    public var checks: [PreTradeCheck]
    /// The bracket's exit orders (stop and target), placed after the entry fills.
    public var exits: [OrderRequest]
    /// Money lost if the stop is hit (bracket or a plan with a stop), for the confirmation dialog.
    public var riskAmount: Decimal?
    public var confirmationToken: String
    public var expiresAt: Date
}

/// Asks other engines (the risk engine) whether a new order may go out.
public protocol OrderGate: Sendable {
    /// Nil when allowed; otherwise a stable code and the reason.
    func refusal(for request: OrderRequest, positions: [BrokerPosition]) async -> (code: String, reason: String)?
    /// Extra pre-trade checks for a preview (e.g. what the order would do to open risk).
    func checks(for request: OrderRequest, positions: [BrokerPosition], cost: Decimal, riskAmount: Decimal?) async -> [PreTradeCheck]
}

extension OrderGate {
    public func checks(for request: OrderRequest, positions: [BrokerPosition], cost: Decimal, riskAmount: Decimal?) async -> [PreTradeCheck] { [] }
}

/// Test seams for crash tests: the process dies at one of these points.
public enum OrderCrashPoint: String, Sendable, CaseIterable {
    case afterIntent = "after_intent"
    case afterBrokerAccept = "after_broker_accept"
}

/// Preview → confirm → place, cancel, broker updates, bracket exits, journaling of executions,
/// and reconciliation. Every change to a stored order goes through one serial queue, so a broker
/// update racing the answer to `place` never loses either.
public final class OrderDesk: Service, Sendable {
    public let broker: any BrokerPort
    let orders: any OrderRepository
    let plans: any PlanRepository
    let quotes: QuoteCache
    let settings: SettingsService
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    public let tokens: ConfirmationTokens
    let serial = AsyncSerial()
    let gates = LockedValue<[any OrderGate]>([])
    let crash: (@Sendable (OrderCrashPoint) -> Void)?
    /// Why new orders are refused until reconciliation succeeds (nil: accepted).
    let reconciliation = LockedValue(ReconciliationState())
    /// How long an intent that never reached the broker may still be sent after a restart.
    public let resendWindow: TimeInterval
    /// Whether live prices are flowing (the first reconciliation waits for them).
    let marketReady: (@Sendable () -> Bool)?

    public init(
        broker: any BrokerPort, orders: any OrderRepository, plans: any PlanRepository, quotes: QuoteCache,
        settings: SettingsService, bus: EventBus, clock: any WallClock, logger: Logger,
        resendWindow: TimeInterval = 300, marketReady: (@Sendable () -> Bool)? = nil,
        crash: (@Sendable (OrderCrashPoint) -> Void)? = nil
    ) {
        self.marketReady = marketReady
        self.broker = broker
        self.orders = orders
        self.plans = plans
        self.quotes = quotes
        self.settings = settings
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.resendWindow = resendWindow
        self.crash = crash
        tokens = ConfirmationTokens(clock: clock)
    }

    public func addGate(_ gate: any OrderGate) { gates.withLock { $0.append(gate) } }

    // MARK: preview

    public func preview(_ ticket: OrderTicket) async throws -> OrderPreviewResult {
        var ticket = ticket
        var exits: [OrderRequest] = []
        var riskAmount: Decimal?
        if let planID = ticket.request.planID {
            guard let saved = try await plans.find(id: planID) else { throw OrderDeskError.plan("no saved plan with id \(planID)") }
            let side: Side = ticket.request.action.isBuy ? .long : .short
            if ticket.bracket {
                guard saved.plan.symbol == ticket.request.symbol, saved.plan.side == side else {
                    throw OrderDeskError.plan("the plan is for \(saved.plan.side.rawValue) \(saved.plan.symbol); the order is \(side.rawValue) \(ticket.request.symbol)")
                }
                exits = Self.bracketExits(for: ticket.request, plan: saved.plan)
            }
            if saved.plan.symbol == ticket.request.symbol {
                riskAmount = abs(saved.plan.entry - saved.plan.stop) * ticket.request.units
            }
        }
        try await refuseIfBlocked(ticket.request)
        let preview: OrderPreview
        do {
            preview = try await broker.preview(ticket.request)
        } catch {
            throw OrderDeskError.broker(error, order: nil)
        }
        let account: BrokerAccount
        let positions: [BrokerPosition]
        do {
            account = try await broker.account()
            positions = try await broker.positions()
        } catch {
            throw OrderDeskError.broker(error, order: nil)
        }
        let quote = quotes.quote(for: ticket.request.underlying)
        let price = ticket.request.symbol.isOption ? preview.estimatedPrice : (quote?.price ?? preview.estimatedPrice)
        let stale = quote.map { $0.isStale(now: clock.now(), after: quotes.staleAfter) } ?? true
        let risk = try await settings.current().risk
        var checks = PreTradeChecks.evaluate(
            ticket.request, price: price, quoteStale: stale, account: account, positions: positions, risk: risk, preview: preview)
        for gate in gates.withLock({ $0 }) {
            checks += await gate.checks(for: ticket.request, positions: positions, cost: preview.estimatedCost, riskAmount: riskAmount)
        }
        if checks.contains(where: { $0.outcome == .fail }) { throw OrderDeskError.checksFailed(checks) }
        ticket.request.bracketRole = ticket.bracket ? .entry : nil
        let (token, expiresAt) = tokens.issue(for: ticket)
        return OrderPreviewResult(
            ticket: ticket, preview: preview, checks: checks, exits: exits, riskAmount: riskAmount,
            confirmationToken: token, expiresAt: expiresAt)
    }

    /// The stop and target orders of a bracket: the whole quantity, good till cancelled.
    static func bracketExits(for entry: OrderRequest, plan: TradePlan) -> [OrderRequest] {
        let side: Side = entry.action.isBuy ? .long : .short
        let close = OrderAction.closing(side, entry.assetClass)
        var exits = [OrderRequest(
            symbol: entry.symbol, action: close, quantity: entry.quantity, type: .stop, duration: .gtc,
            stopPrice: plan.stop, planID: entry.planID, bracketRole: .stop)]
        if let target = plan.targets.first {
            exits.append(OrderRequest(
                symbol: entry.symbol, action: close, quantity: entry.quantity, type: .limit, duration: .gtc,
                limitPrice: target, planID: entry.planID, bracketRole: .target))
        }
        return exits
    }

    func refuseIfBlocked(_ request: OrderRequest) async throws {
        if let reason = reconciliation.withLock({ $0.blockReason }) {
            throw OrderDeskError.blocked(code: "reconciliation_pending", reason: reason)
        }
        let gates = gates.withLock { $0 }
        guard !gates.isEmpty else { return }
        let positions = (try? await broker.positions()) ?? []
        for gate in gates {
            if let refusal = await gate.refusal(for: request, positions: positions) {
                throw OrderDeskError.blocked(code: refusal.code, reason: refusal.reason)
            }
        }
    }

    // MARK: place

    /// Places the order a preview issued `token` for. The intent (with our client order id) is
    /// stored before the broker is called; repeating a token returns the same order
    /// (`created` false).
    public func place(confirmationToken token: String) async throws -> (record: OrderRecord, created: Bool) {
        if let existing = try await orders.find(confirmationToken: token) { return (existing, false) }
        let ticket: OrderTicket
        let clientOrderID: String
        switch tokens.consume(token) {
        case .unknown:
            throw OrderDeskError.confirmationInvalid("unknown confirmation token; preview the order again")
        case .expired:
            throw OrderDeskError.confirmationInvalid("the confirmation token expired (valid \(Int(tokens.lifetime)) s); preview the order again")
        case .used(let id):
            // A concurrent repeat: the first request stores the intent first, so wait for it.
            for _ in 0..<50 {
                if let record = try await orders.find(clientOrderID: id) { return (record, false) }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw OrderDeskError.confirmationInvalid("this confirmation token was used already")
        case .fresh(let fresh, let id):
            (ticket, clientOrderID) = (fresh, id)
        }
        try await refuseIfBlocked(ticket.request)

        let now = clock.now()
        let entry = OrderRecord(
            order: BrokerOrder(clientOrderID: clientOrderID, request: ticket.request, status: .pending, createdAt: now, updatedAt: now),
            confirmationToken: token, broker: broker.name)
        var records = [entry]
        if ticket.bracket, let planID = ticket.request.planID, let saved = try await plans.find(id: planID) {
            for exit in Self.bracketExits(for: ticket.request, plan: saved.plan) {
                let child = BrokerOrder(
                    clientOrderID: UUID().uuidString.lowercased(), request: exit, status: .pending, createdAt: now, updatedAt: now)
                records.append(OrderRecord(order: child, parentID: clientOrderID, broker: broker.name))
            }
        }
        try await orders.insert(records)
        crash?(.afterIntent)
        logger.info("order intent stored", metadata: [
            "client_order_id": .string(clientOrderID), "symbol": .string(ticket.request.symbol.rawValue),
            "action": .string(ticket.request.action.rawValue), "quantity": .string("\(ticket.request.quantity)"),
        ])
        let placed = try await send(entry.order)
        return (placed, true)
    }

    /// Sends a stored intent to the broker and records the answer.
    @discardableResult
    func send(_ order: BrokerOrder) async throws -> OrderRecord {
        do {
            let brokerID = try await broker.place(order.request, clientOrderID: order.clientOrderID)
            crash?(.afterBrokerAccept)
            return try await apply(clientOrderID: order.clientOrderID) { stored in
                stored.brokerOrderID = stored.brokerOrderID ?? brokerID
                if stored.status == .pending { stored.status = .submitted }
            }
        } catch let error as BrokerError {
            switch error {
            case .rejected(_, let reason):
                let record = try await apply(clientOrderID: order.clientOrderID) { stored in
                    stored.status = .rejected
                    stored.reason = reason
                }
                throw OrderDeskError.broker(error, order: record)
            default:
                // The request may or may not have reached the broker: the intent stays pending and
                // reconciliation looks it up by our client order id (never a blind resend).
                reconciliation.withLock { $0.needsRun = true }
                throw OrderDeskError.broker(error, order: try await orders.find(clientOrderID: order.clientOrderID))
            }
        }
    }

    // MARK: cancel

    public func cancel(clientOrderID: String) async throws -> OrderRecord {
        guard let record = try await orders.find(clientOrderID: clientOrderID) else {
            throw OrderDeskError.notFound("no order with id \(clientOrderID)")
        }
        guard !record.order.status.isFinal else { throw OrderDeskError.notCancellable(record) }
        guard let brokerID = record.order.brokerOrderID else {
            // Never sent (a bracket exit waiting for its entry, or an intent): cancel it here.
            return try await apply(clientOrderID: clientOrderID) { stored in
                stored.status = .canceled
                stored.reason = "canceled before it was sent to the broker"
            }
        }
        do {
            try await broker.cancel(brokerOrderID: brokerID)
        } catch {
            throw OrderDeskError.broker(error, order: record)
        }
        logger.info("order cancel requested", metadata: ["client_order_id": .string(clientOrderID)])
        // The broker confirms through its updates; show the request at once.
        return try await orders.find(clientOrderID: clientOrderID) ?? record
    }

    // MARK: reading

    public func order(id: String) async throws -> OrderRecord? { try await orders.find(clientOrderID: id) }
    public func list(_ query: OrderQuery) async throws -> [OrderRecord] { try await orders.list(query) }
    public func fills(of id: String) async throws -> [Fill] { try await orders.fills(clientOrderID: id) }
    public func statusCounts() async throws -> [OrderStatus: Int] { try await orders.statusCounts() }

    /// Reconciliation state, for `/ready`, `/api/v1/diag/broker` and refusals.
    public var reconciliationState: ReconciliationState { reconciliation.withLock { $0 } }
}
