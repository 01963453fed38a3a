import Foundation
import HummingbirdWSClient
import Logging
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine
import TradingEngineTesting

/// Collects what a feed delivers.
final class EventRecorder: MarketEventSink, Sendable {
    let events = Shared<[MarketEvent]>([])
    func receive(_ events: [MarketEvent]) { self.events.withLock { $0 += events } }
    var all: [MarketEvent] { events.withLock { $0 } }
    var trades: [Trade] { all.compactMap { if case .trade(let trade) = $0 { trade } else { nil } } }
}

/// The Tradier market stream feed against the loopback fakes (REST for sessions, WebSocket for
/// events). Time — backoff, session expiry, the 15-minute silence rule — is a manual clock.
@Suite("Tradier market stream against the fakes", .serialized)
struct TradierStreamFeedTests {
    static let logger = Logger(label: "tradier-stream-test") { _ in SwiftLogNoOpLogHandler() }
    let aapl = Symbol(trusted: "AAPL")
    let msft = Symbol(trusted: "MSFT")

    struct Harness {
        let clock: ManualClock
        let rest: TradierFake
        let stream: TradierStreamFake
        let feed: TradierStreamFeed
        let sink: EventRecorder

        /// Moves the manual clock a second at a time (backoff waits run on it) until `condition` holds.
        func advancing(_ condition: () -> Bool) async -> Bool {
            await eventually {
                if condition() { return true }
                clock.advance(by: 1)
                return condition()
            }
        }
    }

    func withFeed(
        attach: Bool = true, token: String = TradierFake.validToken, fakeSilence: Duration? = nil,
        feedSilence: Duration = TradierStreamFeed.documentedSilenceLimit, refusedWait: Duration = .seconds(300),
        _ body: (Harness) async throws -> Void
    ) async throws {
        let clock = ManualClock()
        let rest = TradierFake()
        let stream = TradierStreamFake(clock: clock)
        stream.settings.silenceLimit = fakeSilence
        if attach { rest.attach(stream) }
        try await rest.start()
        try await stream.start()
        let market = try TradierMarketData(
            configuration: TradierConfiguration(accessToken: token, accountID: TradierFake.defaultAccount, baseURL: rest.baseURL),
            clock: clock, logger: Self.logger)
        let feed = TradierStreamFeed(
            url: stream.streamURL, market: market, silenceLimit: feedSilence, refusedWait: refusedWait, clock: clock, logger: Self.logger)
        let sink = EventRecorder()
        let task = Task { try? await feed.run(sink: sink) }
        do {
            try await body(Harness(clock: clock, rest: rest, stream: stream, feed: feed, sink: sink))
        } catch {
            task.cancel()
            await stream.stop()
            await rest.stop()
            throw error
        }
        task.cancel()
        _ = await task.value
        await stream.stop()
        await rest.stop()
    }

