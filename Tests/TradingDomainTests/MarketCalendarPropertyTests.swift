import Foundation
import PropertyBased
import Testing
@testable import TradingDomain

/// Naive references the calendar is checked against, written differently from the code under test.
private enum Reference {
    /// 1 = Sunday … 7 = Saturday, through Foundation's own calendar (not the calendar's arithmetic).
    static func weekday(_ year: Int, _ month: Int, _ day: Int) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.component(.weekday, from: calendar.date(from: DateComponents(year: year, month: month, day: day))!)
    }

    static func key(_ year: Int, _ month: Int, _ day: Int) -> String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// `date` shifted by `days` (through Foundation).
    static func shift(_ year: Int, _ month: Int, _ day: Int, by days: Int) -> (Int, Int, Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(byAdding: .day, value: days, to: calendar.date(from: DateComponents(year: year, month: month, day: day))!)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return (parts.year!, parts.month!, parts.day!)
    }

    /// Easter Sunday by Gauss's algorithm with the Gregorian corrections (Lichtenberg's form), a
    /// different computation from the calendar's Meeus/Jones/Butcher.
    static func easter(_ year: Int) -> (month: Int, day: Int) {
        let k = year / 100
        let m = 15 + (3 * k + 3) / 4 - (8 * k + 13) / 25
        let s = 2 - (3 * k + 3) / 4
        let a = year % 19
        let d = (19 * a + m) % 30
        let r = (d + a / 11) / 29
        let og = 21 + d - r
        let sz = 7 - (year + year / 4 + s) % 7
        let oe = 7 - (og - sz) % 7
        let os = og + oe  // day of March (32 = 1 April)
        return os > 31 ? (4, os - 31) : (3, os)
    }

    /// New York wall time to an instant.
    static func ny(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func ny(_ key: String, _ hour: Int, _ minute: Int) -> Date {
        let parts = key.split(separator: "-").map { Int($0)! }
        return ny(parts[0], parts[1], parts[2], hour, minute)
    }

    static let fixedHolidays: [(month: Int, day: Int, name: String)] = [
        (1, 1, "New Year's Day"), (6, 19, "Juneteenth"), (7, 4, "Independence Day"), (12, 25, "Christmas Day"),
    ]
}

private enum CalendarGen {
    static var ruleYear: Generator<Int, some SendableSequenceType> { Gen.int(in: 2029...2100) }
    /// Any instant from 2026 to 2100.
    static var instant: Generator<Date, some SendableSequenceType> {
        Gen.int(in: 1_767_225_600...4_102_444_800).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
    /// Any calendar date from 2026 to 2100 as (year, month, day).
    static var date: Generator<(Int, Int, Int), some SendableSequenceType> {
        zip(Gen.int(in: 2026...2100), Gen.int(in: 1...12), Gen.int(in: 1...31)).map { year, month, day in
            (year, month, min(day, MarketCalendar.daysIn(year, month)))
        }
    }
}

@Suite("Market calendar: properties")
struct MarketCalendarPropertyTests {
    let calendar = MarketCalendar()

    /// Every weekday holiday of `year` (closed weekdays), from the calendar's public answers.
    func closedWeekdays(_ year: Int) -> [MarketDay] {
        calendar.weekdays(from: Reference.key(year, 1, 1), to: Reference.key(year, 12, 31))!.filter { $0.status == .closed }
    }

