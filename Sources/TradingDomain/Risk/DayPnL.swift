import Foundation

// Day P&L as a broker shows it (docs/risk.md, "Day P&L"). Rules:
//
// - The day is `MarketCalendar.tradingDay(at:)` of now (New York); a fill belongs to the trading
//   day of its time.
// - Start-of-day (overnight) quantity = the quantity held now − the signed sum of today's fills.
//   Shares the app never saw traded today (held before the app knew, reconciled from the broker)
//   are overnight shares. Their basis is the symbol's previous close.
// - Except: when the broker says the position was opened today (its `openedAt` falls on today's
//   trading day, e.g. Tradier's `date_acquired`) and no fill of it today is known, the start-of-day
//   lot is today's lot at the broker's average price.
// - Without a previous close the overnight basis is the broker's average price (the entry price,
//   as before day P&L knew closes). For a symbol no longer held and without a previous close the
//   overnight basis is unknown: those shares add 0.
// - Lots, first in first out: the overnight lot comes first, then today's fills in time order. A
//   fill on the lots' side (or when flat) opens a lot at its price; a fill against them closes the
//   oldest lots first, realising (fill price − basis) × closed quantity × side × multiplier (side
//   +1 long, −1 short); what is left of a fill past flat opens a lot on the other side.
// - Unrealised today = Σ open lots (last − basis) × signed quantity × multiplier; 0 without a last.
// - Day P&L = realised today + unrealised today. The total does not depend on the lot order: it is
//   (last × quantity now − basis × overnight quantity − Σ fill price × signed fill quantity) × multiplier.
// - Multiplier 1 for shares, 100 for option contracts. Before commissions; exact `Decimal`
//   (callers round for display).

/// One execution of the trading day being measured.
public struct DayFill: Sendable, Hashable {
    public var symbol: Symbol
    /// Signed: positive when it buys, negative when it sells.
    public var quantity: Decimal
    public var price: Decimal
    public var time: Date

    public init(symbol: Symbol, quantity: Decimal, price: Decimal, time: Date) {
        self.symbol = symbol
        self.quantity = quantity
        self.price = price
        self.time = time
    }

    public init(_ fill: Fill) {
        self.init(symbol: fill.symbol, quantity: fill.signedQuantity, price: fill.price, time: fill.time)
    }
}

/// One symbol's P&L of the trading day; see the rules at the top of this file.
public struct DayPnL: Sendable, Hashable {
    /// Realised today by closing fills, each against the lot it closes.
    public var realized: Decimal
    /// Open lots against the last price.
    public var unrealized: Decimal
    /// Signed quantity held overnight (0 when the whole position is today's).
    public var overnightQuantity: Decimal
    /// The symbol's previous close, when known.
    public var previousClose: Decimal?

    public init(realized: Decimal, unrealized: Decimal, overnightQuantity: Decimal, previousClose: Decimal?) {
        self.realized = realized
        self.unrealized = unrealized
        self.overnightQuantity = overnightQuantity
        self.previousClose = previousClose
    }

    public var total: Decimal { realized + unrealized }

    /// One lot: a signed quantity and its basis (nil: unknown, it adds 0).
    struct Lot {
        var quantity: Decimal
        var basis: Decimal?
    }

    /// The lot arithmetic: `quantity` held now, today's `fills` of the symbol in time order, the
    /// start-of-day lot's `openingBasis`, the `last` price and the contract multiplier.
    public static func measure(
        quantity: Decimal, fills: [DayFill], openingBasis: Decimal?, last: Decimal?, multiplier: Decimal
    ) -> (realized: Decimal, unrealized: Decimal, openingQuantity: Decimal) {
        let opening = quantity - fills.reduce(Decimal(0)) { $0 + $1.quantity }
        var lots: [Lot] = opening == 0 ? [] : [Lot(quantity: opening, basis: openingBasis)]
        var realized: Decimal = 0
        for fill in fills where fill.quantity != 0 {
            var remaining = fill.quantity
            while remaining != 0, let first = lots.first, (first.quantity > 0) != (remaining > 0) {
                let side: Decimal = first.quantity > 0 ? 1 : -1
                let closed = min(abs(remaining), abs(first.quantity))
                if let basis = first.basis { realized += (fill.price - basis) * closed * side * multiplier }
                lots[0].quantity -= closed * side
                remaining += closed * side
                if lots[0].quantity == 0 { lots.removeFirst() }
            }
            if remaining != 0 { lots.append(Lot(quantity: remaining, basis: fill.price)) }
        }
        var unrealized: Decimal = 0
        if let last {
            for lot in lots {
                if let basis = lot.basis { unrealized += (last - basis) * lot.quantity * multiplier }
            }
        }
        return (realized, unrealized, opening)
    }
}

