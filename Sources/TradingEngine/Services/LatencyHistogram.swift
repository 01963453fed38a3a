import Foundation

/// A fixed-bucket latency histogram (cheap to record under a lock), with quantiles estimated as the
/// upper bound of the bucket that holds them.
public struct LatencyHistogram: Sendable, Hashable {
    /// Upper bounds in nanoseconds.
    public static let bounds: [Int64] = [
        250, 500, 1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 5_000_000, 25_000_000, 100_000_000,
    ]

    public private(set) var counts = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    public private(set) var count = 0
    public private(set) var totalNanoseconds: Int64 = 0

    public init() {}

    public mutating func record(nanoseconds: Int64, times: Int = 1) {
        guard times > 0 else { return }
        let index = Self.bounds.firstIndex { nanoseconds <= $0 } ?? Self.bounds.count
        counts[index] += times
        count += times
        totalNanoseconds += nanoseconds * Int64(times)
    }

    /// The bucket bound at or below which `q` (0–1) of the samples fall; nil without samples.
    public func quantile(_ q: Double) -> Int64? {
        guard count > 0 else { return nil }
        let target = Int((Double(count) * q).rounded(.up))
        var seen = 0
        for (index, bucket) in counts.enumerated() {
            seen += bucket
            if seen >= max(target, 1) { return index < Self.bounds.count ? Self.bounds[index] : Int64.max }
        }
        return Int64.max
    }

    public var meanNanoseconds: Double? { count == 0 ? nil : Double(totalNanoseconds) / Double(count) }
}

extension Duration {
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
