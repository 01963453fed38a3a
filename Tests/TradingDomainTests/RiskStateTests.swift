import Foundation
import Testing
@testable import TradingDomain

@Suite("Risk: limits")
struct RiskLimitsTests {
    typealias F = RiskFixtures
    let settings = RiskSettings(maxDailyLoss: 1_000, maxOpenRiskPct: 6, maxPositionSizePct: 25)

    @Test("daily loss in money: reaching the limit breaches; the message is plain English")
    func dailyLossAmount() throws {
        #expect(RiskLimits.breaches(F.pnl("-999.99"), settings: settings).isEmpty)
        let atLimit = RiskLimits.breaches(F.pnl("-1000"), settings: settings)
        #expect(atLimit.map(\.kind) == [.dailyLoss])
        let breach = try #require(RiskLimits.breaches(F.pnl("-1250"), settings: settings).first)
        #expect(breach.message == "Day P&L -1,250.00 is past the daily loss limit of 1,000.00")
        #expect(breach.value == -1_250)
        #expect(breach.limit == 1_000)
        #expect(breach.symbol == nil)
    }

    @Test("daily loss in percent: the tighter of the amount and the percent of day-start equity applies")
    func dailyLossPercent() throws {
        var settings = RiskSettings(maxDailyLoss: 2_000, maxDailyLossPct: 1)
        let snapshot = F.pnl("-600", equity: "49400", dayStart: "50000")
        let breach = try #require(RiskLimits.breaches(snapshot, settings: settings).first)
        #expect(breach.limit == 500)
        #expect(breach.message
            == "Day P&L -600.00 (-1.20%) is past the daily loss limit of 500.00 (1.00% of day-start equity 50,000.00)")
        settings.maxDailyLossPct = 5  // 2,500: the amount is tighter
        #expect(RiskLimits.dailyLossLimit(snapshot, settings: settings) == 2_000)
        #expect(RiskLimits.breaches(snapshot, settings: settings).isEmpty)
    }

    @Test("open risk, position size per symbol and the open-positions count")
    func otherLimits() {
        var settings = settings
        settings.maxOpenPositions = 2
        let snapshot = RiskSnapshot(F.inputs(
            positions: [
                F.position(F.aapl, "300", avg: "100"), F.position(F.tsla, "-130", avg: "200"),
                F.position(F.msft, "10", avg: "100"),
            ],
            stops: [F.aapl: "90", F.tsla: "210", F.msft: "95"],
            prices: [F.aapl: "100", F.tsla: "200", F.msft: "100"]))
        // Risk 3,000 + 1,300 + 50 = 4.35 %: under 6 %.
        let breaches = RiskLimits.breaches(snapshot, settings: settings)
        #expect(breaches.map(\.kind) == [.positionSize, .positionSize, .openPositions])
        #expect(breaches.map(\.symbol) == [F.aapl, F.tsla, nil])
        #expect(breaches[0].message == "AAPL is 30,000.00, 30.00% of equity, over the position size limit of 25.00%")
        #expect(breaches[1].value == 26)
        #expect(breaches[2].message == "3 open positions is over the limit of 2")

        let risky = RiskSnapshot(F.inputs(positions: [F.position(F.aapl, "100", avg: "100")], stops: [F.aapl: "30"], prices: [F.aapl: "100"]))
        let openRisk = RiskLimits.breaches(risky, settings: settings)
        #expect(openRisk.map(\.kind) == [.openRisk])
        #expect(openRisk.first?.message == "Open risk 7,000.00 is 7.00% of equity, over the open risk limit of 6.00%")
    }

    @Test("hysteresis: an episode ends only back inside 90 % of the limit")
    func clearing() {
        func cleared(_ pnl: String) -> Bool {
            RiskLimits.isCleared(.dailyLoss, symbol: nil, snapshot: F.pnl(pnl), settings: settings)
        }
        #expect(!cleared("-1000"))
        #expect(!cleared("-950"))
        #expect(!cleared("-900"))
        #expect(cleared("-899.99"))
        func risk(_ stop: String) -> Bool {
            let snapshot = RiskSnapshot(F.inputs(
                positions: [F.position(F.aapl, "100", avg: "100")], stops: [F.aapl: stop], prices: [F.aapl: "100"]))
            return RiskLimits.isCleared(.openRisk, symbol: nil, snapshot: snapshot, settings: settings)
        }
        #expect(!risk("46"))   // 5.40 %
        #expect(!risk("46.05"))  // 5.395 % shows as 5.40 %
        #expect(risk("46.06"))  // 5.39 %
        let flat = F.pnl("0")
        #expect(RiskLimits.isCleared(.positionSize, symbol: F.aapl, snapshot: flat, settings: settings))
        #expect(RiskLimits.isCleared(.openPositions, symbol: nil, snapshot: flat, settings: settings))
    }

    @Test("the clear fraction is exactly 0.9")
    func clearFractionIsExact() {
        #expect(RiskLimits.clearFraction == F.dec("0.9"))
        #expect(RiskLimits.clearFraction * 1_000 == 900)
    }

    @Test("money in messages has thousands separators and cents")
    func moneyFormat() {
        #expect(RiskLimits.money(-1_250) == "-1,250.00")
        #expect(RiskLimits.money(F.dec("999.5")) == "999.50")
        #expect(RiskLimits.money(F.dec("1234567.891")) == "1,234,567.89")
        #expect(RiskLimits.money(0) == "0.00")
        #expect(RiskLimits.money(F.dec("-0.004")) == "0.00")
    }
}

