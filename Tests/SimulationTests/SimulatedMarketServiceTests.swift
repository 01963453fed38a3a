import Foundation
import Logging
import Testing
import TestSupport
import TradingDomain
import TradingEngine
@testable import Simulation

final class EventCollector: MarketEventSink, @unchecked Sendable {
    let lock = NSLock()
    var events: [MarketEvent] = []
    func receive(_ events: [MarketEvent]) { lock.withLock { self.events += events } }
    var symbols: Set<Symbol> { lock.withLock { Set(events.map(\.symbol)) } }
    var count: Int { lock.withLock { events.count } }
}

struct RealClock: WallClock {
    func now() -> Date { Date() }
}

let silent = Logger(label: "sim-test") { _ in SwiftLogNoOpLogHandler() }


@Suite("Simulated market service")
struct SimulatedMarketServiceTests {
    @Test("ticks every watched symbol, stops ticking removed ones, and reports connected")
    func ticksWatchedSymbols() async throws {
        // Always open: this test runs at any hour.
        let market = SimulatedMarket(seed: SimulationSeed(7), ticksPerSecond: 50, clock: RealClock(), logger: silent, sessions: .alwaysOpen)
        let sink = EventCollector()
        await market.setSymbols([Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT")])
        let task = Task { try await market.run(sink: sink) }
        defer { task.cancel() }
        #expect(await eventually { sink.symbols == [Symbol(trusted: "AAPL"), Symbol(trusted: "MSFT")] }, "both symbols")
        #expect(market.status().state == .connected)
        #expect(market.status().lastMessageAt != nil)

        await market.setSymbols([Symbol(trusted: "AAPL")])
        try await Task.sleep(for: .milliseconds(300))
        let before = sink.lock.withLock { sink.events.filter { $0.symbol == Symbol(trusted: "MSFT") }.count }
        try await Task.sleep(for: .milliseconds(300))
        let after = sink.lock.withLock { sink.events.filter { $0.symbol == Symbol(trusted: "MSFT") }.count }
        #expect(before == after, "no MSFT ticks after it left the watchlist")
        for event in sink.lock.withLock({ sink.events }) {
            if case .trade(let trade) = event {
                #expect(trade.price > 0)
                #expect(trade.price.fractionDigits <= 2, "prices sit on the 0.01 grid")
            }
        }
    }

    @Test("snapshots and bars exist for any symbol, deterministic from the seed")
    func snapshotsAndBars() async throws {
        let end = Date()
        let a = SimulatedMarket(seed: SimulationSeed(7), ticksPerSecond: 4, clock: RealClock(), logger: silent)
        let b = SimulatedMarket(seed: SimulationSeed(7), ticksPerSecond: 4, clock: RealClock(), logger: silent)
        let symbol = Symbol(trusted: "NVDA")
        let barsA = try await a.bars(for: symbol, timespan: .minute, from: end.addingTimeInterval(-7 * 86_400), to: end, limit: 2_000)
        let barsB = try await b.bars(for: symbol, timespan: .minute, from: end.addingTimeInterval(-7 * 86_400), to: end, limit: 2_000)
        #expect(Set(barsA.map { MarketTime.day(of: $0.start) }).count >= 2, "at least two sessions of minute bars")
        #expect(barsA.count >= 420, "two sessions, even if both closed early")
        #expect(barsA.map(\.close) == barsB.map(\.close))
        let daily = try await a.bars(for: symbol, timespan: .day, from: end.addingTimeInterval(-400 * 86_400), to: end, limit: 300)
        #expect(daily.count >= 200)
        let snapshot = try await a.snapshots(for: [symbol])[symbol]
        #expect(snapshot?.last != nil)
        #expect(snapshot?.previousClose != nil)
    }
}

@Suite("Replay feed")
struct ReplayFeedTests {
    @Test("replays a CSV of ticks in order at N× speed, only for watched symbols, then reports finished")
    func replays() async throws {
        let csv = """
            time,symbol,price,size
            2026-03-02T14:30:00Z,AAPL,190.10,100
            2026-03-02T14:30:01Z,MSFT,420.00,50
            2026-03-02T14:30:02Z,AAPL,190.35,200
            2026-03-02T14:30:03Z,AAPL,189.95,100
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let feed = try ReplayFeed(path: path, speed: 100, clock: RealClock(), logger: silent)
        await feed.setSymbols([Symbol(trusted: "AAPL")])
        let sink = EventCollector()
        try await feed.run(sink: sink)
        let prices = sink.lock.withLock { sink.events.compactMap { if case .trade(let t) = $0 { t.price } else { nil } } }
        #expect(prices == [Decimal(string: "190.1")!, Decimal(string: "190.35")!, Decimal(string: "189.95")!])
        #expect(feed.status().state == .stopped)
        #expect(feed.status().detail == "replay finished")
        let snapshot = try await feed.snapshots(for: [Symbol(trusted: "AAPL")])[Symbol(trusted: "AAPL")]
        #expect(snapshot?.last == Decimal(string: "189.95"))
    }

    @Test("a file with bad rows is refused with the line numbers")
    func badFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).csv").path
        try "time,symbol,price,size\n2026-03-02T14:30:00Z,AAPL,-1,100\nnot,a,row\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ValidationFailure.self) { _ = try ReplayFeed(path: path, speed: 1, clock: RealClock(), logger: silent) }
        do {
            _ = try ReplayFeed(path: path, speed: 1, clock: RealClock(), logger: silent)
        } catch {
            #expect(error.errors.map(\.field).contains("line 2"))
        }
    }
}