    @Test("a fixed-date holiday on a Saturday closes the Friday before, on a Sunday the Monday after (New Year's Day on a Saturday: not at all)")
    func observedDates() async {
        await propertyCheck(count: 200, input: CalendarGen.ruleYear) { year in
            for holiday in Reference.fixedHolidays {
                let weekday = Reference.weekday(year, holiday.month, holiday.day)
                let before = Reference.shift(year, holiday.month, holiday.day, by: -1)
                let after = Reference.shift(year, holiday.month, holiday.day, by: 1)
                let dayBefore = calendar.day(year: before.0, month: before.1, day: before.2)
                let dayAfter = calendar.day(year: after.0, month: after.1, day: after.2)
                switch weekday {
                case 7 where holiday.month == 1:
                    #expect(dayBefore.status != .closed, "\(year): 31 December stays open when New Year's Day is a Saturday")
                    #expect(dayAfter.status == .closed && dayAfter.holiday == nil, "\(year): no holiday on the Sunday")
                    let monday = Reference.shift(year, 1, 1, by: 2)
                    #expect(calendar.day(year: monday.0, month: monday.1, day: monday.2).status != .closed, "\(year): Monday 3 January open")
                case 7:
                    #expect(dayBefore.status == .closed && dayBefore.holiday == "\(holiday.name) (observed)", "\(year) \(holiday.name): Friday observed")
                case 1:
                    #expect(dayAfter.status == .closed && dayAfter.holiday == "\(holiday.name) (observed)", "\(year) \(holiday.name): Monday observed")
                default:
                    let day = calendar.day(year: year, month: holiday.month, day: holiday.day)
                    #expect(day.status == .closed && day.holiday == holiday.name, "\(year) \(holiday.name) on a weekday")
                }
            }
        }
    }

    @Test("New Year's Day on a Saturday (2028, 2033, 2039) is not observed: 31 December before it trades a full day")
    func noObservanceOnSaturday() {
        for year in [2028, 2033, 2039, 2050] {
            #expect(Reference.weekday(year, 1, 1) == 7, "\(year)-01-01 is a Saturday")
            let eve = calendar.day(Reference.key(year - 1, 12, 31))
            #expect(eve?.status == .open, "\(year - 1)-12-31")
            #expect(eve?.closeMinute == 16 * 60)
            #expect(calendar.session(at: Reference.ny(year - 1, 12, 31, 15, 0)) == .regular)
        }
    }

    @Test("no holiday or early close ever falls on a weekend, and weekends never trade")
    func nothingOnWeekends() async {
        await propertyCheck(count: 500, input: CalendarGen.date) { year, month, day in
            let weekday = Reference.weekday(year, month, day)
            let value = calendar.day(year: year, month: month, day: day)
            if weekday == 1 || weekday == 7 {
                #expect(value.status == .closed && value.holiday == nil, "\(value.date) is a weekend")
            }
        }
        for year in 2026...2100 {
            for key in NYSEHolidays.rules(year).holidays.keys.sorted() + NYSEHolidays.rules(year).earlyCloses.keys.sorted() {
                let parts = key.split(separator: "-").map { Int($0)! }
                #expect((2...6).contains(Reference.weekday(parts[0], parts[1], parts[2])), "\(key) is a weekday")
            }
        }
    }

    @Test("every year 2029–2100 has 9 or 10 full holidays on weekdays: 9 exactly when New Year's Day is a Saturday")
    func holidaysPerYear() {
        for year in 2029...2100 {
            let count = closedWeekdays(year).count
            #expect((9...10).contains(count), "\(year): \(count)")
            #expect((count == 9) == (Reference.weekday(year, 1, 1) == 7), "\(year): \(count) holidays")
        }
    }

