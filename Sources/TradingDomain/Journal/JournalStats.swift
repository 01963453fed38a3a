import Foundation

/// Performance statistics of a set of journal entries, computed over the CLOSED entries only
/// (open entries are only counted, in `openTrades`).
///
/// A trade is a win when its net P&L (`JournalMetrics.pnl`, after fees) is > 0, a loss when < 0 and
/// breakeven when exactly 0. Money figures are exact `Decimal` sums; averages (a sum ÷ a count)
/// are rounded to 4 places. Ratios are rounded to 4 places, percents and R values to 2, half away from zero.
/// Trades are taken in order of `closedAt` (falling back to `openedAt`), then `id`, so the result
/// does not depend on the order of the input.
public struct JournalStats: Sendable, Hashable, Encodable {
    /// Closed trades.
    public var trades: Int
    public var wins: Int
    public var losses: Int
    public var breakeven: Int
    /// Open entries; they take no part in any other figure.
    public var openTrades: Int
    /// Wins ÷ trades as a fraction 0–1 (4 places); nil without trades.
    public var winRate: Decimal?
    /// Mean P&L of the wins; nil without wins.
    public var averageWin: Decimal?
    /// Mean P&L of the losses, a negative number; nil without losses.
    public var averageLoss: Decimal?
    /// Largest single win; nil without wins.
    public var largestWin: Decimal?
    /// Largest single loss, a negative number; nil without losses.
    public var largestLoss: Decimal?
    /// Sum of the net P&L of the closed trades.
    public var totalPnL: Decimal
    /// Sum of the fees of the closed trades (already deducted in `totalPnL`).
    public var totalFees: Decimal
    /// Mean net P&L per closed trade in money; nil without trades.
    public var expectancy: Decimal?
    /// Mean R multiple over the `rTrades` trades that have one (a stop); 2 places; nil if none.
    public var expectancyR: Decimal?
    /// The same mean R as `expectancyR` (2 places), under the name the dashboard shows.
    public var averageR: Decimal?
    /// Closed trades with an R multiple (those with a stop away from the entry).
    public var rTrades: Int
    /// Gross wins ÷ |gross losses| (4 places); nil without losses.
    public var profitFactor: Decimal?
    /// Largest peak-to-trough fall of the cumulative P&L (the curve starts at 0), as a positive amount.
    public var maxDrawdown: Decimal
    /// Largest fall as a percent (2 places) of `startingEquity` + cumulative P&L at the peak;
    /// nil without a positive `startingEquity`.
    public var maxDrawdownPct: Decimal?
    /// The starting equity the curve's `equity` is based on, as given.
    public var startingEquity: Decimal?
    /// One point per closed trade, in order.
    public var equityCurve: [EquityPoint]
    /// Closed trades grouped by symbol.
    public var bySymbol: [String: JournalStatsGroup]
    /// Closed trades grouped by tag; a trade counts under each of its tags, untagged trades nowhere.
    public var byTag: [String: JournalStatsGroup]
    /// Closed trades by weekday of the entry (`mon`…`sun`, New York).
    public var byWeekday: [String: JournalStatsGroup] = [:]
    /// Closed trades by hour of the entry (`00`…`23`, New York).
    public var byHour: [String: JournalStatsGroup] = [:]
    /// Closed trades by setup: the tags (the same groups as `byTag`).
    public var bySetup: [String: JournalStatsGroup] = [:]
    /// Closed trades by the session of the entry (`pre`, `regular`, `post`, `closed`).
    public var bySession: [String: JournalStatsGroup] = [:]
    /// Trades with an R multiple in bins of 0.5 R, from the lowest to the highest occupied bin.
    public var rHistogram: [RHistogramBin] = []
    /// MAE/MFE of the closed trades that have a review.
    public var maeMfe: [ExcursionPoint] = []
    public var streaks = Streaks()
    /// Trades that broke a rule (after N losses, oversize, no stop, stop moved away) and the what-if
    /// of each rule, over every selected entry (open ones included).
    public var discipline = DisciplineReport()

