import Coach
import Foundation
import Testing
import TradingDomain
import TradingEngine

/// The worked numbers of docs/coach.md.
@Suite("Confidence rule")
struct ConfidenceRuleTests {
    @Test(arguments: [
        // base, calls, successes, stale, unknown → expected
        (dec("0.9"), 1, 1, 0, false, dec("0.9")),     // "what's AAPL at", fresh
        (dec("0.9"), 1, 1, 1, false, dec("0.65")),    // same, stale quote
        (dec("0.9"), 2, 2, 2, false, dec("0.4")),     // two stale results
        (dec("0.9"), 3, 3, 4, false, dec("0.05")),    // floor
        (dec("0.6"), 2, 1, 0, false, dec("0.3")),     // one of two calls failed
        (dec("0.8"), 3, 2, 0, false, dec("0.53")),    // model, two of three succeeded
        (dec("0.8"), 0, 0, 0, false, dec("0.4")),     // general chat, no data
        (dec("0.1"), 0, 0, 0, true, dec("0.1")),      // not understood
        (dec("0.9"), 0, 0, 0, true, dec("0.2")),      // not understood, capped
        (dec("1.5"), 1, 1, 0, false, dec("1")),       // base clamped
    ])
    func workedNumbers(_ base: Decimal, _ calls: Int, _ successes: Int, _ stale: Int, _ unknown: Bool, _ expected: Decimal) {
        let inputs = ConfidenceInputs(base: base, toolCalls: calls, toolSuccesses: successes, staleResults: stale, intentUnknown: unknown)
        #expect(ConfidenceRule.score(inputs) == expected)
    }

    @Test func modelSignals() {
        #expect(ConfidenceRule.modelSignal(finishReason: "stop", reply: "AAPL is 190.12.") == dec("0.8"))
        #expect(ConfidenceRule.modelSignal(finishReason: "length", reply: "AAPL is") == dec("0.6"))
        #expect(ConfidenceRule.modelSignal(finishReason: "stop", reply: "AAPL is 190.12.", forced: true) == dec("0.6"))
        #expect(ConfidenceRule.modelSignal(finishReason: "stop", reply: "It might rise; perhaps. I'm not sure, maybe.") == dec("0.5"))
        #expect(ConfidenceRule.modelSignal(finishReason: "stop", reply: "I'm sorry, I cannot help with that.") == dec("0.3"))
        #expect(ConfidenceRule.modelSignal(finishReason: "stop", reply: "  ") == dec("0.3"))
        #expect(ConfidenceRule.modelSignal(finishReason: nil, reply: "Plain answer.") == dec("0.7"))
    }

    @Test func inputsFromResults() {
        let fresh = CoachToolResult(ok: true, content: .null, summary: "")
        let stale = CoachToolResult(ok: true, content: .null, summary: "", stale: true)
        let failed = CoachToolResult.failure("no", tool: "quotes")
        let inputs = ConfidenceInputs(base: 0.8, results: [fresh, stale, failed])
        #expect(inputs == ConfidenceInputs(base: 0.8, toolCalls: 3, toolSuccesses: 2, staleResults: 1))
        #expect(ConfidenceRule.score(inputs) == dec("0.28"))
    }
}
