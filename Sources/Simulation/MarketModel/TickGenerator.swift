import Foundation
import TradingDomain

/// The live simulated market for one symbol: pure and deterministic — no clock, no sleeping. The
/// caller passes the time of each step; the same seed, start and times give the same events.
///
/// Model: a latent fair price (in ticks) follows a geometric random walk whose variance grows
/// with elapsed time, σ_step = σ_daily · √(Δt / 23,400 s) — a session's worth of ticking moves the
/// price by about the symbol's daily volatility. Quotes straddle the fair price with a spread of
/// 1–3 ticks; trades print at the bid or ask (sometimes inside a wide spread); sizes are mostly
/// round lots with some odd lots and rare blocks. Prices are whole ticks (`Int64`), turned into
/// exact `Decimal`s at the edge; the only `Double` is the shock, rounded to whole ticks.
/// Nothing ever prices at or below 0: the fair price is floored at one tick.
///
/// Extended hours (`Activity.extended`, pre-market and after-hours) are thin: smaller moves, a
/// wider spread (3–6 ticks), fewer and smaller trades. A new day's previous close is the last
/// price of a regular session, as a broker shows it, not an after-hours print.
public struct TickGenerator: Sendable {
    /// How busy the market is at a step.
    public enum Activity: Sendable, Hashable {
        /// The regular session (and the always-open demo mode).
        case regular
        /// Pre-market and after-hours.
        case extended
    }

    /// Fraction of the regular volatility a step moves the price in extended hours.
    static let extendedVolatility = 0.35

    /// Seconds of a regular session: the time over which `dailyVolatility` accrues.
    public static let sessionSeconds = 23_400.0
    /// Longest time one step accounts for (a longer gap moves the price as if one session passed).
    public static let maxStepSeconds = 23_400.0

    public let symbol: Symbol
    public let profile: SymbolProfile
    private let calendar: TradingCalendar
    private let volatilityPerRootSecond: Double
    private var random: SimRandom
    private var fair: Double

    private(set) var lastTicks: Int64
    private(set) var bidTicks: Int64
    private(set) var askTicks: Int64
    private(set) var bidUnits: Int64
    private(set) var askUnits: Int64
    private(set) var previousCloseTicks: Int64
    /// The last price of a regular-session step: tomorrow's previous close.
    private(set) var regularLastTicks: Int64
    private(set) var dayOpenTicks: Int64?
    private(set) var dayHighTicks: Int64 = 0
    private(set) var dayLowTicks: Int64 = 0
    private(set) var dayVolumeUnits: Int64 = 0
    private(set) var dayStart: Date
    private var nextDayStart: Date
    private var primed = false

    /// Time of the latest step.
    public private(set) var time: Date
    /// Time of the latest trade (the history's last bar when no trade has been generated yet).
    public private(set) var lastTradeTime: Date?

    /// Continues a generated history: starts at its last close, with its previous close and today's
    /// open/high/low/volume.
    public init(history: MarketHistory, seed: SimulationSeed, calendar: TradingCalendar = .newYork) {
        self.init(
            profile: history.profile, seed: seed, start: history.end, lastTicks: history.lastTicks,
            previousCloseTicks: history.previousCloseTicks, today: history.today, calendar: calendar)
        lastTradeTime = history.lastTime
    }

    /// Starts from an explicit price (rounded to the 0.01 grid, at least 0.01) with no history.
    public init(
        symbol: Symbol, seed: SimulationSeed, start: Date, lastPrice: Decimal, previousClose: Decimal? = nil,
        calendar: TradingCalendar = .newYork
    ) {
        let last = max(1, TickGrid.ticks(lastPrice) ?? 1)
        self.init(
            profile: SymbolProfile.of(symbol), seed: seed, start: start, lastTicks: last,
            previousCloseTicks: previousClose.flatMap(TickGrid.ticks).map { max(1, $0) } ?? last, today: nil,
            calendar: calendar)
    }

    init(
        profile: SymbolProfile, seed: SimulationSeed, start: Date, lastTicks: Int64, previousCloseTicks: Int64,
        today: (open: Int64, high: Int64, low: Int64, volume: Int64)?, calendar: TradingCalendar
    ) {
        self.symbol = profile.symbol
        self.profile = profile
        self.calendar = calendar
        self.volatilityPerRootSecond = profile.dailyVolatility / Self.sessionSeconds.squareRoot()
        self.random = seed.random(for: profile.symbol, .live)
        self.fair = Double(lastTicks)
        self.lastTicks = lastTicks
        self.previousCloseTicks = previousCloseTicks
        self.regularLastTicks = lastTicks
        let spread = profile.typicalSpreadTicks
        self.bidTicks = max(1, TickGrid.roundTicks(Double(lastTicks) - Double(spread) / 2))
        self.askTicks = bidTicks + spread
        self.bidUnits = 5 * profile.lotSize
        self.askUnits = 5 * profile.lotSize
        if let today {
            dayOpenTicks = today.open
            dayHighTicks = max(today.high, lastTicks)
            dayLowTicks = min(today.low, lastTicks)
            dayVolumeUnits = today.volume
        }
        self.time = start
        let day = calendar.day(of: start)
        self.dayStart = calendar.startOfDay(day)
        self.nextDayStart = calendar.startOfDay(day.adding(days: 1))
    }

