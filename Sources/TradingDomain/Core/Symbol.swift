/// A US equity ticker (`AAPL`, `BRK.B`, `BRK/B`) or an OCC option symbol (`AAPL230616C00150000`).
///
/// Always upper-case. Construct with `init(validating:)`, which trims and upper-cases what a user
/// typed and rejects anything else with a message that says what is allowed.
public struct Symbol: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public static let maxEquityLength = 10

    public init(validating input: String, field: String = "symbol") throws(ValidationFailure) {
        let text = input.trimmingWhitespace().uppercased()
        guard !text.isEmpty else {
            throw ValidationFailure(field: field, message: "is required")
        }
        guard Symbol.isEquity(text) || Symbol.isOCCOption(text) else {
            throw ValidationFailure(
                field: field,
                message: "must be a ticker of 1-\(Symbol.maxEquityLength) letters, digits, '.', '/' or '-' "
                    + "starting with a letter (e.g. AAPL, BRK.B), or an OCC option symbol (e.g. AAPL230616C00150000)"
            )
        }
        self.rawValue = text
    }

    /// Trusted constructor for values that were validated before being stored.
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// True for OCC option symbols: root (1-6 letters), yymmdd, C/P, strike ×1000 in 8 digits.
    public var isOption: Bool { Symbol.isOCCOption(rawValue) }

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Symbol(validating: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: error.errors.first?.message ?? "invalid symbol")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    static func isEquity(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (1...maxEquityLength).contains(scalars.count), scalars[0].isASCIIUpperLetter else {
            return false
        }
        guard let last = scalars.last, last.isASCIIUpperLetter || last.isASCIIDigit else { return false }
        return scalars.allSatisfy { $0.isASCIIUpperLetter || $0.isASCIIDigit || $0 == "." || $0 == "/" || $0 == "-" }
    }

    static func isOCCOption(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        // root(1...6) + 6 digits + C/P + 8 digits
        guard (16...21).contains(scalars.count) else { return false }
        let rootLength = scalars.count - 15
        let root = scalars[0..<rootLength]
        let date = scalars[rootLength..<(rootLength + 6)]
        let right = scalars[rootLength + 6]
        let strike = scalars[(rootLength + 7)...]
        return root.allSatisfy(\.isASCIIUpperLetter)
            && date.allSatisfy(\.isASCIIDigit)
            && (right == "C" || right == "P")
            && strike.allSatisfy(\.isASCIIDigit)
    }
}

extension Unicode.Scalar {
    var isASCIIUpperLetter: Bool { ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// Trims spaces, tabs and newlines at both ends (Foundation-free).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
