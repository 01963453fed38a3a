import Foundation

/// Exponential backoff between retries, capped, with jitter so many senders do not retry together.
/// `delay(attempt: 1, …)` is the wait before the first retry; each attempt doubles the ceiling.
public struct RetryBackoff: Sendable, Hashable {
    /// How the random part is applied to the exponential ceiling `c = min(cap, base × 2^(attempt−1))`.
    public enum Jitter: Sendable, Hashable {
        /// Exactly `c`.
        case none
        /// Uniform in `0..<c`.
        case full
        /// Uniform in `c/2 ..< c`: never shorter than half the ceiling.
        case equal
    }

    /// Seconds before the first retry (the ceiling of attempt 1).
    public var base: TimeInterval
    /// Largest delay in seconds.
    public var cap: TimeInterval
    public var jitter: Jitter

    public init(base: TimeInterval = 1, cap: TimeInterval = 300, jitter: Jitter = .equal) {
        self.base = max(0, base)
        self.cap = max(0, cap)
        self.jitter = jitter
    }

    /// The ceiling for `attempt` (1-based; lower values count as 1), before jitter.
    public func ceiling(attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt, 1) - 1, 1_000))
        return min(cap, base * pow(2, exponent))
    }

    /// Seconds to wait before retry number `attempt`, given `random` uniform in `0..<1` (clamped).
    public func delay(attempt: Int, random: Double) -> TimeInterval {
        let ceiling = ceiling(attempt: attempt)
        let unit = random.isFinite ? min(max(random, 0), 1) : 0
        switch jitter {
        case .none: return ceiling
        case .full: return ceiling * unit
        case .equal: return ceiling / 2 + ceiling / 2 * unit
        }
    }
}
