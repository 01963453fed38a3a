import Foundation

/// ISO-8601 parsing and formatting in UTC with millisecond precision (the API's time format).
public enum ISO8601 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` strictly: impossible dates such as
    /// February 30th are refused rather than rolled over into March.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        func char(_ index: Int, _ expected: Character) -> Bool { bytes[index] == expected.asciiValue }
        guard let year = number(0..<4), char(4, "-"), let month = number(5..<7), char(7, "-"), let day = number(8..<10),
              char(10, "T") || char(10, "t"), let hour = number(11..<13), char(13, ":"), let minute = number(14..<16),
              char(16, ":"), let second = number(17..<19)
        else { return nil }
        var index = 19
        var nanoseconds = 0
        if char(index, ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanoseconds *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        if char(index, "Z") || char(index, "z") {
            guard index + 1 == bytes.count else { return nil }
        } else if char(index, "+") || char(index, "-") {
            guard index + 6 == bytes.count, let hours = number((index + 1)..<(index + 3)), char(index + 3, ":"),
                  let minutes = number((index + 4)..<(index + 6)), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (char(index, "-") ? -1 : 1)
        } else {
            return nil
        }
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60,
              (1...daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let base = calendar.date(from: components) else { return nil }
        return base.addingTimeInterval(TimeInterval(-offsetSeconds) + TimeInterval(nanoseconds) / 1e9)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
