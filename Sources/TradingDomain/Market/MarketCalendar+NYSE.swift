import Foundation

/// NYSE's full holidays and 1:00 p.m. early closes.
///
/// 2026–2028 come from NYSE's published calendar (https://www.nyse.com/markets/hours-calendars and
/// NYSE Group's notice "NYSE Group Announces 2026, 2027 and 2028 Holiday and Early Closings
/// Calendar", 2025-12-23). Other years follow the rules below (NYSE Rule 7.2): a holiday on a
/// Saturday is observed the Friday before, on a Sunday the Monday after — except New Year's Day on a
/// Saturday, which is not observed (the Friday before closes a year); early closes at 13:00 on the
/// day before Independence Day (when that is a weekday and not itself the observed holiday), the day
/// after Thanksgiving, and Christmas Eve when it falls Monday to Thursday. Closures no rule
/// foresees (days of mourning, storms) are listed in `unscheduled`. docs/sessions.md.
enum NYSEHolidays {
    /// Years whose days come from the published table, not the rules.
    static let publishedYears: ClosedRange<Int> = 2026...2028

    static let published: [String: String] = [
        "2026-01-01": "New Year's Day", "2026-01-19": "Martin Luther King, Jr. Day",
        "2026-02-16": "Washington's Birthday", "2026-04-03": "Good Friday", "2026-05-25": "Memorial Day",
        "2026-06-19": "Juneteenth", "2026-07-03": "Independence Day (observed)", "2026-09-07": "Labor Day",
        "2026-11-26": "Thanksgiving Day", "2026-12-25": "Christmas Day",
        "2027-01-01": "New Year's Day", "2027-01-18": "Martin Luther King, Jr. Day",
        "2027-02-15": "Washington's Birthday", "2027-03-26": "Good Friday", "2027-05-31": "Memorial Day",
        "2027-06-18": "Juneteenth (observed)", "2027-07-05": "Independence Day (observed)", "2027-09-06": "Labor Day",
        "2027-11-25": "Thanksgiving Day", "2027-12-24": "Christmas Day (observed)",
        "2028-01-17": "Martin Luther King, Jr. Day", "2028-02-21": "Washington's Birthday",
        "2028-04-14": "Good Friday", "2028-05-29": "Memorial Day", "2028-06-19": "Juneteenth",
        "2028-07-04": "Independence Day", "2028-09-04": "Labor Day", "2028-11-23": "Thanksgiving Day",
        "2028-12-25": "Christmas Day",
    ]

    static let publishedEarlyCloses: [String: String] = [
        "2026-11-27": "Day after Thanksgiving", "2026-12-24": "Christmas Eve",
        "2027-11-26": "Day after Thanksgiving",
        "2028-07-03": "Day before Independence Day", "2028-11-24": "Day after Thanksgiving",
    ]

    /// Full-day closures no rule foresees, since 2001 (NYSE's notices of each; docs/sessions.md).
    static let unscheduled: [String: String] = [
        "2001-09-11": "September 11 attacks", "2001-09-12": "September 11 attacks",
        "2001-09-13": "September 11 attacks", "2001-09-14": "September 11 attacks",
        "2004-06-11": "National Day of Mourning for President Reagan",
        "2007-01-02": "National Day of Mourning for President Ford",
        "2012-10-29": "Hurricane Sandy", "2012-10-30": "Hurricane Sandy",
        "2018-12-05": "National Day of Mourning for President George H. W. Bush",
        "2025-01-09": "National Day of Mourning for President Carter",
    ]

    static func holiday(year: Int, month: Int, day: Int) -> String? {
        let key = MarketCalendar.key(year, month, day)
        if publishedYears.contains(year) { return published[key] }
        return unscheduled[key] ?? rules(year).holidays[key]
    }

    static func earlyClose(year: Int, month: Int, day: Int) -> String? {
        let key = MarketCalendar.key(year, month, day)
        if publishedYears.contains(year) { return publishedEarlyCloses[key] }
        return rules(year).earlyCloses[key]
    }

    // MARK: Rules

    /// One year's days by rule.
    struct YearRules: Sendable {
        var holidays: [String: String]
        var earlyCloses: [String: String]
    }

    /// Years whose rule days are computed once (the simulator walks every day since 2000).
    static let cachedYears: ClosedRange<Int> = 1990...2200
    static let cache: [YearRules] = cachedYears.map { YearRules(holidays: ruleHolidays(year: $0), earlyCloses: ruleEarlyCloses(year: $0)) }