@Suite("Risk: state machine")
struct RiskStateTests {
    typealias F = RiskFixtures
    let settings = RiskSettings(maxDailyLoss: 1_000, maxOpenRiskPct: 6, maxPositionSizePct: 25)
    let later = F.thursday.addingTimeInterval(3_600)

    /// AAPL long 100 at 100 with a stop at `stop`: risk (100 − stop) ÷ 10 % of 100,000 equity.
    func risky(stop: String, realized: String = "0") -> RiskSnapshot {
        RiskSnapshot(F.inputs(
            positions: [F.position(F.aapl, "100", avg: "100")], stops: [F.aapl: stop], prices: [F.aapl: "100"],
            dayStart: "100000", realized: realized))
    }

    @Test("a new state is active in the New York trading day")
    func initial() {
        let state = RiskState(now: F.thursday)
        #expect(state.mode == .active)
        #expect(state.tradingDay == "2026-12-03")
        #expect(RiskState(now: F.time("2026-12-04T00:59:59Z")).tradingDay == "2026-12-03", "19:59:59: today's last session")
        #expect(RiskState(now: F.time("2026-12-04T01:00:00Z")).tradingDay == "2026-12-04", "20:00: the next trading day")
        #expect(RiskState(now: F.fridayEarly).tradingDay == "2026-12-04")
    }

    @Test("daily loss halts for the rest of the day, one episode per breach, resume once it has cleared")
    func dailyLossHalt() throws {
        var state = RiskState(now: F.thursday)
        let first = state.evaluate(F.pnl("-1200"), settings: settings, now: F.thursday)
        #expect(first.modeChanged && state.mode == .halted)
        #expect(first.newEpisodes.map(\.episode.id) == ["2026-12-03-daily_loss-1"])
        #expect(state.reason == "Day P&L -1,200.00 is past the daily loss limit of 1,000.00")
        #expect(state.since == F.thursday)

        #expect(state.evaluate(F.pnl("-1500"), settings: settings, now: later).newEpisodes.isEmpty)
        #expect(state.evaluate(F.pnl("-950"), settings: settings, now: later).endedEpisodes.isEmpty)
        #expect(throws: RiskResumeRefusal.self) { try state.resume(reason: "ok", now: later) }

        let recovered = state.evaluate(F.pnl("-500"), settings: settings, now: later)
        #expect(recovered.endedEpisodes.map(\.id) == ["2026-12-03-daily_loss-1"])
        #expect(!recovered.modeChanged && state.mode == .halted)  // halted for the day
        #expect(state.evaluate(F.pnl("200"), settings: settings, now: later).mode == .halted)

        #expect(try state.resume(reason: "checked the book", now: later))
        #expect(state.mode == .active && state.reason == "Resumed: checked the book")
        let again = state.evaluate(F.pnl("-1000"), settings: settings, now: later)
        #expect(again.newEpisodes.map(\.episode.id) == ["2026-12-03-daily_loss-2"])
        #expect(state.mode == .halted)
    }

