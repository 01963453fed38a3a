import Foundation
import TradingDomain

/// Strict parsing of the cells of a replay CSV. Each function returns the value or a message that
/// names the column and quotes the bad text (the caller adds the line number).
enum ReplayFields {
    /// Splits one CSV line on commas, trimming spaces and one pair of surrounding double quotes.
    /// (Quoted commas are not supported: no field of the format needs them.)
    static func split(_ line: Substring) -> [Substring] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { cell in
            var text = cell.trimmingCharacters(in: .whitespaces)[...]
            if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
            return text
        }
    }

    /// A plain decimal number: optional sign, digits, optional fraction (`590.12`, `-3`, `.5`);
    /// no exponent, no thousands separator, at most 18 significant digits.
    static func decimal(_ text: Substring) -> Decimal? {
        var bytes = text.utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            seenDigit = true
            if seenDot { fractionDigits += 1 }
            if significand == 0 && byte == 48 { continue }  // leading zeros do not count
            digits += 1
            guard digits <= 18 else { return nil }
            significand = significand * 10 + UInt64(byte - 48)
        }
        guard seenDigit else { return nil }
        // A negative zero would be Decimal's NaN encoding.
        return Decimal(sign: negative && significand != 0 ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
    }

    /// A number that must be > 0 (`positive`) or ≥ 0.
    static func number(_ text: Substring, column: String, positive: Bool) -> Result<Decimal, Message> {
        guard let value = decimal(text) else {
            return .failure(Message("\(column) must be a number like 12.34, not '\(text)'"))
        }
        if positive ? value <= 0 : value < 0 {
            return .failure(Message("\(column) must be \(positive ? "greater than 0" : "0 or more"), not \(text)"))
        }
        return .success(value)
    }

    /// An ISO-8601 time with a zone (`2025-03-10T13:30:00Z`, `2025-03-10T09:30:00.250-04:00`) or
    /// milliseconds since 1970 (`1741613400000`).
    static func time(_ text: Substring) -> Result<Date, Message> {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard text.count <= 15, let milliseconds = Int64(text) else {
                return .failure(Message("time '\(text)' is too large for milliseconds since 1970"))
            }
            guard milliseconds >= 100_000_000_000 else {
                return .failure(Message(
                    "time \(text) looks like seconds; epoch times must be milliseconds since 1970 (e.g. 1741613400000)"))
            }
            return .success(Date(epochMilliseconds: milliseconds))
        }
        guard let date = ISO8601.parse(String(text)) else {
            return .failure(Message(
                "time must be ISO-8601 with a zone (e.g. 2025-03-10T13:30:00Z) or epoch milliseconds, not '\(text)'"))
        }
        return .success(date)
    }

    static func symbol(_ text: Substring) -> Result<Symbol, Message> {
        do {
            return .success(try Symbol(validating: String(text)))
        } catch {
            return .failure(Message("symbol '\(text)' \(error.errors.first?.message ?? "is not valid")"))
        }
    }

    /// A row problem, before the line number is attached.
    struct Message: Error, Sendable {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
