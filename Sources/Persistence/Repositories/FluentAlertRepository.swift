import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Alerts and their firings. A firing and its alert's new state are written in one transaction,
/// and (alert_id, sequence) is unique, so a firing is stored exactly once even when the same
/// evaluation is replayed after a crash.
public struct FluentAlertRepository: AlertRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func insert(_ rule: AlertRule) async throws {
        let model = AlertModel()
        model.id = rule.id
        AlertMapping.copy(rule, into: model)
        try await model.create(on: store.db())
    }

    public func find(id: UUID) async throws -> AlertRule? {
        try await AlertModel.find(id, on: store.db()).map(AlertMapping.rule(from:))
    }

    public func update(_ rule: AlertRule) async throws -> Bool {
        try await Self.save(rule, on: store.db())
    }

    static func save(_ rule: AlertRule, on db: any Database) async throws -> Bool {
        guard let model = try await AlertModel.find(rule.id, on: db) else { return false }
        AlertMapping.copy(rule, into: model)
        try await model.update(on: db)
        return true
    }

    public func delete(id: UUID) async throws -> Bool {
        let db = try store.db()
        guard let model = try await AlertModel.find(id, on: db) else { return false }
        try await model.delete(on: db)
        return true
    }

    public func list(_ query: AlertQuery) async throws -> (rules: [AlertRule], next: PageCursor?) {
        try await AlertListReads.alerts(query, on: store.readSQL())
    }

    public func count() async throws -> Int {
        try await AlertModel.query(on: store.db()).count()
    }

    public func loadActive() async throws -> [AlertRule] {
        // In pages, so a large book never has all its Fluent models alive at once.
        var rules: [AlertRule] = []
        var after: (Int64, UUID)?
        let db = try store.db()
        while true {
            let query = AlertModel.query(on: db).filter(\.$status == AlertStatus.active.rawValue)
            if let (time, id) = after {
                query.group(.or) { group in
                    group.filter(\.$createdAtMs > time)
                    group.group(.and) { $0.filter(\.$createdAtMs == time).filter(\.$id > id) }
                }
            }
            let page = try await query.sort(\.$createdAtMs).sort(\.$id).limit(2_000).all()
            rules += try page.map(AlertMapping.rule(from:))
            guard page.count == 2_000, let last = page.last, let id = last.id else { return rules }
            after = (last.createdAtMs, id)
        }
    }

    public func record(_ evaluation: AlertEvaluation, outbox: @escaping @Sendable (AlertFiring) -> OutboxMessage?) async throws -> [AlertFiring] {
        guard !evaluation.isEmpty else { return [] }
        return try await store.db().transaction { db in
            for rule in evaluation.expired { _ = try await Self.save(rule, on: db) }
            var stored: [AlertFiring] = []
            for firing in evaluation.firings {
                let exists = try await AlertTriggerModel.query(on: db)
                    .filter(\.$alertID == firing.alertID).filter(\.$sequence == firing.sequence).count() > 0
                guard !exists, try await Self.save(firing.rule, on: db) else { continue }
                let model = AlertTriggerModel()
                model.id = UUID()
                AlertMapping.copy(firing, into: model)
                try await model.create(on: db)
                if let message = outbox(firing) { _ = try await FluentOutboxRepository.insert(message, on: db) }
                stored.append(firing)
            }
            // Side changes without a firing touch only the engine's state columns: one statement each.
            for rule in evaluation.changed {
                try await AlertModel.query(on: db).filter(\.$id == rule.id)
                    .set(\.$lastSide, to: rule.lastSide.rawValue)
                    .set(\.$status, to: rule.status.rawValue)
                    .set(\.$updatedAtMs, to: rule.updatedAt.epochMilliseconds)
                    .update()
            }
            return stored
        }
    }

    public func triggers(_ query: AlertTriggerQuery) async throws -> (triggers: [AlertTrigger], next: PageCursor?) {
        try await AlertListReads.triggers(query, on: store.readSQL())
    }
}

extension FluentAlertRepository {
    /// Stores many alerts in one transaction (imports and benchmarks).
    public func insert(_ rules: [AlertRule]) async throws {
        let db = try store.db()
        for start in stride(from: 0, to: rules.count, by: 1_000) {
            let models = rules[start..<min(start + 1_000, rules.count)].map { rule in
                let model = AlertModel()
                model.id = rule.id
                AlertMapping.copy(rule, into: model)
                return model
            }
            try await models.create(on: db)
        }
    }
}
