import Foundation
import Synchronization
import TradingEngine

/// A clock the test drives: `now()` moves only with `advance(by:)`, and `sleep(for:)` suspends
/// until the test has advanced past its deadline (or the task is cancelled). No real waiting.
public final class ManualClock: WallClock, Sendable {
    struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// 2026-05-28 20:26:40 UTC by default.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// How many tasks are waiting on this clock.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    public func advance(seconds: TimeInterval) { advance(by: seconds) }

    /// Moves time forward and wakes every sleeper whose deadline has passed, earliest first.
    public func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0, "a manual clock never goes backwards")
        let woken = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    let deadline = state.now.addingTimeInterval(duration.seconds)
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Waits (yielding, no real time) until at least `count` tasks sleep on this clock.
    public func waitForSleepers(_ count: Int = 1) async {
        for _ in 0..<100_000 where sleepers < count { await Task.yield() }
    }
}
