import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Trading calendar (New York)")
struct TradingCalendarTests {
    let calendar = TradingCalendar.newYork

    @Test("civil dates round-trip through day numbers, with the right weekday")
    func civilDates() {
        #expect(TradingDay(year: 1970, month: 1, day: 1).number == 0)
        #expect(TradingDay(year: 2025, month: 3, day: 10).number == 20_157)
        #expect(TradingDay(year: 2025, month: 3, day: 10).weekday == 1)  // Monday
        #expect(TradingDay(year: 2024, month: 2, day: 29).description == "2024-02-29")
        for number in Int64(-800_000)...Int64(800_000) where number % 997 == 0 {
            let day = TradingDay(number: number)
            #expect(TradingDay(year: day.year, month: day.month, day: day.day) == day)
        }
    }

    @Test("2025 exchange holidays, including the unscheduled closure for President Carter")
    func holidays2025() {
        var holidays: [String] = []
        var day = TradingDay(year: 2025, month: 1, day: 1)
        while day.year == 2025 {
            if !day.isWeekend && !calendar.isTradingDay(day) { holidays.append(day.description) }
            day = day.adding(days: 1)
        }
        #expect(holidays == [
            "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19",
            "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25",
        ])
    }

    @Test("weekend holidays move to Friday or Monday, except New Year's Day on a Saturday", arguments: [
        (2021, 12, 24, true), (2021, 12, 31, false), (2023, 1, 2, true), (2026, 7, 3, true), (2022, 6, 20, true),
        (2021, 6, 18, false), (2024, 3, 29, true), (2026, 4, 3, true), (2026, 1, 19, true),
    ])
    func observedHolidays(year: Int, month: Int, day: Int, closed: Bool) {
        #expect(!calendar.isTradingDay(TradingDay(year: year, month: month, day: day)) == closed)
    }

    @Test("early closes end the simulated session at 13:00: 2026-11-27, 2026-12-24; full days at 16:00")
    func earlyCloses() {
        let friday = TradingDay(year: 2026, month: 11, day: 27)
        #expect(calendar.isTradingDay(friday))
        #expect(calendar.closeMinute(friday) == 13 * 60 && calendar.sessionMinutes(friday) == 210)
        #expect(calendar.sessionClose(friday) == ISO8601.parse("2026-11-27T18:00:00Z"))
        #expect(calendar.sessionMinutes(TradingDay(year: 2026, month: 12, day: 24)) == 210)
        #expect(calendar.sessionMinutes(TradingDay(year: 2026, month: 11, day: 25)) == 390)
        #expect(!calendar.isTradingDay(TradingDay(year: 2026, month: 11, day: 26)))
        // A provider's day (in the calendar's overrides) wins over the table.
        let provider = TradingCalendar(market: MarketCalendar(overrides: ["2026-12-02": .closed("2026-12-02", holiday: "Storm")]))
        #expect(!provider.isTradingDay(TradingDay(year: 2026, month: 12, day: 2)))
        #expect(provider.isTradingDay(TradingDay(year: 2026, month: 12, day: 3)))
        #expect(provider.sessionMinutes(TradingDay(year: 2026, month: 11, day: 27)) == 210)
    }

    @Test("the session is 09:30–16:00 New York time on both sides of a DST change")
    func sessionsAcrossDST() {
        func utc(_ text: String) -> Date { ISO8601.parse(text)! }
        let friday = TradingDay(year: 2025, month: 3, day: 7)
        let monday = TradingDay(year: 2025, month: 3, day: 10)
        #expect(calendar.sessionOpen(friday) == utc("2025-03-07T14:30:00Z"))
        #expect(calendar.sessionClose(friday) == utc("2025-03-07T21:00:00Z"))
        #expect(calendar.sessionOpen(monday) == utc("2025-03-10T13:30:00Z"))
        #expect(calendar.startOfDay(monday) == utc("2025-03-10T04:00:00Z"))
        #expect(calendar.sessionOpen(TradingDay(year: 2025, month: 10, day: 31)) == utc("2025-10-31T13:30:00Z"))
        #expect(calendar.sessionOpen(TradingDay(year: 2025, month: 11, day: 3)) == utc("2025-11-03T14:30:00Z"))
        // The New York date, not the UTC date: 01:00Z on the 11th is still the 10th in New York.
        #expect(calendar.day(of: utc("2025-03-11T01:00:00Z")) == monday)
    }

    @Test("latest session and trading-day lists skip weekends and holidays")
    func latestSession() {
        func utc(_ text: String) -> Date { ISO8601.parse(text)! }
        #expect(calendar.latestSession(at: utc("2025-03-10T13:29:59Z")).description == "2025-03-07")
        #expect(calendar.latestSession(at: utc("2025-03-10T13:30:00Z")).description == "2025-03-10")
        #expect(calendar.latestSession(at: utc("2025-07-05T15:00:00Z")).description == "2025-07-03")
        let days = calendar.tradingDays(endingOnOrBefore: TradingDay(year: 2025, month: 1, day: 10), count: 5)
        #expect(days.map(\.description) == ["2025-01-03", "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-10"])
    }
}
