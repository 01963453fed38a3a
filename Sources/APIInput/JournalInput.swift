import Foundation
import TradingDomain

/// Reads and validates journal entry input: a full entry for create, a merge patch for update.
/// Both report every violation at once and check the entry as a whole (stop side, dates).
public enum JournalInput {
    public static let maxQuantity: Decimal = 100_000_000
    public static let maxPrice: Decimal = 10_000_000
    public static let maxTargets = 10
    public static let maxTags = 20
    public static let maxNotesLength = 10_000

    /// Builds a new entry from a create request body.
    public static func create(
        _ body: JSONValue, id: UUID, now: Date, source: JournalEntry.Source = .manual
    ) throws(ValidationFailure) -> JournalEntry {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        func required<T>(_ key: String, _ presence: ObjectReader.Presence<T>) -> T? {
            switch presence {
            case .value(let value): return value
            case .null, .absent:
                if !errors.errors.contains(where: { $0.field == key }) { errors.add(key, "is required") }
                return nil
            }
        }
        let symbol = required("symbol", reader.symbol("symbol", errors: &errors))
        let side = required("side", reader.enumeration("side", Side.self, errors: &errors))
        let entryPrice = required("entry_price", price("entry_price", &reader, &errors))
        let quantity = required("quantity", reader.decimal(
            "quantity", errors: &errors, min: 0, minExclusive: true, max: maxQuantity, maxScale: 6))
        let draft = JournalEntry(
            id: id,
            symbol: symbol ?? Symbol(trusted: "X"),
            assetClass: reader.enumeration("asset_class", AssetClass.self, errors: &errors).value
                ?? (symbol?.isOption == true ? .option : .equity),
            side: side ?? .long,
            entryPrice: entryPrice ?? 0,
            exitPrice: price("exit_price", &reader, &errors).value,
            quantity: quantity ?? 0,
            stop: price("stop", &reader, &errors).value,
            targets: targets(&reader, &errors).value ?? [],
            fees: fees(&reader, &errors).value ?? 0,
            tags: tags(&reader, &errors).value ?? [],
            notes: reader.string("notes", errors: &errors, maxLength: maxNotesLength).value ?? "",
            openedAt: reader.date("opened_at", errors: &errors).value ?? now,
            closedAt: reader.date("closed_at", errors: &errors).value,
            source: source,
            planID: uuid("plan_id", &reader, &errors).value,
            createdAt: now,
            updatedAt: now
        )
        reader.ignore("id", "status", "source", "created_at", "updated_at", "pnl", "gross_pnl", "r_multiple",
                      "initial_risk", "return_pct")
        reader.rejectUnknownKeys(errors: &errors)
        var entry = draft
        if entry.exitPrice != nil && entry.closedAt == nil { entry.closedAt = now }
        if errors.isEmpty { checkWhole(entry, errors: &errors) }
        try errors.throwIfAny()
        return entry
    }

    /// Applies a merge patch to an existing entry. `null` clears optional fields (exit, stop, plan).
    public static func update(
        _ entry: JournalEntry, patch: JSONValue, now: Date
    ) throws(ValidationFailure) -> JournalEntry {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(patch, errors: &errors) else { throw ValidationFailure(errors.errors) }
        var result = entry
        reader.symbol("symbol", errors: &errors).applyRequired("symbol", errors: &errors) { result.symbol = $0 }
        reader.enumeration("asset_class", AssetClass.self, errors: &errors)
            .applyRequired("asset_class", errors: &errors) { result.assetClass = $0 }
        reader.enumeration("side", Side.self, errors: &errors).applyRequired("side", errors: &errors) { result.side = $0 }
        price("entry_price", &reader, &errors).applyRequired("entry_price", errors: &errors) { result.entryPrice = $0 }
        let exitChange = price("exit_price", &reader, &errors)
        exitChange.applyOptional { result.exitPrice = $0 }
        reader.decimal("quantity", errors: &errors, min: 0, minExclusive: true, max: maxQuantity, maxScale: 6)
            .applyRequired("quantity", errors: &errors) { result.quantity = $0 }
        price("stop", &reader, &errors).applyOptional { result.stop = $0 }
        targets(&reader, &errors).applyOptional { result.targets = $0 ?? [] }
        fees(&reader, &errors).applyOptional { result.fees = $0 ?? 0 }
        tags(&reader, &errors).applyOptional { result.tags = $0 ?? [] }
        reader.string("notes", errors: &errors, maxLength: maxNotesLength).applyOptional { result.notes = $0 ?? "" }
        reader.date("opened_at", errors: &errors).applyRequired("opened_at", errors: &errors) { result.openedAt = $0 }
        let closedChange = reader.date("closed_at", errors: &errors)
        closedChange.applyOptional { result.closedAt = $0 }
        uuid("plan_id", &reader, &errors).applyOptional { result.planID = $0 }
        reader.ignore("id", "status", "source", "created_at", "updated_at", "pnl", "gross_pnl", "r_multiple",
                      "initial_risk", "return_pct")
        reader.rejectUnknownKeys(errors: &errors)
        // Reopening clears the close time; closing without a time closes now.
        if result.exitPrice == nil, closedChange.isAbsent { result.closedAt = nil }
        if result.exitPrice != nil, result.closedAt == nil { result.closedAt = now }
        if errors.isEmpty { checkWhole(result, errors: &errors) }
        try errors.throwIfAny()
        result.updatedAt = now
        return result
    }

