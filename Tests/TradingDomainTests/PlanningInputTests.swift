import APIInput
import Foundation
import Testing
import TradingDomain


/// The JSON readers: bad shape is a `ValidationFailure` naming each field; trading rules are
/// left to the validator and the sizer.
@Suite("Planning: request bodies")
struct PlanningInputTests: PlanningFixtures {
    @Test func planBodyReadsEveryField() throws {
        let request = try PlanningInput.plan(json("""
            {"symbol": " aapl ", "side": "long", "entry": 187.5, "stop": 184, "targets": [194.5, 196.25],
             "quantity": 100, "thesis": "Breakout", "timeframe": "swing", "last_price": 186.9, "atr": 2.1,
             "equity": 50000, "risk_pct": 1, "buying_power": 40000, "max_position_size_pct": 25, "round_lots": true}
            """), defaults: nil)
        #expect(request.plan == TradePlan(
            symbol: Symbol(trusted: "AAPL"), side: .long, assetClass: .equity, entry: d("187.5"), stop: 184,
            targets: [d("194.5"), d("196.25")], quantity: 100, thesis: "Breakout", timeframe: "swing"))
        #expect(request.context.lastPrice == d("186.9"))
        #expect(request.context.atr == d("2.1"))
        #expect(request.context.account == account(
            equity: "50000", buyingPower: "40000", riskPct: "1", maxPositionSizePct: "25", roundLots: true))
    }

    @Test func planBodyMissingFieldsNamesEachOne() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.plan(json(#"{"symbol": "AAPL"}"#), defaults: nil)
        }
        #expect(failure?.errors.map(\.field) == ["side", "entry", "stop", "targets"])
        #expect(failure?.errors.allSatisfy { $0.message == "is required" } == true)
    }

    @Test func planBodyWrongTypesAndUnknownKeysAreAllReported() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.plan(json("""
                {"symbol": "AAPL", "side": "up", "entry": "150", "stop": 147, "targets": [156, "x"], "colour": 1}
                """), defaults: nil)
        }
        #expect(failure?.errors == [
            FieldError(field: "side", message: "must be one of 'long', 'short'"),
            FieldError(field: "entry", message: "must be a number, not a string"),
            FieldError(field: "targets[1]", message: "must be a price of at most 10000000 with at most 6 decimal places"),
            FieldError(field: "colour", message: "is not a known field"),
        ])
    }

    @Test func planBodyWithTooManyDecimalsIsRejectedAtReadTime() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.plan(json(#"{"symbol":"AAPL","side":"long","entry":150.1234567,"stop":147,"targets":[156]}"#),
                                   defaults: nil)
        }
        #expect(failure?.errors == [FieldError(field: "entry", message: "must have at most 6 decimal places")])
    }

    @Test func planBodyWithAWrongSideStopIsReadAndThenInvalid() throws {
        let request = try PlanningInput.plan(
            json(#"{"symbol":"AAPL","side":"long","entry":150,"stop":151,"targets":[156]}"#), defaults: nil)
        let evaluation = PlanEvaluator.evaluate(request.plan, context: request.context)
        #expect(evaluation.valid == false)
        #expect(evaluation.errors == [PlanningIssue(
            code: "stop_wrong_side", field: "stop", message: "must be below the entry (150.00) for a long (got 151.00)")])
    }

    @Test func planBodyUsesDefaultsWhenItGivesNoAccountFields() throws {
        let defaults = account(equity: "100000", riskPct: "1", maxPositionSizePct: "25")
        let request = try PlanningInput.plan(
            json(#"{"symbol":"AAPL","side":"long","entry":150,"stop":147,"targets":[156]}"#), defaults: defaults)
        #expect(request.context.account == defaults)
    }

    @Test func planBodyRiskAmountReplacesTheDefaultPercent() throws {
        let defaults = account(equity: "100000", riskPct: "1", maxPositionSizePct: "25")
        let request = try PlanningInput.plan(
            json(#"{"symbol":"AAPL","side":"long","entry":150,"stop":147,"targets":[156],"risk_amount":300}"#),
            defaults: defaults)
        #expect(request.context.account == account(equity: "100000", riskAmount: "300", maxPositionSizePct: "25"))
    }

    @Test func planBodyAccountFieldsAreCheckedAtReadTime() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.plan(
                json(#"{"symbol":"AAPL","side":"long","entry":150,"stop":147,"targets":[156],"equity":0,"risk_pct":1}"#),
                defaults: nil)
        }
        #expect(failure?.errors == [FieldError(field: "equity", message: "must be greater than 0 to size a position (got 0.00)")])
    }

    @Test func planBodyDoesNotApplyARoundLotDefaultToAnOption() throws {
        let defaults = account(equity: "100000", roundLots: true)
        let request = try PlanningInput.plan(json("""
            {"symbol":"AAPL250620C00200000","side":"long","entry":4.8,"stop":2.4,"targets":[9.6],"risk_pct":1.5}
            """), defaults: defaults)
        #expect(request.context.account == account(equity: "100000", riskPct: "1.5"))
    }

    @Test func sizingBodyDoesNotApplyARoundLotDefaultToAnOption() throws {
        let request = try PlanningInput.sizing(
            json(#"{"symbol":"AAPL250620C00200000","side":"long","entry":4.8}"#), defaults: account(roundLots: true))
        #expect(request.account.roundLots == false)
        #expect(try PositionSizer.size(request).quantity == 1)  // 500 ÷ 480 per contract
    }

    @Test func sizingBodyWithExplicitRoundLotsForAnOptionIsRejectedBySizer() throws {
        let request = try PlanningInput.sizing(
            json(#"{"symbol":"AAPL250620C00200000","side":"long","entry":4.8,"round_lots":true}"#), defaults: account())
        #expect(PositionSizer.rejections(for: request) == [.roundLotsNotForOptions])
    }

    @Test func sizingBodyRequiresSideAndEntry() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.sizing(json("{}"), defaults: account())
        }
        #expect(failure?.errors == [
            FieldError(field: "side", message: "is required"),
            FieldError(field: "entry", message: "is required"),
        ])
    }

    @Test func sizingBodyWithBothBudgetsIsRejected() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.sizing(json(#"{"side":"long","entry":50,"stop":48,"risk_pct":1,"risk_amount":100}"#),
                                     defaults: account())
        }
        #expect(failure?.errors == [FieldError(
            field: "risk_amount", message: "cannot be combined with risk_pct: give the risk budget one way only")])
    }

    @Test func sizingBodyWithoutBudgetOrEquityAndNoDefaultsNamesBoth() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.sizing(json(#"{"side":"long","entry":50,"stop":48}"#), defaults: nil)
        }
        #expect(failure?.errors == [
            FieldError(field: "risk_pct", message: "or risk_amount is required: the risk budget as a percent of equity or as an amount"),
            FieldError(field: "equity", message: "is required: no account equity is known"),
        ])
    }

    @Test func sizingBodyTakesTheAssetClassFromAnOptionSymbol() throws {
        let request = try PlanningInput.sizing(
            json(#"{"symbol":"AAPL250620C00200000","side":"long","entry":4.8}"#), defaults: account(equity: "30000"))
        #expect(request == SizingRequest(side: .long, assetClass: .option, entry: d("4.8"), stop: nil,
                                         account: account(equity: "30000")))
    }

    @Test func sizingBodyWithAMismatchedAssetClassIsRejected() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanningInput.sizing(json(#"{"symbol":"AAPL","asset_class":"option","side":"long","entry":4.8}"#),
                                     defaults: account())
        }
        #expect(failure?.errors == [FieldError(field: "asset_class", message: "is 'option' but AAPL is not an OCC option symbol")])
    }

    @Test func sizingBodyOverridesOnlyWhatItGives() throws {
        let defaults = account(equity: "100000", buyingPower: "50000", riskPct: "1", maxPositionSizePct: "25")
        let request = try PlanningInput.sizing(
            json(#"{"side":"short","entry":50,"stop":52,"equity":20000,"round_lots":true}"#), defaults: defaults)
        #expect(request.account == account(
            equity: "20000", buyingPower: "50000", riskPct: "1", maxPositionSizePct: "25", roundLots: true))
        #expect(request.side == .short)
        #expect(request.stop == 52)
    }

    @Test func sizingBodyKeepsDegenerateValuesForTheSizerToReject() throws {
        let request = try PlanningInput.sizing(json(#"{"side":"long","entry":50,"stop":50,"equity":0}"#), defaults: account())
        let failure = failure { () throws(ValidationFailure) in try PositionSizer.size(request) }
        #expect(failure?.errors.map(\.field) == ["equity", "stop"])
    }
}
