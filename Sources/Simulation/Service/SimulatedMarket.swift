import Foundation
import Logging
import TradingDomain
import TradingEngine
import Synchronization

/// When the simulated market trades (`TA_SIM_SESSION`, docs/simulation.md).
public enum SimulatedSessions: Sendable {
    /// Follows the market calendar: regular trading 09:30–16:00 (13:00 on early closes), thin
    /// trading in pre-market and after-hours, no ticks overnight, at weekends and on holidays.
    case calendar(any MarketCalendarSource)
    /// Ticks as in a regular session at any hour: the explicit demo mode.
    case alwaysOpen

    /// `calendar` or `always_open`, as configured and reported.
    public var name: String {
        switch self {
        case .calendar: "calendar"
        case .alwaysOpen: "always_open"
        }
    }
}

/// The offline market: every watched symbol gets a deterministic random walk (seeded by
/// `TA_SIM_SEED`), ticking a few times a second while the market calendar says it trades (or at
/// any hour in the always-open demo mode), with two sessions of minute bars and a year of daily
/// bars behind it so charts have history. It is both the streaming feed and the snapshot source.
public final class SimulatedMarket: MarketDataFeed, MarketSnapshotSource, Sendable {
    public let provider = "simulated"
    let seed: SimulationSeed
    let ticksPerSecond: Double
    let clock: any WallClock
    let logger: Logger
    public let sessions: SimulatedSessions
    /// Extended hours step this many times less often.
    static let extendedSlowdown = 4.0

    struct Instrument {
        var generator: TickGenerator
        var minute: BarSeries
        var daily: BarSeries
        var due: ContinuousClock.Instant
    }

    struct State {
        var instruments: [Symbol: Instrument] = [:]
        var aggregator = MinuteBarAggregator()
        var status = FeedStatus(provider: "simulated", state: .connecting)
    }

    private let state = Mutex(State())
    /// Longest sleep of the tick loop, so a newly watched symbol starts ticking promptly.
    static let maxSleep: Duration = .milliseconds(200)

    public init(
        seed: SimulationSeed, ticksPerSecond: Int, clock: any WallClock, logger: Logger,
        sessions: SimulatedSessions = .calendar(FixedMarketCalendar())
    ) {
        self.seed = seed
        self.ticksPerSecond = Double(ticksPerSecond)
        self.clock = clock
        self.logger = logger
        self.sessions = sessions
    }

    /// How the market trades at `instant`: nil when it is closed.
    func activity(at instant: Date) -> TickGenerator.Activity? {
        guard case .calendar(let calendar) = sessions else { return .regular }
        switch calendar.session(at: instant) {
        case .regular: return .regular
        case .pre, .post: return .extended
        case .closed: return nil
        }
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        let now = clock.now()
        let existing = state.withLock { Set($0.instruments.keys) }
        // Histories are generated outside the lock (about a millisecond each).
        let calendar = tradingCalendar
        let added = symbols.subtracting(existing).map { ($0, Self.instrument(for: $0, seed: seed, end: now, calendar: calendar)) }
        state.withLock { state in
            for symbol in existing.subtracting(symbols) {
                state.instruments[symbol] = nil
                state.aggregator.remove(symbol)
            }
            for (symbol, instrument) in added { state.instruments[symbol] = instrument }
        }
    }

    static func instrument(for symbol: Symbol, seed: SimulationSeed, end: Date, calendar: TradingCalendar = .newYork) -> Instrument {
        let history = MarketHistory.generate(symbol: symbol, seed: seed, end: end, calendar: calendar)
        return Instrument(
            generator: TickGenerator(history: history, seed: seed, calendar: calendar), minute: BarSeries(history.minuteBars),
            daily: BarSeries(history.dailyBars), due: .now)
    }

    /// The calendar history is generated with: the market calendar as currently known (its
    /// provider days included).
    var tradingCalendar: TradingCalendar {
        guard case .calendar(let source) = sessions else { return .newYork }
        let market = source.calendar()
        return market.overrides.isEmpty ? .newYork : TradingCalendar(market: market)
    }

    public func status() -> FeedStatus {
        state.withLock { $0.status }
    }

    public func run(sink: any MarketEventSink) async throws {
        state.withLock { $0.status.state = .connected }
        defer { state.withLock { $0.status.state = .stopped } }
        var lastBarSweep = ContinuousClock.now
        while !Task.isCancelled {
            let events = step(sweepBars: ContinuousClock.now - lastBarSweep >= .seconds(1))
            if ContinuousClock.now - lastBarSweep >= .seconds(1) { lastBarSweep = .now }
            if !events.isEmpty { sink.receive(events) }
            let next = state.withLock { $0.instruments.values.map(\.due).min() } ?? (.now + Self.maxSleep)
            let wait = min(max(next - .now, .zero), Self.maxSleep)
            if wait > .zero { try? await Task.sleep(for: wait) }
        }
    }

    /// Advances every instrument that is due and returns the events it produced. While the market
    /// is closed nothing ticks (the minute bars still complete).
    func step(sweepBars: Bool) -> [MarketEvent] {
        let now = clock.now()
        let instant = ContinuousClock.now
        let activity = activity(at: now)
        let rate = activity == .extended ? ticksPerSecond / Self.extendedSlowdown : ticksPerSecond
        return state.withLock { state in
            var events: [MarketEvent] = []
            for symbol in state.instruments.keys {
                guard var instrument = state.instruments[symbol], instrument.due <= instant else { continue }
                guard let activity else {
                    // Closed: look again shortly (the session may open).
                    state.instruments[symbol]?.due = instant + Self.maxSleep
                    continue
                }
                let produced = instrument.generator.next(at: now, activity: activity)
                for event in produced {
                    events.append(event)
                    guard case .trade(let trade) = event, let update = state.aggregator.add(trade) else { continue }
                    instrument.minute.upsert(update.bar)
                    if let completed = update.completed {
                        instrument.minute.upsert(completed)
                        events.append(.bar(completed))
                    }
                }
                if let day = instrument.generator.dayBar { instrument.daily.upsert(day) }
                instrument.due = instant + instrument.generator.nextInterval(ticksPerSecond: rate)
                state.instruments[symbol] = instrument
            }
            if sweepBars {
                for bar in state.aggregator.completeBars(endingAtOrBefore: now) {
                    state.instruments[bar.symbol]?.minute.upsert(bar)
                    events.append(.bar(bar))
                }
            }
            if !events.isEmpty {
                state.status.lastMessageAt = now
                state.status.messages += 1
            }
            return events
        }
    }

    public func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        let now = clock.now()
        var result = state.withLock { state in
            Dictionary(uniqueKeysWithValues: symbols.compactMap { symbol in
                state.instruments[symbol].map { (symbol, $0.generator.snapshot()) }
            })
        }
        // A symbol not being ticked still has a deterministic price.
        for symbol in symbols where result[symbol] == nil {
            result[symbol] = Self.instrument(for: symbol, seed: seed, end: now, calendar: tradingCalendar).generator.snapshot()
        }
        return result
    }

    public func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        let instrument = state.withLock { $0.instruments[symbol] }
            ?? Self.instrument(for: symbol, seed: seed, end: clock.now(), calendar: tradingCalendar)
        let series = timespan == .minute ? instrument.minute : instrument.daily
        return series.bars(from: from, to: to, limit: limit)
    }
}
