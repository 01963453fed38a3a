/// One simulated minute of the regular session, in ticks of 0.01 and whole shares.
struct SimulatedMinute: Sendable, Hashable {
    /// 0 for the 09:30 bar … 389 for the 15:59 bar (209 for 12:59 on an early close).
    var index: Int
    var open: Int64
    var high: Int64
    var low: Int64
    var close: Int64
    var volume: Int64
}

/// The one-minute bars of one session (390, or 210 on an early close), consistent with that day's daily bar from `DailyPath`
/// (same open, high, low, close and volume), so the daily view never changes when a day stops
/// having minute bars.
///
/// 1. A Brownian bridge from the open to the close: six sub-steps per minute, each pulled toward
///    the close by the remaining distance over the remaining steps, plus noise of σ/√(390·6)
///    shrunk so that the path lands on the close.
/// 2. A monotone piecewise-linear stretch of the values above max(open, close) and below
///    min(open, close) so the path's extremes become the day's high and low exactly (open and
///    close are unchanged). If the path never went beyond open/close on a side, the minute nearest
///    to it gets a wick to the day's extreme instead.
/// 3. The day's volume spread over the minutes in a U shape (busy open and close), in whole lots,
///    summing exactly to the day's volume.
///
/// Seeded per (symbol, day), so each session is the same whatever else is generated.
enum IntradayPath {
    static let subSteps = 6

    static func minutes(
        profile: SymbolProfile, seed: SimulationSeed, day: SimulatedDay, count: Int = TradingCalendar.sessionMinutes
    ) -> [SimulatedMinute] {
        var random = seed.random(for: profile.symbol, .intraday, index: day.day.number)
        let count = max(1, count)
        let totalSteps = count * subSteps
        let stepSigma = profile.dailyVolatility / Double(totalSteps).squareRoot()
        let target = Double(day.close)
        var x = Double(day.open)
        var path: [(open: Double, high: Double, low: Double, close: Double)] = []
        path.reserveCapacity(count)
        for index in 0..<count {
            let open = x
            var high = x, low = x
            for step in 0..<subSteps {
                let left = Double(totalSteps - index * subSteps - step)
                let drift = (target - x) / left
                let noise = stepSigma * x * random.gaussian() * ((left - 1) / left).squareRoot()
                x = max(1, x + drift + noise)
                high = max(high, x)
                low = min(low, x)
            }
            path.append((open, high, low, x))
        }

        let top = Double(max(day.open, day.close)), bottom = Double(min(day.open, day.close))
        let pathHigh = path.map(\.high).max() ?? top, pathLow = path.map(\.low).min() ?? bottom
        let upScale = pathHigh > top ? (Double(day.high) - top) / (pathHigh - top) : 0
        let downScale = pathLow < bottom ? (bottom - Double(day.low)) / (bottom - pathLow) : 0
        func stretch(_ value: Double) -> Int64 {
            if value > top { return TickGrid.roundTicks(top + (value - top) * upScale) }
            if value < bottom { return TickGrid.roundTicks(bottom - (bottom - value) * downScale) }
            return TickGrid.roundTicks(value)
        }

        let volumes = minuteVolumes(total: day.volume, lot: profile.lotSize, count: count, random: &random)
        var minutes = path.enumerated().map { index, bar in
            SimulatedMinute(
                index: index, open: stretch(bar.open), high: stretch(bar.high), low: stretch(bar.low),
                close: stretch(bar.close), volume: volumes[index])
        }
        minutes[0].open = day.open
        minutes[count - 1].close = day.close
        // Wicks when the path gave nothing to stretch on a side (and tidy any rounding at the ends).
        if let peak = minutes.indices.max(by: { minutes[$0].high < minutes[$1].high }), minutes[peak].high != day.high {
            minutes[peak].high = day.high
        }
        if let trough = minutes.indices.min(by: { minutes[$0].low < minutes[$1].low }), minutes[trough].low != day.low {
            minutes[trough].low = day.low
        }
        for index in minutes.indices {
            minutes[index].high = max(minutes[index].high, minutes[index].open, minutes[index].close)
            minutes[index].low = min(minutes[index].low, minutes[index].open, minutes[index].close)
        }
        return minutes
    }

    /// Splits `total` (a whole number of lots) over the session: U-shaped weights × a random factor
    /// 0.6…1.4, rounded cumulatively so the minutes add up to `total` exactly.
    static func minuteVolumes(total: Int64, lot: Int64, count: Int = TradingCalendar.sessionMinutes, random: inout SimRandom) -> [Int64] {
        let lots = Double(total / lot)
        let raw = (count == TradingCalendar.sessionMinutes ? volumeWeights : weights(count: count)).map { $0 * (0.6 + 0.8 * random.unit()) }
        let sum = raw.reduce(0, +)
        var volumes: [Int64] = []
        volumes.reserveCapacity(raw.count)
        var cumulative = 0.0
        var allocated: Int64 = 0
        for (index, share) in raw.enumerated() {
            cumulative += share
            let upTo = index == raw.count - 1 ? total / lot : Int64((lots * cumulative / sum).rounded())
            volumes.append((upTo - allocated) * lot)
            allocated = upTo
        }
        return volumes
    }

    /// Share of the day's volume in each minute (sums to 1): a U shape, 3× heavier at the ends.
    static let volumeWeights: [Double] = weights(count: TradingCalendar.sessionMinutes)

    /// The U shape over `count` minutes.
    static func weights(count: Int) -> [Double] {
        guard count > 1 else { return [1] }
        let middle = Double(count - 1) / 2
        let raw = (0..<count).map { index -> Double in
            let distance = (Double(index) - middle) / middle
            return 1 + 2 * distance * distance
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
}
