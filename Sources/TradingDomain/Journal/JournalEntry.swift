import Foundation

/// One trade in the journal: opened (and maybe closed) position with its plan facts and notes.
/// P&L and R multiple are derived (`JournalEntry.metrics`), never stored.
public struct JournalEntry: Sendable, Hashable, Identifiable {
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        case manual
        case execution
        /// Read from a fills file (`POST /api/v1/journal/import`).
        case imported
    }

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case closed
    }

    public var id: UUID
    public var symbol: Symbol
    public var assetClass: AssetClass
    public var side: Side
    public var entryPrice: Decimal
    public var exitPrice: Decimal?
    public var quantity: Decimal
    public var stop: Decimal?
    public var targets: [Decimal]
    public var fees: Decimal
    public var tags: [String]
    public var notes: String
    public var openedAt: Date
    public var closedAt: Date?
    public var source: Source
    public var planID: UUID?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, symbol: Symbol, assetClass: AssetClass, side: Side,
        entryPrice: Decimal, exitPrice: Decimal?, quantity: Decimal, stop: Decimal?, targets: [Decimal],
        fees: Decimal, tags: [String], notes: String, openedAt: Date, closedAt: Date?,
        source: Source, planID: UUID?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.symbol = symbol
        self.assetClass = assetClass
        self.side = side
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.quantity = quantity
        self.stop = stop
        self.targets = targets
        self.fees = fees
        self.tags = tags
        self.notes = notes
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.source = source
        self.planID = planID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var status: Status { exitPrice == nil ? .open : .closed }

    public var metrics: JournalMetrics { JournalMetrics(self) }
}

/// Derived numbers of a journal entry. All exact `Decimal` arithmetic.
///
/// - `gross_pnl` = (exit − entry) × quantity × multiplier × side sign
/// - `pnl` = gross − fees
/// - `initial_risk` = |entry − stop| × quantity × multiplier (nil without a stop)
/// - `r_multiple` = pnl ÷ initial_risk, rounded to 2 places (nil when open or without a stop)
public struct JournalMetrics: Sendable, Hashable {
    public var grossPnL: Decimal?
    public var pnl: Decimal?
    public var initialRisk: Decimal?
    public var rMultiple: Decimal?
    public var returnPct: Decimal?

    public init(_ entry: JournalEntry) {
        let units = entry.quantity * Decimal(entry.assetClass.multiplier)
        if let stop = entry.stop, stop != entry.entryPrice {
            initialRisk = (entry.entryPrice - stop).magnitudeValue * units
        }
        guard let exit = entry.exitPrice else { return }
        let gross = (exit - entry.entryPrice) * units * Decimal(entry.side.sign)
        grossPnL = gross
        let net = gross - entry.fees
        pnl = net
        if let risk = initialRisk, risk > 0 {
            rMultiple = (net / risk).rounded(scale: 2)
        }
        let cost = entry.entryPrice * units
        if cost > 0 {
            returnPct = (net / cost * 100).rounded(scale: 2)
        }
    }
}
