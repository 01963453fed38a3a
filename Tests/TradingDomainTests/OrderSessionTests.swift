import Foundation
import Testing
@testable import TradingDomain

/// New York wall time `yyyy-MM-dd`, hour, minute → an instant.
private func ny(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
}

private let calendar = MarketCalendar()
private let aapl = Symbol(trusted: "AAPL")
private let aaplCall = Symbol(trusted: "AAPL261218C00200000")

private func request(_ type: OrderType = .market, _ duration: OrderDuration = .day, symbol: Symbol = aapl) -> OrderRequest {
    OrderRequest(
        symbol: symbol, action: symbol.isOption ? .buyToOpen : .buy, quantity: 1, type: type, duration: duration,
        limitPrice: type.needsLimitPrice ? 100 : nil, stopPrice: type.needsStopPrice ? 99 : nil)
}

// The moments of the issue: Saturday 2026-11-28, Thanksgiving 2026-11-26, the early close
// 2026-11-27 (13:00), and Tuesday 2026-12-01 at 03:59, 04:00, 09:30, 16:00 and 20:00.

@Suite("Order sessions: where an order works")
struct OrderSessionPlanTests {
    func plan(_ duration: OrderDuration, _ at: Date) -> OrderSessionPlan? {
        try? OrderSessionRules.plan(duration, at: at, calendar: calendar).get()
    }

    @Test("a day order on Saturday, or on Thanksgiving, is for the next session; it expires at that session's close (13:00 on the early close)")
    func closedDays() throws {
        let saturday = try #require(plan(.day, ny("2026-11-28", 12)))
        #expect(saturday.day == "2026-11-30")
        #expect(saturday.startsAt == ny("2026-11-30", 9, 30))
        #expect(saturday.expiresAt == ny("2026-11-30", 16))
        #expect(saturday.waits)
        let thanksgiving = try #require(plan(.day, ny("2026-11-26", 10)))
        #expect(thanksgiving.day == "2026-11-27")
        #expect(thanksgiving.expiresAt == ny("2026-11-27", 13), "the day after Thanksgiving closes at 13:00")
        #expect(try #require(plan(.gtc, ny("2026-11-28", 12))).expiresAt == nil)
    }

    @Test("on the early close a day order at 12:59 is for today (expires 13:00); at 13:01 it is for the next trading day")
    func earlyClose() throws {
        let before = try #require(plan(.day, ny("2026-11-27", 12, 59)))
        #expect(before.day == "2026-11-27" && !before.waits)
        #expect(before.expiresAt == ny("2026-11-27", 13))
        let after = try #require(plan(.day, ny("2026-11-27", 13, 1)))
        #expect(after.day == "2026-11-30")
        #expect(after.expiresAt == ny("2026-11-30", 16))
        let post = try #require(plan(.post, ny("2026-11-27", 13, 1)))
        #expect(post.day == "2026-11-27" && !post.waits)
        #expect(post.expiresAt == ny("2026-11-27", 17), "the late session ends at 17:00 on an early close")
    }

    @Test("an ordinary day: 03:59, 04:00, 09:30, 16:00, 20:00")
    func ordinaryDay() throws {
        let day = "2026-12-01"
        let dayAt0359 = try #require(plan(.day, ny(day, 3, 59)))
        #expect(dayAt0359.day == day && dayAt0359.waits && dayAt0359.startsAt == ny(day, 9, 30))
        let preAt0359 = try #require(plan(.pre, ny(day, 3, 59)))
        #expect(preAt0359.waits && preAt0359.startsAt == ny(day, 4) && preAt0359.expiresAt == ny(day, 9, 30))
        let preAt0400 = try #require(plan(.pre, ny(day, 4)))
        #expect(!preAt0400.waits)
        #expect(!(try #require(plan(.day, ny(day, 9, 30)))).waits)
        // Tradier: "pre market no longer available" once the regular session has started.
        switch OrderSessionRules.plan(.pre, at: ny(day, 9, 30), calendar: calendar) {
        case .failure(let refusal): #expect(refusal.code == "session_over")
        case .success: Issue.record("a pre order at 09:30 was accepted")
        }
        let dayAt1600 = try #require(plan(.day, ny(day, 16)))
        #expect(dayAt1600.day == "2026-12-02")
        let postAt1600 = try #require(plan(.post, ny(day, 16)))
        #expect(!postAt1600.waits && postAt1600.expiresAt == ny(day, 20))
        let preAt2000 = try #require(plan(.pre, ny(day, 20)))
        #expect(preAt2000.day == "2026-12-02" && preAt2000.startsAt == ny("2026-12-02", 4))
        let postAt2000 = try #require(plan(.post, ny(day, 20)))
        #expect(postAt2000.day == "2026-12-02")
    }

