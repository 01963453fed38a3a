import Foundation

/// A price with an integer sort key, so the alert index compares integers instead of `Decimal`s
/// (a `Decimal` comparison costs tens of nanoseconds; a tick does a dozen or more in binary searches).
///
/// `key` = ⌊value × 10⁸⌋, clamped to `Int64` (negative values all map to `Int64.min`); `exact` is true when
/// `key` is `value × 10⁸` exactly. Keys never decrease as values increase, and two exact points with the
/// same key are the same price, so ordering compares keys and only falls back to `Decimal` when the keys
/// are equal and one side is inexact (a level such as 123.45 × 1.0375 with more than 8 decimals).
public struct PricePoint: Sendable, Comparable, CustomStringConvertible {
    public static let scaleDigits = 8

    public let key: Int64
    public let exact: Bool
    public let value: Decimal

    public init(_ value: Decimal) {
        self.value = value
        (key, exact) = PricePoint.key(of: value)
    }

    /// The point of a fixed-point price: its key is `micros × 100` with no `Decimal` decoding
    /// (the same key and exactness as `PricePoint(price.decimal)`, `FixedPricePropertyTests`).
    public init(_ price: FixedPrice) {
        value = price.decimal
        if price.micros < 0 {
            (key, exact) = (Int64.min, false)
        } else if price.micros > Int64.max / 100 {
            (key, exact) = (Int64.max, false)  // beyond the key's range, as `key(of:)` clamps it
        } else {
            (key, exact) = (price.micros * 100, true)
        }
    }

    public var description: String { "\(value)" }

    public static func < (lhs: PricePoint, rhs: PricePoint) -> Bool {
        if lhs.key != rhs.key { return lhs.key < rhs.key }
        if lhs.exact && rhs.exact { return false }
        return lhs.value < rhs.value
    }

    public static func == (lhs: PricePoint, rhs: PricePoint) -> Bool {
        guard lhs.key == rhs.key else { return false }
        if lhs.exact && rhs.exact { return true }
        return lhs.value == rhs.value
    }

    // MARK: key computation

    /// ⌊value × 10⁸⌋ and whether it is exact. Reads the `Decimal`'s digits directly when its memory
    /// layout was recognised at start (checked against the public API), else computes it through `Decimal`.
    public static func key(of value: Decimal) -> (key: Int64, exact: Bool) {
        if value.isNaN || value.sign == .minus { return (Int64.min, false) }
        if let layout = DecimalLayout.current, let parts = layout.decode(value) {
            return scaled(mantissa: parts.mantissa, exponent: parts.exponent)
        }
        return slowKey(of: value)
    }

    /// The reference computation: exact `Decimal` arithmetic and rounding (slow; used as fallback and in tests).
    public static func slowKey(of value: Decimal) -> (key: Int64, exact: Bool) {
        if value.isNaN || value.sign == .minus { return (Int64.min, false) }
        var scaled = value * 100_000_000
        var floored = Decimal()
        NSDecimalRound(&floored, &scaled, 0, .down)
        let exact = floored == scaled
        if floored > Decimal(Int64.max) { return (Int64.max, false) }
        guard let key = Int64("\(floored)") else { return (Int64.max, false) }
        return (key, exact)
    }

    private static let powersOfTen: [UInt64] = (0...19).map { power in
        (0..<power).reduce(UInt64(1)) { result, _ in result * 10 }
    }

    /// ⌊mantissa × 10^(exponent + 8)⌋ clamped to Int64.
    static func scaled(mantissa: UInt64, exponent: Int) -> (key: Int64, exact: Bool) {
        if mantissa == 0 { return (0, true) }
        let shift = exponent + scaleDigits
        if shift >= 0 {
            guard shift <= 18 else { return (Int64.max, false) }
            let factor = powersOfTen[shift]
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            guard !overflow, product <= UInt64(Int64.max) else { return (Int64.max, false) }
            return (Int64(product), true)
        }
        let drop = -shift
        guard drop <= 19 else { return (0, false) }
        let divisor = powersOfTen[drop]
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        guard quotient <= UInt64(Int64.max) else { return (Int64.max, false) }
        return (Int64(quotient), remainder == 0)
    }
}

/// How this platform's `Decimal` lays out its fields in memory: byte 0 is the exponent, byte 1 holds the
/// mantissa length (in 16-bit words) and the sign, bytes 4…19 the mantissa words, least significant first.
/// swift-foundation and Darwin's `NSDecimal` pack byte 1 differently; the layout in use is recognised
/// by decoding known values and rebuilding them through the public API, and if neither matches the
/// `Decimal` arithmetic path is used.
struct DecimalLayout: Sendable {
    /// Bit position of the 4-bit length field in byte 1.
    let lengthShift: UInt8
    /// Mask of the sign bit in byte 1.
    let negativeMask: UInt8

    static let candidates = [
        DecimalLayout(lengthShift: 4, negativeMask: 0x08),  // swift-foundation
        DecimalLayout(lengthShift: 0, negativeMask: 0x10),  // NSDecimal bit fields
    ]

    static let current: DecimalLayout? = {
        let samples = ["0", "1", "123.4567", "0.00000001", "65536", "4294967296", "18446744073709551615",
                       "98765.4321", "1.50000", "250", "0.1", "7e5", "-3.25", "1e-20"]
            .compactMap { Decimal(string: $0) }
        return candidates.first { layout in samples.allSatisfy(layout.verifies) }
    }()

    /// Mantissa (when it fits 64 bits) and exponent of a non-negative value.
    @inline(__always)
    func decode(_ value: Decimal) -> (mantissa: UInt64, exponent: Int)? {
        withUnsafeBytes(of: value) { bytes -> (mantissa: UInt64, exponent: Int)? in
            guard bytes.count >= 20 else { return nil }
            let flags = bytes[1]
            let length = Int((flags >> lengthShift) & 0x0F)
            guard length <= 4, flags & negativeMask == 0 else { return nil }
            var mantissa: UInt64 = 0
            var index = length - 1
            while index >= 0 {
                let word = UInt64(bytes[4 + 2 * index]) | UInt64(bytes[5 + 2 * index]) << 8
                mantissa = mantissa << 16 | word
                index -= 1
            }
            return (mantissa, Int(Int8(bitPattern: bytes[0])))
        }
    }

    /// True when decoding `value` and rebuilding it through the public API gives it back
    /// (negative and too-long values must be refused rather than misread).
    func verifies(_ value: Decimal) -> Bool {
        guard let parts = decode(value) else {
            return value < 0 || value.significand > Decimal(UInt64.max)
        }
        let rebuilt = Decimal(sign: .plus, exponent: parts.exponent, significand: Decimal(parts.mantissa))
        return rebuilt == value && value.exponent == parts.exponent
    }
}
