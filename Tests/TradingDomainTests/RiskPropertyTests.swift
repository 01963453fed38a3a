import Foundation
import PropertyBased
import Testing
import TradingDomain

/// One random position: whole quantities and prices in cents, so every money figure is exact to
/// the cent and rounding at the end changes nothing.
private struct RiskCase: Sendable, CustomStringConvertible {
    var side: Side
    var option: Bool
    var quantity: Int        // > 0; the sign comes from `side`
    var averageCents: Int    // > 0
    var priceCents: Int      // > 0
    /// Stop distance in cents on the protective side (≤ the price); nil: no stop.
    var stopCents: Int?

    var signedQuantity: Decimal { Decimal(quantity * side.sign) }
    var price: Decimal { Decimal(priceCents) / 100 }
    var stop: Decimal? { stopCents.map { price - Decimal(side.sign) * Decimal($0) / 100 } }

    func position(_ index: Int) -> BrokerPosition {
        let root = "XYZ" + String(Array("ABCDEFGHIJ")[index % 10])
        let symbol = Symbol(trusted: option ? "\(root)261218C00050000" : root)
        return BrokerPosition(symbol: symbol, quantity: signedQuantity, averagePrice: Decimal(averageCents) / 100)
    }

    var description: String {
        "\(side) \(quantity) \(option ? "contracts" : "shares") avg \(averageCents)c at \(priceCents)c stop \(stopCents.map(String.init) ?? "none")"
    }
}

private enum RiskGen {
    static var position: Generator<RiskCase, some SendableSequenceType> {
        zip(Gen<Side>.case, Gen.bool, Gen.int(in: 1...5_000), Gen.int(in: 1...200_000), Gen.int(in: 1...200_000),
            Gen.int(in: 0...1_000).optional()
        ).map { side, option, quantity, average, price, stopPermille in
            RiskCase(
                side: side, option: option, quantity: quantity, averageCents: average, priceCents: price,
                stopCents: stopPermille.map { price * $0 / 1_000 })
        }
    }

    /// A book of positions in distinct symbols.
    static var book: Generator<[RiskCase], some SendableSequenceType> { position.array(of: 0...8) }

    /// Day P&L paths in cents around a 1,000 daily loss limit.
    static var pnlPath: Generator<[Int], some SendableSequenceType> { Gen.int(in: -150_000...30_000).array(of: 1...40) }
}

/// Snapshot of a book, with each stop given as a plan stop.
private func snapshot(_ cases: [RiskCase], equity: Decimal = 1_000_000) -> RiskSnapshot {
    let positions = cases.enumerated().map { $0.element.position($0.offset) }
    var prices: [Symbol: Decimal] = [:], stops: [Symbol: Decimal] = [:]
    for (item, position) in zip(cases, positions) {
        prices[position.symbol] = item.price
        stops[position.symbol] = item.stop
    }
    return RiskSnapshot(RiskInputs(
        account: RiskFixtures.account(equity: "\(equity)"), positions: positions, stops: stops, prices: prices,
        now: RiskFixtures.thursday))
}

/// Unrealised P&L of one position at `priceCents`.
private func pnl(_ item: RiskCase, quantity: Decimal? = nil, priceCents: Int) -> Decimal {
    var changed = item
    changed.priceCents = priceCents
    var position = changed.position(0)
    if let quantity { position.quantity = quantity }
    let inputs = RiskInputs(
        account: RiskFixtures.account(), positions: [position], prices: [position.symbol: changed.price],
        now: RiskFixtures.thursday)
    return RiskSnapshot(inputs).dayUnrealizedPnL
}

@Suite("Risk: properties")
struct RiskPropertyTests {
    typealias F = RiskFixtures
    let settings = RiskSettings(maxDailyLoss: 1_000, maxOpenRiskPct: 6, maxPositionSizePct: 25)

