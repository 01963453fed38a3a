import Foundation
import Logging
import Synchronization
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// The alert engine without HTTP: ticks in, firings stored once with their notification, expiry on
/// the clock, storage failures retried.
@Suite("Alert engine")
struct AlertEngineTests {
    final class Fired: Sendable {
        let list = Mutex<[AlertFiring]>([])
        var count: Int { list.withLock { $0.count } }
    }

    struct Harness {
        let clock = ManualClock()
        let repository = InMemoryAlertRepository()
        let bus = EventBus()
        let engine: AlertEngine
        let fired = Fired()

        init(discord: DiscordSettings? = nil) {
            let forwarding: (@Sendable () async throws -> DiscordSettings)? = discord.map { settings in { @Sendable in settings } }
            engine = AlertEngine(
                repository: repository, bus: bus, clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                forwarding: forwarding)
            let fired = fired
            _ = bus.subscribe { event in if case .alert(let firing) = event { fired.list.withLock { $0.append(firing) } } }
        }

        func rule(_ type: AlertType, _ threshold: Decimal, symbol: String = "AAPL", mode: AlertMode = .once,
                  cooldown: Int? = nil, expiresAt: Date? = nil) -> AlertRule {
            AlertRule(id: UUID(), symbol: Symbol(trusted: symbol), type: type, threshold: threshold, mode: mode, cooldownSeconds: cooldown,
                      expiresAt: expiresAt, createdAt: clock.now(), updatedAt: clock.now())
        }

        func tick(_ price: Decimal, _ symbol: String = "AAPL") {
            engine.receive([.trade(Trade(symbol: Symbol(trusted: symbol), price: price, size: 100, time: clock.now()))])
        }
    }

    @Test("a level alert fires once on the tick that reaches it, is stored with its trigger and announced")
    func firesOnce() async throws {
        let h = Harness()
        let rule = h.rule(.priceAbove, 150)
        try await h.engine.create(rule, maxAlerts: 10)
        h.tick(149)
        await h.engine.commit()
        #expect(h.repository.stored.isEmpty)
        h.tick(150)
        h.tick(151)
        await h.engine.commit()
        #expect(h.repository.stored.count == 1)
        #expect(h.repository.stored.first?.firing.price == 150)
        #expect(h.repository.stored.first?.firing.source == .stream)
        #expect(try await h.repository.find(id: rule.id)?.status == .triggered)
        #expect(h.fired.count == 1)
    }

    @Test("a cross alert fires on each crossing in repeat mode, after its cooldown")
    func crossRepeats() async throws {
        let h = Harness()
        try await h.engine.create(h.rule(.priceCross, 100, mode: .repeat, cooldown: 60), maxAlerts: 10)
        h.tick(99)
        h.tick(101)
        await h.engine.commit()
        #expect(h.repository.stored.count == 1)
        h.tick(99)
        await h.engine.commit()
        #expect(h.repository.stored.count == 1, "inside the cooldown")
        h.clock.advance(by: 61)
        h.tick(101)
        await h.engine.commit()
        #expect(h.repository.stored.count == 2)
    }

    @Test("the alert limit is enforced at create")
    func limit() async throws {
        let h = Harness()
        try await h.engine.create(h.rule(.priceAbove, 1), maxAlerts: 1)
        await #expect(throws: ValidationFailure.self) { try await h.engine.create(h.rule(.priceAbove, 2), maxAlerts: 1) }
    }

    @Test("a firing queues its Discord message in the same store call when its type is forwarded")
    func queuesNotification() async throws {
        let h = Harness(discord: DiscordSettings(webhookURL: "https://discord.com/api/webhooks/1/abc", enabled: true))
        try await h.engine.create(h.rule(.priceAbove, 150), maxAlerts: 10)
        try await h.engine.create(h.rule(.priceCross, 300, symbol: "MSFT"), maxAlerts: 10)
        h.tick(151)
        h.tick(299, "MSFT")
        h.tick(301, "MSFT")
        await h.engine.commit()
        #expect(h.repository.stored.count == 2)
        #expect(h.repository.queued.count == 1, "price_cross is not among the forwarded types by default")
    }

    @Test("an alert expires on the clock without any tick")
    func expiresOnClock() async throws {
        let h = Harness()
        let rule = h.rule(.priceAbove, 500, expiresAt: h.clock.now().addingTimeInterval(30))
        try await h.engine.create(rule, maxAlerts: 10)
        let running = Task { try await h.engine.run() }
        await h.clock.waitForSleepers(2)
        h.clock.advance(by: 31)
        var status = try await h.repository.find(id: rule.id)?.status
        for _ in 0..<10_000 where status != .expired {
            await Task.yield()
            status = try await h.repository.find(id: rule.id)?.status
        }
        #expect(status == .expired)
        h.tick(600)
        await h.engine.commit()
        #expect(h.repository.stored.isEmpty, "an expired alert never fires")
        running.cancel()
        _ = await running.result
    }

    @Test("a batch that could not be stored is kept and stored once by the next commit")
    func storageFailureRetried() async throws {
        let h = Harness()
        try await h.engine.create(h.rule(.priceAbove, 150), maxAlerts: 10)
        h.repository.failNextRecords(1)
        h.tick(151)
        await h.engine.commit()
        #expect(h.repository.stored.isEmpty)
        await h.engine.commit()
        #expect(h.repository.stored.count == 1)
        #expect(h.fired.count == 1)
    }
}
