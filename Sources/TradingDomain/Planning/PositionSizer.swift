import Foundation

/// Turns a risk budget into a quantity.
///
/// Rules (see `docs/planning.md`):
/// - risk per unit = |entry − stop| × multiplier (a long option without a stop: entry × 100);
///   cost per unit = entry × multiplier;
/// - quantity = the largest whole number q with q × risk per unit ≤ budget, q × cost per unit ≤
///   buying power (when known) and q × cost per unit ≤ max position size % × equity (when set);
/// - with round lots (equities only) q is then rounded down to a multiple of 100;
/// - the three alternatives use 0.5×, 1× and 1.5× the budget with the same caps.
/// Every step rounds down, so rounding never increases risk or cost.
public enum PositionSizer {
    /// Everything wrong with `request`, in input order; empty when it can be sized.
    public static func rejections(for request: SizingRequest) -> [PlanningRejection] {
        accountRejections(request.account, assetClass: request.assetClass)
            + priceRejections(request)
    }

    /// The sized position, or a `ValidationFailure` naming every unusable input (degenerate
    /// input is never answered with a silent 0). A quantity of 0 because one unit does not fit
    /// is not an error: the result says so in `warnings` (`quantity_zero`).
    public static func size(_ request: SizingRequest) throws(ValidationFailure) -> SizingResult {
        let rejections = rejections(for: request)
        guard rejections.isEmpty else { throw ValidationFailure(rejections: rejections) }
        return sizeValidated(request)
    }

    /// Sizes a request that has no rejections.
    static func sizeValidated(_ request: SizingRequest) -> SizingResult {
        let alternatives = SizingProfile.allCases.map { alternative($0, request) }
        let standard = alternatives[1]
        var warnings: [PlanningIssue] = []
        if standard.quantity == 0 {
            warnings.append(PlanningWarning.quantityZero(zeroReason(request, cappedBy: standard.cappedBy)).issue)
        }
        return SizingResult(
            assetClass: request.assetClass,
            quantity: standard.quantity,
            riskPerUnit: request.riskPerUnit,
            costPerUnit: request.costPerUnit,
            riskBudget: standard.riskBudget,
            riskAmount: standard.riskAmount,
            positionValue: standard.positionValue,
            pctOfEquity: standard.pctOfEquity,
            riskPctOfEquity: standard.riskPctOfEquity,
            cappedBy: standard.cappedBy,
            warnings: warnings,
            alternatives: alternatives
        )
    }

    /// The quantity for one profile and the limit that decided it.
    static func alternative(_ profile: SizingProfile, _ request: SizingRequest) -> SizingAlternative {
        let account = request.account
        let budget = account.riskBudgetAmount * profile.budgetMultiplier
        let (quantity, cap) = quantity(budget: budget, request)
        let risk = quantity * request.riskPerUnit
        let value = quantity * request.costPerUnit
        return SizingAlternative(
            profile: profile,
            budgetMultiplier: profile.budgetMultiplier,
            riskBudget: budget,
            quantity: quantity,
            riskAmount: risk,
            positionValue: value,
            pctOfEquity: TradeMath.percent(value, of: account.equity) ?? 0,
            riskPctOfEquity: TradeMath.percent(risk, of: account.equity) ?? 0,
            cappedBy: cap
        )
    }

    /// The largest quantity within every limit; ties name the risk budget first, then buying
    /// power, then max position size.
    static func quantity(budget: Decimal, _ request: SizingRequest) -> (Decimal, SizingCap) {
        let account = request.account
        var limits: [(Decimal, SizingCap)] = [(units(within: budget, per: request.riskPerUnit), .riskBudget)]
        if let buyingPower = account.buyingPower {
            limits.append((units(within: buyingPower, per: request.costPerUnit), .buyingPower))
        }
        if let maxValue = account.maxPositionValue {
            limits.append((units(within: maxValue, per: request.costPerUnit), .maxPositionSize))
        }
        var best = limits[0]
        for limit in limits.dropFirst() where limit.0 < best.0 { best = limit }
        if account.roundLots && request.assetClass == .equity {
            let lots = (best.0 / PlanningLimits.roundLotSize).floored * PlanningLimits.roundLotSize
            if lots < best.0 { best = (lots, .roundLot) }
        }
        return best
    }