    @Test func exposureSignsAndTotals() async {
        await propertyCheck(count: 300, input: RiskGen.book) { book in
            let result = snapshot(book)
            for row in result.positions {
                if row.side == .long { #expect(row.exposure >= 0) } else { #expect(row.exposure <= 0) }
                #expect(row.marketValue == abs(row.exposure))
            }
            let sumAbs = result.positions.reduce(Decimal(0)) { $0 + abs($1.exposure) }
            #expect(result.grossExposure == sumAbs)
            #expect(result.grossExposure >= abs(result.netExposure))
            #expect(result.netExposure == result.longExposure + result.shortExposure)
            #expect(result.grossExposure == result.longExposure - result.shortExposure)
            #expect(result.longExposure >= 0 && result.shortExposure <= 0)
        }
    }

    @Test func openRiskIsBetweenZeroAndGrossWhenStopsAreProtective() async {
        await propertyCheck(count: 300, input: RiskGen.book) { book in
            let result = snapshot(book)
            #expect(result.openRisk >= 0)
            #expect(result.openRisk <= result.grossExposure)
            #expect(result.openRisk == result.positions.reduce(Decimal(0)) { $0 + $1.risk })
            for row in result.positions {
                #expect(row.risk >= 0 && row.risk <= row.marketValue)
                #expect(row.unprotected == (row.stop == nil))
                if row.unprotected { #expect(row.risk == row.marketValue) }
            }
        }
    }

    @Test func aStopOnTheWrongSideNeverMakesRiskNegative() async {
        await propertyCheck(count: 300, input: RiskGen.position, Gen.int(in: 0...200_000)) { item, stopCents in
            let position = item.position(0)
            let result = RiskSnapshot(RiskInputs(
                account: F.account(), positions: [position], stops: [position.symbol: Decimal(stopCents) / 100],
                prices: [position.symbol: item.price], now: F.thursday))
            #expect(result.openRisk >= 0)
        }
    }

    @Test func aFavourableMoveNeverLowersUnrealisedPnL() async {
        await propertyCheck(count: 400, input: RiskGen.position, Gen.int(in: 0...100_000)) { item, move in
            let better = item.priceCents + item.side.sign * move
            guard better > 0 else { return }
            #expect(pnl(item, priceCents: better) >= pnl(item, priceCents: item.priceCents))
        }
    }

    @Test func pnlHasTheSignOfThePriceMoveTimesTheSide() async {
        await propertyCheck(count: 400, input: RiskGen.position) { item in
            let value = pnl(item, priceCents: item.priceCents)
            let move = (item.priceCents - item.averageCents) * item.side.sign
            if move > 0 { #expect(value > 0) } else if move < 0 { #expect(value < 0) } else { #expect(value == 0) }
        }
    }

    @Test func flippingQuantityAndMoveGivesTheSamePnL() async {
        await propertyCheck(count: 400, input: RiskGen.position, Gen.int(in: -100_000...100_000)) { item, move in
            guard item.averageCents + move > 0, item.averageCents - move > 0 else { return }
            let quantity = Decimal(item.quantity)
            let long = pnl(item, quantity: quantity, priceCents: item.averageCents + move)
            let short = pnl(item, quantity: -quantity, priceCents: item.averageCents - move)
            #expect(long == short)
        }
    }

    @Test func oneEpisodePerContinuousDailyLossBreachAndHaltedForTheDay() async {
        await propertyCheck(count: 300, input: RiskGen.pnlPath) { path in
            var state = RiskState(now: F.thursday, dayStartEquity: 100_000)
            var inEpisode = false, expectedEpisodes = 0, everBreached = false
            for (step, cents) in path.enumerated() {
                let value = Decimal(cents) / 100
                let now = F.thursday.addingTimeInterval(TimeInterval(step))
                let transition = state.evaluate(F.pnl("\(value)", now: now), settings: settings, now: now)
                // Reference model of the hysteresis: start at ≤ −1,000, end above −900.
                let starts = !inEpisode && value <= -1_000
                let ends = inEpisode && value > -900
                if starts { inEpisode = true; expectedEpisodes += 1; everBreached = true }
                if ends { inEpisode = false }
                #expect(transition.newEpisodes.count == (starts ? 1 : 0), "step \(step) at \(value)")
                #expect(transition.endedEpisodes.count == (ends ? 1 : 0), "step \(step) at \(value)")
                #expect((state.openEpisodes["daily_loss"] != nil) == inEpisode)
                #expect(state.mode == (everBreached ? .halted : .active), "step \(step) at \(value)")
            }
            #expect(state.episodeCounter == expectedEpisodes)

            let nextDay = state.evaluate(F.pnl("0", now: F.fridayEarly), settings: settings, now: F.fridayEarly)
            #expect(nextDay.dayRolled)
            #expect(state.mode == .active)
            #expect(state.openEpisodes.isEmpty)
            #expect(state.dayStartEquity == 100_000)
            #expect(nextDay.endedEpisodes.count == (inEpisode ? 1 : 0))
        }
    }

    @Test func openRiskEpisodesFollowTheHysteresisAndSetReducing() async {
        // Risk in basis points of 100,000 equity: AAPL 100 shares at 100 with the stop `bp` ÷ 10 below.
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000).array(of: 1...40)) { path in
            var state = RiskState(now: F.thursday, dayStartEquity: 100_000)
            var inEpisode = false, expectedEpisodes = 0
            for (step, bp) in path.enumerated() {
                let stop = 100 - Decimal(bp) / 10
                let now = F.thursday.addingTimeInterval(TimeInterval(step))
                let result = RiskSnapshot(RiskInputs(
                    account: F.account(), positions: [F.position(F.aapl, "100", avg: "100")],
                    stops: [F.aapl: stop], prices: [F.aapl: 100], dayStartEquity: 100_000, now: now))
                let transition = state.evaluate(result, settings: settings, now: now)
                let pct = Decimal(bp) / 100
                let starts = !inEpisode && pct > 6
                let ends = inEpisode && pct < Decimal(string: "5.4")!
                if starts { inEpisode = true; expectedEpisodes += 1 }
                if ends { inEpisode = false }
                #expect(transition.newEpisodes.count == (starts ? 1 : 0), "step \(step) at \(pct)%")
                #expect(state.mode == (inEpisode ? .reducing : .active), "step \(step) at \(pct)%")
            }
            #expect(state.episodeCounter == expectedEpisodes)
        }
    }
}
