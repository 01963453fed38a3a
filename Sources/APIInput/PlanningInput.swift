import Foundation
import TradingDomain

/// Sizing inputs a request may give. What it leaves out comes from the server's defaults (the
/// broker account's equity and buying power, else the settings).
public struct SizingOverrides: Sendable, Hashable {
    public var equity: Decimal?
    public var buyingPower: Decimal?
    public var riskPct: Decimal?
    public var riskAmount: Decimal?
    public var maxPositionSizePct: Decimal?
    public var roundLots: Bool?

    public init(
        equity: Decimal? = nil, buyingPower: Decimal? = nil, riskPct: Decimal? = nil, riskAmount: Decimal? = nil,
        maxPositionSizePct: Decimal? = nil, roundLots: Bool? = nil
    ) {
        self.equity = equity
        self.buyingPower = buyingPower
        self.riskPct = riskPct
        self.riskAmount = riskAmount
        self.maxPositionSizePct = maxPositionSizePct
        self.roundLots = roundLots
    }

    public var isEmpty: Bool { self == SizingOverrides() }

    /// The account to size with: these values over `defaults`. A request's `risk_pct` or
    /// `risk_amount` replaces the default budget whole. Rejects a missing equity or budget (when
    /// there is no default) and a budget given both ways.
    public func account(defaults: SizingAccount?) throws(ValidationFailure) -> SizingAccount {
        var errors = FieldErrors()
        var budget: RiskBudget?
        switch (riskPct, riskAmount) {
        case (let pct?, nil): budget = .percentOfEquity(pct)
        case (nil, let amount?): budget = .amount(amount)
        case (nil, nil): budget = defaults?.riskBudget
        case (_?, _?): errors.append(contentsOf: [PlanningRejection.riskBudgetConflict.fieldError])
        }
        if budget == nil && errors.isEmpty {
            errors.append(contentsOf: [PlanningRejection.riskBudgetMissing.fieldError])
        }
        let equity = equity ?? defaults?.equity
        if equity == nil { errors.add("equity", "is required: no account equity is known") }
        try errors.throwIfAny()
        guard let equity, let budget else { throw ValidationFailure(errors.errors) }
        return SizingAccount(
            equity: equity,
            buyingPower: buyingPower ?? defaults?.buyingPower,
            riskBudget: budget,
            maxPositionSizePct: maxPositionSizePct ?? defaults?.maxPositionSizePct,
            roundLots: roundLots ?? defaults?.roundLots ?? false
        )
    }
}

/// A plan to evaluate and the context to evaluate it in.
public struct PlanRequest: Sendable, Hashable {
    public var plan: TradePlan
    /// `last_price`, `atr` and the account when the body gave them or defaults exist; the
    /// server may fill a missing last price or ATR from its quote cache and bars.
    public var context: PlanContext

    public init(plan: TradePlan, context: PlanContext) {
        self.plan = plan
        self.context = context
    }
}

/// Reads the JSON bodies of `POST /api/v1/plan/validate` and `POST /api/v1/sizing/suggest`.
///
/// The reader rejects bad shape (missing field, wrong type, unknown key, absurd magnitude, too
/// many decimals) with every field named; trading rules (stop side, positive entry …) are left to
/// `PlanValidator` and `PositionSizer`, so a plan with a wrong-side stop is read fine and then
/// evaluated as `valid: false` with `stop_wrong_side`.
public enum PlanningInput {
    /// Body: `symbol`, `side`, `entry`, `stop`, `targets` (required); `asset_class`, `quantity`,
    /// `thesis`, `timeframe`, `last_price`, `atr` and the sizing fields `equity`, `buying_power`,
    /// `risk_pct` | `risk_amount`, `max_position_size_pct`, `round_lots` (optional).
    /// Account fields given in the body are checked here (422); unusable defaults instead become a
    /// `sizing_unavailable` warning of the evaluation.
    public static func plan(_ body: JSONValue, defaults: SizingAccount?) throws(ValidationFailure) -> PlanRequest {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        let symbol = required("symbol", reader.symbol("symbol", errors: &errors), &errors)
        let side = required("side", reader.enumeration("side", Side.self, errors: &errors), &errors)
        let assetClass = reader.enumeration("asset_class", AssetClass.self, errors: &errors).value
        let entry = required("entry", price("entry", &reader, &errors), &errors)
        let stop = required("stop", price("stop", &reader, &errors), &errors)
        let targets = required("targets", targets(&reader, &errors), &errors)
        let quantity = reader.decimal(
            "quantity", errors: &errors, min: -PlanningLimits.maxQuantity, max: PlanningLimits.maxQuantity,
            maxScale: PlanningLimits.maxPriceScale).value
        let thesis = reader.string("thesis", errors: &errors, maxLength: PlanningLimits.maxThesisLength).value
        let timeframe = reader.string("timeframe", errors: &errors, maxLength: PlanningLimits.maxTimeframeLength).value
        let lastPrice = reader.decimal(
            "last_price", errors: &errors, min: 0, minExclusive: true, max: PlanningLimits.maxPrice).value
        let atr = reader.decimal("atr", errors: &errors, min: 0, max: PlanningLimits.maxPrice).value
        let overrides = sizingOverrides(&reader, &errors)
        reader.rejectUnknownKeys(errors: &errors)
        try errors.throwIfAny()
        guard let symbol, let side, let entry, let stop, let targets else { throw ValidationFailure(errors.errors) }

        let plan = TradePlan(
            symbol: symbol, side: side, assetClass: assetClass, entry: entry, stop: stop, targets: targets,
            quantity: quantity, thesis: thesis, timeframe: timeframe)
        var account: SizingAccount?
        if overrides.isEmpty {
            account = defaults
        } else {
            var resolved = try overrides.account(defaults: defaults)
            // A round-lot default from the settings does not apply to options; only an explicit
            // `round_lots: true` in the body is an error for them.
            if plan.assetClass == .option && overrides.roundLots == nil { resolved.roundLots = false }
            let rejections = PositionSizer.accountRejections(resolved, assetClass: plan.assetClass)
            if !rejections.isEmpty { throw ValidationFailure(rejections: rejections) }
            account = resolved
        }
        return PlanRequest(plan: plan, context: PlanContext(lastPrice: lastPrice, atr: atr, account: account))
    }

