import Foundation

/// One price bar's open, high, low and close (time is not needed for ATR).
public struct OHLC: Sendable, Hashable, Codable {
    public var open: Decimal
    public var high: Decimal
    public var low: Decimal
    public var close: Decimal

    public init(open: Decimal, high: Decimal, low: Decimal, close: Decimal) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
    }
}

/// Average true range: how far price typically travels in one bar.
///
/// True range of a bar = max(high − low, |high − previous close|, |low − previous close|); the
/// first bar has no previous close, so its true range is high − low. The ATR is the simple mean
/// (not Wilder's smoothing) of the true ranges of the last `period` bars, each using the close of
/// the bar before it when there is one, rounded half away from zero to 4 decimals.
public enum AverageTrueRange {
    public static let defaultPeriod = 14
    public static let scale = 4

    /// The ATR of `bars` (oldest first), or nil when there are fewer than `period` bars, `period`
    /// is below 1, or a bar is inconsistent (NaN, negative price, high below low, open or close
    /// outside high–low).
    public static func compute(_ bars: [OHLC], period: Int = defaultPeriod) -> Decimal? {
        guard period >= 1, bars.count >= period, bars.allSatisfy(isConsistent) else { return nil }
        let start = bars.count - period
        var sum: Decimal = 0
        for index in start..<bars.count {
            sum += trueRange(bars[index], previousClose: index > 0 ? bars[index - 1].close : nil)
        }
        return (sum / Decimal(period)).rounded(scale: scale)
    }

    /// True range of one bar given the previous bar's close (nil for the first bar).
    public static func trueRange(_ bar: OHLC, previousClose: Decimal?) -> Decimal {
        let range = bar.high - bar.low
        guard let previousClose else { return range }
        return max(range, (bar.high - previousClose).magnitudeValue, (bar.low - previousClose).magnitudeValue)
    }

    static func isConsistent(_ bar: OHLC) -> Bool {
        let values = [bar.open, bar.high, bar.low, bar.close]
        guard !values.contains(where: { $0.isNaN || $0 < 0 }) else { return false }
        return bar.low <= bar.high
            && (bar.low...bar.high).contains(bar.open)
            && (bar.low...bar.high).contains(bar.close)
    }
}
