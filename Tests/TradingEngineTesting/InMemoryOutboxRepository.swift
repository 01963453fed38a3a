import Foundation
import TradingEngine

/// An `OutboxRepository` in memory, with the same rules as `FluentOutboxRepository`: one message
/// per dedupe key, `due` is pending and due messages of a channel oldest first.
public actor InMemoryOutboxRepository: OutboxRepository {
    private var rows: [OutboxMessage] = []

    public init() {}

    /// Every stored message in insertion order.
    public var messages: [OutboxMessage] { rows }

    public func message(_ dedupeKey: String) -> OutboxMessage? {
        rows.first { $0.dedupeKey == dedupeKey }
    }

    public func enqueue(_ message: OutboxMessage) async throws -> Bool {
        guard !rows.contains(where: { $0.dedupeKey == message.dedupeKey }) else { return false }
        rows.append(message)
        return true
    }

    public func due(channel: String, now: Date, limit: Int) async throws -> [OutboxMessage] {
        Array(rows.enumerated()
            .filter { $0.element.channel == channel && $0.element.status == .pending && $0.element.nextAttemptAt <= now }
            .sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
            .map(\.element)
            .prefix(limit))
    }

    public func update(_ message: OutboxMessage) async throws {
        guard let index = rows.firstIndex(where: { $0.id == message.id }) else { return }
        rows[index] = message
    }

    public func abandonPending(channel: String, reason: String, now: Date) async throws -> Int {
        var count = 0
        for index in rows.indices where rows[index].channel == channel && rows[index].status == .pending {
            rows[index].status = .abandoned
            rows[index].lastError = reason
            rows[index].updatedAt = now
            count += 1
        }
        return count
    }

    public func stats(channel: String, problemLimit: Int) async throws -> OutboxStats {
        let mine = rows.filter { $0.channel == channel }
        var counts: [OutboxMessage.Status: Int] = [:]
        for status in OutboxMessage.Status.allCases { counts[status] = mine.filter { $0.status == status }.count }
        let problems = mine.filter { $0.status == .dead || $0.status == .abandoned || ($0.status == .pending && $0.attempts > 0) }
        return OutboxStats(
            counts: counts, oldestPendingAt: mine.filter { $0.status == .pending }.map(\.createdAt).min(),
            problems: Array(problems.sorted { $0.updatedAt > $1.updatedAt }.prefix(problemLimit)))
    }
}
