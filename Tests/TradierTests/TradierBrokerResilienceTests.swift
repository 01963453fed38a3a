import AsyncHTTPClient
import Foundation
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine

/// The adapter's behaviour when Tradier fails, throttles or never answers.
@Suite struct TradierBrokerResilienceTests {
    @Test func writesAreNeverRetriedButReadsAre() async throws {
        let h = try await TradierHarness.start(polling: false)
        // A 502 may come from a gateway that forwarded the order: the outcome is unknown.
        h.fake.failNext(.status(502))
        await #expect(throws: BrokerError.outcomeUnknown("HTTP 502: Bad Gateway")) {
            try await h.broker.place(Orders.limitBuy(), clientOrderID: "r-1")
        }
        #expect(h.requests("POST", suffix: "/orders").count == 1)
        #expect(h.fake.orders.isEmpty)
        // A 503 says the request was not handled: proven not placed.
        h.fake.failNext(.status(503))
        do {
            _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "r-2")
            Issue.record("expected a 503 to fail the placement")
        } catch {
            guard case .unavailable = error else { Issue.record("got \(error)"); return }
            #expect(error.provesNotPlaced)
        }
        #expect(h.requests("POST", suffix: "/orders").count == 2)
        #expect(h.fake.orders.isEmpty)
        h.fake.failNext(.html(503))
        await #expect(throws: BrokerError.self) { try await h.broker.cancel(brokerOrderID: "1") }
        #expect(h.fake.requests.filter { $0.method == "DELETE" }.count == 1)

        h.fake.clearRequests()
        h.fake.failNext(.status(502))
        h.fake.failNext(.html(503))
        h.fake.failNext(.fault(status: 503, message: "Datastore Error"))
        #expect(try await h.broker.orders().isEmpty)
        #expect(h.requests("GET", suffix: "/orders").count == 4)
        h.fake.clearRequests()
        h.fake.failNext(.status(404))
        _ = try await h.broker.account()  // Tradier's temporary 404
        #expect(h.requests("GET", suffix: "/balances").count == 2)
        h.fake.clearRequests()
        h.fake.failNext(.status(500), count: 10)
        await #expect(throws: BrokerError.self) { try await h.broker.positions() }
        #expect(h.fake.requests.count == 4)  // bounded
        await h.stop()
    }

    @Test func readsWaitForTheRateLimitWindowInsteadOfHitting429() async throws {
        let h = try await TradierHarness.start(polling: false) { $0.limitStandard(2, window: .seconds(3)) }
        _ = try await h.broker.account()
        _ = try await h.broker.account()
        let headroom = h.broker.rateLimitHeadroom()
        #expect(headroom.available == 0)
        let resetsAt = try #require(headroom.resetsAt)
        #expect(resetsAt > Date())
        _ = try await h.broker.account()
        #expect(Date() >= resetsAt.addingTimeInterval(-0.01))
        #expect(h.fake.requests.count == 3)  // waited: no 429 was provoked

        h.fake.settings.tradingPerMinute = 1
        h.fake.settings.rateLimitWindow = .seconds(60)
        _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "rl-1")
        let before = h.fake.requests.count
        do {
            _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "rl-2")
            Issue.record("expected rate limited")
        } catch {
            guard case .rateLimited(let after) = error else { Issue.record("got \(error)"); return }
            #expect((after ?? 0) > 30)
        }
        #expect(h.fake.requests.count == before)  // refused without sending
        await h.stop()
    }

    @Test func a429OnAReadIsWaitedOutAndRetried() async throws {
        let h = try await TradierHarness.start(polling: false) { $0.limitStandard(1, window: .seconds(2)) }
        // Another client used the budget: the first answer we see is a 429 with the expiry.
        var raw = HTTPClientRequest(url: h.fake.baseURL.absoluteString + "user/profile")
        raw.headers.add(name: "Authorization", value: "Bearer \(TradierFake.validToken)")
        _ = try await HTTPClient.shared.execute(raw, timeout: .seconds(5))
        _ = try await h.broker.positions()
        #expect(h.requests("GET", suffix: "/positions").count == 2)
        await h.stop()
    }

    @Test func aDroppedPlacementIsFoundByItsTag() async throws {
        let h = try await TradierHarness.start()
        h.fake.dropConnectionAfterNextOrder()
        do {
            _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "drop-1")
            Issue.record("expected the placement to fail")
        } catch {
            guard case .outcomeUnknown = error else { Issue.record("got \(error)"); return }
            #expect(!error.provesNotPlaced)
            #expect(!error.description.contains(TradierFake.validToken))
        }
        #expect(h.requests("POST", suffix: "/orders").count == 1)
        let seen = try #require(await h.collector.waitForOrder("drop-1", status: .open))
        #expect(seen.brokerOrderID == h.fake.order(tag: "drop-1").map { "\($0.id)" })
        #expect(try await h.broker.order(clientOrderID: "drop-1")?.status == .open)
        await h.stop()
    }

    @Test func tokenNeverAppearsInAnyError() async throws {
        let h = try await TradierHarness.start(polling: false, retry: TradierRetryPolicy(maxAttempts: 1))
        var errors: [any Error] = []
        func collect(_ body: () async throws -> Void) async {
            do { try await body() } catch { errors.append(error) }
        }
        h.fake.failNext(.status(502))
        await collect { _ = try await h.broker.account() }
        h.fake.failNext(.html(503))
        await collect { _ = try await h.broker.orders() }
        h.fake.failNext(.dropConnection)
        await collect { _ = try await h.broker.positions() }
        h.fake.failNext(.fault(status: 401, message: "Access Token expired"))
        await collect { _ = try await h.broker.account() }
        h.fake.failNextOrder(errors: ["IncorrectOrderQuantity"])
        await collect { _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "t-1") }
        await collect { try await h.broker.cancel(brokerOrderID: "424242") }
        #expect(errors.count == 6)
        for error in errors {
            #expect(error is BrokerError)
            #expect(!String(describing: error).contains(TradierFake.validToken))
            #expect(!String(reflecting: error).contains(TradierFake.validToken))
        }
        await h.stop()
    }

    @Test func aPlacementThatTimesOutIsNotRetriedAndIsFoundLater() async throws {
        let fake = TradierFake()
        try await fake.start()
        let configuration = TradierConfiguration(
            accessToken: TradierFake.validToken, accountID: TradierFake.defaultAccount, baseURL: fake.baseURL,
            pollInterval: .milliseconds(50), requestTimeout: .milliseconds(250))
        let broker = try TradierBroker(configuration: configuration)
        let collector = UpdateCollector(broker)
        let runner = Task { try await broker.run() }
        fake.settings.delay = .milliseconds(700)
        await #expect(throws: BrokerError.outcomeUnknown("POST accounts/VA000001/orders: timed out")) {
            try await broker.place(Orders.limitBuy(), clientOrderID: "slow-1")
        }
        fake.settings.delay = .zero
        let seen = try #require(await collector.waitForOrder("slow-1", status: .open))
        #expect(seen.brokerOrderID == fake.order(tag: "slow-1").map { "\($0.id)" })
        #expect(fake.requests.filter { $0.method == "POST" }.count == 1)
        runner.cancel()
        _ = await runner.result
        collector.task.cancel()
        await fake.stop()
    }

    @Test func pollingStaysWithinTheRateLimit() async throws {
        // A window longer than the test: the budget of 10 requests can only be spent once, and the
        // poller spreads what is left (minus a reserve of 5 for the user's own calls) over the window.
        let h = try await TradierHarness.start(pollInterval: .milliseconds(5)) { $0.limitStandard(10, window: .seconds(5)) }
        _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "busy-1")
        try await Task.sleep(for: .milliseconds(1500))
        let polls = h.requests("GET", suffix: "/orders").count
        #expect(polls >= 2)
        #expect(polls <= 10 - 5 + 1)
        #expect(h.fake.rateLimitedAnswers == 0)
        let headroom = h.broker.rateLimitHeadroom()
        #expect(headroom.available != nil)
        await h.stop()
    }
}
