import Foundation
import TradingDomain
import Synchronization

/// Single-use confirmation tokens: issued by a preview, bound to exactly that ticket, valid for
/// `lifetime` seconds. Consuming one reserves the client order id the order will carry, so a
/// repeated confirmation (a double click, a retried request) finds the same order.
public final class ConfirmationTokens: Sendable {
    public enum Consumed: Sendable, Hashable {
        /// First use: place this ticket under this client order id.
        case fresh(Issued, clientOrderID: String)
        /// Used before for this order.
        case used(clientOrderID: String)
        case expired
        case unknown
    }

    /// What the preview saw, kept with the token so the confirm re-runs the same checks.
    public struct Issued: Sendable, Hashable {
        public var ticket: OrderTicket
        public var preview: OrderPreview
        public var riskAmount: Decimal?
    }

    struct Entry {
        var issued: Issued
        var expiresAt: Date
        var clientOrderID: String?
    }

    public let lifetime: TimeInterval
    let clock: any WallClock
    private let entries = Mutex<[String: Entry]>([:])

    public init(clock: any WallClock, lifetime: TimeInterval = 60) {
        self.clock = clock
        self.lifetime = lifetime
    }

    /// A new token for `ticket` and when it expires.
    public func issue(for ticket: OrderTicket, preview: OrderPreview, riskAmount: Decimal?) -> (token: String, expiresAt: Date) {
        let now = clock.now()
        let token = "ct_" + (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        let expiresAt = now.addingTimeInterval(lifetime)
        entries.withLock { entries in
            // Forget what expired long ago (used ones are kept a while for repeats).
            entries = entries.filter { $0.value.expiresAt.addingTimeInterval(600) > now }
            entries[token] = Entry(issued: Issued(ticket: ticket, preview: preview, riskAmount: riskAmount), expiresAt: expiresAt)
        }
        return (token, expiresAt)
    }

    public func consume(_ token: String) -> Consumed {
        let now = clock.now()
        return entries.withLock { entries in
            guard var entry = entries[token] else { return .unknown }
            if let id = entry.clientOrderID { return .used(clientOrderID: id) }
            guard entry.expiresAt > now else { return .expired }
            let id = UUID().uuidString.lowercased()
            entry.clientOrderID = id
            entries[token] = entry
            return .fresh(entry.issued, clientOrderID: id)
        }
    }
}
