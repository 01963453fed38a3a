import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Settings as one JSON document in one row, guarded by a version number.
public struct FluentSettingsRepository: SettingsRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func load() async throws -> (settings: AppSettings, version: Int) {
        guard let row = try await SettingsModel.find(SettingsModel.singletonID, on: store.db()) else {
            return (AppSettings.defaults, 0)
        }
        do {
            return (try JSONDecoder().decode(AppSettings.self, from: Data(row.document.utf8)), row.version)
        } catch {
            throw StoredDataError("stored settings could not be read: \(error)")
        }
    }

    public func save(_ settings: AppSettings, expectedVersion: Int) async throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = String(decoding: try encoder.encode(settings), as: UTF8.self)
        let now = Date().epochMilliseconds
        let db = try store.db()
        if expectedVersion == 0 {
            // First save: the insert fails on the primary key if another writer got there first.
            do {
                try await SettingsModel(document: document, version: 1, updatedAtMs: now).create(on: db)
                return true
            } catch let error as any DatabaseError where error.isConstraintFailure {
                return false
            }
        }
        // Compare-and-set on the version: the update matches no row if someone else saved first.
        // Reading back tells whether our document is the one stored (a merge patch re-applied on a
        // retry is harmless, so a false "lost" answer only costs one more round).
        try await SettingsModel.query(on: db)
            .filter(\.$id == SettingsModel.singletonID)
            .filter(\.$version == expectedVersion)
            .set(\.$document, to: document)
            .set(\.$version, to: expectedVersion + 1)
            .set(\.$updatedAtMs, to: now)
            .update()
        let after = try await SettingsModel.find(SettingsModel.singletonID, on: db)
        return after?.version == expectedVersion + 1 && after?.document == document
    }
}
