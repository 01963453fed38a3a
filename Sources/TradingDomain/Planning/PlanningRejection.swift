import Foundation

/// Why a plan or a sizing request cannot be used, with the data that explains it.
///
/// `code` is stable and documented in `docs/planning.md`; `field` is the snake_case JSON path of
/// the input to fix; `message` is relative to that field (`stop` + "must be below the entry …"),
/// like `FieldError` messages, so it can go straight into a problem+json `errors` list.
public enum PlanningRejection: Sendable, Hashable {
    // Prices
    case entryNotPositive(Decimal)
    case stopNegative(Decimal)
    /// An equity or a short option was given no stop (a long option may omit it: the premium is the risk).
    case stopRequired(AssetClass)
    case zeroRisk(entry: Decimal)
    case stopWrongSide(side: Side, entry: Decimal, stop: Decimal)
    case targetsMissing
    case tooManyTargets(count: Int, limit: Int)
    case targetNotPositive(index: Int, value: Decimal)
    case targetWrongSide(index: Int, side: Side, entry: Decimal, target: Decimal)
    case valueTooLarge(field: String, value: Decimal, limit: Decimal)
    case tooManyDecimals(field: String, value: Decimal, maxDecimals: Int)
    // Plan details
    case quantityNotPositive(Decimal)
    case quantityNotWhole(Decimal, AssetClass)
    case assetClassMismatch(symbol: Symbol, assetClass: AssetClass)
    case textTooLong(field: String, length: Int, limit: Int)
    // Account and budget
    case equityNotPositive(Decimal)
    case buyingPowerNegative(Decimal)
    case riskBudgetMissing
    case riskBudgetConflict
    case riskBudgetNotPositive(field: String, value: Decimal)
    case riskPctTooLarge(Decimal)
    case riskAmountExceedsEquity(amount: Decimal, equity: Decimal)
    case maxPositionSizePctOutOfRange(Decimal)
    case roundLotsNotForOptions

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .entryNotPositive: "entry_not_positive"
        case .stopNegative: "stop_negative"
        case .stopRequired: "stop_required"
        case .zeroRisk: "zero_risk"
        case .stopWrongSide: "stop_wrong_side"
        case .targetsMissing: "targets_missing"
        case .tooManyTargets: "too_many_targets"
        case .targetNotPositive: "target_not_positive"
        case .targetWrongSide: "target_wrong_side"
        case .valueTooLarge: "value_too_large"
        case .tooManyDecimals: "too_many_decimals"
        case .quantityNotPositive: "quantity_not_positive"
        case .quantityNotWhole: "quantity_not_whole"
        case .assetClassMismatch: "asset_class_mismatch"
        case .textTooLong: "text_too_long"
        case .equityNotPositive: "equity_not_positive"
        case .buyingPowerNegative: "buying_power_negative"
        case .riskBudgetMissing: "risk_budget_missing"
        case .riskBudgetConflict: "risk_budget_conflict"
        case .riskBudgetNotPositive: "risk_budget_not_positive"
        case .riskPctTooLarge: "risk_pct_too_large"
        case .riskAmountExceedsEquity: "risk_amount_exceeds_equity"
        case .maxPositionSizePctOutOfRange: "max_position_size_pct_out_of_range"
        case .roundLotsNotForOptions: "round_lots_not_for_options"
        }
    }

    /// The snake_case JSON path of the input to fix.
    public var field: String {
        switch self {
        case .entryNotPositive: "entry"
        case .stopNegative, .stopRequired, .zeroRisk, .stopWrongSide: "stop"
        case .targetsMissing, .tooManyTargets: "targets"
        case .targetNotPositive(let index, _), .targetWrongSide(let index, _, _, _): "targets[\(index)]"
        case .valueTooLarge(let field, _, _), .tooManyDecimals(let field, _, _), .textTooLong(let field, _, _): field
        case .quantityNotPositive, .quantityNotWhole: "quantity"
        case .assetClassMismatch: "asset_class"
        case .equityNotPositive: "equity"
        case .buyingPowerNegative: "buying_power"
        case .riskBudgetMissing: "risk_pct"
        case .riskBudgetConflict: "risk_amount"
        case .riskBudgetNotPositive(let field, _): field
        case .riskPctTooLarge: "risk_pct"
        case .riskAmountExceedsEquity: "risk_amount"
        case .maxPositionSizePctOutOfRange: "max_position_size_pct"
        case .roundLotsNotForOptions: "round_lots"
        }
    }

    /// What is wrong, phrased to follow the field name.
    public var message: String {
        let f = PlanningFormat.self
        switch self {
        case .entryNotPositive(let value):
            return "must be greater than 0 (got \(f.price(value)))"
        case .stopNegative(let value):
            return "must not be negative (got \(f.price(value)))"
        case .stopRequired(let assetClass):
            return assetClass == .equity
                ? "is required to size an equity position"
                : "is required for a short option (without a stop premium the risk is unlimited)"
        case .zeroRisk(let entry):
            return "equals the entry (\(f.price(entry))), so the risk per share is 0 and no size or R multiple exists"
        case .stopWrongSide(let side, let entry, let stop):
            let place = side == .long ? "below" : "above"
            return "must be \(place) the entry (\(f.price(entry))) for a \(side.rawValue) (got \(f.price(stop)))"
        case .targetsMissing:
            return "must contain at least one target price"
        case .tooManyTargets(let count, let limit):
            return "must have at most \(limit) targets (got \(count))"
        case .targetNotPositive(_, let value):
            return "must be greater than 0 (got \(f.price(value)))"
        case .targetWrongSide(_, let side, let entry, let target):
            let place = side == .long ? "above" : "below"
            return "must be \(place) the entry (\(f.price(entry))) for a \(side.rawValue) (got \(f.price(target)))"
        case .valueTooLarge(_, _, let limit):
            return "must be at most \(limit) in size"
        case .tooManyDecimals(_, _, let maxDecimals):
            return "must have at most \(maxDecimals) decimal places"
        case .quantityNotPositive(let value):
            return "must be greater than 0 (got \(value))"
        case .quantityNotWhole(let value, let assetClass):
            return "must be a whole number of \(assetClass == .equity ? "shares" : "contracts") (got \(value))"
        case .assetClassMismatch(let symbol, let assetClass):
            return assetClass == .option
                ? "is 'option' but \(symbol) is not an OCC option symbol"
                : "is 'equity' but \(symbol) is an OCC option symbol"
        case .textTooLong(_, let length, let limit):
            return "must be at most \(limit) characters (got \(length))"
        case .equityNotPositive(let value):
            return "must be greater than 0 to size a position (got \(f.money(value)))"
        case .buyingPowerNegative(let value):
            return "must not be negative (got \(f.money(value)))"
        case .riskBudgetMissing:
            return "or risk_amount is required: the risk budget as a percent of equity or as an amount"
        case .riskBudgetConflict:
            return "cannot be combined with risk_pct: give the risk budget one way only"
        case .riskBudgetNotPositive(_, let value):
            return "must be greater than 0 (got \(value))"
        case .riskPctTooLarge(let value):
            return "must be at most 100 (percent of equity; got \(value))"
        case .riskAmountExceedsEquity(let amount, let equity):
            return "(\(f.money(amount))) must not exceed equity (\(f.money(equity)))"
        case .maxPositionSizePctOutOfRange(let value):
            return "must be greater than 0 and at most 100 (percent of equity; got \(value))"
        case .roundLotsNotForOptions:
            return "applies to equities only; options are sized in whole contracts"
        }
    }

    /// As a `FieldError` for a problem+json `errors` list.
    public var fieldError: FieldError { FieldError(field: field, message: message) }

    /// As an API issue `{code, field, message}`.
    public var issue: PlanningIssue { PlanningIssue(code: code, field: field, message: message) }
}

extension ValidationFailure {
    /// A failure listing every rejection, in order.
    public init(rejections: [PlanningRejection]) {
        self.init(rejections.map(\.fieldError))
    }
}
