import Foundation

/// Bounds on planning and sizing inputs. They keep every product and sum well inside `Decimal`'s
/// 38 significant digits, so the money math stays exact, and they match the journal's bounds.
public enum PlanningLimits {
    /// Largest accepted price (entry, stop, target, last price), in account currency.
    public static let maxPrice: Decimal = 10_000_000
    /// Most digits after the decimal point in a price.
    public static let maxPriceScale = 6
    /// Largest quantity (shares or contracts) in a plan.
    public static let maxQuantity: Decimal = 100_000_000
    /// Largest equity, buying power or risk amount.
    public static let maxMoney: Decimal = 1_000_000_000_000
    /// Most targets in one plan.
    public static let maxTargets = 10
    /// Longest thesis, in characters.
    public static let maxThesisLength = 10_000
    /// Longest timeframe label (`day`, `swing`, `2-3 weeks`), in characters.
    public static let maxTimeframeLength = 64
    /// Shares in one round lot.
    public static let roundLotSize: Decimal = 100

    /// Rejections for a price that is too large or too precise (sign is checked by the caller,
    /// because a stop may be 0 but an entry may not).
    static func checkPrice(_ value: Decimal, field: String) -> [PlanningRejection] {
        if value.magnitudeValue > maxPrice {
            return [.valueTooLarge(field: field, value: value, limit: maxPrice)]
        }
        if value.fractionDigits > maxPriceScale {
            return [.tooManyDecimals(field: field, value: value, maxDecimals: maxPriceScale)]
        }
        return []
    }

    /// Rejection for an amount of money that is too large.
    static func checkMoney(_ value: Decimal, field: String) -> [PlanningRejection] {
        value.magnitudeValue > maxMoney ? [.valueTooLarge(field: field, value: value, limit: maxMoney)] : []
    }
}
