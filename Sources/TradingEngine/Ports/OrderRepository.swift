import Foundation
import TradingDomain

/// One of our orders as stored by the order desk: the broker's view plus what only we know.
public struct OrderRecord: Sendable, Hashable, Identifiable {
    public var id: String { order.clientOrderID }
    public var order: BrokerOrder
    /// The confirmation token that placed it (unique), so repeating a confirmation finds it.
    public var confirmationToken: String?
    /// For the stop and target of a bracket: the entry order they wait for.
    public var parentID: String?
    /// The broker this order was sent to (`paper`, `tradier`).
    public var broker: String

    public init(order: BrokerOrder, confirmationToken: String? = nil, parentID: String? = nil, broker: String) {
        self.order = order
        self.confirmationToken = confirmationToken
        self.parentID = parentID
        self.broker = broker
    }
}

/// Filters for `GET /api/v1/orders`.
public struct OrderQuery: Sendable, Hashable {
    public var status: [OrderStatus]?
    public var symbol: Symbol?
    public var limit: Int

    public init(status: [OrderStatus]? = nil, symbol: Symbol? = nil, limit: Int = 100) {
        self.status = status
        self.symbol = symbol
        self.limit = limit
    }
}

/// Storage of our orders, their fills and the journal entries executions produce.
public protocol OrderRepository: Sendable {
    /// Stores new intents (an order, or a bracket's three orders) in one transaction, before any
    /// broker call. Throws when the confirmation token was used already.
    func insert(_ records: [OrderRecord]) async throws
    func find(clientOrderID: String) async throws -> OrderRecord?
    func find(confirmationToken: String) async throws -> OrderRecord?
    func list(_ query: OrderQuery) async throws -> [OrderRecord]
    /// Orders not final yet (for reconciliation and the working set).
    func unfinished() async throws -> [OrderRecord]
    func children(of parentID: String) async throws -> [OrderRecord]
    /// Replaces the stored order (status, broker id, fills, reason).
    func update(_ order: BrokerOrder) async throws
    /// Stores a fill once (by `fill.id`) with the journal changes it caused, in one transaction.
    /// Returns false when the fill was stored before (nothing changes then).
    func record(fill: Fill, journal: ExecutionJournal.Result) async throws -> Bool
    /// The open execution entry of `symbol` with how much of it is closed, if any.
    func openExecution(symbol: Symbol) async throws -> OpenExecution?
    func fills(clientOrderID: String) async throws -> [Fill]
    /// The fills that opened or closed journal entry `entryID` (its legs), oldest first; the
    /// `orderPrice` of each is left nil (the reviewer looks the orders up).
    func tradeFills(entryID: UUID) async throws -> [TradeFill]
    /// Every stored fill at or after `time`, oldest first (day P&L reads the trading day's fills).
    func fills(since time: Date) async throws -> [Fill]
    /// How many of our orders are in each status (for metrics).
    func statusCounts() async throws -> [OrderStatus: Int]
}