    /// Sends a request payload with `session` on a connection of its own; returns the first answer.
    static func answer(to session: String, at url: String) async throws -> String? {
        let reply = Shared<String?>(nil)
        try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"symbols":["AAPL"],"sessionid":"\#(session)","linebreak":true}"#))
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let text) = message { reply.withLock { $0 = text } }
                break
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return reply.withLock { $0 }
    }

    @Test("subscribes on a new session with Tradier's payload; trades, quotes and summaries arrive as exact events")
    func subscribesAndDelivers() async throws {
        try await withFeed { h in
            await h.feed.setSymbols([aapl, Symbol(trusted: "BRK.B")])
            #expect(await eventually { h.stream.subscribedSymbols == ["AAPL", "BRK/B"] })
            let session = try #require(h.stream.sessionsIssued.first)
            #expect(h.stream.payloads == [#"{"symbols":["AAPL","BRK/B"],"sessionid":"\#(session)","filter":["trade","quote","summary"],"linebreak":true}"#])
            #expect(h.rest.requests.contains { $0.method == "POST" && $0.path == "/v1/markets/events/session" && $0.headers["accept"] == "application/json" })
            #expect(h.feed.status().state == .connected)

            let time = Date(timeIntervalSince1970: 1_780_000_000)
            h.stream.emitQuote("AAPL", bid: dec("231.36"), ask: dec("231.38"), date: time)
            h.stream.emitTrade("AAPL", price: dec("231.37"), size: 200, cumulativeVolume: 51_234_567, date: time)
            h.stream.emitTrade("BRK/B", price: dec("455.10"), date: time)
            h.stream.emitSummary("AAPL", open: dec("229.1"), high: dec("232.5"), low: dec("228.75"), previousClose: 229)
            #expect(await eventually { h.sink.all.count == 5 })
            let events = h.sink.all
            #expect(events.first == .quote(BidAsk(symbol: aapl, bid: dec("231.36"), bidSize: 10, ask: dec("231.38"), askSize: 10, time: time)))
            #expect(events.contains(.trade(Trade(symbol: aapl, price: dec("231.37"), size: 200, time: time))))
            #expect(events.contains(.summary(DaySummary(symbol: aapl, volume: 51_234_567, time: time))))
            #expect(h.sink.trades.contains { $0.symbol == Symbol(trusted: "BRK.B") && $0.price == dec("455.1") }, "BRK/B comes back as BRK.B")
            #expect(events.contains { if case .summary(let s) = $0 { s.previousClose == 229 && s.high == dec("232.5") } else { false } })
            #expect(h.feed.status().messages == 4)
            #expect(h.feed.status().lastMessageAt == h.clock.now())
        }
    }

    @Test("a change of symbols sends the payload again on the same socket and session")
    func resubscribesOnTheSameSocket() async throws {
        try await withFeed { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.subscribedSymbols == ["AAPL"] })
            await h.feed.setSymbols([aapl, msft])
            #expect(await eventually { h.stream.subscribedSymbols == ["AAPL", "MSFT"] })
            #expect(h.stream.connectionsOpened == 1)
            #expect(h.stream.sessionsIssued.count == 1)
            #expect(h.stream.payloads.count == 2)
            #expect(h.stream.payloads.allSatisfy { $0.contains(h.stream.sessionsIssued[0]) })
            h.stream.emitTrade("MSFT", price: 425)
            #expect(await eventually { h.sink.trades.map(\.symbol) == [msft] })
        }
    }

    @Test("after a drop it reconnects with a NEW session id; the fake refuses the old one")
    func reconnectsWithANewSession() async throws {
        try await withFeed { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.sessionsAccepted.count == 1 })
            let first = h.stream.sessionsAccepted[0]
            h.stream.dropConnections()
            #expect(await h.advancing { h.stream.sessionsAccepted.count == 2 })
            let second = h.stream.sessionsAccepted[1]
            #expect(second != first)
            #expect(h.stream.sessionsIssued == [first, second], "one new session per connection")
            #expect(h.feed.status().reconnects == 1)
            #expect(await eventually { h.feed.status().state == .connected })

            let answer = try await Self.answer(to: first, at: h.stream.streamURL)
            #expect(answer?.contains("error") == true && answer?.contains("session") == true, "\(answer ?? "no answer")")
            #expect(h.stream.sessionsRefused == [first])
            h.stream.emitTrade("AAPL", price: 232)
            #expect(await eventually { h.sink.trades.map(\.price) == [232] }, "data flows on the new session")
        }
    }

    @Test("a session Tradier no longer knows (refused on a resubscribe) makes the feed take a new one")
    func refusedSessionTakesANewOne() async throws {
        try await withFeed { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.sessionsAccepted.count == 1 })
            h.stream.expireSessions()
            await h.feed.setSymbols([aapl, msft])
            #expect(await h.advancing { h.stream.sessionsAccepted.count == 2 })
            #expect(h.stream.sessionsRefused == [h.stream.sessionsAccepted[0]])
            #expect(h.stream.subscribedSymbols == ["AAPL", "MSFT"])
            #expect(h.feed.status().reconnects == 1)
        }
    }

    @Test("Tradier's silence rule: 15 minutes without a message ends the session and a new one is taken; data resets the count")
    func silenceRule() async throws {
        try await withFeed(fakeSilence: nil) { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.sessionsAccepted.count == 1 })
            h.clock.advance(by: 10 * 60)
            h.stream.emitTrade("AAPL", price: 231)
            #expect(await eventually { h.sink.trades.count == 1 })
            h.clock.advance(by: 14 * 60)  // 24 min since connecting, 14 since the trade
            try await Task.sleep(for: .milliseconds(200))
            #expect(h.stream.connectionsOpened == 1, "14 quiet minutes are not 15")
            #expect(h.stream.sessionsIssued.count == 1)
            h.clock.advance(by: 61)
            #expect(await h.advancing { h.stream.sessionsAccepted.count == 2 })
            #expect(h.stream.connectionsOpened == 2)
            #expect(h.feed.status().reconnects == 1)
        }
    }

    @Test("when Tradier closes a silent stream itself, the feed reconnects with a new session")
    func serverClosesSilentStream() async throws {
        try await withFeed(fakeSilence: .seconds(15 * 60), feedSilence: .seconds(3600)) { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.sessionsAccepted.count == 1 })
            h.clock.advance(by: 15 * 60)
            #expect(await h.advancing { h.stream.sessionsAccepted.count == 2 })
            #expect(Set(h.stream.sessionsAccepted).count == 2)
        }
    }

    @Test("no symbols, no session: it waits; an emptied list closes the stream without taking a new session")
    func noSymbolsNoSession() async throws {
        try await withFeed { h in
            #expect(await eventually { h.feed.status().detail == "waiting for symbols" })
            #expect(h.stream.sessionsIssued.isEmpty)
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.stream.sessionsAccepted.count == 1 })
            await h.feed.setSymbols([])
            #expect(await eventually { h.stream.openConnections == 0 })
            #expect(await eventually { h.feed.status().detail == "waiting for symbols" })
            #expect(h.stream.sessionsIssued.count == 1)
        }
    }

    @Test("a token Tradier refuses: the feed says failed and names TRADIER_ACCESS_TOKEN")
    func refusedSessionEndpoint() async throws {
        try await withFeed(token: "wrong-token-0123456789") { h in
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.feed.status().state == .failed })
            #expect(h.feed.status().detail.contains("TRADIER_ACCESS_TOKEN"), "\(h.feed.status().detail)")
            #expect(h.stream.connectionsOpened == 0)
        }
    }

    @Test("an account Tradier refuses streaming to: quotes are polled (a new last price is a trade once), the status says so, and a session is asked for again later")
    func refusedStreamingPollsQuotes() async throws {
        try await withFeed(attach: false, refusedWait: .seconds(30)) { h in
            let first = Date(timeIntervalSince1970: 1_780_000_000)
            h.rest.setQuote(TradierFakeQuote(
                symbol: "AAPL", last: Decimal(string: "230.5")!, bid: Decimal(string: "230.49")!, ask: Decimal(string: "230.52")!,
                previousClose: 229, volume: 1_000, tradeDate: first))
            await h.feed.setSymbols([aapl])
            #expect(await eventually { h.sink.trades.count == 1 })
            #expect(h.sink.trades.first?.price == Decimal(string: "230.5"))
            #expect(h.feed.status().state == .connected)
            #expect(h.feed.status().detail.contains("polling quotes every 5 s"), "\(h.feed.status().detail)")
            #expect(h.feed.status().detail.contains("Streaming is not available"), "\(h.feed.status().detail)")
            #expect(h.sink.all.contains { if case .summary(let s) = $0 { s.previousClose == 229 && s.volume == 1_000 } else { false } })

            // The same print polled again is not a new trade; a newer one is.
            h.clock.advance(by: 5)
            #expect(await eventually { h.rest.requests.filter { $0.path.hasSuffix("markets/quotes") }.count >= 2 })
            #expect(h.sink.trades.count == 1)
            h.rest.setQuote(TradierFakeQuote(symbol: "AAPL", last: 231, previousClose: 229, tradeDate: first.addingTimeInterval(60)))
            #expect(await h.advancing { h.sink.trades.count == 2 })
            #expect(h.sink.trades.last?.price == 231)

            // After `refusedWait` (30 s here; 5 minutes by default) a session is asked for again.
            let sessionsAsked = { h.rest.requests.filter { $0.path.hasSuffix("markets/events/session") }.count }
            #expect(sessionsAsked() == 1)
            #expect(await h.advancing { sessionsAsked() >= 2 })
        }
    }
}