    /// Body: `side`, `entry` (required); `stop` (required except for a long option), `symbol`,
    /// `asset_class` (default: option for an OCC symbol, else equity) and the sizing fields.
    /// Pass the result to `PositionSizer.size`, which rejects degenerate values.
    public static func sizing(_ body: JSONValue, defaults: SizingAccount?) throws(ValidationFailure) -> SizingRequest {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        let symbol = reader.symbol("symbol", errors: &errors).value
        let side = required("side", reader.enumeration("side", Side.self, errors: &errors), &errors)
        let givenClass = reader.enumeration("asset_class", AssetClass.self, errors: &errors).value
        let entry = required("entry", price("entry", &reader, &errors), &errors)
        let stop = price("stop", &reader, &errors).value
        let overrides = sizingOverrides(&reader, &errors)
        reader.rejectUnknownKeys(errors: &errors)
        let assetClass = givenClass ?? (symbol?.isOption == true ? .option : .equity)
        if let symbol, symbol.isOption != (assetClass == .option) {
            let mismatch = PlanningRejection.assetClassMismatch(symbol: symbol, assetClass: assetClass)
            errors.append(contentsOf: [mismatch.fieldError])
        }
        let resolved = errors.collect { () throws(ValidationFailure) in try overrides.account(defaults: defaults) }
        if var account = resolved, let side, let entry, errors.isEmpty {
            // As for plans: a round-lot default does not apply to options, an explicit `true` does.
            if assetClass == .option && overrides.roundLots == nil { account.roundLots = false }
            return SizingRequest(side: side, assetClass: assetClass, entry: entry, stop: stop, account: account)
        }
        throw ValidationFailure(errors.errors)
    }

    // MARK: field readers

    static func required<T>(
        _ key: String, _ presence: ObjectReader.Presence<T>, _ errors: inout FieldErrors
    ) -> T? {
        if case .value(let value) = presence { return value }
        if !errors.errors.contains(where: { $0.field == key }) { errors.add(key, "is required") }
        return nil
    }

    /// A price-like number: any sign (the rules judge the sign), bounded size and decimals.
    static func price(
        _ key: String, _ reader: inout ObjectReader, _ errors: inout FieldErrors
    ) -> ObjectReader.Presence<Decimal> {
        reader.decimal(
            key, errors: &errors, min: -PlanningLimits.maxPrice, max: PlanningLimits.maxPrice,
            maxScale: PlanningLimits.maxPriceScale)
    }

    static func money(_ key: String, _ reader: inout ObjectReader, _ errors: inout FieldErrors) -> Decimal? {
        reader.decimal(key, errors: &errors, min: -PlanningLimits.maxMoney, max: PlanningLimits.maxMoney).value
    }

    static func targets(
        _ reader: inout ObjectReader, _ errors: inout FieldErrors
    ) -> ObjectReader.Presence<[Decimal]> {
        switch reader.array("targets", errors: &errors, maxCount: PlanningLimits.maxTargets) {
        case .absent: return .absent
        case .null: return .null
        case .value(let items):
            var prices: [Decimal] = []
            for (index, item) in items.enumerated() {
                if case .number(let value) = item, value.magnitudeValue <= PlanningLimits.maxPrice,
                   value.fractionDigits <= PlanningLimits.maxPriceScale {
                    prices.append(value)
                } else {
                    errors.add("targets[\(index)]", "must be a price of at most \(PlanningLimits.maxPrice) "
                        + "with at most \(PlanningLimits.maxPriceScale) decimal places")
                }
            }
            return .value(prices)
        }
    }

    static func sizingOverrides(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> SizingOverrides {
        SizingOverrides(
            equity: money("equity", &reader, &errors),
            buyingPower: money("buying_power", &reader, &errors),
            riskPct: money("risk_pct", &reader, &errors),
            riskAmount: money("risk_amount", &reader, &errors),
            maxPositionSizePct: money("max_position_size_pct", &reader, &errors),
            roundLots: reader.bool("round_lots", errors: &errors).value
        )
    }
}