    /// Statistics of `entries`; `startingEquity` adds `equity` to the curve and `maxDrawdownPct`.
    public static func compute(
        _ entries: [JournalEntry], startingEquity: Decimal? = nil, calendar: MarketCalendar = MarketCalendar(),
        reviews: [UUID: TradeReview] = [:], rules: DisciplineRules = DisciplineRules()
    ) -> JournalStats {
        var closed: [(entry: JournalEntry, time: Date, key: String, pnl: Decimal, r: Decimal?)] = []
        var openTrades = 0
        for entry in entries {
            let metrics = entry.metrics
            guard let pnl = metrics.pnl else {
                openTrades += 1
                continue
            }
            closed.append((entry, entry.closedAt ?? entry.openedAt, entry.id.uuidString, pnl, metrics.rMultiple))
        }
        closed.sort { ($0.time, $0.key) < ($1.time, $1.key) }

        var all = Tally(), symbols: [String: Tally] = [:], tags: [String: Tally] = [:]
        var curve: [EquityPoint] = []
        curve.reserveCapacity(closed.count)
        var cumulative: Decimal = 0, peak: Decimal = 0, maxDrawdown: Decimal = 0
        let equityBase = startingEquity.flatMap { $0 > 0 ? $0 : nil }
        var worstFraction: Decimal = 0
        for trade in closed {
            all.add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            symbols[trade.entry.symbol.rawValue, default: Tally()].add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            for tag in Set(trade.entry.tags) {
                tags[tag, default: Tally()].add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            }
            cumulative += trade.pnl
            peak = max(peak, cumulative)
            let drawdown = peak - cumulative
            maxDrawdown = max(maxDrawdown, drawdown)
            if let base = equityBase {
                worstFraction = max(worstFraction, drawdown / (base + peak))
            }
            curve.append(EquityPoint(
                entryID: trade.entry.id, time: trade.time, pnl: trade.pnl, cumulativePnL: cumulative,
                equity: startingEquity.map { $0 + cumulative }, drawdown: drawdown))
        }

        var stats = JournalStats(
            trades: all.trades, wins: all.wins, losses: all.losses, breakeven: all.breakeven,
            openTrades: openTrades, winRate: all.winRate,
            averageWin: all.wins > 0 ? (all.grossWins / Decimal(all.wins)).rounded(scale: 4) : nil,
            averageLoss: all.losses > 0 ? (all.grossLosses / Decimal(all.losses)).rounded(scale: 4) : nil,
            largestWin: all.largestWin, largestLoss: all.largestLoss,
            totalPnL: all.totalPnL, totalFees: all.fees,
            expectancy: all.trades > 0 ? (all.totalPnL / Decimal(all.trades)).rounded(scale: 4) : nil,
            expectancyR: all.expectancyR, averageR: all.expectancyR, rTrades: all.rTrades,
            profitFactor: all.profitFactor, maxDrawdown: maxDrawdown,
            maxDrawdownPct: equityBase == nil ? nil : (worstFraction * 100).rounded(scale: 2),
            startingEquity: startingEquity, equityCurve: curve,
            bySymbol: symbols.mapValues(\.group), byTag: tags.mapValues(\.group))
        stats.addViews(closed.map { ($0.entry, $0.pnl, $0.r) }, calendar: calendar, reviews: reviews)
        stats.discipline = DisciplineReport.compute(entries, rules: rules)
        return stats
    }

    enum CodingKeys: String, CodingKey {
        case trades, wins, losses, breakeven
        case openTrades = "open_trades"
        case winRate = "win_rate"
        case averageWin = "average_win"
        case averageLoss = "average_loss"
        case largestWin = "largest_win"
        case largestLoss = "largest_loss"
        case totalPnL = "total_pnl"
        case totalFees = "total_fees"
        case expectancy
        case expectancyR = "expectancy_r"
        case averageR = "average_r"
        case rTrades = "r_trades"
        case profitFactor = "profit_factor"
        case maxDrawdown = "max_drawdown"
        case maxDrawdownPct = "max_drawdown_pct"
        case startingEquity = "starting_equity"
        case equityCurve = "equity_curve"
        case bySymbol = "by_symbol"
        case byTag = "by_tag"
        case byWeekday = "by_weekday"
        case byHour = "by_hour"
        case bySetup = "by_setup"
        case bySession = "by_session"
        case rHistogram = "r_histogram"
        case maeMfe = "mae_mfe"
        case streaks, discipline
    }

    // Optionals are written as explicit nulls so clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trades, forKey: .trades)
        try c.encode(wins, forKey: .wins)
        try c.encode(losses, forKey: .losses)
        try c.encode(breakeven, forKey: .breakeven)
        try c.encode(openTrades, forKey: .openTrades)
        try c.encode(winRate, forKey: .winRate)
        try c.encode(averageWin, forKey: .averageWin)
        try c.encode(averageLoss, forKey: .averageLoss)
        try c.encode(largestWin, forKey: .largestWin)
        try c.encode(largestLoss, forKey: .largestLoss)
        try c.encode(totalPnL, forKey: .totalPnL)
        try c.encode(totalFees, forKey: .totalFees)
        try c.encode(expectancy, forKey: .expectancy)
        try c.encode(expectancyR, forKey: .expectancyR)
        try c.encode(averageR, forKey: .averageR)
        try c.encode(rTrades, forKey: .rTrades)
        try c.encode(profitFactor, forKey: .profitFactor)
        try c.encode(maxDrawdown, forKey: .maxDrawdown)
        try c.encode(maxDrawdownPct, forKey: .maxDrawdownPct)
        try c.encode(startingEquity, forKey: .startingEquity)
        try c.encode(equityCurve, forKey: .equityCurve)
        try c.encode(bySymbol, forKey: .bySymbol)
        try c.encode(byTag, forKey: .byTag)
        try c.encode(byWeekday, forKey: .byWeekday)
        try c.encode(byHour, forKey: .byHour)
        try c.encode(bySetup, forKey: .bySetup)
        try c.encode(bySession, forKey: .bySession)
        try c.encode(rHistogram, forKey: .rHistogram)
        try c.encode(maeMfe, forKey: .maeMfe)
        try c.encode(streaks, forKey: .streaks)
        try c.encode(discipline, forKey: .discipline)
    }
}

