import Foundation

/// What the discipline flags measure against (docs/journal.md, "Discipline flags").
public struct DisciplineRules: Sendable, Hashable {
    public static let afterLossesRange = 1...10

    /// A trade opened after this many losing trades in a row is flagged.
    public var afterLosses: Int
    /// The risk budget of one trade in money (equity × risk per trade %); nil skips `oversize`.
    public var riskBudget: Decimal?
    /// The linked plans by id (for `stop_moved_away`).
    public var plans: [UUID: TradePlan]

    public init(afterLosses: Int = 2, riskBudget: Decimal? = nil, plans: [UUID: TradePlan] = [:]) {
        self.afterLosses = afterLosses
        self.riskBudget = riskBudget
        self.plans = plans
    }
}

/// One rule a trade broke.
public struct DisciplineFlag: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Encodable {
        /// Opened after `afterLosses` losing trades in a row (closed before it opened).
        case afterLosses = "after_losses"
        /// Initial risk above the risk budget.
        case oversize
        /// No stop recorded.
        case noStop = "no_stop"
        /// The stop is farther from the entry than the linked plan's.
        case stopMovedAway = "stop_moved_away"
    }

    public var entryID: UUID
    public var symbol: String
    public var kind: Kind
    public var detail: String
    public var openedAt: Date
    public var pnl: Decimal?
    public var r: Decimal?

    enum CodingKeys: String, CodingKey {
        case entryID = "entry_id"
        case symbol, flag, detail
        case openedAt = "opened_at"
        case pnl, r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entryID.uuidString.lowercased(), forKey: .entryID)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(kind, forKey: .flag)
        try c.encode(detail, forKey: .detail)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(pnl, forKey: .pnl)
        try c.encode(r, forKey: .r)
    }
}

/// The closed trades with and without the ones a flag marks: "what if I had not taken them".
public struct DisciplineWhatIf: Sendable, Hashable, Encodable {
    public var flaggedTrades: Int
    public var flaggedPnL: Decimal
    public var remainingTrades: Int
    public var remainingPnL: Decimal
    /// Mean R of the remaining trades with an R (2 places); nil if none.
    public var remainingExpectancyR: Decimal?
    public var remainingWinRate: Decimal?

    enum CodingKeys: String, CodingKey {
        case flaggedTrades = "flagged_trades"
        case flaggedPnL = "flagged_pnl"
        case remainingTrades = "remaining_trades"
        case remainingPnL = "remaining_pnl"
        case remainingExpectancyR = "remaining_expectancy_r"
        case remainingWinRate = "remaining_win_rate"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(flaggedTrades, forKey: .flaggedTrades)
        try c.encode(flaggedPnL, forKey: .flaggedPnL)
        try c.encode(remainingTrades, forKey: .remainingTrades)
        try c.encode(remainingPnL, forKey: .remainingPnL)
        try c.encode(remainingExpectancyR, forKey: .remainingExpectancyR)
        try c.encode(remainingWinRate, forKey: .remainingWinRate)
    }
}

/// Every flag of a set of entries, counts by kind, and the what-if of each kind.
public struct DisciplineReport: Sendable, Hashable, Encodable {
    public var afterLosses: Int
    public var riskBudget: Decimal?
    public var counts: [String: Int]
    /// In order of the trades' opening.
    public var flags: [DisciplineFlag]
    public var whatIf: [String: DisciplineWhatIf]

    enum CodingKeys: String, CodingKey {
        case afterLosses = "after_losses"
        case riskBudget = "risk_budget"
        case counts, flags
        case whatIf = "what_if"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(afterLosses, forKey: .afterLosses)
        try c.encode(riskBudget, forKey: .riskBudget)
        try c.encode(counts, forKey: .counts)
        try c.encode(flags, forKey: .flags)
        try c.encode(whatIf, forKey: .whatIf)
    }

