import Foundation
import Logging
import Synchronization
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
    /// Reconciles at start, after a broker error left an outcome unknown, every 5 s while an
    /// order's outcome is unknown, every 10 s while a mismatch remains, else every 60 s; and
    /// sends bracket exits owed to the broker.
    func reconcileLoop() async {
        // The first run waits (up to 10 s) for live prices: a resent market order needs a quote.
        for _ in 0..<100 where !(marketReady?() ?? true) {
            do { try await clock.sleep(for: .milliseconds(100)) } catch { return }
        }
        let lastRun = Mutex(Date.distantPast)
        await repeatEvery(.seconds(1), clock: clock, immediately: true) {
            await self.reconcileIfDue(lastRun: lastRun)
            await self.sendOwedExits()
        }
    }

    /// One tick of the loop: reconciles when a run is due (see `reconcileLoop`).
    func reconcileIfDue(lastRun: borrowing Mutex<Date>) async {
        let state = reconciliation.withLock { $0 }
        let now = clock.now()
        let since = now.timeIntervalSince(lastRun.withLock { $0 })
        let unknown = !unknownLookups.withLock { $0.isEmpty }
        let due = state.needsRun || (state.blockReason != nil && since >= 10) || (unknown && since >= 5) || since >= 60
        if due {
            lastRun.withLock { $0 = now }
            await reconcile()
        }
    }

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

    /// Compares our unfinished orders with the broker's, by our client order id (the broker's tag):
    /// - found at the broker → the broker's state is taken (missed fills journaled);
    /// - `pending` (stored, proven never sent) and recent → sent now, through the same risk gate
    ///   as a new order; refused or old → cancelled with the reason;
    /// - `sending` (the server stopped while sending) → `unknown`;
    /// - `unknown` → looked up again; never re-sent. A bracket exit that lookups over
    ///   `unknownProofWindow` never find is proven not received and is sent again under the same
    ///   tag (idempotent); an entry waits for the user ("check again" / "send anyway").
    /// Orders the broker holds under our tag that we do not know, and orders we hold that the
    /// broker does not, are mismatches that block new orders until resolved.
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
                    try await adopt(found, as: order.clientOrderID)
                    if order.brokerOrderID == nil { resolved.append("order \(order.clientOrderID) found at the broker as \(found.brokerOrderID ?? "?")") }
                } else if order.brokerOrderID == nil {
                    resolved += try await resolveUnseen(record)
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
            try await collectOwedExits(unfinished)
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

    /// An unfinished order without a broker id that the broker does not show under our tag.
    func resolveUnseen(_ record: OrderRecord) async throws -> [String] {
        let order = record.order
        switch order.status {
        case .pending:
            // Stored before `sending`: proven never sent.
            let age = clock.now().timeIntervalSince(order.createdAt)
            if age <= resendWindow {
                if let refusal = await gateRefusal(order.request) {
                    try await apply(clientOrderID: order.clientOrderID) { stored in
                        stored.status = .canceled
                        stored.reason = "never reached the broker and was not sent after the restart: \(refusal.reason)"
                    }
                    return ["order \(order.clientOrderID) had not reached the broker; not sent (\(refusal.code))"]
                }
                _ = try? await send(order)
                return ["order \(order.clientOrderID) had not reached the broker; sent it now"]
            }
            try await apply(clientOrderID: order.clientOrderID) { stored in
                stored.status = .canceled
                stored.reason = "never reached the broker (the server stopped before sending it); place it again if you still want it"
            }
            return ["order \(order.clientOrderID) never reached the broker; marked canceled"]
        case .sending:
            try await apply(clientOrderID: order.clientOrderID) { stored in
                stored.status = .unknown
                stored.reason = "the server stopped while sending it; looking it up at the broker by its tag (never re-sent automatically)"
            }
            startLookups(order.clientOrderID, since: clock.now())
            return ["order \(order.clientOrderID) was being sent when the server stopped; its outcome is unknown"]
        case .unknown:
            startLookups(order.clientOrderID, since: order.updatedAt)
            guard noteUnknownLookup(record) else { return [] }
            let checks = unknownLookups.withLock { $0[order.clientOrderID]?.checks ?? 0 }
            if record.parentID != nil {
                // A bracket exit protects a position: once the broker's lists prove it never
                // arrived, it goes again under the same tag.
                try await apply(clientOrderID: order.clientOrderID) { stored in
                    stored.status = .pending
                    stored.reason = "not found at the broker in \(checks) checks; sending it again under the same tag"
                }
                unknownLookups.withLock { _ = $0.removeValue(forKey: order.clientOrderID) }
                return ["bracket exit \(order.clientOrderID) never reached the broker; sending it again"]
            }
            let reason = "not found at the broker in \(checks) checks; it probably never arrived — check again, or send it anyway (you confirm)"
            if order.reason != reason {
                try await apply(clientOrderID: order.clientOrderID) { stored in stored.reason = reason }
            }
            return []
        default:
            return []
        }
    }

    /// What the risk engine (and other gates) say about sending `request` now.
    func gateRefusal(_ request: OrderRequest) async -> (code: String, reason: String)? {
        guard !gates.isEmpty else { return nil }
        let positions = (try? await broker.positions()) ?? []
        for gate in gates {
            if let refusal = await gate.refusal(for: request, positions: positions) { return refusal }
        }
        return nil
    }
}
