import Foundation
import PropertyBased
import Testing
import TradingDomain

/// Decimal generators built from integers, so every value is exact (cents, or 1/10,000ths).
private enum DecimalGen {
    static func cents(_ range: ClosedRange<Int>) -> Generator<Decimal, some SendableSequenceType> {
        Gen.int(in: range).map { Decimal($0) / 100 }
    }

    static func tenThousandths(_ range: ClosedRange<Int>) -> Generator<Decimal, some SendableSequenceType> {
        Gen.int(in: range).map { Decimal($0) / 10_000 }
    }
}

/// Random but well-formed sizing inputs.
private struct SizingCase: Sendable, CustomStringConvertible {
    var side: Side
    var assetClass: AssetClass
    var entry: Decimal
    var stopDistance: Decimal  // > 0; for a long option may exceed the entry (then no stop is given)
    var account: SizingAccount

    var request: SizingRequest {
        let stop: Decimal? = switch (assetClass, side) {
        case (.option, .long) where stopDistance >= entry: nil
        case (_, .long): entry - stopDistance
        case (_, .short): entry + stopDistance
        }
        return SizingRequest(side: side, assetClass: assetClass, entry: entry, stop: stop, account: account)
    }

    var description: String { "\(request)" }
}

/// Built on demand (a computed generator, so no global state).
private var sizingCases: Generator<SizingCase, some SendableSequenceType> {
    zip(
    Gen<Side>.case,
    Gen<AssetClass>.case,
    DecimalGen.tenThousandths(1...50_000_000),   // entry 0.0001 … 5,000
    DecimalGen.tenThousandths(1...5_000_000),    // stop distance 0.0001 … 500
    DecimalGen.cents(100_00...5_000_000_00),     // equity 100 … 5,000,000
    DecimalGen.cents(0...10_000_000_00).optional, // buying power
    zip(DecimalGen.tenThousandths(1...50_000), Gen.bool, DecimalGen.cents(1...100_00).optional, Gen.bool)
).map { side, assetClass, entry, distance, equity, buyingPower, knobs in
    let (riskPct, useAmount, maxPct, roundLots) = knobs
    let budget: RiskBudget = useAmount ? .amount(equity * riskPct / 100) : .percentOfEquity(riskPct)
    // A long equity's stop must stay at or above 0: halve the entry when the distance is too wide.
    // (A long option with a distance ≥ its premium is sized without a stop, see `request`.)
    let stopDistance = (side == .long && assetClass == .equity && distance >= entry) ? entry / 2 : distance
    return SizingCase(
        side: side, assetClass: assetClass, entry: entry, stopDistance: stopDistance,
        account: SizingAccount(
            equity: equity, buyingPower: buyingPower, riskBudget: budget, maxPositionSizePct: maxPct,
            roundLots: roundLots && assetClass == .equity))
    }
}

@Suite("Planning: properties")
struct PlanningPropertyTests: PlanningFixtures {
    @Test func sizedPositionsNeverRiskMoreThanTheBudgetNorCostMoreThanTheCaps() async throws {
        await propertyCheck(count: 500, input: sizingCases) { sizing in
            let request = sizing.request
            let result = try PositionSizer.size(request)
            for alternative in result.alternatives {
                #expect(alternative.quantity >= 0)
                #expect(alternative.quantity.isWhole)
                #expect(alternative.riskAmount == alternative.quantity * request.riskPerUnit)
                #expect(alternative.riskAmount <= alternative.riskBudget)
                if let buyingPower = request.account.buyingPower {
                    #expect(alternative.positionValue <= buyingPower)
                }
                if let maxValue = request.account.maxPositionValue {
                    #expect(alternative.positionValue <= maxValue)
                }
            }
        }
    }

    @Test func sizedQuantityIsTheLargestThatFits() async throws {
        await propertyCheck(count: 300, input: sizingCases) { sizing in
            try Self.checkOneMoreUnitBreaksALimit(sizing.request)
        }
    }

    /// Without round lots, one more unit than the answer breaks the budget or a cap.
    private static func checkOneMoreUnitBreaksALimit(_ original: SizingRequest) throws {
        var request = original
        request.account.roundLots = false
        let result = try PositionSizer.size(request)
        let next = result.quantity + 1
        var broken = next * request.riskPerUnit > result.riskBudget
        if let buyingPower = request.account.buyingPower, next * request.costPerUnit > buyingPower { broken = true }
        if let maxValue = request.account.maxPositionValue, next * request.costPerUnit > maxValue { broken = true }
        #expect(broken)
    }

