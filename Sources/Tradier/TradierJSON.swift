import Foundation
import TradingDomain

/// A parsed Tradier JSON document that keeps every number as the exact text the server sent.
///
/// Tradier sends money with absurd precision (`17798.360000000000000000000000`, docs/vendors.md §2.4).
/// Going through `Double` (JSONSerialization) rounds such values, so this small parser keeps the
/// digits and `decimal` converts them to `Decimal` after dropping the zero tail — exactly.
/// Readers are tolerant by design: a missing key, JSON `null` and the string `"null"` all read
/// as "no value", and `list` accepts the object-or-array quirk of every collection (2.5).
public enum TradierJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number as written on the wire (e.g. `50.00000000`, `-4813.000`, `1.5e3`).
    case number(String)
    case string(String)
    case array([TradierJSON])
    case object([String: TradierJSON])

    /// Parses a complete JSON text; throws `TradierJSONError` on anything else (XML, HTML, truncation).
    public static func parse(_ data: Data) throws(TradierJSONError) -> TradierJSON {
        var parser = TradierJSONParser(bytes: Array(data))
        return try parser.document()
    }

    /// The member `key` of an object; `.null` for anything else.
    public subscript(key: String) -> TradierJSON {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    /// True for JSON `null`, the string `"null"` and the empty string (Tradier's "nothing here").
    public var isEmptyValue: Bool {
        switch self {
        case .null: true
        case .string(let text): text.isEmpty || text.lowercased() == "null"
        default: false
        }
    }

    /// The elements of a collection that may come as an array, a single object or empty.
    public var list: [TradierJSON] {
        if isEmptyValue { return [] }
        if case .array(let elements) = self { return elements.filter { !$0.isEmptyValue } }
        return [self]
    }

    /// Text of a string, or of a number or boolean (Tradier mixes them), nil when empty.
    public var string: String? {
        switch self {
        case .string(let text): isEmptyValue ? nil : text
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }

    /// The exact decimal value of a number or numeric string; nil when absent or not a number.
    public var decimal: Decimal? {
        switch self {
        case .number(let text): TradierJSON.exactDecimal(text)
        case .string(let text): isEmptyValue ? nil : TradierJSON.exactDecimal(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A whole number (ids, counts); nil for fractions and non-numbers.
    public var int: Int? {
        guard let value = decimal, value.isWhole else { return nil }
        return Int(exactly: NSDecimalNumber(decimal: value).int64Value)
    }

    /// `true`/`false`, also from the strings `"true"`/`"false"`.
    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let text): text.lowercased() == "true" ? true : text.lowercased() == "false" ? false : nil
        default: nil
        }
    }

    /// A date in any of Tradier's formats (see `TradierDates`).
    public var date: Date? { TradierDates.parse(self) }

    /// Converts JSON number text to `Decimal` without binary floating point: trailing fractional
    /// zeros are dropped first (they are what overflows `Decimal`'s 38 digits), then the
    /// remaining digits are parsed. Returns nil for text that is not a JSON number.
    public static func exactDecimal(_ text: String) -> Decimal? {
        guard isNumberText(text) else { return nil }
        var mantissa = Substring(text)
        var exponent = ""
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = String(text[e...])
        }
        if mantissa.contains(".") {
            while mantissa.last == "0" { mantissa.removeLast() }
            if mantissa.last == "." { mantissa.removeLast() }
        }
        return Decimal(string: String(mantissa) + exponent, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// JSON number grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` (no leading zeros).
    static func isNumberText(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        func digits() -> Int {
            var count = 0
            while let first = scalars.first, ("0"..."9").contains(first) {
                scalars.removeFirst()
                count += 1
            }
            return count
        }
        if scalars.first == "-" { scalars.removeFirst() }
        let leadingZero = scalars.first == "0"
        let integerDigits = digits()
        guard integerDigits > 0, !leadingZero || integerDigits == 1 else { return false }
        if scalars.first == "." {
            scalars.removeFirst()
            guard digits() > 0 else { return false }
        }
        if scalars.first == "e" || scalars.first == "E" {
            scalars.removeFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }
}

/// Why a body is not JSON (it may be XML, an HTML maintenance page or cut short).
public struct TradierJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at byte \(offset)" }
}
