import Foundation

/// The latest known state of one symbol, built from stream events and snapshots.
public struct Quote: Sendable, Hashable {
    public var symbol: Symbol
    public var last: Decimal?
    public var lastSize: Decimal?
    public var bid: Decimal?
    public var bidSize: Decimal?
    public var ask: Decimal?
    public var askSize: Decimal?
    public var dayOpen: Decimal?
    public var dayHigh: Decimal?
    public var dayLow: Decimal?
    public var volume: Decimal?
    public var previousClose: Decimal?
    /// The New York trading day the day figures belong to (nil until the quote cache sets it).
    public var tradingDay: String?
    /// The last regular-session price of `tradingDay`: the next day's previous close.
    public var regularClose: Decimal?
    /// Time of the newest data in this quote (the provider's time, not ours).
    public var asOf: Date
    /// When we last received anything for this symbol (our clock), for staleness.
    public var receivedAt: Date
    /// Provider of the newest data: `simulated`, `replay`, `polygon`, `snapshot`, …
    public var source: String

    public init(symbol: Symbol, asOf: Date, receivedAt: Date, source: String) {
        self.symbol = symbol
        self.asOf = asOf
        self.receivedAt = receivedAt
        self.source = source
    }

    /// Last price minus the previous close.
    public var change: Decimal? {
        guard let last, let previousClose else { return nil }
        return last - previousClose
    }

    /// Change in percent of the previous close, 2 decimals.
    public var changePct: Decimal? {
        guard let change, let previousClose, previousClose != 0 else { return nil }
        return (change / previousClose * 100).rounded(scale: 2)
    }

    /// The price to act on: the last trade, else the mid of bid and ask.
    public var price: Decimal? {
        if let last { return last }
        if let bid, let ask { return ((bid + ask) / 2).rounded(scale: 4) }
        return nil
    }

    public func isStale(now: Date, after seconds: TimeInterval) -> Bool {
        now.timeIntervalSince(receivedAt) > seconds
    }

    /// Folds one stream event in. Older events than what we hold do not move the price back.
    public mutating func apply(_ event: MarketEvent, receivedAt: Date, source: String) {
        self.receivedAt = receivedAt
        self.source = source
        switch event {
        case .trade(let trade):
            // Each part of the print counts only as far as its sale conditions allow (PrintRule):
            // an odd lot adds volume but never moves last or the day's range.
            guard trade.time >= asOf || last == nil else { return }
            let rule = trade.rule
            if rule.updatesVolume { volume = (volume ?? 0) + trade.size }
            if rule.updatesHighLow {
                dayHigh = Swift.max(dayHigh ?? trade.price, trade.price)
                dayLow = Swift.min(dayLow ?? trade.price, trade.price)
            }
            guard rule.updatesLast else { return }
            last = trade.price
            lastSize = trade.size
            if dayOpen == nil { dayOpen = trade.price }
            asOf = Swift.max(asOf, trade.time)
        case .quote(let quote):
            guard quote.time >= asOf || bid == nil else { return }
            bid = quote.bid
            bidSize = quote.bidSize
            ask = quote.ask
            askSize = quote.askSize
            asOf = Swift.max(asOf, quote.time)
        case .bar(let bar):
            dayHigh = Swift.max(dayHigh ?? bar.high, bar.high)
            dayLow = Swift.min(dayLow ?? bar.low, bar.low)
            if dayOpen == nil { dayOpen = bar.open }
            let end = bar.start.addingTimeInterval(TimeInterval(bar.timespan.seconds))
            if end >= asOf {
                last = bar.close
                asOf = end
            }
        case .summary(let summary):
            // The provider's own day figures replace those derived from the prints seen.
            if let open = summary.open { dayOpen = open }
            if let high = summary.high { dayHigh = high }
            if let low = summary.low { dayLow = low }
            if let previousClose = summary.previousClose { self.previousClose = previousClose }
            if let volume = summary.volume { self.volume = volume }
        }
    }

    /// Takes what a REST snapshot knows (used at start and to catch up after a gap).
    public mutating func apply(_ snapshot: MarketSnapshot, receivedAt: Date, source: String) {
        self.receivedAt = receivedAt
        self.source = source
        if let previousClose = snapshot.previousClose { self.previousClose = previousClose }
        if let dayOpen = snapshot.dayOpen { self.dayOpen = dayOpen }
        if let high = snapshot.dayHigh { dayHigh = Swift.max(dayHigh ?? high, high) }
        if let low = snapshot.dayLow { dayLow = Swift.min(dayLow ?? low, low) }
        if let volume = snapshot.dayVolume { self.volume = Swift.max(self.volume ?? 0, volume) }
        let time = snapshot.lastTime ?? snapshot.updated
        if let last = snapshot.last, time >= asOf || self.last == nil {
            self.last = last
            asOf = Swift.max(asOf, time)
        }
        if let bid = snapshot.bid { self.bid = bid }
        if let ask = snapshot.ask { self.ask = ask }
    }
}
