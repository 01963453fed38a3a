import Foundation

// The risk engine's numbers: a pure computation from the broker's account, positions and working
// orders, the stops of linked plans and live prices. Rules:
//
// - Price: `prices[symbol]` (the last trade; for an option its own mark), else the position's
//   average price (`livePrice` is then false and the position shows no unrealised P&L).
// - Exposure is signed: quantity × price × multiplier (100 for options, whose exposure is premium
//   value, not delta-adjusted notional). Long exposure = Σ of the positive ones (≥ 0), short
//   exposure = Σ of the negative ones (≤ 0), net = long + short, gross = Σ |exposure|.
//   A position's market value is |exposure|; its exposure percent is |exposure| ÷ equity × 100.
// - Effective stop: a working (not final) `stop` or `stop_limit` order on the symbol whose action
//   closes the position (`sell`/`sell_to_close` for a long, `buy_to_cover`/`buy_to_close` for a
//   short), the one whose stop price is nearest the price if several; else the stop of a linked
//   plan (`stops`, in the position's own price units: an option plan's stop is a premium). The
//   order's quantity is not compared with the position's: a partial stop counts as a stop.
// - Risk (money lost if the stop is hit): long max(0, price − stop) × qty × multiplier, short
//   max(0, stop − price) × |qty| × multiplier. Without any stop the risk is the whole market
//   value (|exposure|: a 100 % adverse move, which understates a short's unbounded risk) and the
//   position is flagged `unprotected`. Open risk = Σ risk.
// - Unrealised P&L = (price − average price) × qty × multiplier: since entry, for the position row.
// - Day P&L is a broker's (DayPnL.swift, docs/risk.md "Day P&L"): per symbol, shares held overnight
//   from the previous close, shares bought today from their fill price, plus what today's closing
//   fills realised against the same bases; `day` gives today's fills, previous closes and the
//   positions opened today. A position's `dayPnL` uses the price above (no live price: its
//   unrealised part is 0). Day realised = `realizedToday` (an extra amount from the caller) + Σ the
//   symbols' realised today, including symbols traded today and no longer held; day unrealised =
//   Σ the positions' unrealised today; day P&L = day realised + day unrealised.
// - Day P&L percent is of `dayStartEquity`, or of equity − day P&L when none is given.
// - Equity and cash are the broker's figures as of `account.asOf`; they are not re-marked.
// - Exact `Decimal` arithmetic throughout; money is rounded to cents (half away from zero) and
//   percents to 2 places only in the results. A percent is nil when its base is not positive.

/// Everything the risk engine reads to build a `RiskSnapshot`.
public struct RiskInputs: Sendable, Hashable {
    public var account: BrokerAccount
    /// Broker positions; zero quantities are ignored.
    public var positions: [BrokerPosition]
    /// The broker's orders; only working (not final) stop and stop-limit orders are used.
    public var workingOrders: [BrokerOrder]
    /// Stop price per symbol from linked plans, in the position's price units.
    public var stops: [Symbol: Decimal]
    /// Last price per symbol (an option's own mark); a missing symbol falls back to its average price.
    public var prices: [Symbol: Decimal]
    /// Equity at the start of the trading day (kept by `RiskState`); nil: equity − day P&L.
    public var dayStartEquity: Decimal?
    /// Realised P&L today not covered by `day`'s fills, added as is (0 when `day` has every fill).
    public var realizedToday: Decimal
    /// Today's fills, previous closes and positions opened today; `.none` measures every position
    /// as held overnight from its average price.
    public var day: DayActivity
    public var now: Date

    public init(
        account: BrokerAccount, positions: [BrokerPosition], workingOrders: [BrokerOrder] = [],
        stops: [Symbol: Decimal] = [:], prices: [Symbol: Decimal] = [:], dayStartEquity: Decimal? = nil,
        realizedToday: Decimal = 0, day: DayActivity = .none, now: Date
    ) {
        self.day = day
        self.account = account
        self.positions = positions
        self.workingOrders = workingOrders
        self.stops = stops
        self.prices = prices
        self.dayStartEquity = dayStartEquity
        self.realizedToday = realizedToday
        self.now = now
    }
}