    // MARK: stepping

    /// Advances the market to `time` and returns what happened: a quote, a trade, or both (quote
    /// first), all stamped `time`. The first call always returns both. A time earlier than the
    /// previous step does not move the price. Crossing New York midnight starts a new day: the
    /// last regular-session price becomes the previous close and the day's open/high/low/volume
    /// restart.
    public mutating func next(at time: Date, activity: Activity = .regular) -> [MarketEvent] {
        if time >= nextDayStart { startNewDay(containing: time) }
        let extended = activity == .extended
        let elapsed = time.timeIntervalSince(self.time)
        if elapsed > 0 {
            self.time = time
            let scale = extended ? Self.extendedVolatility : 1
            let shock = scale * volatilityPerRootSecond * min(elapsed, Self.maxStepSeconds).squareRoot() * random.gaussian()
            fair = max(1, fair + fair * max(shock, -0.5))
        }

        var spread = profile.typicalSpreadTicks
        if random.chance(0.25) { spread += 1 } else if random.chance(0.2) { spread -= 1 }
        spread = extended ? min(max(spread + 2, 3), 6) : min(max(spread, 1), 3)
        let bid = max(1, TickGrid.roundTicks(fair - Double(spread) / 2))
        let ask = bid + spread
        let trades = !primed || random.chance(extended ? 0.3 : 0.6)
        let quoteChanged = bid != bidTicks || ask != askTicks

        var events: [MarketEvent] = []
        events.reserveCapacity(2)
        if !primed || quoteChanged || !trades || random.chance(0.2) {
            bidTicks = bid
            askTicks = ask
            bidUnits = quoteSize()
            askUnits = quoteSize()
            events.append(.quote(currentQuote))
        }
        if trades {
            let price: Int64
            if ask - bid >= 2, random.chance(0.25) {
                price = bid + 1 + Int64(random.int(below: Int(ask - bid - 1)))
            } else {
                price = random.chance(0.5) ? ask : bid
            }
            let size = extended ? thinTradeSize() : tradeSize()
            record(price: price, size: size, at: time)
            if !extended { regularLastTicks = price }
            events.append(.trade(Trade(symbol: symbol, price: TickGrid.price(price), size: Decimal(size), time: time)))
        }
        primed = true
        return events
    }

    /// How long to wait before the next step for about `ticksPerSecond` steps a second: uniform in
    /// 0.5…1.5 × the mean interval, drawn from this symbol's stream (so the schedule is
    /// deterministic too). A non-positive or non-finite rate means one step a second.
    public mutating func nextInterval(ticksPerSecond: Double) -> Duration {
        let rate = ticksPerSecond.isFinite && ticksPerSecond > 0 ? ticksPerSecond : 1
        let seconds = (0.5 + random.unit()) / rate
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    private mutating func record(price: Int64, size: Int64, at time: Date) {
        lastTicks = price
        lastTradeTime = time
        if dayOpenTicks == nil {
            dayOpenTicks = price
            dayHighTicks = price
            dayLowTicks = price
        } else {
            dayHighTicks = max(dayHighTicks, price)
            dayLowTicks = min(dayLowTicks, price)
        }
        dayVolumeUnits += size
    }

    private mutating func startNewDay(containing time: Date) {
        let day = calendar.day(of: time)
        dayStart = calendar.startOfDay(day)
        nextDayStart = calendar.startOfDay(day.adding(days: 1))
        previousCloseTicks = regularLastTicks
        dayOpenTicks = nil
        dayVolumeUnits = 0
    }

    /// Mostly 1–10 round lots (skewed small), 20 % odd lots, 1 % blocks of 20–50 lots.
    /// Options (lot size 1) trade 1–20 contracts.
    private mutating func tradeSize() -> Int64 {
        let lot = profile.lotSize
        if lot == 1 {
            let u = random.unit()
            return 1 + Int64(19 * u * u * u)
        }
        if random.chance(0.2) { return 1 + Int64(random.int(below: Int(lot - 1))) }
        if random.chance(0.01) { return (20 + Int64(random.int(below: 31))) * lot }
        let u = random.unit()
        return (1 + Int64(9 * u * u * u)) * lot
    }

    /// Extended hours: half odd lots, else 1–3 round lots (1–5 contracts for options).
    private mutating func thinTradeSize() -> Int64 {
        let lot = profile.lotSize
        if lot == 1 { return 1 + Int64(random.int(below: 5)) }
        if random.chance(0.5) { return 1 + Int64(random.int(below: Int(lot - 1))) }
        return (1 + Int64(random.int(below: 3))) * lot
    }

    /// 1–10 lots (1–50 contracts for options).
    private mutating func quoteSize() -> Int64 {
        profile.lotSize == 1 ? 1 + Int64(random.int(below: 50)) : (1 + Int64(random.int(below: 10))) * profile.lotSize
    }
}
