import Foundation

/// One trade print.
public struct Trade: Sendable, Hashable {
    public var symbol: Symbol
    public var price: Decimal {
        didSet { fixedPrice = FixedPrice(exactly: price) }
    }
    /// `price` in fixed point (1e-6 units), for the hot path (quote cache → alert book); nil when
    /// the price has more than 6 decimals or is out of `FixedPrice.range` (then `price` is used).
    public private(set) var fixedPrice: FixedPrice?
    public var size: Decimal
    public var time: Date
    /// What this print may update, from its sale conditions (`.regular` when it carries none).
    public var rule: PrintRule

    public init(symbol: Symbol, price: Decimal, size: Decimal, time: Date, rule: PrintRule = .regular) {
        self.symbol = symbol
        self.price = price
        fixedPrice = FixedPrice(exactly: price)
        self.size = size
        self.time = time
        self.rule = rule
    }

    /// Whether this print sets the last price (and so may fire alerts and trigger stops).
    public var updatesLast: Bool { rule.updatesLast }
}

/// Best bid and offer.
public struct BidAsk: Sendable, Hashable {
    public var symbol: Symbol
    public var bid: Decimal
    public var bidSize: Decimal
    public var ask: Decimal
    public var askSize: Decimal
    public var time: Date

    public init(symbol: Symbol, bid: Decimal, bidSize: Decimal, ask: Decimal, askSize: Decimal, time: Date) {
        self.symbol = symbol
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
        self.time = time
    }
}

/// Length of one bar.
public enum Timespan: String, Sendable, Hashable, Codable, CaseIterable {
    case minute
    case day

    public var seconds: Int { self == .minute ? 60 : 86_400 }
}

/// One OHLCV bar starting at `start`. A provider may re-send a bar with corrected values;
/// consumers upsert by (symbol, timespan, start).
public struct Bar: Sendable, Hashable {
    public var symbol: Symbol
    public var timespan: Timespan
    public var start: Date
    public var open: Decimal
    public var high: Decimal
    public var low: Decimal
    public var close: Decimal
    public var volume: Decimal
    public var vwap: Decimal?

    public init(
        symbol: Symbol, timespan: Timespan, start: Date, open: Decimal, high: Decimal, low: Decimal, close: Decimal,
        volume: Decimal, vwap: Decimal? = nil
    ) {
        self.symbol = symbol
        self.timespan = timespan
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
    }
}

/// The provider's own figures for the day so far, as a feed states them (Tradier's `summary`
/// event, and the cumulative volume a Tradier trade carries, docs/vendors.md §2.8). Each field is
/// absent when the provider did not send it; a present one replaces what was derived from prints.
public struct DaySummary: Sendable, Hashable {
    public var symbol: Symbol
    public var open: Decimal?
    public var high: Decimal?
    public var low: Decimal?
    public var previousClose: Decimal?
    /// Shares traded today so far.
    public var volume: Decimal?
    /// When it was received or stamped (a summary carries no time of its own).
    public var time: Date

    public init(
        symbol: Symbol, open: Decimal? = nil, high: Decimal? = nil, low: Decimal? = nil, previousClose: Decimal? = nil,
        volume: Decimal? = nil, time: Date
    ) {
        self.symbol = symbol
        self.open = open
        self.high = high
        self.low = low
        self.previousClose = previousClose
        self.volume = volume
        self.time = time
    }
}

/// What a streaming feed delivers.
public enum MarketEvent: Sendable, Hashable {
    case trade(Trade)
    case quote(BidAsk)
    case bar(Bar)
    case summary(DaySummary)

    public var symbol: Symbol {
        switch self {
        case .trade(let trade): trade.symbol
        case .quote(let quote): quote.symbol
        case .bar(let bar): bar.symbol
        case .summary(let summary): summary.symbol
        }
    }

    public var time: Date {
        switch self {
        case .trade(let trade): trade.time
        case .quote(let quote): quote.time
        case .bar(let bar): bar.start.addingTimeInterval(TimeInterval(bar.timespan.seconds))
        case .summary(let summary): summary.time
        }
    }
}

/// A point-in-time view of one symbol from a REST snapshot: used to fill the cache at start, to
/// catch up after a gap (the day's high and low reveal crossings missed while disconnected), and
/// by the poller when the stream is down.
public struct MarketSnapshot: Sendable, Hashable {
    public var symbol: Symbol
    public var last: Decimal?
    public var lastTime: Date?
    public var bid: Decimal?
    public var ask: Decimal?
    public var dayOpen: Decimal?
    public var dayHigh: Decimal?
    public var dayLow: Decimal?
    public var dayVolume: Decimal?
    public var previousClose: Decimal?
    public var updated: Date

    public init(
        symbol: Symbol, last: Decimal? = nil, lastTime: Date? = nil, bid: Decimal? = nil, ask: Decimal? = nil,
        dayOpen: Decimal? = nil, dayHigh: Decimal? = nil, dayLow: Decimal? = nil, dayVolume: Decimal? = nil,
        previousClose: Decimal? = nil, updated: Date
    ) {
        self.symbol = symbol
        self.last = last
        self.lastTime = lastTime
        self.bid = bid
        self.ask = ask
        self.dayOpen = dayOpen
        self.dayHigh = dayHigh
        self.dayLow = dayLow
        self.dayVolume = dayVolume
        self.previousClose = previousClose
        self.updated = updated
    }
}
