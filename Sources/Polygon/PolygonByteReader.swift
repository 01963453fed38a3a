import Foundation

/// A strict, allocation-free cursor over the UTF-8 bytes of one JSON frame, for the byte-level
/// Polygon parser (`PolygonFastParser`, docs/performance.md "Frame parser"). It understands the
/// JSON grammar (RFC 8259) but only the plain subset Polygon sends: every method returns nil
/// (or false) on anything else — an escape or a non-ASCII byte in a string, a number with more
/// than 18 digits, nesting deeper than 16 — and the caller then hands the whole frame to the
/// `JSONDecoder` path, which decides. Never a guess.
struct PolygonByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static let maxDepth = 16
    static let maxDigits = 18

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` (after whitespace) when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// A string without escapes, all ASCII, no control characters: the byte range of its content.
    mutating func string() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            // Backslash, control characters and non-ASCII: the decoder's business.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A JSON number as its exact digits: `significand × 10^exponent`.
    struct Number {
        var negative: Bool
        var significand: UInt64
        var exponent: Int
        /// No fraction and no exponent part (what an integer field accepts here).
        var isPlainInteger: Bool

        var decimal: Decimal? {
            // Decimal's exponent is an Int8 internally; stay well inside it.
            guard (-100...100).contains(exponent) else { return nil }
            return Decimal(
                sign: negative && significand != 0 ? .minus : .plus, exponent: exponent,
                significand: Decimal(significand))
        }

        var int64: Int64? {
            guard isPlainInteger, significand <= UInt64(Int64.max) else { return nil }
            return negative ? -Int64(significand) : Int64(significand)
        }

        var int: Int? { int64.map { Int($0) } }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` with at most 18 digits before the
    /// exponent and at most 4 exponent digits.
    mutating func number() -> Number? {
        skipWhitespace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var significand: UInt64 = 0
        var digits = 0
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
            if index < bytes.count, isDigit(bytes[index]) { return nil }  // leading zero
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                significand = significand &* 10 &+ UInt64(bytes[index] &- 0x30)
                digits += 1
                index += 1
            }
        }
        var exponent = 0
        var plain = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) {
                significand = significand &* 10 &+ UInt64(bytes[index] &- 0x30)
                digits += 1
                exponent -= 1
                index += 1
            }
        }
        guard digits <= Self.maxDigits else { return nil }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            plain = false
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var exponentDigits = 0
            while index < bytes.count, isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] &- 0x30)
                exponentDigits += 1
                index += 1
            }
            guard (1...4).contains(exponentDigits) else { return nil }
            exponent += exponentNegative ? -value : value
        }
        // A number must end at a delimiter (`1x` is not JSON).
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: break
            default: return nil
            }
        }
        return Number(negative: negative, significand: significand, exponent: exponent, isPlainInteger: plain)
    }

    /// Consumes `literal` (`true`, `false`, `null`) when it is next.
    mutating func literal(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let text = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != text[offset] { return false }
        let end = index + count
        if end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: break
            default: return false
            }
        }
        index = end
        return true
    }

    /// Steps over any value, checking its grammar. False when it is not plain JSON.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.maxDepth, let next = peek() else { return false }
        switch next {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number() != nil
        }
    }

    /// True when the bytes in `range` spell `text`.
    func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let start = text.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != start[offset] { return false }
        return true
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
}
