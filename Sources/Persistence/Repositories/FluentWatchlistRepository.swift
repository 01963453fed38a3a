import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// The watchlist as one row per symbol with its position in the list.
public struct FluentWatchlistRepository: WatchlistRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func list() async throws -> [Symbol] {
        try await WatchlistItemModel.query(on: store.db())
            .sort(\.$position).sort(\.$id)
            .all()
            .compactMap { $0.id.map(Symbol.init(trusted:)) }
    }

    public func replace(with symbols: [Symbol]) async throws {
        let now = Date().epochMilliseconds
        try await store.db().transaction { db in
            try await WatchlistItemModel.query(on: db).delete()
            for (index, symbol) in symbols.enumerated() {
                try await WatchlistItemModel(symbol: symbol.rawValue, position: index, addedAtMs: now).create(on: db)
            }
        }
    }

    public func add(_ symbol: Symbol) async throws -> Bool {
        try await store.db().transaction { db in
            if try await WatchlistItemModel.find(symbol.rawValue, on: db) != nil { return false }
            let last = try await WatchlistItemModel.query(on: db).max(\.$position) ?? -1
            try await WatchlistItemModel(symbol: symbol.rawValue, position: last + 1, addedAtMs: Date().epochMilliseconds)
                .create(on: db)
            return true
        }
    }

    public func remove(_ symbol: Symbol) async throws -> Bool {
        try await store.db().transaction { db in
            guard let row = try await WatchlistItemModel.find(symbol.rawValue, on: db) else { return false }
            try await row.delete(on: db)
            return true
        }
    }
}
