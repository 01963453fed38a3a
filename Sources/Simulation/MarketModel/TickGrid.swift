import Foundation

/// The 0.01 price grid. The generators hold prices as an exact whole number of ticks (`Int64`
/// cents) and turn them into `Decimal` only at the edge, so a price is always exactly on the grid
/// and never passes through `Double`.
public enum TickGrid {
    /// One tick: 0.01.
    public static let tick = Decimal(sign: .plus, exponent: -2, significand: 1)

    /// `ticks` × 0.01 as an exact `Decimal` (cheap: no division, no formatter).
    @inline(__always)
    public static func price(_ ticks: Int64) -> Decimal {
        ticks >= 0
            ? Decimal(sign: .plus, exponent: -2, significand: Decimal(ticks))
            : Decimal(sign: .minus, exponent: -2, significand: Decimal(-ticks))
    }

    /// The number of ticks nearest to `price` (half away from zero), or nil when it does not fit.
    public static func ticks(_ price: Decimal) -> Int64? {
        let scaled = (price * 100).rounded(scale: 0)
        guard scaled.isFinite, scaled.magnitude <= Decimal(Int64.max / 2) else { return nil }
        return Int64(truncating: NSDecimalNumber(decimal: scaled))
    }

    /// A whole quantity (shares, contracts, volume) as a `Decimal`.
    @inline(__always)
    public static func quantity(_ units: Int64) -> Decimal {
        Decimal(units)
    }

    /// The nearest whole number of ticks to a model value in ticks, never below `minimum`.
    /// Non-finite values (which the models never produce) map to `minimum`.
    @inline(__always)
    static func roundTicks(_ value: Double, minimum: Int64 = 1) -> Int64 {
        guard value.isFinite else { return minimum }
        let clamped = min(value, 1e15)
        return max(minimum, Int64(clamped.rounded()))
    }
}
