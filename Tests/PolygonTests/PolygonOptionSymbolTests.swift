import Foundation
import Testing
import TestSupport
import TradingDomain
import TradingEngine
@testable import Polygon

/// Option symbols (docs/vendors.md §1.8): our OCC symbols ↔ Polygon's `O:` tickers, streamed on the
/// options cluster (its own connection) and filled from the universal snapshot.
@Suite("Polygon option symbols", .serialized)
struct PolygonOptionSymbolTests {
    let call = Symbol(trusted: "AAPL261218C00250000")
    let aapl = Symbol(trusted: "AAPL")

    @Test("OCC ↔ O: both ways; stocks unchanged; O: without an option after it is refused")
    func mapping() {
        #expect(PolygonTicker.ticker(for: call) == "O:AAPL261218C00250000")
        #expect(PolygonTicker.ticker(for: aapl) == "AAPL")
        #expect(PolygonTicker.symbol(from: "O:AAPL261218C00250000") == call)
        #expect(PolygonTicker.symbol(from: "O:SPY241220P00720000") == Symbol(trusted: "SPY241220P00720000"))
        #expect(PolygonTicker.symbol(from: "AAPL") == aapl)
        #expect(PolygonTicker.symbol(from: "O:AAPL") == nil)
        #expect(PolygonTicker.symbol(from: "X:BTCUSD") == nil)
        for symbol in [call, aapl, Symbol(trusted: "BRK.B")] {
            #expect(PolygonTicker.symbol(from: PolygonTicker.ticker(for: symbol)) == symbol, "round trip \(symbol)")
        }
    }

    @Test("topics, URLs: options carry O:, the stocks snapshot leaves them out, the options cluster sits beside /stocks")
    func topicsAndURLs() throws {
        #expect(PolygonClientMessage.topics(for: [call, aapl], channels: [.trades, .quotes]) ==
            ["T.AAPL", "Q.AAPL", "T.O:AAPL261218C00250000", "Q.O:AAPL261218C00250000"])
        let urls = PolygonURLs()
        #expect(urls.snapshot(for: [call]) == nil)
        #expect(urls.snapshot(for: [call, aapl])?.absoluteString.hasSuffix("tickers=AAPL") == true)
        #expect(urls.optionSnapshot(for: [aapl]) == nil)
        #expect(urls.optionSnapshot(for: [call, aapl])?.absoluteString ==
            "https://api.massive.com/v3/snapshot?ticker.any_of=O%3AAAPL261218C00250000&limit=250")
        #expect(urls.bars(for: call, timespan: .minute, from: "2026-12-01", to: "2026-12-02").path.contains("O:AAPL261218C00250000"))
        #expect(PolygonURLs.optionsStreamURL(forStocks: "wss://socket.massive.com/stocks") == "wss://socket.massive.com/options")
        #expect(PolygonURLs.optionsStreamURL(forStocks: "wss://delayed.massive.com/stocks") == "wss://delayed.massive.com/options")
        #expect(PolygonURLs.optionsStreamURL(forStocks: "ws://127.0.0.1:8080/stocks") == "ws://127.0.0.1:8080/options")
        #expect(PolygonURLs.optionsStreamURL(forStocks: "wss://example.com/feed") == nil)
    }

    @Test("an option wanted opens the options cluster and subscribes O: there; its trades arrive as our OCC symbol")
    func streamsOnOptionsCluster() async throws {
        let fake = PolygonFake()
        try await fake.start()
        let backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let feed = PolygonClusterFeed(
            stocks: PolygonStreamFeed(url: fake.streamURL, apiKey: PolygonFake.validKey, backoff: backoff, clock: SystemClockForTests(), logger: quietLogger),
            options: PolygonStreamFeed(url: fake.optionsStreamURL, apiKey: PolygonFake.validKey, backoff: backoff, clock: SystemClockForTests(), logger: quietLogger))
        let sink = CollectingSink()
        let task = Task { try await feed.run(sink: sink) }
        defer { task.cancel() }
        await feed.setSymbols([aapl])
        #expect(await eventually { fake.subscribedTopics(cluster: "stocks").contains("T.AAPL") })
        #expect(fake.openConnections(cluster: "options") == 0, "no options connection until an option is wanted")

        await feed.setSymbols([aapl, call])
        #expect(await eventually { fake.subscribedTopics(cluster: "options").isSuperset(of: ["T.O:AAPL261218C00250000", "Q.O:AAPL261218C00250000"]) })
        #expect(fake.subscribedTopics(cluster: "stocks").allSatisfy { !$0.contains("O:") }, "options never go to the stocks cluster")
        #expect(fake.openConnections(cluster: "options") == 1 && fake.openConnections(cluster: "stocks") == 1, "one connection per cluster")

        fake.emitTrade("O:AAPL261218C00250000", price: Decimal(string: "12.35")!, size: 2, conditions: [209])
        #expect(await eventually { sink.trades.contains { $0.symbol == call } })
        let trade = try #require(sink.trades.first { $0.symbol == call })
        #expect(trade.price == Decimal(string: "12.35"))
        #expect(trade.updatesLast)
        #expect(feed.status().state == .connected)

        await feed.setSymbols([aapl])
        #expect(await eventually { !fake.subscribedTopics(cluster: "options").contains("T.O:AAPL261218C00250000") }, "unsubscribed live")
        task.cancel()
        _ = try? await task.value
        await fake.stop()
    }

    @Test("snapshots: stocks batched as before, options from one universal snapshot as our OCC symbols")
    func optionSnapshot() async throws {
        let fake = PolygonFake()
        try await fake.start()
        defer { Task { await fake.stop() } }
        fake.setPrice("AAPL", 230, previousClose: 229)
        fake.setPrice("O:AAPL261218C00250000", Decimal(string: "12.4")!, previousClose: 11)
        let client = try PolygonRESTClient(restBase: fake.baseURL, apiKey: PolygonFake.validKey, requestsPerMinute: 100, logger: quietLogger)
        let unknown = Symbol(trusted: "AAPL261218P00100000")
        let result = try await client.snapshots(for: [aapl, call, unknown])
        #expect(result[aapl]?.last == 230)
        #expect(result[call]?.last == Decimal(string: "12.4"))
        #expect(result[call]?.bid == Decimal(string: "12.35"))
        #expect(result[call]?.ask == Decimal(string: "12.45"))
        #expect(result[call]?.previousClose == 11)
        #expect(result[unknown] == nil, "the NOT_FOUND entry is skipped")
        #expect(fake.restPaths == ["/v2/snapshot/locale/us/markets/stocks/tickers", "/v3/snapshot"])
    }

    @Test("a snapshot whose last trade is an odd lot takes the day's close as last instead")
    func snapshotOddLot() throws {
        let body = Data(#"""
            {"status":"OK","tickers":[{"ticker":"AAPL","day":{"o":229,"h":231,"l":228.5,"c":230.25,"v":1000},
            "lastTrade":{"c":[37],"p":300,"s":3,"t":1780000000000000000},"updated":1780000000000000000},
            {"ticker":"MSFT","day":{"c":420},"lastTrade":{"c":null,"p":421.5,"s":100,"t":1780000000000000000}}]}
            """#.utf8)
        let snapshots = try PolygonRESTParser.snapshots(body)
        #expect(snapshots.first { $0.symbol == aapl }?.last == Decimal(string: "230.25"))
        #expect(snapshots.first { $0.symbol == aapl }?.lastTime == nil)
        #expect(snapshots.first { $0.symbol == Symbol(trusted: "MSFT") }?.last == Decimal(string: "421.5"))
    }
}
