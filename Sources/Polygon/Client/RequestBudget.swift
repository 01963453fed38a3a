import Foundation
import TradingEngine

/// Which Polygon/Massive plan the key is on (`POLYGON_PLAN`, docs/vendors.md §1.6): the free plan
/// allows 5 REST requests a minute; paid plans have no minute budget (the vendor asks to stay
/// under about 100 a second) and only a 429 makes us wait.
public enum PolygonPlan: String, Sendable, Hashable, CaseIterable {
    case free
    case paid
}

/// Who is asking, for the order in which waiting calls go: the alert poll and the catch-up after
/// a gap (`urgent`) always go before a chart's bars, an ATR or a previous close (`background`).
public enum PolygonRequestPriority: Int, Sendable, Hashable, Comparable, CaseIterable {
    case urgent = 0
    case background = 1

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Grants REST calls: at most `perMinute` start in any `window` (none on a paid plan), every
/// caller pauses while a server's "retry after" runs, and waiting calls are served by priority,
/// then in arrival order (a two-level queue). On a minute budget one start per window is kept for
/// urgent calls, so charts alone can never use the whole budget before the next poll.
///
/// Time comes from the injected `WallClock`, so tests drive the window with a manual clock.
actor RequestBudget {
    /// Calls per window; nil = no minute budget (paid plan).
    let limit: Int?
    let window: Duration
    let clock: any WallClock

    private struct Waiter {
        var id: Int
        var priority: PolygonRequestPriority
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var starts: [Date] = []
    private var pausedUntil: Date?
    private var waiting: [Waiter] = []
    private var nextID = 0
    private var timerDeadline: Date?
    /// Calls granted so far, by priority (for tests and diagnostics).
    private(set) var granted: [PolygonRequestPriority] = []

    init(perMinute limit: Int?, window: Duration = .seconds(60), clock: any WallClock) {
        self.limit = limit.map { max(1, $0) }
        self.window = window
        self.clock = clock
    }

    /// Waits until a call of this priority may start, then counts it.
    func acquire(_ priority: PolygonRequestPriority) async throws {
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiting.append(Waiter(id: id, priority: priority, continuation: continuation))
                pump()
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Holds every call until `duration` from now (a 429's `Retry-After`, or our own wait).
    func pause(for duration: Duration) {
        let until = clock.now().addingTimeInterval(duration.seconds)
        if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
    }

    /// How many calls wait now.
    var waitingCount: Int { waiting.count }

    // MARK: granting

    /// Grants every waiting call that may start now, most urgent first; arms one timer for the
    /// earliest moment the next one could.
    private func pump() {
        while let index = nextIndex() {
            let now = clock.now()
            guard let wait = delay(for: waiting[index].priority, now: now) else {
                let waiter = waiting.remove(at: index)
                starts.append(now)
                granted.append(waiter.priority)
                waiter.continuation.resume()
                continue
            }
            armTimer(after: wait)
            return
        }
    }

    /// The most urgent, then oldest, waiting call.
    private func nextIndex() -> Int? {
        waiting.indices.min { lhs, rhs in
            (waiting[lhs].priority, waiting[lhs].id) < (waiting[rhs].priority, waiting[rhs].id)
        }
    }

    /// Nil when a call of `priority` may start now, else how long until it might.
    private func delay(for priority: PolygonRequestPriority, now: Date) -> TimeInterval? {
        if let pausedUntil, pausedUntil > now { return pausedUntil.timeIntervalSince(now) }
        guard let limit else { return nil }
        starts.removeAll { now.timeIntervalSince($0) >= window.seconds }
        // Background calls leave one start of the window to urgent ones (when there is more than one).
        let allowed = priority == .urgent || limit == 1 ? limit : limit - 1
        guard starts.count >= allowed else { return nil }
        let oldest = starts[starts.count - allowed]
        return max(0.001, oldest.addingTimeInterval(window.seconds).timeIntervalSince(now))
    }

    /// Wakes `pump` after `seconds`, unless a timer already wakes it earlier (an urgent call may
    /// need an earlier moment than the background call the armed timer was for).
    private func armTimer(after seconds: TimeInterval) {
        let deadline = clock.now().addingTimeInterval(seconds)
        if let timerDeadline, timerDeadline <= deadline { return }
        timerDeadline = deadline
        let clock = clock
        Task {
            try? await clock.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
            await self.timerFired(deadline)
        }
    }

    private func timerFired(_ deadline: Date) {
        if timerDeadline == deadline { timerDeadline = nil }
        pump()
    }

    private func cancel(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
        pump()
    }
}
