import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Minute-bar aggregation")
struct MinuteBarAggregatorTests {
    let spy = Symbol(trusted: "SPY")
    let qqq = Symbol(trusted: "QQQ")
    let minute = utc("2025-03-10T14:31:00Z")

    func trade(_ symbol: Symbol, _ price: String, _ size: Decimal, at seconds: Double) -> Trade {
        Trade(symbol: symbol, price: Decimal(string: price)!, size: size, time: minute.addingTimeInterval(seconds))
    }

    @Test("trades fold into OHLCV with VWAP; a trade in the next minute completes the bar")
    func folding() throws {
        var aggregator = MinuteBarAggregator()
        let firstUpdate = aggregator.add(trade(spy, "590.10", 100, at: 0))
        let first = try #require(firstUpdate)
        #expect(first.completed == nil)
        #expect(first.bar.start == minute && first.bar.open == Decimal(string: "590.1")! && first.bar.volume == 100)
        _ = aggregator.add(trade(spy, "590.25", 200, at: 10))
        _ = aggregator.add(trade(spy, "589.95", 50, at: 30))
        let lastUpdate = aggregator.add(trade(spy, "590.05", 150, at: 59.999))
        let last = try #require(lastUpdate)
        #expect(last.bar.close == Decimal(string: "590.05")!)
        #expect(last.bar.vwap == nil)  // only computed on completion or on request
        #expect(aggregator.barInProgress(for: spy)?.vwap == Decimal(string: "590.13")!)
        let nextUpdate = aggregator.add(trade(spy, "590.30", 10, at: 60))
        let next = try #require(nextUpdate)
        let done = try #require(next.completed)
        #expect(done.start == minute)
        #expect(done.timespan == .minute)
        #expect([done.open, done.high, done.low, done.close, done.volume] == [
            Decimal(string: "590.1")!, Decimal(string: "590.25")!, Decimal(string: "589.95")!, Decimal(string: "590.05")!, 500,
        ])
        // (590.10·100 + 590.25·200 + 589.95·50 + 590.05·150) / 500 = 295065 / 500 = 590.13
        #expect(done.vwap == Decimal(string: "590.13")!)
        #expect(next.bar.start == minute.addingTimeInterval(60))
        #expect(next.bar.open == Decimal(string: "590.3")!)
    }

    @Test("VWAP is rounded half away from zero to 4 decimals")
    func vwapRounding() throws {
        var aggregator = MinuteBarAggregator()
        _ = aggregator.add(trade(spy, "10.00", 100, at: 0))
        _ = aggregator.add(trade(spy, "10.01", 200, at: 1))
        #expect(aggregator.barInProgress(for: spy)?.vwap == Decimal(string: "10.0067")!)  // 3002 / 300 = 10.00666…
        _ = aggregator.add(trade(spy, "10.0001", 1, at: 2))
        _ = aggregator.add(trade(spy, "10.0000", 1, at: 3))
        var exact = MinuteBarAggregator()
        _ = exact.add(trade(spy, "0.0001", 1, at: 0))
        _ = exact.add(trade(spy, "0.0002", 1, at: 1))
        #expect(exact.barInProgress(for: spy)?.vwap == Decimal(string: "0.0002")!)  // 0.00015 → 0.0002
    }

    @Test("symbols are independent, and quiet symbols are completed by time")
    func symbolsAndQuietCompletion() {
        var aggregator = MinuteBarAggregator()
        _ = aggregator.add(trade(spy, "590", 100, at: 5))
        _ = aggregator.add(trade(qqq, "510", 300, at: 7))
        #expect(aggregator.completeBars(endingAtOrBefore: minute.addingTimeInterval(59)).isEmpty)
        let done = aggregator.completeBars(endingAtOrBefore: minute.addingTimeInterval(60))
        #expect(done.map(\.symbol) == [qqq, spy])
        #expect(done.map(\.close) == [510, 590])
        #expect(done.map(\.vwap) == [510, 590])
        #expect(aggregator.barInProgress(for: spy) == nil)
        #expect(aggregator.completeBars(endingAtOrBefore: minute.addingTimeInterval(600)).isEmpty)
    }

    @Test("a late trade corrects the bar just completed; older trades are dropped and counted")
    func lateTrades() throws {
        var aggregator = MinuteBarAggregator()
        _ = aggregator.add(trade(spy, "590", 100, at: 0))
        _ = aggregator.add(trade(spy, "591", 100, at: 61))
        let correctedUpdate = aggregator.add(trade(spy, "592", 100, at: 59))
        let corrected = try #require(correctedUpdate)
        #expect(corrected.bar.start == minute)
        #expect(corrected.bar.high == 592 && corrected.bar.close == 592 && corrected.bar.volume == 200)
        #expect(corrected.bar.vwap == 591)
        let tooLate = aggregator.add(trade(spy, "593", 100, at: -1))
        #expect(tooLate == nil)
        #expect(aggregator.droppedLateTrades == 1)
        // After a quiet completion, a late trade still corrects the completed bar (not a new one).
        _ = aggregator.completeBars(endingAtOrBefore: minute.addingTimeInterval(120))
        let againUpdate = aggregator.add(trade(spy, "589", 100, at: 90))
        let again = try #require(againUpdate)
        #expect(again.bar.start == minute.addingTimeInterval(60))
        #expect(again.bar.open == 591 && again.bar.low == 589 && again.bar.volume == 200)
    }

    @Test("prices with more than 4 decimals and fractional sizes stay exact (Decimal fallback)")
    func exactFallback() throws {
        var aggregator = MinuteBarAggregator()
        _ = aggregator.add(trade(spy, "590.12", 100, at: 0))
        _ = aggregator.add(trade(spy, "590.123456", Decimal(string: "0.5")!, at: 1))
        _ = aggregator.add(trade(spy, "590.2", 100, at: 2))
        let bar = try #require(aggregator.barInProgress(for: spy))
        #expect(bar.high == Decimal(string: "590.2")!)
        #expect(bar.close == Decimal(string: "590.2")!)
        #expect(bar.volume == Decimal(string: "200.5")!)
        let notional = Decimal(string: "59012")! + Decimal(string: "295.061728")! + Decimal(string: "59020")!
        #expect(bar.vwap == (notional / Decimal(string: "200.5")!).rounded(scale: 4))
    }

    @Test("the batch fold equals the streaming fold over generated trades, and volume adds up")
    func batchEqualsStreaming() {
        var generator = TickGenerator(symbol: spy, seed: SimulationSeed(9), start: minute, lastPrice: 590)
        var trades: [Trade] = []
        for step in 1...2_000 {
            trades += generator.next(at: minute.addingTimeInterval(Double(step) * 0.25)).compactMap(\.trade)
        }
        var aggregator = MinuteBarAggregator()
        var streamed: [Bar] = []
        for trade in trades { if let done = aggregator.add(trade)?.completed { streamed.append(done) } }
        streamed += aggregator.completeBars(endingAtOrBefore: minute.addingTimeInterval(3_600))
        let batch = MinuteBarAggregator.bars(from: trades.reversed())
        #expect(streamed == batch)
        #expect(batch.count == 9)
        #expect(batch.reduce(0) { $0 + $1.volume } == trades.reduce(0) { $0 + $1.size })
        #expect(batch.allSatisfy(isConsistent))
        #expect(batch.allSatisfy { $0.vwap! >= $0.low && $0.vwap! <= $0.high })
    }
}

