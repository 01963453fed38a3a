import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Tick generator")
struct TickGeneratorTests {
    let seed = SimulationSeed(42)
    let start = utc("2025-03-10T18:00:00Z")

    func run(_ generator: inout TickGenerator, steps: Int, every seconds: Double = 0.25) -> [MarketEvent] {
        var events: [MarketEvent] = []
        for step in 1...steps {
            events += generator.next(at: start.addingTimeInterval(Double(step) * seconds))
        }
        return events
    }

    func generator(_ symbol: String, seed: SimulationSeed? = nil, price: Decimal = 230) -> TickGenerator {
        TickGenerator(symbol: Symbol(trusted: symbol), seed: seed ?? self.seed, start: start, lastPrice: price)
    }

    @Test("same seed and times give identical events; another seed or symbol gives others")
    func determinism() {
        var first = generator("AAPL")
        var second = generator("AAPL")
        let a = run(&first, steps: 5_000)
        #expect(a == run(&second, steps: 5_000))
        var otherSeed = generator("AAPL", seed: SimulationSeed(43))
        #expect(run(&otherSeed, steps: 5_000) != a)
        var otherSymbol = generator("MSFT", price: 230)
        #expect(run(&otherSymbol, steps: 5_000).map(\.trade?.price) != a.map(\.trade?.price))
    }

    @Test("pinned first events for AAPL from 230.00, seed 42")
    func pinned() {
        var generator = generator("AAPL")
        let first = generator.next(at: start.addingTimeInterval(0.25))
        #expect(first.count == 2)
        let quote = first[0].quote, trade = first[1].trade
        #expect(quote?.bid == Decimal(string: "229.99")!)
        #expect(quote?.ask == 230)
        #expect(trade?.price == 230)
        #expect(trade?.size == 400)
        #expect(trade?.time == start.addingTimeInterval(0.25))
        let later = run(&generator, steps: 1_000)
        #expect(later.compactMap(\.trade).last?.price == Decimal(string: "230.02")!)
        #expect(generator.dayVolume == 157_679)
    }

    @Test("prices stay on the 0.01 grid and above 0; bid < ask within 1–3 ticks; trades inside the quote")
    func invariants() {
        for (symbol, price) in [("AAPL", Decimal(230)), ("TSLA", 250), ("ZZZZ", 12), ("AAPL250620C00230000", Decimal(string: "0.05")!)] {
            var generator = generator(symbol, price: price)
            var quote: BidAsk?
            var roundLots = 0, oddLots = 0
            for event in run(&generator, steps: 20_000) {
                switch event {
                case .quote(let q):
                    #expect(q.bid > 0 && q.bid < q.ask, "\(symbol) \(q)")
                    #expect(q.ask - q.bid <= Decimal(string: "0.03")!)
                    #expect(onCentGrid(q.bid) && onCentGrid(q.ask))
                    #expect(q.bidSize > 0 && q.askSize > 0)
                    quote = q
                case .trade(let t):
                    #expect(t.price > 0 && onCentGrid(t.price), "\(symbol) \(t.price)")
                    #expect(t.price >= quote!.bid && t.price <= quote!.ask)
                    #expect(t.size > 0 && t.size.isWhole)
                    if t.size == (t.size / 100).rounded(scale: 0) * 100 { roundLots += 1 } else { oddLots += 1 }
                case .bar, .summary:
                    Issue.record("the generator emits no bars or summaries")
                }
            }
            if SymbolProfile.of(Symbol(trusted: symbol)).lotSize == 100 {
                let share = Double(oddLots) / Double(roundLots + oddLots)
                #expect(share > 0.1 && share < 0.3, "odd-lot share \(share)")
            }
            #expect(generator.bid < generator.ask)
        }
    }

