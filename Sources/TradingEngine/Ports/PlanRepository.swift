import Foundation
import TradingDomain

/// Storage of saved trade plans, listed newest first with keyset pages.
public protocol PlanRepository: Sendable {
    func insert(_ plan: SavedPlan) async throws
    func find(id: UUID) async throws -> SavedPlan?
    /// Replaces the stored plan; returns false when it no longer exists.
    func update(_ plan: SavedPlan) async throws -> Bool
    func delete(id: UUID) async throws -> Bool
    func list(symbol: Symbol?, limit: Int, after: PageCursor?) async throws -> (plans: [SavedPlan], next: PageCursor?)
}
