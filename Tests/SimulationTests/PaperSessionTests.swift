import Foundation
import Testing
@testable import Simulation
import TradingDomain

/// The paper ledger's session rules (docs/orders.md): with the clock at a Saturday, Thanksgiving,
/// 12:59 / 13:01 on the early close and 03:59 / 04:00 / 09:30 / 16:00 / 20:00 on an ordinary day.
@Suite("Paper ledger: sessions")
struct PaperSessionTests {
    typealias F = PaperFixtures

    static func ny(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
    }

    /// Quotes stamped with when they were received (the session rule reads that).
    struct Quotes {
        var quotes: [Symbol: Quote] = [:]
        mutating func set(_ symbol: Symbol = F.aapl, bid: Decimal, ask: Decimal, last: Decimal, at time: Date) {
            var quote = Quote(symbol: symbol, asOf: time, receivedAt: time, source: "test")
            quote.bid = bid
            quote.ask = ask
            quote.last = last
            quotes[symbol] = quote
        }
        func lookup(_ symbol: Symbol) -> Quote? { quotes[symbol] }
    }

    func ledger() -> PaperLedger { PaperLedger(settings: F.settings()) }

    @Test("a market order on Sunday does not fill at Friday's price: it is queued, says so, and fills at Monday's first price")
    func sundayMarketOrder() throws {
        var ledger = ledger()
        var quotes = Quotes()
        quotes.set(bid: 99, ask: 101, last: 100, at: Self.ny("2026-12-04", 15, 59))
        let sunday = Self.ny("2026-12-06", 15)
        let submission = ledger.submit(F.request(F.aapl, .buy, 10), clientOrderID: "o1", now: sunday, quote: quotes.lookup)
        #expect(submission.updates.fills.isEmpty)
        #expect(submission.order.status == .open)
        #expect(submission.order.reason?.contains("queued") == true)
        #expect(submission.order.reason?.contains("Mon 2026-12-07 09:30 New York time") == true, "\(submission.order.reason ?? "")")
        #expect(ledger.match(now: sunday, quote: quotes.lookup).isEmpty)
        // 09:30 Monday, only Friday's quote known: still waiting.
        let open = Self.ny("2026-12-07", 9, 30)
        #expect(ledger.match(now: open, quote: quotes.lookup).fills.isEmpty)
        quotes.set(bid: 107, ask: 108, last: "107.5".dec, at: open.addingTimeInterval(2))
        let fills = ledger.match(now: open.addingTimeInterval(2), quote: quotes.lookup).fills
        #expect(fills.map(\.price) == [108], "Monday's ask, not Friday's 101")
        #expect(ledger.expireDayOrders(now: Self.ny("2026-12-07", 16)).isEmpty)
    }

    @Test("Saturday and Thanksgiving: nothing fills; a day order placed on Thanksgiving expires at 13:00 the next day")
    func closedDays() throws {
        var ledger = ledger()
        var quotes = Quotes()
        let saturday = Self.ny("2026-11-28", 12)
        quotes.set(bid: 99, ask: 101, last: 100, at: saturday)
        let limit = F.request(F.aapl, .buy, 1, .limit, limit: "150")
        #expect(ledger.submit(limit, clientOrderID: "sat", now: saturday, quote: quotes.lookup).updates.fills.isEmpty)
        let thanksgiving = Self.ny("2026-11-26", 10)
        var other = self.ledger()
        quotes.set(bid: 99, ask: 101, last: 100, at: thanksgiving)
        #expect(other.submit(limit, clientOrderID: "hol", now: thanksgiving, quote: quotes.lookup).updates.fills.isEmpty)
        #expect(other.workingOrders.first?.expiresAt == Self.ny("2026-11-27", 13))
        let expired = other.expireDayOrders(now: Self.ny("2026-11-27", 13)).orders
        #expect(expired.map(\.status) == [.expired])
        #expect(expired.first?.reason?.contains("13:00") == true)
    }

