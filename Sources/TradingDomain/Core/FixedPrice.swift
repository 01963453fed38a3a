import Foundation

/// An exact price in millionths (Int64, 1e-6 units) for the market-data hot path (issue 20,
/// docs/performance.md "Fixed-point prices"): comparing, ordering and hashing are integer
/// operations, with no `Decimal` arithmetic per tick.
///
/// Exact by construction: a value enters only when it has at most 6 decimal places and lies in
/// `range` (otherwise the initialisers answer nil and the caller keeps the `Decimal`), and
/// `decimal` gives back the very same value. No `Double` anywhere.
public struct FixedPrice: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Decimal places held.
    public static let scaleDigits = 6
    public static let unitsPerOne: Int64 = 1_000_000
    /// ±(10¹⁸ − 1) millionths: ±999,999,999,999.999999, with headroom below `Int64.max` so that a
    /// difference of two prices cannot overflow.
    public static let maxMicros: Int64 = 999_999_999_999_999_999
    public static let range = -maxMicros...maxMicros

    /// The price in millionths.
    public let micros: Int64

    /// A price from millionths; nil outside `range`.
    public init?(micros: Int64) {
        guard Self.range.contains(micros) else { return nil }
        self.micros = micros
    }

    /// The exact fixed-point form of `value`; nil when it has more than 6 decimal places (after
    /// dropping trailing zeros), is out of range, or is NaN.
    public init?(exactly value: Decimal) {
        guard !value.isNaN else { return nil }
        if value.isZero {
            self.init(significand: 0, exponent: 0, negative: false)
            return
        }
        let negative = value.sign == .minus
        // Fast: read the digits straight from the Decimal's memory (`DecimalLayout`, as `PricePoint`).
        if let layout = DecimalLayout.current, let parts = layout.decode(negative ? -value : value) {
            self.init(significand: parts.mantissa, exponent: parts.exponent, negative: negative)
            return
        }
        // Reference path: significand × 10^exponent, the significand an integer of up to 38 digits.
        var significand = value.significand.magnitude
        var exponent = value.exponent
        // Drop trailing zeros until the exponent is no lower than −6 (or the value is not exact).
        while exponent < -Self.scaleDigits {
            var quotient = Decimal()
            var dividend = significand
            var ten = Decimal(10)
            guard NSDecimalDivide(&quotient, &dividend, &ten, .down) == .noError else { return nil }
            var truncated = Decimal()
            NSDecimalRound(&truncated, &quotient, 0, .down)
            guard truncated * 10 == significand else { return nil }
            significand = truncated
            exponent += 1
        }
        // An integer of at most 18 digits here: its text is its digits.
        guard significand <= Decimal(Self.maxMicros), let digits = UInt64("\(significand)") else { return nil }
        self.init(significand: digits, exponent: exponent, negative: negative)
    }

    /// `±significand × 10^exponent` exactly; nil when that needs more than 6 decimal places or
    /// leaves `range`. This is how a parser builds a price straight from the digits it read.
    public init?(significand: UInt64, exponent: Int, negative: Bool) {
        let shift = exponent + Self.scaleDigits
        var magnitude = significand
        if shift >= 0 {
            guard shift <= 18 else {
                guard significand == 0 else { return nil }
                self.micros = 0
                return
            }
            let (product, overflow) = significand.multipliedReportingOverflow(by: Self.powersOfTen[shift])
            guard !overflow else { return nil }
            magnitude = product
        } else {
            guard -shift <= 19 else {
                guard significand == 0 else { return nil }
                self.micros = 0
                return
            }
            let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: Self.powersOfTen[-shift])
            guard remainder == 0 else { return nil }
            magnitude = quotient
        }
        guard magnitude <= UInt64(Self.maxMicros) else { return nil }
        micros = negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// The same value as a `Decimal` (exact: `micros × 10⁻⁶`).
    public var decimal: Decimal {
        Decimal(sign: micros < 0 ? .minus : .plus, exponent: -Self.scaleDigits, significand: Decimal(micros.magnitude))
    }

    public static func < (lhs: FixedPrice, rhs: FixedPrice) -> Bool { lhs.micros < rhs.micros }

    public var description: String { "\(decimal)" }

    private static let powersOfTen: [UInt64] = (0...19).map { power in
        (0..<power).reduce(UInt64(1)) { result, _ in result * 10 }
    }
}
