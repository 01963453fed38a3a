import Foundation

/// A trade plan the trader kept, so an order and later its journal entry can point back to it.
/// Only plans that pass `PlanValidator` are saved.
public struct SavedPlan: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var plan: TradePlan
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, plan: TradePlan, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.plan = plan
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
