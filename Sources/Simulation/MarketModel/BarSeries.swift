import Foundation
import TradingDomain

/// Bars of one symbol and timespan, sorted by start with one bar per start: the generated history
/// extended by the live stream. Upserting a bar with an existing start replaces it (a corrected or
/// growing bar); the oldest bars are dropped beyond `capacity`.
public struct BarSeries: Sendable {
    public private(set) var bars: [Bar]
    public let capacity: Int

    /// `bars` in any order; duplicates by start keep the last one given.
    public init(_ bars: [Bar] = [], capacity: Int = 20_000) {
        self.capacity = max(1, capacity)
        self.bars = []
        for bar in bars { upsert(bar) }
    }

    /// Inserts or replaces by start. Appending at the end (the usual case) is O(1).
    public mutating func upsert(_ bar: Bar) {
        if let last = bars.last {
            if bar.start > last.start {
                bars.append(bar)
            } else if bar.start == last.start {
                bars[bars.count - 1] = bar
            } else {
                let index = partitionIndex { $0 < bar.start }
                if bars[index].start == bar.start { bars[index] = bar } else { bars.insert(bar, at: index) }
            }
        } else {
            bars.append(bar)
        }
        if bars.count > capacity { bars.removeFirst(bars.count - capacity) }
    }

    /// The most recent `limit` bars starting within `from...to`, oldest first.
    public func bars(from: Date, to: Date, limit: Int) -> [Bar] {
        guard limit > 0, from <= to else { return [] }
        let lower = partitionIndex { $0 < from }
        let upper = partitionIndex { $0 <= to }
        guard lower < upper else { return [] }
        return Array(bars[max(lower, upper - limit)..<upper])
    }

    /// Index of the first bar whose start is not `isBefore` (binary search; `isBefore` must hold
    /// for a prefix of the starts).
    private func partitionIndex(_ isBefore: (Date) -> Bool) -> Int {
        var low = 0
        var high = bars.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(bars[middle].start) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
