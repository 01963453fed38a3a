import Foundation
import Logging
import Testing
import TestSupport
import TradingDomain
@testable import Polygon
import TradingEngine

/// Collects what a feed delivers.
final class CollectingSink: MarketEventSink, @unchecked Sendable {
    let lock = NSLock()
    var events: [MarketEvent] = []
    func receive(_ events: [MarketEvent]) { lock.withLock { self.events += events } }
    var trades: [Trade] {
        lock.withLock { events.compactMap { if case .trade(let trade) = $0 { trade } else { nil } } }
    }
}


let quietLogger = Logger(label: "polygon-test") { _ in SwiftLogNoOpLogHandler() }

/// The live adapter against the loopback fake that speaks Polygon's protocol.
@Suite("Polygon adapter against the fake", .serialized)
struct PolygonLiveClientTests {
    func withFeed(
        key: String = PolygonFake.validKey, prepare: (PolygonFake) -> Void = { _ in },
        _ body: (PolygonFake, PolygonStreamFeed, CollectingSink) async throws -> Void
    ) async throws {
        let fake = PolygonFake()
        prepare(fake)
        try await fake.start()
        let feed = PolygonStreamFeed(
            url: fake.streamURL, apiKey: key, backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200)),
            maxConnectionsWait: .milliseconds(300), clock: SystemClockForTests(), logger: quietLogger)
        let sink = CollectingSink()
        let task = Task { try await feed.run(sink: sink) }
        do {
            try await body(fake, feed, sink)
        } catch {
            task.cancel()
            await fake.stop()
            throw error
        }
        task.cancel()
        _ = try? await task.value
        await fake.stop()
    }

    @Test("connects, authenticates, subscribes to T/Q/AM for the watchlist, and delivers batched trades exactly")
    func pricesFlow() async throws {
        try await withFeed { fake, feed, sink in
            await feed.setSymbols([Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT")])
            #expect(await eventually { fake.subscribedTopics.isSuperset(of: ["T.AAPL", "Q.AAPL", "AM.AAPL", "T.MSFT"]) }, "subscribed")
            #expect(feed.status().state == .connected)
            fake.emitTrades([("AAPL", Decimal(string: "190.125")!), ("MSFT", Decimal(string: "420.5")!), ("TSLA", 250)])
            #expect(await eventually { sink.trades.count == 2 }, "trades")
            #expect(sink.trades.map(\.price) == [Decimal(string: "190.125")!, Decimal(string: "420.5")!], "unsubscribed TSLA is not sent")
            #expect(fake.received.first?.contains(#""action":"auth""#) == true, "auth is the first message")
        }
    }

    @Test("watchlist changes subscribe and unsubscribe on the open connection")
    func liveSubscriptionChanges() async throws {
        try await withFeed { fake, feed, _ in
            await feed.setSymbols([Symbol(trusted: "AAPL")])
            #expect(await eventually { fake.subscribedTopics.contains("T.AAPL") }, "AAPL")
            await feed.setSymbols([Symbol(trusted: "NVDA")])
            #expect(await eventually { fake.subscribedTopics.contains("T.NVDA") && !fake.subscribedTopics.contains("T.AAPL") }, "NVDA only")
            #expect(fake.connectionsOpened == 1, "no reconnect needed")
        }
    }

    @Test("after the fake drops the connection the adapter reconnects, re-authenticates, re-subscribes, and prices flow again")
    func reconnects() async throws {
        try await withFeed { fake, feed, sink in
            await feed.setSymbols([Symbol(trusted: "AAPL")])
            #expect(await eventually { fake.subscribedTopics.contains("T.AAPL") }, "subscribed")
            fake.dropConnections()
            #expect(await eventually { fake.authAttempts >= 2 && fake.subscribedTopics.contains("T.AAPL") }, "second connection")
            #expect(feed.status().reconnects >= 1)
            fake.emitTrades([("AAPL", 191)])
            #expect(await eventually { sink.trades.last?.price == 191 }, "trade after reconnect")
        }
    }

    @Test("auth_failed stops retrying and says why")
    func authFailed() async throws {
        try await withFeed(key: "wrong-key") { fake, feed, _ in
            #expect(await eventually { feed.status().state == .failed }, "failed state")
            #expect(feed.status().detail.contains("POLYGON_API_KEY"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(fake.authAttempts == 1, "no retry with a key that was refused")
        }
    }

    @Test("max_connections backs off hard instead of hammering")
    func maxConnections() async throws {
        try await withFeed { fake, feed, _ in
            await feed.setSymbols([Symbol(trusted: "AAPL")])
            #expect(await eventually { feed.status().state == .connected }, "first connected")
            let second = PolygonStreamFeed(
                url: fake.streamURL, apiKey: PolygonFake.validKey, backoff: Backoff(initial: .milliseconds(10)),
                maxConnectionsWait: .seconds(30), clock: SystemClockForTests(), logger: quietLogger)
            let task = Task { try await second.run(sink: CollectingSink()) }
            #expect(await eventually { second.status().detail.contains("too many connections") }, "refused")
            try await Task.sleep(for: .milliseconds(300))
            #expect(fake.connectionsOpened == 2, "the refused client waits before trying again")
            task.cancel()
            _ = try? await task.value
        }
    }

    @Test("malformed frames are skipped and the good events in them still arrive")
    func malformedFrames() async throws {
        try await withFeed { fake, feed, sink in
            await feed.setSymbols([Symbol(trusted: "AAPL")])
            #expect(await eventually { fake.subscribedTopics.contains("T.AAPL") }, "subscribed")
            fake.emitRaw("this is not json")
            fake.emitRaw(#"[{"ev":"T","sym":"AAPL","p":"oops"},{"ev":"XYZ"},{"ev":"T","sym":"AAPL","i":"9","x":4,"p":188.5,"s":10,"t":1651684192536,"q":1,"z":3}]"#)
            #expect(await eventually { sink.trades.last?.price == Decimal(string: "188.5") }, "good trade")
            #expect(feed.status().state == .connected)
        }
    }

    @Test("REST: one batched snapshot call, DELAYED accepted, exact decimals")
    func snapshots() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", Decimal(string: "190.125")!, previousClose: 188)
        fake.setPrice("MSFT", 420, previousClose: 421)
        var settings = fake.settings
        settings.delayed = true
        fake.settings = settings
        let client = try PolygonRESTClient(restBase: fake.baseURL, apiKey: PolygonFake.validKey, requestsPerMinute: 100, logger: quietLogger)
        let result = try await client.snapshots(for: [Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT"), Symbol(trusted: "ZZZZ")])
        #expect(result[Symbol(trusted: "AAPL")]?.last == Decimal(string: "190.125"))
        #expect(result[Symbol(trusted: "AAPL")]?.previousClose == 188)
        #expect(result[Symbol(trusted: "ZZZZ")] == nil)
        #expect(fake.restPaths == ["/v2/snapshot/locale/us/markets/stocks/tickers"])
    }

    @Test("REST: bars follow next_url across pages with our auth")
    func barPaging() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", 100)
        var settings = fake.settings
        settings.rangePageSize = 10
        fake.settings = settings
        let client = try PolygonRESTClient(restBase: fake.baseURL, apiKey: PolygonFake.validKey, requestsPerMinute: 100, logger: quietLogger)
        let end = Date(epochMilliseconds: 1_780_000_000_000 / 60_000 * 60_000)
        let bars = try await client.bars(for: Symbol(trusted: "AAPL"), timespan: .minute, from: end.addingTimeInterval(-24 * 60), to: end, limit: 100)
        #expect(bars.count == 25)
        #expect(fake.restPaths.count == 3)
        #expect(bars.map(\.start) == bars.map(\.start).sorted())
    }

    @Test("REST: an unknown key is 'unauthorized'; past the per-minute budget a 429 is waited out")
    func errors() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", 100)
        let bad = try PolygonRESTClient(restBase: fake.baseURL, apiKey: "nope", requestsPerMinute: 100, logger: quietLogger)
        await #expect(throws: MarketDataError.unauthorized("Unknown API Key")) {
            _ = try await bad.snapshots(for: [Symbol(trusted: "AAPL")])
        }
        var settings = fake.settings
        settings.restPerMinute = 1
        fake.settings = settings
        let client = try PolygonRESTClient(
            restBase: fake.baseURL, apiKey: PolygonFake.validKey, requestsPerMinute: 100, logger: quietLogger,
            rateLimitWait: .milliseconds(100))
        _ = try await client.snapshots(for: [Symbol(trusted: "AAPL")])
        await #expect(throws: MarketDataError.self) {
            _ = try await client.snapshots(for: [Symbol(trusted: "AAPL")])
        }
        #expect(fake.restPaths.count == 4, "the first call, then the second tried three times (two waits) before giving up")
    }
}

struct SystemClockForTests: WallClock {
    func now() -> Date { Date() }
}
