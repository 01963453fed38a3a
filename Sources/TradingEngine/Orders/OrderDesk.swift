import Foundation
import Logging
import ServiceLifecycle
import Synchronization
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
    /// "Send anyway" needs an order whose outcome is unknown (409 `order_not_unknown`).
    case notUnknown(OrderRecord)
}

/// A preview's answer: the order, its estimate and checks, and the token that confirms it.
public struct OrderPreviewResult: Sendable {
    public var ticket: OrderTicket
    public var preview: OrderPreview
    public var checks: [PreTradeCheck]
    /// The bracket's exit orders (stop and target), frozen into the ticket; placed after the entry fills.
    public var exits: [OrderRequest] { ticket.exits }
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
    /// The `sending` state is stored; the broker request has not started.
    case afterSending = "after_sending"
    case afterBrokerAccept = "after_broker_accept"
}

/// Told when a filled position has bracket exits that are not at the broker yet (the risk engine
/// raises a firing, forwarded to Discord when enabled).
public protocol ProtectionAlarm: Sendable {
    func protectionChanged(_ unprotected: [UnprotectedPosition]) async
}

/// A position whose bracket exits could not be placed yet.
public struct UnprotectedPosition: Sendable, Hashable {
    public var symbol: Symbol
    /// The bracket's entry order.
    public var entryID: String
    public var quantity: Decimal
    public var since: Date
    public var reason: String

    public init(symbol: Symbol, entryID: String, quantity: Decimal, since: Date, reason: String) {
        self.symbol = symbol
        self.entryID = entryID
        self.quantity = quantity
        self.since = since
        self.reason = reason
    }
}

