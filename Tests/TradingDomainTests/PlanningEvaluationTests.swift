import Foundation
import Testing
import TradingDomain


@Suite("Planning: plan numbers and summary")
struct PlanningEvaluationTests: PlanningFixtures {
    @Test func longPlanNumbers() {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "150", stop: "147", targets: ["156", "160.5"]))
        #expect(evaluation.valid)
        #expect(evaluation.riskPerShare == 3)
        #expect(evaluation.riskPerUnit == 3)
        #expect(evaluation.stopDistancePct == 2)
        #expect(evaluation.totalRisk == nil)
        #expect(evaluation.targets == [
            TargetEvaluation(price: 156, rewardPerShare: 6, rMultiple: 2),
            TargetEvaluation(price: d("160.5"), rewardPerShare: d("10.5"), rMultiple: d("3.5")),
        ])
        #expect(evaluation.rBands == [RBand(r: 1, price: 153), RBand(r: 2, price: 156), RBand(r: 3, price: 159)])
    }

    @Test func shortPlanNumbersMirrorTheLong() {
        let evaluation = PlanEvaluator.evaluate(plan("TSLA", .short, entry: "250", stop: "256", targets: ["238", "230"]))
        #expect(evaluation.riskPerShare == 6)
        #expect(evaluation.targets == [
            TargetEvaluation(price: 238, rewardPerShare: 12, rMultiple: 2),
            TargetEvaluation(price: 230, rewardPerShare: 20, rMultiple: d("3.33")),
        ])
        #expect(evaluation.rBands == [RBand(r: 1, price: 244), RBand(r: 2, price: 238), RBand(r: 3, price: 232)])
    }

    @Test func shortRBandsAtOrBelowZeroAreLeftOut() {
        let evaluation = PlanEvaluator.evaluate(plan("XYZ", .short, entry: "10", stop: "14", targets: ["5"]))
        #expect(evaluation.rBands == [RBand(r: 1, price: 6), RBand(r: 2, price: 2)])
    }

    @Test func rMultipleRoundsHalfAwayFromZeroToTwoDecimals() {
        // 2.01 / 2 = 1.005 → 1.01
        let evaluation = PlanEvaluator.evaluate(plan(entry: "100", stop: "98", targets: ["102.01"]))
        #expect(evaluation.targets.first?.rMultiple == d("1.01"))
    }

    @Test func optionNumbersUseTheMultiplierForMoneyOnly() {
        let evaluation = PlanEvaluator.evaluate(
            plan("AAPL250620C00200000", entry: "4.80", stop: "2.40", targets: ["9.60"], quantity: "3"),
            context: PlanContext(account: account(equity: "30000", riskPct: "1.5")))
        #expect(evaluation.riskPerShare == d("2.4"))
        #expect(evaluation.riskPerUnit == 240)
        #expect(evaluation.totalRisk == 720)
        #expect(evaluation.riskPctOfEquity == d("2.4"))
        #expect(evaluation.targets == [TargetEvaluation(price: d("9.6"), rewardPerShare: d("4.8"), rMultiple: 2)])
    }

    @Test func invalidStopLeavesRiskNumbersOutButKeepsRewards() {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "100", stop: "100", targets: ["110"]))
        #expect(evaluation.valid == false)
        #expect(evaluation.riskPerShare == nil)
        #expect(evaluation.stopDistancePct == nil)
        #expect(evaluation.targets == [TargetEvaluation(price: 110, rewardPerShare: 10, rMultiple: nil)])
        #expect(evaluation.rBands == [])
    }

    @Test func aWrongSideTargetGetsANegativeRMultiple() {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "100", stop: "95", targets: ["110", "90"]))
        #expect(evaluation.valid == false)
        #expect(evaluation.targets.map(\.rMultiple) == [2, -2])
    }

    @Test func suggestedSizeComesFromTheSizer() throws {
        let context = PlanContext(account: account(equity: "50000", riskPct: "1"))
        let thePlan = plan(entry: "150", stop: "147", targets: ["156"])
        let evaluation = PlanEvaluator.evaluate(thePlan, context: context)
        let sized = try PositionSizer.size(SizingRequest(plan: thePlan, account: try #require(context.account)))
        #expect(evaluation.suggestedSize == sized)
        #expect(sized.quantity == 166)
    }

    // MARK: summary

    @Test func summaryOfALongWithQuantityAndEquity() {
        let evaluation = PlanEvaluator.evaluate(
            plan(entry: "150", stop: "147", targets: ["156", "160.5"], quantity: "100"),
            context: PlanContext(account: account(equity: "25000")))
        #expect(evaluation.summary == "Long 100 shares of AAPL at 150.00 with a stop at 147.00, 3.00 (2.00%) below the entry: "
            + "300.00 at risk. Targets: 156.00 (2.00R), 160.50 (3.50R). The risk is 1.20% of equity (25000.00).")
    }

    @Test func summaryOfALongWithoutQuantityGivesRiskPerShare() {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "150", stop: "147", targets: ["156"]))
        #expect(evaluation.summary == "Long AAPL at 150.00 with a stop at 147.00, 3.00 (2.00%) below the entry: "
            + "3.00 at risk per share. Target: 156.00 (2.00R).")
    }

    @Test func summaryOfAShortSaysAbove() {
        let evaluation = PlanEvaluator.evaluate(
            plan("TSLA", .short, entry: "250", stop: "256", targets: ["238"], quantity: "1"))
        #expect(evaluation.summary == "Short 1 share of TSLA at 250.00 with a stop at 256.00, 6.00 (2.40%) above the entry: "
            + "6.00 at risk. Target: 238.00 (2.00R).")
    }

    @Test func summaryOfAnOptionWithQuantityGivesPerContractRisk() {
        let evaluation = PlanEvaluator.evaluate(
            plan("AAPL250620C00200000", entry: "4.80", stop: "2.40", targets: ["9.60", "12"], quantity: "1"))
        #expect(evaluation.summary == "Long 1 contract of AAPL250620C00200000 at 4.80 with a stop at 2.40, "
            + "2.40 (50.00%) below the entry: 240.00 at risk (240.00 per contract). Targets: 9.60 (2.00R), 12.00 (3.00R).")
    }

    @Test func summaryOfAnOptionWithoutQuantity() {
        let evaluation = PlanEvaluator.evaluate(plan("SPY250321P00550000", entry: "1.35", stop: "0.65", targets: ["2.75"]))
        #expect(evaluation.summary == "Long SPY250321P00550000 at 1.35 with a stop at 0.65, 0.70 (51.85%) below the entry: "
            + "70.00 at risk per contract. Target: 2.75 (2.00R).")
    }

    @Test func summaryKeepsSubPennyPrecision() {
        let evaluation = PlanEvaluator.evaluate(plan("SNDL", entry: "0.8125", stop: "0.75", targets: ["0.9375"]))
        #expect(evaluation.summary == "Long SNDL at 0.8125 with a stop at 0.75, 0.0625 (7.69%) below the entry: "
            + "0.0625 at risk per share. Target: 0.9375 (2.00R).")
    }

    @Test func summaryAddsTimeframeAndThesis() {
        let evaluation = PlanEvaluator.evaluate(
            plan(entry: "150", stop: "147", targets: ["156"], thesis: "  Breakout over 150 on volume ", timeframe: "swing"))
        #expect(evaluation.summary.hasSuffix("Target: 156.00 (2.00R). Timeframe: swing. Thesis: Breakout over 150 on volume."))
    }

    @Test func summaryOfAnInvalidPlanListsTheErrors() {
        let evaluation = PlanEvaluator.evaluate(plan(entry: "150", stop: "151", targets: ["149"]))
        #expect(evaluation.summary == "The plan for AAPL is not valid: stop must be below the entry (150.00) for a long "
            + "(got 151.00); targets[0] must be above the entry (150.00) for a long (got 149.00).")
    }

    @Test func summaryIsDeterministic() {
        let thePlan = plan("TSLA", .short, entry: "248", stop: "254.2", targets: ["236", "229.4"], quantity: "100")
        let context = PlanContext(lastPrice: 262, atr: d("7.5"), account: account(equity: "80000"))
        #expect(PlanEvaluator.evaluate(thePlan, context: context) == PlanEvaluator.evaluate(thePlan, context: context))
    }

    // MARK: formatting

    @Test func formatPadsAndRoundsHalfAwayFromZero() {
        #expect(PlanningFormat.price(150) == "150.00")
        #expect(PlanningFormat.price(d("0.0525")) == "0.0525")
        #expect(PlanningFormat.money(d("1234.565")) == "1234.57")
        #expect(PlanningFormat.money(d("-2.005")) == "-2.01")
        #expect(PlanningFormat.percent(d("0.995")) == "1.00%")
        #expect(PlanningFormat.rMultiple(d("-0.004")) == "0.00R")
        #expect(PlanningFormat.quantity(1, .option) == "1 contract")
        #expect(PlanningFormat.quantity(300, .equity) == "300 shares")
    }
}
