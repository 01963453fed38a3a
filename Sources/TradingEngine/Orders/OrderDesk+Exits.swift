import Foundation
import Logging
import TradingDomain

/// A bracket exit that must reach the broker: its entry filled, the exit is not placed yet.
struct OwedExit: Sendable, Hashable {
    var exitID: String
    var entryID: String
    var symbol: Symbol
    var quantity: Decimal
    /// The protective stop goes out before the target.
    var isStop: Bool
    var since: Date
    var attempts = 0
    var nextAttempt: Date
    var lastError: String?
}

extension OrderDesk {
    /// Bracket rules after an order changed: an entry that ends with shares filled sends its exits
    /// for exactly the filled quantity; an entry that ends unfilled cancels them; an exit's fill
    /// cancels its sibling (one-cancels-other).
    func afterChange(_ record: OrderRecord) async {
        do {
            let order = record.order
            if order.request.bracketRole == .entry, order.status.isFinal {
                for child in try await orders.children(of: order.clientOrderID) where child.order.status == .pending && child.order.brokerOrderID == nil {
                    if order.filledQuantity > 0 {
                        let filled = order.filledQuantity
                        let exit = try await apply(clientOrderID: child.id) { stored in stored.request.quantity = filled }
                        owe(exit, entry: order)
                    } else {
                        try await apply(clientOrderID: child.order.clientOrderID) { stored in
                            stored.status = .canceled
                            stored.reason = "its entry order ended \(order.status.rawValue)"
                        }
                    }
                }
                await sendOwedExits()
            }
            if let parentID = record.parentID, order.status == .filled {
                for sibling in try await orders.children(of: parentID)
                where sibling.id != order.clientOrderID && !sibling.order.status.isFinal {
                    _ = try? await cancel(clientOrderID: sibling.order.clientOrderID)
                }
            }
        } catch {
            logger.error("bracket follow-up failed", metadata: ["error": .string("\(error)")])
        }
    }

    func owe(_ exit: OrderRecord, entry: BrokerOrder) {
        let now = clock.now()
        owedExits.withLock { owed in
            guard owed[exit.id] == nil else { return }
            owed[exit.id] = OwedExit(
                exitID: exit.id, entryID: entry.clientOrderID, symbol: exit.order.request.symbol,
                quantity: exit.order.request.quantity, isStop: exit.order.request.bracketRole == .stop, since: now, nextAttempt: now)
        }
    }

    /// After a restart (or an exit proven never received): exits still owed to the broker.
    func collectOwedExits(_ unfinished: [OrderRecord]) async throws {
        for exit in unfinished where exit.parentID != nil && exit.order.brokerOrderID == nil && !exit.order.status.isFinal {
            guard let parentID = exit.parentID, let entry = try await orders.find(clientOrderID: parentID),
                  entry.order.status.isFinal, entry.order.filledQuantity > 0 else { continue }
            owe(exit, entry: entry.order)
        }
    }

    /// Retries of a bracket exit: about 1 s doubling to 30 s.
    static let exitBackoff = Backoff(initial: .seconds(1), maximum: .seconds(30))

    /// Sends each owed exit that is due; a failure that proves nothing was placed is retried with
    /// backoff (`exitBackoff`), an unknown outcome waits for reconciliation's lookups.
    /// While any is owed its position is `unprotected`.
    func sendOwedExits() async {
        let now = clock.now()
        let due = owedExits.withLock { $0.values.filter { $0.nextAttempt <= now } }
            .sorted { ($0.isStop ? 0 : 1, $0.since, $0.exitID) < ($1.isStop ? 0 : 1, $1.since, $1.exitID) }
        for var owed in due {
            guard let record = try? await orders.find(clientOrderID: owed.exitID) else { continue }
            if record.order.status.isFinal || record.order.brokerOrderID != nil {
                owedExits.withLock { _ = $0.removeValue(forKey: owed.exitID) }
                continue
            }
            guard record.order.status == .pending else { continue }  // sending or unknown: being looked up
            do {
                let sent = try await send(record.order)
                if sent.order.brokerOrderID != nil || sent.order.status.isFinal {
                    owedExits.withLock { _ = $0.removeValue(forKey: owed.exitID) }
                    logger.info("bracket exit placed", metadata: ["client_order_id": .string(owed.exitID), "attempts": "\(owed.attempts + 1)"])
                }
            } catch {
                owed.attempts += 1
                owed.lastError = "\(error)"
                owed.nextAttempt = clock.now().addingTimeInterval(Self.exitBackoff.delay(attempt: owed.attempts - 1).seconds)
                let updated = owed
                owedExits.withLock { if $0[updated.exitID] != nil { $0[updated.exitID] = updated } }
                logger.warning("bracket exit not placed; will retry", metadata: [
                    "client_order_id": .string(owed.exitID), "attempt": "\(owed.attempts)", "error": .string("\(error)"),
                ])
            }
        }
        await announceProtection()
    }

    /// Positions whose bracket exits are not at the broker yet.
    public var unprotectedPositions: [UnprotectedPosition] {
        let owed = owedExits.withLock { Array($0.values) }
        var byEntry: [String: UnprotectedPosition] = [:]
        for exit in owed {
            let reason = exit.lastError.map { "bracket exit not placed yet: \($0)" } ?? "bracket exit not placed yet"
            let current = byEntry[exit.entryID]
            byEntry[exit.entryID] = UnprotectedPosition(
                symbol: exit.symbol, entryID: exit.entryID, quantity: exit.quantity,
                since: min(current?.since ?? exit.since, exit.since), reason: current?.reason ?? reason)
        }
        return byEntry.values.sorted { $0.since < $1.since }
    }

    /// Announces a change of the unprotected set: a `status` event and the alarm (risk firing,
    /// Discord when enabled).
    func announceProtection() async {
        let now = unprotectedPositions
        let keys = Set(now.map(\.entryID))
        let changed = announcedUnprotected.withLock { announced -> Bool in
            guard announced != keys else { return false }
            announced = keys
            return true
        }
        guard changed else { return }
        if now.isEmpty {
            bus.publish(.status(StatusNotice(kind: "protected", message: "every bracket exit is at the broker")))
        } else {
            let text = now.map { "\($0.symbol) (\($0.quantity), entry \($0.entryID))" }.joined(separator: ", ")
            bus.publish(.status(StatusNotice(kind: "unprotected", message: "position without its bracket exits at the broker: \(text)")))
            logger.warning("position unprotected", metadata: ["positions": .string(text)])
        }
        await alarm?.protectionChanged(now)
    }
}