    @Test("an order may fill only while the market is in its session; nothing fills on a closed day")
    func mayFill() {
        #expect(!OrderSessionRules.mayFill(.day, at: ny("2026-11-28", 12), calendar: calendar))
        #expect(!OrderSessionRules.mayFill(.gtc, at: ny("2026-11-26", 10), calendar: calendar))
        #expect(!OrderSessionRules.mayFill(.pre, at: ny("2026-12-01", 3, 59), calendar: calendar))
        #expect(OrderSessionRules.mayFill(.pre, at: ny("2026-12-01", 4), calendar: calendar))
        #expect(!OrderSessionRules.mayFill(.day, at: ny("2026-12-01", 4), calendar: calendar))
        #expect(OrderSessionRules.mayFill(.day, at: ny("2026-12-01", 9, 30), calendar: calendar))
        #expect(OrderSessionRules.mayFill(.post, at: ny("2026-12-01", 16), calendar: calendar))
        #expect(!OrderSessionRules.mayFill(.post, at: ny("2026-12-01", 20), calendar: calendar))
        #expect(OrderSessionRules.mayFill(.day, at: ny("2026-11-27", 12, 59), calendar: calendar))
        #expect(!OrderSessionRules.mayFill(.day, at: ny("2026-11-27", 13, 1), calendar: calendar))
        #expect(OrderSessionRules.sessionStart(at: ny("2026-11-27", 13, 1), calendar: calendar) == ny("2026-11-27", 13))
    }

    @Test("staleness is judged while the symbol trades: equities 04:00–20:00, options in the regular session only")
    func symbolTrades() {
        #expect(!calendar.trades(aapl, at: ny("2026-12-01", 3, 59)))
        #expect(calendar.trades(aapl, at: ny("2026-12-01", 4)))
        #expect(!calendar.trades(aaplCall, at: ny("2026-12-01", 4)))
        #expect(calendar.trades(aaplCall, at: ny("2026-12-01", 9, 30)))
        #expect(calendar.trades(aapl, at: ny("2026-12-01", 19, 59)))
        #expect(!calendar.trades(aapl, at: ny("2026-12-01", 20)))
        #expect(!calendar.trades(aapl, at: ny("2026-11-28", 12)))
        #expect(!calendar.trades(aapl, at: ny("2026-11-26", 10)))
    }
}

@Suite("Order sessions: the preview's session check")
struct SessionCheckTests {
    func check(_ request: OrderRequest, _ at: Date) -> PreTradeCheck {
        PreTradeChecks.session(request, at: at, calendar: calendar)
    }

    @Test("market closed (Saturday, Thanksgiving): a market order is queued and the check says when it executes, in New York time")
    func closedWarns() {
        let saturday = check(request(), ny("2026-11-28", 12))
        #expect(saturday.name == "session")
        #expect(saturday.outcome == .warn)
        #expect(saturday.detail.contains("closed for the weekend"), "\(saturday.detail)")
        #expect(saturday.detail.contains("queued"))
        #expect(saturday.detail.contains("Mon 2026-11-30 09:30 New York time"), "\(saturday.detail)")
        let holiday = check(request(.limit), ny("2026-11-26", 10))
        #expect(holiday.outcome == .warn)
        #expect(holiday.detail.contains("Thanksgiving Day"))
        #expect(holiday.detail.contains("Fri 2026-11-27 09:30 New York time"))
        #expect(holiday.detail.contains("until Fri 2026-11-27 13:00 New York time"), "the day order ends at the early close: \(holiday.detail)")
    }

    @Test("12:59 on the early close passes; 13:01 warns (after-hours: the next open, or pre/post for extended hours)")
    func earlyClose() {
        #expect(check(request(), ny("2026-11-27", 12, 59)).outcome == .pass)
        let after = check(request(), ny("2026-11-27", 13, 1))
        #expect(after.outcome == .warn)
        #expect(after.detail.contains("after-hours"))
        #expect(after.detail.contains("Mon 2026-11-30 09:30"))
        #expect(after.detail.contains("duration pre or post"))
        #expect(check(request(.limit, .post), ny("2026-11-27", 13, 1)).outcome == .pass)
    }

    @Test("an ordinary day: 03:59 warns, 04:00 pre passes for a pre limit, 09:30 passes, pre refused at 09:30, 16:00 post passes, 20:00 warns")
    func ordinaryDay() {
        let day = "2026-12-01"
        #expect(check(request(), ny(day, 3, 59)).outcome == .warn)
        #expect(check(request(.limit, .pre), ny(day, 3, 59)).outcome == .warn)
        #expect(check(request(.limit, .pre), ny(day, 4)).outcome == .pass)
        let marketPre = check(request(), ny(day, 4))
        #expect(marketPre.outcome == .warn)
        #expect(marketPre.detail.contains("pre-market") && marketPre.detail.contains("queued"))
        #expect(check(request(), ny(day, 9, 30)).outcome == .pass)
        let preLate = check(request(.limit, .pre), ny(day, 9, 30))
        #expect(preLate.outcome == .fail)
        #expect(preLate.detail.contains("pre-market session is over"))
        #expect(check(request(.limit, .post), ny(day, 16)).outcome == .pass)
        #expect(check(request(), ny(day, 16)).outcome == .warn)
        let night = check(request(), ny(day, 20))
        #expect(night.outcome == .warn)
        #expect(night.detail.contains("Wed 2026-12-02 09:30 New York time"))
    }

