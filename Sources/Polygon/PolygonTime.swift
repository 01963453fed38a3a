import Foundation

/// Polygon's timestamp units (docs/vendors.md §5, "unit zoo"): WebSocket events and aggregate bars
/// are Unix milliseconds; REST trades, quotes and snapshots (`t`, `y`, `f`, `updated`) are Unix
/// nanoseconds (19 digits, always decoded as `Int64`, never through `Double`).
public enum PolygonTime {
    public static func date(milliseconds: Int64) -> Date {
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1_000)
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(remainder) / 1_000)
    }

    /// `Date` keeps about a tenth of a microsecond at today's epoch; the nanosecond digits beyond
    /// that are lost (spec examples are float-rounded anyway).
    public static func date(nanoseconds: Int64) -> Date {
        let (seconds, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(remainder) / 1_000_000_000)
    }

    /// Unix milliseconds, rounded to the nearest millisecond (for `/range/…/{from}/{to}`).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }

    static let newYork = TimeZone(identifier: "America/New_York")

    /// 00:00 America/New_York of the New York calendar day containing `date`. Used to stamp the
    /// `/prev` daily bar (which Polygon stamps 16:00 ET) like `/range` daily bars (00:00 ET), so both
    /// upsert into the same (symbol, day, start) slot. Returns `date` unchanged if the zone is missing.
    static func startOfNewYorkDay(_ date: Date) -> Date {
        guard let newYork else { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newYork
        return calendar.startOfDay(for: date)
    }
}
