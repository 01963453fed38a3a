import Foundation

/// Tradier's date formats (docs/vendors.md §2.5), read without `DateFormatter`:
///
/// | wire | example | meaning |
/// |---|---|---|
/// | ISO with `Z` (ms or ns fraction) | `2018-06-01T12:02:29.682Z` | UTC |
/// | ISO with offset | `2018-06-01T08:02:29-04:00` | that offset |
/// | ISO without zone | `2019-05-14T15:56:47.371` (preview, timesales) | New York wall clock |
/// | date only | `2019-05-06` | New York midnight |
/// | number ≥ 10¹¹ or digit string | `1440490442000`, `"1557757189000"` | epoch milliseconds |
/// | smaller number | `1557156988` | epoch seconds |
public enum TradierDates {
    /// The exchange's time zone, used for zone-less wall-clock times.
    public static let newYork = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600) ?? .gmt

    /// A date from a JSON number or string in any format of the table; nil for `null`/`"null"` and junk.
    public static func parse(_ value: TradierJSON) -> Date? {
        switch value {
        case .number(let text):
            return epoch(text)
        case .string(let text):
            if value.isEmptyValue { return nil }
            if text.allSatisfy(\.isASCIIDigitCharacter) { return epoch(text) }
            return iso(text)
        default:
            return nil
        }
    }

    /// Epoch seconds or milliseconds (by magnitude: ≥ 10¹¹ can only be milliseconds for dates after 1973).
    static func epoch(_ text: String) -> Date? {
        guard let number = TradierJSON.exactDecimal(text) else { return nil }
        let seconds = NSDecimalNumber(decimal: number >= 100_000_000_000 ? number / 1000 : number).doubleValue
        return Date(timeIntervalSince1970: seconds)
    }

    /// `yyyy-MM-dd[THH:mm[:ss[.fraction]]][Z|±hh:mm|±hhmm]`; a space may replace the `T`.
    public static func iso(_ text: String) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func number(_ width: Int) -> Int? {
            guard chars.count - index >= width else { return nil }
            let slice = chars[index..<(index + width)]
            guard slice.allSatisfy(\.isASCIIDigitCharacter), let value = Int(String(slice)) else { return nil }
            index += width
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < chars.count, chars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction: Double = 0
        var zone: TimeZone? = nil
        if index < chars.count, chars[index] == "T" || chars[index] == " " {
            index += 1
            guard let hour = number(2), expect(":"), let minute = number(2) else { return nil }
            components.hour = hour
            components.minute = minute
            if expect(":") {
                guard let second = number(2) else { return nil }
                components.second = second
                if expect(".") {
                    let start = index
                    while index < chars.count, chars[index].isASCIIDigitCharacter { index += 1 }
                    guard index > start else { return nil }
                    fraction = Double("0." + String(chars[start..<index])) ?? 0
                }
            }
            if expect("Z") || expect("z") {
                zone = TimeZone(secondsFromGMT: 0)
            } else if index < chars.count, chars[index] == "+" || chars[index] == "-" {
                let sign = chars[index] == "-" ? -1 : 1
                index += 1
                guard let hours = number(2) else { return nil }
                _ = expect(":")
                let minutes = number(2) ?? 0
                zone = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60))
            }
        }
        guard index == chars.count, (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? newYork
        guard let date = calendar.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
