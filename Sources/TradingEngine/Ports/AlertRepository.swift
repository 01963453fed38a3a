import Foundation
import TradingDomain

/// A stored firing, as listed by `GET /api/v1/alerts/triggers`.
public struct AlertTrigger: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var firing: AlertFiring

    public init(id: UUID, firing: AlertFiring) {
        self.id = id
        self.firing = firing
    }
}

/// Storage of alerts and their firings.
public protocol AlertRepository: Sendable {
    func insert(_ rule: AlertRule) async throws
    func find(id: UUID) async throws -> AlertRule?
    /// Replaces the stored alert; returns false when it no longer exists.
    func update(_ rule: AlertRule) async throws -> Bool
    func delete(id: UUID) async throws -> Bool
    func list(_ query: AlertQuery) async throws -> (rules: [AlertRule], next: PageCursor?)
    func count() async throws -> Int
    /// Every alert the engine must hold (status `active`).
    func loadActive() async throws -> [AlertRule]
    /// Stores what an evaluation changed, in one transaction: expired alerts, each firing (its
    /// trigger row and its alert's new state) and changed alert states. A firing already stored
    /// (same alert and sequence) is not stored again. `outbox` turns a firing into the notification
    /// to queue with it (nil: none); the message is stored in the same transaction as the firing.
    /// Returns the firings stored now.
    func record(_ evaluation: AlertEvaluation, outbox: @escaping @Sendable (AlertFiring) -> OutboxMessage?) async throws -> [AlertFiring]
    func triggers(_ query: AlertTriggerQuery) async throws -> (triggers: [AlertTrigger], next: PageCursor?)
}

extension AlertRepository {
    /// Stores an evaluation without queueing any notification.
    public func record(_ evaluation: AlertEvaluation) async throws -> [AlertFiring] {
        try await record(evaluation, outbox: { _ in nil })
    }
}
