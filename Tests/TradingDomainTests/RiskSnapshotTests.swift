import Foundation
import Testing
import TradingDomain

/// Builders shared by the risk suites. Decimals are written as strings so no value passes
/// through `Double`.
enum RiskFixtures {
    static func dec(_ text: String) -> Decimal {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            fatalError("bad decimal \(text)")
        }
        return value
    }

    static func time(_ text: String) -> Date {
        guard let date = ISO8601.parse(text) else { fatalError("bad time \(text)") }
        return date
    }

    /// Thursday 2026-12-03 10:00 New York (EST), an ordinary trading day.
    static let thursday = time("2026-12-03T15:00:00Z")
    /// Friday 2026-12-04 00:30 New York (05:30 UTC): the next trading day.
    static let fridayEarly = time("2026-12-04T05:30:00Z")

    static let aapl = Symbol(trusted: "AAPL")
    static let tsla = Symbol(trusted: "TSLA")
    static let msft = Symbol(trusted: "MSFT")
    /// AAPL call, strike 150, expiring 2026-12-18.
    static let aaplCall = Symbol(trusted: "AAPL261218C00150000")

    static func account(equity: String = "100000", cash: String = "50000") -> BrokerAccount {
        BrokerAccount(
            broker: "paper", accountNumber: "PAPER-1", equity: dec(equity), cash: dec(cash), buyingPower: dec(cash),
            longMarketValue: 0, shortMarketValue: 0, asOf: thursday)
    }

    static func position(_ symbol: Symbol, _ quantity: String, avg: String) -> BrokerPosition {
        BrokerPosition(symbol: symbol, quantity: dec(quantity), averagePrice: dec(avg))
    }

    static func stopOrder(
        _ symbol: Symbol, _ action: OrderAction, _ quantity: String, stop: String,
        type: OrderType = .stop, status: OrderStatus = .open, id: String = UUID().uuidString
    ) -> BrokerOrder {
        let request = OrderRequest(
            symbol: symbol, action: action, quantity: dec(quantity), type: type, duration: .gtc,
            limitPrice: type == .stopLimit ? dec(stop) : nil, stopPrice: dec(stop))
        return BrokerOrder(clientOrderID: id, request: request, status: status, createdAt: thursday, updatedAt: thursday)
    }

    static func inputs(
        equity: String = "100000", positions: [BrokerPosition] = [], orders: [BrokerOrder] = [],
        stops: [Symbol: String] = [:], prices: [Symbol: String] = [:], dayStart: String? = nil,
        realized: String = "0", now: Date = thursday
    ) -> RiskInputs {
        RiskInputs(
            account: account(equity: equity), positions: positions, workingOrders: orders,
            stops: stops.mapValues(dec), prices: prices.mapValues(dec), dayStartEquity: dayStart.map(dec),
            realizedToday: dec(realized), now: now)
    }

    /// A snapshot with only a day P&L (all realised), for the daily-loss rules.
    static func pnl(_ dayPnL: String, equity: String = "100000", dayStart: String? = "100000", now: Date = thursday) -> RiskSnapshot {
        RiskSnapshot(inputs(equity: equity, dayStart: dayStart, realized: dayPnL, now: now))
    }
}

@Suite("Risk: snapshot")
struct RiskSnapshotTests {
    typealias F = RiskFixtures