    public init(afterLosses: Int = 2, riskBudget: Decimal? = nil, counts: [String: Int] = [:], flags: [DisciplineFlag] = [],
                whatIf: [String: DisciplineWhatIf] = [:]) {
        self.afterLosses = afterLosses
        self.riskBudget = riskBudget
        self.counts = counts
        self.flags = flags
        self.whatIf = whatIf
    }

    public static func compute(_ entries: [JournalEntry], rules: DisciplineRules) -> DisciplineReport {
        let opened = entries.sorted { ($0.openedAt, $0.id.uuidString) < ($1.openedAt, $1.id.uuidString) }
        let closed = entries.compactMap { entry in entry.metrics.pnl.map { (entry, $0) } }
            .sorted { ($0.0.closedAt ?? $0.0.openedAt, $0.0.id.uuidString) < ($1.0.closedAt ?? $1.0.openedAt, $1.0.id.uuidString) }
        var flags: [DisciplineFlag] = []
        var next = 0, lossRun = 0
        for entry in opened {
            // The run of losses among the trades closed before this one opened.
            while next < closed.count, (closed[next].0.closedAt ?? closed[next].0.openedAt) <= entry.openedAt {
                lossRun = closed[next].1 < 0 ? lossRun + 1 : 0
                next += 1
            }
            let metrics = entry.metrics
            func flag(_ kind: DisciplineFlag.Kind, _ detail: String) {
                flags.append(DisciplineFlag(
                    entryID: entry.id, symbol: entry.symbol.rawValue, kind: kind, detail: detail, openedAt: entry.openedAt,
                    pnl: metrics.pnl, r: metrics.rMultiple))
            }
            if lossRun >= rules.afterLosses {
                flag(.afterLosses, "opened after \(lossRun) losing trades in a row")
            }
            if let budget = rules.riskBudget, budget > 0, let risk = metrics.initialRisk, risk > budget {
                flag(.oversize, "risk \(risk) is \((risk / budget).rounded(scale: 2))× the budget of \(budget)")
            }
            if entry.stop == nil {
                flag(.noStop, "no stop recorded")
            }
            if let planID = entry.planID, let plan = rules.plans[planID], plan.symbol == entry.symbol, plan.side == entry.side,
               let stop = entry.stop, (plan.stop - stop) * Decimal(entry.side.sign) > 0 {
                flag(.stopMovedAway, "stop \(stop) is farther from the entry than the plan's \(plan.stop)")
            }
        }
        var counts: [String: Int] = [:]
        var whatIf: [String: DisciplineWhatIf] = [:]
        for kind in DisciplineFlag.Kind.allCases {
            let marked = Set(flags.filter { $0.kind == kind }.map(\.entryID))
            counts[kind.rawValue] = marked.count
            var flagged = 0, remaining = 0, wins = 0, rCount = 0
            var flaggedPnL: Decimal = 0, remainingPnL: Decimal = 0, rSum: Decimal = 0
            for (entry, pnl) in closed {
                if marked.contains(entry.id) {
                    flagged += 1
                    flaggedPnL += pnl
                } else {
                    remaining += 1
                    remainingPnL += pnl
                    if pnl > 0 { wins += 1 }
                    if let r = entry.metrics.rMultiple {
                        rCount += 1
                        rSum += r
                    }
                }
            }
            whatIf[kind.rawValue] = DisciplineWhatIf(
                flaggedTrades: flagged, flaggedPnL: flaggedPnL, remainingTrades: remaining, remainingPnL: remainingPnL,
                remainingExpectancyR: rCount > 0 ? (rSum / Decimal(rCount)).rounded(scale: 2) : nil,
                remainingWinRate: remaining > 0 ? (Decimal(wins) / Decimal(remaining)).rounded(scale: 4) : nil)
        }
        return DisciplineReport(afterLosses: rules.afterLosses, riskBudget: rules.riskBudget, counts: counts, flags: flags, whatIf: whatIf)
    }
}