    /// The largest whole q ≥ 0 with q × `unit` ≤ `limit` (`unit` > 0). The quotient is floored
    /// and then checked with exact multiplication, so a rounded division can never add a unit.
    public static func units(within limit: Decimal, per unit: Decimal) -> Decimal {
        guard limit > 0, unit > 0 else { return 0 }
        var count = (limit / unit).floored
        while count > 0 && count * unit > limit { count -= 1 }
        while (count + 1) * unit <= limit { count += 1 }
        return count
    }

    static func zeroReason(_ request: SizingRequest, cappedBy cap: SizingCap) -> ZeroQuantityReason {
        let account = request.account
        let limit: Decimal = switch cap {
        case .riskBudget: account.riskBudgetAmount
        case .buyingPower: account.buyingPower ?? 0
        case .maxPositionSize: account.maxPositionValue ?? 0
        case .roundLot: quantityWithoutLots(request)
        }
        return ZeroQuantityReason(
            cap: cap, assetClass: request.assetClass, riskPerUnit: request.riskPerUnit,
            costPerUnit: request.costPerUnit, limit: limit)
    }

    static func quantityWithoutLots(_ request: SizingRequest) -> Decimal {
        var oddLots = request
        oddLots.account.roundLots = false
        return quantity(budget: request.account.riskBudgetAmount, oddLots).0
    }

    // MARK: rules

    public static func accountRejections(_ account: SizingAccount, assetClass: AssetClass) -> [PlanningRejection] {
        var result: [PlanningRejection] = []
        if account.equity <= 0 { result.append(.equityNotPositive(account.equity)) }
        result += PlanningLimits.checkMoney(account.equity, field: "equity")
        if let buyingPower = account.buyingPower {
            if buyingPower < 0 { result.append(.buyingPowerNegative(buyingPower)) }
            result += PlanningLimits.checkMoney(buyingPower, field: "buying_power")
        }
        switch account.riskBudget {
        case .percentOfEquity(let pct):
            if pct <= 0 { result.append(.riskBudgetNotPositive(field: "risk_pct", value: pct)) }
            if pct > 100 { result.append(.riskPctTooLarge(pct)) }
        case .amount(let amount):
            if amount <= 0 { result.append(.riskBudgetNotPositive(field: "risk_amount", value: amount)) }
            if account.equity > 0 && amount > account.equity {
                result.append(.riskAmountExceedsEquity(amount: amount, equity: account.equity))
            }
            result += PlanningLimits.checkMoney(amount, field: "risk_amount")
        }
        if let pct = account.maxPositionSizePct, pct <= 0 || pct > 100 {
            result.append(.maxPositionSizePctOutOfRange(pct))
        }
        if account.roundLots && assetClass == .option { result.append(.roundLotsNotForOptions) }
        return result
    }

    static func priceRejections(_ request: SizingRequest) -> [PlanningRejection] {
        var result: [PlanningRejection] = []
        if request.entry <= 0 { result.append(.entryNotPositive(request.entry)) }
        result += PlanningLimits.checkPrice(request.entry, field: "entry")
        guard let stop = request.stop else {
            if request.assetClass == .equity || request.side == .short {
                result.append(.stopRequired(request.assetClass))
            }
            return result
        }
        result += StopRules.check(stop: stop, entry: request.entry, side: request.side)
        return result
    }
}

/// The stop rules shared by plans and sizing.
enum StopRules {
    static func check(stop: Decimal, entry: Decimal, side: Side) -> [PlanningRejection] {
        if stop < 0 { return [.stopNegative(stop)] }
        let bounds = PlanningLimits.checkPrice(stop, field: "stop")
        guard bounds.isEmpty else { return bounds }
        guard entry > 0 else { return [] }
        if stop == entry { return [.zeroRisk(entry: entry)] }
        if TradeMath.riskPerShare(entry: entry, stop: stop, side: side) < 0 {
            return [.stopWrongSide(side: side, entry: entry, stop: stop)]
        }
        return []
    }
}
