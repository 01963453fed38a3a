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

    @Test("every NYSE holiday of 2026 and 2027 is closed all day; 2026-11-27 closes at 13:00; 2027-12-31 trades a full day")
    func publishedDays() {
        // NYSE's published list (https://www.nyse.com/markets/hours-calendars), typed in separately.
        let holidays = [
            "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
            "2026-11-26", "2026-12-25",
            "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
            "2027-11-25", "2027-12-24",
        ]
        for date in holidays {
            #expect(calendar.day(date)?.status == .closed, "\(date)")
            #expect(calendar.day(date)?.holiday != nil, "\(date) is named")
            for hour in [4, 9, 12, 16, 19] { #expect(calendar.session(at: ny(date, hour, 30)) == .closed, "\(date) \(hour):30") }
        }
        let closedWeekdays = calendar.weekdays(from: "2026-01-01", to: "2027-12-31")!.filter { $0.status == .closed }.map(\.date)
        #expect(closedWeekdays == holidays, "no other weekday closes")
        let friday = calendar.day("2026-11-27")!
        #expect(friday.status == .earlyClose && friday.closeMinute == 13 * 60 && friday.postCloseMinute == 17 * 60)
        #expect(calendar.close(of: friday) == ny("2026-11-27", 13))
        #expect(calendar.day("2027-12-31")?.status == .open)
        #expect(calendar.day("2027-12-31")?.closeMinute == 16 * 60)
        #expect(calendar.session(at: ny("2027-12-31", 15, 59)) == .regular)
        #expect(calendar.day("2028-01-03")?.status == .open, "no New Year's Day observed in 2028 at all")
        let early = calendar.weekdays(from: "2026-01-01", to: "2027-12-31")!.filter { $0.status == .earlyClose }.map(\.date)
        #expect(early == ["2026-11-27", "2026-12-24", "2027-11-26"])
    }

    @Test("unscheduled closures are closed: the day of mourning for President Carter, Hurricane Sandy")
    func unscheduledClosures() {
        #expect(calendar.day("2025-01-09")?.status == .closed)
        #expect(calendar.day("2025-01-09")?.holiday == "National Day of Mourning for President Carter")
        #expect(calendar.day("2012-10-29")?.status == .closed)
        #expect(calendar.day("2025-01-10")?.status == .open)
    }

    @Test("session changes through an early-close day and the weekend after it")
    func sessionChanges() {
        var now = ny("2026-11-27", 3, 0)
        var seen: [String] = []
        for _ in 0..<6 {
            guard let change = calendar.nextSessionChange(after: now) else { break }
            seen.append("\(MarketTime.weekdayDay(change.at)) \(MarketTime.clock(change.at)) \(change.session.rawValue)")
            now = change.at
        }
        #expect(seen == [
            "Fri 2026-11-27 04:00 pre", "Fri 2026-11-27 09:30 regular", "Fri 2026-11-27 13:00 post",
            "Fri 2026-11-27 17:00 closed", "Mon 2026-11-30 04:00 pre", "Mon 2026-11-30 09:30 regular",
        ])
    }

    @Test("a provider's day: closed without hours, an early close when the session ends before 16:00, our extended hours")
    func reportedDays() {
        let closed = MarketDay.reported("2026-11-26", openMinute: nil, closeMinute: nil, name: "Thanksgiving")
        #expect(closed.status == .closed && closed.holiday == "Thanksgiving" && closed.openMinute == nil)
        let early = MarketDay.reported("2026-11-27", openMinute: 570, closeMinute: 780, name: "Thanksgiving")
        #expect(early.status == .earlyClose && early.preOpenMinute == 240 && early.postCloseMinute == 1_020)
        let open = MarketDay.reported("2026-11-25", openMinute: 570, closeMinute: 960, name: nil)
        #expect(open == .regular("2026-11-25"))
        #expect(MarketDay.reported("2026-11-25", openMinute: 960, closeMinute: 570, name: nil).status == .closed, "nonsense hours")
        let overridden = MarketCalendar(overrides: ["2026-12-02": .closed("2026-12-02", holiday: "Day of mourning")])
        #expect(overridden.session(at: ny("2026-12-02", 10)) == .closed)
        #expect(overridden.status(at: ny("2026-12-01", 17)).nextOpen == ny("2026-12-03", 9, 30))
    }

    @Test("the status in words")
    func summaries() {
        #expect(calendar.status(at: ny("2026-12-02", 10)).summary == "The market is open (regular session) until 16:00 ET.")
        #expect(calendar.status(at: ny("2026-11-27", 10)).summary == "The market is open (regular session) until 13:00 ET, an early close.")
        #expect(calendar.status(at: ny("2026-12-02", 8)).summary.hasPrefix("Pre-market trading"))
        #expect(calendar.status(at: ny("2026-12-02", 8)).summary.hasSuffix("opens at 09:30 ET today."))
        #expect(calendar.status(at: ny("2026-11-26", 10)).summary == "The market is closed for Thanksgiving Day; it opens Fri 2026-11-27 at 09:30 ET.")
        #expect(calendar.status(at: ny("2026-12-05", 10)).summary == "The market is closed for the weekend; it opens Mon 2026-12-07 at 09:30 ET.")
        #expect(calendar.status(at: ny("2026-12-02", 3)).summary == "The market is closed; it opens at 09:30 ET today.")
    }
}
