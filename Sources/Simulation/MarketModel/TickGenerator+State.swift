import Foundation
import TradingDomain

/// The generator's current state as exact `Decimal`s, and the views built from it.
extension TickGenerator {
    /// Last trade price.
    public var last: Decimal { TickGrid.price(lastTicks) }
    public var bid: Decimal { TickGrid.price(bidTicks) }
    public var ask: Decimal { TickGrid.price(askTicks) }
    public var bidSize: Decimal { Decimal(bidUnits) }
    public var askSize: Decimal { Decimal(askUnits) }
    /// Close of the previous day (the base of "percent change").
    public var previousClose: Decimal { TickGrid.price(previousCloseTicks) }
    /// Today's first trade price (New York date), nil until the day's first trade.
    public var dayOpen: Decimal? { dayOpenTicks.map(TickGrid.price) }
    public var dayHigh: Decimal? { dayOpenTicks == nil ? nil : TickGrid.price(dayHighTicks) }
    public var dayLow: Decimal? { dayOpenTicks == nil ? nil : TickGrid.price(dayLowTicks) }
    /// Shares (or contracts) traded today.
    public var dayVolume: Decimal { Decimal(dayVolumeUnits) }

    /// The current best bid and offer, stamped with the latest step's time.
    public var currentQuote: BidAsk {
        BidAsk(symbol: symbol, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, time: time)
    }

    /// A REST-style snapshot of the current state (what `MarketSnapshotSource.snapshots` returns).
    public func snapshot() -> MarketSnapshot {
        MarketSnapshot(
            symbol: symbol, last: last, lastTime: lastTradeTime, bid: bid, ask: ask, dayOpen: dayOpen,
            dayHigh: dayHigh, dayLow: dayLow, dayVolume: dayVolume, previousClose: previousClose, updated: time)
    }

    /// Today's daily bar so far (starting 00:00 New York time), nil before the day's first trade.
    /// Upsert it into the daily series to keep the `day` chart current.
    public var dayBar: Bar? {
        guard let open = dayOpenTicks else { return nil }
        return Bar(
            symbol: symbol, timespan: .day, start: dayStart, open: TickGrid.price(open),
            high: TickGrid.price(dayHighTicks), low: TickGrid.price(dayLowTicks), close: last, volume: dayVolume)
    }
}
