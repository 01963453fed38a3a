import Foundation
import Testing
import TradingDomain


/// One test per plan rule (architecture example 6): each asserts the exact code, field and data.
@Suite("Planning: plan validation")
struct PlanningValidationTests: PlanningFixtures {
    @Test func validLongPlanHasNoRejections() {
        #expect(PlanValidator.rejections(for: plan(entry: "100", stop: "95", targets: ["110", "120"])) == [])
    }

    @Test func validShortPlanHasNoRejections() {
        #expect(PlanValidator.rejections(for: plan("TSLA", .short, entry: "100", stop: "105", targets: ["90"])) == [])
    }

    @Test func entryZeroIsEntryNotPositive() {
        let rejections = PlanValidator.rejections(for: plan(entry: "0", stop: "0", targets: ["10"]))
        #expect(rejections == [.entryNotPositive(0)])
        #expect(rejections.first?.field == "entry")
        #expect(rejections.first?.message == "must be greater than 0 (got 0.00)")
    }

    @Test func negativeEntryIsEntryNotPositive() {
        let rejections = PlanValidator.rejections(for: plan(entry: "-5", stop: "1", targets: ["10"]))
        #expect(codes(rejections) == ["entry_not_positive"])
    }

    @Test func negativeStopIsStopNegative() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "-1", targets: ["12"]))
        #expect(rejections == [.stopNegative(-1)])
        #expect(rejections.first?.field == "stop")
    }

    @Test func stopAtZeroOnLongIsAllowedAndRisksTheWholeEntry() {
        let longCall = plan("AAPL250620C00200000", entry: "4.80", stop: "0", targets: ["9.60"])
        #expect(PlanValidator.rejections(for: longCall) == [])
        #expect(PlanEvaluator.evaluate(longCall).riskPerUnit == d("480"))
    }

    @Test func stopEqualToEntryIsZeroRisk() {
        let rejections = PlanValidator.rejections(for: plan(entry: "50", stop: "50", targets: ["55"]))
        #expect(rejections == [.zeroRisk(entry: 50)])
        #expect(rejections.first?.code == "zero_risk")
        #expect(rejections.first?.field == "stop")
    }

    @Test func longStopAboveEntryIsStopWrongSide() {
        let rejections = PlanValidator.rejections(for: plan(entry: "150", stop: "151", targets: ["160"]))
        #expect(rejections == [.stopWrongSide(side: .long, entry: 150, stop: 151)])
        #expect(rejections.first?.message == "must be below the entry (150.00) for a long (got 151.00)")
    }

    @Test func shortStopBelowEntryIsStopWrongSide() {
        let rejections = PlanValidator.rejections(for: plan("TSLA", .short, entry: "248", stop: "240", targets: ["230"]))
        #expect(rejections == [.stopWrongSide(side: .short, entry: 248, stop: 240)])
        #expect(rejections.first?.message == "must be above the entry (248.00) for a short (got 240.00)")
    }

    @Test func emptyTargetsIsTargetsMissing() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: []))
        #expect(rejections == [.targetsMissing])
        #expect(rejections.first?.field == "targets")
    }

    @Test func elevenTargetsIsTooManyTargets() {
        let targets = (11...21).map { "\($0)" }
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: targets))
        #expect(rejections == [.tooManyTargets(count: 11, limit: 10)])
    }

    @Test func longTargetBelowEntryIsTargetWrongSideNamingItsIndex() {
        let rejections = PlanValidator.rejections(for: plan(entry: "100", stop: "95", targets: ["110", "99"]))
        #expect(rejections == [.targetWrongSide(index: 1, side: .long, entry: 100, target: 99)])
        #expect(rejections.first?.field == "targets[1]")
        #expect(rejections.first?.message == "must be above the entry (100.00) for a long (got 99.00)")
    }

    @Test func targetEqualToEntryIsTargetWrongSide() {
        let rejections = PlanValidator.rejections(for: plan(entry: "100", stop: "95", targets: ["100"]))
        #expect(codes(rejections) == ["target_wrong_side"])
    }

    @Test func shortTargetAboveEntryIsTargetWrongSide() {
        let rejections = PlanValidator.rejections(for: plan("TSLA", .short, entry: "100", stop: "105", targets: ["90", "101"]))
        #expect(rejections == [.targetWrongSide(index: 1, side: .short, entry: 100, target: 101)])
        #expect(rejections.first?.message == "must be below the entry (100.00) for a short (got 101.00)")
    }

    @Test func shortTargetAtZeroIsTargetNotPositive() {
        let rejections = PlanValidator.rejections(for: plan("TSLA", .short, entry: "10", stop: "12", targets: ["5", "0"]))
        #expect(rejections == [.targetNotPositive(index: 1, value: 0)])
        #expect(rejections.first?.field == "targets[1]")
    }

    @Test func quantityZeroIsQuantityNotPositive() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: ["12"], quantity: "0"))
        #expect(rejections == [.quantityNotPositive(0)])
        #expect(rejections.first?.field == "quantity")
    }

    @Test func fractionalQuantityIsQuantityNotWhole() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: ["12"], quantity: "10.5"))
        #expect(rejections == [.quantityNotWhole(d("10.5"), .equity)])
        #expect(rejections.first?.message == "must be a whole number of shares (got 10.5)")
    }

    @Test func quantityAboveLimitIsValueTooLarge() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: ["12"], quantity: "100000001"))
        #expect(rejections == [.valueTooLarge(field: "quantity", value: 100_000_001, limit: 100_000_000)])
    }

    @Test func optionAssetClassWithATickerIsAssetClassMismatch() {
        let rejections = PlanValidator.rejections(
            for: plan("AAPL", entry: "5", stop: "2.5", targets: ["10"], assetClass: .option))
        #expect(rejections == [.assetClassMismatch(symbol: Symbol(trusted: "AAPL"), assetClass: .option)])
        #expect(rejections.first?.field == "asset_class")
        #expect(rejections.first?.message == "is 'option' but AAPL is not an OCC option symbol")
    }

    @Test func equityAssetClassWithAnOptionSymbolIsAssetClassMismatch() {
        let rejections = PlanValidator.rejections(
            for: plan("AAPL250620C00200000", entry: "5", stop: "2.5", targets: ["10"], assetClass: .equity))
        #expect(codes(rejections) == ["asset_class_mismatch"])
    }

    @Test func assetClassDefaultsFromTheSymbol() {
        #expect(plan("AAPL250620C00200000", entry: "5", stop: "2.5", targets: ["10"]).assetClass == .option)
        #expect(plan("AAPL", entry: "5", stop: "2.5", targets: ["10"]).assetClass == .equity)
    }

    @Test func priceWithSevenDecimalsIsTooManyDecimals() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10.1234567", stop: "9", targets: ["12"]))
        #expect(rejections == [.tooManyDecimals(field: "entry", value: d("10.1234567"), maxDecimals: 6)])
    }

    @Test func priceAboveTheLimitIsValueTooLarge() {
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: ["10000001"]))
        #expect(rejections == [.valueTooLarge(field: "targets[0]", value: 10_000_001, limit: 10_000_000)])
        #expect(rejections.first?.message == "must be at most 10000000 in size")
    }

    @Test func thesisLongerThanTheLimitIsTextTooLong() {
        let long = String(repeating: "x", count: 10_001)
        let rejections = PlanValidator.rejections(for: plan(entry: "10", stop: "9", targets: ["12"], thesis: long))
        #expect(rejections == [.textTooLong(field: "thesis", length: 10_001, limit: 10_000)])
    }

    @Test func everyViolationIsReportedAtOnceInInputOrder() {
        let bad = plan("AAPL", entry: "100", stop: "101", targets: ["99", "110", "98"], quantity: "-3")
        #expect(codes(PlanValidator.rejections(for: bad))
            == ["stop_wrong_side", "target_wrong_side", "target_wrong_side", "quantity_not_positive"])
        #expect(PlanValidator.rejections(for: bad).map(\.field) == ["stop", "targets[0]", "targets[2]", "quantity"])
    }

    @Test func validateThrowsEveryRejectionAsFieldErrors() {
        let failure = failure { () throws(ValidationFailure) in
            try PlanValidator.validate(plan(entry: "0", stop: "1", targets: []))
        }
        #expect(failure?.errors == [
            FieldError(field: "entry", message: "must be greater than 0 (got 0.00)"),
            FieldError(field: "targets", message: "must contain at least one target price"),
        ])
    }

    @Test func validateAcceptsAValidPlan() throws {
        try PlanValidator.validate(plan(entry: "10", stop: "9", targets: ["12"], quantity: "100"))
    }
}