@Suite("Bar series")
struct BarSeriesTests {
    let symbol = Symbol(trusted: "SPY")
    let base = utc("2025-03-10T14:30:00Z")

    func bar(_ minute: Int, close: Decimal = 590) -> Bar {
        Bar(symbol: symbol, timespan: .minute, start: base.addingTimeInterval(Double(minute * 60)),
            open: close, high: close, low: close, close: close, volume: 100)
    }

    @Test("upsert appends, replaces by start, and inserts in order")
    func upsert() {
        var series = BarSeries([bar(2), bar(0)])
        series.upsert(bar(3))
        series.upsert(bar(3, close: 591))
        series.upsert(bar(1))
        series.upsert(bar(0, close: 589))
        #expect(series.bars.map { Int($0.start.timeIntervalSince(base) / 60) } == [0, 1, 2, 3])
        #expect(series.bars.map(\.close) == [589, 590, 590, 591])
    }

    @Test("range queries return the most recent bars within the range, oldest first")
    func ranges() {
        let series = BarSeries((0..<10).map { bar($0) })
        let all = series.bars(from: .distantPast, to: .distantFuture, limit: 100)
        #expect(all.count == 10)
        let some = series.bars(from: base.addingTimeInterval(120), to: base.addingTimeInterval(300), limit: 100)
        #expect(some.map(\.start) == (2...5).map { base.addingTimeInterval(Double($0 * 60)) })
        let limited = series.bars(from: .distantPast, to: .distantFuture, limit: 3)
        #expect(limited.map(\.start) == (7...9).map { base.addingTimeInterval(Double($0 * 60)) })
        #expect(series.bars(from: base.addingTimeInterval(30), to: base.addingTimeInterval(50), limit: 5).isEmpty)
        #expect(series.bars(from: .distantFuture, to: .distantPast, limit: 5).isEmpty)
    }

    @Test("capacity drops the oldest bars")
    func capacity() {
        var series = BarSeries(capacity: 5)
        for minute in 0..<8 { series.upsert(bar(minute)) }
        #expect(series.bars.count == 5)
        #expect(series.bars.first?.start == base.addingTimeInterval(180))
    }
}
