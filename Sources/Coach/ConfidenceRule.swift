import Foundation
import TradingDomain
import TradingEngine

/// What the confidence of one answer is computed from.
public struct ConfidenceInputs: Sendable, Hashable {
    /// Step 1: the starting value, 0–1: the parser's certainty (built-in) or the model's signal (`ConfidenceRule.modelSignal`).
    public var base: Decimal
    /// Tool calls made (or attempted: a call refused for bad arguments or an unknown tool counts).
    public var toolCalls: Int
    /// Tool calls that returned `ok`.
    public var toolSuccesses: Int
    /// Successful tool results whose data is stale.
    public var staleResults: Int
    /// Nothing in the request was understood (the built-in coach answered with its capabilities).
    public var intentUnknown: Bool

    public init(base: Decimal, toolCalls: Int = 0, toolSuccesses: Int = 0, staleResults: Int = 0, intentUnknown: Bool = false) {
        self.base = base
        self.toolCalls = toolCalls
        self.toolSuccesses = toolSuccesses
        self.staleResults = staleResults
        self.intentUnknown = intentUnknown
    }

    /// Counts calls, successes and stale data from the tool results of one answer.
    public init(base: Decimal, results: [CoachToolResult], intentUnknown: Bool = false) {
        self.init(
            base: base, toolCalls: results.count, toolSuccesses: results.filter(\.ok).count,
            staleResults: results.filter { $0.ok && $0.stale }.count, intentUnknown: intentUnknown)
    }
}

/// The confidence rule of docs/coach.md. Pure and deterministic:
///
/// 1. start from `base` (clamped to 0–1);
/// 2. multiply by the tool success ratio (successes ÷ calls; 1 when no tool was called);
/// 3. subtract 0.25 for each stale result;
/// 4. cap at 0.4 when no tool returned data (general chat), and at 0.2 when the request was not understood;
/// 5. keep at least 0.05, and round to two decimals.
public enum ConfidenceRule {
    public static let stalePenalty: Decimal = Decimal.hundredths(25)
    public static let noDataCap: Decimal = Decimal.hundredths(40)
    public static let unknownIntentCap: Decimal = Decimal.hundredths(20)
    public static let floor: Decimal = Decimal.hundredths(5)

    /// Model signal when the model ended normally (`finish_reason` `stop`) without hedging.
    public static let modelStop: Decimal = Decimal.hundredths(80)
    /// Model signal when the answer was cut short (`length`, `content_filter`), forced after the round cap, or unknown.
    public static let modelCutShort: Decimal = Decimal.hundredths(60)
    /// Signal of a plain-text answer that has no finish reason (Chat Data).
    public static let plainText: Decimal = Decimal.hundredths(70)
    /// Subtracted per hedging phrase found, at most `maxHedgePenalty` in all.
    public static let hedgePenalty: Decimal = Decimal.hundredths(10)
    public static let maxHedgePenalty: Decimal = Decimal.hundredths(30)
    /// A refusal or an apology caps the signal here.
    public static let refusalCap: Decimal = Decimal.hundredths(30)

    public static let hedges = [
        "might", "maybe", "perhaps", "possibly", "not sure", "i think", "i believe", "unclear", "uncertain", "probably",
        "it seems", "hard to say", "cannot be certain", "can't be certain", "guess", "approximately",
    ]
    public static let refusals = [
        "i can't", "i cannot", "i'm unable", "i am unable", "unable to", "i'm sorry", "i am sorry", "sorry,", "as an ai",
        "i don't have access", "i do not have access", "i won't", "i will not",
    ]

    /// The confidence, 0.05–1, two decimals.
    public static func score(_ inputs: ConfidenceInputs) -> Decimal {
        var value = min(max(inputs.base, 0), 1)
        if inputs.toolCalls > 0 {
            value = value * Decimal(inputs.toolSuccesses) / Decimal(inputs.toolCalls)
        }
        value -= stalePenalty * Decimal(inputs.staleResults)
        if inputs.toolSuccesses == 0 { value = min(value, noDataCap) }
        if inputs.intentUnknown { value = min(value, unknownIntentCap) }
        return max(value, floor).rounded(scale: 2)
    }

    /// The model's signal from how it finished and what it wrote (step 1 for model backends).
    ///
    /// - Parameters:
    ///   - finishReason: the last response's `finish_reason`; nil for plain-text APIs (Chat Data).
    ///   - forced: true when the answer was forced after the cap on tool rounds.
    public static func modelSignal(finishReason: String?, reply: String, forced: Bool = false) -> Decimal {
        var signal: Decimal
        switch (finishReason?.lowercased(), forced) {
        case (_, true): signal = modelCutShort
        case ("stop"?, _), ("eos"?, _), ("end_turn"?, _): signal = modelStop
        case (nil, _): signal = plainText
        default: signal = modelCutShort
        }
        let text = reply.lowercased()
        let hedgeCount = hedges.filter { text.contains($0) }.count
        signal -= min(hedgePenalty * Decimal(hedgeCount), maxHedgePenalty)
        if text.trimmingWhitespace().isEmpty || refusals.contains(where: { text.contains($0) }) {
            signal = min(signal, refusalCap)
        }
        return signal
    }
}

extension Decimal {
    /// `n` hundredths, exactly (a float literal such as `0.53` is not exact as a Decimal).
    static func hundredths(_ n: Int) -> Decimal {
        Decimal(n) / 100
    }
}
