import Foundation
import TradingDomain

/// How a symbol behaves in the simulated market: its reference price (the level its daily path
/// reverts to), volatility, liquidity and quote width. It depends only on the symbol, never on the
/// seed: AAPL trades near 230 whatever the seed; the seed only changes the path.
public struct SymbolProfile: Sendable, Hashable {
    public var symbol: Symbol
    /// Long-run price level in ticks of 0.01.
    public var referenceTicks: Int64
    /// Standard deviation of one session's close-to-close return, as a fraction (0.02 = 2 %).
    /// A model parameter, not money.
    public var dailyVolatility: Double
    /// Typical shares (or contracts) traded per regular session.
    public var averageDailyVolume: Int64
    /// Round lot: 100 shares for equities, 1 contract for options.
    public var lotSize: Int64
    /// Usual bid/ask spread in ticks (1…3); quotes sometimes widen by one tick, never beyond 3.
    public var typicalSpreadTicks: Int64

    public init(
        symbol: Symbol, referenceTicks: Int64, dailyVolatility: Double, averageDailyVolume: Int64,
        lotSize: Int64, typicalSpreadTicks: Int64
    ) {
        self.symbol = symbol
        self.referenceTicks = max(1, referenceTicks)
        self.dailyVolatility = min(max(dailyVolatility, 0.001), 0.25)
        self.averageDailyVolume = max(lotSize, averageDailyVolume)
        self.lotSize = max(1, lotSize)
        self.typicalSpreadTicks = min(max(typicalSpreadTicks, 1), 3)
    }

    /// Reference price (exact, on the 0.01 grid).
    public var referencePrice: Decimal { TickGrid.price(referenceTicks) }

    /// The profile of any symbol: a known ticker from the built-in table, an OCC option priced from
    /// its underlying, or an unknown ticker with a price in 10…500 derived from its name.
    public static func of(_ symbol: Symbol) -> SymbolProfile {
        if let option = OptionContract(symbol) {
            return option.profile(underlying: of(option.underlying))
        }
        if let known = KnownSymbols.lookup(symbol.rawValue) {
            return SymbolProfile(
                symbol: symbol, referenceTicks: known.cents, dailyVolatility: known.volatility,
                averageDailyVolume: known.volume, lotSize: 100, typicalSpreadTicks: known.spread)
        }
        return unknown(symbol)
    }

    /// An unknown ticker: deterministic from the symbol's stable hash. Price 10…500 (skewed toward
    /// cheaper names), volatility 1–4 %, volume 0.3–20 M shares, spread 1–3 ticks.
    static func unknown(_ symbol: Symbol) -> SymbolProfile {
        let name = symbol.rawValue
        let u = StableHash.unit(name, salt: 1)
        let cents = TickGrid.roundTicks(1_000 + 49_000 * u * u)
        let volatility = 0.01 + 0.03 * StableHash.unit(name, salt: 2)
        let volumeU = StableHash.unit(name, salt: 3)
        let volume = Int64((300_000 + 19_700_000 * volumeU * volumeU).rounded())
        let spread = 1 + Int64(StableHash.unit(name, salt: 4) * 3)
        return SymbolProfile(
            symbol: symbol, referenceTicks: cents, dailyVolatility: volatility,
            averageDailyVolume: volume / 100 * 100, lotSize: 100, typicalSpreadTicks: spread)
    }
}

/// Built-in profiles of commonly watched tickers (approximate levels of 2025).
enum KnownSymbols {
    struct Entry {
        var cents: Int64
        var volatility: Double
        var volume: Int64
        var spread: Int64
    }

    /// `BRK/B` and `BRK-B` are spellings of `BRK.B`.
    static func lookup(_ ticker: String) -> Entry? {
        if let entry = table[ticker] { return entry }
        guard ticker.contains("/") || ticker.contains("-") else { return nil }
        return table[String(ticker.map { $0 == "/" || $0 == "-" ? "." : $0 })]
    }

