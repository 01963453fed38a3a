import Foundation

/// Checks a plan and computes its numbers, warnings, summary and suggested size in one pass.
public enum PlanEvaluator {
    /// The R multiples for which `r_bands` gives a price.
    public static let rBandMultiples: [Decimal] = [1, 2, 3]

    /// Evaluates `plan` in `context`. Never throws: problems with the plan are `errors` (and
    /// `valid` is false); warnings are computed only for a valid plan; the suggested size only
    /// when the plan is valid and the context has an account (unusable account inputs become a
    /// `sizing_unavailable` warning; round lots are ignored for an option plan).
    public static func evaluate(_ plan: TradePlan, context: PlanContext = PlanContext()) -> PlanEvaluation {
        let rejections = PlanValidator.rejections(for: plan)
        let valid = rejections.isEmpty
        let numbers = PlanNumbers(plan: plan, equity: context.account?.equity)

        var warnings = valid ? PlanValidator.warnings(for: plan, context: context) : []
        var suggestedSize: SizingResult?
        if valid, var account = context.account {
            if plan.assetClass == .option { account.roundLots = false }
            let request = SizingRequest(plan: plan, account: account)
            let sizingRejections = PositionSizer.rejections(for: request)
            if sizingRejections.isEmpty {
                suggestedSize = PositionSizer.sizeValidated(request)
            } else {
                warnings.append(.sizingUnavailable(sizingRejections))
            }
        }
        let summary = valid
            ? PlanSummary.valid(plan: plan, numbers: numbers)
            : PlanSummary.invalid(plan: plan, rejections: rejections)
        return PlanEvaluation(
            valid: valid,
            errors: rejections.map(\.issue),
            warnings: warnings.map(\.issue),
            summary: summary,
            riskPerShare: numbers.riskPerShare,
            riskPerUnit: numbers.riskPerUnit,
            stopDistancePct: numbers.stopDistancePct,
            totalRisk: numbers.totalRisk,
            riskPctOfEquity: numbers.riskPctOfEquity,
            targets: numbers.targets,
            rBands: numbers.rBands,
            suggestedSize: suggestedSize
        )
    }
}

/// The numbers of a plan. Risk figures are nil unless the entry is positive and the stop is on
/// the correct side of it; total risk also needs a positive quantity, and its percent of equity
/// a positive equity.
struct PlanNumbers {
    var riskPerShare: Decimal?
    var riskPerUnit: Decimal?
    var stopDistancePct: Decimal?
    var totalRisk: Decimal?
    var riskPctOfEquity: Decimal?
    var equity: Decimal?
    var targets: [TargetEvaluation]
    var rBands: [RBand]

    init(plan: TradePlan, equity: Decimal?) {
        let perShare = TradeMath.riskPerShare(entry: plan.entry, stop: plan.stop, side: plan.side)
        let hasRisk = plan.entry > 0 && perShare > 0
        riskPerShare = hasRisk ? perShare : nil
        riskPerUnit = riskPerShare.map { $0 * Decimal(plan.assetClass.multiplier) }
        stopDistancePct = riskPerShare.flatMap { TradeMath.percent($0, of: plan.entry) }
        if let riskPerUnit, let quantity = plan.quantity, quantity > 0 {
            totalRisk = quantity * riskPerUnit
        }
        self.equity = equity.flatMap { $0 > 0 ? $0 : nil }
        if let totalRisk, let equity = self.equity {
            riskPctOfEquity = TradeMath.percent(totalRisk, of: equity)
        }
        targets = plan.targets.map { target in
            let reward = TradeMath.rewardPerShare(entry: plan.entry, target: target, side: plan.side)
            let r = hasRisk ? (reward / perShare).rounded(scale: TradeMath.displayScale) : nil
            return TargetEvaluation(price: target, rewardPerShare: reward, rMultiple: r)
        }
        rBands = hasRisk
            ? PlanEvaluator.rBandMultiples.compactMap { r in
                let price = TradeMath.priceAtR(r, entry: plan.entry, riskPerShare: perShare, side: plan.side)
                return price > 0 ? RBand(r: r, price: price) : nil
            }
            : []
    }
}
