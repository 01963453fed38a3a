import Foundation
import PropertyBased
import Testing
import TradingDomain

/// The integer keys the alert index sorts by must agree exactly with `Decimal`.
@Suite("Alerts: price keys")
struct AlertPricePointTests {
    typealias F = AlertFixtures

    @Test("keys are ⌊value × 10⁸⌋, exact only when nothing is cut off", arguments: [
        ("123.4567", Int64(12_345_670_000), true),
        ("0.00000001", Int64(1), true),
        ("0.000000019", Int64(1), false),
        ("1.50000", Int64(150_000_000), true),
        ("0", Int64(0), true),
        ("92233720368.54775807", Int64.max, true),
        ("92233720368.54775808", Int64.max, false),
        ("1e30", Int64.max, false),
        ("-3", Int64.min, false),
        ("100.000101000001", Int64(10_000_010_100), false),
    ])
    func keys(text: String, key: Int64, exact: Bool) {
        let point = PricePoint(F.dec(text))
        #expect(point.key == key)
        #expect(point.exact == exact)
        #expect(PricePoint.slowKey(of: F.dec(text)) == (key, exact))
    }

    @Test("the fast key equals the Decimal arithmetic for random prices")
    func fastKeyMatchesSlowKey() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...14)) { digits, scale in
            Self.checkKey(digits: digits, scale: scale)
        }
    }

    static func checkKey(digits: Int, scale: Int) {
        let value = Decimal(digits) / pow(Decimal(10), scale)
        let fast = PricePoint.key(of: value)
        let slow = PricePoint.slowKey(of: value)
        #expect(fast == slow, "\(value)")
    }

    @Test("ordering of price points agrees with Decimal ordering")
    func orderingMatchesDecimal() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...2_000), Gen.int(in: 0...2_000), Gen.int(in: 0...12)) { a, b, scale in
            Self.checkOrder(a, b, scale: scale)
        }
    }

    static func checkOrder(_ a: Int, _ b: Int, scale: Int) {
        // Values near each other at up to 12 decimals, so keys often tie.
        let x = Decimal(100) + Decimal(a) / pow(Decimal(10), scale)
        let y = Decimal(100) + Decimal(b) / pow(Decimal(10), 12)
        #expect((PricePoint(x) < PricePoint(y)) == (x < y), "\(x) vs \(y)")
        #expect((PricePoint(x) == PricePoint(y)) == (x == y), "\(x) vs \(y)")
    }
}
