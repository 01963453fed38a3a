import APIInput
import Foundation
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The whole server on Tradier's own market data (issue 16): the Tradier REST fake for quotes,
/// bars and stream sessions, the Tradier market-stream fake for the WebSocket.
@Suite("Server with Tradier market data", .serialized)
struct TradierMarketModeTests {
    static let watchlist = Set(Watchlist.defaultSymbols.map(\.rawValue))
    static let prices: [(String, Decimal)] = [("SPY", 590), ("QQQ", 510), ("AAPL", 230), ("MSFT", 420), ("NVDA", 140), ("AMZN", 200), ("TSLA", 250)]

    func withTradierApp(
        testing: TestingSetup = .router,
        _ body: @Sendable (TradierFake, TradierStreamFake, any TestClientProtocol) async throws -> Void
    ) async throws {
        let rest = TradierFake()
        let stream = TradierStreamFake()
        rest.attach(stream)
        for (symbol, price) in Self.prices {
            rest.setQuote(TradierFakeQuote(symbol: symbol, last: price, previousClose: price - 1))
        }
        try await rest.start()
        try await stream.start()
        do {
            try await withApp(configure: { config in
                config.tradier.accessToken = TradierFake.validToken
                config.tradier.accountID = TradierFake.defaultAccount
                config.tradier.baseURL = rest.baseURL.absoluteString
                config.tradier.streamURL = stream.streamURL
                config.marketData = .tradier
            }, testing: testing) { client, _ in
                try await body(rest, stream, client)
            }
        } catch {
            await stream.stop()
            await rest.stop()
            throw error
        }
        await stream.stop()
        await rest.stop()
    }

    @Test("prices from Tradier's stream reach /api/v1/ws and fire an alert; /ready and diag/feeds report the Tradier feed")
    func streamToWebSocketAndAlert() async throws {
        try await withTradierApp(testing: .live) { rest, stream, client in try await Self.streamToWebSocketAndAlert(rest, stream, client) }
    }

