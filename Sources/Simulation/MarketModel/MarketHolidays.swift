/// Full-day closures of the US stock exchanges (NYSE rules), computed from the rules rather than a
/// table that goes out of date, plus the unscheduled closures since 2001. Early closes (13:00 on
/// some eves) are not modelled: the simulated session is always 09:30–16:00.
public enum MarketHolidays {
    public static func isHoliday(_ day: TradingDay) -> Bool {
        if unscheduled.contains(day.number) { return true }
        let (year, month, date) = day.civil
        let weekday = day.weekday
        switch month {
        case 1:
            // New Year's Day (a Sunday moves to Monday; a Saturday is not made up on Friday),
            // Martin Luther King Jr. Day (third Monday, since 1998).
            if date == 1 && weekday != 0 && weekday != 6 { return true }
            if date == 2 && weekday == 1 { return true }
            return year >= 1998 && weekday == 1 && (15...21).contains(date)
        case 2:
            return weekday == 1 && (15...21).contains(date)  // Washington's Birthday
        case 3, 4:
            return day == easter(year).adding(days: -2)  // Good Friday
        case 5:
            return weekday == 1 && date >= 25  // Memorial Day, last Monday
        case 6:
            return year >= 2022 && isObserved(month: 6, day: 19, date: date, weekday: weekday)  // Juneteenth
        case 7:
            return isObserved(month: 7, day: 4, date: date, weekday: weekday)  // Independence Day
        case 9:
            return weekday == 1 && date <= 7  // Labor Day
        case 11:
            return weekday == 4 && (22...28).contains(date)  // Thanksgiving
        case 12:
            return isObserved(month: 12, day: 25, date: date, weekday: weekday)  // Christmas
        default:
            return false
        }
    }

    /// A fixed-date holiday observed on the Friday before when it falls on a Saturday and the
    /// Monday after when it falls on a Sunday.
    private static func isObserved(month: Int, day holiday: Int, date: Int, weekday: Int) -> Bool {
        if date == holiday { return weekday != 0 && weekday != 6 }
        if date == holiday - 1 { return weekday == 5 }
        if date == holiday + 1 { return weekday == 1 }
        return false
    }

    /// Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm).
    static func easter(_ year: Int) -> TradingDay {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return TradingDay(year: year, month: month, day: day)
    }

    /// Closures not set by rule: 9/11, Reagan, Ford, Hurricane Sandy, G. H. W. Bush, Carter.
    private static let unscheduled: Set<Int64> = {
        let dates = [
            (2001, 9, 11), (2001, 9, 12), (2001, 9, 13), (2001, 9, 14), (2004, 6, 11), (2007, 1, 2),
            (2012, 10, 29), (2012, 10, 30), (2018, 12, 5), (2025, 1, 9),
        ]
        return Set(dates.map { TradingDay(year: $0.0, month: $0.1, day: $0.2).number })
    }()
}