    @Test func roundingNeverIncreasesRisk() async throws {
        await propertyCheck(count: 300, input: sizingCases) { sizing in
            var oddLots = sizing.request
            oddLots.account.roundLots = false
            let exact = try PositionSizer.size(oddLots)
            // Whole units never exceed the fractional quantity the budget allows.
            #expect(exact.quantity * exact.riskPerUnit <= exact.riskBudget)
            #expect(exact.quantity <= exact.riskBudget / exact.riskPerUnit)
            guard oddLots.assetClass == .equity else { return }
            var roundLots = oddLots
            roundLots.account.roundLots = true
            let lots = try PositionSizer.size(roundLots)
            #expect(lots.riskAmount <= exact.riskAmount)
            #expect(lots.quantity <= exact.quantity)
            #expect((lots.quantity / 100).isWhole)
            #expect(exact.quantity - lots.quantity < 100)
        }
    }

    @Test func alternativesGrowWithTheBudget() async throws {
        await propertyCheck(count: 200, input: sizingCases) { sizing in
            let quantities = try PositionSizer.size(sizing.request).alternatives.map(\.quantity)
            #expect(quantities == quantities.sorted())
        }
    }

    @Test func rMultiplesHaveTheRightSignForLongAndShort() async {
        await propertyCheck(
            count: 500, input: Gen<Side>.case, DecimalGen.cents(1_00...100_000), DecimalGen.cents(1...5_000),
            DecimalGen.cents(-5_000...5_000)
        ) { side, entry, risk, move in
            let stop = side == .long ? entry - risk : entry + risk
            let target = entry + move
            guard stop >= 0, target > 0 else { return }
            let r = TradeMath.rMultiple(entry: entry, stop: stop, target: target, side: side)
            let favourable = side == .long ? move > 0 : move < 0
            if move == 0 {
                #expect(r == 0)
            } else if favourable {
                #expect(r.map { $0 > 0 } == true)
            } else {
                #expect(r.map { $0 < 0 } == true)
            }
            // The rounded value in an evaluation never flips the sign.
            let evaluation = PlanEvaluator.evaluate(TradePlan(
                symbol: Symbol(trusted: "XYZ"), side: side, entry: entry, stop: stop, targets: [target]))
            let rounded = evaluation.targets.first?.rMultiple
            #expect(rounded.map { favourable ? $0 >= 0 : $0 <= 0 } == true)
        }
    }

    @Test func rBandPricesAreExactlyOneTwoAndThreeR() async {
        await propertyCheck(
            count: 300, input: Gen<Side>.case, DecimalGen.tenThousandths(10_000...10_000_000), DecimalGen.tenThousandths(1...50_000)
        ) { side, entry, risk in
            let stop = side == .long ? entry - risk : entry + risk
            guard stop >= 0 else { return }
            let plan = TradePlan(
                symbol: Symbol(trusted: "XYZ"), side: side, entry: entry, stop: stop,
                targets: [side == .long ? entry + 2 * risk : max(entry - 2 * risk, entry / 2)])
            for band in PlanEvaluator.evaluate(plan).rBands {
                #expect(band.price > 0)
                #expect(TradeMath.rMultiple(entry: entry, stop: stop, target: band.price, side: side) == band.r)
            }
        }
    }

    @Test func wrongSideStopsAreAlwaysRejected() async {
        await propertyCheck(
            count: 300, input: Gen<Side>.case, DecimalGen.cents(1_00...100_000), DecimalGen.cents(1...5_000)
        ) { side, entry, distance in
            let stop = side == .long ? entry + distance : entry - distance
            guard stop >= 0 else { return }
            let codes = PlanValidator.rejections(for: TradePlan(
                symbol: Symbol(trusted: "XYZ"), side: side, entry: entry, stop: stop,
                targets: [side == .long ? entry + 1 : entry / 2])).map(\.code)
            #expect(codes == ["stop_wrong_side"])
        }
    }

    @Test func fixedFormattingReadsBackAsTheRoundedValue() async {
        await propertyCheck(count: 300, input: Gen.int(in: -10_000_000...10_000_000), Gen.int(in: 0...4)) { raw, scale in
            let value = Decimal(raw) / 1000
            let text = PlanningFormat.fixed(value, scale: scale)
            #expect(Decimal(string: text) == value.rounded(scale: scale))
            #expect(text.split(separator: ".").last?.count == (scale == 0 ? text.count : scale))
        }
    }
}