    static func rules(_ year: Int) -> YearRules {
        if cachedYears.contains(year) { return cache[year - cachedYears.lowerBound] }
        return YearRules(holidays: ruleHolidays(year: year), earlyCloses: ruleEarlyCloses(year: year))
    }

    /// The full holidays of `year` by rule, keyed by the observed date.
    static func ruleHolidays(year: Int) -> [String: String] {
        var days: [String: String] = [:]
        func fixed(_ month: Int, _ day: Int, _ name: String, observeSaturday: Bool = true) {
            let weekday = MarketCalendar.weekday(year, month, day)
            var date: MarketCalendar.YMD = (year, month, day)
            var label = name
            if weekday == 7 {
                guard observeSaturday else { return }
                date = MarketCalendar.previous(date)
                label += " (observed)"
            } else if weekday == 1 {
                date = MarketCalendar.next(date)
                label += " (observed)"
            }
            // A Saturday holiday observed on a Friday of the previous year (31 Dec) is not the year's.
            days[MarketCalendar.key(date.year, date.month, date.day)] = label
        }
        fixed(1, 1, "New Year's Day", observeSaturday: false)
        days[nthWeekday(year, 1, weekday: 2, n: 3)] = "Martin Luther King, Jr. Day"
        days[nthWeekday(year, 2, weekday: 2, n: 3)] = "Washington's Birthday"
        let easter = easterSunday(year)
        let goodFriday = MarketCalendar.previous(MarketCalendar.previous(easter))
        days[MarketCalendar.key(goodFriday.year, goodFriday.month, goodFriday.day)] = "Good Friday"
        days[lastWeekday(year, 5, weekday: 2)] = "Memorial Day"
        if year >= 2022 { fixed(6, 19, "Juneteenth") }
        fixed(7, 4, "Independence Day")
        days[nthWeekday(year, 9, weekday: 2, n: 1)] = "Labor Day"
        days[nthWeekday(year, 11, weekday: 5, n: 4)] = "Thanksgiving Day"
        fixed(12, 25, "Christmas Day")
        // New Year's Day of next year on a Sunday is observed on 2 January (next year's); on a
        // Saturday it is not observed, so 31 December never closes for it.
        return days
    }

    /// The 13:00 early closes of `year` by rule.
    static func ruleEarlyCloses(year: Int) -> [String: String] {
        var days: [String: String] = [:]
        let holidays = ruleHolidays(year: year)
        func add(_ month: Int, _ day: Int, _ reason: String) {
            let weekday = MarketCalendar.weekday(year, month, day)
            let key = MarketCalendar.key(year, month, day)
            guard (2...6).contains(weekday), holidays[key] == nil else { return }
            days[key] = reason
        }
        // The day before Independence Day, when 4 July is Tuesday to Friday (so 3 July is a
        // weekday that is not the observed holiday).
        if (3...6).contains(MarketCalendar.weekday(year, 7, 4)) { add(7, 3, "Day before Independence Day") }
        let thanksgiving = nthWeekdayParts(year, 11, weekday: 5, n: 4)
        let friday = MarketCalendar.next(thanksgiving)
        add(friday.month, friday.day, "Day after Thanksgiving")
        // Christmas Eve, Monday to Thursday.
        if (2...5).contains(MarketCalendar.weekday(year, 12, 24)) { add(12, 24, "Christmas Eve") }
        return days
    }

    /// The `n`th `weekday` (1 = Sunday) of a month.
    static func nthWeekdayParts(_ year: Int, _ month: Int, weekday: Int, n: Int) -> MarketCalendar.YMD {
        let first = MarketCalendar.weekday(year, month, 1)
        let day = 1 + (weekday - first + 7) % 7 + (n - 1) * 7
        return (year, month, day)
    }

    static func nthWeekday(_ year: Int, _ month: Int, weekday: Int, n: Int) -> String {
        let parts = nthWeekdayParts(year, month, weekday: weekday, n: n)
        return MarketCalendar.key(parts.year, parts.month, parts.day)
    }

    static func lastWeekday(_ year: Int, _ month: Int, weekday: Int) -> String {
        let last = MarketCalendar.daysIn(year, month)
        let lastWeekday = MarketCalendar.weekday(year, month, last)
        let day = last - (lastWeekday - weekday + 7) % 7
        return MarketCalendar.key(year, month, day)
    }

    /// Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
    static func easterSunday(_ year: Int) -> MarketCalendar.YMD {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return (year, month, day)
    }
}
