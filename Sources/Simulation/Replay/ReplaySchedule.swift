import Foundation
import TradingDomain

/// When to deliver each replayed event, at N× speed (pure: the caller owns the clock).
///
/// `offset(for:)` gives the time after the start of the replay at which an event is due:
/// (event time − first event time) / speed, where each gap between consecutive events counts at
/// most `maxGap` of event time (so a file spanning nights does not stall for hours). Sleeping until
/// `replayStart + offset` rather than for the gap between events keeps the replay from drifting.
/// Events must be fed in order; an event earlier than the previous one is due immediately after it.
public struct ReplaySchedule: Sendable, Hashable {
    public static let speedKey = "TA_REPLAY_SPEED"

    public let speed: Double
    public let firstEventTime: Date
    public let maxGap: Duration?
    private var previousTime: Date
    private var offsetNanoseconds: Int64 = 0

    public init(speed: Double, firstEventTime: Date, maxGap: Duration? = nil) throws(ValidationFailure) {
        guard speed.isFinite, speed > 0, speed <= 1_000_000 else {
            throw ValidationFailure(field: Self.speedKey, message: "must be a number greater than 0, up to 1000000")
        }
        if let maxGap, maxGap < .zero {
            throw ValidationFailure(field: "max_gap", message: "must not be negative")
        }
        self.speed = speed
        self.firstEventTime = firstEventTime
        self.maxGap = maxGap
        self.previousTime = firstEventTime
    }

    /// Reads a speed such as `1`, `10`, `0.5` or `10x` (absent or blank: 1×).
    public static func parseSpeed(_ text: String?) throws(ValidationFailure) -> Double {
        guard var text = text?.trimmingWhitespace().lowercased(), !text.isEmpty else { return 1 }
        if text.hasSuffix("x") || text.hasSuffix("×") { text.removeLast() }
        guard let decimal = ReplayFields.decimal(text[...]), decimal > 0, decimal <= 1_000_000 else {
            throw ValidationFailure(field: speedKey, message: "must be a speed like 1, 10 or 0.5 (times real time), not '\(text)'")
        }
        return NSDecimalNumber(decimal: decimal).doubleValue
    }

    /// The time after the replay's start at which the event at `eventTime` is due. Call once per
    /// event, in file order.
    public mutating func offset(for eventTime: Date) -> Duration {
        offsetNanoseconds += delayNanoseconds(from: previousTime, to: eventTime)
        if eventTime > previousTime { previousTime = eventTime }
        return .nanoseconds(offsetNanoseconds)
    }

    /// The scaled (and capped) wait between two consecutive events: 0 when `next` is not later.
    public func delay(from previous: Date, to next: Date) -> Duration {
        .nanoseconds(delayNanoseconds(from: previous, to: next))
    }

    /// Offsets of all `times` (in order) from the replay's start.
    public static func offsets(for times: [Date], speed: Double, maxGap: Duration? = nil) throws(ValidationFailure) -> [Duration] {
        guard let first = times.first else { return [] }
        var schedule = try ReplaySchedule(speed: speed, firstEventTime: first, maxGap: maxGap)
        return times.map { schedule.offset(for: $0) }
    }

    private func delayNanoseconds(from previous: Date, to next: Date) -> Int64 {
        // Work in whole milliseconds of event time (the file's precision) for exact results.
        var gap = Self.milliseconds(next) - Self.milliseconds(previous)
        guard gap > 0 else { return 0 }
        if let maxGap {
            let capMilliseconds = maxGap.components.seconds * 1_000 + maxGap.components.attoseconds / 1_000_000_000_000_000
            gap = min(gap, capMilliseconds)
        }
        return Int64((Double(gap) * 1_000_000 / speed).rounded())
    }

    /// Nearest whole millisecond since 1970 (a `Date` from "…:00.001Z" is a hair below it in binary).
    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
