import Foundation
import TradingDomain

/// The running OHLCV of one symbol's minute. `Decimal` arithmetic costs ~0.5 µs per operation, so
/// while every trade's price has at most 4 decimals and its size is whole (always, for US
/// equities), the bar is kept exactly in integers (price × 10⁴); a trade that does not fit
/// switches the bar to `Decimal` arithmetic — both are exact, the integers are ~10× faster.
struct MinuteAccumulator: Sendable {
    struct Fixed: Sendable {
        var open, high, low, close: Int64  // price × 10⁴
        var volume: Int64
        var notional: Int64  // Σ price × 10⁴ × size
    }

    struct Exact: Sendable {
        var open, high, low, close, volume, notional: Decimal
    }

    enum Storage: Sendable {
        case fixed(Fixed)
        case exact(Exact)
    }

    let minute: Int64
    private(set) var storage: Storage

    init(minute: Int64, trade: Trade) {
        self.minute = minute
        if let price = FixedPoint.scaled(trade.price, scale: 4), let size = FixedPoint.scaled(trade.size, scale: 0),
           case let (notional, overflow) = price.multipliedReportingOverflow(by: size), !overflow {
            storage = .fixed(Fixed(open: price, high: price, low: price, close: price, volume: size, notional: notional))
        } else {
            let p = trade.price
            storage = .exact(Exact(open: p, high: p, low: p, close: p, volume: trade.size, notional: p * trade.size))
        }
    }

    mutating func add(_ trade: Trade) {
        if case .fixed(var bar) = storage, let price = FixedPoint.scaled(trade.price, scale: 4),
           let size = FixedPoint.scaled(trade.size, scale: 0) {
            let (product, overflow1) = price.multipliedReportingOverflow(by: size)
            let (notional, overflow2) = bar.notional.addingReportingOverflow(product)
            let (volume, overflow3) = bar.volume.addingReportingOverflow(size)
            if !overflow1 && !overflow2 && !overflow3 {
                if price > bar.high { bar.high = price }
                if price < bar.low { bar.low = price }
                bar.close = price
                bar.volume = volume
                bar.notional = notional
                storage = .fixed(bar)
                return
            }
        }
        var bar = exact
        if trade.price > bar.high { bar.high = trade.price }
        if trade.price < bar.low { bar.low = trade.price }
        bar.close = trade.price
        bar.volume += trade.size
        bar.notional += trade.price * trade.size
        storage = .exact(bar)
    }

    /// The values as `Decimal`s (converting from integers if needed).
    private var exact: Exact {
        switch storage {
        case .exact(let bar):
            return bar
        case .fixed(let bar):
            return Exact(
                open: FixedPoint.decimal(bar.open, scale: 4), high: FixedPoint.decimal(bar.high, scale: 4),
                low: FixedPoint.decimal(bar.low, scale: 4), close: FixedPoint.decimal(bar.close, scale: 4),
                volume: Decimal(bar.volume), notional: FixedPoint.decimal(bar.notional, scale: 4))
        }
    }

    /// The bar; VWAP (rounded half away from zero to 4 decimals) only when asked for.
    func bar(_ symbol: Symbol, withVWAP: Bool) -> Bar {
        let start = Date(timeIntervalSince1970: Double(minute * 60))
        switch storage {
        case .fixed(let bar):
            var vwap: Decimal?
            if withVWAP, bar.volume > 0 {
                // round(notional / volume) in integers: notional and volume are ≥ 0 here.
                let (quotient, remainder) = bar.notional.quotientAndRemainder(dividingBy: bar.volume)
                vwap = FixedPoint.decimal(quotient + (remainder * 2 >= bar.volume ? 1 : 0), scale: 4)
            }
            return Bar(
                symbol: symbol, timespan: .minute, start: start, open: FixedPoint.decimal(bar.open, scale: 4),
                high: FixedPoint.decimal(bar.high, scale: 4), low: FixedPoint.decimal(bar.low, scale: 4),
                close: FixedPoint.decimal(bar.close, scale: 4), volume: Decimal(bar.volume), vwap: vwap)
        case .exact(let bar):
            let vwap = withVWAP && bar.volume > 0 ? (bar.notional / bar.volume).rounded(scale: 4) : nil
            return Bar(
                symbol: symbol, timespan: .minute, start: start, open: bar.open, high: bar.high, low: bar.low,
                close: bar.close, volume: bar.volume, vwap: vwap)
        }
    }
}

/// Exact conversions between `Decimal` and integers scaled by 10^scale.
enum FixedPoint {
    private static let powers: [Int64] = (0...18).map { exponent in
        var power: Int64 = 1
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// `value` × 10^scale when that is a whole number within ±2⁵³ (positive values only), else nil.
    @inline(__always)
    static func scaled(_ value: Decimal, scale: Int) -> Int64? {
        guard value.sign == .plus, value.isFinite else { return nil }
        let shift = value.exponent + scale
        guard shift >= 0, shift <= 15 else { return value.isZero ? 0 : nil }
        // `int64Value` keeps only the low 64 bits of a huge significand, so check its size first.
        let significand = NSDecimalNumber(decimal: value.significand)
        guard significand.doubleValue < 0x1p53 else { return nil }
        let (result, overflow) = significand.int64Value.multipliedReportingOverflow(by: powers[shift])
        guard !overflow, result <= 1 << 53 else { return nil }
        return result
    }

    @inline(__always)
    static func decimal(_ value: Int64, scale: Int) -> Decimal {
        value >= 0
            ? Decimal(sign: .plus, exponent: -scale, significand: Decimal(value))
            : Decimal(sign: .minus, exponent: -scale, significand: Decimal(-value))
    }
}