/// Where a position's effective stop comes from.
public enum StopSource: String, Sendable, Hashable, Codable {
    /// A working stop or stop-limit order that closes the position.
    case order
    /// The stop of a linked plan.
    case plan
}

/// Exposure, P&L and risk of one position.
public struct PositionRisk: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var assetClass: AssetClass
    public var side: Side
    /// Signed: negative for shorts.
    public var quantity: Decimal
    /// 1 for shares, 100 for option contracts.
    public var multiplier: Int
    /// The price used: the live price, else the average price.
    public var price: Decimal
    /// False when no live price was known and the average price stands in.
    public var livePrice: Bool
    public var averagePrice: Decimal
    /// Signed: quantity × price × multiplier.
    public var exposure: Decimal
    /// |exposure|.
    public var marketValue: Decimal
    public var unrealizedPnL: Decimal
    /// Today's P&L of the position (DayPnL.swift): overnight shares from the previous close,
    /// today's from their fill price, plus realised today.
    public var dayPnL: Decimal
    /// The part of `dayPnL` realised by today's closing fills.
    public var dayRealizedPnL: Decimal
    /// Signed quantity held overnight (the rest was bought or sold short today).
    public var overnightQuantity: Decimal
    /// The symbol's previous close, when known (else overnight shares count from the average price).
    public var previousClose: Decimal?
    /// The effective stop, if any.
    public var stop: Decimal?
    public var stopSource: StopSource?
    /// Money lost if the stop is hit; the market value when there is no stop.
    public var risk: Decimal
    /// True when no stop order nor plan stop protects the position.
    public var unprotected: Bool
    /// |exposure| ÷ equity × 100, 2 places; nil when equity is not positive.
    public var exposurePct: Decimal?
    /// risk ÷ equity × 100, 2 places; nil when equity is not positive.
    public var riskPct: Decimal?

    enum CodingKeys: String, CodingKey {
        case symbol, side, quantity, multiplier, price, exposure, stop, risk, unprotected
        case assetClass = "asset_class", livePrice = "live_price", averagePrice = "average_price"
        case marketValue = "market_value", unrealizedPnL = "unrealized_pnl", stopSource = "stop_source"
        case exposurePct = "exposure_pct", riskPct = "risk_pct"
        case dayPnL = "day_pnl", dayRealizedPnL = "day_realized_pnl", overnightQuantity = "overnight_quantity"
        case previousClose = "previous_close"
    }

    // Optionals are written as explicit nulls so clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(assetClass, forKey: .assetClass)
        try c.encode(side, forKey: .side)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(multiplier, forKey: .multiplier)
        try c.encode(price, forKey: .price)
        try c.encode(livePrice, forKey: .livePrice)
        try c.encode(averagePrice, forKey: .averagePrice)
        try c.encode(exposure, forKey: .exposure)
        try c.encode(marketValue, forKey: .marketValue)
        try c.encode(unrealizedPnL, forKey: .unrealizedPnL)
        try c.encode(dayPnL, forKey: .dayPnL)
        try c.encode(dayRealizedPnL, forKey: .dayRealizedPnL)
        try c.encode(overnightQuantity, forKey: .overnightQuantity)
        try c.encode(previousClose, forKey: .previousClose)
        try c.encode(stop, forKey: .stop)
        try c.encode(stopSource, forKey: .stopSource)
        try c.encode(risk, forKey: .risk)
        try c.encode(unprotected, forKey: .unprotected)
        try c.encode(exposurePct, forKey: .exposurePct)
        try c.encode(riskPct, forKey: .riskPct)
    }
}

