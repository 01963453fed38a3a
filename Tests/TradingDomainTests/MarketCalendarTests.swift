import Foundation
import Testing
@testable import TradingDomain

@Suite("Market calendar")
struct MarketCalendarTests {
    let calendar = MarketCalendar()

    /// New York wall time to an instant.
    func ny(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
    }

    @Test("the rules reproduce NYSE's published 2026–2028 holidays and early closes exactly")
    func rulesMatchPublished() {
        for year in NYSEHolidays.publishedYears {
            let published = NYSEHolidays.published.filter { $0.key.hasPrefix("\(year)-") }
            #expect(Set(NYSEHolidays.ruleHolidays(year: year).keys.filter { $0.hasPrefix("\(year)-") }) == Set(published.keys), "holidays \(year)")
            let early = NYSEHolidays.publishedEarlyCloses.filter { $0.key.hasPrefix("\(year)-") }
            #expect(Set(NYSEHolidays.ruleEarlyCloses(year: year).keys) == Set(early.keys), "early closes \(year)")
        }
    }

    @Test("sessions on an ordinary day, an early close, a holiday and a weekend")
    func sessions() {
        #expect(calendar.session(at: ny("2026-12-02", 3, 59)) == .closed)
        #expect(calendar.session(at: ny("2026-12-02", 4, 0)) == .pre)
        #expect(calendar.session(at: ny("2026-12-02", 9, 30)) == .regular)
        #expect(calendar.session(at: ny("2026-12-02", 16, 0)) == .post)
        #expect(calendar.session(at: ny("2026-12-02", 20, 0)) == .closed)
        #expect(calendar.session(at: ny("2026-11-27", 12, 59)) == .regular)
        #expect(calendar.session(at: ny("2026-11-27", 13, 1)) == .post)
        #expect(calendar.session(at: ny("2026-11-27", 17, 0)) == .closed)
        #expect(calendar.session(at: ny("2026-11-26", 10, 0)) == .closed)
        #expect(calendar.session(at: ny("2026-12-05", 10, 0)) == .closed)
        #expect(calendar.day("2027-12-31")?.status == .open)
        #expect(calendar.day("2026-11-27")?.status == .earlyClose)
    }

    @Test("next open and close skip weekends and holidays; the trading day of a Saturday is Monday's")
    func nextOpenClose() {
        let status = calendar.status(at: ny("2026-11-25", 17, 0))
        #expect(status.nextOpen == ny("2026-11-27", 9, 30))
        #expect(status.nextClose == ny("2026-11-27", 13, 0))
        #expect(calendar.tradingDay(at: ny("2026-12-05", 12, 0)) == "2026-12-07")
        #expect(calendar.tradingDay(at: ny("2026-12-04", 19, 59)) == "2026-12-04")
        #expect(calendar.previousTradingDay(before: "2026-11-27")?.date == "2026-11-25")
    }
}
