import Foundation
import Logging
import Synchronization
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// The risk engine without HTTP: snapshots from a scripted broker and live quotes, episodes,
/// the kill switch, unprotected positions, and its loop on the manual clock.
@Suite("Risk engine")
struct RiskEngineTests {
    struct Harness {
        let clock: ManualClock
        let broker: ScriptedBroker
        let repository: InMemoryRiskRepository
        let settings: SettingsService
        let bus = EventBus()
        let quotes: QuoteCache
        let orders = InMemoryOrderRepository()
        let engine: RiskEngine
        let events = EventLog()

        init(risk: RiskSettings = RiskSettings(maxDailyLoss: 1_000, maxOpenRiskPct: 100), discord: DiscordSettings = DiscordSettings(),
             repository: InMemoryRiskRepository = InMemoryRiskRepository(), clock: ManualClock = ManualClock()) {
            self.clock = clock
            self.repository = repository
            broker = ScriptedBroker(clock: clock)
            settings = SettingsService(repository: InMemorySettingsRepository(AppSettings(risk: risk, discord: discord)))
            quotes = QuoteCache(clock: clock, bus: bus, staleAfter: 30, provider: "scripted")
            engine = RiskEngine(
                broker: broker, orders: orders, repository: repository, quotes: quotes, settings: settings,
                bus: bus, clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), interval: .seconds(5))
            let events = events
            _ = bus.subscribe { events.append($0) }
        }

        func price(_ symbol: String, _ price: Decimal) {
            quotes.receive([.trade(Trade(symbol: Symbol(trusted: symbol), price: price, size: 100, time: clock.now()))])
            broker.setPrice(symbol, price)
        }