    @Test("the early close: a day order fills at 12:59 and one still working expires at 13:00; at 13:01 only post orders fill")
    func earlyClose() throws {
        var ledger = ledger()
        var quotes = Quotes()
        let before = Self.ny("2026-11-27", 12, 59)
        quotes.set(bid: 99, ask: 101, last: 100, at: before)
        #expect(ledger.submit(F.request(F.aapl, .buy, 1), clientOrderID: "m", now: before, quote: quotes.lookup).updates.fills.count == 1)
        _ = ledger.submit(F.request(F.aapl, .buy, 1, .limit, limit: "90"), clientOrderID: "l", now: before, quote: quotes.lookup)
        let after = Self.ny("2026-11-27", 13, 1)
        #expect(ledger.expireDayOrders(now: after).orders.map(\.clientOrderID) == ["l"])
        quotes.set(bid: 99, ask: 101, last: 100, at: after)
        let day = ledger.submit(F.request(F.aapl, .buy, 1, .limit, limit: "150"), clientOrderID: "d", now: after, quote: quotes.lookup)
        #expect(day.updates.fills.isEmpty, "the regular session is over: the day order is for Monday")
        #expect(ledger.workingOrders.first { $0.order.clientOrderID == "d" }?.expiresAt == Self.ny("2026-11-30", 16))
        let post = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .post, limit: "150"), clientOrderID: "p", now: after, quote: quotes.lookup)
        #expect(post.updates.fills.map(\.price) == [101])
    }

    @Test("an ordinary day: pre fills from 04:00 on a pre-market price, market orders wait for 09:30, day orders expire at 16:00, post orders fill from 16:00 and expire at 20:00")
    func ordinaryDay() throws {
        let day = "2026-12-01"
        var ledger = ledger()
        var quotes = Quotes()
        quotes.set(bid: 99, ask: 101, last: 100, at: Self.ny("2026-11-30", 19))
        let at0359 = Self.ny(day, 3, 59)
        let pre = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .pre, limit: "102"), clientOrderID: "pre", now: at0359, quote: quotes.lookup)
        #expect(pre.updates.fills.isEmpty)
        #expect(pre.order.reason?.contains("pre-market session from Tue 2026-12-01 04:00") == true, "\(pre.order.reason ?? "")")
        let market = ledger.submit(F.request(F.aapl, .buy, 1), clientOrderID: "mkt", now: at0359, quote: quotes.lookup)
        #expect(market.updates.fills.isEmpty)
        // 04:00: yesterday evening's quote is not this session's; a pre-market quote fills the pre order only.
        let at0400 = Self.ny(day, 4)
        #expect(ledger.match(now: at0400, quote: quotes.lookup).fills.isEmpty)
        quotes.set(bid: 100, ask: "100.5".dec, last: "100.2".dec, at: at0400)
        let preFills = ledger.match(now: at0400, quote: quotes.lookup).fills
        #expect(preFills.map(\.clientOrderID) == ["pre"])
        #expect(preFills.first?.price == "100.5".dec)
        // A pre order placed at 09:30 is refused: today's pre-market is over.
        let at0930 = Self.ny(day, 9, 30)
        let late = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .pre, limit: "102"), clientOrderID: "late", now: at0930, quote: quotes.lookup)
        #expect(late.rejection?.code == "session_over")
        quotes.set(bid: 103, ask: 104, last: "103.5".dec, at: at0930)
        #expect(ledger.match(now: at0930, quote: quotes.lookup).fills.map(\.clientOrderID) == ["mkt"])
        // A day limit that never fills expires at 16:00; a post order placed in the session fills from 16:00.
        _ = ledger.submit(F.request(F.aapl, .buy, 1, .limit, limit: "90"), clientOrderID: "day", now: at0930, quote: quotes.lookup)
        _ = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .post, limit: "120"), clientOrderID: "post", now: at0930, quote: quotes.lookup)
        #expect(ledger.match(now: Self.ny(day, 15, 59), quote: quotes.lookup).fills.isEmpty, "post waits for 16:00")
        let at1600 = Self.ny(day, 16)
        #expect(ledger.expireDayOrders(now: at1600).orders.map(\.clientOrderID) == ["day"])
        #expect(ledger.match(now: at1600, quote: quotes.lookup).fills.isEmpty, "the 09:30 quote is not this session's")
        quotes.set(bid: 104, ask: 105, last: "104.5".dec, at: at1600)
        #expect(ledger.match(now: at1600, quote: quotes.lookup).fills.map(\.clientOrderID) == ["post"])
        // 20:00: a post order still working expires; nothing fills overnight.
        _ = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .post, limit: "90"), clientOrderID: "post2", now: at1600, quote: quotes.lookup)
        let at2000 = Self.ny(day, 20)
        quotes.set(bid: 80, ask: 81, last: 80, at: at2000)
        #expect(ledger.match(now: at2000, quote: quotes.lookup).fills.isEmpty)
        #expect(ledger.expireDayOrders(now: at2000).orders.map(\.clientOrderID) == ["post2"])
    }

    @Test("extended hours take limit orders on equities; the session of a pre/post order cannot be changed")
    func extendedShape() throws {
        var ledger = ledger()
        var quotes = Quotes()
        let now = Self.ny("2026-12-01", 16, 30)
        quotes.set(bid: 99, ask: 101, last: 100, at: now)
        #expect(ledger.submit(F.request(F.aapl, .buy, 1, duration: .post), clientOrderID: "m", now: now, quote: quotes.lookup)
            .rejection?.code == "extended_hours_limit_only")
        _ = ledger.submit(F.request(F.aapl, .buy, 1, .limit, duration: .post, limit: "50"), clientOrderID: "p", now: now, quote: quotes.lookup)
        let id = try #require(ledger.workingOrders.first?.order.brokerOrderID)
        #expect(throws: PaperLedgerError.self) { try ledger.modify(brokerOrderID: id, duration: .day, now: now, quote: quotes.lookup) }
        #expect(throws: Never.self) { try ledger.modify(brokerOrderID: id, limitPrice: 60, now: now, quote: quotes.lookup) }
    }
}

private extension String {
    var dec: Decimal { Decimal(string: self)! }
}
