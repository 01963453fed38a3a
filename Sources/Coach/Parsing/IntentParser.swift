import APIInput
import Foundation
import TradingDomain

/// One thing the user asked for, as a tool call.
public struct ParsedIntent: Sendable, Hashable {
    /// The tool's name (`quotes`, `suggest_size`, …).
    public var tool: String
    /// The arguments read from the text; they may be incomplete (the schema check says what is missing).
    public var arguments: JSONValue
    /// 0–1: how sure the parser is that this is what the user meant (see docs/coach.md).
    public var certainty: Decimal
    /// The part of the message this came from.
    public var matched: String

    public init(tool: String, arguments: JSONValue, certainty: Decimal, matched: String) {
        self.tool = tool
        self.arguments = arguments
        self.certainty = certainty
        self.matched = matched
    }
}

/// Turns plain English into tool calls, without a model. Deterministic and pure.
///
/// The message is cut into clauses (at `?`, `!`, `;`, new lines, sentence ends, "and then",
/// "also"). In each clause at most one *command* is read (cancel, set alert, sizing, plan check,
/// order preview), else any *questions* (journal stats, alerts list, risk, positions, picks,
/// market status),
/// else a quote request. A message that starts with `journal:` is one journal entry, whatever its
/// notes say. Symbols are only ever words the user typed (upper-cased); none is guessed.
public struct IntentParser: Sendable {
    /// Certainty given to intents read from clear wording with every argument present.
    public static let clear: Decimal = Decimal.hundredths(90)
    /// Certainty when the wording is clear but arguments are missing or inferred.
    public static let partial: Decimal = Decimal.hundredths(60)

    public init() {}

    /// The intents found in `message`, in the order they appear; empty when nothing is understood.
    public func parse(_ message: String) -> [ParsedIntent] {
        let letters = message.filter(\.isLetter)
        let shouting = !letters.isEmpty && !letters.contains(where: \.isLowercase)
        if let entry = IntentRules.journalEntry(message, shouting: shouting) { return [entry] }
        var intents: [ParsedIntent] = []
        for piece in IntentParser.clauses(message) {
            let clause = Clause(piece, shouting: shouting)
            guard !clause.isEmpty else { continue }
            intents.append(contentsOf: IntentParser.intents(in: clause))
        }
        return intents
    }

    /// True when the message asks what the coach can do ("help", "what can you do").
    public func isHelpRequest(_ message: String) -> Bool {
        let clause = Clause(message, shouting: false)
        return clause.hasAny(["help", "what can you do", "what can i ask", "commands", "capabilities", "how do i use you", "what do you do"])
    }

    static func intents(in clause: Clause) -> [ParsedIntent] {
        let commands: [(Clause) -> ParsedIntent?] = [
            IntentRules.cancelOrder, IntentRules.setAlert, IntentRules.suggestSize, IntentRules.validatePlan, IntentRules.previewOrder,
        ]
        for rule in commands {
            if let intent = rule(clause) { return [intent] }
        }
        let questions: [(Clause) -> ParsedIntent?] = [
            IntentRules.journalStats, IntentRules.listAlerts, IntentRules.risk, IntentRules.positions, IntentRules.picks,
            IntentRules.marketStatus,
        ]
        let found = questions.compactMap { $0(clause) }
        if !found.isEmpty { return found }
        return IntentRules.quotes(clause).map { [$0] } ?? []
    }

    /// Cuts a message into clauses. Decimal points ("190.5") and tickers ("brk.b") are not sentence ends.
    static func clauses(_ message: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        let characters = Array(message)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if "?!;\n".contains(character) || (character == "." && next.isWhitespace) {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces.flatMap { piece in
            piece.components(separatedBy: " and then ").flatMap { $0.components(separatedBy: " also ") }
        }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

/// Builds tool arguments.
struct ArgumentsBuilder {
    private(set) var fields: [String: JSONValue] = [:]

    mutating func set(_ key: String, _ value: String?) {
        if let value { fields[key] = .string(value) }
    }

    mutating func set(_ key: String, _ value: Decimal?) {
        if let value { fields[key] = .number(value) }
    }

    mutating func set(_ key: String, strings: [String]) {
        if !strings.isEmpty { fields[key] = .array(strings.map(JSONValue.string)) }
    }

    mutating func set(_ key: String, numbers: [Decimal]) {
        if !numbers.isEmpty { fields[key] = .array(numbers.map(JSONValue.number)) }
    }

    var json: JSONValue { .object(fields) }

    func has(_ keys: String...) -> Bool { keys.allSatisfy { fields[$0] != nil } }
}
