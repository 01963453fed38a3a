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

    @Test("side changes without a firing are stored by the writer's once-a-second round")
    func sideChangesStoredEachSecond() async throws {
        let h = Harness()
        let rule = h.rule(.priceCross, 100)
        try await h.engine.create(rule, maxAlerts: 10)
        let running = Task { try await h.engine.run() }
        await h.clock.waitForSleepers(2)
        h.tick(99)  // first observation: the side is learnt, nothing fires
        #expect(h.engine.rule(id: rule.id)?.lastSide == .below)
        h.clock.advance(by: 1)
        var side = try await h.repository.find(id: rule.id)?.lastSide
        for _ in 0..<10_000 where side != .below {
            await Task.yield()
            side = try await h.repository.find(id: rule.id)?.lastSide
        }
        #expect(side == .below)
        #expect(h.repository.stored.isEmpty)
        running.cancel()
        _ = await running.result
    }

    @Test("the writer is woken for firings, expiries and a full queue of side changes, not for each side change")
    func wakePolicy() {
        func rule(_ side: AlertSide) -> AlertRule {
            var rule = AlertRule(id: UUID(), symbol: Symbol(trusted: "AAPL"), type: .priceCross, threshold: 100, mode: .once,
                                 cooldownSeconds: nil, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
            rule.lastSide = side
            return rule
        }
        var batch = PendingBatch(reservingCapacity: PendingBatch.typicalChanges)
        batch.add(AlertEvaluation(changed: [rule(.above)]))
        #expect(!batch.isEmpty && !batch.isUrgent && !batch.isFull)
        for _ in 1..<(PendingBatch.typicalChanges / 2) { batch.add(AlertEvaluation(changed: [rule(.below)])) }
        #expect(batch.isFull && !batch.isUrgent)
        var expiring = PendingBatch()
        expiring.add(AlertEvaluation(expired: [rule(.unknown)]))
        #expect(expiring.isUrgent)
        // The newest state per alert is kept; a later firing supersedes a queued side change.
        let same = rule(.above)
        var merged = PendingBatch()
        merged.add(AlertEvaluation(changed: [same]))
        var later = same
        later.lastSide = .below
        merged.add(AlertEvaluation(changed: [later]))
        #expect(merged.evaluation.changed == [later])
    }
}