    @Test("resume is refused with a reason while the daily loss episode is open")
    func resumeRefused() {
        var state = RiskState(now: F.thursday)
        _ = state.evaluate(F.pnl("-1000"), settings: settings, now: F.thursday)
        do {
            try state.resume(reason: "try", now: later)
            Issue.record("resume should be refused")
        } catch {
            #expect(error.code == "daily_loss_open")
            #expect(error.reason.contains("back above -900.00"))
        }
        #expect(state.mode == .halted)
    }

    @Test("open risk puts the state in reducing; it clears by itself below 90 % of the limit")
    func reducing() {
        var state = RiskState(now: F.thursday)
        let breach = state.evaluate(risky(stop: "30"), settings: settings, now: F.thursday)  // 7 %
        #expect(state.mode == .reducing && breach.modeChanged)
        #expect(breach.newEpisodes.map(\.episode.id) == ["2026-12-03-open_risk-1"])
        #expect(state.reason == "Open risk 7,000.00 is 7.00% of equity, over the open risk limit of 6.00%")
        #expect(state.evaluate(risky(stop: "44"), settings: settings, now: later).newEpisodes.isEmpty)  // 5.6 %: still open
        #expect(state.mode == .reducing)
        let cleared = state.evaluate(risky(stop: "50"), settings: settings, now: later)  // 5 % < 5.4 %
        #expect(cleared.endedEpisodes.map(\.kind) == [.openRisk])
        #expect(state.mode == .active && cleared.modeChanged && state.reason == nil && state.since == later)
    }

    @Test("position size episodes are per symbol and end when the position is closed")
    func positionSizePerSymbol() {
        var state = RiskState(now: F.thursday)
        let big = RiskSnapshot(F.inputs(
            positions: [F.position(F.aapl, "300", avg: "100"), F.position(F.tsla, "-150", avg: "200")],
            stops: [F.aapl: "99", F.tsla: "201"], prices: [F.aapl: "100", F.tsla: "200"], dayStart: "100000"))
        let first = state.evaluate(big, settings: settings, now: F.thursday)
        #expect(first.newEpisodes.map(\.episode.id) == ["2026-12-03-position_size-AAPL-1", "2026-12-03-position_size-TSLA-2"])
        #expect(Set(state.openEpisodes.keys) == ["position_size:AAPL", "position_size:TSLA"])
        let oneLeft = RiskSnapshot(F.inputs(
            positions: [F.position(F.tsla, "-150", avg: "200")], stops: [F.tsla: "201"], prices: [F.tsla: "200"],
            dayStart: "100000"))
        let after = state.evaluate(oneLeft, settings: settings, now: later)
        #expect(after.endedEpisodes.map(\.symbol) == [F.aapl])
        #expect(state.mode == .reducing)
    }

    @Test("a daily loss while reducing halts; resuming goes back to reducing while those episodes stay open")
    func haltOverReducing() throws {
        var state = RiskState(now: F.thursday)
        _ = state.evaluate(risky(stop: "30"), settings: settings, now: F.thursday)
        _ = state.evaluate(risky(stop: "30", realized: "-1100"), settings: settings, now: later)
        #expect(state.mode == .halted)
        _ = state.evaluate(risky(stop: "30", realized: "-100"), settings: settings, now: later)
        #expect(try state.resume(reason: "fine", now: later))
        #expect(state.mode == .reducing)
        #expect(state.reason?.hasPrefix("Open risk") == true)
    }

    @Test("the manual kill switch halts across days until resumed")
    func manualHalt() throws {
        var state = RiskState(now: F.thursday)
        let halted = state.halt(reason: "stepping away", now: F.thursday)
        #expect(halted)
        #expect(state.mode == .halted && state.manualHalt && state.reason == "stepping away")
        let haltedAgain = state.halt(reason: "still away", now: later)
        #expect(!haltedAgain)
        #expect(state.since == F.thursday)
        _ = state.evaluate(F.pnl("0"), settings: settings, now: later)
        #expect(state.mode == .halted)
        let nextDay = state.evaluate(F.pnl("0"), settings: settings, now: F.fridayEarly)
        #expect(nextDay.dayRolled && !nextDay.modeChanged && state.mode == .halted)
        #expect(try state.resume(reason: "back", now: F.fridayEarly))
        #expect(state.mode == .active && !state.manualHalt)
        #expect(try !state.resume(reason: "again", now: F.fridayEarly))
    }

