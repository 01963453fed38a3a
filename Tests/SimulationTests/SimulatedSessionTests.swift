import Foundation
import Synchronization
import Testing
import TradingDomain
import TradingEngine
@testable import Simulation

/// A clock the test sets (the simulated market reads `now()` only).
final class SettableClock: WallClock, Sendable {
    let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    func now() -> Date { value.withLock { $0 } }
    func set(_ date: Date) { value.withLock { $0 = date } }
}

/// New York wall time.
func newYorkTime(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
}

@Suite("Simulated market sessions")
struct SimulatedSessionTests {
    let symbols: Set<Symbol> = [Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT")]

    /// Events of the first step (every new symbol is due at once) at `time`.
    func firstStep(at time: Date, sessions: SimulatedSessions = .calendar(FixedMarketCalendar())) async -> [MarketEvent] {
        let clock = SettableClock(time)
        let market = SimulatedMarket(seed: SimulationSeed(7), ticksPerSecond: 4, clock: clock, logger: silent, sessions: sessions)
        await market.setSymbols(symbols)
        return market.step(sweepBars: true)
    }

    @Test("calendar mode is quiet on a Saturday, on a holiday, at 03:00 and at 20:00; it ticks at 10:00 on a trading day")
    func quietWhenClosed() async {
        for time in [newYorkTime("2026-12-05", 12), newYorkTime("2026-11-26", 10), newYorkTime("2026-12-02", 3),
                     newYorkTime("2026-12-02", 20), newYorkTime("2026-11-27", 17, 30)] {
            let events = await firstStep(at: time)
            #expect(events.isEmpty, "\(MarketTime.weekdayDay(time)) \(MarketTime.clock(time)): \(events.count) events")
        }
        let open = await firstStep(at: newYorkTime("2026-12-02", 10))
        #expect(Set(open.compactMap(\.trade).map(\.symbol)) == symbols, "both symbols trade at 10:00")
        let earlyClose = await firstStep(at: newYorkTime("2026-11-27", 12, 59))
        #expect(!earlyClose.isEmpty, "12:59 on an early close is still the regular session")
    }

    @Test("always_open ticks on a Saturday night")
    func alwaysOpen() async {
        let events = await firstStep(at: newYorkTime("2026-12-05", 23), sessions: .alwaysOpen)
        #expect(Set(events.compactMap(\.trade).map(\.symbol)) == symbols)
    }

    @Test("pre-market trades thinly: wide quotes, small trades")
    func extendedHours() async {
        let events = await firstStep(at: newYorkTime("2026-12-02", 8))
        let quotes = events.compactMap(\.quote)
        #expect(!quotes.isEmpty)
        for quote in quotes { #expect(quote.ask - quote.bid >= Decimal(string: "0.03")!, "spread \(quote.ask - quote.bid)") }
        for trade in events.compactMap(\.trade) { #expect(trade.size <= 300) }
    }

    @Test("a calendar change while running is followed: quiet when the provider closes the day")
    func followsTheSource() async {
        let clock = SettableClock(newYorkTime("2026-12-02", 10))
        let closed = FixedMarketCalendar(MarketCalendar(overrides: ["2026-12-02": .closed("2026-12-02", holiday: "Day of Mourning")]))
        let market = SimulatedMarket(seed: SimulationSeed(7), ticksPerSecond: 4, clock: clock, logger: silent, sessions: .calendar(closed))
        await market.setSymbols(symbols)
        #expect(market.step(sweepBars: true).isEmpty)
        let bars = try? await market.bars(for: Symbol(trusted: "AAPL"), timespan: .day, from: newYorkTime("2026-11-20", 0), to: newYorkTime("2026-12-03", 0), limit: 50)
        #expect(bars?.contains { MarketTime.day(of: $0.start) == "2026-12-02" } == false, "no daily bar on the closed day")
    }
}

@Suite("Tick generator in extended hours")
struct ExtendedTickTests {
    let start = utc("2026-12-02T13:00:00Z")  // 08:00 New York

    @Test("extended steps move less, quote 3–6 ticks wide and trade at most 3 lots; regular steps stay 1–3 ticks")
    func thinTrading() {
        func run(_ activity: TickGenerator.Activity) -> [MarketEvent] {
            var generator = TickGenerator(symbol: Symbol(trusted: "AAPL"), seed: SimulationSeed(42), start: start, lastPrice: 230)
            var events: [MarketEvent] = []
            for step in 1...8_000 { events += generator.next(at: start.addingTimeInterval(Double(step) * 0.25), activity: activity) }
            return events
        }
        let regular = run(.regular), extended = run(.extended)
        let regularPrices = regular.compactMap(\.trade).map { NSDecimalNumber(decimal: $0.price).doubleValue }
        let extendedPrices = extended.compactMap(\.trade).map { NSDecimalNumber(decimal: $0.price).doubleValue }
        let range = { (prices: [Double]) in (prices.max() ?? 0) - (prices.min() ?? 0) }
        #expect(range(extendedPrices) < range(regularPrices), "extended hours wander less")
        #expect(extended.compactMap(\.trade).count < regular.compactMap(\.trade).count, "fewer trades")
        for quote in extended.compactMap(\.quote) {
            let width = quote.ask - quote.bid
            #expect(width >= Decimal(string: "0.03")! && width <= Decimal(string: "0.06")!)
        }
        for quote in regular.compactMap(\.quote) { #expect(quote.ask - quote.bid <= Decimal(string: "0.03")!) }
        for trade in extended.compactMap(\.trade) { #expect(trade.size <= 300) }
    }

    @Test("the next day's previous close is the last regular-session price, not an after-hours print")
    func previousCloseIsRegular() {
        let close = utc("2026-12-02T20:59:00Z")  // 15:59 New York
        var generator = TickGenerator(symbol: Symbol(trusted: "AAPL"), seed: SimulationSeed(42), start: close, lastPrice: 230)
        _ = generator.next(at: close.addingTimeInterval(30), activity: .regular)
        let regularLast = generator.last
        for step in 1...2_000 { _ = generator.next(at: close.addingTimeInterval(120 + Double(step) * 5), activity: .extended) }
        #expect(generator.last != regularLast, "after-hours trades moved the last price")
        _ = generator.next(at: utc("2026-12-03T09:00:00Z"), activity: .extended)  // 04:00 the next day
        #expect(generator.previousClose == regularLast)
    }
}

@Suite("Generated history on the calendar")
struct CalendarHistoryTests {
    @Test("an early close has 210 minute bars, 09:30–12:59; the holiday before it has none")
    func earlyCloseHistory() {
        let history = MarketHistory.generate(symbol: Symbol(trusted: "AAPL"), seed: SimulationSeed(42), end: utc("2026-11-27T23:00:00Z"))
        var byDay: [String: [Bar]] = [:]
        for bar in history.minuteBars { byDay[MarketTime.day(of: bar.start), default: []].append(bar) }
        #expect(byDay.keys.sorted() == ["2026-11-25", "2026-11-27"])
        #expect(byDay["2026-11-25"]?.count == 390)
        let friday = byDay["2026-11-27"] ?? []
        #expect(friday.count == 210)
        #expect(friday.first.map { MarketTime.clock($0.start) } == "09:30")
        #expect(friday.last.map { MarketTime.clock($0.start) } == "12:59")
        let daily = history.dailyBars.map { MarketTime.day(of: $0.start) }
        #expect(daily.suffix(2) == ["2026-11-25", "2026-11-27"], "no daily bar for Thanksgiving")
        let fridayBar = history.dailyBars.last
        #expect(fridayBar?.close == friday.last?.close)
        #expect(fridayBar?.volume == friday.reduce(0) { $0 + $1.volume })
    }
}
