import Foundation
import TradingDomain

/// One word of a clause: as typed (for ids and notes) and lower-cased (for matching), with its
/// number when it is one (`190`, `$190.50`, `1%`, `1,000`).
struct Token: Sendable, Hashable {
    let text: String
    let lower: String
    var number: Decimal?
    var isPercent = false
    var isDollar = false

    init(_ text: String) {
        self.text = text
        lower = text.lowercased()
        var body = Substring(lower)
        if body.hasPrefix("$") {
            isDollar = true
            body = body.dropFirst()
        }
        if body.hasSuffix("%") {
            isPercent = true
            body = body.dropLast()
        }
        number = Token.decimal(body)
    }

    static func decimal(_ text: Substring) -> Decimal? {
        guard !text.isEmpty, text.contains(where: \.isASCIIDigitCharacter),
              text.allSatisfy({ $0.isASCIIDigitCharacter || $0 == "." }), text.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// A plain number: not a percent, whatever its dollar sign.
    var price: Decimal? { isPercent ? nil : number }
}

/// A sentence-sized piece of the user's message, tokenised, with the look-ups the rules need.
struct Clause: Sendable {
    let original: String
    let tokens: [Token]
    /// The whole message was typed in capitals, so capitals say nothing about tickers.
    let shouting: Bool
    /// " word word word " (lower-case, single spaces) for phrase matching on word boundaries.
    let padded: String

    init(_ text: String, shouting: Bool) {
        original = text.trimmingWhitespace()
        self.shouting = shouting
        var tokens = Clause.tokenize(text).map(Token.init)
        for index in tokens.indices.dropFirst() where ["percent", "pct"].contains(tokens[index].lower) && tokens[index - 1].number != nil {
            tokens[index - 1].isPercent = true
        }
        self.tokens = tokens
        padded = " " + tokens.map(\.lower).joined(separator: " ") + " "
    }

    static func tokenize(_ text: String) -> [String] {
        let characters = Array(text.replacingOccurrences(of: "\u{2019}", with: "'"))
        var words: [String] = []
        var current = ""
        func flush() {
            var word = Substring(current)
            while let last = word.last, ".'-".contains(last) { word = word.dropLast() }
            while let first = word.first, "'".contains(first) { word = word.dropFirst() }
            if !word.isEmpty { words.append(String(word)) }
            current = ""
        }
        for (index, character) in characters.enumerated() {
            if character == ",", index > 0, index + 1 < characters.count,
               characters[index - 1].isASCIIDigitCharacter, characters[index + 1].isASCIIDigitCharacter {
                continue  // 1,000
            }
            if character == "@" {
                flush()
                words.append("@")
            } else if character.isWhitespace || ",?!;:()\"“”[]{}<>=|".contains(character) {
                flush()
            } else {
                current.append(character)
            }
        }
        flush()
        return words
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// True when `phrase` (lower-case words separated by single spaces) occurs on word boundaries.
    func has(_ phrase: String) -> Bool { padded.contains(" \(phrase) ") }

    func hasAny(_ phrases: [String]) -> Bool { phrases.contains(where: has) }

    func firstIndex(of words: Set<String>, from start: Int = 0) -> Int? {
        guard start < tokens.count else { return nil }
        return tokens[start...].firstIndex { words.contains($0.lower) }
    }

    /// Index of the first number after a keyword in `words`, skipping connectors ("entry at $190").
    func numberIndex(after words: Set<String>, allowPercent: Bool = false, from start: Int = 0) -> Int? {
        var search = start
        while let keyword = firstIndex(of: words, from: search) {
            var index = keyword + 1
            while index < tokens.count, tokens[index].number == nil, Vocabulary.numberConnectors.contains(tokens[index].lower) {
                index += 1
            }
            if index < tokens.count, tokens[index].number != nil, allowPercent || !tokens[index].isPercent {
                return index
            }
            search = keyword + 1
        }
        return nil
    }

    func number(after words: Set<String>) -> Decimal? {
        numberIndex(after: words).flatMap { tokens[$0].number }
    }

    /// The numbers following the first keyword in `words`: "targets 850, 800 and 780".
    func numbers(after words: Set<String>) -> [Decimal] {
        guard var index = numberIndex(after: words) else { return [] }
        var found: [Decimal] = []
        while index < tokens.count {
            if let value = tokens[index].price {
                found.append(value)
            } else if !["and", "&", "then", "/"].contains(tokens[index].lower) {
                break
            }
            index += 1
        }
        return found
    }

    /// The ticker at `index`, if that word is one (never a word the parser knows as English).
    func ticker(at index: Int) -> String? {
        let token = tokens[index]
        guard token.number == nil else { return nil }
        var raw = Substring(token.text)
        let cashtag = raw.hasPrefix("$")
        if cashtag { raw = raw.dropFirst() }
        guard !raw.isEmpty, let symbol = try? Symbol(validating: String(raw)) else { return nil }
        if symbol.isOption { return symbol.rawValue }
        guard Clause.looksLikeTicker(raw) else { return nil }
        if cashtag { return symbol.rawValue }
        let letters = raw.filter(\.isLetter)
        if !shouting, !letters.isEmpty, letters.allSatisfy(\.isUppercase), raw != "I" { return symbol.rawValue }
        // "Apple", "Tesla": a capitalised word in ordinary text is a name, not a ticker.
        if !shouting, letters.count > 1, letters.first?.isUppercase == true, letters.dropFirst().allSatisfy(\.isLowercase) { return nil }
        return Vocabulary.notTickers.contains(token.lower) ? nil : symbol.rawValue
    }

    /// 1–5 letters, optionally a class suffix: `aapl`, `brk.b`, `brk/b`.
    static func looksLikeTicker(_ raw: Substring) -> Bool {
        let parts = raw.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "/" })
        guard let root = parts.first, (1...5).contains(root.count), root.allSatisfy(\.isASCIILetterCharacter) else { return false }
        guard parts.count <= 2 else { return false }
        if parts.count == 2 { return (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIILetterCharacter) }
        return true
    }

    /// Every ticker in the clause, in order, without repeats.
    func tickers() -> [String] {
        var seen: [String] = []
        for index in tokens.indices {
            if let symbol = ticker(at: index), !seen.contains(symbol) { seen.append(symbol) }
        }
        return seen
    }

    func firstTicker() -> String? { tickers().first }

    /// The original text after the first occurrence of the word `keyword` (case-insensitive).
    func originalText(afterWord keyword: String) -> String? {
        Clause.text(in: original, afterWord: keyword)
    }

    static func text(in original: String, afterWord keyword: String) -> String? {
        let lower = original.lowercased()
        var searchStart = lower.startIndex
        while let range = lower.range(of: keyword, range: searchStart..<lower.endIndex) {
            let beforeOK = range.lowerBound == lower.startIndex || !lower[lower.index(before: range.lowerBound)].isLetter
            let afterOK = range.upperBound == lower.endIndex || !lower[range.upperBound].isLetter
            if beforeOK && afterOK {
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                guard offset <= original.count else { return nil }
                let rest = original[original.index(original.startIndex, offsetBy: offset)...]
                return String(rest.drop(while: { $0.isWhitespace || ":-–—".contains($0) })).trimmingWhitespace()
            }
            searchStart = range.upperBound
        }
        return nil
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
    var isASCIILetterCharacter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
