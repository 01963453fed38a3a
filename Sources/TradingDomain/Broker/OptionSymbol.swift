import Foundation

/// The parts of an OCC option symbol: `AAPL230616C00150000` = AAPL, 2023-06-16, call, strike 150.
public struct OptionSymbol: Sendable, Hashable {
    public enum Right: String, Sendable, Hashable, Codable {
        case call
        case put
    }

    public var symbol: Symbol
    public var underlying: Symbol
    public var expirationYear: Int
    public var expirationMonth: Int
    public var expirationDay: Int
    public var right: Right
    /// Strike price (the symbol carries it × 1000 in 8 digits).
    public var strike: Decimal

    /// Nil unless `symbol` is an OCC option symbol with a real calendar date.
    public init?(_ symbol: Symbol) {
        guard symbol.isOption else { return nil }
        let text = Array(symbol.rawValue)
        let rootLength = text.count - 15
        let date = String(text[rootLength..<(rootLength + 6)])
        guard let yy = Int(date.prefix(2)), let mm = Int(date.dropFirst(2).prefix(2)), let dd = Int(date.suffix(2)),
              (1...12).contains(mm), (1...31).contains(dd),
              let strikeThousandths = Decimal(string: String(text[(rootLength + 7)...]))
        else { return nil }
        self.symbol = symbol
        underlying = Symbol(trusted: String(text[0..<rootLength]))
        expirationYear = 2000 + yy
        expirationMonth = mm
        expirationDay = dd
        right = text[rootLength + 6] == "C" ? .call : .put
        strike = strikeThousandths / 1000
    }

    /// The expiration's market close (16:00 New York time) as an instant.
    public var expiration: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600)!
        let components = DateComponents(year: expirationYear, month: expirationMonth, day: expirationDay, hour: 16)
        return calendar.date(from: components) ?? Date.distantFuture
    }
}
