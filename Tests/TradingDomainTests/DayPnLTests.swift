import Foundation
import Testing
import TradingDomain

/// Day P&L like a broker's (DayPnL.swift): worked examples with exact decimals.
@Suite("Day P&L: worked examples")
struct DayPnLTests {
    typealias F = RiskFixtures

    /// Thursday 2026-11-26 10:00 New York is a holiday; these use Wednesday 2026-11-25 (a trading day).
    static let wednesday = F.time("2026-11-25T15:00:00Z")  // 10:00 New York
    static let tuesdayClose = F.time("2026-11-24T21:00:00Z")  // 16:00 New York the day before

    static func fill(_ symbol: Symbol, _ quantity: String, at price: String, minute: Int = 0) -> DayFill {
        DayFill(symbol: symbol, quantity: F.dec(quantity), price: F.dec(price), time: wednesday.addingTimeInterval(Double(minute) * 60))
    }

    @Test("the issue's case: bought yesterday at 100, previous close 90, last 91 → +1 a share, not −9")
    func boughtYesterday() throws {
        let day = DayActivity(previousCloses: [F.aapl: 90])
        let pnl = day.pnl(symbol: F.aapl, quantity: 100, averagePrice: 100, last: 91)
        #expect(pnl.total == 100)
        #expect(pnl.realized == 0)
        #expect(pnl.overnightQuantity == 100)
        #expect(pnl.previousClose == 90)

        // The risk snapshot: day P&L +100 while the position is still 900 under its entry.
        let snapshot = RiskSnapshot(RiskInputs(
            account: F.account(), positions: [F.position(F.aapl, "100", avg: "100")], prices: [F.aapl: 91],
            day: day, now: Self.wednesday))
        let row = try #require(snapshot.position(F.aapl))
        #expect(row.dayPnL == 100)
        #expect(row.unrealizedPnL == -900)
        #expect(snapshot.dayUnrealizedPnL == 100)
        #expect(snapshot.dayPnL == 100)
        #expect(RiskLimits.breaches(snapshot, settings: RiskSettings(maxDailyLoss: 500, maxOpenRiskPct: 100)).isEmpty)
    }

    @Test("mixed lots: overnight shares from the previous close, today's from their fill, closing first in first out")
    func mixedLots() {
        // 100 held overnight (close 50); buy 50 at 52; sell 120 at 55: the 100 overnight shares realise
        // (55 − 50) × 100 = 500 and 20 of today's (55 − 52) × 20 = 60; 30 left at 52, last 54: +60.
        let day = DayActivity(
            fills: [Self.fill(F.aapl, "50", at: "52", minute: 1), Self.fill(F.aapl, "-120", at: "55", minute: 2)],
            previousCloses: [F.aapl: 50])
        let pnl = day.pnl(symbol: F.aapl, quantity: 30, averagePrice: F.dec("51"), last: 54)
        #expect(pnl.realized == 560)
        #expect(pnl.unrealized == 60)
        #expect(pnl.total == 620)
        #expect(pnl.overnightQuantity == 100)
    }

    @Test("a short held overnight gains when the price falls below the previous close")
    func shortOvernight() {
        let day = DayActivity(previousCloses: [F.tsla: 20])
        #expect(day.pnl(symbol: F.tsla, quantity: -100, averagePrice: 25, last: 19).total == 100)
        #expect(day.pnl(symbol: F.tsla, quantity: -100, averagePrice: 25, last: 21).total == -100)
    }

    @Test("options: multiplier 100 and the contract's own previous close")
    func option() {
        let day = DayActivity(previousCloses: [F.aaplCall: F.dec("3.50")])
        #expect(day.pnl(symbol: F.aaplCall, quantity: 2, averagePrice: 5, last: F.dec("4.25")).total == 150)
    }

    @Test("a sale past flat realises the long and opens a short at the fill price")
    func flip() {
        let day = DayActivity(fills: [Self.fill(F.aapl, "-150", at: "11")], previousCloses: [F.aapl: 10])
        let pnl = day.pnl(symbol: F.aapl, quantity: -50, averagePrice: 11, last: F.dec("10.5"))
        #expect(pnl.realized == 100)
        #expect(pnl.unrealized == 25)
        #expect(pnl.overnightQuantity == 100)
    }

    @Test("shares held overnight and sold today realise against the previous close, also once no longer held")
    func closedToday() {
        let day = DayActivity(fills: [Self.fill(F.msft, "-100", at: "48")], previousCloses: [F.msft: 50])
        #expect(day.pnl(symbol: F.msft, quantity: 0, averagePrice: nil, last: nil).realized == -200)
        let snapshot = RiskSnapshot(RiskInputs(account: F.account(), positions: [], day: day, now: Self.wednesday))
        #expect(snapshot.dayRealizedPnL == -200)
        #expect(snapshot.dayPnL == -200)
        #expect(snapshot.positions.isEmpty)
    }

