import Foundation
import TradingDomain

/// Reads the fields of one JSON object, checking type and range, and records every problem in a
/// shared `FieldErrors` instead of stopping at the first. Unknown keys are reported too, so a typo
/// in a field name is an error rather than silently ignored.
///
/// Each accessor distinguishes three cases, which PATCH needs:
/// absent (`.absent`), explicit `null` (`.null`), and a value (`.value`).
public struct ObjectReader {
    public enum Presence<T> {
        case absent
        case null
        case value(T)

        /// The value, or nil when absent, null or invalid.
        public var value: T? {
            if case .value(let value) = self { return value }
            return nil
        }

        public var isAbsent: Bool {
            if case .absent = self { return true }
            return false
        }
    }

    public let object: [String: JSONValue]
    public let path: String
    private var known: Set<String> = []

    public init(_ object: [String: JSONValue], path: String = "") {
        self.object = object
        self.path = path
    }

    /// Starts reading a request body that must be a JSON object.
    public static func root(_ value: JSONValue, errors: inout FieldErrors) -> ObjectReader? {
        guard case .object(let object) = value else {
            errors.add("body", "must be a JSON object, not \(value.typeName == "null" ? "null" : "a " + value.typeName)")
            return nil
        }
        return ObjectReader(object)
    }

    public func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private mutating func raw(_ key: String) -> JSONValue? {
        known.insert(key)
        return object[key]
    }

    // MARK: typed accessors

    public mutating func decimal(
        _ key: String, errors: inout FieldErrors,
        min: Decimal? = nil, minExclusive: Bool = false, max: Decimal? = nil, maxScale: Int? = nil
    ) -> Presence<Decimal> {
        guard let value = raw(key) else { return .absent }
        let field = fieldPath(key)
        switch value {
        case .null:
            return .null
        case .number(let number):
            if let min, minExclusive ? number <= min : number < min {
                errors.add(field, minExclusive ? "must be greater than \(min)" : "must be at least \(min)")
                return .absent
            }
            if let max, number > max {
                errors.add(field, "must be at most \(max)")
                return .absent
            }
            if let maxScale, number.fractionDigits > maxScale {
                errors.add(field, maxScale == 0 ? "must be a whole number" : "must have at most \(maxScale) decimal places")
                return .absent
            }
            return .value(number)
        default:
            errors.add(field, "must be a number, not a \(value.typeName)")
            return .absent
        }
    }

    public mutating func int(
        _ key: String, errors: inout FieldErrors, min: Int? = nil, max: Int? = nil
    ) -> Presence<Int> {
        switch decimal(key, errors: &errors, maxScale: 0) {
        case .absent: return .absent
        case .null: return .null
        case .value(let number):
            let field = fieldPath(key)
            guard number >= Decimal(Int32.min), number <= Decimal(Int32.max) else {
                errors.add(field, "is out of range")
                return .absent
            }
            let int = NSDecimalNumber(decimal: number).intValue
            if let min, int < min { errors.add(field, "must be at least \(min)"); return .absent }
            if let max, int > max { errors.add(field, "must be at most \(max)"); return .absent }
            return .value(int)
        }
    }

    public mutating func bool(_ key: String, errors: inout FieldErrors) -> Presence<Bool> {
        guard let value = raw(key) else { return .absent }
        switch value {
        case .null: return .null
        case .bool(let bool): return .value(bool)
        default:
            errors.add(fieldPath(key), "must be true or false, not a \(value.typeName)")
            return .absent
        }
    }

    public mutating func string(
        _ key: String, errors: inout FieldErrors, maxLength: Int = 10_000, allowEmpty: Bool = true
    ) -> Presence<String> {
        guard let value = raw(key) else { return .absent }
        let field = fieldPath(key)
        switch value {
        case .null: return .null
        case .string(let text):
            if text.count > maxLength {
                errors.add(field, "must be at most \(maxLength) characters")
                return .absent
            }
            if !allowEmpty && text.trimmingWhitespace().isEmpty {
                errors.add(field, "must not be empty")
                return .absent
            }
            return .value(text)
        default:
            errors.add(field, "must be a string, not a \(value.typeName)")
            return .absent
        }
    }

    /// An enum field given as its raw string value; lists the allowed values when wrong.
    public mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ key: String, _ type: E.Type, errors: inout FieldErrors
    ) -> Presence<E> where E.RawValue == String {
        switch string(key, errors: &errors, maxLength: 64) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            if let value = E(rawValue: text.lowercased()) { return .value(value) }
            let allowed = E.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            errors.add(fieldPath(key), "must be one of \(allowed)")
            return .absent
        }
    }

    public mutating func symbol(_ key: String, errors: inout FieldErrors) -> Presence<Symbol> {
        switch string(key, errors: &errors, maxLength: 64) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            guard let symbol = errors.collect({ try Symbol(validating: text, field: fieldPath(key)) }) else {
                return .absent
            }
            return .value(symbol)
        }
    }

    /// An ISO-8601 timestamp with a zone (`2026-01-02T14:30:00Z`, fractional seconds allowed).
    public mutating func date(_ key: String, errors: inout FieldErrors) -> Presence<Date> {
        switch string(key, errors: &errors, maxLength: 64) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            guard let date = ISO8601.parse(text) else {
                errors.add(fieldPath(key), "must be an ISO-8601 time with a zone, e.g. 2026-01-02T14:30:00Z")
                return .absent
            }
            return .value(date)
        }
    }

    public mutating func array(
        _ key: String, errors: inout FieldErrors, maxCount: Int
    ) -> Presence<[JSONValue]> {
        guard let value = raw(key) else { return .absent }
        switch value {
        case .null: return .null
        case .array(let items):
            if items.count > maxCount {
                errors.add(fieldPath(key), "must have at most \(maxCount) items")
                return .absent
            }
            return .value(items)
        default:
            errors.add(fieldPath(key), "must be an array, not a \(value.typeName)")
            return .absent
        }
    }

    /// A nested object, read with its own reader (paths are prefixed, e.g. `risk.max_daily_loss`).
    public mutating func object(_ key: String, errors: inout FieldErrors) -> Presence<ObjectReader> {
        guard let value = raw(key) else { return .absent }
        switch value {
        case .null: return .null
        case .object(let object): return .value(ObjectReader(object, path: fieldPath(key)))
        default:
            errors.add(fieldPath(key), "must be an object, not a \(value.typeName)")
            return .absent
        }
    }

    /// Reports every key that no accessor asked for. Call after reading all fields.
    public func rejectUnknownKeys(errors: inout FieldErrors) {
        for key in object.keys.sorted() where !known.contains(key) {
            errors.add(fieldPath(key), "is not a known field")
        }
    }

    /// Marks keys as known without reading them (read-only fields a client may echo back).
    public mutating func ignore(_ keys: String...) {
        known.formUnion(keys)
    }
}

