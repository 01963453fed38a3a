import Foundation

/// Which limit decided the quantity. There is always one: the risk budget when nothing tighter
/// applies.
public enum SizingCap: String, Sendable, Hashable, Codable, CaseIterable {
    /// floor(risk budget ÷ risk per unit) was the smallest limit.
    case riskBudget = "risk_budget"
    /// The position value would otherwise exceed the buying power.
    case buyingPower = "buying_power"
    /// The position value would otherwise exceed `max_position_size_pct` of equity.
    case maxPositionSize = "max_position_size"
    /// Rounding down to whole lots of 100 shares removed some shares.
    case roundLot = "round_lot"
}

/// How boldly to use the risk budget.
public enum SizingProfile: String, Sendable, Hashable, Codable, CaseIterable {
    case conservative
    case standard
    case aggressive

    /// Multiplier on the risk budget: 0.5, 1 and 1.5. The aggressive profile is 1.5× rather than
    /// 2× so that a typical 1 % budget stretches to 1.5 %, staying under the common 2 % ceiling.
    public var budgetMultiplier: Decimal {
        switch self {
        case .conservative: Decimal(5) / 10
        case .standard: 1
        case .aggressive: Decimal(15) / 10
        }
    }
}

/// One quantity with what it costs and risks, sized for one risk budget.
public struct SizingAlternative: Sendable, Hashable, Codable {
    public var profile: SizingProfile
    public var budgetMultiplier: Decimal
    /// The budget this alternative was sized for, in money.
    public var riskBudget: Decimal
    public var quantity: Decimal
    /// Money lost at the stop with this quantity (never more than `riskBudget`).
    public var riskAmount: Decimal
    /// Quantity × entry × multiplier.
    public var positionValue: Decimal
    /// Position value as a percent of equity (2 decimals, half away from zero).
    public var pctOfEquity: Decimal
    /// Risk amount as a percent of equity (2 decimals, half away from zero).
    public var riskPctOfEquity: Decimal
    public var cappedBy: SizingCap

    public init(
        profile: SizingProfile, budgetMultiplier: Decimal, riskBudget: Decimal, quantity: Decimal,
        riskAmount: Decimal, positionValue: Decimal, pctOfEquity: Decimal, riskPctOfEquity: Decimal,
        cappedBy: SizingCap
    ) {
        self.profile = profile
        self.budgetMultiplier = budgetMultiplier
        self.riskBudget = riskBudget
        self.quantity = quantity
        self.riskAmount = riskAmount
        self.positionValue = positionValue
        self.pctOfEquity = pctOfEquity
        self.riskPctOfEquity = riskPctOfEquity
        self.cappedBy = cappedBy
    }

    enum CodingKeys: String, CodingKey {
        case profile
        case budgetMultiplier = "budget_multiplier"
        case riskBudget = "risk_budget"
        case quantity
        case riskAmount = "risk_amount"
        case positionValue = "position_value"
        case pctOfEquity = "pct_of_equity"
        case riskPctOfEquity = "risk_pct_of_equity"
        case cappedBy = "capped_by"
    }
}

/// The sizer's answer: the standard quantity, its numbers, and all three alternatives.
public struct SizingResult: Sendable, Hashable, Codable {
    public var assetClass: AssetClass
    public var quantity: Decimal
    /// Money lost per share or contract at the stop.
    public var riskPerUnit: Decimal
    /// Money paid per share or contract at the entry.
    public var costPerUnit: Decimal
    /// The standard risk budget in money.
    public var riskBudget: Decimal
    public var riskAmount: Decimal
    public var positionValue: Decimal
    public var pctOfEquity: Decimal
    public var riskPctOfEquity: Decimal
    public var cappedBy: SizingCap
    /// `quantity_zero` when not one unit fits, saying which limit and by how much.
    public var warnings: [PlanningIssue]
    /// Conservative, standard and aggressive, in that order.
    public var alternatives: [SizingAlternative]

    public init(
        assetClass: AssetClass, quantity: Decimal, riskPerUnit: Decimal, costPerUnit: Decimal,
        riskBudget: Decimal, riskAmount: Decimal, positionValue: Decimal, pctOfEquity: Decimal,
        riskPctOfEquity: Decimal, cappedBy: SizingCap, warnings: [PlanningIssue], alternatives: [SizingAlternative]
    ) {
        self.assetClass = assetClass
        self.quantity = quantity
        self.riskPerUnit = riskPerUnit
        self.costPerUnit = costPerUnit
        self.riskBudget = riskBudget
        self.riskAmount = riskAmount
        self.positionValue = positionValue
        self.pctOfEquity = pctOfEquity
        self.riskPctOfEquity = riskPctOfEquity
        self.cappedBy = cappedBy
        self.warnings = warnings
        self.alternatives = alternatives
    }

    /// The alternative for `profile`.
    public func alternative(_ profile: SizingProfile) -> SizingAlternative? {
        alternatives.first { $0.profile == profile }
    }

    enum CodingKeys: String, CodingKey {
        case assetClass = "asset_class"
        case quantity
        case riskPerUnit = "risk_per_unit"
        case costPerUnit = "cost_per_unit"
        case riskBudget = "risk_budget"
        case riskAmount = "risk_amount"
        case positionValue = "position_value"
        case pctOfEquity = "pct_of_equity"
        case riskPctOfEquity = "risk_pct_of_equity"
        case cappedBy = "capped_by"
        case warnings
        case alternatives
    }
}
