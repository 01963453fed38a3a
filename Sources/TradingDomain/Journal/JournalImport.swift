import Foundation

/// One fill read from an imported file (docs/journal.md, "Import and export").
public struct ImportedFill: Sendable, Hashable {
    /// The line of the file it came from.
    public var line: Int
    /// The broker's execution id, or a fingerprint of the fill (time, symbol, side, quantity,
    /// price) when the file has none: the key that makes a re-import add nothing.
    public var id: String
    public var symbol: Symbol
    public var action: OrderAction
    public var quantity: Decimal
    public var price: Decimal
    public var commission: Decimal
    public var time: Date
    public var stop: Decimal?
    public var targets: [Decimal]
    public var tags: [String]
    /// Fills with the same trade id form one trade; without one, fills group by symbol.
    public var tradeID: String?

    public init(
        line: Int, id: String, symbol: Symbol, action: OrderAction, quantity: Decimal, price: Decimal, commission: Decimal,
        time: Date, stop: Decimal? = nil, targets: [Decimal] = [], tags: [String] = [], tradeID: String? = nil
    ) {
        self.line = line
        self.id = id
        self.symbol = symbol
        self.action = action
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.time = time
        self.stop = stop
        self.targets = targets
        self.tags = tags
        self.tradeID = tradeID
    }

    public var fill: Fill {
        Fill(id: id, clientOrderID: "import", symbol: symbol, action: action, quantity: quantity, price: price,
             commission: commission, time: time)
    }
}

/// An imported fill as stored: which entry it opened or closed (one row per leg).
public struct ImportedLeg: Sendable, Hashable {
    public var fillID: String
    public var line: Int
    public var time: Date
    public var leg: ExecutionLeg

    public init(fillID: String, line: Int, time: Date, leg: ExecutionLeg) {
        self.fillID = fillID
        self.line = line
        self.time = time
        self.leg = leg
    }
}

/// Groups imported fills into journal trades the way live executions are grouped
/// (`ExecutionJournal`: same direction extends, opposite reduces, closes or flips), per trade id
/// when the file gives one, else per symbol, in time order. Stop, targets and tags come from
/// the trade's first fill.
public enum JournalImport {
    public struct Result: Sendable, Hashable {
        /// The trades, in the order they opened.
        public var entries: [JournalEntry]
        public var legs: [ImportedLeg]
    }

    public static func group(_ fills: [ImportedFill], format: String, now: Date, newID: () -> UUID) -> Result {
        let ordered = fills.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var open: [String: OpenExecution] = [:]
        var entries: [UUID: JournalEntry] = [:]
        var order: [UUID] = []
        var legs: [ImportedLeg] = []
        for imported in ordered {
            let key = imported.tradeID.map { "trade:" + $0 } ?? "symbol:" + imported.symbol.rawValue
            var result = ExecutionJournal.apply(imported.fill, to: open[key], plan: nil, planID: nil, now: now, newID: newID)
            for var entry in result.entries {
                if entries[entry.id] == nil {
                    entry.source = .imported
                    entry.tags = imported.tags
                    // Kept as given (the export writes an entry's own stop, which scaling in may
                    // have left on the far side of the average price).
                    entry.targets = imported.targets
                    entry.stop = imported.stop
                    entry.notes = "Imported (\(format)) from line \(imported.line)."
                    order.append(entry.id)
                }
                entries[entry.id] = entry
                if result.open?.entry.id == entry.id { result.open?.entry = entry }
            }
            open[key] = result.open
            legs += result.legs.map { ImportedLeg(fillID: imported.id, line: imported.line, time: imported.time, leg: $0) }
        }
        return Result(entries: order.compactMap { entries[$0] }, legs: legs)
    }
}

/// Writes journal entries as the generic fills CSV the import reads: an opening fill per entry
/// and a closing one per closed entry, each entry its own `trade_id`, fees on the opening fill.
public enum JournalExport {
    public static let header = ["fill_id", "trade_id", "time", "symbol", "side", "quantity", "price", "commission", "stop",
                                "target", "tags"]

    public static func csv(_ entries: [JournalEntry]) -> String {
        var lines = [CSV.line(header)]
        for entry in entries.sorted(by: { ($0.openedAt, $0.id.uuidString) < ($1.openedAt, $1.id.uuidString) }) {
            let id = entry.id.uuidString.lowercased()
            let targets = entry.targets.map { "\($0)" }.joined(separator: ";")
            let tags = entry.tags.joined(separator: ";")
            let opening = entry.side == .long ? "buy" : "sell_short"
            let closing = entry.side == .long ? "sell" : "buy_to_cover"
            lines.append(CSV.line([
                id + ":open", id, ISO8601.format(entry.openedAt), entry.symbol.rawValue, opening, "\(entry.quantity)",
                "\(entry.entryPrice)", "\(entry.fees)", entry.stop.map { "\($0)" } ?? "", targets, tags,
            ]))
            if let exit = entry.exitPrice {
                lines.append(CSV.line([
                    id + ":close", id, ISO8601.format(entry.closedAt ?? entry.openedAt), entry.symbol.rawValue, closing,
                    "\(entry.quantity)", "\(exit)", "0", "", "", "",
                ]))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