/// One point of the equity curve: the state right after one closed trade.
public struct EquityPoint: Sendable, Hashable, Encodable {
    /// The journal entry that closed here.
    public var entryID: UUID
    /// When the trade closed (`closedAt`, or `openedAt` if no close time is recorded).
    public var time: Date
    /// This trade's net P&L.
    public var pnl: Decimal
    /// Sum of the net P&L of this and all earlier trades.
    public var cumulativePnL: Decimal
    /// `startingEquity` + `cumulativePnL`; nil without a starting equity.
    public var equity: Decimal?
    /// Highest `cumulativePnL` so far (at least 0) minus this one; 0 at a new high.
    public var drawdown: Decimal

    enum CodingKeys: String, CodingKey {
        case entryID = "entry_id"
        case time, pnl
        case cumulativePnL = "cumulative_pnl"
        case equity, drawdown
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entryID.uuidString.lowercased(), forKey: .entryID)
        try c.encode(time, forKey: .time)
        try c.encode(pnl, forKey: .pnl)
        try c.encode(cumulativePnL, forKey: .cumulativePnL)
        try c.encode(equity, forKey: .equity)
        try c.encode(drawdown, forKey: .drawdown)
    }
}

/// Statistics of the closed trades of one symbol or one tag.
public struct JournalStatsGroup: Sendable, Hashable, Encodable {
    public var trades: Int
    public var wins: Int
    /// Wins ÷ trades as a fraction 0–1 (4 places).
    public var winRate: Decimal?
    public var totalPnL: Decimal
    /// Mean R over the group's trades that have one (2 places); nil if none.
    public var expectancyR: Decimal?
    /// Gross wins ÷ |gross losses| (4 places); nil without losses.
    public var profitFactor: Decimal?

    public init(
        trades: Int, wins: Int, winRate: Decimal?, totalPnL: Decimal, expectancyR: Decimal?, profitFactor: Decimal?
    ) {
        self.trades = trades
        self.wins = wins
        self.winRate = winRate
        self.totalPnL = totalPnL
        self.expectancyR = expectancyR
        self.profitFactor = profitFactor
    }

    enum CodingKeys: String, CodingKey {
        case trades, wins
        case winRate = "win_rate"
        case totalPnL = "total_pnl"
        case expectancyR = "expectancy_r"
        case profitFactor = "profit_factor"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trades, forKey: .trades)
        try c.encode(wins, forKey: .wins)
        try c.encode(winRate, forKey: .winRate)
        try c.encode(totalPnL, forKey: .totalPnL)
        try c.encode(expectancyR, forKey: .expectancyR)
        try c.encode(profitFactor, forKey: .profitFactor)
    }
}

/// Running counts and exact sums for one set of closed trades.
struct Tally {
    var trades = 0, wins = 0, losses = 0, breakeven = 0, rTrades = 0
    var grossWins: Decimal = 0
    /// Sum of the losing P&Ls (≤ 0).
    var grossLosses: Decimal = 0
    var fees: Decimal = 0
    var rSum: Decimal = 0
    var largestWin: Decimal?
    var largestLoss: Decimal?

    mutating func add(pnl: Decimal, r: Decimal?, fees tradeFees: Decimal) {
        trades += 1
        fees += tradeFees
        if pnl > 0 {
            wins += 1
            grossWins += pnl
            largestWin = max(largestWin ?? pnl, pnl)
        } else if pnl < 0 {
            losses += 1
            grossLosses += pnl
            largestLoss = min(largestLoss ?? pnl, pnl)
        } else {
            breakeven += 1
        }
        if let r {
            rTrades += 1
            rSum += r
        }
    }

    var totalPnL: Decimal { grossWins + grossLosses }
    var winRate: Decimal? { trades > 0 ? (Decimal(wins) / Decimal(trades)).rounded(scale: 4) : nil }
    var expectancyR: Decimal? { rTrades > 0 ? (rSum / Decimal(rTrades)).rounded(scale: 2) : nil }
    var profitFactor: Decimal? { grossLosses < 0 ? (grossWins / -grossLosses).rounded(scale: 4) : nil }

    var group: JournalStatsGroup {
        JournalStatsGroup(
            trades: trades, wins: wins, winRate: winRate, totalPnL: totalPnL,
            expectancyR: expectancyR, profitFactor: profitFactor)
    }
}
