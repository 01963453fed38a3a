import Foundation
import TradingDomain

/// Reads and validates an order ticket, reporting every bad field at once.
public enum OrderInput {
    public static let maxQuantity: Decimal = 1_000_000
    public static let maxPrice: Decimal = 10_000_000
    public static let maxPriceDecimals = 4

    public static func ticket(_ body: JSONValue) throws(ValidationFailure) -> OrderTicket {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        func required<T>(_ key: String, _ presence: ObjectReader.Presence<T>) -> T? {
            if let value = presence.value { return value }
            if !errors.errors.contains(where: { $0.field == key }) { errors.add(key, "is required") }
            return nil
        }
        let symbol = required("symbol", reader.symbol("symbol", errors: &errors))
        let action = required("action", reader.enumeration("action", OrderAction.self, errors: &errors))
        let quantity = required("quantity", reader.decimal("quantity", errors: &errors, min: 0, minExclusive: true, max: maxQuantity, maxScale: 0))
        let type = required("type", reader.enumeration("type", OrderType.self, errors: &errors))
        let duration = reader.enumeration("duration", OrderDuration.self, errors: &errors).value ?? .day
        let limit = reader.decimal("limit_price", errors: &errors, min: 0, minExclusive: true, max: maxPrice, maxScale: maxPriceDecimals).value
        let stop = reader.decimal("stop_price", errors: &errors, min: 0, minExclusive: true, max: maxPrice, maxScale: maxPriceDecimals).value
        let planID = uuid(&reader, "plan_id", &errors)
        let bracket = reader.bool("bracket", errors: &errors).value ?? false
        reader.rejectUnknownKeys(errors: &errors)

        if let symbol, let action, action.assetClass != (symbol.isOption ? .option : .equity) {
            let allowed = OrderAction.allCases.filter { $0.assetClass == (symbol.isOption ? .option : .equity) }
            errors.add("action", "must be one of \(allowed.map(\.rawValue).joined(separator: ", ")) for \(symbol.isOption ? "an option" : "an equity") symbol")
        }
        if let type {
            if type.needsLimitPrice, limit == nil, !errors.errors.contains(where: { $0.field == "limit_price" }) {
                errors.add("limit_price", "is required for a \(type.rawValue) order")
            }
            if !type.needsLimitPrice, limit != nil { errors.add("limit_price", "applies only to limit and stop_limit orders") }
            if type.needsStopPrice, stop == nil, !errors.errors.contains(where: { $0.field == "stop_price" }) {
                errors.add("stop_price", "is required for a \(type.rawValue) order")
            }
            if !type.needsStopPrice, stop != nil { errors.add("stop_price", "applies only to stop and stop_limit orders") }
        }
        if duration.isExtendedHours {
            // Extended hours take limit orders on equities only, as Tradier and US brokers do
            // (docs/orders.md, "Durations").
            if let type, type != .limit {
                errors.add("duration", "\(duration.rawValue) (extended hours) takes limit orders only, not \(type.rawValue)")
            } else if let symbol, symbol.isOption {
                errors.add("duration", "\(duration.rawValue) (extended hours) applies to equities only; options trade in the regular session")
            }
        }
        if bracket {
            if planID == nil { errors.add("plan_id", "is required for a bracket (its stop and target come from the plan)") }
            if let action, !action.opens { errors.add("action", "must open a position for a bracket (e.g. buy or sell_short)") }
        }
        try errors.throwIfAny()
        let request = OrderRequest(
            symbol: symbol!, action: action!, quantity: quantity!, type: type!, duration: duration,
            limitPrice: limit, stopPrice: stop, planID: planID, bracketRole: bracket ? .entry : nil)
        return OrderTicket(request: request, bracket: bracket)
    }

    static func uuid(_ reader: inout ObjectReader, _ key: String, _ errors: inout FieldErrors) -> UUID? {
        guard let text = reader.string(key, errors: &errors, maxLength: 64).value else { return nil }
        guard let id = UUID(uuidString: text) else {
            errors.add(key, "must be a plan id (a UUID)")
            return nil
        }
        return id
    }

    /// `{"resend_of": "<order id>"}`, "send anyway" for an order whose outcome is unknown: the
    /// order id (lower-cased), or nil when the body is an ordinary ticket.
    public static func resendOf(_ body: JSONValue) throws(ValidationFailure) -> String? {
        guard case .object(let fields) = body, fields["resend_of"] != nil else { return nil }
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        let id = reader.string("resend_of", errors: &errors, maxLength: 64, allowEmpty: false).value
        reader.rejectUnknownKeys(errors: &errors)
        try errors.throwIfAny()
        return id?.lowercased()
    }
}
