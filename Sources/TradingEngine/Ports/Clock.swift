import Foundation

/// Source of the current time and of waiting, injected so tests can pin and drive it: engines read
/// `now()` and wait with `sleep(for:)`, never `Date()` or `Task.sleep` directly, so a test's manual
/// clock decides when a periodic loop runs again.
public protocol WallClock: Sendable {
    func now() -> Date
    /// Suspends until `duration` has passed on this clock (throws `CancellationError` when the task
    /// is cancelled).
    func sleep(for duration: Duration) async throws
}

extension WallClock {
    /// Real time by default.
    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Real time moved to start at a chosen instant: it runs (and sleeps) at real speed from `start`.
/// The fixed-clock seam of tests that need a given market session (`TA_TEST_NOW`, debug builds only).
public struct OffsetWallClock: WallClock {
    public let offset: TimeInterval

    public init(startingAt start: Date) {
        offset = start.timeIntervalSince(Date())
    }

    public func now() -> Date { Date().addingTimeInterval(offset) }
}

extension Duration {
    /// The duration in seconds as a Double (for timing arithmetic and reports only, never money).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Runs `body` every `interval` on `clock` (first after one interval, or at once with
/// `immediately`) until the task is cancelled: the one periodic loop every engine uses, so a
/// test's manual clock drives it deterministically.
public func repeatEvery(
    _ interval: Duration, clock: any WallClock, immediately: Bool = false, _ body: @Sendable () async -> Void
) async {
    if immediately && !Task.isCancelled { await body() }
    while !Task.isCancelled {
        do {
            try await clock.sleep(for: interval)
        } catch {
            return
        }
        if Task.isCancelled { return }
        await body()
    }
}
