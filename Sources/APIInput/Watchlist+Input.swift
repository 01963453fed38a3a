import Foundation
import TradingDomain

extension Watchlist {
    /// Validates a full replacement list: every entry a valid symbol, at most `maxSymbols`.
    /// Duplicates are dropped (first occurrence wins) rather than rejected.
    public static func validating(_ value: JSONValue, field: String = "symbols") throws(ValidationFailure) -> Watchlist {
        guard case .array(let items) = value else {
            throw ValidationFailure(field: field, message: "must be an array of symbols, not a \(value.typeName)")
        }
        var errors = FieldErrors()
        var symbols: [Symbol] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                errors.add("\(field)[\(index)]", "must be a string, not a \(item.typeName)")
                continue
            }
            if let symbol = errors.collect({ try Symbol(validating: text, field: "\(field)[\(index)]") }) {
                symbols.append(symbol)
            }
        }
        let list = Watchlist(symbols: symbols)
        if list.symbols.count > maxSymbols {
            errors.add(field, "must have at most \(maxSymbols) symbols")
        }
        try errors.throwIfAny()
        return list
    }
}
