import Foundation
import Logging
import ServiceLifecycle
import TradingDomain

extension OrderDesk {
    public func run() async throws {
        let updates = broker.updates()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await update in updates {
                        await self.handle(update)
                    }
                }
                group.addTask { await self.reconcileLoop() }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Changes one stored order under the serial queue and announces it.
    @discardableResult
    func apply(clientOrderID: String, _ change: @escaping @Sendable (inout BrokerOrder) -> Void) async throws -> OrderRecord {
        let (record, changed) = try await serial.run { () -> (OrderRecord, Bool) in
            guard var record = try await self.orders.find(clientOrderID: clientOrderID) else {
                throw OrderDeskError.notFound("no order with id \(clientOrderID)")
            }
            let before = record.order
            change(&record.order)
            guard record.order != before else { return (record, false) }
            record.order.updatedAt = self.clock.now()
            try await self.orders.update(record.order)
            return (record, true)
        }
        if changed {
            bus.publish(.order(record))
            await afterChange(record)
        }
        return record
    }

    /// Folds a broker update in: order state only moves forward; a fill is journaled once.
    func handle(_ update: BrokerUpdate) async {
        do {
            switch update {
            case .order(let reported):
                guard try await orders.find(clientOrderID: reported.clientOrderID) != nil else {
                    logger.debug("update for an order we did not place", metadata: ["client_order_id": .string(reported.clientOrderID)])
                    return
                }
                try await apply(clientOrderID: reported.clientOrderID) { stored in Self.merge(reported, into: &stored) }
            case .fill(let fill):
                try await journal(fill)
            }
        } catch {
            logger.error("broker update not applied", metadata: ["error": .string("\(error)")])
        }
    }

    /// Takes what the broker says unless it would move the order backwards.
    static func merge(_ reported: BrokerOrder, into stored: inout BrokerOrder) {
        if stored.brokerOrderID == nil { stored.brokerOrderID = reported.brokerOrderID }
        if reported.filledQuantity > stored.filledQuantity {
            stored.filledQuantity = reported.filledQuantity
            stored.averageFillPrice = reported.averageFillPrice ?? stored.averageFillPrice
        }
        if !stored.status.isFinal, rank(reported.status) >= rank(stored.status) {
            stored.status = reported.status
            if let reason = reported.reason { stored.reason = reason }
        }
    }

    static func rank(_ status: OrderStatus) -> Int {
        switch status {
        case .pending, .sending, .unknown: 0
        case .submitted: 1
        case .open: 2
        case .partiallyFilled: 3
        case .filled, .canceled, .expired, .rejected, .error: 4
        }
    }

    /// Journals a fill once; a fill that would exceed the order's quantity (a repeat under another
    /// id, e.g. after a restart) is ignored.
    func journal(_ fill: Fill) async throws {
        let stored = try await serial.run { () -> Bool in
            guard let record = try await self.orders.find(clientOrderID: fill.clientOrderID) else { return false }
            let recorded = try await self.orders.fills(clientOrderID: fill.clientOrderID)
            if recorded.contains(where: { $0.id == fill.id }) { return false }
            let total = recorded.reduce(Decimal(0)) { $0 + $1.quantity } + fill.quantity
            guard total <= record.order.request.quantity else {
                self.logger.warning("fill ignored: more than the order's quantity", metadata: ["fill_id": .string(fill.id)])
                return false
            }
            let open = try await self.orders.openExecution(symbol: fill.symbol)
            let planID = record.order.request.planID
            let plan = try await planID.asyncMap { try await self.plans.find(id: $0) } ?? nil
            let result = ExecutionJournal.apply(fill, to: open, plan: plan, planID: planID, now: self.clock.now(), newID: { UUID() })
            return try await self.orders.record(fill: fill, journal: result)
        }
        guard stored else { return }
        logger.info("fill journaled", metadata: [
            "client_order_id": .string(fill.clientOrderID), "symbol": .string(fill.symbol.rawValue),
            "quantity": .string("\(fill.quantity)"), "price": .string("\(fill.price)"),
        ])
        bus.publish(.fill(fill))
        guard let positions = try? await broker.positions() else { return }
        let position = positions.first { $0.symbol == fill.symbol }
        bus.publish(.position(PositionChange(symbol: fill.symbol, position: position, time: clock.now())))
        if position == nil { await cancelOrphanedExits(symbol: fill.symbol) }
    }

    /// A flat position leaves nothing for a bracket's stop or target to protect: left working,
    /// a stop could later open a position the other way. They are cancelled.
    func cancelOrphanedExits(symbol: Symbol) async {
        guard let working = try? await orders.unfinished() else { return }
        for record in working where record.order.request.symbol == symbol && record.parentID != nil
            && (record.order.request.bracketRole == .stop || record.order.request.bracketRole == .target) {
            do {
                _ = try await cancel(clientOrderID: record.id)
                logger.info("bracket exit cancelled: the position is flat", metadata: ["client_order_id": .string(record.id)])
            } catch OrderDeskError.notCancellable {
                // Already final (its sibling's fill cancelled it first).
            } catch {
                logger.warning("could not cancel a bracket exit of a flat position", metadata: [
                    "client_order_id": .string(record.id), "error": .string("\(error)"),
                ])
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
