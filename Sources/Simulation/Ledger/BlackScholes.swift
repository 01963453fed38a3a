import Foundation
import TradingDomain

/// European Black–Scholes prices, used by the paper broker to price single-leg options from their
/// underlying.
///
/// Inputs and outputs are `Decimal` like all money in the app; `Double` is used only inside the
/// formula (exponentials, logarithms and the normal CDF). Prices are rounded to cents and never
/// below intrinsic value (an American-style floor: a deep in-the-money European put is otherwise
/// worth less than exercising it); at or after expiry the price is the intrinsic value.
public enum BlackScholes {
    /// Days per year used to turn a time to expiry into years.
    public static let daysPerYear: Decimal = 365

    /// The option's price per share (multiply by the contract multiplier for a contract's value).
    /// - Parameters:
    ///   - right: call or put.
    ///   - underlying: the underlying's price, ≥ 0.
    ///   - strike: the strike, ≥ 0.
    ///   - yearsToExpiry: time left in years; 0 or less means expired (intrinsic value).
    ///   - volatility: annualised volatility as a fraction (0.2 for 20 %); 0 or less gives intrinsic value.
    ///   - rate: continuously compounded risk-free rate as a fraction (0.05 for 5 %).
    /// - Returns: the price rounded to 2 places, never below intrinsic value.
    public static func price(
        _ right: OptionSymbol.Right, underlying: Decimal, strike: Decimal, yearsToExpiry: Decimal,
        volatility: Decimal, rate: Decimal
    ) -> Decimal {
        let intrinsic = intrinsicValue(right, underlying: underlying, strike: strike)
        guard yearsToExpiry > 0, volatility > 0, underlying > 0, strike > 0 else {
            return intrinsic.rounded(scale: 2)
        }
        let value = theoretical(
            right, underlying: double(underlying), strike: double(strike), years: double(yearsToExpiry),
            volatility: double(volatility), rate: double(rate))
        guard value.isFinite else { return intrinsic.rounded(scale: 2) }
        let priced = Decimal(value).rounded(scale: 2)
        return max(priced, intrinsic.rounded(scale: 2))
    }

    /// max(0, S − K) for a call, max(0, K − S) for a put.
    public static func intrinsicValue(_ right: OptionSymbol.Right, underlying: Decimal, strike: Decimal) -> Decimal {
        switch right {
        case .call: max(0, underlying - strike)
        case .put: max(0, strike - underlying)
        }
    }

    /// Years from `now` to `expiration` (negative once expired), on a 365-day year, to 8 places.
    public static func yearsToExpiry(from now: Date, to expiration: Date) -> Decimal {
        let seconds = Decimal(Int64(expiration.timeIntervalSince(now).rounded()))
        return (seconds / (daysPerYear * 86_400)).rounded(scale: 8)
    }

    /// Standard normal cumulative distribution Φ(x) = ½·erfc(−x/√2), accurate to double
    /// precision in both tails (unlike 1 − ½·erfc(x/√2), which cancels for large x).
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The unrounded, unfloored Black–Scholes value.
    static func theoretical(
        _ right: OptionSymbol.Right, underlying s: Double, strike k: Double, years t: Double, volatility sigma: Double,
        rate r: Double
    ) -> Double {
        let sqrtT = t.squareRoot()
        let d1 = (log(s / k) + (r + sigma * sigma / 2) * t) / (sigma * sqrtT)
        let d2 = d1 - sigma * sqrtT
        let discountedStrike = k * exp(-r * t)
        switch right {
        case .call: return s * normalCDF(d1) - discountedStrike * normalCDF(d2)
        case .put: return discountedStrike * normalCDF(-d2) - s * normalCDF(-d1)
        }
    }

    private static func double(_ value: Decimal) -> Double {
        NSDecimalNumber(decimal: value).doubleValue
    }
}