    static func streamToWebSocketAndAlert(_ rest: TradierFake, _ stream: TradierStreamFake, _ client: any TestClientProtocol) async throws {
        do {
            #expect(await eventually { stream.subscribedSymbols.isSuperset(of: Self.watchlist) }, "\(stream.subscribedSymbols)")
            let quoteCalls = rest.requests.filter { $0.path == "/v1/markets/quotes" }
            #expect(quoteCalls.contains { call in Self.watchlist.allSatisfy { (call.query["symbols"] ?? "").contains($0) } },
                    "filled from one batched quotes call: \(quoteCalls.map { $0.query["symbols"] ?? "" })")
            let filled = try await client.api(.get, "/api/v1/quotes?symbols=AAPL").value()["quotes"]?[0]
            #expect(filled?["last"]?.decimal == 230)
            #expect(filled?["prev_close"]?.decimal == 229)

            let created = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":235}"#)
            #expect(created.status == .created, "\(created.text)")
            let alertID = try #require(try created.value()["id"]?.string)

            let token = try #require(try await client.api(.post, "/api/v1/ws/token").json()["token"] as? String)
            let received = WebSocketTests.Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices","alerts"]}"#))
                // Trades until the frames are in; after 5 s the socket is closed so the test cannot hang.
                let emitter = Task {
                    for _ in 0..<25 where !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(200))
                        stream.emitTrade("AAPL", price: Decimal(string: "236.50")!, cumulativeVolume: 1_234_567)
                    }
                    if !Task.isCancelled { try? await outbound.close(.normalClosure, reason: nil) }
                }
                defer { emitter.cancel() }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    let priced = received.of(type: "price").contains { frame in
                        (frame["data"] as? [String: Any]).map { $0["symbol"] as? String == "AAPL" && "\($0["last"] ?? "")" == "236.5" } ?? false
                    }
                    if priced && !received.of(type: "alert").isEmpty { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            // The stream's frame (a catch-up snapshot may follow it, labelled catch_up, at the same last price).
            let price = try #require(received.of(type: "price").compactMap { $0["data"] as? [String: Any] }
                .last { $0["symbol"] as? String == "AAPL" && $0["source"] as? String == "tradier" })
            #expect("\(price["last"] ?? "")" == "236.5")
            #expect("\(price["volume"] ?? "")" == "1234567", "the day's volume is Tradier's cumulative figure: \(price)")
            let alert = try #require(received.of(type: "alert").first?["data"] as? [String: Any])
            #expect(alert["alert_id"] as? String == alertID)
            #expect("\(alert["price"] ?? "")" == "236.5")
            #expect(alert["source"] as? String == "stream")

            // Ready once the broker is reconciled too; keep the stream fresh meanwhile.
            var ready = try await client.api(.get, "/ready")
            for _ in 0..<100 where ready.status != .ok {
                stream.emitTrade("AAPL", price: Decimal(string: "236.50")!)
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.api(.get, "/ready")
            }
            #expect(ready.status == .ok, "\(ready.text)")
            #expect(ready.text.contains("tradier live"), "\(ready.text)")
            let diag = try await client.api(.get, "/api/v1/diag/feeds").value()
            #expect(diag["provider"]?.string == "tradier")
            #expect(diag["state"]?.string == "connected")
            #expect(diag["fresh"] == .bool(true))
        }
    }

    @Test("after a drop the stream is reconnected with a fresh session id; the old one is refused; prices flow again")
    func reconnectsWithFreshSession() async throws {
        try await withTradierApp { _, stream, client in try await Self.reconnectsWithFreshSession(stream, client) }
    }

    static func reconnectsWithFreshSession(_ stream: TradierStreamFake, _ client: any TestClientProtocol) async throws {
        do {
            #expect(await eventually { stream.sessionsAccepted.count == 1 })
            let first = stream.sessionsAccepted[0]
            stream.dropConnections()
            #expect(await eventually { stream.sessionsAccepted.count == 2 })
            let second = stream.sessionsAccepted[1]
            #expect(second != first, "a new session for the new connection")
            #expect(await eventually { stream.subscribedSymbols.isSuperset(of: Self.watchlist) }, "subscribed again")

            let refused = Shared<String?>(nil)
            try await WebSocketClient.connect(url: stream.streamURL, logger: Logger(label: "stale") { _ in SwiftLogNoOpLogHandler() }) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"symbols":["AAPL"],"sessionid":"\#(first)","linebreak":true}"#))
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message { refused.withLock { $0 = text } }
                    break
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(refused.withLock { $0 }?.contains("session") == true)
            #expect(stream.sessionsRefused == [first])

            var last: Decimal?
            try await eventually {
                stream.emitTrade("AAPL", price: 241)
                last = try await client.api(.get, "/api/v1/quotes?symbols=AAPL").value()["quotes"]?[0]?["last"]?.decimal
                return last == 241
            }
            #expect(last == 241)
            let diag = try await client.api(.get, "/api/v1/diag/feeds").value()
            #expect(diag["provider"]?.string == "tradier")
            #expect((diag["reconnects"]?.decimal ?? 0) >= 1)
        }
    }

    @Test("/api/v1/bars comes from Tradier: minute bars from timesales, daily bars from history")
    func barsFromTradier() async throws {
        try await withTradierApp { rest, _, client in
            // The app's time (withApp's market clock), not the machine's.
            let now = TestMarketTime().now
            let minuteStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 - 600)
            rest.setMinuteBars("AAPL", (0..<5).map { i in
                TradierFakeBar(start: minuteStart.addingTimeInterval(Double(i) * 60), open: 230, high: 231, low: 229,
                               close: Decimal(string: "230.25")! + Decimal(i), volume: 100)
            })
            let minute = try await client.api(.get, "/api/v1/bars/AAPL?timespan=minute&limit=3")
            #expect(minute.status == .ok, "\(minute.text)")
            #expect(try minute.value()["bars"]?.array?.compactMap { $0["c"]?.decimal } == [Decimal(string: "232.25")!, Decimal(string: "233.25")!, Decimal(string: "234.25")!])
            #expect(rest.requests.contains { $0.path == "/v1/markets/timesales" })

            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "America/New_York")!
            let today = calendar.startOfDay(for: now)
            rest.setDailyBars("AAPL", [
                TradierFakeBar(start: calendar.date(byAdding: .day, value: -1, to: today)!, open: 225, high: 231, low: 224, close: 229, volume: 9),
                TradierFakeBar(start: today, open: 229, high: 232, low: 228, close: 230, volume: 8),
            ])
            let daily = try await client.api(.get, "/api/v1/bars/AAPL?timespan=day").value()
            #expect(daily["bars"]?.array?.compactMap { $0["c"]?.decimal } == [229, 230])
            #expect(rest.requests.contains { $0.path == "/v1/markets/history" })
        }
    }
}
