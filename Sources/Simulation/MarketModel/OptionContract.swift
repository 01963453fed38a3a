import Foundation
import TradingDomain

/// The parts of an OCC option symbol (`AAPL250620C00230000`: root, expiry yymmdd, C/P, strike×1000).
///
/// The simulated market prices an option simply: its reference price is intrinsic value against
/// the underlying's reference price plus a time value of roughly a one-month at-the-money option
/// that fades away from the strike; its volatility is the underlying's, levered by an approximate
/// delta. The option's path is then simulated on its own — it does not follow the underlying's
/// live path, and there is no time decay or expiry.
public struct OptionContract: Sendable, Hashable {
    public enum Right: String, Sendable, Hashable {
        case call = "C"
        case put = "P"
    }

    public var symbol: Symbol
    public var underlying: Symbol
    /// Expiry as written in the symbol (yymmdd), e.g. 250620.
    public var expiry: Int
    public var right: Right
    /// Strike in ticks of 0.01 (the OCC field is in thousandths of a dollar).
    public var strikeTicks: Int64

    public init?(_ symbol: Symbol) {
        let bytes = Array(symbol.rawValue.utf8)
        guard (16...21).contains(bytes.count) else { return nil }
        let rootLength = bytes.count - 15
        let root = bytes[0..<rootLength]
        guard root.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        func digits(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int64(bytes[index] - 48)
            }
            return value
        }
        guard let expiry = digits(rootLength..<(rootLength + 6)),
              let right = Right(rawValue: String(UnicodeScalar(bytes[rootLength + 6]))),
              let strike = digits((rootLength + 7)..<bytes.count)
        else { return nil }
        self.symbol = symbol
        self.underlying = Symbol(trusted: String(decoding: root, as: UTF8.self))
        self.expiry = Int(expiry)
        self.right = right
        self.strikeTicks = strike / 10
    }

    /// Strike price (exact).
    public var strike: Decimal { TickGrid.price(strikeTicks) }

    /// The option's simulated profile, derived from its underlying's.
    func profile(underlying: SymbolProfile) -> SymbolProfile {
        let spot = Double(underlying.referenceTicks)
        let strike = Double(strikeTicks)
        let moneyness = right == .call ? spot - strike : strike - spot
        let intrinsic = max(0, moneyness)
        // ≈ one-month at-the-money time value: 0.4 σ √21 S; fades as |S − K| grows.
        let atmTimeValue = 0.4 * underlying.dailyVolatility * 21.0.squareRoot() * spot
        let distance = abs(spot - strike) / (2.5 * atmTimeValue)
        let timeValue = atmTimeValue / (1 + distance * distance)
        let price = max(5, intrinsic + timeValue)
        // Delta from a smooth step: 0.5 at the money, toward 1 in the money and 0 out of it.
        let delta = 0.5 + 0.5 * moneyness / (abs(moneyness) + atmTimeValue)
        let volatility = min(max(underlying.dailyVolatility * delta * spot / price, 0.03), 0.25)
        let ticks = TickGrid.roundTicks(price, minimum: 5)
        return SymbolProfile(
            symbol: symbol, referenceTicks: ticks, dailyVolatility: volatility,
            averageDailyVolume: 3_000, lotSize: 1, typicalSpreadTicks: ticks < 300 ? 2 : 3)
    }
}
