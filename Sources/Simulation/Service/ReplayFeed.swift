import Foundation
import Logging
import TradingDomain
import TradingEngine
import Synchronization

/// Replays a CSV of ticks or bars (docs/simulation.md) at 1× or N× speed, deterministic, so a
/// user can try alerts on history they own. Events of unwatched symbols are skipped. When the file
/// ends the feed reports `stopped` ("replay finished"), so its symbols turn stale.
public final class ReplayFeed: MarketDataFeed, MarketSnapshotSource, Sendable {
    public let provider = "replay"
    let file: ReplayFile
    let speed: Double
    let clock: any WallClock
    let logger: Logger

    struct State {
        var desired: Set<Symbol> = []
        var status = FeedStatus(provider: "replay", state: .connecting)
        var latest: [Symbol: Quote] = [:]
        var minute: [Symbol: BarSeries] = [:]
        var aggregator = MinuteBarAggregator()
    }

    private let state = Mutex(State())

    public init(path: String, speed: Int, clock: any WallClock, logger: Logger) throws(ValidationFailure) {
        file = try ReplayFile.load(path: path)
        self.speed = Double(speed)
        self.clock = clock
        self.logger = logger
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        state.withLock { $0.desired = symbols }
    }

    public func status() -> FeedStatus {
        state.withLock { $0.status }
    }

    public func run(sink: any MarketEventSink) async throws {
        guard let first = file.firstEventTime else {
            state.withLock { $0.status.state = .stopped; $0.status.detail = "replay file has no events" }
            return
        }
        var schedule = try ReplaySchedule(speed: speed, firstEventTime: first, maxGap: .seconds(60))
        state.withLock { $0.status.state = .connected }
        let start = ContinuousClock.now
        var index = 0
        while index < file.events.count, !Task.isCancelled {
            let offset = schedule.offset(for: file.events[index].time)
            try? await Task.sleep(until: start + offset, clock: .continuous)
            // Everything due by now goes out as one batch.
            var batch: [MarketEvent] = []
            while index < file.events.count, start + schedule.offset(for: file.events[index].time) <= .now {
                batch.append(file.events[index])
                index += 1
            }
            deliver(batch, to: sink)
        }
        state.withLock { $0.status.state = .stopped; $0.status.detail = "replay finished" }
        logger.info("replay finished", metadata: ["events": .stringConvertible(file.events.count)])
    }

    private func deliver(_ batch: [MarketEvent], to sink: any MarketEventSink) {
        let now = clock.now()
        let wanted = state.withLock { state -> [MarketEvent] in
            let wanted = batch.filter { state.desired.contains($0.symbol) }
            for event in wanted {
                var quote = state.latest[event.symbol] ?? Quote(symbol: event.symbol, asOf: event.time, receivedAt: now, source: provider)
                quote.apply(event, receivedAt: now, source: provider)
                state.latest[event.symbol] = quote
                switch event {
                case .bar(let bar): state.minute[bar.symbol, default: BarSeries()].upsert(bar)
                case .trade(let trade):
                    if let update = state.aggregator.add(trade) { state.minute[trade.symbol, default: BarSeries()].upsert(update.bar) }
                case .quote, .summary: break
                }
            }
            if !wanted.isEmpty {
                state.status.lastMessageAt = now
                state.status.messages += 1
            }
            return wanted
        }
        if !wanted.isEmpty { sink.receive(wanted) }
    }

    public func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        state.withLock { state in
            Dictionary(uniqueKeysWithValues: symbols.compactMap { symbol in
                state.latest[symbol].map { quote in
                    (symbol, MarketSnapshot(
                        symbol: symbol, last: quote.last, lastTime: quote.asOf, bid: quote.bid, ask: quote.ask,
                        dayOpen: quote.dayOpen, dayHigh: quote.dayHigh, dayLow: quote.dayLow, dayVolume: quote.volume,
                        previousClose: quote.previousClose, updated: quote.asOf))
                }
            })
        }
    }

    public func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        guard timespan == .minute else { return [] }
        return state.withLock { $0.minute[symbol]?.bars(from: from, to: to, limit: limit) ?? [] }
    }
}
