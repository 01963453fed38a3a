import Foundation

/// The account side of sizing: how much there is, how much one trade may risk, and the caps.
///
/// JSON (flat): `equity`, `buying_power`, `risk_pct` or `risk_amount`, `max_position_size_pct`,
/// `round_lots`. Percentages are of equity (1 = 1 %).
public struct SizingAccount: Sendable, Hashable, Codable {
    public var equity: Decimal
    /// Cash available for new positions; nil means "not known", which does not cap the size.
    public var buyingPower: Decimal?
    public var riskBudget: RiskBudget
    /// Largest position value as a percent of equity; nil means no cap.
    public var maxPositionSizePct: Decimal?
    /// Equities only: round the share count down to whole lots of 100.
    public var roundLots: Bool

    public init(
        equity: Decimal,
        buyingPower: Decimal? = nil,
        riskBudget: RiskBudget,
        maxPositionSizePct: Decimal? = nil,
        roundLots: Bool = false
    ) {
        self.equity = equity
        self.buyingPower = buyingPower
        self.riskBudget = riskBudget
        self.maxPositionSizePct = maxPositionSizePct
        self.roundLots = roundLots
    }

    enum CodingKeys: String, CodingKey {
        case equity
        case buyingPower = "buying_power"
        case maxPositionSizePct = "max_position_size_pct"
        case roundLots = "round_lots"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        equity = try container.decode(Decimal.self, forKey: .equity)
        buyingPower = try container.decodeIfPresent(Decimal.self, forKey: .buyingPower)
        riskBudget = try RiskBudget(from: decoder)
        maxPositionSizePct = try container.decodeIfPresent(Decimal.self, forKey: .maxPositionSizePct)
        roundLots = try container.decodeIfPresent(Bool.self, forKey: .roundLots) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(equity, forKey: .equity)
        try container.encode(buyingPower, forKey: .buyingPower)
        try riskBudget.encode(to: encoder)
        try container.encode(maxPositionSizePct, forKey: .maxPositionSizePct)
        try container.encode(roundLots, forKey: .roundLots)
    }

    /// The risk budget in money.
    public var riskBudgetAmount: Decimal { riskBudget.amount(equity: equity) }

    /// The largest position value allowed by `maxPositionSizePct`, if set.
    public var maxPositionValue: Decimal? { maxPositionSizePct.map { equity * $0 / 100 } }
}

/// One thing to size: which way, what kind, where in and where out, for one account.
///
/// For options `entry` is the premium per share and `stop` the stop premium; a long option may
/// omit the stop (the whole premium is then the risk). JSON is flat: `side`, `asset_class`,
/// `entry`, `stop` and the `SizingAccount` fields.
public struct SizingRequest: Sendable, Hashable, Codable {
    public var side: Side
    public var assetClass: AssetClass
    public var entry: Decimal
    public var stop: Decimal?
    public var account: SizingAccount

    public init(side: Side, assetClass: AssetClass, entry: Decimal, stop: Decimal?, account: SizingAccount) {
        self.side = side
        self.assetClass = assetClass
        self.entry = entry
        self.stop = stop
        self.account = account
    }

    /// Sizes `plan` (its side, asset class, entry and stop) for `account`.
    public init(plan: TradePlan, account: SizingAccount) {
        self.init(side: plan.side, assetClass: plan.assetClass, entry: plan.entry, stop: plan.stop, account: account)
    }

    enum CodingKeys: String, CodingKey {
        case side
        case assetClass = "asset_class"
        case entry, stop
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        side = try container.decode(Side.self, forKey: .side)
        assetClass = try container.decode(AssetClass.self, forKey: .assetClass)
        entry = try container.decode(Decimal.self, forKey: .entry)
        stop = try container.decodeIfPresent(Decimal.self, forKey: .stop)
        account = try SizingAccount(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(side, forKey: .side)
        try container.encode(assetClass, forKey: .assetClass)
        try container.encode(entry, forKey: .entry)
        try container.encode(stop, forKey: .stop)
        try account.encode(to: encoder)
    }

    /// Money lost per share or contract if the stop is hit (the whole premium for a long option
    /// without a stop). Meaningful only for a request without rejections.
    public var riskPerUnit: Decimal {
        let multiplier = Decimal(assetClass.multiplier)
        guard let stop else { return entry * multiplier }
        return TradeMath.riskPerShare(entry: entry, stop: stop, side: side) * multiplier
    }

    /// Money paid (or, for a short, the notional) per share or contract at the entry.
    public var costPerUnit: Decimal { entry * Decimal(assetClass.multiplier) }
}
