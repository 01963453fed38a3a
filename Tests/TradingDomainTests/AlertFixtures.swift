import APIInput
import Foundation
import TradingDomain

/// Builders shared by the alert tests: fixed times, exact decimals, rules in a given state.
enum AlertFixtures {
    static let start = Date(epochMilliseconds: 1_780_000_000_000)
    static let aapl = Symbol(trusted: "AAPL")
    static let msft = Symbol(trusted: "MSFT")

    /// `start` plus `seconds`.
    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    static func id(_ number: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", number))!
    }

    static func rule(
        _ number: Int = 1, _ type: AlertType, _ threshold: String, symbol: Symbol = aapl,
        direction: PercentDirection? = nil, mode: AlertMode = .once, cooldown: Int? = nil, expiresAt: Date? = nil,
        status: AlertStatus = .active, lastSide: AlertSide = .unknown, lastFiredAt: Date? = nil, fireCount: Int = 0
    ) -> AlertRule {
        AlertRule(
            id: id(number), symbol: symbol, type: type, threshold: dec(threshold), direction: direction, mode: mode,
            cooldownSeconds: cooldown, expiresAt: expiresAt, status: status, createdAt: start, updatedAt: start,
            lastFiredAt: lastFiredAt, fireCount: fireCount, lastSide: lastSide)
    }

    static func book(_ rules: AlertRule...) -> AlertBook {
        var book = AlertBook()
        for rule in rules { book.add(rule) }
        return book
    }

    static func json(_ text: String) -> JSONValue {
        try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

extension AlertBook {
    /// A stream tick at `start + seconds`.
    mutating func tick(_ price: String, at seconds: Double, symbol: Symbol = AlertFixtures.aapl) -> AlertEvaluation {
        evaluate(symbol: symbol, price: AlertFixtures.dec(price), time: AlertFixtures.at(seconds), source: .stream)
    }
}

extension AlertEvaluation {
    /// Compact view of the firings: "id:side@price".
    var fired: [String] {
        firings.map { "\($0.alertID.uuidString.suffix(2)):\($0.side.rawValue)@\($0.price)" }
    }
}
