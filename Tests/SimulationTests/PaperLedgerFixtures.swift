import Foundation
@testable import Simulation
import TradingDomain

/// Shared set-up of the paper ledger tests: exact decimals, instants, quotes and order shortcuts.
enum PaperFixtures {
    static func dec(_ text: String) -> Decimal {
        guard let value = Decimal(string: text) else { fatalError("bad decimal \(text)") }
        return value
    }

    static func time(_ text: String) -> Date {
        guard let date = ISO8601.parse(text) else { fatalError("bad time \(text)") }
        return date
    }

    /// Monday 2024-03-11 10:00 New York (EDT), during the session.
    static let monday = time("2024-03-11T14:00:00Z")

    static let aapl = Symbol(trusted: "AAPL")
    static let msft = Symbol(trusted: "MSFT")
    /// AAPL call, strike 100, expiring Friday 2024-06-21.
    static let aaplCall = Symbol(trusted: "AAPL240621C00100000")

    /// Settings without costs unless a test adds them.
    static func settings(slippage: String = "0", commission: String = "0", perContract: String = "0") -> PaperSettings {
        PaperSettings(
            startingCash: 100_000, slippagePerShare: dec(slippage), commissionPerOrder: dec(commission),
            commissionPerContract: dec(perContract))
    }

    static func request(
        _ symbol: Symbol, _ action: OrderAction, _ quantity: Decimal, _ type: OrderType = .market,
        duration: OrderDuration = .day, limit: String? = nil, stop: String? = nil
    ) -> OrderRequest {
        OrderRequest(
            symbol: symbol, action: action, quantity: quantity, type: type, duration: duration,
            limitPrice: limit.map(dec), stopPrice: stop.map(dec))
    }
}

/// A mutable set of quotes with a lookup to hand to the ledger.
struct PaperQuotes {
    var quotes: [Symbol: Quote] = [:]

    mutating func set(_ symbol: Symbol, bid: String? = nil, ask: String? = nil, last: String? = nil) {
        var quote = Quote(symbol: symbol, asOf: PaperFixtures.monday, receivedAt: PaperFixtures.monday, source: "test")
        quote.bid = bid.map(PaperFixtures.dec)
        quote.ask = ask.map(PaperFixtures.dec)
        quote.last = last.map(PaperFixtures.dec)
        quotes[symbol] = quote
    }

    func lookup(_ symbol: Symbol) -> Quote? { quotes[symbol] }
}

extension Array where Element == PaperUpdate {
    var fills: [Fill] {
        compactMap { if case .fill(let fill) = $0 { fill } else { nil } }
    }

    var orders: [BrokerOrder] {
        compactMap { if case .order(let order) = $0 { order } else { nil } }
    }
}

extension PaperLedger {
    /// Places a market order and returns its submission (test shortcut).
    @discardableResult
    mutating func place(_ request: OrderRequest, id: String, at now: Date = PaperFixtures.monday, _ quotes: PaperQuotes) -> PaperSubmission {
        submit(request, clientOrderID: id, now: now, quote: quotes.lookup)
    }
}