    static let table: [String: Entry] = {
        // symbol: price, daily volatility, average daily volume, usual spread in ticks
        let rows: [(String, Int64, Double, Int64, Int64)] = [
            ("SPY", 590_00, 0.010, 60_000_000, 1), ("QQQ", 510_00, 0.013, 40_000_000, 1),
            ("IWM", 220_00, 0.015, 30_000_000, 1), ("DIA", 430_00, 0.010, 3_500_000, 1),
            ("AAPL", 230_00, 0.016, 50_000_000, 1), ("MSFT", 420_00, 0.015, 20_000_000, 1),
            ("NVDA", 140_00, 0.030, 250_000_000, 1), ("AMZN", 200_00, 0.019, 40_000_000, 1),
            ("TSLA", 250_00, 0.035, 90_000_000, 1), ("META", 600_00, 0.021, 12_000_000, 2),
            ("GOOGL", 170_00, 0.018, 25_000_000, 1), ("GOOG", 172_00, 0.018, 18_000_000, 1),
            ("AMD", 130_00, 0.030, 40_000_000, 1), ("NFLX", 900_00, 0.022, 3_500_000, 3),
            ("AVGO", 220_00, 0.028, 25_000_000, 2), ("INTC", 21_00, 0.028, 70_000_000, 1),
            ("MU", 100_00, 0.030, 20_000_000, 1), ("QCOM", 160_00, 0.020, 8_000_000, 1),
            ("ORCL", 170_00, 0.022, 9_000_000, 2), ("CRM", 320_00, 0.020, 6_000_000, 2),
            ("ADBE", 450_00, 0.020, 3_000_000, 2), ("IBM", 230_00, 0.014, 4_000_000, 2),
            ("CSCO", 58_00, 0.012, 18_000_000, 1), ("PLTR", 70_00, 0.040, 80_000_000, 1),
            ("COIN", 260_00, 0.045, 10_000_000, 2), ("SMCI", 40_00, 0.050, 30_000_000, 1),
            ("UBER", 75_00, 0.022, 18_000_000, 1), ("SHOP", 100_00, 0.030, 9_000_000, 1),
            ("JPM", 240_00, 0.013, 9_000_000, 1), ("BAC", 43_00, 0.015, 35_000_000, 1),
            ("V", 310_00, 0.011, 6_000_000, 1), ("MA", 520_00, 0.011, 3_000_000, 2),
            ("BRK.B", 470_00, 0.009, 4_000_000, 2), ("UNH", 500_00, 0.018, 4_000_000, 2),
            ("XOM", 110_00, 0.014, 15_000_000, 1), ("CVX", 150_00, 0.014, 8_000_000, 1),
            ("WMT", 90_00, 0.011, 15_000_000, 1), ("COST", 900_00, 0.012, 2_000_000, 3),
            ("KO", 63_00, 0.009, 14_000_000, 1), ("PEP", 150_00, 0.010, 6_000_000, 1),
            ("DIS", 110_00, 0.016, 9_000_000, 1), ("BA", 170_00, 0.022, 8_000_000, 1),
            ("F", 10_50, 0.020, 50_000_000, 1), ("GE", 200_00, 0.018, 5_000_000, 1),
            ("T", 24_00, 0.011, 30_000_000, 1), ("VZ", 42_00, 0.010, 18_000_000, 1),
            ("PFE", 26_00, 0.014, 35_000_000, 1), ("SOFI", 14_00, 0.040, 50_000_000, 1),
            ("GLD", 250_00, 0.009, 8_000_000, 1), ("TLT", 90_00, 0.009, 35_000_000, 1),
        ]
        var table: [String: Entry] = [:]
        for (symbol, cents, volatility, volume, spread) in rows {
            table[symbol] = Entry(cents: cents, volatility: volatility, volume: volume, spread: spread)
        }
        return table
    }()
}
