import Foundation
import TradingDomain
@testable import Simulation
import Testing
@testable import TradingDomain

/// Order types, prices and the session clock of the paper ledger.
@Suite("Paper ledger: matching")
struct PaperLedgerTests {
    typealias F = PaperFixtures
    let now = F.monday

    @Test("a market buy fills at the ask plus slippage, a market sell at the bid minus slippage")
    func marketOrders() {
        var ledger = PaperLedger(settings: F.settings(slippage: "0.02", commission: "1"))
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100.00", ask: "100.10", last: "100.05")
        let buy = ledger.place(F.request(F.aapl, .buy, 10), id: "c1", quotes)
        #expect(buy.order.brokerOrderID == "P-1")
        #expect(buy.updates.orders.map(\.status) == [.open, .filled])
        #expect(buy.updates.fills.map(\.price) == [F.dec("100.12")])
        #expect(buy.updates.fills.first?.id == "c1#1")
        #expect(buy.order.status == .filled)
        #expect(buy.order.averageFillPrice == F.dec("100.12"))
        #expect(buy.order.filledQuantity == 10)
        #expect(ledger.cash == 100_000 - F.dec("1001.2") - 1)

        let sell = ledger.place(F.request(F.aapl, .sell, 10), id: "c2", quotes)
        #expect(sell.order.brokerOrderID == "P-2")
        #expect(sell.updates.fills.map(\.price) == [F.dec("99.98")])
        #expect(ledger.cash == 100_000 - F.dec("1001.2") - 1 + F.dec("999.8") - 1)
        #expect(ledger.positions().isEmpty)
        #expect(ledger.realizedPnL == F.dec("-1.4"))
        #expect(ledger.commissionsPaid == 2)
    }

    @Test("slippage in basis points is taken on the price; without bid and ask the last trade is used")
    func basisPointsAndLast() {
        var settings = F.settings()
        settings.slippageBasisPoints = 10
        var ledger = PaperLedger(settings: settings)
        var quotes = PaperQuotes()
        quotes.set(F.aapl, last: "200")
        let buy = ledger.place(F.request(F.aapl, .buy, 1), id: "c1", quotes)
        #expect(buy.updates.fills.map(\.price) == [F.dec("200.2")])
    }

    @Test("a market order without any price is rejected; a limit order without one waits")
    func noPrice() {
        var ledger = PaperLedger(settings: F.settings())
        let quotes = PaperQuotes()
        let market = ledger.place(F.request(F.aapl, .buy, 1), id: "c1", quotes)
        #expect(market.rejection?.code == "no_price")
        #expect(market.order.status == .rejected)
        #expect(market.updates.orders.map(\.status) == [.rejected])
        let limit = ledger.place(F.request(F.aapl, .buy, 1, .limit, limit: "10"), id: "c2", quotes)
        #expect(limit.order.status == .open)
        if case .success(let preview) = ledger.preview(F.request(F.aapl, .buy, 1, .limit, limit: "10"), now: now, quote: quotes.lookup) {
            #expect(preview.warnings.count == 1)
            #expect(preview.estimatedCost == 10)
        } else {
            Issue.record("preview of a limit order without a quote should pass")
        }
    }

    @Test("a limit buy fills only when the ask reaches the limit, at the better price; a limit sell likewise")
    func limitOrders() {
        var ledger = PaperLedger(settings: F.settings(slippage: "0.05"))
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100.00", ask: "100.10", last: "100.05")
        let buy = ledger.place(F.request(F.aapl, .buy, 5, .limit, limit: "99.50"), id: "b", quotes)
        #expect(buy.order.status == .open)
        quotes.set(F.aapl, bid: "99.50", ask: "99.51", last: "99.50")
        #expect(ledger.match(now: now, quote: quotes.lookup).isEmpty, "ask 99.51 > limit 99.50")
        quotes.set(F.aapl, bid: "99.20", ask: "99.25", last: "99.20")
        let filled = ledger.match(now: now, quote: quotes.lookup)
        #expect(filled.fills.map(\.price) == [F.dec("99.25")], "min(limit, ask), no slippage on limits")
        #expect(ledger.quantity(of: F.aapl) == 5)

        ledger.place(F.request(F.aapl, .sell, 5, .limit, limit: "101"), id: "s", quotes)
        quotes.set(F.aapl, bid: "100.99", ask: "101.05", last: "101.02")
        #expect(ledger.match(now: now, quote: quotes.lookup).isEmpty, "bid below the limit")
        quotes.set(F.aapl, bid: "101.30", ask: "101.35", last: "101.30")
        #expect(ledger.match(now: now, quote: quotes.lookup).fills.map(\.price) == [F.dec("101.30")])
        #expect(ledger.positions().isEmpty)
    }

