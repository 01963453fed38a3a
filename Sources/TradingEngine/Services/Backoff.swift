import Foundation

/// The one retry policy of the code base: exponential backoff with equal jitter (a delay in
/// [ceiling/2, ceiling]), reset after a connection stayed up for `stableAfter`. A value (retry
/// policy is data), so tests can pin it. Used by the Polygon stream's reconnects, Tradier's GET
/// retries, the Discord outbox and the order desk's bracket-exit retries.
public struct Backoff: Sendable, Hashable {
    /// How the random part is applied to the exponential ceiling `c`.
    public enum Jitter: Sendable, Hashable {
        /// Exactly `c`.
        case none
        /// Uniform in `0..<c`.
        case full
        /// Uniform in `c/2 ..< c`: never a burst of instant retries (the default).
        case equal
    }

    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// A connection that lasted this long resets the delay to `initial`.
    public var stableAfter: Duration
    public var jitter: Jitter

    public init(
        initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), multiplier: Double = 2,
        stableAfter: Duration = .seconds(60), jitter: Jitter = .equal
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.stableAfter = stableAfter
        self.jitter = jitter
    }

    /// Seconds to wait before retry `attempt` (0-based), given `random` uniform in `0..<1` (clamped):
    /// deterministic, so tests pin the schedule.
    public func delay(attempt: Int, random: Double) -> TimeInterval {
        let ceiling = ceiling(attempt: max(attempt, 0)).seconds
        let unit = random.isFinite ? min(max(random, 0), 1) : 0
        switch jitter {
        case .none: return ceiling
        case .full: return ceiling * unit
        case .equal: return ceiling / 2 + ceiling / 2 * unit
        }
    }

    /// The ceiling for the `attempt`-th retry (0-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let factor = pow(multiplier, Double(min(max(attempt, 0), 30)))
        let seconds = min(initial.seconds * factor, maximum.seconds)
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A random delay for retry `attempt` (0-based), with this backoff's jitter.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        .milliseconds(Int64(delay(attempt: attempt, random: Double.random(in: 0..<1, using: &generator)) * 1000))
    }

    /// The same with the system's random numbers.
    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}
