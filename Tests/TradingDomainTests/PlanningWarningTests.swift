import Foundation
import Testing
import TradingDomain


@Suite("Planning: plan warnings")
struct PlanningWarningTests: PlanningFixtures {
    @Test func bestTargetUnderOneRWarns() {
        let warnings = PlanValidator.warnings(for: plan(entry: "100", stop: "95", targets: ["103", "104"]), context: PlanContext())
        #expect(warnings == [.bestTargetUnderOneR(best: d("0.8"))])
        #expect(warnings.first?.issue == PlanningIssue(
            code: "best_target_under_1r", field: "targets",
            message: "The best target pays only 0.80R, less than the 1.00R risked."))
    }

    @Test func bestTargetAtExactlyOneRDoesNotWarn() {
        #expect(PlanValidator.warnings(for: plan(entry: "100", stop: "95", targets: ["105"]), context: PlanContext()) == [])
    }

    @Test func bestTargetJustUnderOneRIsShownRoundedDown() {
        // 2.99 / 3 = 0.99666…: shown as 0.99R, never as 1.00R.
        let warnings = PlanValidator.warnings(for: plan(entry: "100", stop: "97", targets: ["102.99"]), context: PlanContext())
        #expect(warnings == [.bestTargetUnderOneR(best: d("0.99"))])
    }

    @Test func shortBestTargetUnderOneRWarns() {
        let warnings = PlanValidator.warnings(
            for: plan("TSLA", .short, entry: "100", stop: "104", targets: ["98"]), context: PlanContext())
        #expect(warnings == [.bestTargetUnderOneR(best: d("0.5"))])
    }

    @Test func stopTighterThanATRWarns() {
        let warnings = PlanValidator.warnings(
            for: plan(entry: "100", stop: "99.5", targets: ["102"]), context: PlanContext(atr: d("1.2")))
        #expect(warnings == [.stopTighterThanATR(distance: d("0.5"), atr: d("1.2"), multiple: 1)])
        #expect(warnings.first?.issue.message
            == "The stop is 0.50 from the entry, tighter than the ATR of 1.20; ordinary noise may stop the trade out.")
        #expect(warnings.first?.issue.field == "stop")
    }

    @Test func stopExactlyOneATRAwayDoesNotWarn() {
        let warnings = PlanValidator.warnings(
            for: plan(entry: "100", stop: "98.8", targets: ["103"]), context: PlanContext(atr: d("1.2")))
        #expect(warnings == [])
    }

    @Test func atrStopMultipleIsAParameter() {
        let context = PlanContext(atr: d("1.2"), atrStopMultiple: d("1.5"))
        let warnings = PlanValidator.warnings(for: plan(entry: "100", stop: "98.5", targets: ["104"]), context: context)
        #expect(warnings == [.stopTighterThanATR(distance: d("1.5"), atr: d("1.2"), multiple: d("1.5"))])
        #expect(warnings.first?.message
            == "The stop is 1.50 from the entry, tighter than 1.5 × the ATR of 1.20; ordinary noise may stop the trade out.")
    }

    @Test func entryMoreThanFivePercentFromLastPriceWarns() {
        let warnings = PlanValidator.warnings(
            for: plan(entry: "106", stop: "100", targets: ["120"]), context: PlanContext(lastPrice: 100))
        #expect(warnings == [.entryFarFromLast(entry: 106, last: 100, distancePct: 6, thresholdPct: 5)])
        #expect(warnings.first?.message == "The entry 106.00 is 6.00% away from the last price 100.00, more than 5.00%.")
        #expect(warnings.first?.field == "entry")
    }

    @Test func entryExactlyFivePercentFromLastPriceDoesNotWarn() {
        let warnings = PlanValidator.warnings(
            for: plan(entry: "95", stop: "90", targets: ["110"]), context: PlanContext(lastPrice: 100))
        #expect(warnings == [])
    }

    @Test func entryFarThresholdIsAParameter() {
        let context = PlanContext(lastPrice: 100, entryFarPct: 2)
        let warnings = PlanValidator.warnings(for: plan(entry: "97.5", stop: "95", targets: ["105"]), context: context)
        #expect(warnings == [.entryFarFromLast(entry: d("97.5"), last: 100, distancePct: d("2.5"), thresholdPct: 2)])
    }

    @Test func planRiskAboveThePercentBudgetWarns() {
        // 200 shares × 3.00 = 600 > 1 % of 50,000 = 500.
        let warnings = PlanValidator.warnings(
            for: plan(entry: "100", stop: "97", targets: ["110"], quantity: "200"),
            context: PlanContext(account: account(equity: "50000", riskPct: "1")))
        #expect(warnings == [.riskAboveBudget(risk: 600, budget: 500)])
        #expect(warnings.first?.issue == PlanningIssue(
            code: "risk_above_budget", field: "quantity",
            message: "The plan risks 600.00, more than the risk budget of 500.00."))
    }

    @Test func planRiskEqualToTheBudgetDoesNotWarn() {
        let warnings = PlanValidator.warnings(
            for: plan(entry: "100", stop: "97.5", targets: ["110"], quantity: "200"),
            context: PlanContext(account: account(equity: "50000", riskPct: "1")))
        #expect(warnings == [])
    }

    @Test func optionPlanRiskUsesTheContractMultiplier() {
        // 3 contracts × 2.40 × 100 = 720 > 450.
        let warnings = PlanValidator.warnings(
            for: plan("AAPL250620C00200000", entry: "4.80", stop: "2.40", targets: ["9.60"], quantity: "3"),
            context: PlanContext(account: account(equity: "30000", riskAmount: "450")))
        #expect(warnings == [.riskAboveBudget(risk: 720, budget: 450)])
    }

    @Test func targetsOutOfOrderWarn() {
        let warnings = PlanValidator.warnings(for: plan(entry: "100", stop: "95", targets: ["120", "110"]), context: PlanContext())
        #expect(warnings == [.targetsUnordered])
        #expect(warnings.first?.code == "targets_unordered")
    }

    @Test func shortTargetsOrderedNearestFirstDoNotWarn() {
        let warnings = PlanValidator.warnings(
            for: plan("TSLA", .short, entry: "100", stop: "105", targets: ["90", "80"]), context: PlanContext())
        #expect(warnings == [])
    }

    @Test func warningsComeInAFixedOrder() {
        let context = PlanContext(lastPrice: 120, atr: 10, account: account(equity: "10000", riskPct: "1"))
        let warnings = PlanValidator.warnings(
            for: plan(entry: "100", stop: "95", targets: ["104", "103"], quantity: "100"), context: context)
        #expect(warnings.map(\.code) == [
            "best_target_under_1r", "targets_unordered", "stop_tighter_than_atr", "entry_far_from_last", "risk_above_budget",
        ])
    }

    @Test func anInvalidPlanGetsErrorsButNoWarnings() {
        let evaluation = PlanEvaluator.evaluate(
            plan(entry: "100", stop: "101", targets: ["100.5"]), context: PlanContext(lastPrice: 200, atr: 50))
        #expect(evaluation.valid == false)
        #expect(evaluation.errors.map(\.code) == ["stop_wrong_side"])
        #expect(evaluation.warnings == [])
        #expect(evaluation.suggestedSize == nil)
    }

    @Test func unusableAccountDefaultsBecomeASizingUnavailableWarning() {
        let evaluation = PlanEvaluator.evaluate(
            plan(entry: "100", stop: "95", targets: ["110"]), context: PlanContext(account: account(equity: "0")))
        #expect(evaluation.valid)
        #expect(evaluation.suggestedSize == nil)
        #expect(evaluation.warnings == [PlanningIssue(
            code: "sizing_unavailable", field: nil,
            message: "No size suggested: equity must be greater than 0 to size a position (got 0.00).")])
    }

    @Test func roundLotsAreIgnoredWhenSizingAnOptionPlan() {
        let evaluation = PlanEvaluator.evaluate(
            plan("AAPL250620C00200000", entry: "4.80", stop: "2.40", targets: ["9.60"]),
            context: PlanContext(account: account(equity: "30000", riskPct: "1.5", roundLots: true)))
        #expect(evaluation.warnings == [])
        #expect(evaluation.suggestedSize?.quantity == 1)
    }
}