/// Preview → confirm → place, cancel, broker updates, bracket exits, journaling of executions,
/// and reconciliation. Every change to a stored order goes through one serial queue, so a broker
/// update racing the answer to `place` never loses either. The rules that keep real money safe
/// (no order sent twice, limits re-checked at confirm, brackets exactly as previewed) are listed
/// in docs/operations.md, "Safety".
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
    /// Confirmations one at a time: the limits re-checked at confirm see every earlier intent.
    let confirmations = AsyncSerial()
    /// Asked before every new order (the risk engine), fixed at construction.
    let gates: [any OrderGate]
    let crash: (@Sendable (OrderCrashPoint) -> Void)?
    /// Why new orders are refused until reconciliation succeeds (nil: accepted).
    let reconciliation = Mutex(ReconciliationState())
    /// How long an intent that never reached the broker may still be sent after a restart.
    public let resendWindow: TimeInterval
    /// Whether live prices are flowing (the first reconciliation waits for them).
    let marketReady: (@Sendable () -> Bool)?
    /// Prices are simulated while the broker is real: every preview says so.
    public let simulatedPrices: Bool
    let alarm: (any ProtectionAlarm)?
    /// Bracket exits owed to the broker (entry filled, exit not placed), by exit order id.
    let owedExits = Mutex<[String: OwedExit]>([:])
    /// Lookups of orders whose outcome is unknown, by order id.
    let unknownLookups = Mutex<[String: UnknownLookup]>([:])
    /// How long lookups must find nothing before an unknown exit is taken as never received.
    public let unknownProofWindow: TimeInterval
    /// The entries whose positions were last announced unprotected.
    let announcedUnprotected = Mutex<Set<String>>([])
    /// The market calendar: the preview's `session` check, and whether a stale quote blocks.
    let calendar: any MarketCalendarSource

    public init(
        broker: any BrokerPort, orders: any OrderRepository, plans: any PlanRepository, quotes: QuoteCache,
        settings: SettingsService, bus: EventBus, clock: any WallClock, logger: Logger,
        resendWindow: TimeInterval = 300, marketReady: (@Sendable () -> Bool)? = nil,
        gates: [any OrderGate] = [], simulatedPrices: Bool = false, alarm: (any ProtectionAlarm)? = nil,
        unknownProofWindow: TimeInterval = 60, calendar: any MarketCalendarSource = FixedMarketCalendar(),
        crash: (@Sendable (OrderCrashPoint) -> Void)? = nil
    ) {
        self.calendar = calendar
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
        self.gates = gates
        self.simulatedPrices = simulatedPrices
        self.alarm = alarm
        self.unknownProofWindow = unknownProofWindow
        self.crash = crash
        tokens = ConfirmationTokens(clock: clock)
    }


    // MARK: preview

    public func preview(_ ticket: OrderTicket) async throws -> OrderPreviewResult {
        var ticket = ticket
        var riskAmount: Decimal?
        if let planID = ticket.request.planID {
            guard let saved = try await plans.find(id: planID) else { throw OrderDeskError.plan("no saved plan with id \(planID)") }
            let side: Side = ticket.request.action.isBuy ? .long : .short
            if ticket.bracket && ticket.resendOf == nil {
                guard saved.plan.symbol == ticket.request.symbol, saved.plan.side == side else {
                    throw OrderDeskError.plan("the plan is for \(saved.plan.side.rawValue) \(saved.plan.symbol); the order is \(side.rawValue) \(ticket.request.symbol)")
                }
                ticket.exits = Self.bracketExits(for: ticket.request, plan: saved.plan)
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
        let checks = try await checks(for: ticket, preview: preview, riskAmount: riskAmount)
        if checks.contains(where: { $0.outcome == .fail }) { throw OrderDeskError.checksFailed(checks) }
        ticket.request.bracketRole = ticket.bracket ? .entry : nil
        let (token, expiresAt) = tokens.issue(for: ticket, preview: preview, riskAmount: riskAmount)
        return OrderPreviewResult(
            ticket: ticket, preview: preview, checks: checks, riskAmount: riskAmount,
            confirmationToken: token, expiresAt: expiresAt)
    }

    /// "Send anyway": a preview of the same order (and the same frozen exits) as one whose
    /// outcome is unknown, to be confirmed like any new order. It goes out under a new client
    /// order id; the unknown one is still looked up, so if it did reach the broker both show.
    public func previewResend(of id: String) async throws -> OrderPreviewResult {
        guard let record = try await orders.find(clientOrderID: id) else { throw OrderDeskError.notFound("no order with id \(id)") }
        guard record.order.status == .unknown, record.parentID == nil else { throw OrderDeskError.notUnknown(record) }
        var request = record.order.request
        request.bracketRole = nil
        let exits = try await orders.children(of: id).map(\.order.request)
        return try await preview(OrderTicket(request: request, bracket: !exits.isEmpty, exits: exits, resendOf: id))
    }

    /// Every pre-trade check of `ticket` against the account, positions, working orders and intents
    /// now: run at preview and again at confirm.
    func checks(for ticket: OrderTicket, preview: OrderPreview, riskAmount: Decimal?) async throws -> [PreTradeCheck] {
        let request = ticket.request
        let account: BrokerAccount
        let held: [BrokerPosition]
        do {
            account = try await broker.account()
            held = try await broker.positions()
        } catch {
            throw OrderDeskError.broker(error, order: nil)
        }
        let working = try await orders.unfinished()
        let positions = PreTradeChecks.positions(held, includingWorking: working.map(\.order))
        let quote = quotes.quote(for: request.underlying)
        let price = request.symbol.isOption ? preview.estimatedPrice : (quote?.price ?? preview.estimatedPrice)
        // Staleness is judged only while the symbol trades (outside, the last session's price is expected).
        let now = clock.now()
        let calendar = self.calendar.calendar()
        let stale = calendar.trades(request.symbol, at: now) && (quote.map { quotes.isStale($0) } ?? true)
        let risk = try await settings.current().risk
        var checks = PreTradeChecks.evaluate(
            request, price: price, quoteStale: stale, account: account, positions: positions, risk: risk, preview: preview,
            regularSession: calendar.session(at: now) == .regular)
        checks.insert(PreTradeChecks.session(request, at: now, calendar: calendar), at: 0)
        for gate in gates {
            checks += await gate.checks(for: request, positions: positions, cost: preview.estimatedCost, riskAmount: riskAmount)
        }
        let unknown = working.filter { $0.order.status == .unknown && $0.order.request.symbol == request.symbol && $0.id != ticket.resendOf }
        if !unknown.isEmpty {
            checks.append(PreTradeCheck("unknown_orders", .warn,
                "the outcome of \(unknown.map(\.id).joined(separator: ", ")) on \(request.symbol) is unknown: it may already be at the broker"))
        }
        if let original = ticket.resendOf {
            checks.append(PreTradeCheck("resend", .warn,
                "sends again order \(original), whose outcome is unknown; if the first one did reach the broker you will hold both"))
        }
        if simulatedPrices {
            checks.append(PreTradeCheck("simulated_prices", .warn,
                "prices are SIMULATED (TA_MARKET_DATA=simulated): the checks and estimates use made-up prices, not the market's"))
        }
        return checks
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
        if let refusal = await gateRefusal(request) {
            throw OrderDeskError.blocked(code: refusal.code, reason: refusal.reason)
        }
    }

    // MARK: place

    /// Places the order a preview issued `token` for. The pre-trade checks run again against the
    /// account, positions, working orders and earlier intents now; the intent (with our client
    /// order id and the frozen bracket exits) is stored before the broker is called; repeating a
    /// token returns the same order (`created` false).
    public func place(confirmationToken token: String) async throws -> (record: OrderRecord, created: Bool) {
        if let existing = try await orders.find(confirmationToken: token) { return (existing, false) }
        let issued: ConfirmationTokens.Issued
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
            (issued, clientOrderID) = (fresh, id)
        }
        let ticket = issued.ticket
        let entry = try await confirmations.run { () -> OrderRecord in
            try await self.refuseIfBlocked(ticket.request)
            let checks = try await self.checks(for: ticket, preview: issued.preview, riskAmount: issued.riskAmount)
            if checks.contains(where: { $0.outcome == .fail }) { throw OrderDeskError.checksFailed(checks) }
            let now = self.clock.now()
            let entry = OrderRecord(
                order: BrokerOrder(clientOrderID: clientOrderID, request: ticket.request, status: .pending, createdAt: now, updatedAt: now),
                confirmationToken: token, broker: self.broker.name)
            var records = [entry]
            for exit in ticket.exits {
                let child = BrokerOrder(
                    clientOrderID: UUID().uuidString.lowercased(), request: exit, status: .pending, createdAt: now, updatedAt: now)
                records.append(OrderRecord(order: child, parentID: clientOrderID, broker: self.broker.name))
            }
            try await self.orders.insert(records)
            return entry
        }
        crash?(.afterIntent)
        logger.info("order intent stored", metadata: [
            "client_order_id": .string(clientOrderID), "symbol": .string(ticket.request.symbol.rawValue),
            "action": .string(ticket.request.action.rawValue), "quantity": .string("\(ticket.request.quantity)"),
            "resend_of": .string(ticket.resendOf ?? ""),
        ])
        let placed = try await send(entry.order)
        return (placed, true)
    }

    // MARK: cancel

    public func cancel(clientOrderID: String) async throws -> OrderRecord {
        guard let record = try await orders.find(clientOrderID: clientOrderID) else {
            throw OrderDeskError.notFound("no order with id \(clientOrderID)")
        }
        guard !record.order.status.isFinal else { throw OrderDeskError.notCancellable(record) }
        guard let brokerID = record.order.brokerOrderID else {
            if record.order.status == .pending {
                // Never sent (a bracket exit waiting for its entry, or an intent): cancel it here.
                return try await apply(clientOrderID: clientOrderID) { stored in
                    stored.status = .canceled
                    stored.reason = "canceled before it was sent to the broker"
                }
            }
            // Sending or unknown: it may be at the broker under our tag. Look it up first.
            guard let found = try await lookUp(record) , let foundID = found.brokerOrderID else {
                throw OrderDeskError.broker(.unavailable(
                    "the order's outcome is unknown and the broker does not show it yet; check again before cancelling"), order: record)
            }
            try await broker.cancel(brokerOrderID: foundID)
            return try await orders.find(clientOrderID: clientOrderID) ?? record
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
