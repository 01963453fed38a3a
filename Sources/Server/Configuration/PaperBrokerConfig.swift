import Foundation

/// The paper broker's books (`TA_PAPER_*`, docs/configuration.md).
public struct PaperBrokerConfig: Sendable {
    public var equity: Decimal = 100_000
    /// Per share, against the trader on market and stop fills.
    public var slippage: Decimal = Decimal(string: "0.01")!
    public var commission: Decimal = 0
    /// Per option contract.
    public var optionCommission: Decimal = Decimal(string: "0.65")!
    /// The volatility option fills are priced at (Black–Scholes).
    public var optionVolatility: Decimal = Decimal(string: "0.30")!

    public init() {}

    /// Reads the `ta.paper` scope.
    static func read(_ scope: ConfigScope) -> PaperBrokerConfig {
        var config = PaperBrokerConfig()
        if let equity = scope.decimal("equity", 1...1_000_000_000) { config.equity = equity }
        if let slippage = scope.decimal("slippage", 0...100) { config.slippage = slippage }
        if let commission = scope.decimal("commission", 0...1_000) { config.commission = commission }
        if let commission = scope.decimal("option.commission", 0...100) { config.optionCommission = commission }
        if let volatility = scope.decimal("option.volatility", Decimal(string: "0.01")!...5) { config.optionVolatility = volatility }
        return config
    }

    var summary: [String: String?] {
        ["TA_PAPER_EQUITY": "\(equity)", "TA_PAPER_SLIPPAGE": "\(slippage)", "TA_PAPER_COMMISSION": "\(commission)",
         "TA_PAPER_OPTION_COMMISSION": "\(optionCommission)", "TA_PAPER_OPTION_VOLATILITY": "\(optionVolatility)"]
    }
}