    @Test("a buy stop triggers when the last reaches the stop and fills as market; a sell stop the other way")
    func stopOrders() {
        var ledger = PaperLedger(settings: F.settings(slippage: "0.01"))
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100.40", ask: "100.50", last: "100.45")
        ledger.place(F.request(F.aapl, .buy, 10, .stop, stop: "101"), id: "b", quotes)
        #expect(ledger.workingOrders.first?.triggered == false)
        quotes.set(F.aapl, bid: "100.95", ask: "101.05", last: "100.99")
        #expect(ledger.match(now: now, quote: quotes.lookup).isEmpty, "last 100.99 < stop 101")
        quotes.set(F.aapl, bid: "101.10", ask: "101.20", last: "101.15")
        #expect(ledger.match(now: now, quote: quotes.lookup).fills.map(\.price) == [F.dec("101.21")])

        ledger.place(F.request(F.aapl, .sell, 10, .stop, stop: "99"), id: "s", quotes)
        quotes.set(F.aapl, bid: "99.00", ask: "99.10", last: "99.05")
        #expect(ledger.match(now: now, quote: quotes.lookup).isEmpty, "last above the stop")
        quotes.set(F.aapl, bid: "98.80", ask: "98.90", last: "98.85")
        #expect(ledger.match(now: now, quote: quotes.lookup).fills.map(\.price) == [F.dec("98.79")])
    }

    @Test("a stop-limit triggers, then waits as a limit (triggered is remembered), then fills at the limit or better")
    func stopLimit() {
        var ledger = PaperLedger(settings: F.settings())
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100.10", last: "100.05")
        ledger.place(F.request(F.aapl, .buy, 10), id: "entry", quotes)
        ledger.place(F.request(F.aapl, .sell, 10, .stopLimit, limit: "94.50", stop: "95"), id: "sl", quotes)
        let revision = ledger.revision
        quotes.set(F.aapl, bid: "94.00", ask: "94.10", last: "94.00")
        #expect(ledger.match(now: now, quote: quotes.lookup).isEmpty, "gapped below the limit")
        #expect(ledger.workingOrders.first?.triggered == true)
        #expect(ledger.revision > revision, "the trigger is a change to store")
        quotes.set(F.aapl, bid: "94.60", ask: "95.20", last: "95.10")
        #expect(ledger.match(now: now, quote: quotes.lookup).fills.map(\.price) == [F.dec("94.60")], "still triggered above the stop")
    }

    @Test("day orders expire at 16:00 New York on the day placed, in winter and in summer time; gtc stays")
    func dayExpiryAcrossDST() {
        var ledger = PaperLedger(settings: F.settings())
        let quotes = PaperQuotes()
        let summer = F.time("2024-03-11T14:00:00Z")  // Monday 10:00 EDT → close 20:00Z
        let winter = F.time("2024-01-10T15:00:00Z")  // Wednesday 10:00 EST → close 21:00Z
        let friday = F.time("2024-03-08T22:00:00Z")  // Friday 17:00 EST, after the close
        ledger.place(F.request(F.aapl, .buy, 1, .limit, limit: "1"), id: "winter", at: winter, quotes)
        ledger.place(F.request(F.aapl, .buy, 1, .limit, limit: "1"), id: "friday", at: friday, quotes)
        ledger.place(F.request(F.aapl, .buy, 1, .limit, limit: "1"), id: "summer", at: summer, quotes)
        ledger.place(F.request(F.aapl, .buy, 1, .limit, duration: .gtc, limit: "1"), id: "gtc", at: winter, quotes)

        #expect(ledger.expireDayOrders(now: F.time("2024-01-10T20:59:59Z")).isEmpty)
        #expect(ledger.expireDayOrders(now: F.time("2024-01-10T21:00:00Z")).orders.map(\.clientOrderID) == ["winter"])
        #expect(ledger.expireDayOrders(now: F.time("2024-03-09T21:00:00Z")).isEmpty, "Friday after-hours order waits for Monday")
        #expect(ledger.expireDayOrders(now: F.time("2024-03-11T19:59:59Z")).isEmpty)
        let monday = ledger.expireDayOrders(now: F.time("2024-03-11T20:00:00Z")).orders
        #expect(Set(monday.map(\.clientOrderID)) == ["friday", "summer"])
        #expect(monday.allSatisfy { $0.status == .expired })
        #expect(ledger.workingOrders.map(\.order.clientOrderID) == ["gtc"])
        #expect(ledger.expireDayOrders(now: F.time("2025-01-01T00:00:00Z")).isEmpty, "gtc never expires")
    }

