import Foundation
import TradingDomain
@testable import Simulation
import Testing
@testable import TradingDomain

/// Cash, positions, options, refusals and the stored document of the paper ledger.
@Suite("Paper ledger: bookkeeping")
struct PaperLedgerBookkeepingTests {
    typealias F = PaperFixtures
    let now = F.monday

    @Test("short then cover: proceeds to cash, realised P&L on the cover, position removed at 0")
    func shortThenCover() {
        var ledger = PaperLedger(settings: F.settings())
        var quotes = PaperQuotes()
        quotes.set(F.msft, bid: "50", ask: "50.05", last: "50.02")
        let short = ledger.place(F.request(F.msft, .sellShort, 100), id: "s", quotes)
        #expect(short.order.status == .filled)
        #expect(ledger.cash == 105_000)
        #expect(ledger.positions() == [BrokerPosition(symbol: F.msft, quantity: -100, averagePrice: 50, openedAt: now)])
        let account = ledger.account(now: now, quote: quotes.lookup)
        #expect(account.shortMarketValue == 5_002)
        #expect(account.equity == 99_998, "cash 105,000 less the 5,002 short at the last price")
        #expect(account.buyingPower == 97_497, "cash less 150 % of the 5,002 short")

        quotes.set(F.msft, bid: "44.90", ask: "45", last: "44.95")
        let cover = ledger.place(F.request(F.msft, .buyToCover, 100), id: "c", quotes)
        #expect(cover.updates.fills.map(\.price) == [45])
        #expect(ledger.cash == 100_500)
        #expect(ledger.positions().isEmpty)
        #expect(ledger.realizedPnL == 500)
        #expect(ledger.account(now: now, quote: quotes.lookup).realizedPnLToday == 500)
        #expect(ledger.account(now: now.addingTimeInterval(86_400), quote: quotes.lookup).realizedPnLToday == 0)
    }

    @Test("adds average the price; reductions realise against it; a fill through 0 flips the position")
    func averagingAndFlip() {
        var ledger = PaperLedger(settings: F.settings())
        func fill(_ action: OrderAction, _ quantity: Decimal, _ price: String, _ id: String) {
            ledger.apply(Fill(
                id: id, clientOrderID: id, symbol: F.aapl, action: action, quantity: quantity, price: F.dec(price),
                commission: 0, time: now))
        }
        fill(.buy, 100, "10", "a")
        fill(.buy, 100, "12", "b")
        #expect(ledger.position(for: F.aapl)?.averagePrice == 11)
        fill(.sell, 50, "13", "c")
        #expect(ledger.position(for: F.aapl)?.quantity == 150)
        #expect(ledger.position(for: F.aapl)?.averagePrice == 11)
        #expect(ledger.realizedPnL == 100)
        let later = now.addingTimeInterval(60)
        ledger.apply(Fill(id: "d", clientOrderID: "d", symbol: F.aapl, action: .sell, quantity: 200, price: 9, commission: 0, time: later))
        let flipped = ledger.position(for: F.aapl)
        #expect(flipped?.quantity == -50)
        #expect(flipped?.averagePrice == 9)
        #expect(flipped?.openedAt == later)
        #expect(ledger.realizedPnL == -200, "+100, then 150 × (9 − 11)")
        #expect(ledger.cash == 100_250, "100,000 − 1,000 − 1,200 + 650 + 1,800")
    }

    @Test("commissions: per order, plus per contract for options, come off cash")
    func commissions() {
        var ledger = PaperLedger(settings: F.settings(commission: "1", perContract: "0.65"))
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100", last: "100")
        let stock = ledger.place(F.request(F.aapl, .buy, 10), id: "s", quotes)
        #expect(stock.updates.fills.first?.commission == 1)
        let option = ledger.place(F.request(F.aaplCall, .buyToOpen, 3), id: "o", quotes)
        #expect(option.updates.fills.first?.commission == F.dec("2.95"))
        #expect(ledger.commissionsPaid == F.dec("3.95"))
    }

    @Test("an option is priced by Black–Scholes from its underlying, × 100 per contract")
    func optionViaBlackScholes() throws {
        let settings = F.settings(perContract: "0.65")
        var ledger = PaperLedger(settings: settings)
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "99.9", ask: "100.1", last: "100")
        let option = try #require(OptionSymbol(F.aaplCall))
        let theoretical = BlackScholes.price(
            .call, underlying: 100, strike: 100,
            yearsToExpiry: BlackScholes.yearsToExpiry(from: now, to: option.expiration),
            volatility: settings.optionVolatility, rate: settings.riskFreeRate)
        #expect(theoretical > 5 && theoretical < 8, "about 6.5 for 102 days at 30 %")
        let half = max(F.dec("0.01"), (theoretical / 100).rounded(scale: 2))
        let buy = ledger.place(F.request(F.aaplCall, .buyToOpen, 2), id: "o", quotes)
        #expect(buy.updates.fills.map(\.price) == [theoretical + half])
        #expect(ledger.cash == 100_000 - 2 * 100 * (theoretical + half) - F.dec("1.30"))
        #expect(ledger.positions().first?.quantity == 2)
        let account = ledger.account(now: now, quote: quotes.lookup)
        #expect(account.longMarketValue == 200 * theoretical)
        #expect(ledger.symbolsOfInterest == [F.aapl], "options need their underlying's quotes")

