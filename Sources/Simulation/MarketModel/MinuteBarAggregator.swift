import Foundation
import TradingDomain

/// Folds trades into 1-minute OHLCV bars per symbol (pure; times come from the trades).
///
/// A bar covers `[minute start, +60 s)` in UTC minutes (which are New York minutes too). Each trade
/// updates its symbol's bar in progress; a trade in a later minute completes that bar and starts a
/// new one. A late trade for the minute just completed corrects that bar, which is returned again
/// (consumers upsert by start); anything older is counted in `droppedLateTrades` and ignored.
/// VWAP is computed only when a bar is completed or asked for. About 0.5 µs per trade.
public struct MinuteBarAggregator: Sendable {
    /// What adding one trade changed.
    public struct Update: Sendable, Hashable {
        /// The bar the trade went into, as it is now (in progress, or a corrected completed bar).
        public var bar: Bar
        /// The symbol's previous bar, completed because this trade started a new minute.
        public var completed: Bar?
    }

    private var current: [Symbol: MinuteAccumulator] = [:]
    private var completed: [Symbol: MinuteAccumulator] = [:]
    /// Trades older than the previous minute of their symbol, which were ignored.
    public private(set) var droppedLateTrades = 0

    public init() {}

    /// The minute (whole minutes since 1970) that `time` falls in.
    @inline(__always)
    static func minute(of time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 / 60).rounded(.down))
    }

    /// Adds one trade. Returns nil only for a trade too late to place (see `droppedLateTrades`).
    public mutating func add(_ trade: Trade) -> Update? {
        let minute = Self.minute(of: trade.time)
        let symbol = trade.symbol
        guard var bar = current[symbol] else {
            if let previous = completed[symbol], minute <= previous.minute {
                return correct(previous, with: trade, minute: minute)
            }
            let next = MinuteAccumulator(minute: minute, trade: trade)
            current[symbol] = next
            return Update(bar: next.bar(symbol, withVWAP: false), completed: nil)
        }
        if minute == bar.minute {
            bar.add(trade)
            current[symbol] = bar
            return Update(bar: bar.bar(symbol, withVWAP: false), completed: nil)
        }
        if minute > bar.minute {
            completed[symbol] = bar
            let next = MinuteAccumulator(minute: minute, trade: trade)
            current[symbol] = next
            return Update(bar: next.bar(symbol, withVWAP: false), completed: bar.bar(symbol, withVWAP: true))
        }
        guard let previous = completed[symbol] else {
            droppedLateTrades += 1
            return nil
        }
        return correct(previous, with: trade, minute: minute)
    }

    /// A late trade: corrects the symbol's last completed bar when it belongs to it.
    private mutating func correct(_ previous: MinuteAccumulator, with trade: Trade, minute: Int64) -> Update? {
        guard previous.minute == minute else {
            droppedLateTrades += 1
            return nil
        }
        var bar = previous
        bar.add(trade)
        completed[trade.symbol] = bar
        return Update(bar: bar.bar(trade.symbol, withVWAP: true), completed: nil)
    }

    /// Completes every bar in progress whose minute ended at or before `time` (for symbols that
    /// went quiet), returned oldest first then by symbol. Call it periodically, e.g. each second.
    public mutating func completeBars(endingAtOrBefore time: Date) -> [Bar] {
        let minute = Self.minute(of: time)
        var finished: [Bar] = []
        for (symbol, bar) in current where bar.minute < minute {
            finished.append(bar.bar(symbol, withVWAP: true))
            completed[symbol] = bar
            current[symbol] = nil
        }
        return finished.sorted { ($0.start, $0.symbol) < ($1.start, $1.symbol) }
    }

    /// The bar in progress for `symbol`, with its VWAP so far.
    public func barInProgress(for symbol: Symbol) -> Bar? {
        current[symbol]?.bar(symbol, withVWAP: true)
    }

    /// Stops tracking `symbol` (e.g. after it left the watchlist).
    public mutating func remove(_ symbol: Symbol) {
        current[symbol] = nil
        completed[symbol] = nil
    }

    /// All minute bars of `trades` (any order), oldest first then by symbol, each with its VWAP.
    public static func bars(from trades: [Trade]) -> [Bar] {
        var groups: [Symbol: [Int64: MinuteAccumulator]] = [:]
        let ordered = trades.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        for trade in ordered.map(\.element) {
            let minute = minute(of: trade.time)
            if groups[trade.symbol, default: [:]][minute] == nil {
                groups[trade.symbol, default: [:]][minute] = MinuteAccumulator(minute: minute, trade: trade)
            } else {
                groups[trade.symbol]![minute]!.add(trade)
            }
        }
        return groups.flatMap { symbol, minutes in minutes.values.map { $0.bar(symbol, withVWAP: true) } }
            .sorted { ($0.start, $0.symbol) < ($1.start, $1.symbol) }
    }
}