    @Test("a day order's expiry is its session's close (across DST and weekends), and the New York day")
    func sessionClock() {
        func expiry(_ time: String) -> Date? {
            try? OrderSessionRules.plan(.day, at: F.time(time), calendar: MarketCalendar()).get().expiresAt
        }
        #expect(expiry("2024-11-01T19:59:00Z") == F.time("2024-11-01T20:00:00Z"))
        #expect(expiry("2024-11-04T15:00:00Z") == F.time("2024-11-04T21:00:00Z"))
        #expect(expiry("2024-11-01T20:00:00Z") == F.time("2024-11-04T21:00:00Z"))
        #expect(PaperSession.day(of: F.time("2024-03-11T03:00:00Z")) == "2024-03-10")
    }

    @Test("a modify that makes a limit marketable fills it; a gtc→day change sets the expiry")
    func modify() throws {
        var ledger = PaperLedger(settings: F.settings())
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100.10", last: "100.05")
        let placed = ledger.place(F.request(F.aapl, .buy, 1, .limit, duration: .gtc, limit: "90"), id: "c", quotes)
        let id = try #require(placed.order.brokerOrderID)
        let later = now.addingTimeInterval(60)
        let changed = try ledger.modify(brokerOrderID: id, duration: .day, limitPrice: F.dec("95"), now: later, quote: quotes.lookup)
        #expect(changed.orders.last?.request.limitPrice == F.dec("95"))
        #expect(ledger.workingOrders.first?.expiresAt == F.time("2024-03-11T20:00:00Z"))
        let filled = try ledger.modify(brokerOrderID: id, limitPrice: F.dec("101"), now: later, quote: quotes.lookup)
        #expect(filled.fills.map(\.price) == [F.dec("100.10")])
        #expect(throws: PaperLedgerError.self) {
            try ledger.modify(brokerOrderID: id, limitPrice: 1, now: later, quote: quotes.lookup)
        }
        #expect(throws: PaperLedgerError.notFound("P-99")) {
            try ledger.modify(brokerOrderID: "P-99", limitPrice: 1, now: later, quote: quotes.lookup)
        }
    }

    @Test("cancel: a working order is canceled; a final one is left alone; an unknown id is not found")
    func cancel() throws {
        var ledger = PaperLedger(settings: F.settings())
        var quotes = PaperQuotes()
        quotes.set(F.aapl, bid: "100", ask: "100.10", last: "100.05")
        let working = ledger.place(F.request(F.aapl, .buy, 1, .limit, limit: "90"), id: "w", quotes)
        let canceled = try ledger.cancel(brokerOrderID: try #require(working.order.brokerOrderID), now: now)
        #expect(canceled.orders.map(\.status) == [.canceled])
        let filled = ledger.place(F.request(F.aapl, .buy, 1), id: "f", quotes)
        let before = ledger
        #expect(try ledger.cancel(brokerOrderID: try #require(filled.order.brokerOrderID), now: now).isEmpty)
        #expect(try ledger.cancel(brokerOrderID: try #require(working.order.brokerOrderID), now: now).isEmpty)
        #expect(ledger == before, "no change at all")
        #expect(throws: PaperLedgerError.notFound("P-42")) { try ledger.cancel(brokerOrderID: "P-42", now: now) }
    }
}
