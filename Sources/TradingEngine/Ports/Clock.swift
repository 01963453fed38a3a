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

/// Real time that starts at a chosen instant (the `TA_TEST_NOW` seam of debug builds,
/// docs/configuration.md): `now()` is that instant plus the real time elapsed since the clock was
/// made, and sleeping is real, so a process test can pin the market session.
public struct ShiftedWallClock: WallClock {
    public let start: Date
    let started: ContinuousClock.Instant

    public init(startingAt start: Date) {
        self.start = start
        started = .now
    }

    public func now() -> Date { start.addingTimeInterval((ContinuousClock.now - started).seconds) }
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
