import APIInput
import Foundation
import Testing
import TestSupport
import HummingbirdTesting
import Server
import TradingDomain

/// The whole server in Polygon mode, pointed at the loopback fake.
@Suite("Server with Polygon market data", .serialized)
struct PolygonModeTests {
    /// The server in Polygon mode; the server and the fake share the market time (`at`: a regular
    /// session by default).
    func withPolygonApp(
        staleAfter: Int = 2, at start: Date = TestMarketTime.regularSession, configure: @escaping (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (PolygonFake, any TestClientProtocol) async throws -> Void
    ) async throws {
        let fake = PolygonFake()
        let time = TestMarketTime(start: start)
        fake.settings.now = { time.now }
        for (symbol, price) in [("SPY", 590), ("QQQ", 510), ("AAPL", 230), ("MSFT", 420), ("NVDA", 140), ("AMZN", 200), ("TSLA", 250)] {
            fake.setPrice(symbol, Decimal(price), previousClose: Decimal(price - 1))
        }
        try await fake.start()
        do {
            try await withApp(configure: { config in
                config.marketData = .polygon
                config.polygon.apiKey = PolygonFake.validKey
                config.polygon.webSocketURL = fake.streamURL
                config.polygon.restURL = fake.baseURL
                config.polygon.requestsPerMinute = 1_000
                config.staleAfterSeconds = staleAfter
                configure(&config)
            }, clock: time.clock) { client, _ in
                try await body(fake, client)
            }
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("prices from the stream reach /api/v1/quotes; when the stream goes silent the symbols turn stale and /ready says so")
    func pricesThenStale() async throws {
        try await withPolygonApp { fake, client in
            for _ in 0..<100 where !fake.subscribedTopics.contains("T.AAPL") { try await Task.sleep(for: .milliseconds(20)) }
            #expect(fake.subscribedTopics.isSuperset(of: ["T.AAPL", "Q.AAPL", "AM.AAPL"]))
            #expect(fake.restPaths.contains("/v2/snapshot/locale/us/markets/stocks/tickers"), "filled from one batched snapshot")

            fake.emitTrades([("AAPL", Decimal(string: "231.37")!)])
            var quote: JSONValue?
            for _ in 0..<100 {
                quote = try await client.api(.get, "/api/v1/quotes?symbols=AAPL").value()["quotes"]?[0]
                if quote?["last"]?.decimal == Decimal(string: "231.37") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(quote?["last"]?.decimal == Decimal(string: "231.37"))
            #expect(quote?["source"]?.string == "polygon")
            #expect(quote?["prev_close"]?.decimal == 229)
            #expect(quote?["stale"] == .bool(false))
            // Ready once the broker is reconciled too (its first run waits for live prices).
            var ready = try await client.execute(uri: "/ready", method: .get)
            for _ in 0..<100 where ready.status != .ok {
                // Keep the stream fresh meanwhile (it turns stale after 2 s of silence).
                fake.emitTrades([("AAPL", Decimal(string: "231.37")!)])
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.execute(uri: "/ready", method: .get)
            }
            #expect(ready.status == .ok, "\(ready.text)")

            // Silence: nothing more is sent. After stale_after (2 s) the feed and symbols are stale.
            // (The reason is a detail of /ready: it needs the key.)
            var notReady = try await client.api(.get, "/ready")
            for _ in 0..<80 where notReady.status == .ok {
                try await Task.sleep(for: .milliseconds(100))
                notReady = try await client.api(.get, "/ready")
            }
            #expect(notReady.status == .serviceUnavailable)
            #expect(notReady.text.contains("no data for over 2 s"), "\(notReady.text)")
            let stale = try await client.api(.get, "/api/v1/quotes?symbols=AAPL").value()["quotes"]?[0]
            #expect(stale?["stale"] == .bool(true))
            let diag = try await client.api(.get, "/api/v1/diag/feeds").value()
            #expect(diag["provider"]?.string == "polygon")
            #expect(diag["fresh"] == .bool(false))
        }
    }

    @Test("on a Saturday a connected, silent feed is the market being quiet: /ready stays 200, diag/feeds shows both, quotes are not stale")
    func quietOnSaturday() async throws {
        try await withPolygonApp(at: TestMarketTime.saturday) { fake, client in
            _ = await eventually { fake.subscribedTopics.contains("T.AAPL") }
            var ready = try await client.api(.get, "/ready")
            _ = try await eventually {
                ready = try await client.api(.get, "/ready")
                return ready.status == .ok
            }
            #expect(ready.status == .ok, "\(ready.text)")
            // Nothing is sent for longer than stale_after (2 s): still ready.
            try await Task.sleep(for: .seconds(3))
            let later = try await client.api(.get, "/ready")
            #expect(later.status == .ok, "\(later.text)")
            #expect(later.text.contains("market quiet"), "\(later.text)")
            let diag = try await client.api(.get, "/api/v1/diag/feeds").value()
            #expect(diag["state"]?.string == "connected")
            #expect(diag["fresh"] == .bool(true))
            #expect(diag["recent_data"] == .bool(false))
            #expect(diag["market_session"]?.string == "closed")
            #expect(diag["market_quiet"] == .bool(true))
            let quote = try await client.api(.get, "/api/v1/quotes?symbols=AAPL").value()["quotes"]?[0]
            #expect(quote?["stale"] == .bool(false), "Friday's price is expected on a Saturday")
        }
    }

    @Test("while the stream is silent the poller takes one batched snapshot per cycle; its firing says source poll")
    func pollFedFiringSaysPoll() async throws {
        try await withPolygonApp(configure: { $0.alertPollSeconds = 1 }) { fake, client in
            for _ in 0..<100 where !fake.subscribedTopics.contains("T.AAPL") { try await Task.sleep(for: .milliseconds(20)) }
            // The stream never sends a trade; both alerts are above the snapshot prices, so they wait.
            let created = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":235}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.value()["id"]?.string)
            #expect(try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"MSFT","type":"price_above","threshold":425}"#).status == .created)
            let snapshotPath = "/v2/snapshot/locale/us/markets/stocks/tickers"
            let before = fake.restRequests.count
            let started = ContinuousClock.now
            try await Task.sleep(for: .seconds(3))
            let polls = fake.restRequests.dropFirst(before).filter { $0.path == snapshotPath }
            let elapsed = Int((ContinuousClock.now - started).components.seconds) + 1
            #expect(polls.count >= 1 && polls.count <= elapsed, "one snapshot per 1 s cycle: \(polls.count) in \(elapsed) s")
            #expect(polls.allSatisfy { $0.query.contains("AAPL") && $0.query.contains("MSFT") }, "batched: \(polls.map(\.query))")
            #expect(try await client.api(.get, "/api/v1/alerts/triggers").value()["items"]?.array?.isEmpty == true, "nothing crossed yet")

            fake.setPrice("AAPL", 240, previousClose: 229)
            var triggers: [JSONValue] = []
            try await eventually {
                triggers = try await client.api(.get, "/api/v1/alerts/triggers").value()["items"]?.array ?? []
                return !triggers.isEmpty
            }
            let firing = try #require(triggers.first, "the poll fired the alert")
            #expect(firing["alert_id"]?.string == id)
            #expect(firing["price"]?.decimal == 240)
            #expect(firing["source"]?.string == "poll", "\(firing)")
            #expect(fake.received.allSatisfy { !$0.contains("\"ev\":\"T\"") }, "no trade was streamed")
        }
    }

    /// Polls `/api/v1/quotes` until `done` holds for the symbol's quote (or gives up), and returns it.
    func pollQuote(_ client: any TestClientProtocol, _ symbol: String, until done: (JSONValue?) -> Bool) async throws -> JSONValue? {
        var quote: JSONValue?
        for _ in 0..<150 {
            quote = try await client.api(.get, "/api/v1/quotes?symbols=\(symbol)").value()["quotes"]?[0]
            if done(quote) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return quote
    }

    @Test("an odd lot (condition 37) far from the market leaves last alone and fires nothing; a regular trade at that price fires")
    func oddLotIsNotAPrice() async throws {
        try await withPolygonApp(staleAfter: 30) { fake, client in
            for _ in 0..<100 where !fake.subscribedTopics.contains("T.AAPL") { try await Task.sleep(for: .milliseconds(20)) }
            fake.emitTrade("AAPL", price: Decimal(string: "231.37")!, conditions: [14, 41])
            var quote = try await pollQuote(client, "AAPL") { $0?["last"]?.decimal == Decimal(string: "231.37") }
            #expect(quote?["last"]?.decimal == Decimal(string: "231.37"))
            let volumeBefore = try #require(quote?["volume"]?.decimal)
            let created = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":250}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.value()["id"]?.string)

            // 7 shares at 300, reported as an odd lot. Once its 7 shares show in the volume it has
            // been through every sink (cache, alert engine, paper broker).
            fake.emitTrade("AAPL", price: 300, size: 7, conditions: [37])
            quote = try await pollQuote(client, "AAPL") { $0?["volume"]?.decimal == volumeBefore + 7 }
            #expect(quote?["volume"]?.decimal == volumeBefore + 7, "its shares count in the volume")
            #expect(quote?["last"]?.decimal == Decimal(string: "231.37"), "last unchanged")
            #expect(quote?["day_high"]?.decimal != 300, "the odd lot does not widen the day's range")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await client.api(.get, "/api/v1/alerts/triggers").value()["items"]?.array?.isEmpty == true, "no alert fired")
            #expect(try await client.api(.get, "/api/v1/alerts/\(id)").value()["status"]?.string == "active")

            // The same price as a regular print is the market's price: last moves and the alert fires.
            fake.emitTrade("AAPL", price: 300, conditions: nil)
            quote = try await pollQuote(client, "AAPL") { $0?["last"]?.decimal == 300 }
            #expect(quote?["last"]?.decimal == 300)
            var triggers: [JSONValue] = []
            try await eventually {
                triggers = try await client.api(.get, "/api/v1/alerts/triggers").value()["items"]?.array ?? []
                return !triggers.isEmpty
            }
            #expect(triggers.count == 1)
            #expect(triggers.first?["alert_id"]?.string == id)
            #expect(triggers.first?["price"]?.decimal == 300)
            #expect(triggers.first?["source"]?.string == "stream")
        }
    }

    @Test("an option on the watchlist streams on the options cluster as O: and its prices reach /api/v1/quotes under our OCC symbol")
    func optionSymbolGetsPrices() async throws {
        try await withPolygonApp(staleAfter: 30) { fake, client in
            fake.setPrice("O:AAPL261218C00250000", Decimal(string: "12.4")!, previousClose: 11)
            let added = try await client.api(.post, "/api/v1/watchlist", json: #"{"symbol":"AAPL261218C00250000"}"#)
            #expect(added.status == .ok || added.status == .created, "\(added.text)")
            for _ in 0..<150 where !fake.subscribedTopics(cluster: "options").contains("T.O:AAPL261218C00250000") {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(fake.subscribedTopics(cluster: "options").contains("T.O:AAPL261218C00250000"))
            #expect(!fake.subscribedTopics(cluster: "stocks").contains { $0.contains("AAPL261218C00250000") })
            // Filled from the universal snapshot at once, then the stream moves it.
            var quote = try await pollQuote(client, "AAPL261218C00250000") { $0?["last"]?.decimal == Decimal(string: "12.4") }
            #expect(quote?["last"]?.decimal == Decimal(string: "12.4"))
            #expect(quote?["prev_close"]?.decimal == 11)
            fake.emitTrade("O:AAPL261218C00250000", price: Decimal(string: "12.65")!, size: 3, conditions: [209])
            quote = try await pollQuote(client, "AAPL261218C00250000") { $0?["last"]?.decimal == Decimal(string: "12.65") }
            #expect(quote?["last"]?.decimal == Decimal(string: "12.65"))
            #expect(quote?["source"]?.string == "polygon")
        }
    }
}
