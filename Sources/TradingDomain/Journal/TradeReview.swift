import Foundation

/// One execution of a journaled trade: the part of a fill that opened or closed it
/// (a trade built from several fills lists each; docs/journal.md, "Trade review").
public struct TradeFill: Sendable, Hashable, Codable {
    public var fillID: String
    public var clientOrderID: String
    public var effect: ExecutionLeg.Effect
    public var quantity: Decimal
    public var price: Decimal
    public var time: Date
    /// The price the order asked for (its limit, or its stop for a stop order), if known.
    public var orderPrice: Decimal?

    public init(
        fillID: String, clientOrderID: String, effect: ExecutionLeg.Effect, quantity: Decimal, price: Decimal, time: Date,
        orderPrice: Decimal? = nil
    ) {
        self.fillID = fillID
        self.clientOrderID = clientOrderID
        self.effect = effect
        self.quantity = quantity
        self.price = price
        self.time = time
        self.orderPrice = orderPrice
    }
}

/// How well one closed trade was managed: excursions, planned against realised R, exit
/// efficiency, slippage, holding time and session. All money exact, in the trade's units
/// (contracts × 100 for options). Computed by `TradeReview.compute`; docs/journal.md.
public struct TradeReview: Sendable, Hashable {
    public enum ExcursionSource: String, Sendable, Hashable, Codable {
        /// Minute (or, for long holds, daily) bars of the holding period and the fill prices.
        case bars
        /// No bars were available: the fill prices alone.
        case fills
    }

    public var entryID: UUID
    public var multiplier: Int
    /// Worst open P&L while the trade was open (≤ 0), before fees.
    public var mae: Decimal
    /// Best open P&L while the trade was open (≥ 0), before fees.
    public var mfe: Decimal
    /// `mae` and `mfe` ÷ initial risk (2 places); nil without a stop.
    public var maeR: Decimal?
    public var mfeR: Decimal?
    /// The worst and best prices reached.
    public var worstPrice: Decimal
    public var bestPrice: Decimal
    public var excursionSource: ExcursionSource
    public var barsUsed: Int
    /// (first target − planned entry) ÷ (planned entry − stop), 2 places; nil without a stop and target.
    public var plannedR: Decimal?
    /// Net P&L ÷ initial risk (the entry's `r_multiple`).
    public var realizedR: Decimal?
    /// Gross P&L ÷ MFE (4 places): 1 is a perfect exit; nil when MFE is 0.
    public var exitEfficiency: Decimal?
    /// Planned entry price: the linked plan's entry, else the opening orders' price.
    public var plannedEntry: Decimal?
    /// Money lost to entering worse than planned (negative when better), over the opening fills
    /// with a planned price.
    public var entrySlippage: Decimal?
    /// Money lost to exiting worse than the closing orders' prices (negative when better).
    public var exitSlippage: Decimal?
    public var holdingSeconds: Int?
    /// The session of the entry (New York time).
    public var session: MarketSession
    /// Entry hour in New York (0–23) and weekday (1 = Monday … 7 = Sunday).
    public var entryHour: Int
    public var entryWeekday: Int
    /// The fills grouped into this trade, oldest first.
    public var fills: [TradeFill]

    public static let longHoldMinutes = 20_000

    /// Reviews a closed (or open, for what is known so far) entry from the bars of its holding
    /// period. Bars count when they overlap [openedAt, closedAt] (exact to the bar: the first and
    /// last bar may include prices from just before the entry or after the exit).
    public static func compute(
        entry: JournalEntry, bars: [Bar]?, plan: TradePlan?, fills: [TradeFill], calendar: MarketCalendar
    ) -> TradeReview {
        let multiplier = entry.assetClass.multiplier
        let units = entry.quantity * Decimal(multiplier)
        let sign = Decimal(entry.side.sign)
        let end = entry.closedAt ?? entry.openedAt
        var prices: [Decimal] = [entry.entryPrice] + (entry.exitPrice.map { [$0] } ?? [])
        prices += fills.map(\.price)
        var used = 0
        if let bars {
            for bar in bars {
                let barEnd = bar.start.addingTimeInterval(TimeInterval(bar.timespan.seconds))
                guard bar.start <= end && barEnd > entry.openedAt else { continue }
                used += 1
                prices.append(bar.high)
                prices.append(bar.low)
            }
        }
        let high = prices.max() ?? entry.entryPrice, low = prices.min() ?? entry.entryPrice
        let best = entry.side == .long ? high : low
        let worst = entry.side == .long ? low : high
        let mfe = max(0, (best - entry.entryPrice) * sign * units)
        let mae = min(0, (worst - entry.entryPrice) * sign * units)
        let metrics = entry.metrics
        let risk = metrics.initialRisk.flatMap { $0 > 0 ? $0 : nil }

        let plannedEntry = plan?.entry ?? averageOrderPrice(fills.filter { $0.effect == .open })
        let stop = plan?.stop ?? entry.stop
        let target = plan?.targets.first ?? entry.targets.first
        var plannedR: Decimal?
        let base = plannedEntry ?? entry.entryPrice
        if let stop, let target, (base - stop) * sign > 0 {
            plannedR = ((target - base) / (base - stop)).rounded(scale: 2)
        }

        var entrySlippage: Decimal?
        var exitSlippage: Decimal?
        for fill in fills {
            let planned = fill.effect == .open ? (plan?.entry ?? fill.orderPrice) : fill.orderPrice
            guard let planned else { continue }
            let money = (fill.price - planned) * fill.quantity * Decimal(multiplier) * sign
            if fill.effect == .open {
                entrySlippage = (entrySlippage ?? 0) + money
            } else {
                exitSlippage = (exitSlippage ?? 0) - money
            }
        }
        // A manual entry has no fills; its plan still gives an entry slippage.
        if fills.isEmpty, let planned = plan?.entry {
            entrySlippage = (entry.entryPrice - planned) * units * sign
        }

        let parts = MarketTime.calendar.dateComponents([.hour, .weekday], from: entry.openedAt)
        return TradeReview(
            entryID: entry.id, multiplier: multiplier, mae: mae, mfe: mfe,
            maeR: risk.map { (mae / $0).rounded(scale: 2) }, mfeR: risk.map { (mfe / $0).rounded(scale: 2) },
            worstPrice: worst, bestPrice: best, excursionSource: used > 0 ? .bars : .fills, barsUsed: used,
            plannedR: plannedR, realizedR: metrics.rMultiple,
            exitEfficiency: metrics.grossPnL.flatMap { mfe > 0 ? ($0 / mfe).rounded(scale: 4) : nil },
            plannedEntry: plannedEntry, entrySlippage: entrySlippage, exitSlippage: exitSlippage,
            holdingSeconds: entry.closedAt.map { Int($0.timeIntervalSince(entry.openedAt).rounded(.down)) },
            session: calendar.session(at: entry.openedAt),
            entryHour: parts.hour ?? 0, entryWeekday: ((parts.weekday ?? 1) + 5) % 7 + 1,
            fills: fills.sorted { ($0.time, $0.fillID) < ($1.time, $1.fillID) })
    }

    /// The quantity-weighted order price of fills that name one, if all do.
    static func averageOrderPrice(_ fills: [TradeFill]) -> Decimal? {
        guard !fills.isEmpty, fills.allSatisfy({ $0.orderPrice != nil }) else { return nil }
        let quantity = fills.reduce(Decimal(0)) { $0 + $1.quantity }
        guard quantity > 0 else { return nil }
        return (fills.reduce(Decimal(0)) { $0 + ($1.orderPrice ?? 0) * $1.quantity } / quantity).rounded(scale: 6)
    }
}