    @Test("extended hours need a limit order on an equity")
    func extendedHoursShape() {
        #expect(check(request(.market, .pre), ny("2026-12-01", 4)).outcome == .fail)
        #expect(check(request(.stop, .post), ny("2026-12-01", 16)).outcome == .fail)
        #expect(check(request(.limit, .post, symbol: aaplCall), ny("2026-12-01", 16)).outcome == .fail)
    }

    func priceCheck(stale: Bool, regular: Bool, type: OrderType = .market) -> PreTradeCheck? {
        let account = BrokerAccount(
            broker: "test", accountNumber: "T", equity: 100_000, cash: 100_000, buyingPower: 100_000,
            longMarketValue: 0, shortMarketValue: 0, asOf: Date())
        let checks = PreTradeChecks.evaluate(
            request(type), price: 100, quoteStale: stale, account: account, positions: [], risk: RiskSettings(),
            preview: OrderPreview(estimatedPrice: 100, estimatedCost: 100, commission: 0), regularSession: regular)
        return checks.first { $0.name == "price" }
    }

    @Test("a stale quote blocks a market order during the regular session; outside it, or for a limit order, it warns")
    func staleQuote() {
        #expect(priceCheck(stale: true, regular: true)?.outcome == .fail)
        #expect(priceCheck(stale: true, regular: true)?.detail.contains("stale") == true)
        #expect(priceCheck(stale: true, regular: false)?.outcome == .warn)
        #expect(priceCheck(stale: true, regular: true, type: .limit)?.outcome == .warn)
        #expect(priceCheck(stale: false, regular: true)?.outcome == .pass)
    }
}

@Suite("Risk: the trading day follows the calendar")
struct RiskTradingDayTests {
    @Test("the trading day rolls when the day's sessions end; Saturday, Sunday and a holiday belong to the next trading day")
    func tradingDay() {
        #expect(RiskState.tradingDay(of: ny("2026-12-01", 19, 59)) == "2026-12-01")
        #expect(RiskState.tradingDay(of: ny("2026-12-01", 20)) == "2026-12-02")
        #expect(RiskState.tradingDay(of: ny("2026-12-04", 21)) == "2026-12-07", "Friday night counts towards Monday")
        #expect(RiskState.tradingDay(of: ny("2026-12-05", 12)) == "2026-12-07")
        #expect(RiskState.tradingDay(of: ny("2026-12-06", 23)) == "2026-12-07")
        #expect(RiskState.tradingDay(of: ny("2026-11-26", 10)) == "2026-11-27", "Thanksgiving counts towards the early close")
        #expect(RiskState.tradingDay(of: ny("2026-11-27", 17, 30)) == "2026-11-30", "the early close's day ends at 17:00")
    }

    @Test("a daily-loss halt lasts over the weekend until Monday's trading day, and the weekend never rolls the day by itself")
    func noWeekendRoll() {
        let settings = RiskSettings(maxDailyLoss: 1_000)
        let friday = ny("2026-12-04", 15)
        var state = RiskState(now: friday, dayStartEquity: 100_000)
        func snapshot(_ pnl: Decimal, at now: Date) -> RiskSnapshot {
            RiskSnapshot(RiskInputs(
                account: BrokerAccount(broker: "t", accountNumber: "T", equity: 100_000 + pnl, cash: 100_000 + pnl,
                                       buyingPower: 100_000, longMarketValue: 0, shortMarketValue: 0, asOf: now),
                positions: [], workingOrders: [], dayStartEquity: 100_000, realizedToday: pnl, now: now))
        }
        let breach = state.evaluate(snapshot(-1_500, at: friday), settings: settings, now: friday)
        #expect(state.mode == .halted && !breach.dayRolled)
        // Friday 21:00 is already Monday's trading day: a new day (after the day's last session).
        let fridayNight = ny("2026-12-04", 21)
        let night = state.evaluate(snapshot(-1_500, at: fridayNight), settings: settings, now: fridayNight)
        #expect(night.dayRolled)
        #expect(state.tradingDay == "2026-12-07")
        for moment in [ny("2026-12-05", 10), ny("2026-12-06", 22), ny("2026-12-07", 9, 30)] {
            let transition = state.evaluate(snapshot(0, at: moment), settings: settings, now: moment)
            #expect(!transition.dayRolled, "no roll on \(moment)")
        }
    }
}