        /// 100 AAPL bought at 100 today.
        func holdAAPL() {
            broker.setPosition("AAPL", quantity: 100, averagePrice: 100)
            price("AAPL", 100)
        }
    }

    static func buy(_ symbol: String = "MSFT") -> OrderRequest {
        OrderRequest(symbol: Symbol(trusted: symbol), action: .buy, quantity: 1, type: .market)
    }

    @Test("an empty account is active with the broker's equity")
    func emptyAccount() async throws {
        let h = Harness()
        try await h.engine.load()
        let report = try await h.engine.evaluate()
        #expect(report.state.mode == .active)
        #expect(report.snapshot?.equity == 100_000)
        #expect(report.breaches.isEmpty)
    }

    @Test("limits wait for live prices: a position without a quote neither breaches nor clears anything")
    func waitsForPrices() async throws {
        let h = Harness()
        try await h.engine.load()
        h.broker.setPosition("AAPL", quantity: 100, averagePrice: 100)
        let report = try await h.engine.evaluate()
        #expect(report.error?.contains("waiting for live prices") == true)
        #expect(report.state.mode == .active)
    }

    @Test("a loss past the daily limit halts trading with one firing per episode, and new orders are refused")
    func dailyLossHalts() async throws {
        let h = Harness()
        try await h.engine.load()
        h.holdAAPL()
        _ = try await h.engine.evaluate()
        h.price("AAPL", 95)  // −500: inside the limit of 1,000
        let inside = try await h.engine.evaluate()
        #expect(inside.state.mode == .active, "\(inside.snapshot.map { "day P&L \($0.dayPnL), equity \($0.equity), start \(String(describing: $0.dayStartEquity))" } ?? "") \(inside.breaches)")
        h.price("AAPL", 88)  // −1,200
        let report = try await h.engine.evaluate()
        #expect(report.state.mode == .halted)
        #expect(report.snapshot?.dayPnL == -1_200)
        _ = try await h.engine.evaluate()
        let firings = try await h.repository.firings(limit: 10)
        #expect(firings.filter { $0.kind == .dailyLoss }.count == 1)
        let refusal = await h.engine.refusal(for: Self.buy(), positions: [])
        #expect(refusal?.code == "risk_halted")
    }

    @Test("resume is refused while the day's loss is still past the limit")
    func resumeRefusedWhileBreached() async throws {
        let h = Harness()
        try await h.engine.load()
        h.holdAAPL()
        _ = try await h.engine.evaluate()
        h.price("AAPL", 88)
        _ = try await h.engine.evaluate()
        await #expect(throws: RiskResumeRefusal.self) { try await h.engine.resume(reason: "try") }
    }

    @Test("open risk past the limit switches to reducing: opening orders are refused, closing ones allowed")
    func reducing() async throws {
        let h = Harness(risk: RiskSettings(maxDailyLoss: 100_000, maxOpenRiskPct: 5))
        try await h.engine.load()
        h.holdAAPL()  // no stop: the whole 10,000 is at risk, 9% of equity
        let report = try await h.engine.evaluate()
        #expect(report.state.mode == .reducing)
        #expect(await h.engine.refusal(for: Self.buy("AAPL"), positions: try await h.broker.positions())?.code == "risk_reducing_only")
        let sell = OrderRequest(symbol: Symbol(trusted: "AAPL"), action: .sell, quantity: 50, type: .market)
        #expect(await h.engine.refusal(for: sell, positions: try await h.broker.positions()) == nil)
    }

    @Test("the kill switch halts and resumes, and the halt survives a restart (a new engine on the same storage)")
    func killSwitchPersists() async throws {
        let repository = InMemoryRiskRepository()
        let h = Harness(repository: repository)
        try await h.engine.load()
        _ = try await h.engine.halt(reason: "stepping away")
        #expect(await h.engine.refusal(for: Self.buy(), positions: [])?.code == "risk_halted")
        let restarted = Harness(repository: repository, clock: h.clock)
        try await restarted.engine.load()
        #expect(restarted.engine.report?.state.mode == .halted)
        #expect(restarted.engine.report?.state.reason?.contains("stepping away") == true)
        _ = try await restarted.engine.resume(reason: "back")
        #expect(await restarted.engine.refusal(for: Self.buy(), positions: []) == nil)
    }

    @Test("the open-risk check warns when a new order would pass the limit")
    func openRiskCheck() async throws {
        let h = Harness(risk: RiskSettings(maxOpenRiskPct: 1))
        try await h.engine.load()
        _ = try await h.engine.evaluate()
        let checks = await h.engine.checks(for: Self.buy(), positions: [], cost: 5_000, riskAmount: 2_000)
        #expect(checks.first?.name == "max_open_risk")
        #expect(checks.first?.outcome == .warn)
        let small = await h.engine.checks(for: Self.buy(), positions: [], cost: 5_000, riskAmount: 100)
        #expect(small.first?.outcome == .pass)
    }

    @Test("an unprotected position is a risk firing once per entry, queued for Discord when risk is forwarded, listed until cleared")
    func unprotectedPosition() async throws {
        var discord = DiscordSettings()
        discord.enabled = true
        discord.webhookURL = "https://discord.com/api/webhooks/1/abc"
        let h = Harness(discord: discord)
        try await h.engine.load()
        let position = UnprotectedPosition(symbol: Symbol(trusted: "AAPL"), entryID: "e-1", quantity: 10, since: h.clock.now(), reason: "HTTP 503")
        await h.engine.protectionChanged([position])
        await h.engine.protectionChanged([position])
        let firings = try await h.repository.firings(limit: 10)
        #expect(firings.map(\.episodeID) == ["unprotected:e-1"])
        #expect(firings.first?.kind == .unprotectedPosition)
        #expect(h.repository.queued.map(\.dedupeKey) == ["risk:unprotected:e-1"])
        #expect(h.engine.report?.unprotected.map(\.entryID) == ["e-1"])
        await h.engine.protectionChanged([])
        #expect(h.engine.report?.unprotected.isEmpty == true)
    }

    @Test("without Discord forwarding an unprotected position is still a firing, with nothing queued")
    func unprotectedWithoutDiscord() async throws {
        let h = Harness()
        try await h.engine.load()
        await h.engine.protectionChanged([UnprotectedPosition(symbol: Symbol(trusted: "AAPL"), entryID: "e-2", quantity: 5, since: h.clock.now(), reason: "x")])
        #expect(try await h.repository.firings(limit: 10).count == 1)
        #expect(h.repository.queued.isEmpty)
    }

    @Test("the engine evaluates at start and then every interval of the injected clock")
    func loopOnClock() async throws {
        let h = Harness()
        try await h.engine.load()
        let counter = Mutex(0)
        _ = h.bus.subscribe { event in if case .risk = event { counter.withLock { $0 += 1 } } }
        let running = Task { try await h.engine.run() }
        await h.clock.waitForSleepers()
        for _ in 0..<1_000 where counter.withLock({ $0 }) < 1 { await Task.yield() }
        #expect(counter.withLock { $0 } == 1, "one evaluation at start")
        h.clock.advance(by: 5)
        for _ in 0..<10_000 where counter.withLock({ $0 }) < 2 { await Task.yield() }
        #expect(counter.withLock { $0 } == 2, "one more after 5 s")
        running.cancel()
        _ = await running.result
    }
}
