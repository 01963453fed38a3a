import Foundation
import TradingDomain

/// A risk breach episode's alert firing, stored once (the episode id is unique).
public struct RiskFiring: Sendable, Hashable, Identifiable {
    public var id: String { episodeID }
    public var episodeID: String
    public var kind: RiskLimitKind
    public var symbol: Symbol?
    public var value: Decimal
    public var limit: Decimal
    public var message: String
    /// The risk mode after the breach (`halted`, `reducing`).
    public var mode: RiskMode
    public var time: Date

    public init(episodeID: String, kind: RiskLimitKind, symbol: Symbol?, value: Decimal, limit: Decimal, message: String, mode: RiskMode, time: Date) {
        self.episodeID = episodeID
        self.kind = kind
        self.symbol = symbol
        self.value = value
        self.limit = limit
        self.message = message
        self.mode = mode
        self.time = time
    }
}

/// Storage of the risk state and its firings.
public protocol RiskRepository: Sendable {
    func loadState() async throws -> RiskState?
    /// Stores the state, the new firings (each once, by episode id) and their notifications in one
    /// transaction. Returns the firings stored now.
    func save(_ state: RiskState, firings: [RiskFiring], outbox: [OutboxMessage]) async throws -> [RiskFiring]
    func firings(limit: Int) async throws -> [RiskFiring]
}
