import Foundation
import Testing
import TestSupport
import TradingDomain
import TradingEngine
import TradingEngineTesting
@testable import Polygon

/// The REST budget by plan (docs/vendors.md §1.6), on a manual clock: no real waiting.
@Suite("Polygon request budget", .serialized)
struct PolygonRequestBudgetTests {
    /// Starts `acquire(priority)` in a task and waits (no real time) until it is queued or granted.
    func start(_ budget: RequestBudget, _ priority: PolygonRequestPriority) async -> Task<Void, any Error> {
        let before = await budget.waitingCount + budget.granted.count
        let task = Task { try await budget.acquire(priority) }
        for _ in 0..<10_000 where await budget.waitingCount + budget.granted.count == before { await Task.yield() }
        return task
    }

    func settle(_ budget: RequestBudget, granted count: Int) async {
        for _ in 0..<10_000 where await budget.granted.count < count { await Task.yield() }
    }

    @Test("free plan: waiting alert polls and catch-ups go before charts, whatever the arrival order; charts never take the last slot")
    func priorityOrdering() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(perMinute: 2, clock: clock)
        try await budget.acquire(.urgent)
        // A chart arrives: one start is left in the window, but it is kept for urgent calls.
        let chart = await start(budget, .background)
        #expect(await budget.waitingCount == 1)
        // The poll arrives after the chart and goes at once.
        let poll = await start(budget, .urgent)
        try await poll.value
        // Window full: a catch-up and another chart queue behind the first chart.
        let catchUp = await start(budget, .urgent)
        let chart2 = await start(budget, .background)
        #expect(await budget.waitingCount == 3)
        #expect(await budget.granted == [.urgent, .urgent])

        await clock.waitForSleepers()
        clock.advance(by: 60)
        try await catchUp.value
        await settle(budget, granted: 3)
        #expect(await budget.granted == [.urgent, .urgent, .urgent], "the catch-up first, though both charts waited longer")
        #expect(await budget.waitingCount == 2, "the charts wait: the window's other start is kept for urgent calls")

        await clock.waitForSleepers()
        clock.advance(by: 60)
        try await chart.value
        await settle(budget, granted: 4)
        #expect(await budget.granted == [.urgent, .urgent, .urgent, .background])
        await clock.waitForSleepers()
        clock.advance(by: 60)
        try await chart2.value
        #expect(await budget.granted.last == .background, "charts in arrival order")
    }

    @Test("free plan: five starts a minute, the sixth waits for the window")
    func freeWindow() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(perMinute: 5, clock: clock)
        for _ in 0..<5 { try await budget.acquire(.urgent) }
        let sixth = await start(budget, .urgent)
        await clock.waitForSleepers()
        clock.advance(by: 59)
        #expect(await budget.granted.count == 5)
        clock.advance(by: 1)
        try await sixth.value
        #expect(await budget.granted.count == 6)
    }

    @Test("paid plan: no minute budget, but a 429 pause holds every call, urgent first when it ends")
    func paidPause() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(perMinute: nil, clock: clock)
        for _ in 0..<200 { try await budget.acquire(.background) }
        #expect(await budget.granted.count == 200, "200 calls without the clock moving")
        await budget.pause(for: .seconds(2))
        let chart = await start(budget, .background)
        let poll = await start(budget, .urgent)
        await clock.waitForSleepers()
        clock.advance(by: 1.9)
        #expect(await budget.granted.count == 200)
        clock.advance(by: 0.1)
        try await poll.value
        try await chart.value
        #expect(await budget.granted.suffix(2) == [.urgent, .background])
    }

    @Test("a waiting call that is cancelled leaves the queue")
    func cancellation() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(perMinute: 1, clock: clock)
        try await budget.acquire(.urgent)
        let waiting = await start(budget, .urgent)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(await budget.waitingCount == 0)
    }

    // MARK: the client on the fake

    func client(_ fake: PolygonFake, plan: PolygonPlan, clock: ManualClock) throws -> PolygonRESTClient {
        try PolygonRESTClient(
            restBase: fake.baseURL, apiKey: PolygonFake.validKey, plan: plan, requestsPerMinute: 5, clock: clock, logger: quietLogger)
    }

    @Test("client, free plan: the sixth snapshot in a minute waits on the clock; paid: twenty go straight through")
    func clientPlans() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", 230)
        let clock = ManualClock()
        let free = try client(fake, plan: .free, clock: clock)
        for _ in 0..<5 { _ = try await free.snapshots(for: [Symbol(trusted: "AAPL")]) }
        let sixth = Task { try await free.snapshots(for: [Symbol(trusted: "AAPL")]) }
        await clock.waitForSleepers()
        #expect(fake.restPaths.count == 5)
        clock.advance(by: 60)
        _ = try await sixth.value
        #expect(fake.restPaths.count == 6)

        let paid = try client(fake, plan: .paid, clock: ManualClock())
        for _ in 0..<20 { _ = try await paid.snapshots(for: [Symbol(trusted: "AAPL")]) }
        #expect(fake.restPaths.count == 26)
    }

    @Test("client, paid plan: a 429 is backed off on the clock (1 s, then 2 s) and retried, then reported")
    func paidBacksOff() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", 230)
        var settings = fake.settings
        settings.restPerMinute = 1
        fake.settings = settings
        let clock = ManualClock()
        let paid = try client(fake, plan: .paid, clock: clock)
        _ = try await paid.snapshots(for: [Symbol(trusted: "AAPL")])
        let limited = Task { try await paid.snapshots(for: [Symbol(trusted: "AAPL")]) }
        await clock.waitForSleepers()
        #expect(fake.restPaths.count == 2, "the 429")
        clock.advance(by: 0.9)
        #expect(fake.restPaths.count == 2, "still backing off")
        clock.advance(by: 0.1)
        for _ in 0..<500 where fake.restPaths.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(fake.restPaths.count == 3, "retried after 1 s")
        await clock.waitForSleepers()
        clock.advance(by: 2)
        await #expect(throws: MarketDataError.self) { _ = try await limited.value }
        #expect(fake.restPaths.count == 4, "retried after 2 s more, then given up")
    }
}