/// The account's risk at one moment. See the rules at the top of this file.
public struct RiskSnapshot: Sendable, Hashable, Codable {
    public var equity: Decimal
    public var cash: Decimal
    /// Σ |exposure|.
    public var grossExposure: Decimal
    /// Σ exposure (long + short).
    public var netExposure: Decimal
    /// Σ of positive exposures (≥ 0).
    public var longExposure: Decimal
    /// Σ of negative exposures (≤ 0).
    public var shortExposure: Decimal
    /// Σ of the positions' risk to their stops.
    public var openRisk: Decimal
    /// openRisk ÷ equity × 100; nil when equity is not positive.
    public var openRiskPct: Decimal?
    public var dayRealizedPnL: Decimal
    public var dayUnrealizedPnL: Decimal
    public var dayPnL: Decimal
    /// dayPnL ÷ dayStartEquity × 100; nil when that base is not positive.
    public var dayPnLPct: Decimal?
    /// The base of `dayPnLPct`: the given day-start equity, else equity − day P&L.
    public var dayStartEquity: Decimal
    /// Number of positions (non-zero quantities).
    public var openPositions: Int
    /// Sorted by symbol.
    public var positions: [PositionRisk]
    public var asOf: Date

    /// Computes the snapshot; see the rules at the top of this file.
    public init(_ inputs: RiskInputs) {
        let equity = inputs.account.equity
        var gross: Decimal = 0, long: Decimal = 0, short: Decimal = 0, risk: Decimal = 0
        var dayRealized = inputs.realizedToday, dayUnrealized: Decimal = 0
        var rows: [PositionRisk] = []
        var held = Set<Symbol>()
        for position in inputs.positions.sorted(by: { $0.symbol < $1.symbol }) where position.quantity != 0 {
            held.insert(position.symbol)
            let exact = Self.measure(position, inputs)
            let day = inputs.day.pnl(
                symbol: position.symbol, quantity: position.quantity, averagePrice: position.averagePrice,
                last: exact.live ? exact.price : nil)
            gross += abs(exact.exposure)
            if exact.exposure > 0 { long += exact.exposure } else { short += exact.exposure }
            risk += exact.risk
            dayRealized += day.realized
            dayUnrealized += day.unrealized
            rows.append(PositionRisk(
                symbol: position.symbol, assetClass: position.assetClass, side: position.side,
                quantity: position.quantity, multiplier: position.assetClass.multiplier, price: exact.price,
                livePrice: exact.live, averagePrice: position.averagePrice, exposure: exact.exposure.rounded(scale: 2),
                marketValue: abs(exact.exposure).rounded(scale: 2), unrealizedPnL: exact.pnl.rounded(scale: 2),
                dayPnL: day.total.rounded(scale: 2), dayRealizedPnL: day.realized.rounded(scale: 2),
                overnightQuantity: day.overnightQuantity, previousClose: day.previousClose,
                stop: exact.stop?.price, stopSource: exact.stop?.source, risk: exact.risk.rounded(scale: 2),
                unprotected: exact.stop == nil, exposurePct: Self.percent(abs(exact.exposure), of: equity),
                riskPct: Self.percent(exact.risk, of: equity)))
        }
        // Symbols traded today and no longer held: what their fills realised.
        for symbol in inputs.day.tradedSymbols.subtracting(held) {
            dayRealized += inputs.day.pnl(symbol: symbol, quantity: 0, averagePrice: nil, last: nil).realized
        }
        let dayPnL = dayRealized + dayUnrealized
        let base = inputs.dayStartEquity ?? (equity - dayPnL)
        self.equity = equity
        cash = inputs.account.cash
        grossExposure = gross.rounded(scale: 2)
        netExposure = (long + short).rounded(scale: 2)
        longExposure = long.rounded(scale: 2)
        shortExposure = short.rounded(scale: 2)
        openRisk = risk.rounded(scale: 2)
        openRiskPct = Self.percent(risk, of: equity)
        dayRealizedPnL = dayRealized.rounded(scale: 2)
        dayUnrealizedPnL = dayUnrealized.rounded(scale: 2)
        self.dayPnL = dayPnL.rounded(scale: 2)
        dayPnLPct = Self.percent(dayPnL, of: base)
        dayStartEquity = base.rounded(scale: 2)
        openPositions = rows.count
        positions = rows
        asOf = inputs.now
    }