    @Test("without a previous close overnight shares count from the average price; a closed symbol's count 0")
    func noPreviousClose() {
        #expect(DayActivity.none.pnl(symbol: F.aapl, quantity: 100, averagePrice: 100, last: 95).total == -500)
        let sold = DayActivity(fills: [Self.fill(F.aapl, "-100", at: "95")])
        #expect(sold.pnl(symbol: F.aapl, quantity: 0, averagePrice: nil, last: nil).total == 0)
    }

    @Test("a position the broker dates today, with no fill known, is today's lot at its average price")
    func brokerDatesItToday() {
        let day = DayActivity(previousCloses: [F.aapl: 90], openedToday: [F.aapl])
        let pnl = day.pnl(symbol: F.aapl, quantity: 10, averagePrice: 100, last: 101)
        #expect(pnl.total == 10)
        #expect(pnl.overnightQuantity == 0)
        // With today's fill known, the fills decide (the 10 bought today at 99).
        let known = DayActivity(fills: [Self.fill(F.aapl, "10", at: "99")], previousCloses: [F.aapl: 90], openedToday: [F.aapl])
        #expect(known.pnl(symbol: F.aapl, quantity: 10, averagePrice: 100, last: 101).total == 20)
    }

    @Test("without a last price only the realised part counts")
    func noLastPrice() {
        let day = DayActivity(fills: [Self.fill(F.aapl, "-40", at: "95")], previousCloses: [F.aapl: 90])
        let pnl = day.pnl(symbol: F.aapl, quantity: 60, averagePrice: 100, last: nil)
        #expect(pnl.realized == 200)
        #expect(pnl.unrealized == 0)
    }

    @Test("from raw data: only today's fills; a quote's previous close once it has data of today, else its last price")
    func fromRawData() {
        let calendar = MarketCalendar()
        let now = Self.wednesday
        var fresh = Quote(symbol: F.aapl, asOf: now.addingTimeInterval(-60), receivedAt: now, source: "test")
        fresh.last = 91
        fresh.previousClose = 90
        var quiet = Quote(symbol: F.msft, asOf: Self.tuesdayClose, receivedAt: now, source: "test")
        quiet.last = 402
        quiet.previousClose = 380
        let fills = [
            DayFill(symbol: F.aapl, quantity: 5, price: 92, time: now.addingTimeInterval(-120)),
            DayFill(symbol: F.aapl, quantity: 100, price: 100, time: Self.tuesdayClose),  // yesterday's
        ]
        let positions = [
            BrokerPosition(symbol: F.aapl, quantity: 105, averagePrice: 100, openedAt: Self.tuesdayClose),
            BrokerPosition(symbol: F.msft, quantity: 10, averagePrice: 400, openedAt: now.addingTimeInterval(-300)),
        ]
        let day = DayActivity(now: now, calendar: calendar, positions: positions, fills: fills, quotes: [F.aapl: fresh, F.msft: quiet])
        #expect(day.tradingDay == "2026-11-25")
        #expect(day.fills[F.aapl]?.count == 1)
        #expect(day.previousCloses[F.aapl] == 90)
        #expect(day.previousCloses[F.msft] == 402)
        #expect(day.openedToday == [F.msft])
        // 100 overnight from 90 (+100) and the 5 bought today at 92 (−5).
        #expect(day.pnl(symbol: F.aapl, quantity: 105, averagePrice: 100, last: 91).total == 95)
    }

    @Test("at 21:00 the trading day is the next one: the evening's fills are overnight, earlier quotes start it flat")
    func evening() {
        let calendar = MarketCalendar()
        let evening = F.time("2026-11-25T02:00:00Z")  // Tuesday 21:00 New York: Wednesday's trading day
        var quote = Quote(symbol: F.aapl, asOf: F.time("2026-11-25T00:30:00Z"), receivedAt: evening, source: "test")
        quote.last = 91
        quote.previousClose = 80
        let bought = DayFill(symbol: F.aapl, quantity: 100, price: 100, time: F.time("2026-11-24T23:00:00Z"))  // 18:00
        let day = DayActivity(
            now: evening, calendar: calendar, positions: [BrokerPosition(symbol: F.aapl, quantity: 100, averagePrice: 100)],
            fills: [bought], quotes: [F.aapl: quote])
        #expect(day.tradingDay == "2026-11-25")
        #expect(day.fills.isEmpty)
        #expect(day.pnl(symbol: F.aapl, quantity: 100, averagePrice: 100, last: 91).total == 0)
    }
}
