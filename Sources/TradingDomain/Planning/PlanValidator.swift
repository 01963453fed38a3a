import Foundation

/// What the market and the account say around a plan, for warnings and the suggested size.
/// Every part is optional: a check whose input is missing is skipped.
public struct PlanContext: Sendable, Hashable {
    /// Last traded price of the symbol (for `entry_far_from_last`).
    public var lastPrice: Decimal?
    /// Average true range in the plan's price units (for `stop_tighter_than_atr`).
    public var atr: Decimal?
    /// The stop is "too tight" when closer than this many ATRs.
    public var atrStopMultiple: Decimal
    /// The entry is "far" when more than this percent away from the last price.
    public var entryFarPct: Decimal
    /// Equity, budget and caps (for `risk_above_budget`, risk % of equity and the suggested size).
    public var account: SizingAccount?

    public static let defaultATRStopMultiple: Decimal = 1
    public static let defaultEntryFarPct: Decimal = 5

    public init(
        lastPrice: Decimal? = nil,
        atr: Decimal? = nil,
        atrStopMultiple: Decimal = defaultATRStopMultiple,
        entryFarPct: Decimal = defaultEntryFarPct,
        account: SizingAccount? = nil
    ) {
        self.lastPrice = lastPrice
        self.atr = atr
        self.atrStopMultiple = atrStopMultiple
        self.entryFarPct = entryFarPct
        self.account = account
    }
}

/// The rules a plan must follow (errors) and the checks that only advise (warnings).
public enum PlanValidator {
    /// Everything wrong with `plan`, in input order (entry, stop, targets, quantity, the rest).
    public static func rejections(for plan: TradePlan) -> [PlanningRejection] {
        var result: [PlanningRejection] = []
        if plan.entry <= 0 { result.append(.entryNotPositive(plan.entry)) }
        result += PlanningLimits.checkPrice(plan.entry, field: "entry")
        result += StopRules.check(stop: plan.stop, entry: plan.entry, side: plan.side)
        result += targetRejections(plan)
        if let quantity = plan.quantity {
            if quantity <= 0 {
                result.append(.quantityNotPositive(quantity))
            } else if !quantity.isWhole {
                result.append(.quantityNotWhole(quantity, plan.assetClass))
            } else if quantity > PlanningLimits.maxQuantity {
                result.append(.valueTooLarge(field: "quantity", value: quantity, limit: PlanningLimits.maxQuantity))
            }
        }
        if plan.symbol.isOption != (plan.assetClass == .option) {
            result.append(.assetClassMismatch(symbol: plan.symbol, assetClass: plan.assetClass))
        }
        if let thesis = plan.thesis, thesis.count > PlanningLimits.maxThesisLength {
            result.append(.textTooLong(field: "thesis", length: thesis.count, limit: PlanningLimits.maxThesisLength))
        }
        if let timeframe = plan.timeframe, timeframe.count > PlanningLimits.maxTimeframeLength {
            result.append(.textTooLong(
                field: "timeframe", length: timeframe.count, limit: PlanningLimits.maxTimeframeLength))
        }
        return result
    }

    /// Throws every rejection of `plan` as field errors (for callers that need a usable plan,
    /// such as a bracket order built from it).
    public static func validate(_ plan: TradePlan) throws(ValidationFailure) {
        let rejections = rejections(for: plan)
        if !rejections.isEmpty { throw ValidationFailure(rejections: rejections) }
    }

    static func targetRejections(_ plan: TradePlan) -> [PlanningRejection] {
        if plan.targets.isEmpty { return [.targetsMissing] }
        if plan.targets.count > PlanningLimits.maxTargets {
            return [.tooManyTargets(count: plan.targets.count, limit: PlanningLimits.maxTargets)]
        }
        var result: [PlanningRejection] = []
        for (index, target) in plan.targets.enumerated() {
            let bounds = PlanningLimits.checkPrice(target, field: "targets[\(index)]")
            if target <= 0 {
                result.append(.targetNotPositive(index: index, value: target))
            } else if !bounds.isEmpty {
                result += bounds
            } else if plan.entry > 0,
                      TradeMath.rewardPerShare(entry: plan.entry, target: target, side: plan.side) <= 0 {
                result.append(.targetWrongSide(index: index, side: plan.side, entry: plan.entry, target: target))
            }
        }
        return result
    }

    /// Advice for a plan without rejections, in a fixed order: targets, stop, entry, quantity.
    public static func warnings(for plan: TradePlan, context: PlanContext) -> [PlanningWarning] {
        let riskPerShare = TradeMath.riskPerShare(entry: plan.entry, stop: plan.stop, side: plan.side)
        guard riskPerShare > 0 else { return [] }
        var result: [PlanningWarning] = []
        let rewards = plan.targets.map { TradeMath.rewardPerShare(entry: plan.entry, target: $0, side: plan.side) }
        if let best = rewards.max(), best < riskPerShare {
            // Rounded down so the message never shows 1.00R for a best target just under 1R.
            let bestR = (best / riskPerShare).rounded(scale: TradeMath.displayScale, .down)
            result.append(.bestTargetUnderOneR(best: bestR))
        }
        if rewards != rewards.sorted() { result.append(.targetsUnordered) }
        if let atr = context.atr, atr > 0, riskPerShare < atr * context.atrStopMultiple {
            result.append(.stopTighterThanATR(distance: riskPerShare, atr: atr, multiple: context.atrStopMultiple))
        }
        if let last = context.lastPrice, last > 0,
           let distance = TradeMath.percent((plan.entry - last).magnitudeValue, of: last),
           (plan.entry - last).magnitudeValue * 100 > context.entryFarPct * last {
            result.append(.entryFarFromLast(
                entry: plan.entry, last: last, distancePct: distance, thresholdPct: context.entryFarPct))
        }
        if let quantity = plan.quantity, let account = context.account {
            let risk = quantity * riskPerShare * Decimal(plan.assetClass.multiplier)
            let budget = account.riskBudgetAmount
            if risk > budget { result.append(.riskAboveBudget(risk: risk, budget: budget)) }
        }
        return result
    }
}
