import Foundation

/// Something about a valid plan or a sizing answer that the trader should look at twice. A
/// warning never blocks anything.
///
/// Messages are whole sentences (a warning may concern no single field).
public enum PlanningWarning: Sendable, Hashable {
    /// The farthest target pays less than the risk.
    case bestTargetUnderOneR(best: Decimal)
    /// The stop is closer to the entry than `multiple` × ATR, so ordinary noise may hit it.
    case stopTighterThanATR(distance: Decimal, atr: Decimal, multiple: Decimal)
    /// The entry is more than `thresholdPct` percent away from the last traded price.
    case entryFarFromLast(entry: Decimal, last: Decimal, distancePct: Decimal, thresholdPct: Decimal)
    /// The plan's quantity loses more than the risk budget at the stop.
    case riskAboveBudget(risk: Decimal, budget: Decimal)
    /// Targets are not listed from nearest to farthest.
    case targetsUnordered
    /// No size could be suggested because the account inputs are unusable.
    case sizingUnavailable([PlanningRejection])
    /// The sizer's answer is 0: not even one unit fits within `cap`.
    case quantityZero(ZeroQuantityReason)

    public var code: String {
        switch self {
        case .bestTargetUnderOneR: "best_target_under_1r"
        case .stopTighterThanATR: "stop_tighter_than_atr"
        case .entryFarFromLast: "entry_far_from_last"
        case .riskAboveBudget: "risk_above_budget"
        case .targetsUnordered: "targets_unordered"
        case .sizingUnavailable: "sizing_unavailable"
        case .quantityZero: "quantity_zero"
        }
    }

    public var field: String? {
        switch self {
        case .bestTargetUnderOneR, .targetsUnordered: "targets"
        case .stopTighterThanATR: "stop"
        case .entryFarFromLast: "entry"
        case .riskAboveBudget: "quantity"
        case .sizingUnavailable: nil
        case .quantityZero(let reason): reason.field
        }
    }

    public var message: String {
        let f = PlanningFormat.self
        switch self {
        case .bestTargetUnderOneR(let best):
            return "The best target pays only \(f.rMultiple(best)), less than the \(f.rMultiple(1)) risked."
        case .stopTighterThanATR(let distance, let atr, let multiple):
            let band = multiple == 1 ? "the ATR of \(f.price(atr))" : "\(multiple) × the ATR of \(f.price(atr))"
            return "The stop is \(f.price(distance)) from the entry, tighter than \(band); "
                + "ordinary noise may stop the trade out."
        case .entryFarFromLast(let entry, let last, let distancePct, let thresholdPct):
            return "The entry \(f.price(entry)) is \(f.percent(distancePct)) away from the last price "
                + "\(f.price(last)), more than \(f.percent(thresholdPct))."
        case .riskAboveBudget(let risk, let budget):
            return "The plan risks \(f.money(risk)), more than the risk budget of \(f.money(budget))."
        case .targetsUnordered:
            return "The targets are not ordered from nearest to farthest."
        case .sizingUnavailable(let rejections):
            let reasons = rejections.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            return "No size suggested: \(reasons)."
        case .quantityZero(let reason):
            return reason.message
        }
    }

    public var issue: PlanningIssue { PlanningIssue(code: code, field: field, message: message) }
}

/// Why the sizer could not fit a single share or contract, with the numbers that show it.
public struct ZeroQuantityReason: Sendable, Hashable {
    public var cap: SizingCap
    public var assetClass: AssetClass
    /// Money lost per share or contract at the stop.
    public var riskPerUnit: Decimal
    /// Money paid per share or contract at the entry.
    public var costPerUnit: Decimal
    /// The binding limit in money (risk budget, buying power, max position value); for
    /// `.roundLot`, the quantity the other limits allowed.
    public var limit: Decimal

    public init(cap: SizingCap, assetClass: AssetClass, riskPerUnit: Decimal, costPerUnit: Decimal, limit: Decimal) {
        self.cap = cap
        self.assetClass = assetClass
        self.riskPerUnit = riskPerUnit
        self.costPerUnit = costPerUnit
        self.limit = limit
    }

    var field: String? {
        switch cap {
        case .riskBudget: nil
        case .buyingPower: "buying_power"
        case .maxPositionSize: "max_position_size_pct"
        case .roundLot: "round_lots"
        }
    }

    var message: String {
        let f = PlanningFormat.self
        let unit = assetClass == .equity ? "share" : "contract"
        switch cap {
        case .riskBudget:
            return "Quantity is 0: one \(unit) risks \(f.money(riskPerUnit)), more than the risk budget of "
                + "\(f.money(limit)). Raise the budget, move the stop closer or skip the trade."
        case .buyingPower:
            return "Quantity is 0: one \(unit) costs \(f.money(costPerUnit)), more than the buying power of "
                + "\(f.money(limit))."
        case .maxPositionSize:
            return "Quantity is 0: one \(unit) costs \(f.money(costPerUnit)), more than the maximum position "
                + "size of \(f.money(limit))."
        case .roundLot:
            return "Quantity is 0: the limits allow \(limit) shares, less than one round lot of "
                + "\(PlanningLimits.roundLotSize). Turn off round lots to buy odd lots."
        }
    }
}
