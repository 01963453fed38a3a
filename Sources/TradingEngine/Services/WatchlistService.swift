import Foundation
import TradingDomain
import Synchronization

/// The watchlist, with change notification so the market-data feed subscribes and unsubscribes
/// live when the user edits it.
public final class WatchlistService: Sendable {
    public let repository: any WatchlistRepository
    private let observers = Mutex<[@Sendable ([Symbol]) -> Void]>([])

    public init(repository: any WatchlistRepository) {
        self.repository = repository
    }

    public func observe(_ observer: @escaping @Sendable ([Symbol]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    public func list() async throws -> [Symbol] {
        try await repository.list()
    }

    public func replace(with symbols: [Symbol]) async throws -> [Symbol] {
        try await repository.replace(with: symbols)
        return try await changed()
    }

    /// Returns whether the symbol was added (false: already there) and the new list.
    public func add(_ symbol: Symbol) async throws -> (added: Bool, symbols: [Symbol]) {
        let added = try await repository.add(symbol)
        return (added, added ? try await changed() : try await repository.list())
    }

    public func remove(_ symbol: Symbol) async throws -> Bool {
        guard try await repository.remove(symbol) else { return false }
        _ = try await changed()
        return true
    }

    private func changed() async throws -> [Symbol] {
        let symbols = try await repository.list()
        for observer in observers.withLock({ $0 }) { observer(symbols) }
        return symbols
    }
}
