import Foundation

/// An open execution-sourced journal entry and how much of it has been closed so far.
public struct OpenExecution: Sendable, Hashable {
    public var entry: JournalEntry
    public var closedQuantity: Decimal
    /// Σ closing quantity × price, for the average exit price.
    public var closedNotional: Decimal

    public init(entry: JournalEntry, closedQuantity: Decimal = 0, closedNotional: Decimal = 0) {
        self.entry = entry
        self.closedQuantity = closedQuantity
        self.closedNotional = closedNotional
    }

    public var remaining: Decimal { entry.quantity - closedQuantity }
}

/// The part of a fill that opened or closed one journal entry.
public struct ExecutionLeg: Sendable, Hashable {
    public enum Effect: String, Sendable, Hashable, Codable {
        case open
        case close
    }

    public var entryID: UUID
    public var effect: Effect
    public var quantity: Decimal
    public var price: Decimal

    public init(entryID: UUID, effect: Effect, quantity: Decimal, price: Decimal) {
        self.entryID = entryID
        self.effect = effect
        self.quantity = quantity
        self.price = price
    }
}

/// Journals executions: a fill opens or extends the open entry of its symbol, or reduces and at
/// last closes it (exit = average of the closing fills, fees = all commissions, P&L and R from
/// the entry's stop, which comes from the linked plan). A fill larger than the open position
/// closes it and opens a new entry on the other side with the rest.
public enum ExecutionJournal {
    public struct Result: Sendable, Hashable {
        /// Entries to insert or replace (by id).
        public var entries: [JournalEntry]
        public var legs: [ExecutionLeg]
        /// The open execution state after the fill (nil when the position is flat).
        public var open: OpenExecution?
    }

    public static let priceScale = 6

    public static func apply(
        _ fill: Fill, to open: OpenExecution?, plan: SavedPlan?, planID: UUID?, now: Date, newID: () -> UUID
    ) -> Result {
        let buying = fill.action.isBuy
        guard var current = open else {
            let entry = newEntry(fill, quantity: fill.quantity, commission: fill.commission, plan: plan, planID: planID, now: now, id: newID())
            return Result(entries: [entry], legs: [leg(entry.id, .open, fill.quantity, fill)], open: OpenExecution(entry: entry))
        }
        if (current.entry.side == .long) == buying {
            // Same direction: extend, with a weighted average entry price.
            var entry = current.entry
            let total = entry.quantity + fill.quantity
            entry.entryPrice = ((entry.entryPrice * entry.quantity + fill.price * fill.quantity) / total).rounded(scale: priceScale)
            entry.quantity = total
            entry.fees += fill.commission
            entry.updatedAt = now
            current.entry = entry
            return Result(entries: [entry], legs: [leg(entry.id, .open, fill.quantity, fill)], open: current)
        }
        // Opposite direction: reduce, maybe close, maybe flip.
        let closing = min(fill.quantity, current.remaining)
        let rest = fill.quantity - closing
        let closingCommission = rest > 0 ? (fill.commission * closing / fill.quantity).rounded(scale: 2) : fill.commission
        var entry = current.entry
        current.closedQuantity += closing
        current.closedNotional += closing * fill.price
        entry.fees += closingCommission
        entry.updatedAt = now
        var legs = [leg(entry.id, .close, closing, fill)]
        var entries: [JournalEntry] = []
        var after: OpenExecution?
        if current.closedQuantity >= entry.quantity {
            entry.exitPrice = (current.closedNotional / entry.quantity).rounded(scale: priceScale)
            entry.closedAt = fill.time
        } else {
            current.entry = entry
            after = current
        }
        entries.append(entry)
        if rest > 0 {
            let flipped = newEntry(fill, quantity: rest, commission: fill.commission - closingCommission, plan: nil, planID: nil, now: now, id: newID())
            entries.append(flipped)
            legs.append(leg(flipped.id, .open, rest, fill))
            after = OpenExecution(entry: flipped)
        }
        return Result(entries: entries, legs: legs, open: after)
    }

    static func leg(_ id: UUID, _ effect: ExecutionLeg.Effect, _ quantity: Decimal, _ fill: Fill) -> ExecutionLeg {
        ExecutionLeg(entryID: id, effect: effect, quantity: quantity, price: fill.price)
    }

    static func newEntry(
        _ fill: Fill, quantity: Decimal, commission: Decimal, plan: SavedPlan?, planID: UUID?, now: Date, id: UUID
    ) -> JournalEntry {
        let side: Side = fill.action.isBuy ? .long : .short
        // The plan's stop and targets apply only when the plan is for this symbol and side.
        let matching = plan.flatMap { $0.plan.symbol == fill.symbol && $0.plan.side == side ? $0 : nil }
        return JournalEntry(
            id: id, symbol: fill.symbol, assetClass: fill.assetClass, side: side,
            entryPrice: fill.price, exitPrice: nil, quantity: quantity,
            stop: matching?.plan.stop, targets: matching?.plan.targets ?? [], fees: commission,
            tags: ["execution"], notes: "Opened by order \(fill.clientOrderID).",
            openedAt: fill.time, closedAt: nil, source: .execution, planID: matching?.id ?? planID,
            createdAt: now, updatedAt: now)
    }
}