    @Test("a price of one cent never goes to zero or below")
    func floor() {
        var generator = generator("ZZZZ", price: Decimal(string: "0.01")!)
        for event in run(&generator, steps: 50_000, every: 60) {
            if let trade = event.trade { #expect(trade.price >= Decimal(string: "0.01")!) }
            if let quote = event.quote { #expect(quote.bid >= Decimal(string: "0.01")!) }
        }
    }

    @Test("every step gives a quote or a trade; the first gives both")
    func eventMix() {
        var generator = generator("SPY", price: 590)
        #expect(generator.next(at: start).count == 2)
        var trades = 0, quotes = 0
        for step in 1...10_000 {
            let events = generator.next(at: start.addingTimeInterval(Double(step) * 0.25))
            #expect((1...2).contains(events.count))
            trades += events.filter { $0.trade != nil }.count
            quotes += events.filter { $0.quote != nil }.count
        }
        #expect(trades > 5_000 && trades < 7_000)
        #expect(quotes > 3_000)
    }

    @Test("intraday volatility matches the profile: 1-minute returns and one-session moves", arguments: ["SPY", "TSLA"])
    func volatility(symbol: String) {
        let profile = SymbolProfile.of(Symbol(trusted: symbol))
        // One minute ≈ σ/√390 (bid/ask bounce adds a little).
        var generator = generator(symbol, price: profile.referencePrice)
        var minuteCloses: [Double] = []
        for step in 1...(390 * 4 * 60) {
            _ = generator.next(at: start.addingTimeInterval(Double(step) * 0.25))
            if step % 240 == 0 { minuteCloses.append(NSDecimalNumber(decimal: generator.last).doubleValue) }
        }
        let returns = zip(minuteCloses, minuteCloses.dropFirst()).map { $1 / $0 - 1 }
        let deviation = (returns.map { $0 * $0 }.reduce(0, +) / Double(returns.count)).squareRoot()
        let expected = profile.dailyVolatility / 390.0.squareRoot()
        #expect(deviation > 0.8 * expected && deviation < 1.3 * expected, "\(symbol): \(deviation) vs \(expected)")
        // A session's worth of ticking moves the price by about the daily volatility.
        var moves: [Double] = []
        for index in 0..<40 {
            var session = TickGenerator(
                symbol: Symbol(trusted: symbol), seed: SimulationSeed(UInt64(index)), start: start,
                lastPrice: profile.referencePrice)
            for step in 1...2_340 { _ = session.next(at: start.addingTimeInterval(Double(step) * 10)) }
            moves.append(NSDecimalNumber(decimal: session.last / profile.referencePrice).doubleValue - 1)
        }
        let sessionDeviation = (moves.map { $0 * $0 }.reduce(0, +) / Double(moves.count)).squareRoot()
        #expect(sessionDeviation > 0.6 * profile.dailyVolatility && sessionDeviation < 1.4 * profile.dailyVolatility)
        #expect(moves.allSatisfy { abs($0) < 5 * profile.dailyVolatility })
    }

    @Test("continues the history: same last price, previous close and today's open")
    func continuesHistory() throws {
        let history = MarketHistory.generate(symbol: Symbol(trusted: "AAPL"), seed: seed, end: start)
        var generator = TickGenerator(history: history, seed: seed)
        #expect(generator.last == history.lastPrice)
        #expect(generator.previousClose == history.previousClose)
        #expect(generator.dayOpen == history.dailyBars.last?.open)
        #expect(generator.dayVolume == history.dailyBars.last?.volume)
        #expect(generator.dayBar?.start == history.dailyBars.last?.start)
        let events = generator.next(at: start.addingTimeInterval(0.25))
        let trade = try #require(events.compactMap(\.trade).first)
        #expect((trade.price - history.lastPrice).magnitudeValue <= Decimal(string: "0.03")!)
        let snapshot = generator.snapshot()
        #expect(snapshot.last == trade.price)
        #expect(snapshot.lastTime == trade.time)
        #expect(snapshot.bid == generator.bid && snapshot.ask == generator.ask)
        #expect(snapshot.previousClose == history.previousClose)
        #expect(snapshot.dayVolume == history.dailyBars.last!.volume + trade.size)
        #expect(snapshot.dayHigh! >= trade.price && snapshot.dayLow! <= trade.price)
    }

    @Test("crossing New York midnight starts a new day from the last price")
    func dayRollover() throws {
        let beforeMidnight = utc("2025-03-11T03:59:00Z")  // 23:59 New York (EDT)
        var generator = TickGenerator(
            symbol: Symbol(trusted: "AAPL"), seed: seed, start: beforeMidnight, lastPrice: 230, previousClose: 228)
        for step in 1...200 { _ = generator.next(at: beforeMidnight.addingTimeInterval(Double(step) * 0.25)) }
        #expect(generator.previousClose == 228)
        let lastBefore = generator.last
        #expect(generator.dayBar?.start == utc("2025-03-10T04:00:00Z"))
        let events = generator.next(at: utc("2025-03-11T04:00:01Z"))
        #expect(generator.previousClose == lastBefore)
        if let trade = events.compactMap(\.trade).first {
            #expect(generator.dayOpen == trade.price)
            #expect(generator.dayVolume == trade.size)
        } else {
            #expect(generator.dayOpen == nil)
            #expect(generator.dayVolume == 0)
        }
        _ = generator.next(at: utc("2025-03-11T04:00:02Z"))
        _ = generator.next(at: utc("2025-03-11T04:00:03Z"))
        #expect(generator.dayBar?.start == utc("2025-03-11T04:00:00Z"))
    }

    @Test("step intervals are deterministic and within 0.5–1.5 × the mean")
    func intervals() {
        var first = generator("AAPL")
        var second = generator("AAPL")
        for _ in 0..<1_000 {
            let interval = first.nextInterval(ticksPerSecond: 4)
            #expect(interval == second.nextInterval(ticksPerSecond: 4))
            #expect(interval >= .milliseconds(125) && interval <= .milliseconds(375))
        }
        #expect(first.nextInterval(ticksPerSecond: 0) >= .milliseconds(500))
    }
}