    @Test("a new trading day ends a daily-loss halt and its episode and resets the day-start equity")
    func newDay() {
        var state = RiskState(now: F.thursday)
        _ = state.evaluate(F.pnl("-1500", equity: "98500"), settings: settings, now: F.thursday)
        #expect(state.dayStartEquity == 100_000)
        #expect(state.mode == .halted)
        let rolled = state.evaluate(F.pnl("0", equity: "98500", dayStart: "100000", now: F.fridayEarly), settings: settings, now: F.fridayEarly)
        #expect(rolled.dayRolled && rolled.modeChanged && state.mode == .active)
        #expect(rolled.endedEpisodes.map(\.kind) == [.dailyLoss])
        #expect(state.tradingDay == "2026-12-04")
        #expect(state.dayStartEquity == 98_500)
        #expect(state.openEpisodes.isEmpty)
    }

    @Test("a state without a day-start equity adopts the snapshot's base (equity − day P&L)")
    func adoptsDayStart() {
        var state = RiskState(now: F.thursday)
        _ = state.evaluate(F.pnl("-200", equity: "49800", dayStart: nil), settings: settings, now: F.thursday)
        #expect(state.dayStartEquity == 50_000)
    }

    @Test("allows: active lets all through, halted nothing, reducing only what shrinks a position")
    func allows() {
        let sell50 = OrderRequest(symbol: F.aapl, action: .sell, quantity: 50, type: .market)
        let long = F.position(F.aapl, "100", avg: "100")
        var state = RiskState(now: F.thursday)
        #expect(state.allows(sell50, position: long) == (true, "ok", "Risk limits allow new orders"))

        _ = state.evaluate(risky(stop: "30"), settings: settings, now: F.thursday)
        #expect(state.mode == .reducing)
        #expect(state.allows(sell50, position: long).allowed)
        #expect(state.allows(OrderRequest(symbol: F.aapl, action: .sell, quantity: 100, type: .limit, limitPrice: 101), position: long).allowed)
        let refused: [(OrderRequest, BrokerPosition?)] = [
            (OrderRequest(symbol: F.aapl, action: .sell, quantity: 101, type: .market), long),   // flips
            (OrderRequest(symbol: F.aapl, action: .buy, quantity: 1, type: .market), long),      // adds
            (OrderRequest(symbol: F.aapl, action: .sellShort, quantity: 10, type: .market), long),
            (sell50, nil),
            (OrderRequest(symbol: F.msft, action: .sell, quantity: 1, type: .market), long),     // other symbol
        ]
        for (request, position) in refused {
            let answer = state.allows(request, position: position)
            #expect(!answer.allowed && answer.code == "risk_reducing_only")
        }
        let short = F.position(F.tsla, "-20", avg: "200")
        #expect(state.allows(OrderRequest(symbol: F.tsla, action: .buyToCover, quantity: 20, type: .market), position: short).allowed)

        state.halt(reason: "enough", now: later)
        let halted = state.allows(sell50, position: long)
        #expect(!halted.allowed && halted.code == "risk_halted")
        #expect(halted.reason.contains("enough"))
    }

    @Test("the state round-trips through JSON with snake_case keys")
    func codable() throws {
        var state = RiskState(now: F.thursday)
        _ = state.evaluate(risky(stop: "30", realized: "-1200"), settings: settings, now: F.thursday)
        state.halt(reason: "manual", now: later)
        #expect(state.openEpisodes.count == 2)
        let data = try JSONEncoder().encode(state)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["mode", "since", "trading_day", "manual_halt", "open_episodes", "episode_counter"]))
        let episodes = try #require(object["open_episodes"] as? [String: [String: Any]])
        #expect(episodes["daily_loss"]?["started_at"] != nil)
        #expect(try JSONDecoder().decode(RiskState.self, from: data) == state)
    }
}
