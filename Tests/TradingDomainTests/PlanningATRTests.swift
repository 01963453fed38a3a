import Foundation
import Testing
import TradingDomain


private func bar(_ open: String, _ high: String, _ low: String, _ close: String) -> OHLC {
    func d(_ text: String) -> Decimal { Decimal(string: text)! }
    return OHLC(open: d(open), high: d(high), low: d(low), close: d(close))
}

@Suite("Planning: average true range")
struct PlanningATRTests: PlanningFixtures {
    let bars = [
        bar("10", "11", "9.5", "10.5"),   // first: range 1.5
        bar("10.5", "11.2", "10.1", "11"),  // range 1.1, vs prev close 10.5: 0.7, 0.4 → 1.1
        bar("12", "12.5", "11.8", "12.2"),  // gap up: range 0.7, |12.5 − 11| = 1.5 → 1.5
        bar("11", "11.4", "10.6", "10.8"),  // gap down: range 0.8, |10.6 − 12.2| = 1.6 → 1.6
    ]

    @Test func atrIsTheMeanTrueRangeOfTheLastPeriodBars() {
        #expect(AverageTrueRange.compute(bars, period: 3) == d("1.4"))  // (1.1 + 1.5 + 1.6) / 3
    }

    @Test func firstBarUsesItsOwnRangeWhenThePeriodCoversIt() {
        #expect(AverageTrueRange.compute(bars, period: 4) == d("1.425"))  // (1.5 + 1.1 + 1.5 + 1.6) / 4
    }

    @Test func trueRangeUsesThePreviousCloseAcrossGaps() {
        #expect(AverageTrueRange.trueRange(bars[2], previousClose: 11) == d("1.5"))
        #expect(AverageTrueRange.trueRange(bars[3], previousClose: d("12.2")) == d("1.6"))
        #expect(AverageTrueRange.trueRange(bars[0], previousClose: nil) == d("1.5"))
    }

    @Test func atrRoundsToFourDecimals() {
        let three = [bar("1", "2", "1", "1"), bar("1", "2", "1", "1"), bar("1", "2.0001", "1", "1")]
        #expect(AverageTrueRange.compute(three, period: 3) == d("1"))  // 3.0001 / 3 = 1.00003…
        let more = [bar("1", "2", "1", "1"), bar("1", "2", "1", "1"), bar("1", "2.0002", "1", "1")]
        #expect(AverageTrueRange.compute(more, period: 3) == d("1.0001"))  // 1.00006… → 1.0001
    }

    @Test func tooFewBarsGiveNil() {
        #expect(AverageTrueRange.compute(bars, period: 5) == nil)
        #expect(AverageTrueRange.compute([], period: 14) == nil)
    }

    @Test func periodBelowOneGivesNil() {
        #expect(AverageTrueRange.compute(bars, period: 0) == nil)
    }

    @Test func inconsistentBarsGiveNil() {
        #expect(AverageTrueRange.compute([bar("10", "9", "11", "10")], period: 1) == nil)  // high below low
        #expect(AverageTrueRange.compute([bar("12", "11", "9", "10")], period: 1) == nil)  // open above high
        #expect(AverageTrueRange.compute([bar("-1", "1", "-2", "0")], period: 1) == nil)  // negative price
    }

    @Test func defaultPeriodIsFourteen() {
        let flat = Array(repeating: bar("10", "10.5", "9.5", "10"), count: 14)
        #expect(AverageTrueRange.compute(flat) == 1)
        #expect(AverageTrueRange.compute(Array(flat.prefix(13))) == nil)
    }
}
