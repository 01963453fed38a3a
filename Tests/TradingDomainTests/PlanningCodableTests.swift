import Foundation
import Testing
import TradingDomain


private func encode<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// The JSON shapes the API returns: snake_case keys, exact numbers, explicit nulls.
@Suite("Planning: JSON shapes")
struct PlanningCodableTests: PlanningFixtures {
    @Test func planEvaluationEncodesTheAPIShape() throws {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "150", stop: "147.5", targets: ["155.1"]))
        #expect(try encode(evaluation) == """
            {"errors":[],"r_bands":[{"price":152.5,"r":1},{"price":155,"r":2},{"price":157.5,"r":3}],\
            "risk_pct_of_equity":null,"risk_per_share":2.5,"risk_per_unit":2.5,"stop_distance_pct":1.67,\
            "suggested_size":null,"summary":"\(evaluation.summary)",\
            "targets":[{"price":155.1,"r_multiple":2.04,"reward_per_share":5.1}],"total_risk":null,"valid":true,"warnings":[]}
            """)
    }

    @Test func issuesEncodeCodeFieldAndMessage() throws {
        let issue = PlanningRejection.targetWrongSide(index: 1, side: .long, entry: 10, target: 9).issue
        #expect(try encode(issue)
            == #"{"code":"target_wrong_side","field":"targets[1]","message":"must be above the entry (10.00) for a long (got 9.00)"}"#)
        #expect(try encode(PlanningWarning.targetsUnordered.issue)
            == #"{"code":"targets_unordered","field":"targets","message":"The targets are not ordered from nearest to farthest."}"#)
    }

    @Test func sizingResultEncodesTheAPIShape() throws {
        let result = try PositionSizer.size(request(
            entry: "40", stop: "38.5", account: account(equity: "50000", riskAmount: "300")))
        let alternative = #"{"budget_multiplier":0.5,"capped_by":"risk_budget","pct_of_equity":8,"position_value":4000,"#
            + #""profile":"conservative","quantity":100,"risk_amount":150,"risk_budget":150,"risk_pct_of_equity":0.3}"#
        let json = try encode(result)
        #expect(json.hasPrefix(#"{"alternatives":["# + alternative + ","))
        #expect(json.hasSuffix(#""asset_class":"equity","capped_by":"risk_budget","cost_per_unit":40,"pct_of_equity":16,"#
            + #""position_value":8000,"quantity":200,"risk_amount":300,"risk_budget":300,"risk_pct_of_equity":0.6,"#
            + #""risk_per_unit":1.5,"warnings":[]}"#))
    }

    @Test func sizingRequestIsFlatJSONAndRoundTrips() throws {
        let request = SizingRequest(
            side: .short, assetClass: .equity, entry: d("248"), stop: d("254.2"),
            account: account(equity: "80000", riskAmount: "1200", roundLots: true))
        let json = try encode(request)
        #expect(json == #"{"asset_class":"equity","buying_power":null,"entry":248,"equity":80000,"#
            + #""max_position_size_pct":null,"risk_amount":1200,"round_lots":true,"side":"short","stop":254.2}"#)
        #expect(try JSONDecoder().decode(SizingRequest.self, from: Data(json.utf8)) == request)
    }

    @Test func riskBudgetDecodesEitherFormButNotBoth() throws {
        #expect(try JSONDecoder().decode(RiskBudget.self, from: Data(#"{"risk_pct":1.5}"#.utf8)) == .percentOfEquity(d("1.5")))
        #expect(try JSONDecoder().decode(RiskBudget.self, from: Data(#"{"risk_amount":250}"#.utf8)) == .amount(250))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RiskBudget.self, from: Data(#"{"risk_pct":1,"risk_amount":250}"#.utf8))
        }
    }

    @Test func tradePlanRoundTripsWithSnakeCaseKeys() throws {
        let original = plan("AAPL250620C00200000", entry: "4.8", stop: "2.4", targets: ["9.6"], quantity: "3")
        let json = try encode(original)
        #expect(json.contains(#""asset_class":"option""#))
        #expect(try JSONDecoder().decode(TradePlan.self, from: Data(json.utf8)) == original)
    }

    @Test func decimalsSurviveJSONExactly() throws {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "0.1", stop: "0.07", targets: ["0.3"]))
        let json = try encode(evaluation)
        #expect(json.contains(#""risk_per_share":0.03"#))
        #expect(json.contains(#""reward_per_share":0.2"#))
        #expect(!json.contains("0000000"))
    }
}
