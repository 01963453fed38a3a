import Foundation
import Testing
import TradingDomain


/// One test per sizing rule and per degenerate input (architecture example 6).
@Suite("Planning: position sizer")
struct PlanningSizerTests: PlanningFixtures {
    // MARK: quantities

    @Test func percentBudgetFloorsWholeShares() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(equity: "50000", riskPct: "1")))
        #expect(result.quantity == 166)
        #expect(result.riskBudget == 500)
        #expect(result.riskPerUnit == 3)
        #expect(result.costPerUnit == 150)
        #expect(result.riskAmount == 498)
        #expect(result.positionValue == 24_900)
        #expect(result.pctOfEquity == d("49.8"))
        #expect(result.riskPctOfEquity == 1)  // 0.996 → 1.00
        #expect(result.cappedBy == .riskBudget)
        #expect(result.warnings == [])
    }

    @Test func amountBudgetThatDividesExactlyUsesAllOfIt() throws {
        let result = try PositionSizer.size(request(entry: "40", stop: "38.5", account: account(riskAmount: "300")))
        #expect(result.quantity == 200)
        #expect(result.riskAmount == 300)
        #expect(result.positionValue == 8000)
        #expect(result.pctOfEquity == 16)
        #expect(result.riskPctOfEquity == d("0.6"))
    }

    @Test func buyingPowerCapsTheQuantity() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(buyingPower: "10000")))
        #expect(result.quantity == 66)
        #expect(result.positionValue == 9900)
        #expect(result.riskAmount == 198)
        #expect(result.cappedBy == .buyingPower)
    }

    @Test func maxPositionSizeCapsTheQuantity() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(maxPositionSizePct: "10")))
        #expect(result.quantity == 33)
        #expect(result.positionValue == 4950)
        #expect(result.pctOfEquity == d("9.9"))
        #expect(result.cappedBy == .maxPositionSize)
    }

    @Test func roundLotsRoundDownToHundreds() throws {
        let result = try PositionSizer.size(request(entry: "20", stop: "18", account: account(roundLots: true)))
        #expect(result.quantity == 200)  // 250 by risk
        #expect(result.riskAmount == 400)
        #expect(result.cappedBy == .roundLot)
    }

    @Test func roundLotsThatFitExactlyStillNameTheRiskBudget() throws {
        let result = try PositionSizer.size(request(entry: "20", stop: "17.5", account: account(roundLots: true)))
        #expect(result.quantity == 200)
        #expect(result.cappedBy == .riskBudget)
    }

    @Test func roundLotsBelowOneLotGiveZeroAndSaySo() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "140", account: account(roundLots: true)))
        #expect(result.quantity == 0)
        #expect(result.cappedBy == .roundLot)
        #expect(result.warnings == [PlanningIssue(
            code: "quantity_zero", field: "round_lots",
            message: "Quantity is 0: the limits allow 50 shares, less than one round lot of 100. "
                + "Turn off round lots to buy odd lots.")])
    }

    @Test func aTieBetweenRiskAndBuyingPowerNamesTheRiskBudget() throws {
        let result = try PositionSizer.size(request(entry: "100", stop: "95", account: account(buyingPower: "10000")))
        #expect(result.quantity == 100)
        #expect(result.cappedBy == .riskBudget)
    }

    @Test func shortEquityIsSizedLikeALong() throws {
        let result = try PositionSizer.size(request(.short, entry: "248", stop: "254.2",
                                                    account: account(equity: "80000", riskAmount: "1200")))
        #expect(result.quantity == 193)
        #expect(result.riskAmount == d("1196.6"))
        #expect(result.positionValue == 47_864)
        #expect(result.pctOfEquity == d("59.83"))
    }

    @Test func optionRiskPerContractComesFromPremiumAndStopPremium() throws {
        let result = try PositionSizer.size(request(.long, .option, entry: "4.80", stop: "2.40",
                                                    account: account(equity: "30000", riskPct: "1.5")))
        #expect(result.riskPerUnit == 240)
        #expect(result.costPerUnit == 480)
        #expect(result.quantity == 1)
        #expect(result.riskAmount == 240)
        #expect(result.positionValue == 480)
        #expect(result.assetClass == .option)
    }

    @Test func optionWithoutStopPremiumRisksTheWholePremium() throws {
        let result = try PositionSizer.size(request(.long, .option, entry: "1.35", stop: nil,
                                                    account: account(equity: "20000", riskAmount: "300")))
        #expect(result.riskPerUnit == 135)
        #expect(result.quantity == 2)
        #expect(result.riskAmount == 270)
        #expect(result.positionValue == 270)
    }

    @Test func optionStopPremiumOfZeroIsTheSameAsNone() throws {
        let withZero = try PositionSizer.size(request(.long, .option, entry: "1.35", stop: "0",
                                                      account: account(equity: "20000", riskAmount: "300")))
        #expect(withZero.riskPerUnit == 135)
        #expect(withZero.quantity == 2)
    }

    @Test func shortOptionWithStopPremiumIsSized() throws {
        let result = try PositionSizer.size(request(.short, .option, entry: "2.00", stop: "3.00",
                                                    account: account(equity: "20000", riskAmount: "350")))
        #expect(result.riskPerUnit == 100)
        #expect(result.quantity == 3)
    }

    // MARK: quantity 0 is an answer, not an error

    @Test func zeroQuantityWhenOneShareRisksMoreThanTheBudget() throws {
        let result = try PositionSizer.size(request(entry: "1250", stop: "1180", account: account(equity: "10000", riskPct: "0.5")))
        #expect(result.quantity == 0)
        #expect(result.riskAmount == 0)
        #expect(result.positionValue == 0)
        #expect(result.cappedBy == .riskBudget)
        #expect(result.warnings == [PlanningIssue(
            code: "quantity_zero", field: nil,
            message: "Quantity is 0: one share risks 70.00, more than the risk budget of 50.00. "
                + "Raise the budget, move the stop closer or skip the trade.")])
    }

    @Test func zeroQuantityWhenBuyingPowerIsBelowOneShare() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(buyingPower: "100")))
        #expect(result.quantity == 0)
        #expect(result.cappedBy == .buyingPower)
        #expect(result.warnings.map(\.message)
            == ["Quantity is 0: one share costs 150.00, more than the buying power of 100.00."])
        #expect(result.warnings.first?.field == "buying_power")
    }

    @Test func zeroBuyingPowerIsAllowedAndGivesZero() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(buyingPower: "0")))
        #expect(result.quantity == 0)
        #expect(result.cappedBy == .buyingPower)
    }

    @Test func zeroQuantityWhenMaxPositionIsBelowOneShare() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147",
                                                    account: account(equity: "10000", maxPositionSizePct: "1")))
        #expect(result.quantity == 0)
        #expect(result.warnings.map(\.message)
            == ["Quantity is 0: one share costs 150.00, more than the maximum position size of 100.00."])
    }

    @Test func zeroContractsWhenOneContractRisksMoreThanTheBudget() throws {
        let result = try PositionSizer.size(request(.long, .option, entry: "4.80", stop: "2.40",
                                                    account: account(equity: "10000", riskPct: "1")))
        #expect(result.quantity == 0)
        #expect(result.warnings.map(\.message) == ["Quantity is 0: one contract risks 240.00, more than the risk budget "
            + "of 100.00. Raise the budget, move the stop closer or skip the trade."])
    }

    // MARK: alternatives

    @Test func alternativesUseHalfOneAndOneAndAHalfBudgets() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147", account: account(equity: "50000", riskPct: "1")))
        #expect(result.alternatives.map(\.profile) == [.conservative, .standard, .aggressive])
        #expect(result.alternatives.map(\.budgetMultiplier) == [d("0.5"), 1, d("1.5")])
        #expect(result.alternatives.map(\.riskBudget) == [250, 500, 750])
        #expect(result.alternatives.map(\.quantity) == [83, 166, 250])
        #expect(result.alternatives.map(\.riskAmount) == [249, 498, 750])
        #expect(result.alternative(.standard)?.quantity == result.quantity)
    }

    @Test func eachAlternativeIsCappedByTheSameRules() throws {
        let result = try PositionSizer.size(request(entry: "150", stop: "147",
                                                    account: account(equity: "50000", buyingPower: "30000")))
        #expect(result.alternatives.map(\.quantity) == [83, 166, 200])
        #expect(result.alternatives.map(\.cappedBy) == [.riskBudget, .riskBudget, .buyingPower])
    }

    // MARK: degenerate input is rejected with the field and the reason

    @Test func stopEqualToEntryIsRejectedAsZeroRisk() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "50")) == [.zeroRisk(entry: 50)])
    }

    @Test func longStopAboveEntryIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "51"))
            == [.stopWrongSide(side: .long, entry: 50, stop: 51)])
    }

    @Test func shortStopBelowEntryIsRejected() {
        #expect(PositionSizer.rejections(for: request(.short, entry: "50", stop: "49"))
            == [.stopWrongSide(side: .short, entry: 50, stop: 49)])
    }

    @Test func equityStopIsRequired() {
        let rejections = PositionSizer.rejections(for: request(entry: "50", stop: nil))
        #expect(rejections == [.stopRequired(.equity)])
        #expect(rejections.first?.message == "is required to size an equity position")
    }

    @Test func shortOptionStopIsRequired() {
        let rejections = PositionSizer.rejections(for: request(.short, .option, entry: "2", stop: nil))
        #expect(rejections == [.stopRequired(.option)])
        #expect(rejections.first?.message == "is required for a short option (without a stop premium the risk is unlimited)")
    }

    @Test func zeroEntryIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "0", stop: "0")) == [.entryNotPositive(0)])
    }

    @Test func zeroEquityIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(equity: "0")))
            == [.equityNotPositive(0)])
    }

    @Test func negativeEquityIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(equity: "-100")))
            == [.equityNotPositive(-100)])
    }

    @Test func zeroRiskPercentIsRejected() {
        let rejections = PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(riskPct: "0")))
        #expect(rejections == [.riskBudgetNotPositive(field: "risk_pct", value: 0)])
        #expect(rejections.first?.field == "risk_pct")
    }

    @Test func negativeRiskPercentIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(riskPct: "-1")))
            == [.riskBudgetNotPositive(field: "risk_pct", value: -1)])
    }

    @Test func zeroRiskAmountIsRejected() {
        let rejections = PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(riskAmount: "0")))
        #expect(rejections == [.riskBudgetNotPositive(field: "risk_amount", value: 0)])
    }

    @Test func riskPercentAboveHundredIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(riskPct: "101")))
            == [.riskPctTooLarge(101)])
    }

    @Test func riskAmountAboveEquityIsRejected() {
        let rejections = PositionSizer.rejections(
            for: request(entry: "50", stop: "48", account: account(equity: "1000", riskAmount: "1500")))
        #expect(rejections == [.riskAmountExceedsEquity(amount: 1500, equity: 1000)])
        #expect(rejections.first?.message == "(1500.00) must not exceed equity (1000.00)")
    }

    @Test func negativeBuyingPowerIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(buyingPower: "-1")))
            == [.buyingPowerNegative(-1)])
    }

    @Test func maxPositionSizeOfZeroIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(maxPositionSizePct: "0")))
            == [.maxPositionSizePctOutOfRange(0)])
    }

    @Test func maxPositionSizeAboveHundredIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(maxPositionSizePct: "150")))
            == [.maxPositionSizePctOutOfRange(150)])
    }

    @Test func roundLotsForOptionsAreRejected() {
        #expect(PositionSizer.rejections(for: request(.long, .option, entry: "2", stop: "1", account: account(roundLots: true)))
            == [.roundLotsNotForOptions])
    }

    @Test func equityAboveTheLimitIsRejected() {
        #expect(PositionSizer.rejections(for: request(entry: "50", stop: "48", account: account(equity: "1000000000001")))
            == [.valueTooLarge(field: "equity", value: d("1000000000001"), limit: 1_000_000_000_000)])
    }

    @Test func sizeThrowsAValidationFailureNamingEveryField() {
        let failure = failure { () throws(ValidationFailure) in
            try PositionSizer.size(request(entry: "50", stop: "50", account: account(equity: "0", riskPct: "0")))
        }
        #expect(failure?.errors == [
            FieldError(field: "equity", message: "must be greater than 0 to size a position (got 0.00)"),
            FieldError(field: "risk_pct", message: "must be greater than 0 (got 0)"),
            FieldError(field: "stop", message: "equals the entry (50.00), so the risk per share is 0 and no size or R multiple exists"),
        ])
    }

    // MARK: the floor helper

    @Test func unitsWithinNeverExceedsTheLimitEvenWhenDivisionRounds() {
        let third = Decimal(1) / 3  // 0.333… to 38 digits: 3 × third < 1
        #expect(PositionSizer.units(within: 1, per: third) == 3)
        #expect(PositionSizer.units(within: 10, per: 3) == 3)
        #expect(PositionSizer.units(within: 9, per: 3) == 3)
        #expect(PositionSizer.units(within: 0, per: 3) == 0)
        #expect(PositionSizer.units(within: 5, per: 0) == 0)
    }
}
