import Foundation

/// Decimal helpers used by the money math. Money, prices and quantities are `Decimal` everywhere.
extension Decimal {
    /// Rounds to `scale` fractional digits with the given rule (default: half away from zero, i.e.
    /// "plain" rounding as a trader expects for display; use `.down` when rounding must not increase risk).
    public func rounded(scale: Int, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, mode)
        return result
    }

    /// Largest whole number not greater than `self` (for share counts: never rounds risk up).
    public var floored: Decimal { rounded(scale: 0, .down) }

    /// Absolute value.
    public var magnitudeValue: Decimal { self < 0 ? -self : self }

    /// True when the value has no fractional part.
    public var isWhole: Bool { self == rounded(scale: 0, .down) }

    /// Number of digits after the decimal point in the shortest exact representation.
    public var fractionDigits: Int {
        let text = "\(self)"
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
