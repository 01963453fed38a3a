import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Journal entries, listed newest first with keyset (cursor) pagination.
public struct FluentJournalRepository: JournalRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func insert(_ entry: JournalEntry) async throws {
        let model = JournalEntryModel()
        model.id = entry.id
        JournalMapping.copy(entry, into: model)
        try await model.create(on: store.db())
    }

    public func find(id: UUID) async throws -> JournalEntry? {
        try await JournalEntryModel.find(id, on: store.db()).map(JournalMapping.entry(from:))
    }

    public func update(_ entry: JournalEntry) async throws -> Bool {
        let db = try store.db()
        guard let model = try await JournalEntryModel.find(entry.id, on: db) else { return false }
        JournalMapping.copy(entry, into: model)
        try await model.update(on: db)
        return true
    }

    public func delete(id: UUID) async throws -> Bool {
        let db = try store.db()
        guard let model = try await JournalEntryModel.find(id, on: db) else { return false }
        try await model.delete(on: db)
        return true
    }

    public func list(_ query: JournalQuery) async throws -> JournalPage {
        let builder = JournalEntryModel.query(on: try store.db())
        if let symbol = query.symbol { builder.filter(\.$symbol == symbol.rawValue) }
        if let tag = query.tag { builder.filter(\.$tags ~~ ",\(tag),") }
        if let status = query.status { builder.filter(\.$isOpen == (status == .open)) }
        if let from = query.from { builder.filter(\.$openedAtMs >= from.epochMilliseconds) }
        if let to = query.to { builder.filter(\.$openedAtMs < to.epochMilliseconds) }
        let page = try await builder.newestFirstPage(time: \.$openedAtMs, after: query.after, limit: query.limit)
        let entries = try page.rows.map(JournalMapping.entry(from:))
        let next = page.next
        return JournalPage(entries: entries, nextCursor: next)
    }
}

extension FluentJournalRepository {
    public func importedFillIDs(among ids: [String]) async throws -> Set<String> {
        var found = Set<String>()
        let db = try store.db()
        // In chunks, so the IN list stays well under the databases' parameter limits.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await ImportedFillModel.query(on: db).filter(\.$fillID ~~ chunk).all() { found.insert(row.fillID) }
        }
        return found
    }

    public func saveImport(entries: [JournalEntry], legs: [ImportedLeg]) async throws {
        try await store.db().transaction { db in
            for entry in entries {
                let model = JournalEntryModel()
                model.id = entry.id
                JournalMapping.copy(entry, into: model)
                try await model.create(on: db)
            }
            for leg in legs {
                let row = ImportedFillModel()
                row.id = UUID()
                row.fillID = leg.fillID
                row.entryID = leg.leg.entryID
                row.effect = leg.leg.effect.rawValue
                row.quantity = DecimalColumns.text(leg.leg.quantity)
                row.price = DecimalColumns.text(leg.leg.price)
                row.line = leg.line
                row.filledAtMs = leg.time.epochMilliseconds
                try await row.create(on: db)
            }
        }
    }

    public func importedFills(entryID: UUID) async throws -> [TradeFill] {
        try await ImportedFillModel.query(on: store.db()).filter(\.$entryID == entryID).all().compactMap { row -> TradeFill? in
            guard let effect = ExecutionLeg.Effect(rawValue: row.effect) else { return nil }
            return TradeFill(
                fillID: row.fillID, clientOrderID: "import", effect: effect,
                quantity: try DecimalColumns.decimal(row.quantity, column: "quantity", row: row.id),
                price: try DecimalColumns.decimal(row.price, column: "price", row: row.id),
                time: Date(epochMilliseconds: row.filledAtMs))
        }.sorted { ($0.time, $0.fillID) < ($1.time, $1.fillID) }
    }
}

/// Model <-> domain mapping of journal entries.
enum JournalMapping {
    static func copy(_ entry: JournalEntry, into model: JournalEntryModel) {
        model.symbol = entry.symbol.rawValue
        model.assetClass = entry.assetClass.rawValue
        model.side = entry.side.rawValue
        model.entryPrice = DecimalColumns.text(entry.entryPrice)
        model.exitPrice = entry.exitPrice.map(DecimalColumns.text)
        model.quantity = DecimalColumns.text(entry.quantity)
        model.stop = entry.stop.map(DecimalColumns.text)
        model.targets = DecimalColumns.listText(entry.targets)
        model.fees = DecimalColumns.text(entry.fees)
        model.tags = entry.tags.isEmpty ? "" : "," + entry.tags.joined(separator: ",") + ","
        model.notes = entry.notes
        model.isOpen = entry.status == .open
        model.openedAtMs = entry.openedAt.epochMilliseconds
        model.closedAtMs = entry.closedAt?.epochMilliseconds
        model.source = entry.source.rawValue
        model.planID = entry.planID
        model.createdAtMs = entry.createdAt.epochMilliseconds
        model.updatedAtMs = entry.updatedAt.epochMilliseconds
    }

    static func entry(from model: JournalEntryModel) throws -> JournalEntry {
        func decimal(_ text: String, _ name: String) throws -> Decimal {
            try DecimalColumns.decimal(text, column: name, row: model.id)
        }
        guard let id = model.id,
              let assetClass = AssetClass(rawValue: model.assetClass),
              let side = Side(rawValue: model.side),
              let source = JournalEntry.Source(rawValue: model.source)
        else {
            throw StoredDataError("journal entry \(model.id?.uuidString ?? "?") has an unreadable column")
        }
        return JournalEntry(
            id: id,
            symbol: Symbol(trusted: model.symbol),
            assetClass: assetClass,
            side: side,
            entryPrice: try decimal(model.entryPrice, "entry_price"),
            exitPrice: try model.exitPrice.map { try decimal($0, "exit_price") },
            quantity: try decimal(model.quantity, "quantity"),
            stop: try model.stop.map { try decimal($0, "stop") },
            targets: try DecimalColumns.list(model.targets, column: "targets", row: model.id),
            fees: try decimal(model.fees, "fees"),
            tags: model.tags.split(separator: ",").map(String.init),
            notes: model.notes,
            openedAt: Date(epochMilliseconds: model.openedAtMs),
            closedAt: model.closedAtMs.map(Date.init(epochMilliseconds:)),
            source: source,
            planID: model.planID,
            createdAt: Date(epochMilliseconds: model.createdAtMs),
            updatedAt: Date(epochMilliseconds: model.updatedAtMs)
        )
    }
}
