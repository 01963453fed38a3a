import Foundation
import Logging
import TradingDomain

/// Lookups of one order whose outcome is unknown: how many, since when.
struct UnknownLookup: Sendable, Hashable {
    var since: Date
    var checks = 0
}

extension OrderDesk {
    /// Sends a stored intent to the broker and records the answer. `sending` is stored before the
    /// request starts, so a crash during it leaves an order that reconciliation treats as
    /// `unknown`, never as unsent. The outcome (docs/operations.md, "Safety"):
    /// - accepted → `submitted` with the broker's id;
    /// - refused by the broker → `rejected` with its words;
    /// - proven not placed (503, rate limit, credentials) → an entry is `rejected` with the reason
    ///   (the user places it again); a bracket exit stays `pending` and is retried;
    /// - anything else (timeout, lost answer) → `unknown`, looked up by tag, never re-sent blindly.
    @discardableResult
    func send(_ order: BrokerOrder) async throws -> OrderRecord {
        let sending = try await apply(clientOrderID: order.clientOrderID) { stored in
            if stored.status == .pending { stored.status = .sending }
        }
        guard sending.order.status == .sending else { return sending }
        crash?(.afterSending)
        let brokerID: String
        do {
            brokerID = try await broker.place(order.request, clientOrderID: order.clientOrderID)
        } catch {
            let isExit = sending.parentID != nil
            let record: OrderRecord
            switch error {
            case .rejected(_, let reason):
                record = try await apply(clientOrderID: order.clientOrderID) { stored in
                    stored.status = .rejected
                    stored.reason = reason
                }
            case _ where error.provesNotPlaced:
                record = try await apply(clientOrderID: order.clientOrderID) { stored in
                    guard stored.status == .sending else { return }
                    if isExit {
                        stored.status = .pending
                        stored.reason = "not placed yet (\(error)); retrying"
                    } else {
                        stored.status = .rejected
                        stored.reason = "not placed: \(error); nothing reached the broker, place it again when it is back"
                    }
                }
            default:
                record = try await apply(clientOrderID: order.clientOrderID) { stored in
                    guard stored.status == .sending else { return }
                    stored.status = .unknown
                    stored.reason = "\(error); looking it up at the broker by its tag (never re-sent automatically)"
                }
                startLookups(order.clientOrderID, since: clock.now())
                reconciliation.withLock { $0.needsRun = true }
                logger.warning("order outcome unknown", metadata: [
                    "client_order_id": .string(order.clientOrderID), "error": .string(error.description),
                ])
            }
            throw OrderDeskError.broker(error, order: record)
        }
        crash?(.afterBrokerAccept)
        return try await apply(clientOrderID: order.clientOrderID) { stored in
            stored.brokerOrderID = stored.brokerOrderID ?? brokerID
            if stored.status == .sending || stored.status == .unknown { stored.status = .submitted }
        }
    }

    /// Asks the broker for `record` by our tag (and its broker id when known); merges what it
    /// says. Nil when the broker does not show it.
    @discardableResult
    func lookUp(_ record: OrderRecord) async throws -> BrokerOrder? {
        let answer: BrokerOrder?
        do {
            answer = try await broker.order(clientOrderID: record.id)
        } catch {
            guard case .notFound = error else { throw error }
            answer = nil
        }
        guard let found = answer else { return nil }
        return try await adopt(found, as: record.id)
    }

    /// Takes what the broker shows for our order `id` (found by tag or broker id): merges it,
    /// stops the unknown-outcome lookups, and journals fills we missed.
    @discardableResult
    func adopt(_ found: BrokerOrder, as id: String) async throws -> BrokerOrder {
        let merged = try await apply(clientOrderID: id) { stored in Self.merge(found, into: &stored) }
        unknownLookups.withLock { _ = $0.removeValue(forKey: id) }
        try await journalMissedFills(merged.order)
        return merged.order
    }

    /// Starts counting lookups of an order whose outcome is unknown (kept when already started).
    func startLookups(_ id: String, since: Date) {
        unknownLookups.withLock { $0[id] = $0[id] ?? UnknownLookup(since: since) }
    }

    /// "Check again" on an order whose outcome is unknown (or any unfinished one): looks it up at
    /// the broker now and returns what we then know.
    public func checkAgain(clientOrderID: String) async throws -> OrderRecord {
        guard let record = try await orders.find(clientOrderID: clientOrderID) else {
            throw OrderDeskError.notFound("no order with id \(clientOrderID)")
        }
        guard !record.order.status.isFinal else { return record }
        do {
            if try await lookUp(record) == nil, record.order.status == .unknown {
                _ = noteUnknownLookup(record)
            }
        } catch let error as BrokerError {
            throw OrderDeskError.broker(error, order: record)
        }
        return try await orders.find(clientOrderID: clientOrderID) ?? record
    }

    /// Counts one lookup that did not find `record`; returns true once lookups over at least
    /// `unknownProofWindow` have all come back empty (the broker's list proves it never arrived).
    func noteUnknownLookup(_ record: OrderRecord) -> Bool {
        let now = clock.now()
        let lookup = unknownLookups.withLock { lookups -> UnknownLookup in
            var lookup = lookups[record.id] ?? UnknownLookup(since: now)
            lookup.checks += 1
            lookups[record.id] = lookup
            return lookup
        }
        return lookup.checks >= 3 && now.timeIntervalSince(lookup.since) >= unknownProofWindow
    }
}
