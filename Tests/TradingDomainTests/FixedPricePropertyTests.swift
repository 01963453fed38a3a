import Foundation
import Testing
import TradingDomain

/// `FixedPrice` (Int64 millionths) against `Decimal`, on seeded random values (issue 20): exact in
/// range, refused out of range or past 6 decimals, the same order, the same alert-index key.
@Suite("Fixed-point prices")
struct FixedPricePropertyTests {
    private static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
    }

    /// A random micros value spread over every magnitude of the range.
    private static func randomMicros(_ random: inout SplitMix) -> Int64 {
        let digits = 1 + random.next(18)
        var value: Int64 = 0
        for _ in 0..<digits { value = value * 10 + Int64(random.next(10)) }
        return random.next(4) == 0 ? -value : value
    }

    /// Decimal text of micros, written by hand (no Decimal involved).
    private static func text(_ micros: Int64) -> String {
        let magnitude = micros.magnitude
        var fraction = String(magnitude % 1_000_000)
        while fraction.count < 6 { fraction = "0" + fraction }
        return (micros < 0 ? "-" : "") + "\(magnitude / 1_000_000).\(fraction)"
    }

    @Test("in range with at most 6 decimals: Decimal → FixedPrice → Decimal is exact, both ways")
    func roundTripIsExact() throws {
        var random = SplitMix(seed: 2_026)
        for _ in 0..<5_000 {
            let micros = Self.randomMicros(&random)
            let value = Self.decimal(Self.text(micros))
            let fixed = try #require(FixedPrice(exactly: value), "refused \(value)")
            #expect(fixed.micros == micros)
            #expect(fixed.decimal == value)
            #expect(FixedPrice(exactly: fixed.decimal) == fixed)
            #expect(FixedPrice(micros: micros) == fixed)
            // Trailing zeros and other spellings of the same value give the same price.
            #expect(FixedPrice(exactly: Self.decimal(Self.text(micros) + "000")) == fixed)
        }
    }

    @Test("more than 6 decimals, out of range, or NaN: refused, never rounded")
    func refusesWhatItCannotHold() {
        var random = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let micros = Self.randomMicros(&random)
            let extra = 1 + random.next(9)  // a non-zero 7th (or later) decimal
            let inexact = Self.decimal(Self.text(micros) + String(repeating: "0", count: random.next(3)) + "\(extra)")
            #expect(FixedPrice(exactly: inexact) == nil, "accepted \(inexact)")
        }
        #expect(FixedPrice(exactly: Self.decimal("1000000000000")) == nil)  // 10¹² is past the range
        #expect(FixedPrice(exactly: Self.decimal("-1000000000000")) == nil)
        #expect(FixedPrice(exactly: Self.decimal("999999999999.999999"))?.micros == FixedPrice.maxMicros)
        #expect(FixedPrice(exactly: Self.decimal("-999999999999.999999"))?.micros == -FixedPrice.maxMicros)
        #expect(FixedPrice(exactly: Self.decimal("1e30")) == nil)
        #expect(FixedPrice(exactly: Self.decimal("1e-30")) == nil)
        #expect(FixedPrice(exactly: Decimal.nan) == nil)
        #expect(FixedPrice(micros: FixedPrice.maxMicros + 1) == nil)
        #expect(FixedPrice(micros: Int64.min) == nil)
        #expect(FixedPrice(significand: UInt64.max, exponent: 0, negative: false) == nil)
        #expect(FixedPrice(significand: 1, exponent: -7, negative: false) == nil)
        #expect(FixedPrice(significand: 10, exponent: -7, negative: false)?.micros == 1)
        #expect(FixedPrice(exactly: 0)?.micros == 0)
    }

    @Test("significand and exponent (as a parser reads them) agree with Decimal")
    func digitsAgreeWithDecimal() {
        var random = SplitMix(seed: 99)
        for _ in 0..<5_000 {
            let significand = UInt64(random.next(1_000_000_000)) * UInt64(1 + random.next(1_000))
            let exponent = random.next(17) - 10
            let negative = random.next(2) == 0
            let value = Decimal(sign: negative && significand != 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
            let fromDigits = FixedPrice(significand: significand, exponent: exponent, negative: negative)
            #expect(fromDigits == FixedPrice(exactly: value), "\(significand)e\(exponent)")
            if let fromDigits { #expect(fromDigits.decimal == value) }
        }
    }

    @Test("order and alert-index key are Decimal's")
    func orderAndKeyMatchDecimal() {
        var random = SplitMix(seed: 5)
        for _ in 0..<5_000 {
            let a = Self.randomMicros(&random) / Int64(1 + random.next(1_000))
            let b = Self.randomMicros(&random) / Int64(1 + random.next(1_000))
            let (x, y) = (FixedPrice(micros: a)!, FixedPrice(micros: b)!)
            #expect((x < y) == (x.decimal < y.decimal))
            #expect((x == y) == (x.decimal == y.decimal))
            let fromFixed = PricePoint(x)
            let fromDecimal = PricePoint(x.decimal)
            #expect(fromFixed.key == fromDecimal.key && fromFixed.exact == fromDecimal.exact, "\(x)")
            #expect(fromFixed.value == fromDecimal.value)
        }
    }

    @Test("a trade keeps its fixed-point price in step with its Decimal price")
    func tradeCarriesFixedPrice() {
        var trade = Trade(symbol: Symbol(trusted: "AAPL"), price: Self.decimal("189.515"), size: 1, time: Date(timeIntervalSince1970: 0))
        #expect(trade.fixedPrice?.micros == 189_515_000)
        trade.price = Self.decimal("0.0000001")  // 7 decimals: no fixed form, the Decimal is used
        #expect(trade.fixedPrice == nil)
        trade.price = Self.decimal("2.5")
        #expect(trade.fixedPrice?.micros == 2_500_000)
    }
}
