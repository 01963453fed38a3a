import Foundation

/// The one retry policy of the code base: exponential backoff with equal jitter (a delay in
/// [ceiling/2, ceiling]), reset after a connection stayed up for `stableAfter`. A value (retry
/// policy is data), so tests can pin it. Used by the Polygon stream's reconnects, Tradier's GET
/// retries, the Discord outbox and the order desk's bracket-exit retries.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// A connection that lasted this long resets the delay to `initial`.
    public var stableAfter: Duration

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), multiplier: Double = 2, stableAfter: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.stableAfter = stableAfter
    }

    /// The ceiling for the `attempt`-th retry (0-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let factor = pow(multiplier, Double(min(attempt, 30)))
        let seconds = min(initial.seconds * factor, maximum.seconds)
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A random delay in [ceiling/2, ceiling] ("equal jitter": never a burst of instant retries).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(attempt: attempt).seconds
        let seconds = ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &generator)
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The same with the system's random numbers.
    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}