    @Test("Good Friday is always a Friday, two days before Easter Sunday (checked against Gauss's computus)")
    func goodFriday() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1990...2200)) { year in
            let easter = Reference.easter(year)
            let friday = Reference.shift(year, easter.month, easter.day, by: -2)
            #expect(Reference.weekday(friday.0, friday.1, friday.2) == 6)
            #expect(NYSEHolidays.rules(year).holidays[Reference.key(friday.0, friday.1, friday.2)] == "Good Friday", "\(year)")
            #expect(NYSEHolidays.rules(year).holidays.values.filter { $0 == "Good Friday" }.count == 1)
        }
    }

    @Test("early closes are weekdays with the regular session until 13:00 and the late session until 17:00")
    func earlyCloses() async {
        await propertyCheck(count: 150, input: CalendarGen.ruleYear) { year in
            let days = calendar.weekdays(from: Reference.key(year, 1, 1), to: Reference.key(year, 12, 31))!.filter { $0.status == .earlyClose }
            #expect((1...3).contains(days.count), "\(year): \(days.map(\.date))")
            for day in days {
                #expect(day.openMinute == 9 * 60 + 30 && day.closeMinute == 13 * 60 && day.postCloseMinute == 17 * 60, "\(day.date)")
                #expect(calendar.session(at: Reference.ny(day.date, 12, 59)) == .regular)
                #expect(calendar.session(at: Reference.ny(day.date, 13, 0)) == .post)
                #expect(calendar.session(at: Reference.ny(day.date, 13, 1)) == .post)
                #expect(calendar.session(at: Reference.ny(day.date, 16, 59)) == .post)
                #expect(calendar.session(at: Reference.ny(day.date, 17, 0)) == .closed)
                #expect(calendar.status(at: Reference.ny(day.date, 10, 0)).nextClose == Reference.ny(day.date, 13, 0))
                #expect(calendar.status(at: Reference.ny(day.date, 10, 0)).earlyClose)
            }
            // The day after Thanksgiving always closes early.
            let thanksgiving = (22...28).first { Reference.weekday(year, 11, $0) == 5 }!
            #expect(calendar.day(year: year, month: 11, day: thanksgiving).holiday == "Thanksgiving Day")
            #expect(calendar.day(year: year, month: 11, day: thanksgiving + 1).status == .earlyClose)
        }
    }

    @Test("session boundaries on any full trading day: 03:59 closed, 04:00 pre, 09:29 pre, 09:30 regular, 15:59 regular, 16:00 post, 19:59 post, 20:00 closed")
    func boundaries() async {
        await propertyCheck(count: 300, input: CalendarGen.date) { year, month, day in
            let value = calendar.day(year: year, month: month, day: day)
            let expected: [(Int, Int, MarketSession)]
            switch value.status {
            case .closed:
                expected = [(3, 59, .closed), (4, 0, .closed), (9, 30, .closed), (12, 0, .closed), (16, 0, .closed), (20, 0, .closed)]
            case .open:
                expected = [(3, 59, .closed), (4, 0, .pre), (9, 29, .pre), (9, 30, .regular), (15, 59, .regular), (16, 0, .post),
                            (19, 59, .post), (20, 0, .closed), (23, 59, .closed)]
            case .earlyClose:
                expected = [(3, 59, .closed), (4, 0, .pre), (9, 30, .regular), (12, 59, .regular), (13, 0, .post), (16, 59, .post),
                            (17, 0, .closed)]
            }
            for (hour, minute, session) in expected {
                #expect(calendar.session(at: Reference.ny(year, month, day, hour, minute)) == session, "\(value.date) \(hour):\(minute)")
            }
        }
    }

    @Test("the next open is after now, is a regular open, and nothing between now and it is regular; the next change changes the session")
    func nextOpenAndChange() async {
        await propertyCheck(count: 400, input: CalendarGen.instant) { now in
            let status = calendar.status(at: now)
            #expect(status.nextOpen > now)
            #expect(calendar.session(at: status.nextOpen) == .regular)
            #expect(calendar.session(at: status.nextOpen.addingTimeInterval(-60)) != .regular)
            #expect(status.nextClose > now)
            #expect(calendar.session(at: status.nextClose.addingTimeInterval(-60)) == .regular)
            #expect(calendar.session(at: status.nextClose) != .regular)
            if status.session != .regular {
                #expect(status.nextClose > status.nextOpen, "outside the session the next close follows the next open")
                // Every minute from now up to the open is outside the regular session (sampled).
                var probe = now
                while probe < status.nextOpen {
                    #expect(calendar.session(at: probe) != .regular)
                    probe = probe.addingTimeInterval(3_607)
                }
            }
            let change = calendar.nextSessionChange(after: now)
            #expect(change != nil)
            if let change {
                #expect(change.at > now)
                #expect(change.session != status.session)
                #expect(calendar.session(at: change.at) == change.session)
                #expect(calendar.session(at: change.at.addingTimeInterval(-1)) == status.session)
            }
        }
    }

    @Test("the trading day of a moment is a trading day on or after its New York date")
    func tradingDay() async {
        await propertyCheck(count: 300, input: CalendarGen.instant) { now in
            let key = calendar.tradingDay(at: now)
            #expect(calendar.day(key)?.isTradingDay == true)
            #expect(key >= MarketTime.day(of: now))
        }
    }
}
