import Foundation

/// The per-share arithmetic of a plan: risk, reward, R multiples and R-band prices.
///
/// "Per share" means per unit of the quoted price: a share, or one share of an option's
/// underlying (premium points). Multiply by `AssetClass.multiplier` for money per contract.
/// Everything is exact `Decimal` except where a rounding rule is named.
public enum TradeMath {
    /// R multiples and percentages are rounded half away from zero to this many decimals.
    public static let displayScale = 2

    /// The price move from `from` to `to` in the trader's favour (positive = good for `side`).
    public static func favourableMove(from: Decimal, to: Decimal, side: Side) -> Decimal {
        side == .long ? to - from : from - to
    }

    /// Loss per share if the stop is hit: positive when the stop is on the correct side of the
    /// entry, zero when it equals the entry, negative when it is on the wrong side.
    public static func riskPerShare(entry: Decimal, stop: Decimal, side: Side) -> Decimal {
        favourableMove(from: stop, to: entry, side: side)
    }

    /// Gain per share if `target` is reached (negative when the target is on the wrong side).
    public static func rewardPerShare(entry: Decimal, target: Decimal, side: Side) -> Decimal {
        favourableMove(from: entry, to: target, side: side)
    }

    /// Reward divided by risk, unrounded; nil when the risk per share is not positive.
    public static func rMultiple(entry: Decimal, stop: Decimal, target: Decimal, side: Side) -> Decimal? {
        let risk = riskPerShare(entry: entry, stop: stop, side: side)
        guard risk > 0 else { return nil }
        return rewardPerShare(entry: entry, target: target, side: side) / risk
    }

    /// The price at which the trade has made `r` times its risk: entry ± r × risk per share.
    public static func priceAtR(_ r: Decimal, entry: Decimal, riskPerShare: Decimal, side: Side) -> Decimal {
        side == .long ? entry + r * riskPerShare : entry - r * riskPerShare
    }

    /// `part` as a percent of `whole`, rounded half away from zero to 2 decimals; nil when
    /// `whole` is not positive.
    public static func percent(_ part: Decimal, of whole: Decimal) -> Decimal? {
        guard whole > 0 else { return nil }
        return (part * 100 / whole).rounded(scale: displayScale)
    }
}
