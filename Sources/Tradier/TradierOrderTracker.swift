import Foundation
import TradingDomain
import TradingEngine
import Synchronization

/// What the adapter last saw of each order, and the diff that turns a new observation into
/// `BrokerUpdate`s. Every observation (poll, `orders()`, `order(clientOrderID:)`) goes through
/// `ingest`, so an update is emitted once whichever call saw the change first.
///
/// Fills are derived from `exec_quantity` growth: id `"<brokerOrderID>-<cumulative exec qty>"`
/// (stable, so a repeat after a restart is recognisable), price `last_fill_price` when the
/// growth equals `last_fill_quantity`, else the price implied by the change of `avg_fill_price`.
final class TradierOrderTracker: Sendable {
    struct State {
        /// Last state per broker order id.
        var known: [String: BrokerOrder] = [:]
        /// Our requests by client order id, so updates keep `planID` and `bracketRole`.
        var requests: [String: OrderRequest] = [:]
        /// Placements whose answer never came: poll until the tag shows up or the deadline passes.
        var expected: [String: Date] = [:]
        var wake = false
    }

    let state = Mutex(State())

    /// A placement the broker accepted: remembered as `submitted` (no update is emitted for it).
    func placed(brokerOrderID: String, clientOrderID: String, request: OrderRequest, now: Date = Date()) {
        state.withLock { state in
            state.requests[clientOrderID] = request
            state.expected[clientOrderID] = nil
            if state.known[brokerOrderID] == nil {
                state.known[brokerOrderID] = BrokerOrder(
                    clientOrderID: clientOrderID, brokerOrderID: brokerOrderID, request: request, status: .submitted,
                    createdAt: now, updatedAt: now)
            }
            state.wake = true
        }
    }

    /// A placement whose outcome is unknown (timeout, dropped connection).
    func expect(clientOrderID: String, request: OrderRequest, until deadline: Date) {
        state.withLock { state in
            state.requests[clientOrderID] = request
            state.expected[clientOrderID] = deadline
            state.wake = true
        }
    }

    func requestWake() {
        state.withLock { $0.wake = true }
    }

    /// True (once) when a call asked for a prompt poll.
    func takeWake() -> Bool {
        state.withLock { state in
            defer { state.wake = false }
            return state.wake
        }
    }

    /// True while an order we placed or saw is still working, or a placement's outcome is unknown.
    func needsPolling(now: Date = Date()) -> Bool {
        state.withLock { state in
            state.expected = state.expected.filter { $0.value > now }
            return !state.expected.isEmpty || state.known.values.contains { !$0.status.isFinal }
        }
    }

    /// Broker ids of working orders, oldest first.
    func workingOrderIDs() -> [String] {
        state.withLock { $0.known.values.filter { !$0.status.isFinal }.sorted { $0.createdAt < $1.createdAt }.compactMap(\.brokerOrderID) }
    }

    /// Records what the broker said and returns the orders (with our plan metadata restored)
    /// and the updates to emit, fills before the order change they belong to.
    func ingest(_ observed: [TradierOrder], now: Date = Date()) -> (orders: [BrokerOrder], updates: [BrokerUpdate]) {
        state.withLock { state in
            var orders: [BrokerOrder] = []
            var updates: [BrokerUpdate] = []
            for item in observed {
                var new = item.order
                if let ours = state.requests[new.clientOrderID] {
                    new.request.planID = ours.planID
                    new.request.bracketRole = ours.bracketRole
                }
                state.expected[new.clientOrderID] = nil
                let previous = state.known[item.id]
                if let previous, Self.isStale(new, comparedWith: previous) {
                    orders.append(previous)
                    continue
                }
                orders.append(new)
                let before = previous?.filledQuantity ?? 0
                if new.filledQuantity > before {
                    updates.append(.fill(Self.fill(item, order: new, previous: previous, quantity: new.filledQuantity - before, now: now)))
                }
                if previous.map({ Self.differs(new, $0) }) ?? true {
                    updates.append(.order(new))
                }
                state.known[item.id] = new
            }
            return (orders, updates)
        }
    }

    /// An older snapshot arriving after a newer one must not move an order backwards.
    static func isStale(_ new: BrokerOrder, comparedWith previous: BrokerOrder) -> Bool {
        if new.filledQuantity < previous.filledQuantity { return true }
        return previous.status.isFinal && !new.status.isFinal
    }

    static func differs(_ new: BrokerOrder, _ old: BrokerOrder) -> Bool {
        new.status != old.status || new.filledQuantity != old.filledQuantity || new.averageFillPrice != old.averageFillPrice
            || new.reason != old.reason || new.request != old.request || new.clientOrderID != old.clientOrderID
    }

    static func fill(_ item: TradierOrder, order: BrokerOrder, previous: BrokerOrder?, quantity: Decimal, now: Date) -> Fill {
        Fill(
            id: "\(item.id)-\(order.filledQuantity)", clientOrderID: order.clientOrderID, symbol: order.request.symbol,
            action: order.request.action, quantity: quantity,
            price: fillPrice(item, order: order, previous: previous, quantity: quantity), commission: 0,
            time: item.transactionDate ?? now)
    }

    static func fillPrice(_ item: TradierOrder, order: BrokerOrder, previous: BrokerOrder?, quantity: Decimal) -> Decimal {
        if let lastQuantity = item.lastFillQuantity, lastQuantity == quantity, let last = item.lastFillPrice { return last }
        if let average = order.averageFillPrice {
            if let previous, let before = previous.averageFillPrice, previous.filledQuantity > 0 {
                let implied = (average * order.filledQuantity - before * previous.filledQuantity) / quantity
                if implied > 0 { return implied.rounded(scale: 6) }
            }
            return average
        }
        return item.lastFillPrice ?? order.request.limitPrice ?? order.request.stopPrice ?? 0
    }
}
