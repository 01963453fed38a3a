import Foundation

extension AlertBook {
    /// Evaluates a REST snapshot: at start and after a gap (`catch_up`), or from the fallback poller (`poll`).
    ///
    /// Takes the snapshot's previous close first (moving `percent_change` levels), then evaluates the
    /// prices of `catchUpPath` in order at `time`, so a crossing during the gap fires: `price_above 200`
    /// fires on a day high of 201 even if the last price is 199, and a `price_cross` whose last seen side
    /// was below fires when the day high is above its threshold.
    ///
    /// `knownHigh`/`knownLow` are the day's extremes the caller had already evaluated from the stream
    /// before the gap (the quote cache's high/low before applying the snapshot); an extreme that is not
    /// beyond them happened before the gap and is ignored, so it cannot fire an alert twice. Pass nil at
    /// start, when nothing was seen.
    public mutating func evaluate(
        snapshot: MarketSnapshot, time: Date, source: FiringSource = .catchUp,
        knownHigh: Decimal? = nil, knownLow: Decimal? = nil
    ) -> AlertEvaluation {
        if let close = snapshot.previousClose { setPreviousClose(snapshot.symbol, close) }
        let path = Self.catchUpPath(snapshot, knownHigh: knownHigh, knownLow: knownLow)
        guard !path.isEmpty else { return AlertEvaluation(expired: expire(now: time)) }
        var result = AlertEvaluation()
        for price in path {
            result.append(evaluate(symbol: snapshot.symbol, price: price, time: time, source: source))
        }
        return result
    }

    /// The prices a snapshot stands for, in the order they are evaluated: the day's extremes that are new
    /// (beyond `knownHigh`/`knownLow`), the one farther from the final price first (the nearer one is more
    /// likely the more recent; on a tie the low first), then the final price (`last`, else the bid/ask
    /// mid rounded to 4 places). Prices that are not positive are left out.
    public static func catchUpPath(_ snapshot: MarketSnapshot, knownHigh: Decimal?, knownLow: Decimal?) -> [Decimal] {
        var final = snapshot.last
        if final == nil, let bid = snapshot.bid, let ask = snapshot.ask, bid > 0, ask > 0 {
            final = ((bid + ask) / 2).rounded(scale: 4)
        }
        let high = snapshot.dayHigh.flatMap { high in knownHigh.map { high > $0 } ?? true ? high : nil }
        let low = snapshot.dayLow.flatMap { low in knownLow.map { low < $0 } ?? true ? low : nil }
        var path: [Decimal] = []
        switch (low, high, final) {
        case (let low?, let high?, let final?) where high - final > final - low:
            path = [high, low, final]
        case (let low, let high, let final):
            path = [low, high, final].compactMap { $0 }
        }
        return path.filter { $0 > 0 }
    }
}
