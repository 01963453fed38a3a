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
}
