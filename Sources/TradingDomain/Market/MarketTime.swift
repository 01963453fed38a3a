import Foundation

/// Market time is New York time: the trading day, sessions and expiries are judged in
/// America/New_York whatever the host's zone.
public enum MarketTime {
    /// The gregorian calendar in America/New_York.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600) ?? .current
        return calendar
    }()

    /// The New York calendar day of `date` as `yyyy-MM-dd`.
    public static func day(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 0, month = parts.month ?? 0, day = parts.day ?? 0
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `HH:mm` in New York.
    public static func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// `Fri 2026-11-27` in New York.
    public static func weekdayDay(_ date: Date) -> String {
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let weekday = calendar.component(.weekday, from: date)
        return "\(names[(weekday - 1 + 7) % 7]) \(day(of: date))"
    }

    /// Both instants fall on the same New York calendar day.
    public static func sameDay(_ a: Date, _ b: Date) -> Bool { day(of: a) == day(of: b) }
}