/// What the day's P&L is measured from: today's fills, previous closes, and which positions the
/// broker says were opened today.
public struct DayActivity: Sendable, Hashable {
    /// The trading day measured (`yyyy-MM-dd`), when known.
    public var tradingDay: String?
    /// Today's fills per symbol, in time order.
    public private(set) var fills: [Symbol: [DayFill]]
    /// The close before `tradingDay` per symbol.
    public var previousCloses: [Symbol: Decimal]
    /// Symbols whose current position the broker says was opened today.
    public var openedToday: Set<Symbol>

    /// `fills` are taken as today's; they are grouped by symbol and put in time order (a stable
    /// sort: fills at the same time keep their given order).
    public init(
        tradingDay: String? = nil, fills: [DayFill] = [], previousCloses: [Symbol: Decimal] = [:],
        openedToday: Set<Symbol> = []
    ) {
        self.tradingDay = tradingDay
        var grouped: [Symbol: [DayFill]] = [:]
        for fill in fills { grouped[fill.symbol, default: []].append(fill) }
        self.fills = grouped.mapValues { list in
            list.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
        self.previousCloses = previousCloses
        self.openedToday = openedToday
    }

    /// No fills, no closes: every position is overnight and measured from its average price.
    public static let none = DayActivity()

    /// Symbols with a fill today.
    public var tradedSymbols: Set<Symbol> { Set(fills.keys) }

    /// Day P&L of `symbol` holding `quantity` now (0 for a symbol traded today and no longer
    /// held), with the broker's `averagePrice` of the position and the `last` price.
    public func pnl(symbol: Symbol, quantity: Decimal, averagePrice: Decimal?, last: Decimal?) -> DayPnL {
        let todays = fills[symbol] ?? []
        let close = previousCloses[symbol]
        // The broker dates the position today and no fill of it is known: it is today's lot.
        let openedTodayElsewhere = quantity != 0 && todays.isEmpty && openedToday.contains(symbol)
        let basis = openedTodayElsewhere ? averagePrice : (close ?? (quantity != 0 ? averagePrice : nil))
        let multiplier = Decimal((symbol.isOption ? AssetClass.option : .equity).multiplier)
        let result = DayPnL.measure(quantity: quantity, fills: todays, openingBasis: basis, last: last, multiplier: multiplier)
        return DayPnL(
            realized: result.realized, unrealized: result.unrealized,
            overnightQuantity: openedTodayElsewhere ? 0 : result.openingQuantity, previousClose: close)
    }
}

extension DayActivity {
    /// The activity of the trading day containing `now` from raw data: `fills` of any day (only
    /// those of today's trading day are kept), `positions` held now (their `openedAt`), and the
    /// latest `quotes`. A quote's previous close is the close before today only when the quote
    /// has data of today's trading day; a quote whose newest data is older (nothing printed yet
    /// today: overnight, before the first pre-market trade) gives its last price instead, so
    /// overnight shares start the day flat rather than carrying the previous day's move.
    public init(
        now: Date, calendar: MarketCalendar, positions: [BrokerPosition], fills: [DayFill], quotes: [Symbol: Quote]
    ) {
        let today = calendar.tradingDay(at: now)
        let todays = fills.filter { calendar.tradingDay(at: $0.time) == today }
        var closes: [Symbol: Decimal] = [:]
        for (symbol, quote) in quotes {
            if calendar.tradingDay(at: quote.asOf) == today {
                if let close = quote.previousClose, close > 0 { closes[symbol] = close }
            } else if let price = quote.price, price > 0 {
                closes[symbol] = price
            }
        }
        let opened = positions.filter { position in
            position.openedAt.map { calendar.tradingDay(at: $0) == today } ?? false
        }
        self.init(tradingDay: today, fills: todays, previousCloses: closes, openedToday: Set(opened.map(\.symbol)))
    }
}
