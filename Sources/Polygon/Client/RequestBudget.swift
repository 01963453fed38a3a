import Foundation

/// Spaces REST calls so at most `limit` start in any 60-second window (the free plan allows 5),
/// and honours a server's "retry after" by pausing every caller until then.
actor RequestBudget {
    let limit: Int
    let window: Duration
    private var starts: [ContinuousClock.Instant] = []
    private var pausedUntil: ContinuousClock.Instant?

    init(perMinute limit: Int, window: Duration = .seconds(60)) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Waits until a call may start, then records it.
    func acquire() async throws {
        while true {
            let now = ContinuousClock.now
            if let pausedUntil, pausedUntil > now {
                try await Task.sleep(until: pausedUntil, clock: .continuous)
                continue
            }
            starts.removeAll { now - $0 >= window }
            if starts.count < limit {
                starts.append(now)
                return
            }
            try await Task.sleep(until: starts[0] + window, clock: .continuous)
        }
    }

    func pause(for duration: Duration) {
        let until = ContinuousClock.now + duration
        if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
    }
}
