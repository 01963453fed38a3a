import Foundation

/// A trade idea before it becomes an order: what, which way, where in, where wrong, where out.
///
/// For options, `entry`, `stop` and `targets` are option premiums per share of the underlying
/// (as quoted), and `quantity` is contracts; money amounts multiply by `assetClass.multiplier`.
/// A plan is only a value: check it with `PlanValidator` / `PlanEvaluator`.
public struct TradePlan: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var side: Side
    public var assetClass: AssetClass
    public var entry: Decimal
    public var stop: Decimal
    /// One or more exit prices, nearest first by convention.
    public var targets: [Decimal]
    /// Shares or contracts, when the trader has chosen a size.
    public var quantity: Decimal?
    public var thesis: String?
    /// Free label such as `day`, `swing` or `2-3 weeks`.
    public var timeframe: String?

    /// `assetClass` defaults to what the symbol is: an OCC option symbol means `.option`.
    public init(
        symbol: Symbol,
        side: Side,
        assetClass: AssetClass? = nil,
        entry: Decimal,
        stop: Decimal,
        targets: [Decimal],
        quantity: Decimal? = nil,
        thesis: String? = nil,
        timeframe: String? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.assetClass = assetClass ?? (symbol.isOption ? .option : .equity)
        self.entry = entry
        self.stop = stop
        self.targets = targets
        self.quantity = quantity
        self.thesis = thesis
        self.timeframe = timeframe
    }

    enum CodingKeys: String, CodingKey {
        case symbol, side
        case assetClass = "asset_class"
        case entry, stop, targets, quantity, thesis, timeframe
    }
}

/// How much one trade may lose if the stop is hit: a percent of equity (1 = 1 %) or an amount.
public enum RiskBudget: Sendable, Hashable {
    case percentOfEquity(Decimal)
    case amount(Decimal)

    /// The budget in money for the given equity.
    public func amount(equity: Decimal) -> Decimal {
        switch self {
        case .percentOfEquity(let pct): equity * pct / 100
        case .amount(let amount): amount
        }
    }

    /// The same kind of budget multiplied by `factor` (used for the sizing alternatives).
    public func scaled(by factor: Decimal) -> RiskBudget {
        switch self {
        case .percentOfEquity(let pct): .percentOfEquity(pct * factor)
        case .amount(let amount): .amount(amount * factor)
        }
    }
}

extension RiskBudget: Codable {
    enum CodingKeys: String, CodingKey {
        case riskPct = "risk_pct"
        case riskAmount = "risk_amount"
    }

    /// `{"risk_pct": 1}` or `{"risk_amount": 500}`, exactly one of them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let pct = try container.decodeIfPresent(Decimal.self, forKey: .riskPct)
        let amount = try container.decodeIfPresent(Decimal.self, forKey: .riskAmount)
        switch (pct, amount) {
        case (let pct?, nil): self = .percentOfEquity(pct)
        case (nil, let amount?): self = .amount(amount)
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "give exactly one of risk_pct and risk_amount"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .percentOfEquity(let pct): try container.encode(pct, forKey: .riskPct)
        case .amount(let amount): try container.encode(amount, forKey: .riskAmount)
        }
    }
}
