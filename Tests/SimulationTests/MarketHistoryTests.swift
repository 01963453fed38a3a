import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Generated history")
struct MarketHistoryTests {
    let seed = SimulationSeed(42)
    let aapl = Symbol(trusted: "AAPL")

    /// Groups minute bars by New York date, checking every bar lies in 09:30–16:00 on a weekday.
    func sessions(_ bars: [Bar]) -> [String: [Bar]] {
        var byDay: [String: [Bar]] = [:]
        for bar in bars {
            let local = newYork(bar.start)
            #expect(local.minuteOfDay >= 9 * 60 + 30 && local.minuteOfDay < 16 * 60, "bar at \(bar.start)")
            #expect((1...5).contains(local.weekday))
            #expect(bar.start.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
            byDay[local.day, default: []].append(bar)
        }
        return byDay
    }

    @Test("minute bars cover whole sessions across the March DST change, only within 09:30–16:00 New York")
    func acrossSpringDST() throws {
        let history = MarketHistory.generate(
            symbol: aapl, seed: seed, end: utc("2025-03-10T22:00:00Z"),
            configuration: HistoryConfiguration(minuteSessions: 3))
        let byDay = sessions(history.minuteBars)
        #expect(byDay.keys.sorted() == ["2025-03-06", "2025-03-07", "2025-03-10"])
        for (_, bars) in byDay { #expect(bars.count == 390) }
        #expect(byDay["2025-03-07"]!.first!.start == utc("2025-03-07T14:30:00Z"))  // EST
        #expect(byDay["2025-03-10"]!.first!.start == utc("2025-03-10T13:30:00Z"))  // EDT
        #expect(byDay["2025-03-10"]!.last!.start == utc("2025-03-10T19:59:00Z"))
    }

    @Test("the November DST change, and a holiday skipped")
    func acrossAutumnDSTAndHoliday() {
        let autumn = MarketHistory.generate(symbol: aapl, seed: seed, end: utc("2025-11-04T02:00:00Z"))
        let byDay = sessions(autumn.minuteBars)
        #expect(byDay.keys.sorted() == ["2025-10-31", "2025-11-03"])
        #expect(byDay["2025-10-31"]!.first!.start == utc("2025-10-31T13:30:00Z"))
        #expect(byDay["2025-11-03"]!.first!.start == utc("2025-11-03T14:30:00Z"))
        let july = MarketHistory.generate(symbol: aapl, seed: seed, end: utc("2025-07-07T21:00:00Z"))
        #expect(sessions(july.minuteBars).keys.sorted() == ["2025-07-03", "2025-07-07"])
    }

    @Test("during a session: only completed minutes, today's stats, yesterday's close")
    func partialSession() throws {
        let end = utc("2025-03-10T15:00:30Z")  // 11:00:30 New York
        let history = MarketHistory.generate(symbol: aapl, seed: seed, end: end)
        let today = try #require(sessions(history.minuteBars)["2025-03-10"])
        #expect(today.count == 90)  // 09:30 … 10:59
        #expect(today.last!.start == utc("2025-03-10T14:59:00Z"))
        #expect(history.minuteBars.allSatisfy { $0.start.addingTimeInterval(60) <= end })
        #expect(history.lastPrice == today.last!.close)
        #expect(history.lastTime == utc("2025-03-10T15:00:00Z"))
        let friday = try #require(sessions(history.minuteBars)["2025-03-07"])
        #expect(history.previousClose == friday.last!.close)
        let dayBar = try #require(history.dailyBars.last)
        #expect(dayBar.start == utc("2025-03-10T04:00:00Z"))
        #expect(dayBar.open == today.first!.open)
        #expect(dayBar.close == today.last!.close)
        #expect(dayBar.high == today.map(\.high).max())
        #expect(dayBar.low == today.map(\.low).min())
        #expect(dayBar.volume == today.reduce(0) { $0 + $1.volume })
    }

    @Test("before the open and at weekends the last session is the latest, and it is the previous close")
    func beforeOpen() throws {
        for end in [utc("2025-03-10T12:00:00Z"), utc("2025-03-08T18:00:00Z"), utc("2025-03-10T13:30:30Z")] {
            let history = MarketHistory.generate(symbol: aapl, seed: seed, end: end)
            #expect(sessions(history.minuteBars).keys.sorted() == ["2025-03-06", "2025-03-07"])
            #expect(history.previousClose == history.lastPrice)
            #expect(history.lastPrice == history.minuteBars.last!.close)
            #expect(history.today == nil)
        }
    }

    @Test("bars are on the cent grid, positive, internally consistent and continuous")
    func barShapes() {
        for symbol in ["AAPL", "TSLA", "SPY", "F", "ZZZZ", "AAPL250620C00230000"] {
            let history = MarketHistory.generate(
                symbol: Symbol(trusted: symbol), seed: seed, end: utc("2025-03-12T20:30:00Z"))
            let profile = SymbolProfile.of(Symbol(trusted: symbol))
            for bar in history.minuteBars + history.dailyBars {
                #expect(isConsistent(bar), "\(symbol) \(bar)")
                #expect([bar.open, bar.high, bar.low, bar.close].allSatisfy(onCentGrid))
                #expect(bar.volume > 0 && bar.volume.isWhole)
                #expect(bar.volume == (bar.volume / Decimal(profile.lotSize)).rounded(scale: 0) * Decimal(profile.lotSize))
            }
            for (previous, next) in zip(history.minuteBars, history.minuteBars.dropFirst())
            where next.start.timeIntervalSince(previous.start) == 60 {
                #expect(next.open == previous.close)
            }
        }
    }

    @Test("about a year of daily bars: one per trading day at New York midnight, matching the minute bars")
    func dailyBars() throws {
        let history = MarketHistory.generate(symbol: aapl, seed: seed, end: utc("2025-03-10T22:00:00Z"))
        #expect(history.dailyBars.count == 252)
        for (previous, next) in zip(history.dailyBars, history.dailyBars.dropFirst()) { #expect(previous.start < next.start) }
        for bar in history.dailyBars {
            let local = newYork(bar.start)
            #expect(local.minuteOfDay == 0)
            #expect((1...5).contains(local.weekday))
        }
        #expect(history.dailyBars.first.map { newYork($0.start).day } == "2024-03-07")
        let byDay = sessions(history.minuteBars)
        for bar in history.dailyBars.suffix(2) {
            let minutes = try #require(byDay[newYork(bar.start).day])
            #expect(bar.open == minutes.first!.open)
            #expect(bar.close == minutes.last!.close)
            #expect(bar.high == minutes.map(\.high).max())
            #expect(bar.low == minutes.map(\.low).min())
            #expect(bar.volume == minutes.reduce(0) { $0 + $1.volume })
        }
    }

    @Test("deterministic: same inputs, same bars; another seed, other bars; a session does not depend on 'now'")
    func determinism() {
        let end = utc("2025-03-10T22:00:00Z")
        let first = MarketHistory.generate(symbol: aapl, seed: seed, end: end)
        let again = MarketHistory.generate(symbol: aapl, seed: seed, end: end)
        #expect(first.minuteBars == again.minuteBars)
        #expect(first.dailyBars == again.dailyBars)
        let other = MarketHistory.generate(symbol: aapl, seed: SimulationSeed(43), end: end)
        #expect(other.minuteBars != first.minuteBars)
        #expect(other.dailyBars.last != first.dailyBars.last)
        // A day later (a restart tomorrow) the 10th's bars are unchanged.
        let later = MarketHistory.generate(symbol: aapl, seed: seed, end: utc("2025-03-11T22:00:00Z"))
        let tenth = first.minuteBars.filter { newYork($0.start).day == "2025-03-10" }
        #expect(later.minuteBars.filter { newYork($0.start).day == "2025-03-10" } == tenth)
        #expect(Array(later.dailyBars.dropLast().suffix(251)) == Array(first.dailyBars.suffix(251)))
    }

    @Test("pinned values for AAPL, seed 42 (a change here changes every user's simulated market)")
    func pinned() {
        let history = MarketHistory.generate(symbol: aapl, seed: seed, end: utc("2025-03-10T18:00:00Z"))
        #expect(history.lastPrice == Decimal(string: "199.71")!)
        #expect(history.previousClose == Decimal(string: "200.47")!)
        #expect(history.minuteBars.count == 660)
        let first = history.minuteBars[0]
        #expect(first.start == utc("2025-03-07T14:30:00Z"))
        #expect([first.open, first.high, first.low, first.close, first.volume] == [
            Decimal(string: "204.4")!, Decimal(string: "204.4")!, Decimal(string: "204.18")!,
            Decimal(string: "204.18")!, 181_200,
        ])
    }

    @Test("daily moves are realistic: close-to-close volatility near the profile's, prices near the reference")
    func dailyRealism() {
        for symbol in ["SPY", "AAPL", "TSLA", "ZZZZ"] {
            let history = MarketHistory.generate(
                symbol: Symbol(trusted: symbol), seed: seed, end: utc("2025-06-30T22:00:00Z"),
                configuration: HistoryConfiguration(dailyBars: 1_000))
            let closes = history.dailyBars.map { NSDecimalNumber(decimal: $0.close).doubleValue }
            let returns = zip(closes, closes.dropFirst()).map { $1 / $0 - 1 }
            let mean = returns.reduce(0, +) / Double(returns.count)
            let deviation = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count)).squareRoot()
            let profile = SymbolProfile.of(Symbol(trusted: symbol))
            #expect(deviation > 0.85 * profile.dailyVolatility && deviation < 1.25 * profile.dailyVolatility, "\(symbol) \(deviation)")
            let reference = Double(profile.referenceTicks) / 100
            #expect(closes.allSatisfy { $0 > 0.4 * reference && $0 < 2.5 * reference }, "\(symbol)")
        }
    }
}