    @Test("a long equity with a plan stop: exposure, P&L and risk to the plan's stop")
    func longWithPlanStop() throws {
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(F.aapl, "100", avg: "150")], stops: [F.aapl: "145"], prices: [F.aapl: "160"]))
        let row = try #require(snapshot.position(F.aapl))
        #expect(row.side == .long)
        #expect(row.exposure == 16_000)
        #expect(row.marketValue == 16_000)
        #expect(row.unrealizedPnL == 1_000)
        #expect(row.stop == 145)
        #expect(row.stopSource == .plan)
        #expect(row.risk == 1_500)  // (160 − 145) × 100
        #expect(row.unprotected == false)
        #expect(row.exposurePct == 16)
        #expect(row.riskPct == F.dec("1.5"))
        #expect(row.livePrice)
    }

    @Test("a short equity takes the nearest working closing stop order over the plan stop")
    func shortWithStopOrders() throws {
        let orders = [
            F.stopOrder(F.tsla, .buyToCover, "50", stop: "260"),
            F.stopOrder(F.tsla, .buyToCover, "50", stop: "255", type: .stopLimit),
            F.stopOrder(F.tsla, .buyToCover, "50", stop: "245", status: .canceled),  // not working
            F.stopOrder(F.tsla, .sellShort, "50", stop: "241"),                     // adds to the short
            F.stopOrder(F.aapl, .buyToCover, "50", stop: "241"),                    // another symbol
        ]
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(F.tsla, "-50", avg: "250")], orders: orders, stops: [F.tsla: "270"],
            prices: [F.tsla: "240"]))
        let row = try #require(snapshot.position(F.tsla))
        #expect(row.side == .short)
        #expect(row.exposure == -12_000)
        #expect(row.marketValue == 12_000)
        #expect(row.unrealizedPnL == 500)  // (240 − 250) × −50
        #expect(row.stop == 255)
        #expect(row.stopSource == .order)
        #expect(row.risk == 750)  // (255 − 240) × 50
        #expect(snapshot.shortExposure == -12_000)
        #expect(snapshot.longExposure == 0)
    }

    @Test("a long's stop order must sell: a buy stop does not protect it")
    func wrongDirectionOrderIsIgnored() throws {
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(F.aapl, "10", avg: "100")],
            orders: [F.stopOrder(F.aapl, .buy, "10", stop: "95"), F.stopOrder(F.aapl, .sell, "10", stop: "90")],
            prices: [F.aapl: "100"]))
        let row = try #require(snapshot.position(F.aapl))
        #expect(row.stop == 90)
        #expect(row.risk == 100)
    }

    @Test("an option counts premium × 100; without its own mark it falls back to the average price")
    func optionMultiplier() throws {
        let marked = RiskSnapshot(F.inputs(
            positions: [F.position(F.aaplCall, "2", avg: "3.50")], stops: [F.aaplCall: "2"],
            prices: [F.aaplCall: "4.25", F.aapl: "160"]))
        let row = try #require(marked.position(F.aaplCall))
        #expect(row.assetClass == .option)
        #expect(row.multiplier == 100)
        #expect(row.exposure == 850)
        #expect(row.unrealizedPnL == 150)
        #expect(row.risk == 450)  // (4.25 − 2) × 2 × 100

        let unmarked = RiskSnapshot(F.inputs(positions: [F.position(F.aaplCall, "2", avg: "3.50")], prices: [F.aapl: "160"]))
        let fallback = try #require(unmarked.position(F.aaplCall))
        #expect(fallback.price == F.dec("3.5"))
        #expect(fallback.livePrice == false)
        #expect(fallback.exposure == 700)
        #expect(fallback.unrealizedPnL == 0)
        #expect(fallback.unprotected)
        #expect(fallback.risk == 700)
    }

    @Test("a position with no stop order and no plan stop risks its whole market value")
    func unprotected() throws {
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(F.msft, "10", avg: "400"), F.position(F.tsla, "-5", avg: "200")],
            prices: [F.msft: "390", F.tsla: "210"]))
        let long = try #require(snapshot.position(F.msft))
        #expect(long.unprotected && long.stop == nil && long.stopSource == nil)
        #expect(long.risk == 3_900)
        #expect(long.unrealizedPnL == -100)
        let short = try #require(snapshot.position(F.tsla))
        #expect(short.unprotected)
        #expect(short.risk == 1_050)
        #expect(short.unrealizedPnL == -50)
        #expect(snapshot.openRisk == 4_950)
    }

    @Test("a stop already crossed risks nothing more")
    func crossedStop() throws {
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(F.aapl, "10", avg: "100")], stops: [F.aapl: "105"], prices: [F.aapl: "100"]))
        #expect(snapshot.position(F.aapl)?.risk == 0)
        #expect(snapshot.position(F.aapl)?.unprotected == false)
    }

    @Test("a book: long, short, option and unprotected; totals, day P&L and its percent")
    func wholeBook() {
        let positions = [
            F.position(F.aapl, "100", avg: "150"), F.position(F.tsla, "-50", avg: "250"),
            F.position(F.msft, "10", avg: "400"), F.position(F.aaplCall, "2", avg: "3.50"),
            F.position(Symbol(trusted: "ZERO"), "0", avg: "1"),
        ]
        let inputs = F.inputs(
            positions: positions, orders: [F.stopOrder(F.tsla, .buyToCover, "50", stop: "255")],
            stops: [F.aapl: "145", F.aaplCall: "2"],
            prices: [F.aapl: "160", F.tsla: "240", F.msft: "390", F.aaplCall: "4.25"], realized: "-300")
        let snapshot = RiskSnapshot(inputs)
        #expect(snapshot.positions.map(\.symbol.rawValue) == ["AAPL", "AAPL261218C00150000", "MSFT", "TSLA"])
        #expect(snapshot.openPositions == 4)
        #expect(snapshot.equity == 100_000)
        #expect(snapshot.cash == 50_000)
        #expect(snapshot.longExposure == 20_750)
        #expect(snapshot.shortExposure == -12_000)
        #expect(snapshot.grossExposure == 32_750)
        #expect(snapshot.netExposure == 8_750)
        #expect(snapshot.openRisk == 6_600)
        #expect(snapshot.openRiskPct == F.dec("6.6"))
        #expect(snapshot.dayUnrealizedPnL == 1_550)
        #expect(snapshot.dayRealizedPnL == -300)
        #expect(snapshot.dayPnL == 1_250)
        // No day-start equity: the base is equity − day P&L = 98,750.
        #expect(snapshot.dayStartEquity == 98_750)
        #expect(snapshot.dayPnLPct == F.dec("1.27"))
        #expect(snapshot.asOf == F.thursday)

        var withStart = inputs
        withStart.dayStartEquity = 99_000
        #expect(RiskSnapshot(withStart).dayPnLPct == F.dec("1.26"))
        #expect(RiskSnapshot(withStart).dayStartEquity == 99_000)
    }

    @Test("money is rounded to cents only at the end")
    func roundingAtTheEnd() throws {
        let one = Symbol(trusted: "ONE"), two = Symbol(trusted: "TWO")
        let snapshot = RiskSnapshot(F.inputs(
            positions: [F.position(one, "1", avg: "0.004"), F.position(two, "1", avg: "0.004")],
            prices: [one: "0.0044", two: "0.0044"]))
        // Each position is 0.0044 (0.00 rounded); the book is 0.0088 (0.01 rounded).
        #expect(snapshot.positions.map(\.exposure) == [0, 0])
        #expect(snapshot.grossExposure == F.dec("0.01"))
        #expect(snapshot.dayUnrealizedPnL == F.dec("0"))
        let prices = RiskSnapshot(F.inputs(positions: [F.position(one, "3", avg: "10.3333")], prices: [one: "10.3367"]))
        #expect(prices.positions.first?.exposure == F.dec("31.01"))
        #expect(prices.positions.first?.unrealizedPnL == F.dec("0.01"))
        #expect(prices.positions.first?.price == F.dec("10.3367"))
    }

    @Test("no equity: percents are null, not a division by zero")
    func noEquity() {
        let snapshot = RiskSnapshot(F.inputs(
            equity: "0", positions: [F.position(F.aapl, "1", avg: "10")], prices: [F.aapl: "10"], dayStart: "0"))
        #expect(snapshot.openRiskPct == nil)
        #expect(snapshot.dayPnLPct == nil)
        #expect(snapshot.positions.first?.exposurePct == nil)
    }

    @Test("JSON uses snake_case and writes nulls; it decodes back")
    func codable() throws {
        let snapshot = RiskSnapshot(F.inputs(positions: [F.position(F.msft, "10", avg: "400")], prices: [F.msft: "390"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(snapshot)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "equity", "cash", "gross_exposure", "net_exposure", "long_exposure", "short_exposure", "open_risk",
            "open_risk_pct", "day_realized_pnl", "day_unrealized_pnl", "day_pnl", "day_pnl_pct", "day_start_equity",
            "open_positions", "positions", "as_of",
        ])
        let rows = try #require(object["positions"] as? [[String: Any]])
        #expect(rows.first?["stop"] is NSNull)
        #expect(rows.first?["stop_source"] is NSNull)
        #expect(rows.first?["unprotected"] as? Bool == true)
        #expect(rows.first?["unrealized_pnl"] != nil)
        #expect(try JSONDecoder().decode(RiskSnapshot.self, from: data) == snapshot)
    }
}
