import Foundation
import TradingDomain
@testable import Simulation

func utc(_ text: String) -> Date {
    guard let date = ISO8601.parse(text) else { fatalError("bad test time \(text)") }
    return date
}

/// New York wall-clock parts of `date`, computed independently of `TradingCalendar`.
func newYork(_ date: Date) -> (day: String, minuteOfDay: Int, weekday: Int) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "America/New_York")!
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
    let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    return (day, parts.hour! * 60 + parts.minute!, parts.weekday! - 1)
}

/// True when `value` is a whole number of cents.
func onCentGrid(_ value: Decimal) -> Bool {
    value == value.rounded(scale: 2)
}

func isConsistent(_ bar: Bar) -> Bool {
    bar.low > 0 && bar.low <= bar.high && bar.open >= bar.low && bar.open <= bar.high && bar.close >= bar.low
        && bar.close <= bar.high && bar.volume >= 0
}

extension MarketEvent {
    var trade: Trade? {
        if case .trade(let trade) = self { return trade }
        return nil
    }

    var quote: BidAsk? {
        if case .quote(let quote) = self { return quote }
        return nil
    }

    var bar: Bar? {
        if case .bar(let bar) = self { return bar }
        return nil
    }
}
