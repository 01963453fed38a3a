import Foundation
import TradingDomain

/// A notification waiting to leave (or that left) through an outside channel such as Discord.
/// Written in the same transaction as what it announces, so a crash cannot lose or double it.
public struct OutboxMessage: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for `nextAttemptAt`.
        case pending
        case delivered
        /// The channel refused it for good (e.g. Discord 400); `lastError` says why.
        case dead
        /// Dropped without sending: the channel is gone or forwarding was switched off.
        case abandoned
    }

    public var id: UUID
    /// `discord`.
    public var channel: String
    /// Unique per thing announced (`alert:{id}:{sequence}`, `risk:{episode}`), so it is queued once.
    public var dedupeKey: String
    /// What to send, channel-independent: a JSON `NotificationMessage` (see `OutboxPayload`).
    public var payload: Data
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deliveredAt: Date?

    public init(
        id: UUID = UUID(), channel: String, dedupeKey: String, payload: Data, status: Status = .pending, attempts: Int = 0,
        nextAttemptAt: Date, lastError: String? = nil, createdAt: Date, updatedAt: Date? = nil, deliveredAt: Date? = nil
    ) {
        self.id = id
        self.channel = channel
        self.dedupeKey = dedupeKey
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deliveredAt = deliveredAt
    }
}

/// Counts and the latest problems of one channel's outbox, for `GET /api/v1/diag/outbox`.
public struct OutboxStats: Sendable, Hashable {
    public var counts: [OutboxMessage.Status: Int]
    public var oldestPendingAt: Date?
    /// Pending messages that failed at least once, and dead or abandoned ones, newest first.
    public var problems: [OutboxMessage]

    public init(counts: [OutboxMessage.Status: Int], oldestPendingAt: Date?, problems: [OutboxMessage]) {
        self.counts = counts
        self.oldestPendingAt = oldestPendingAt
        self.problems = problems
    }
}

/// Durable queue of outgoing notifications.
public protocol OutboxRepository: Sendable {
    /// Queues a message on its own (risk breaches). Returns false when its dedupe key was queued before.
    func enqueue(_ message: OutboxMessage) async throws -> Bool
    /// Pending messages of `channel` due at `now`, oldest first.
    func due(channel: String, now: Date, limit: Int) async throws -> [OutboxMessage]
    /// Stores a message's new status, attempts, schedule and error.
    func update(_ message: OutboxMessage) async throws
    /// Marks every pending message of `channel` abandoned with `reason`; returns how many.
    func abandonPending(channel: String, reason: String, now: Date) async throws -> Int
    func stats(channel: String, problemLimit: Int) async throws -> OutboxStats
}
