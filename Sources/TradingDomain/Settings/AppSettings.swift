import Foundation

/// The user's settings, stored as one document and changed with JSON merge-patch semantics.
///
/// Sections keep related settings together; later features add their own section
/// (`discord`, `coach`, …) without disturbing the others.
public struct AppSettings: Sendable, Hashable, Codable {
    public var risk: RiskSettings
    public var account: AccountSettings
    public var discord: DiscordSettings

    public init(risk: RiskSettings = RiskSettings(), account: AccountSettings = AccountSettings(), discord: DiscordSettings = DiscordSettings()) {
        self.risk = risk
        self.account = account
        self.discord = discord
    }

    /// The settings as anyone may see them (secrets masked).
    public var masked: AppSettings {
        var copy = self
        copy.discord = discord.masked
        return copy
    }

    public static let defaults = AppSettings()

    // Stored documents written by older versions lack newer fields or sections: fill in defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        risk = try container.decodeIfPresent(RiskSettings.self, forKey: .risk) ?? RiskSettings()
        account = try container.decodeIfPresent(AccountSettings.self, forKey: .account) ?? AccountSettings()
        discord = try container.decodeIfPresent(DiscordSettings.self, forKey: .discord) ?? DiscordSettings()
    }

    enum CodingKeys: String, CodingKey {
        case risk
        case account
        case discord
    }
}

/// Risk budget and limits. Percentages are of account equity (1 = 1 %).
public struct RiskSettings: Sendable, Hashable, Codable {
    /// Risk budget of one trade, percent of equity, used by sizing and plan checks.
    public var riskPerTradePct: Decimal
    /// Largest loss allowed in one trading day, in account currency.
    public var maxDailyLoss: Decimal
    /// Optional daily loss limit as a percent of equity; the tighter of the two applies.
    public var maxDailyLossPct: Decimal?
    /// Largest total risk to stops across open positions, percent of equity.
    public var maxOpenRiskPct: Decimal
    /// Largest single position value, percent of equity.
    public var maxPositionSizePct: Decimal
    /// Optional cap on the number of open positions.
    public var maxOpenPositions: Int?

    public init(
        riskPerTradePct: Decimal = 1,
        maxDailyLoss: Decimal = 2_000,
        maxDailyLossPct: Decimal? = nil,
        maxOpenRiskPct: Decimal = 6,
        maxPositionSizePct: Decimal = 25,
        maxOpenPositions: Int? = nil
    ) {
        self.riskPerTradePct = riskPerTradePct
        self.maxDailyLoss = maxDailyLoss
        self.maxDailyLossPct = maxDailyLossPct
        self.maxOpenRiskPct = maxOpenRiskPct
        self.maxPositionSizePct = maxPositionSizePct
        self.maxOpenPositions = maxOpenPositions
    }

    enum CodingKeys: String, CodingKey {
        case riskPerTradePct = "risk_per_trade_pct"
        case maxDailyLoss = "max_daily_loss"
        case maxDailyLossPct = "max_daily_loss_pct"
        case maxOpenRiskPct = "max_open_risk_pct"
        case maxPositionSizePct = "max_position_size_pct"
        case maxOpenPositions = "max_open_positions"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = RiskSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        riskPerTradePct = try container.decodeIfPresent(Decimal.self, forKey: .riskPerTradePct) ?? defaults.riskPerTradePct
        maxDailyLoss = try container.decodeIfPresent(Decimal.self, forKey: .maxDailyLoss) ?? defaults.maxDailyLoss
        maxDailyLossPct = try container.decodeIfPresent(Decimal.self, forKey: .maxDailyLossPct)
        maxOpenRiskPct = try container.decodeIfPresent(Decimal.self, forKey: .maxOpenRiskPct) ?? defaults.maxOpenRiskPct
        maxPositionSizePct = try container.decodeIfPresent(Decimal.self, forKey: .maxPositionSizePct)
            ?? defaults.maxPositionSizePct
        maxOpenPositions = try container.decodeIfPresent(Int.self, forKey: .maxOpenPositions)
    }

    // Encode optionals as explicit nulls so clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(riskPerTradePct, forKey: .riskPerTradePct)
        try container.encode(maxDailyLoss, forKey: .maxDailyLoss)
        try container.encode(maxDailyLossPct, forKey: .maxDailyLossPct)
        try container.encode(maxOpenRiskPct, forKey: .maxOpenRiskPct)
        try container.encode(maxPositionSizePct, forKey: .maxPositionSizePct)
        try container.encode(maxOpenPositions, forKey: .maxOpenPositions)
    }
}

/// Account facts used when no broker account is connected.
public struct AccountSettings: Sendable, Hashable, Codable {
    /// ISO 4217 code of the account currency.
    public var currency: String
    /// Equity used for sizing and risk percentages when no broker reports one.
    public var equity: Decimal

    public init(currency: String = "USD", equity: Decimal = 100_000) {
        self.currency = currency
        self.equity = equity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currency = try container.decodeIfPresent(String.self, forKey: .currency) ?? "USD"
        equity = try container.decodeIfPresent(Decimal.self, forKey: .equity) ?? 100_000
    }

    enum CodingKeys: String, CodingKey {
        case currency
        case equity
    }
}
