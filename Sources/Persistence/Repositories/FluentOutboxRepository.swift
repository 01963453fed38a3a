import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// The notification outbox. `dedupe_key` is unique, so a message is queued at most once even when
/// the transaction that queues it is replayed after a crash.
public struct FluentOutboxRepository: OutboxRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func enqueue(_ message: OutboxMessage) async throws -> Bool {
        try await store.db().transaction { db in try await Self.insert(message, on: db) }
    }

    /// Inserts unless the dedupe key exists; used inside other repositories' transactions.
    static func insert(_ message: OutboxMessage, on db: any Database) async throws -> Bool {
        let exists = try await OutboxModel.query(on: db).filter(\.$dedupeKey == message.dedupeKey).count() > 0
        guard !exists else { return false }
        let model = OutboxModel()
        model.id = message.id
        copy(message, into: model)
        try await model.create(on: db)
        return true
    }

    public func due(channel: String, now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await OutboxModel.query(on: store.db())
            .filter(\.$channel == channel)
            .filter(\.$status == OutboxMessage.Status.pending.rawValue)
            .filter(\.$nextAttemptAtMs <= now.epochMilliseconds)
            .sort(\.$createdAtMs).sort(\.$id)
            .limit(limit)
            .all()
            .map(Self.message(from:))
    }

    public func update(_ message: OutboxMessage) async throws {
        guard let model = try await OutboxModel.find(message.id, on: store.db()) else { return }
        Self.copy(message, into: model)
        try await model.update(on: store.db())
    }

    public func abandonPending(channel: String, reason: String, now: Date) async throws -> Int {
        try await store.db().transaction { db in
            let pending = OutboxModel.query(on: db)
                .filter(\.$channel == channel).filter(\.$status == OutboxMessage.Status.pending.rawValue)
            let count = try await pending.count()
            try await OutboxModel.query(on: db)
                .filter(\.$channel == channel).filter(\.$status == OutboxMessage.Status.pending.rawValue)
                .set(\.$status, to: OutboxMessage.Status.abandoned.rawValue)
                .set(\.$lastError, to: reason)
                .set(\.$updatedAtMs, to: now.epochMilliseconds)
                .update()
            return count
        }
    }

    public func stats(channel: String, problemLimit: Int) async throws -> OutboxStats {
        let db = try store.db()
        var counts: [OutboxMessage.Status: Int] = [:]
        for status in OutboxMessage.Status.allCases {
            counts[status] = try await OutboxModel.query(on: db)
                .filter(\.$channel == channel).filter(\.$status == status.rawValue).count()
        }
        let oldest = try await OutboxModel.query(on: db)
            .filter(\.$channel == channel).filter(\.$status == OutboxMessage.Status.pending.rawValue)
            .sort(\.$createdAtMs).first()
        let problems = try await OutboxModel.query(on: db)
            .filter(\.$channel == channel)
            .group(.or) { group in
                group.filter(\.$status == OutboxMessage.Status.dead.rawValue)
                    .filter(\.$status == OutboxMessage.Status.abandoned.rawValue)
                    .filter(\.$attempts > 0)
            }
            .filter(\.$status != OutboxMessage.Status.delivered.rawValue)
            .sort(\.$updatedAtMs, .descending)
            .limit(problemLimit)
            .all()
        return OutboxStats(
            counts: counts,
            oldestPendingAt: oldest.map { Date(epochMilliseconds: $0.createdAtMs) },
            problems: try problems.map(Self.message(from:))
        )
    }

    static func copy(_ message: OutboxMessage, into model: OutboxModel) {
        model.channel = message.channel
        model.dedupeKey = message.dedupeKey
        model.payload = String(decoding: message.payload, as: UTF8.self)
        model.status = message.status.rawValue
        model.attempts = message.attempts
        model.nextAttemptAtMs = message.nextAttemptAt.epochMilliseconds
        model.lastError = message.lastError
        model.createdAtMs = message.createdAt.epochMilliseconds
        model.updatedAtMs = message.updatedAt.epochMilliseconds
        model.deliveredAtMs = message.deliveredAt?.epochMilliseconds
    }

    static func message(from model: OutboxModel) throws -> OutboxMessage {
        OutboxMessage(
            id: try model.requireID(), channel: model.channel, dedupeKey: model.dedupeKey,
            payload: Data(model.payload.utf8), status: OutboxMessage.Status(rawValue: model.status) ?? .dead,
            attempts: model.attempts, nextAttemptAt: Date(epochMilliseconds: model.nextAttemptAtMs),
            lastError: model.lastError, createdAt: Date(epochMilliseconds: model.createdAtMs),
            updatedAt: Date(epochMilliseconds: model.updatedAtMs),
            deliveredAt: model.deliveredAtMs.map(Date.init(epochMilliseconds:))
        )
    }
}
