import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Symbol profiles")
struct SymbolProfileTests {
    @Test("known tickers start near their familiar levels", arguments: [
        ("SPY", "590"), ("QQQ", "510"), ("AAPL", "230"), ("MSFT", "420"), ("NVDA", "140"), ("AMZN", "200"),
        ("TSLA", "250"), ("META", "600"), ("GOOGL", "170"), ("AMD", "130"), ("F", "10.5"),
    ])
    func knownPrices(symbol: String, price: String) {
        let profile = SymbolProfile.of(Symbol(trusted: symbol))
        #expect(profile.referencePrice == Decimal(string: price)!)
        #expect(profile.lotSize == 100)
        #expect((0.005...0.05).contains(profile.dailyVolatility))
    }

    @Test("BRK/B and BRK-B are BRK.B")
    func shareClassSpellings() {
        let dot = SymbolProfile.of(Symbol(trusted: "BRK.B"))
        #expect(dot.referencePrice == 470)
        #expect(SymbolProfile.of(Symbol(trusted: "BRK/B")).referenceTicks == dot.referenceTicks)
        #expect(SymbolProfile.of(Symbol(trusted: "BRK-B")).referenceTicks == dot.referenceTicks)
    }

    @Test("unknown tickers get a deterministic profile in the documented ranges")
    func unknownTickers() throws {
        var prices = Set<Int64>()
        for index in 0..<500 {
            let symbol = Symbol(trusted: "Z\(index)X")
            let profile = SymbolProfile.of(symbol)
            #expect(profile == SymbolProfile.of(symbol))
            #expect((1_000...50_000).contains(profile.referenceTicks), "\(symbol) at \(profile.referencePrice)")
            #expect((0.01...0.04).contains(profile.dailyVolatility))
            #expect((1...3).contains(profile.typicalSpreadTicks))
            #expect(profile.averageDailyVolume >= 300_000 && profile.averageDailyVolume % 100 == 0)
            prices.insert(profile.referenceTicks)
        }
        #expect(prices.count > 450)  // names really spread out
        // Pinned: the hash-derived profile never changes between releases or machines.
        let zzzz = SymbolProfile.of(Symbol(trusted: "ZZZZ"))
        #expect(zzzz.referencePrice == Decimal(string: "173.09")!)
        #expect(zzzz.typicalSpreadTicks == 1)
        #expect(zzzz.averageDailyVolume == 1_225_100)
    }

    @Test("OCC symbols are split into their parts")
    func occParts() throws {
        let option = try #require(OptionContract(Symbol(trusted: "AAPL250620C00230000")))
        #expect(option.underlying == Symbol(trusted: "AAPL"))
        #expect(option.expiry == 250_620)
        #expect(option.right == .call)
        #expect(option.strike == 230)
        let put = try #require(OptionContract(Symbol(trusted: "F260116P00012500")))
        #expect(put.underlying.rawValue == "F")
        #expect(put.right == .put)
        #expect(put.strike == Decimal(string: "12.5")!)
        #expect(OptionContract(Symbol(trusted: "AAPL")) == nil)
    }

    @Test("options are priced from the underlying: intrinsic plus time value, traded in contracts")
    func optionPrices() {
        let atm = SymbolProfile.of(Symbol(trusted: "AAPL250620C00230000"))
        #expect(atm.referencePrice == Decimal(string: "6.75")!)  // 0.4 × 1.6 % × √21 × 230
        #expect(atm.lotSize == 1)
        let deepCall = SymbolProfile.of(Symbol(trusted: "AAPL250620C00180000"))
        #expect(deepCall.referencePrice > 50)  // intrinsic 50
        #expect(deepCall.referencePrice < 52)
        let farPut = SymbolProfile.of(Symbol(trusted: "AAPL250620P00150000"))
        #expect(farPut.referencePrice >= Decimal(string: "0.05")!)
        #expect(farPut.referencePrice < 1)
        for profile in [atm, deepCall, farPut] {
            #expect((0.03...0.25).contains(profile.dailyVolatility))
            #expect((2...3).contains(profile.typicalSpreadTicks))
        }
    }
}