    // MARK: rules across fields

    static func checkWhole(_ entry: JournalEntry, errors: inout FieldErrors) {
        if entry.assetClass == .option && !entry.quantity.isWhole {
            errors.add("quantity", "must be a whole number of contracts for options")
        }
        if entry.assetClass == .option && !entry.symbol.isOption {
            errors.add("asset_class", "is 'option' but the symbol is not an OCC option symbol")
        }
        if let stop = entry.stop {
            switch entry.side {
            case .long where stop >= entry.entryPrice:
                errors.add("stop", "must be below the entry price for a long")
            case .short where stop <= entry.entryPrice:
                errors.add("stop", "must be above the entry price for a short")
            default: break
            }
        }
        for (index, target) in entry.targets.enumerated() {
            let wrongSide = entry.side == .long ? target <= entry.entryPrice : target >= entry.entryPrice
            if wrongSide {
                errors.add("targets[\(index)]",
                           "must be \(entry.side == .long ? "above" : "below") the entry price for a \(entry.side.rawValue)")
            }
        }
        if entry.closedAt != nil && entry.exitPrice == nil {
            errors.add("closed_at", "requires exit_price")
        }
        if let closed = entry.closedAt, closed < entry.openedAt {
            errors.add("closed_at", "must not be before opened_at")
        }
        if entry.fees < 0 { errors.add("fees", "must be at least 0") }
    }

    // MARK: field readers

    static func price(_ key: String, _ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<Decimal> {
        reader.decimal(key, errors: &errors, min: 0, minExclusive: true, max: maxPrice, maxScale: 6)
    }

    static func fees(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<Decimal> {
        reader.decimal("fees", errors: &errors, min: 0, max: maxPrice, maxScale: 4)
    }

    static func targets(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<[Decimal]> {
        switch reader.array("targets", errors: &errors, maxCount: maxTargets) {
        case .absent: return .absent
        case .null: return .null
        case .value(let items):
            var prices: [Decimal] = []
            for (index, item) in items.enumerated() {
                if case .number(let value) = item, value > 0, value <= maxPrice, value.fractionDigits <= 6 {
                    prices.append(value)
                } else {
                    errors.add("targets[\(index)]", "must be a price greater than 0 and at most \(maxPrice)")
                }
            }
            return .value(prices)
        }
    }

    /// Tags are normalised (trimmed, lower-cased, spaces to '-') and must then be 1-32 of a-z, 0-9, '-'.
    static func tags(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<[String]> {
        switch reader.array("tags", errors: &errors, maxCount: maxTags) {
        case .absent: return .absent
        case .null: return .null
        case .value(let items):
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item, let tag = normalizeTag(text) else {
                    errors.add("tags[\(index)]", "must be 1-32 characters of a-z, 0-9 and '-'")
                    continue
                }
                if !result.contains(tag) { result.append(tag) }
            }
            return .value(result)
        }
    }

    public static func normalizeTag(_ text: String) -> String? {
        let tag = text.trimmingWhitespace().lowercased().replacingOccurrences(of: " ", with: "-")
        guard (1...32).contains(tag.count),
              tag.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return tag
    }

    static func uuid(_ key: String, _ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<UUID> {
        switch reader.string(key, errors: &errors, maxLength: 64) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            guard let id = UUID(uuidString: text) else {
                errors.add(key, "must be a UUID")
                return .absent
            }
            return .value(id)
        }
    }
}
