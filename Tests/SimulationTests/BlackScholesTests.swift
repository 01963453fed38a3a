import Foundation
@testable import Simulation
import PropertyBased
import Testing
import TradingDomain

@Suite("Paper broker: Black–Scholes")
struct BlackScholesTests {
    private func decimal(_ text: String) -> Decimal {
        guard let value = Decimal(string: text) else { fatalError("bad decimal \(text)") }
        return value
    }

    @Test("textbook values: S=100 K=100 T=1 σ=0.2 r=0.05 → call 10.45, put 5.57")
    func textbookAtTheMoney() {
        let call = BlackScholes.price(.call, underlying: 100, strike: 100, yearsToExpiry: 1, volatility: decimal("0.2"), rate: decimal("0.05"))
        let put = BlackScholes.price(.put, underlying: 100, strike: 100, yearsToExpiry: 1, volatility: decimal("0.2"), rate: decimal("0.05"))
        #expect(call == decimal("10.45"))
        #expect(put == decimal("5.57"))
    }

    @Test("Hull's example: S=42 K=40 T=0.5 σ=0.2 r=0.1 → call 4.76, put 0.81")
    func hullExample() {
        let call = BlackScholes.price(.call, underlying: 42, strike: 40, yearsToExpiry: decimal("0.5"), volatility: decimal("0.2"), rate: decimal("0.1"))
        let put = BlackScholes.price(.put, underlying: 42, strike: 40, yearsToExpiry: decimal("0.5"), volatility: decimal("0.2"), rate: decimal("0.1"))
        #expect(call == decimal("4.76"))
        #expect(put == decimal("0.81"))
    }

    @Test("at or after expiry, and with no volatility, the price is the intrinsic value")
    func intrinsicAtExpiry() {
        for years in [Decimal(0), Decimal(-1)] {
            #expect(BlackScholes.price(.call, underlying: 105, strike: 100, yearsToExpiry: years, volatility: decimal("0.3"), rate: 0) == 5)
            #expect(BlackScholes.price(.put, underlying: 105, strike: 100, yearsToExpiry: years, volatility: decimal("0.3"), rate: 0) == 0)
            #expect(BlackScholes.price(.put, underlying: decimal("97.125"), strike: 100, yearsToExpiry: years, volatility: decimal("0.3"), rate: 0) == decimal("2.88"))
        }
        #expect(BlackScholes.price(.call, underlying: 110, strike: 100, yearsToExpiry: 1, volatility: 0, rate: 0) == 10)
    }

    @Test("a deep in-the-money put is never below intrinsic value (the floor)")
    func intrinsicFloor() {
        let put = BlackScholes.price(.put, underlying: 20, strike: 100, yearsToExpiry: 2, volatility: decimal("0.1"), rate: decimal("0.1"))
        #expect(put == 80, "European value ≈ 61.87 is floored at intrinsic 80")
    }

    @Test("the normal CDF is accurate in the middle and in both tails")
    func normalCDF() {
        #expect(abs(BlackScholes.normalCDF(0) - 0.5) < 1e-15)
        #expect(abs(BlackScholes.normalCDF(1.96) - 0.9750021048517795) < 1e-12)
        #expect(abs(BlackScholes.normalCDF(-1) - 0.15865525393145707) < 1e-12)
        // Relative accuracy deep in the lower tail (a 1 − Φ(x) implementation gives 0 here).
        let tail = BlackScholes.normalCDF(-10)
        #expect(abs(tail - 7.619853024160527e-24) / 7.619853024160527e-24 < 1e-9)
        #expect(BlackScholes.normalCDF(40) == 1)
    }

    @Test("years to expiry use a 365-day year")
    func yearsToExpiry() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(BlackScholes.yearsToExpiry(from: now, to: now.addingTimeInterval(365 * 86_400)) == 1)
        #expect(BlackScholes.yearsToExpiry(from: now, to: now.addingTimeInterval(-73 * 86_400)) == decimal("-0.2"))
    }

    @Test("put–call parity C − P = S − K·e^(−rT) holds to rounding wherever the put floor does not bind")
    func putCallParity() async {
        await propertyCheck(
            count: 400, input: Gen.int(in: 1_000...50_000), Gen.int(in: 1_000...50_000), Gen.int(in: 1...1_000),
            Gen.int(in: 5...150), Gen.int(in: 0...100)
        ) { spotCents, strikeCents, days, volPct, rateBps in
            let s = Decimal(spotCents) / 100, k = Decimal(strikeCents) / 100
            let years = (Decimal(days) / 365).rounded(scale: 8)
            let sigma = Decimal(volPct) / 100, r = Decimal(rateBps) / 10_000
            let call = BlackScholes.price(.call, underlying: s, strike: k, yearsToExpiry: years, volatility: sigma, rate: r)
            let put = BlackScholes.price(.put, underlying: s, strike: k, yearsToExpiry: years, volatility: sigma, rate: r)
            #expect(call >= BlackScholes.intrinsicValue(.call, underlying: s, strike: k))
            #expect(put >= BlackScholes.intrinsicValue(.put, underlying: s, strike: k).rounded(scale: 2))
            // With r > 0 a deep in-the-money put is floored above its European value: skip those.
            guard put > BlackScholes.intrinsicValue(.put, underlying: s, strike: k) + Decimal(1) / 100 else { return }
            let rhs = NSDecimalNumber(decimal: s).doubleValue
                - NSDecimalNumber(decimal: k).doubleValue * exp(-NSDecimalNumber(decimal: r * years).doubleValue)
            let lhs = NSDecimalNumber(decimal: call - put).doubleValue
            #expect(abs(lhs - rhs) <= 0.0101, "C=\(call) P=\(put) S=\(s) K=\(k) T=\(years) σ=\(sigma) r=\(r)")
        }
    }
}
