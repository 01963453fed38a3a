import Foundation
import Testing
import TradingDomain

@Suite("Print rules (clean prints)")
struct PrintRuleTests {
    let aapl = Symbol(trusted: "AAPL")
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("combining conditions: a field is updated only when every condition allows it")
    func combining() {
        let oddLot = PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true)
        let outOfSequence = PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: true)
        let correctedClose = PrintRule(updatesLast: true, updatesHighLow: true, updatesVolume: false)
        #expect(PrintRule.regular.combined(with: .regular) == .regular)
        #expect(PrintRule.regular.combined(with: oddLot) == oddLot)
        #expect(outOfSequence.combined(with: correctedClose) == PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: false))
        #expect(oddLot.combined(with: .none) == .none)
        // Order does not matter.
        for a in [PrintRule.regular, .none, oddLot, outOfSequence, correctedClose] {
            for b in [PrintRule.regular, .none, oddLot, outOfSequence, correctedClose] {
                #expect(a.combined(with: b) == b.combined(with: a))
            }
        }
    }

    @Test("Quote.apply honours each part of the rule separately")
    func quoteApply() {
        var quote = Quote(symbol: aapl, asOf: start, receivedAt: start, source: "test")
        quote.apply(.trade(Trade(symbol: aapl, price: 100, size: 100, time: start)), receivedAt: start, source: "test")
        let later = start.addingTimeInterval(1)
        quote.apply(.trade(Trade(symbol: aapl, price: 90, size: 10, time: later,
                                 rule: PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: false))),
                    receivedAt: later, source: "test")
        #expect(quote.last == 100)
        #expect(quote.dayLow == 90)
        #expect(quote.volume == 100)
        quote.apply(.trade(Trade(symbol: aapl, price: 101, size: 50, time: later,
                                 rule: PrintRule(updatesLast: true, updatesHighLow: false, updatesVolume: true))),
                    receivedAt: later, source: "test")
        #expect(quote.last == 101)
        #expect(quote.dayHigh == 100, "the range is not widened by a print that may not")
        #expect(quote.volume == 150)
        #expect(quote.asOf == later)
    }
}
