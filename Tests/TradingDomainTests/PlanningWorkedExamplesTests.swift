import APIInput
import Foundation
import Testing
import TradingDomain

/// The worked examples of `docs/planning.md`, computed with the domain code.
///
/// Each example's request block is read from the doc, run through the same readers and engines
/// the endpoints use (with no server defaults), and the complete response is compared with the
/// doc's response block as exact JSON values (numbers compared as decimals, key order ignored).
/// The key numbers are also asserted here, so the test names what the doc promises.
@Suite("Planning: worked examples in docs/planning.md")
struct PlanningWorkedExamplesTests: PlanningFixtures {
    @Test func longEquityExample() throws {
        let evaluation = try evaluatePlan("long-equity")
        #expect(evaluation.valid)
        #expect(evaluation.riskPerShare == d("3.75"))
        #expect(evaluation.stopDistancePct == d("2.63"))
        #expect(evaluation.totalRisk == 375)
        #expect(evaluation.riskPctOfEquity == d("0.75"))
        #expect(evaluation.targets.map(\.rMultiple) == [2, d("3.33")])
        #expect(evaluation.rBands.map(\.price) == [d("146.25"), 150, d("153.75")])
        let size = try #require(evaluation.suggestedSize)
        #expect(size.quantity == 133)
        #expect(size.riskAmount == d("498.75"))
        #expect(size.positionValue == d("18952.5"))
        #expect(size.pctOfEquity == d("37.91"))
        #expect(size.alternatives.map(\.quantity) == [66, 133, 175])
        #expect(size.alternatives.map(\.cappedBy) == [.riskBudget, .riskBudget, .maxPositionSize])
        #expect(try json(of: evaluation) == docBlock("long-equity/response"))
    }

    @Test func shortEquityExample() throws {
        let evaluation = try evaluatePlan("short-equity")
        #expect(evaluation.riskPerShare == d("6.2"))
        #expect(evaluation.targets.map(\.rMultiple) == [d("1.94"), 3])
        #expect(evaluation.rBands.map(\.price) == [d("241.8"), d("235.6"), d("229.4")])
        #expect(evaluation.warnings.map(\.code) == ["stop_tighter_than_atr", "entry_far_from_last"])
        let size = try #require(evaluation.suggestedSize)
        #expect(size.quantity == 100)
        #expect(size.riskAmount == 620)
        #expect(size.cappedBy == .roundLot)
        #expect(size.alternatives.map(\.quantity) == [0, 100, 200])
        #expect(try json(of: evaluation) == docBlock("short-equity/response"))
    }

    @Test func optionExample() throws {
        let evaluation = try evaluatePlan("option")
        #expect(evaluation.riskPerUnit == 240)
        #expect(evaluation.totalRisk == 720)
        #expect(evaluation.riskPctOfEquity == d("2.4"))
        #expect(evaluation.warnings.map(\.code) == ["risk_above_budget"])
        let size = try #require(evaluation.suggestedSize)
        #expect(size.assetClass == .option)
        #expect(size.quantity == 1)
        #expect(size.alternatives.map(\.quantity) == [0, 1, 2])
        #expect(try json(of: evaluation) == docBlock("option/response"))
    }

    @Test func optionWithoutStopPremiumExample() throws {
        let size = try sizeRequest("option-no-stop")
        #expect(size.riskPerUnit == 135)
        #expect(size.quantity == 2)
        #expect(size.riskAmount == 270)
        #expect(size.alternatives.map(\.pctOfEquity) == [d("0.68"), d("1.35"), d("2.03")])
        #expect(try json(of: size) == sizerPart(docBlock("option-no-stop/response")))
    }

    @Test func zeroQuantityExample() throws {
        let size = try sizeRequest("zero-quantity")
        #expect(size.quantity == 0)
        #expect(size.warnings.map(\.code) == ["quantity_zero"])
        #expect(size.alternatives.map(\.quantity) == [0, 0, 1])
        #expect(try json(of: size) == sizerPart(docBlock("zero-quantity/response")))
    }

    @Test func invalidPlanExample() throws {
        let evaluation = try evaluatePlan("invalid-plan")
        #expect(evaluation.valid == false)
        #expect(evaluation.errors.map(\.code) == ["stop_wrong_side", "target_wrong_side"])
        #expect(try json(of: evaluation) == docBlock("invalid-plan/response"))
    }

    @Test func degenerateSizingExample() throws {
        let request = try PlanningInput.sizing(docBlock("degenerate-sizing/request"), defaults: nil)
        let failure = try #require(failure { () throws(ValidationFailure) in try PositionSizer.size(request) })
        #expect(failure.errors.map(\.field) == ["equity", "stop"])
        #expect(try json(of: failure.errors) == docBlock("degenerate-sizing/errors"))
    }

    // MARK: helpers

    private func evaluatePlan(_ name: String) throws -> PlanEvaluation {
        let request = try PlanningInput.plan(docBlock("\(name)/request"), defaults: nil)
        return PlanEvaluator.evaluate(request.plan, context: request.context)
    }

    private func sizeRequest(_ name: String) throws -> SizingResult {
        try PositionSizer.size(PlanningInput.sizing(docBlock("\(name)/request"), defaults: nil))
    }

    /// A sizing answer without what the server adds about the account it sized with
    /// (`account_source`, `equity`, `buying_power`; the API test checks those).
    private func sizerPart(_ answer: JSONValue) -> JSONValue {
        guard case .object(var fields) = answer else { return answer }
        for key in ["account_source", "equity", "buying_power"] { fields[key] = nil }
        return .object(fields)
    }

    /// A value as the API would send it, parsed back into exact JSON.
    private func json(of value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// The ```json block that follows `<!-- example: NAME -->` in docs/planning.md.
    private func docBlock(_ name: String) throws -> JSONValue {
        let docURL = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/planning.md")
        let lines = try String(contentsOf: docURL, encoding: .utf8).components(separatedBy: "\n")
        let marker = try #require(lines.firstIndex(of: "<!-- example: \(name) -->"), "no example \(name) in the doc")
        let start = try #require(lines[(marker + 1)...].firstIndex(of: "```json"))
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        let text = lines[(start + 1)..<end].joined(separator: "\n")
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
