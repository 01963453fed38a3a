import Foundation

/// One target with what it pays.
public struct TargetEvaluation: Sendable, Hashable, Codable {
    public var price: Decimal
    /// Gain per share (premium points for options) if the target is reached; negative when the
    /// target is on the wrong side of the entry.
    public var rewardPerShare: Decimal
    /// Reward ÷ risk per share, 2 decimals half away from zero; nil when the stop leaves no risk
    /// to divide by (zero or wrong-side stop).
    public var rMultiple: Decimal?

    public init(price: Decimal, rewardPerShare: Decimal, rMultiple: Decimal?) {
        self.price = price
        self.rewardPerShare = rewardPerShare
        self.rMultiple = rMultiple
    }

    enum CodingKeys: String, CodingKey {
        case price
        case rMultiple = "r_multiple"
        case rewardPerShare = "reward_per_share"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(price, forKey: .price)
        try container.encode(rMultiple, forKey: .rMultiple)
        try container.encode(rewardPerShare, forKey: .rewardPerShare)
    }
}

/// The price at which the trade has made `r` times its risk.
public struct RBand: Sendable, Hashable, Codable {
    public var r: Decimal
    public var price: Decimal

    public init(r: Decimal, price: Decimal) {
        self.r = r
        self.price = price
    }
}

/// Everything `POST /api/v1/plan/validate` returns about one plan.
public struct PlanEvaluation: Sendable, Hashable, Codable {
    /// True when there are no errors (warnings do not make a plan invalid).
    public var valid: Bool
    public var errors: [PlanningIssue]
    public var warnings: [PlanningIssue]
    /// Plain-English paragraph, built deterministically from the numbers below.
    public var summary: String
    /// Entry − stop in the trader's favour; nil when the stop is at or beyond the entry.
    public var riskPerShare: Decimal?
    /// Risk per share × multiplier (per contract for options).
    public var riskPerUnit: Decimal?
    /// Risk per share as a percent of the entry (2 decimals).
    public var stopDistancePct: Decimal?
    /// Risk per unit × quantity, when the plan has a quantity.
    public var totalRisk: Decimal?
    /// Total risk as a percent of equity (2 decimals), when quantity and equity are known.
    public var riskPctOfEquity: Decimal?
    public var targets: [TargetEvaluation]
    /// Prices at 1R, 2R and 3R (a short's band is left out when its price would not be positive).
    public var rBands: [RBand]
    /// The sizer's answer for the plan and the context's account, when both are usable.
    public var suggestedSize: SizingResult?

    public init(
        valid: Bool, errors: [PlanningIssue], warnings: [PlanningIssue], summary: String,
        riskPerShare: Decimal?, riskPerUnit: Decimal?, stopDistancePct: Decimal?, totalRisk: Decimal?,
        riskPctOfEquity: Decimal?, targets: [TargetEvaluation], rBands: [RBand], suggestedSize: SizingResult?
    ) {
        self.valid = valid
        self.errors = errors
        self.warnings = warnings
        self.summary = summary
        self.riskPerShare = riskPerShare
        self.riskPerUnit = riskPerUnit
        self.stopDistancePct = stopDistancePct
        self.totalRisk = totalRisk
        self.riskPctOfEquity = riskPctOfEquity
        self.targets = targets
        self.rBands = rBands
        self.suggestedSize = suggestedSize
    }

    enum CodingKeys: String, CodingKey {
        case valid, errors, warnings, summary
        case riskPerShare = "risk_per_share"
        case riskPerUnit = "risk_per_unit"
        case stopDistancePct = "stop_distance_pct"
        case totalRisk = "total_risk"
        case riskPctOfEquity = "risk_pct_of_equity"
        case targets
        case rBands = "r_bands"
        case suggestedSize = "suggested_size"
    }

    // Optionals are written as explicit nulls so clients always see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valid, forKey: .valid)
        try container.encode(errors, forKey: .errors)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(summary, forKey: .summary)
        try container.encode(riskPerShare, forKey: .riskPerShare)
        try container.encode(riskPerUnit, forKey: .riskPerUnit)
        try container.encode(stopDistancePct, forKey: .stopDistancePct)
        try container.encode(totalRisk, forKey: .totalRisk)
        try container.encode(riskPctOfEquity, forKey: .riskPctOfEquity)
        try container.encode(targets, forKey: .targets)
        try container.encode(rBands, forKey: .rBands)
        try container.encode(suggestedSize, forKey: .suggestedSize)
    }
}
