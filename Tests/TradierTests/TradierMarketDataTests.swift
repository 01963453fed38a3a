import Foundation
import Logging
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine
import TradingEngineTesting

/// Tradier's REST market data as the snapshot port, against the loopback fake.
@Suite("Tradier market data (REST) against the fake")
struct TradierMarketDataTests {
    static let logger = Logger(label: "tradier-market-test") { _ in SwiftLogNoOpLogHandler() }
    let clock = ManualClock()

    func withClient(
        token: String = TradierFake.validToken, quoteBatch: Int = 200, _ body: (TradierFake, TradierMarketData) async throws -> Void
    ) async throws {
        let fake = TradierFake()
        try await fake.start()
        let retry = TradierRetryPolicy(initialDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        let client = try TradierMarketData(
            configuration: TradierConfiguration(accessToken: token, accountID: TradierFake.defaultAccount, baseURL: fake.baseURL, retry: retry),
            clock: clock, logger: Self.logger, quoteBatch: quoteBatch)
        do {
            try await body(fake, client)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("snapshots: one batched quotes call for every symbol; unknown symbols absent; exact values")
    func batchedSnapshots() async throws {
        try await withClient { fake, client in
            let traded = Date(timeIntervalSince1970: 1_780_000_000)
            fake.setQuote(TradierFakeQuote(
                symbol: "AAPL", last: dec("231.37"), bid: dec("231.36"), ask: dec("231.38"), open: dec("229.1"), high: dec("232.5"),
                low: dec("228.75"), previousClose: 229, volume: 51_234_567, tradeDate: traded))
            fake.setQuote("MSFT", last: 420)
            fake.setQuote("BRK/B", last: dec("455.1"))
            let symbols = ["MSFT", "AAPL", "XYZ", "BRK.B"].map { Symbol(trusted: $0) }
            let snapshots = try await client.snapshots(for: symbols)
            let quotes = fake.requests.filter { $0.path == "/v1/markets/quotes" }
            #expect(quotes.count == 1, "one call for all symbols")
            #expect(quotes.first?.query["symbols"] == "AAPL,BRK/B,MSFT,XYZ")
            #expect(quotes.first?.query["greeks"] == "false")
            #expect(Set(snapshots.keys) == Set(["AAPL", "MSFT", "BRK.B"].map { Symbol(trusted: $0) }))
            let aapl = try #require(snapshots[Symbol(trusted: "AAPL")])
            #expect(aapl.last == dec("231.37"), "sent as 231.37000000000000000 by the fake")
            #expect(aapl.previousClose == 229)
            #expect(aapl.dayHigh == dec("232.5") && aapl.dayLow == dec("228.75") && aapl.dayOpen == dec("229.1"))
            #expect(aapl.dayVolume == 51_234_567)
            #expect(aapl.lastTime == traded)
            #expect(snapshots[Symbol(trusted: "MSFT")]?.dayHigh == nil, "null high before the open")
        }
    }

    @Test("more symbols than one batch holds: one call per batch")
    func chunked() async throws {
        try await withClient(quoteBatch: 2) { fake, client in
            for symbol in ["A", "B", "C"] { fake.setQuote(symbol, last: 10) }
            let snapshots = try await client.snapshots(for: ["A", "B", "C"].map { Symbol(trusted: $0) })
            #expect(snapshots.count == 3)
            #expect(fake.requests.filter { $0.path == "/v1/markets/quotes" }.map { $0.query["symbols"] } == ["A,B", "C"])
        }
    }

    @Test("minute bars come from timesales (New York times in the query, all sessions); daily bars from history")
    func bars() async throws {
        try await withClient { fake, client in
            let open = Date(timeIntervalSince1970: 1_751_376_600)  // 2025-07-01 09:30 New York
            let minuteBars: [TradierFakeBar] = (0..<5).map { (i: Int) -> TradierFakeBar in
                let step = Decimal(i)
                return TradierFakeBar(start: open.addingTimeInterval(Double(i) * 60), open: 100 + step, high: 101 + step,
                                      low: 99 + step, close: dec("100.25") + step, volume: 1000 * (i + 1))
            }
            fake.setMinuteBars("AAPL", minuteBars)
            let minute = try await client.bars(
                for: Symbol(trusted: "AAPL"), timespan: .minute, from: open.addingTimeInterval(-3600), to: open.addingTimeInterval(600), limit: 3)
            #expect(minute.map(\.close) == [dec("102.25"), dec("103.25"), dec("104.25")], "the newest 3, oldest first")
            #expect(minute.first?.start == open.addingTimeInterval(120))
            let request = try #require(fake.requests.last { $0.path == "/v1/markets/timesales" })
            #expect(request.query["start"] == "2025-07-01 08:30")
            #expect(request.query["end"] == "2025-07-01 09:40")
            #expect(request.query["interval"] == "1min" && request.query["session_filter"] == "all")

            let day = Date(timeIntervalSince1970: 1_751_342_400)  // 2025-07-01 00:00 New York
            fake.setDailyBars("AAPL", [
                TradierFakeBar(start: day.addingTimeInterval(-86_400), open: 200, high: 210, low: 195, close: dec("205.5"), volume: 9),
                TradierFakeBar(start: day, open: 205, high: 207, low: 201, close: dec("206.75"), volume: 8),
            ])
            let daily = try await client.bars(for: Symbol(trusted: "AAPL"), timespan: .day, from: day.addingTimeInterval(-10 * 86_400), to: open, limit: 250)
            #expect(daily.map(\.close) == [dec("205.5"), dec("206.75")])
            #expect(daily.last?.start == day)
            #expect(fake.requests.last?.query["start"] == "2025-06-21")
            #expect(fake.requests.last?.query["end"] == "2025-07-01")
        }
    }

    @Test("no bars: series/history null or \"null\" → empty")
    func noBars() async throws {
        try await withClient { fake, client in
            for jsonNull in [false, true] {
                fake.settings.emptyAsJSONNull = jsonNull
                let now = Date(timeIntervalSince1970: 1_751_376_600)
                let minute = try await client.bars(for: Symbol(trusted: "ZZZZ"), timespan: .minute, from: now.addingTimeInterval(-3600), to: now, limit: 10)
                let daily = try await client.bars(for: Symbol(trusted: "ZZZZ"), timespan: .day, from: now.addingTimeInterval(-86_400 * 5), to: now, limit: 10)
                #expect(minute.isEmpty && daily.isEmpty, "jsonNull: \(jsonNull)")
            }
        }
    }

    @Test("errors in the port's terms: a refused token is unauthorized; a 502 is retried like any GET")
    func errors() async throws {
        try await withClient(token: "wrong-token-0123456789") { _, client in
            await #expect(throws: MarketDataError.unauthorized("Invalid Access Token")) {
                try await client.snapshots(for: [Symbol(trusted: "AAPL")])
            }
        }
        try await withClient { fake, client in
            fake.setQuote("AAPL", last: 231)
            fake.failNext(.status(502))
            let snapshots = try await client.snapshots(for: [Symbol(trusted: "AAPL")])
            #expect(snapshots[Symbol(trusted: "AAPL")]?.last == 231)
            #expect(fake.requests.filter { $0.path == "/v1/markets/quotes" }.count == 2)
        }
    }
}
