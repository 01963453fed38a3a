import Foundation
import Logging
import TradingDomain

/// Where reconciliation stands. New orders are refused while `blockReason` is set.
public struct ReconciliationState: Sendable, Hashable {
    public var completedAt: Date?
    public var blockReason: String? = "reconciliation with the broker has not run yet"
    public var mismatches: [String] = []
    public var resolved: [String] = []
    public var runs = 0
    var needsRun = true

    public init() {}
}

extension OrderDesk {
    /// Reconciles at start, after a broker error left an outcome unknown, and every 60 s while a
    /// mismatch remains.
    func reconcileLoop() async {
        // The first run waits (up to 10 s) for live prices: a resent market order needs a quote.
        for _ in 0..<100 where !(marketReady?() ?? true) {
            try? await Task.sleep(for: .milliseconds(100))
        }
        var lastRun = Date.distantPast
        while !Task.isCancelled {
            let state = reconciliation.withLock { $0 }
            let due = state.needsRun || (state.blockReason != nil && clock.now().timeIntervalSince(lastRun) >= 10)
                || clock.now().timeIntervalSince(lastRun) >= 60
            if due {
                lastRun = clock.now()
                await reconcile()
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Compares our unfinished orders with the broker's: an intent without a broker id is looked up
    /// by our client order id (attached if found; sent if it never arrived and is recent, else
    /// cancelled with the reason); known orders take the broker's state. Orders the broker holds
    /// under our tag that we do not know, and orders we hold that the broker does not, are
    /// mismatches that block new orders until resolved.
    /// Journals what the broker filled while we were not listening (the fill events were lost in a
    /// crash): one fill for the missing quantity at the broker's average price.
    func journalMissedFills(_ order: BrokerOrder) async throws {
        let recorded = try await orders.fills(clientOrderID: order.clientOrderID).reduce(Decimal(0)) { $0 + $1.quantity }
        guard order.filledQuantity > recorded, let price = order.averageFillPrice else { return }
        let missing = order.filledQuantity - recorded
        try await journal(Fill(
            id: "\(order.clientOrderID)#reconciled-\(order.filledQuantity)", clientOrderID: order.clientOrderID,
            symbol: order.request.symbol, action: order.request.action, quantity: missing, price: price,
            commission: 0, time: order.updatedAt))
        logger.info("missed fill journaled from the broker's order state", metadata: [
            "client_order_id": .string(order.clientOrderID), "quantity": .string("\(missing)"),
        ])
    }

    public func reconcile() async {
        reconciliation.withLock { $0.needsRun = false }
        var mismatches: [String] = []
        var resolved: [String] = []
        do {
            let brokerOrders = try await broker.orders()
            let byClientID = Dictionary(brokerOrders.map { ($0.clientOrderID, $0) }, uniquingKeysWith: { first, _ in first })
            let byBrokerID = Dictionary(
                brokerOrders.compactMap { order in order.brokerOrderID.map { ($0, order) } }, uniquingKeysWith: { first, _ in first })
            let unfinished = try await orders.unfinished()
            for record in unfinished {
                let order = record.order
                if record.parentID != nil, order.brokerOrderID == nil, order.status == .pending { continue }
                var found = byClientID[order.clientOrderID] ?? order.brokerOrderID.flatMap { byBrokerID[$0] }
                if found == nil { found = try await broker.order(clientOrderID: order.clientOrderID) }
                if let found {
                    let merged = try await apply(clientOrderID: order.clientOrderID) { stored in Self.merge(found, into: &stored) }
                    try await journalMissedFills(merged.order)
                    if order.brokerOrderID == nil { resolved.append("order \(order.clientOrderID) found at the broker as \(found.brokerOrderID ?? "?")") }
                } else if order.brokerOrderID == nil {
                    if clock.now().timeIntervalSince(order.createdAt) <= resendWindow {
                        _ = try? await send(order)
                        resolved.append("order \(order.clientOrderID) had not reached the broker; sent it now")
                    } else {
                        try await apply(clientOrderID: order.clientOrderID) { stored in
                            stored.status = .canceled
                            stored.reason = "never reached the broker (the server stopped before sending it); place it again if you still want it"
                        }
                        resolved.append("order \(order.clientOrderID) never reached the broker; marked canceled")
                    }
                } else {
                    mismatches.append("order \(order.clientOrderID) (\(order.request.action.rawValue) \(order.request.quantity) \(order.request.symbol)) is open here but the broker does not know broker id \(order.brokerOrderID ?? "?")")
                }
            }
            let known = Set(unfinished.map(\.id))
            for order in brokerOrders where !order.status.isFinal && UUID(uuidString: order.clientOrderID) != nil && !known.contains(order.clientOrderID) {
                if try await orders.find(clientOrderID: order.clientOrderID) == nil {
                    mismatches.append("the broker has working order \(order.brokerOrderID ?? "?") tagged \(order.clientOrderID) that we have no record of")
                }
            }
        } catch {
            let reason = "reconciliation could not complete: \(error); new orders wait until it does (cancels still work)"
            reconciliation.withLock { state in
                state.blockReason = reason
                state.runs += 1
            }
            logger.warning("reconciliation failed", metadata: ["error": .string("\(error)")])
            return
        }
        let now = clock.now()
        reconciliation.withLock { state in
            state.runs += 1
            state.completedAt = now
            state.mismatches = mismatches
            state.resolved = resolved
            state.blockReason = mismatches.isEmpty ? nil
                : "\(mismatches.count) difference(s) with the broker: " + mismatches.joined(separator: "; ")
        }
        if !mismatches.isEmpty || !resolved.isEmpty {
            logger.info("reconciliation finished", metadata: ["mismatches": "\(mismatches.count)", "resolved": "\(resolved.count)"])
        }
    }
}