    /// The same snapshot with day P&L percent measured against another day-start equity.
    public func rebased(dayStartEquity base: Decimal) -> RiskSnapshot {
        var copy = self
        copy.dayStartEquity = base.rounded(scale: 2)
        copy.dayPnLPct = Self.percent(dayPnL, of: base)
        return copy
    }

    /// The position on `symbol`, if held.
    public func position(_ symbol: Symbol) -> PositionRisk? {
        positions.first { $0.symbol == symbol }
    }

    /// `value ÷ base × 100` to 2 places; nil when the base is not positive.
    static func percent(_ value: Decimal, of base: Decimal) -> Decimal? {
        base > 0 ? (value / base * 100).rounded(scale: 2) : nil
    }

    private struct Measure {
        var price: Decimal
        var live: Bool
        var exposure: Decimal
        var pnl: Decimal
        var stop: (price: Decimal, source: StopSource)?
        var risk: Decimal
    }

    /// Exact (unrounded) figures of one position.
    private static func measure(_ position: BrokerPosition, _ inputs: RiskInputs) -> Measure {
        let multiplier = Decimal(position.assetClass.multiplier)
        let live = inputs.prices[position.symbol]
        let price = live ?? position.averagePrice
        let exposure = position.quantity * price * multiplier
        let pnl = (price - position.averagePrice) * position.quantity * multiplier
        let stop = effectiveStop(position, price: price, inputs)
        let risk: Decimal
        if let stop {
            let perUnit = position.side == .long ? price - stop.price : stop.price - price
            risk = max(0, perUnit) * abs(position.quantity) * multiplier
        } else {
            risk = abs(exposure)
        }
        return Measure(price: price, live: live != nil, exposure: exposure, pnl: pnl, stop: stop, risk: risk)
    }

    /// The nearest closing stop order's price, else the plan stop.
    static func effectiveStop(
        _ position: BrokerPosition, price: Decimal, _ inputs: RiskInputs
    ) -> (price: Decimal, source: StopSource)? {
        let closingSign = -position.side.sign
        let orderStops = inputs.workingOrders.compactMap { order -> Decimal? in
            let request = order.request
            guard !order.status.isFinal, request.symbol == position.symbol, request.type.needsStopPrice,
                  !request.action.opens, request.action.sign == closingSign else { return nil }
            return request.stopPrice
        }
        if let nearest = orderStops.min(by: { abs(price - $0) < abs(price - $1) }) {
            return (nearest, .order)
        }
        return inputs.stops[position.symbol].map { ($0, .plan) }
    }

    enum CodingKeys: String, CodingKey {
        case equity, cash, positions
        case grossExposure = "gross_exposure", netExposure = "net_exposure"
        case longExposure = "long_exposure", shortExposure = "short_exposure"
        case openRisk = "open_risk", openRiskPct = "open_risk_pct"
        case dayRealizedPnL = "day_realized_pnl", dayUnrealizedPnL = "day_unrealized_pnl"
        case dayPnL = "day_pnl", dayPnLPct = "day_pnl_pct", dayStartEquity = "day_start_equity"
        case openPositions = "open_positions", asOf = "as_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(equity, forKey: .equity)
        try c.encode(cash, forKey: .cash)
        try c.encode(grossExposure, forKey: .grossExposure)
        try c.encode(netExposure, forKey: .netExposure)
        try c.encode(longExposure, forKey: .longExposure)
        try c.encode(shortExposure, forKey: .shortExposure)
        try c.encode(openRisk, forKey: .openRisk)
        try c.encode(openRiskPct, forKey: .openRiskPct)
        try c.encode(dayRealizedPnL, forKey: .dayRealizedPnL)
        try c.encode(dayUnrealizedPnL, forKey: .dayUnrealizedPnL)
        try c.encode(dayPnL, forKey: .dayPnL)
        try c.encode(dayPnLPct, forKey: .dayPnLPct)
        try c.encode(dayStartEquity, forKey: .dayStartEquity)
        try c.encode(openPositions, forKey: .openPositions)
        try c.encode(positions, forKey: .positions)
        try c.encode(asOf, forKey: .asOf)
    }
}
