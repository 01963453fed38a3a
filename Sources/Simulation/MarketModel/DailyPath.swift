/// One simulated session's daily values, in ticks of 0.01 and whole shares.
struct SimulatedDay: Sendable, Hashable {
    var day: TradingDay
    var open: Int64
    var high: Int64
    var low: Int64
    var close: Int64
    var volume: Int64
}

/// The daily path of a symbol: one step per trading day from a fixed epoch (2000-01-03), so a
/// given day always gets the same open/close whatever "now" is — restarting the server does not
/// rewrite the past. Mean-reverting (Ornstein–Uhlenbeck on the ratio to the reference price):
///
///     x₀ = 1,  x(d) = x(d−1) + κ·(1 − x(d−1)) + σ·x(d−1)·z,   price = reference · x
///
/// with κ = 0.01 per day, so prices wander realistically (stationary spread ≈ σ/√(2κ) ≈ 7σ) but
/// stay near the familiar level for ever. The open gaps from the previous close by 0.3σ·z′; high
/// and low extend beyond open/close by half-normal amounts; volume is the average ×(0.5…1.5),
/// more on big-move days.
enum DailyPath {
    static let epoch = TradingDay(year: 2000, month: 1, day: 3)
    static let reversion = 0.01

    /// The `count` trading days ending with `lastDay` (a trading day), oldest first, and the close
    /// of the trading day before the first of them. Days before the epoch are not generated.
    static func generate(
        profile: SymbolProfile, seed: SimulationSeed, through lastDay: TradingDay, count: Int,
        calendar: TradingCalendar
    ) -> (days: [SimulatedDay], closeBefore: Int64) {
        var random = seed.random(for: profile.symbol, .dailyPath)
        let reference = Double(profile.referenceTicks)
        let sigma = profile.dailyVolatility
        let keepFrom = lastDay.number - Int64(count) * 2 - 14  // generous: weekends and holidays
        var days: [SimulatedDay] = []
        days.reserveCapacity(count * 2 + 16)
        var ratio = 1.0
        var previousClose = profile.referenceTicks
        var closeBefore = profile.referenceTicks
        var day = epoch
        while day <= lastDay {
            defer { day = day.adding(days: 1) }
            guard calendar.isTradingDay(day) else { continue }
            // Always draw the same five numbers per day, so every later day is unaffected by
            // what is kept.
            let gapShock = random.gaussian()
            let closeShock = random.gaussian()
            let highShock = abs(random.gaussian())
            let lowShock = abs(random.gaussian())
            let volumeDraw = random.unit()
            guard day.number >= keepFrom else {
                ratio = max(0.1, ratio + reversion * (1 - ratio) + sigma * ratio * closeShock)
                previousClose = TickGrid.roundTicks(reference * ratio)
                continue
            }
            let price = reference * ratio
            let open = TickGrid.roundTicks(Double(previousClose) * (1 + 0.3 * sigma * gapShock))
            ratio = max(0.1, ratio + reversion * (1 - ratio) + sigma * ratio * closeShock)
            let close = TickGrid.roundTicks(reference * ratio)
            let high = max(open, close) + TickGrid.roundTicks(0.5 * sigma * price * highShock, minimum: 0)
            let low = max(1, min(open, close) - TickGrid.roundTicks(0.5 * sigma * price * lowShock, minimum: 0))
            let activity = (0.5 + volumeDraw) * (1 + 0.3 * abs(closeShock))
            let volume = roundToLot(Double(profile.averageDailyVolume) * activity, lot: profile.lotSize)
            if days.count == 0 { closeBefore = previousClose }
            days.append(SimulatedDay(day: day, open: open, high: high, low: low, close: close, volume: volume))
            previousClose = close
        }
        guard days.count > count else { return (days, closeBefore) }
        let dropped = days.count - count
        return (Array(days.suffix(count)), days[dropped - 1].close)
    }

    /// `value` rounded to whole lots, at least one lot.
    static func roundToLot(_ value: Double, lot: Int64) -> Int64 {
        max(1, TickGrid.roundTicks(value / Double(lot), minimum: 1)) * lot
    }
}