        quotes.set(F.aapl, bid: "109.9", ask: "110.1", last: "110")
        let sell = ledger.place(F.request(F.aaplCall, .sellToClose, 2), id: "x", quotes)
        let price = try #require(sell.updates.fills.first?.price)
        #expect(price > theoretical + 5, "the call gained with the underlying")
        #expect(ledger.realizedPnL == 200 * (price - theoretical - half))
    }

    @Test("refusals: buying power, more than held, wrong side, shorts turned off, wrong action for the symbol")
    func refusals() {
        var settings = F.settings()
        var ledger = PaperLedger(settings: settings)
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100", last: "100")
        #expect(ledger.place(F.request(F.aapl, .buy, 1_001), id: "a", quotes).rejection?.code == "insufficient_buying_power")
        #expect(ledger.place(F.request(F.aapl, .buy, 1_000), id: "b", quotes).order.status == .filled)
        #expect(ledger.cash == 0)
        #expect(ledger.place(F.request(F.aapl, .sell, 1_001), id: "c", quotes).rejection?.code == "insufficient_position")
        #expect(ledger.place(F.request(F.aapl, .sellShort, 1), id: "d", quotes).rejection?.code == "position_is_long")
        #expect(ledger.place(F.request(F.aapl, .buyToCover, 1), id: "e", quotes).rejection?.code == "insufficient_position")
        #expect(ledger.place(F.request(F.aapl, .buyToOpen, 1), id: "f", quotes).rejection?.code == "wrong_action")
        #expect(ledger.place(F.request(F.aaplCall, .buy, 1), id: "g", quotes).rejection?.code == "wrong_action")
        #expect(ledger.place(F.request(F.aapl, .buy, F.dec("1.5"), .limit, limit: "1"), id: "h", quotes).rejection?.code == "invalid_quantity")
        #expect(ledger.place(F.request(F.aapl, .buy, 1, .limit), id: "i", quotes).rejection?.code == "missing_limit_price")
        let rejected = ledger.order(clientOrderID: "a")
        #expect(rejected?.status == .rejected)
        #expect(rejected?.brokerOrderID == nil)
        #expect(rejected?.reason?.contains("buying power") == true)

        settings.allowShort = false
        var noShorts = PaperLedger(settings: settings)
        #expect(noShorts.place(F.request(F.msft, .sellShort, 1, .limit, limit: "5"), id: "s", quotes).rejection?.code == "short_not_allowed")
    }

    @Test("two closing orders on one position: the second to fill is rejected, never flipping the position")
    func bracketLegs() {
        var ledger = PaperLedger(settings: F.settings())
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100", last: "100")
        ledger.place(F.request(F.aapl, .buy, 10), id: "entry", quotes)
        ledger.place(F.request(F.aapl, .sell, 10, .limit, duration: .gtc, limit: "110"), id: "target", quotes)
        ledger.place(F.request(F.aapl, .sell, 10, .stop, duration: .gtc, stop: "90"), id: "stop", quotes)
        quotes.set(F.aapl, bid: "111", ask: "111", last: "111")
        #expect(ledger.match(now: now, quote: quotes.lookup).fills.map(\.clientOrderID) == ["target"])
        quotes.set(F.aapl, bid: "89", ask: "89", last: "89")
        let updates = ledger.match(now: now, quote: quotes.lookup)
        #expect(updates.fills.isEmpty)
        #expect(updates.orders.map(\.status) == [.rejected])
        #expect(ledger.positions().isEmpty)
    }

    @Test("the stored document round-trips exactly, and old orders and fills are trimmed")
    func codableRoundTrip() throws {
        var ledger = PaperLedger(settings: F.settings(slippage: "0.013", commission: "0.35", perContract: "0.65"))
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "187.31", ask: "187.33", last: "187.32")
        ledger.place(F.request(F.aapl, .buy, 7), id: "a", quotes)
        ledger.place(F.request(F.aaplCall, .buyToOpen, 1), id: "o", quotes)
        ledger.place(F.request(F.msft, .sellShort, 3, .stopLimit, duration: .gtc, limit: "401.5", stop: "402"), id: "sl", quotes)
        ledger.place(F.request(F.aapl, .sell, 3, .limit, limit: "190.125"), id: "l", quotes)
        ledger.place(F.request(F.aapl, .sell, 99), id: "r", quotes)
        quotes.set(F.msft, bid: "401", ask: "401.2", last: "401.9")
        _ = ledger.match(now: now, quote: quotes.lookup)
        #expect(ledger.workingOrders.first { $0.order.clientOrderID == "sl" }?.triggered == true)

        let copy = try PaperLedger(document: ledger.document())
        #expect(copy == ledger)
        #expect(copy.cash == ledger.cash)
        #expect(copy.cash.fractionDigits == ledger.cash.fractionDigits)

        var big = PaperLedger(settings: F.settings())
        quotes.set(F.aapl, bid: "1", ask: "1", last: "1")
        for index in 0..<2_100 {
            big.place(F.request(F.aapl, index.isMultiple(of: 2) ? .buy : .sell, 1), id: "t\(index)", quotes)
        }
        #expect(big.finishedOrders.count == PaperLedger.maxFinishedOrders)
        #expect(big.finishedOrders.last?.clientOrderID == "t2099")
        #expect(big.fills.count == PaperLedger.maxFills)
        #expect(big.fills.first?.clientOrderID == "t100")
        #expect(big.nextOrderNumber == 2_101)
    }

    @Test("settings missing from an old document take their defaults")
    func settingsDefaults() throws {
        let settings = try JSONDecoder().decode(PaperSettings.self, from: Data(#"{"startingCash": 25000}"#.utf8))
        #expect(settings.startingCash == 25_000)
        #expect(settings.commissionPerContract == F.dec("0.65"))
        #expect(settings.allowShort)
    }
}
